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

/* State of milestone 'm' for a row: "met", "missed" or "due". */
const char *report_milestone_state(const progress_row_t *r, const policy_milestone_t *m,
                                   cb_date_t today, int64_t *needed)
{
    *needed = r->target < 0 ? -1 : (r->target * m->percent + 99) / 100;
    if (*needed < 0)
        return "no target";
    if (r->by_status[PS_PAID] >= *needed)
        return "met";
    return today > m->date ? "missed" : "due";
}

static cJSON *row_json(const progress_row_t *r, const policy_t *pol, cb_date_t today)
{
    cJSON *o = cJSON_CreateObject(), *ms = cJSON_CreateArray();
    char d[11];

    if (r->township)
        cJSON_AddStringToObject(o, "township", r->township);
    if (r->village)
        cJSON_AddStringToObject(o, "village", r->village);
    if (r->group)
        cJSON_AddStringToObject(o, "group", r->group);
    cJSON_AddNumberToObject(o, "registered", (double)r->registered);
    if (r->target >= 0)
        cJSON_AddNumberToObject(o, "target", (double)r->target);
    else
        cJSON_AddNullToObject(o, "target");
    for (int s = 0; s < PS__COUNT; s++)
        cJSON_AddNumberToObject(o, status_name((person_status_t)s), (double)r->by_status[s]);
    cJSON_AddNumberToObject(o, "covered_elsewhere",
                            (double)(r->by_status[PS_EMPLOYEE_INSURED] +
                                     r->by_status[PS_INSURED_ELSEWHERE]));
    if (r->progress >= 0)
        cJSON_AddNumberToObject(o, "progress", r->progress);
    else
        cJSON_AddNullToObject(o, "progress");
    cJSON_AddNumberToObject(o, "coverage", r->coverage < 0 ? 0 : r->coverage);
    cJSON_AddNumberToObject(o, "special", (double)r->special);
    cJSON_AddNumberToObject(o, "special_covered", (double)r->special_covered);
    if (r->special_coverage >= 0)
        cJSON_AddNumberToObject(o, "special_coverage", r->special_coverage);
    else
        cJSON_AddNullToObject(o, "special_coverage");
    cJSON_AddNumberToObject(o, "rank", r->rank);
    for (size_t i = 0; i < policy_nmilestones(pol); i++) {
        const policy_milestone_t *m = policy_milestone(pol, i);
        cJSON *mo = cJSON_CreateObject();
        int64_t needed;
        const char *state = report_milestone_state(r, m, today, &needed);
        date_format(m->date, d);
        cJSON_AddStringToObject(mo, "date", d);
        cJSON_AddNumberToObject(mo, "percent", m->percent);
        cJSON_AddNumberToObject(mo, "needed", (double)needed);
        cJSON_AddStringToObject(mo, "state", state);
        cJSON_AddItemToArray(ms, mo);
    }
    cJSON_AddItemToObject(o, "milestones", ms);
    return o;
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
        cJSON_AddItemToArray(arr, row_json(&rows[i], pol, today));
    rows = progress_rows(p, 0, &n);
    cJSON_AddItemToObject(o, "total", row_json(&rows[0], pol, today));
    return o;
}
