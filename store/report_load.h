/* SPDX-License-Identifier: MIT */
/*
 * report.h - progress figures as the CLI ('status --json') and the daemon
 * ('GET /api/progress') show them: one JSON shape for both.
 */
#ifndef CB_STORE_REPORT_LOAD_H
#define CB_STORE_REPORT_LOAD_H

#include <cjson/cJSON.h>

#include "core/compiler.h"
#include "core/policy.h"
#include "core/progress.h"
#include "store/store.h"

/* Fill 'p' with the areas, counts and targets of 'campaign'. */
CB_NODISCARD int report_load_progress(store_t *st, long long campaign, progress_t *p);

/* {"county","year","today","by","areas":[...],"total":{...}} at 'level' (0 county ..
 * 3 group). The caller frees it with cJSON_Delete. */
cJSON *report_progress_json(progress_t *p, const policy_t *pol, int level, cb_date_t today);

#endif
