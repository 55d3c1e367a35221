/* SPDX-License-Identifier: MIT */
/* report.c - progress and residents as JSON, for the CLI and the daemon's API. */
#include "app/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/progress_json.h"
#include "core/status.h"
#include "store/store_roster.h"
#include "store/store_status.h"

/* Fill a progress_t from the store. */
int report_load_progress(store_t *st, long long campaign, progress_t *p)
{
    store_area_t *areas = NULL;
    store_count_t *counts = NULL;
    store_target_t *targets = NULL;
    size_t na = 0, nc = 0, nt = 0;
    int rc = store_areas(st, &areas, &na);

    if (rc == CB_OK)
        rc = store_status_counts(st, campaign, &counts, &nc);
    if (rc == CB_OK)
        rc = store_targets(st, campaign, &targets, &nt);
    for (size_t i = 0; rc == CB_OK && i < na; i++)
        progress_add_area(p, areas[i].id, areas[i].parent, areas[i].level, areas[i].name);
    for (size_t i = 0; rc == CB_OK && i < nc; i++) {
        int s = status_from_name(counts[i].status);
        if (s >= 0)
            progress_add_count(p, counts[i].area_id, (person_status_t)s, counts[i].special,
                               counts[i].n);
    }
    for (size_t i = 0; rc == CB_OK && i < nt; i++)
        progress_set_target(p, targets[i].area_id, targets[i].target);
    store_areas_free(areas, na);
    free(counts);
    free(targets);
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
