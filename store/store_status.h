/* SPDX-License-Identifier: MIT */
/*
 * store_status.h - the counts behind progress: persons per finest area, status and
 * "special group" (any subsidy category). core/progress.h rolls them up.
 * Threading: as store.h.
 */
#ifndef CB_STORE_STORE_STATUS_H
#define CB_STORE_STORE_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"
#include "store/store.h"

typedef struct store_count {
    int64_t area_id;
    char status[24]; /* core/status.h name */
    int special;     /* 1 when the persons are in a subsidy category */
    int64_t n;
} store_count_t;

/* All counts of 'campaign'. The caller frees *out with free(). */
CB_NODISCARD int store_status_counts(store_t *st, int64_t campaign, store_count_t **out,
                                     size_t *n);

typedef struct store_paid_day {
    int64_t area_id;
    cb_date_t day; /* the person's first dated payment (paid_on); 0 when none is */
    int64_t n;
} store_paid_day_t;

/* The paid persons of 'campaign' per finest area and first payment day, for the
 * milestones (core/progress.h progress_add_paid_on). The caller frees *out. */
CB_NODISCARD int store_paid_days(store_t *st, int64_t campaign, store_paid_day_t **out,
                                 size_t *n);

#endif
