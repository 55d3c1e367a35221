/* SPDX-License-Identifier: MIT */
/* config_jobs.h - the config file's "jobs" section, and what config.c shares with it
 * (internal to app/config*.c). */
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

/* The whole number 'key' of section object 'o' in lo..hi into *out (left as it is
 * when absent); CB_ECONFIG with "sect.key: must be a whole number from lo to hi". */
CB_NODISCARD int config__int(const cJSON *o, const char *sect, const char *key, int lo, int hi,
                             int *out, char *err, size_t errlen);

#endif
