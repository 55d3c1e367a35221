/* SPDX-License-Identifier: MIT */
/*
 * remind.h - the policy's reminder rules ("reminders" in the policy file, format in
 * docs/policy.md) and when each is due. Pure functions of the policy and a day.
 *
 * A rule says who (a segment, "unpaid" by default), when (days counted from an
 * anchor: the window's start or end, each milestone, a person's birth or lapse
 * date; a list of offsets, or every N days), the template and the route (the
 * config's route gives the channel order, e.g. a WeCom group, then SMS).
 * to = "departments" sends the department contacts of categories a department
 * pays in bulk how many of their people are still unpaid.
 */
#ifndef CB_CORE_REMIND_H
#define CB_CORE_REMIND_H

#include <stddef.h>

#include "core/date.h"
#include "core/policy.h"

typedef enum rem_anchor {
    REM_WINDOW_START,
    REM_WINDOW_END,
    REM_MILESTONE, /* every milestone's date */
    REM_BIRTH,     /* each person's birth date (newborns) */
    REM_LAPSE      /* each person's lapse date (employee insurance ended) */
} rem_anchor_t;

#define REM_MAX_DAYS 16

typedef struct policy_reminder {
    const char *name;     /* unique, part of every message key */
    const char *to;       /* a segment (jobs/segment.h) or "departments" */
    rem_anchor_t from;
    int days[REM_MAX_DAYS]; /* offsets from the anchor, ascending (may be negative) */
    size_t ndays;
    int every_days;       /* > 0: every N days from first_day after the anchor ... */
    int first_day;        /* ... (default every_days) until the window's end */
    const char *tpl;      /* template name */
    const char *route;    /* config route (default "sms") */
} policy_reminder_t;

size_t policy_nreminders(const policy_t *p);
const policy_reminder_t *policy_reminder(const policy_t *p, size_t i);

/* 1 when a rule anchored on the campaign calendar (window, milestones) is due on
 * 'day'; *which gets the milestone's index for REM_MILESTONE. 0 for person-anchored
 * rules (see remind_person_offsets). */
int remind_due_on(const policy_t *p, const policy_reminder_t *r, cb_date_t day, size_t *which);

/* The latest day in (after, upto] on which a calendar rule is due, or 0 when none:
 * a job that missed days sends each rule once, for its latest occurrence. */
cb_date_t remind_latest_due(const policy_t *p, const policy_reminder_t *r, cb_date_t after,
                            cb_date_t upto, size_t *which);

/* 1 when 'r' counts from a person's own date (birth, lapse). */
int remind_is_personal(const policy_reminder_t *r);

#endif
