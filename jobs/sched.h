/* SPDX-License-Identifier: MIT */
/*
 * sched.h - when a scheduled job is due: a time of day, on every day or on one
 * weekday, with an optional calendar (weekly from one date, daily from another;
 * "weekly in October and November, daily in December"). Pure functions of the
 * spec and the campaign clock's time (China time).
 *
 * A slot is one due time. The scheduler runs a job when its latest slot at or before
 * now is later than the slot of its previous run: a daemon that was down over
 * several slots runs the job once on start, not once per missed slot.
 */
#ifndef CB_JOBS_SCHED_H
#define CB_JOBS_SCHED_H

#include <stdint.h>

#include "core/date.h"

typedef struct sched_spec {
    int at;          /* minutes after midnight, China time */
    int weekday;     /* 0: every day; 1 (Monday) .. 7 (Sunday): that day only ... */
    int weekly_from; /* ... from this month * 100 + day (0: the whole year) ... */
    int daily_from;  /* ... and every day from this month * 100 + day (0: never) */
} sched_spec_t;

/* 1 (Monday) .. 7 (Sunday). */
int sched_weekday(cb_date_t day);

/* Does the spec have a slot on 'day'? */
int sched_is_day(const sched_spec_t *s, cb_date_t day);

/* The latest slot at or before 'now' (Unix time), looking back at most 400 days;
 * 0 when there is none. */
int64_t sched_prev_slot(const sched_spec_t *s, int64_t now);

/* The first slot after 'now', or 0 within 400 days. */
int64_t sched_next_slot(const sched_spec_t *s, int64_t now);

#endif
