/* SPDX-License-Identifier: MIT */
/*
 * clock.h - the campaign clock. Every part of canbao that asks "what time is it"
 * for campaign purposes (due reminders, quiet hours, caps, job slots) reads it
 * here, so a test or 'canbao simulate' can run September to December in seconds.
 *
 * A clock starts at a campaign time 'base' and runs 'speed' campaign seconds per
 * real second (1: the real pace). Read-only after clock_init: safe from any thread.
 * Signature windows of inbound webhooks use real time, never this clock.
 */
#ifndef CB_CORE_CLOCK_H
#define CB_CORE_CLOCK_H

#include <stdint.h>

#include "core/date.h"

#define CB_CHINA_OFFSET (8 * 3600) /* China time, UTC+8: the campaign's civil time */

typedef struct cb_clock {
    int64_t base;    /* Unix time of the campaign clock at 'real0' */
    int64_t real0;   /* CLOCK_MONOTONIC nanoseconds when the clock was started */
    int64_t speed;   /* campaign seconds per real second, >= 1 */
} cb_clock_t;

/* Elapsed-time readings for timeouts, rates and deadlines (CLOCK_MONOTONIC: never
 * jumps), and the wall clock in milliseconds (CLOCK_REALTIME) for what must match other
 * machines' clocks. Not campaign time. */
double clock_mono_s(void);
int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);

/* Start 'c' at Unix time 'base', running 'speed' times the real pace (< 1: 1). */
void clock_init(cb_clock_t *c, int64_t base, int64_t speed);

/* The campaign clock's Unix time now. */
int64_t clock_now(const cb_clock_t *c);

/* clock_now for callbacks that take a 'void *' (the cb_clock_t). */
int64_t clock_now_cb(void *clock);

/* The civil day in China of Unix time 't'. */
cb_date_t clock_day(int64_t t);

/* Minutes since midnight, China time, of Unix time 't' (0..1439). */
int clock_minute_of_day(int64_t t);

/* Unix time of 'day' at 'minute' past midnight, China time. */
int64_t clock_at(cb_date_t day, int minute);

#endif
