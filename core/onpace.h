/* SPDX-License-Identifier: MIT */
/*
 * onpace.h - the milestone pace of a campaign on a day: which milestone comes next
 * and what share of its target an area should have paid by then to be on pace.
 *
 * The milestones are the policy's, plus the deadline itself (100% on the window's
 * last day) when no milestone asks for 100%. Between two milestones the expected
 * share grows in a straight line: from 0% on the window's first day to the first
 * milestone's percentage on its date, then from there to the next one's, and so on;
 * after the last milestone it stays at that milestone's percentage. An area with a
 * target is behind pace when its progress (paid / target, as core/progress.h
 * computes it) is below the expected share.
 *
 * Example (Pingli: window 15 Oct - 25 Dec, 80% by 30 Nov, 100% by 25 Dec): on
 * 7 Nov, 23 of the 46 days to 30 Nov have passed, so 40% is expected; on 12 Dec,
 * 80% + 20% x 12/25 = 89.6%.
 *
 * Pure functions of their arguments; safe anywhere.
 */
#ifndef CB_CORE_ONPACE_H
#define CB_CORE_ONPACE_H

#include <stdint.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/progress.h"

typedef struct onpace {
    policy_milestone_t next; /* the first milestone on or after the day, else the last */
    const char *label;       /* the policy's label of 'next', or NULL (none, or the deadline) */
    int implicit;            /* 'next' is the deadline added for want of a 100% milestone */
    int past;                /* every milestone is behind the day */
    double expected;         /* the share of the target expected by the day, 0..1 */
} onpace_t;

/* The pace of 'pol' on 'day'. */
onpace_t onpace_at(const policy_t *pol, cb_date_t day);

/* The paid count 'r' needs to be on pace: ceil(expected x target), -1 without a
 * target. */
int64_t onpace_needed(const onpace_t *p, const progress_row_t *r);

/* 1 when 'r' has a target and is below the pace, else 0. */
int onpace_behind(const onpace_t *p, const progress_row_t *r);

#endif
