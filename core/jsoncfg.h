/* SPDX-License-Identifier: MIT */
/*
 * jsoncfg.h - the checks every JSON settings section shares (the deployment config,
 * the policy, channels, surveys): keys from a known list, whole numbers in a range.
 */
#ifndef CB_CORE_JSONCFG_H
#define CB_CORE_JSONCFG_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/compiler.h"

/* The first key of object 'o' that is not in 'known' (NULL-terminated), or NULL
 * when every key is known ('o' NULL or not an object: NULL). Callers word the error
 * their own way ("jobs.x: unknown option", "window.x: unknown key"). */
const char *jsoncfg_unknown(const cJSON *o, const char *const *known);

/* The whole number 'key' of section object 'o' in lo..hi into *out (left as it is
 * when absent); CB_ECONFIG with "sect.key: must be a whole number from lo to hi". */
CB_NODISCARD int jsoncfg_int(const cJSON *o, const char *sect, const char *key, int lo, int hi,
                             int *out, char *err, size_t errlen);

#endif
