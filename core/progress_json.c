/* SPDX-License-Identifier: MIT */
#include "core/progress_json.h"

#include "core/status.h"

const char *progress_milestone_state(const progress_row_t *r, const policy_milestone_t *m,
                                     cb_date_t today, int64_t *needed)
{
    *needed = r->target < 0 ? -1 : (r->target * m->percent + 99) / 100;
    if (*needed < 0)
        return "no target";
    if (today > m->date) /* judged on the payments dated on or before it */
        return progress_row_paid_asof(r, m->date) >= *needed ? "met" : "missed";
    return r->by_status[PS_PAID] >= *needed ? "met" : "due";
}

cJSON *progress_row_json(const progress_row_t *r, const policy_t *pol, cb_date_t today)
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
        const char *state = progress_milestone_state(r, m, today, &needed);
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
