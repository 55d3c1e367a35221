/* SPDX-License-Identifier: MIT */
/* config_jobs.h - the config file's "jobs" section (internal to app/config.c). */
#ifndef CB_APP_CONFIG_JOBS_H
#define CB_APP_CONFIG_JOBS_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "app/config.h"
#include "core/compiler.h"

/* Fill 'j' from the section 'o' (NULL: all defaults); 'db' places the default
 * output folder. 'err' names the field on failure. */
CB_NODISCARD int app_config_jobs(app_jobs_t *j, const cJSON *o, const char *db, char *err,
                                 size_t errlen);
void app_config_jobs_free(app_jobs_t *j);

#endif
