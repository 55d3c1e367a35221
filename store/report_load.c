/* SPDX-License-Identifier: MIT */
/* report.c - progress and residents as JSON, for the CLI and the daemon's API. */
#include "store/report_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/progress_cache.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/progress_json.h"
#include "core/status.h"
#include "store/store_roster.h"
#include "store/store_status.h"

/* Fill a progress_t from the store (one snapshot). */
int report_load_progress(store_t *st, long long campaign, progress_t *p)
{
    progress_cache_t *c = progress_cache_create();
    int rc = progress_cache_load(c, st, campaign);

    if (rc == CB_OK)
        progress_cache_fill(c, p);
    progress_cache_destroy(c);
    return rc;
}

static const char *const level_name[] = {"county", "township", "village", "group"};

cJSON *report_progress_json(progress_t *p, const policy_t *pol, int level, cb_date_t today)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "areas");
    const progress_row_t *rows;
    size_t n;
    char d[11];

    date_format(today, d);
    cJSON_AddStringToObject(o, "county", policy_county(pol));
    cJSON_AddNumberToObject(o, "year", policy_year(pol));
    cJSON_AddStringToObject(o, "today", d);
    cJSON_AddStringToObject(o, "by", level_name[level]);
    rows = progress_rows(p, level, &n);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, progress_row_json(&rows[i], pol, today));
    rows = progress_rows(p, 0, &n);
    cJSON_AddItemToObject(o, "total", progress_row_json(&rows[0], pol, today));
    return o;
}
