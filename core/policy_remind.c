/* SPDX-License-Identifier: MIT */
/*
 * policy_remind.c - the policy's "reminders" array: parsing and validation (first
 * problem reported as "reminders[2].days: ..."), and when each rule is due.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/policy_internal.h"
#include "core/remind.h"

#define MAX_RULES 64

static const char *const rule_keys[] = {"name", "to", "from", "days", "every_days",
                                        "first_day", "template", "route", NULL};
static const char *const anchor_names[] = {"window_start", "window_end", "milestone", "birth",
                                           "lapse", NULL};

static int parse_days(pol_ctx_t *c, const cJSON *item, const char *base, policy_reminder_t *r)
{
    const cJSON *arr, *v;
    size_t n;
    int rc = policy__want_array(c, item, base, "days", 0, REM_MAX_DAYS, &arr, &n);

    if (rc < 0)
        return rc;
    cJSON_ArrayForEach(v, arr) {
        if (!cJSON_IsNumber(v) || v->valuedouble < -366 || v->valuedouble > 366 ||
            v->valuedouble != (double)(int)v->valuedouble)
            return policy__fail(c, base, "days", "must hold whole numbers from -366 to 366");
        if (r->ndays > 0 && v->valueint <= r->days[r->ndays - 1])
            return policy__fail(c, base, "days", "must be in ascending order, each once");
        r->days[r->ndays++] = v->valueint;
    }
    return CB_OK;
}

static int parse_rule(pol_ctx_t *c, const cJSON *item, policy_t *p, size_t i)
{
    policy_reminder_t *r = &p->reminders[i];
    char base[POL_PATH_LEN];
    int64_t every = 0, first = -1;
    int from = 0, rc;

    policy__path_index(base, "", "reminders", i);
    rc = policy__check_keys(c, item, base, rule_keys);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "name", 1, &r->name);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "to", 0, &r->to);
    if (rc == CB_OK)
        rc = policy__want_enum(c, item, base, "from", anchor_names, -1, &from);
    if (rc == CB_OK)
        rc = parse_days(c, item, base, r);
    if (rc == CB_OK)
        rc = policy__want_int(c, item, base, "every_days", 0, 1, 366, &every);
    if (rc == CB_OK)
        rc = policy__want_int(c, item, base, "first_day", 0, -366, 366, &first);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "template", 1, &r->tpl);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "route", 0, &r->route);
    if (rc < 0)
        return rc;
    r->from = (rem_anchor_t)from;
    r->every_days = (int)every;
    r->first_day = first >= 0 || every == 0 ? (int)(first < 0 ? 0 : first) : (int)every;
    if (r->to == NULL)
        r->to = "unpaid";
    if (r->route == NULL)
        r->route = "sms";
    if ((r->ndays > 0) == (every > 0))
        return policy__fail(c, base, "", "give either \"days\" (a list) or \"every_days\"");
    if (every > 0 && remind_is_personal(r))
        return policy__fail(c, base, "every_days",
                            "only counts from window_start, window_end or milestone");
    if (strcmp(r->to, "departments") == 0 && remind_is_personal(r))
        return policy__fail(c, base, "to", "departments are reminded on the campaign calendar, "
                                           "not from a person's date");
    for (size_t j = 0; j < i; j++) {
        if (strcmp(p->reminders[j].name, r->name) == 0)
            return policy__fail(c, base, "name", "\"%s\" is used twice", r->name);
    }
    if (strchr(r->name, ':') != NULL)
        return policy__fail(c, base, "name", "must not hold ':' (it is part of message keys)");
    return CB_OK;
}

int policy__parse_reminders(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *arr, *item;
    size_t n, i = 0;
    int rc = policy__want_array(c, root, "", "reminders", 0, MAX_RULES, &arr, &n);

    if (rc < 0)
        return rc;
    p->reminders = xcalloc(n ? n : 1, sizeof *p->reminders);
    p->nreminders = n;
    cJSON_ArrayForEach(item, arr) {
        rc = parse_rule(c, item, p, i++);
        if (rc < 0)
            return rc;
    }
    return CB_OK;
}

size_t policy_nreminders(const policy_t *p)
{
    return p->nreminders;
}

const policy_reminder_t *policy_reminder(const policy_t *p, size_t i)
{
    return i < p->nreminders ? &p->reminders[i] : NULL;
}

int remind_is_personal(const policy_reminder_t *r)
{
    return r->from == REM_BIRTH || r->from == REM_LAPSE;
}

/* Is 'day' an occurrence of 'r' counted from 'anchor'? */
static int due_from(const policy_t *p, const policy_reminder_t *r, cb_date_t anchor, cb_date_t day)
{
    int off = (int)(day - anchor);

    if (r->every_days > 0) {
        cb_date_t end = policy_window_end(p), ext = policy_extension_end(p, NULL);
        if (ext > end)
            end = ext;
        return off >= r->first_day && day <= end && (off - r->first_day) % r->every_days == 0;
    }
    for (size_t k = 0; k < r->ndays; k++) {
        if (r->days[k] == off)
            return 1;
    }
    return 0;
}

int remind_due_on(const policy_t *p, const policy_reminder_t *r, cb_date_t day, size_t *which)
{
    switch (r->from) {
    case REM_WINDOW_START:
        return due_from(p, r, policy_window_start(p), day);
    case REM_WINDOW_END:
        return due_from(p, r, policy_window_end(p), day);
    case REM_MILESTONE:
        for (size_t i = 0; i < policy_nmilestones(p); i++) {
            if (due_from(p, r, policy_milestone(p, i)->date, day)) {
                if (which != NULL)
                    *which = i;
                return 1;
            }
        }
        return 0;
    case REM_BIRTH:
    case REM_LAPSE:
        break;
    }
    return 0;
}

cb_date_t remind_latest_due(const policy_t *p, const policy_reminder_t *r, cb_date_t after,
                            cb_date_t upto, size_t *which)
{
    if (upto - after > 400)
        after = upto - 400;
    for (cb_date_t d = upto; d > after; d--) {
        if (remind_due_on(p, r, d, which))
            return d;
    }
    return 0;
}
