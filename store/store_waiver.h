/* SPDX-License-Identifier: MIT */
/*
 * store_waiver.h - waivers (放弃参保确认书): a resident declines to enrol for a reason
 * of the form (1 commercial insurance, 2 employee insurance, 3 healthy with a stable
 * income, 4 other, with a text). A request is 'pending' until a worker has the paper
 * form signed by the resident and a cadre and confirms it; 'withdrawn' ends it. A
 * person has at most one live (pending or confirmed) waiver per campaign.
 * The person's status changes only on confirmation, by the caller (store_status_set).
 * Threading: as store.h. Strings passed in are borrowed for the call.
 */
#ifndef CB_STORE_STORE_WAIVER_H
#define CB_STORE_STORE_WAIVER_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* The reasons' numbers on the form. */
enum { WAIVER_REASON_MIN = 1, WAIVER_REASON_OTHER = 4, WAIVER_REASON_MAX = 4 };

/*
 * Record a pending waiver with 'reason' (1..4, 0 unknown) and 'reason_text' (may be
 * NULL). 1 when new; 0 when the person has a live waiver already (a pending one takes
 * the new reason; a confirmed one is left alone). CB_EINVAL for a reason out of range.
 */
CB_NODISCARD int store_waiver_request(store_t *st, int64_t campaign, int64_t person_id,
                                      int reason, const char *reason_text, int64_t now);

/* Confirm the person's pending waiver ('by': the worker): 1 when confirmed, 0 when
 * there is no pending waiver. */
CB_NODISCARD int store_waiver_confirm(store_t *st, int64_t campaign, int64_t person_id,
                                      const char *by, int64_t now);

/* A waiver with its person; strings are borrowed for the callback ("" when none,
 * confirmed_at 0 when not confirmed). name and id_number are in full: mask them
 * before showing them to anyone who does not fill in the form. */
typedef struct store_waiver_row {
    int64_t id, person_id, area_id, requested_at, confirmed_at;
    int reason; /* 0 when unknown */
    const char *name, *id_number, *reason_text, *state, *confirmed_by;
} store_waiver_row_t;

/* Call fn for every waiver of 'campaign' in 'state' (NULL: any), by area then age;
 * fn returns nonzero to stop (returned as is). */
CB_NODISCARD int store_waivers_each(store_t *st, int64_t campaign, const char *state,
                                    int (*fn)(void *ud, const store_waiver_row_t *w), void *ud);

#endif
