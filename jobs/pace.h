/* SPDX-License-Identifier: MIT */
/*
 * pace.h - the pure rules of when an outbound message may go: a token bucket per
 * channel, a circuit breaker per channel, exponential backoff with jitter, quiet
 * hours and per-recipient caps. No I/O and no clock of their own: every call takes
 * the time, so tests and simulations drive them.
 *
 * Times are seconds (double for the bucket and the breaker, which run on a
 * monotonic clock; int64 unix seconds for quiet hours and caps, which follow the
 * county's local day with a fixed UTC offset).
 */
#ifndef CB_JOBS_PACE_H
#define CB_JOBS_PACE_H

#include <stdint.h>

/* Token bucket: 'rate' tokens a second, at most 'burst' stored. */
typedef struct bucket {
    double rate, burst, tokens, last;
} bucket_t;

void bucket_init(bucket_t *b, double rate, double burst, double now);
/* Take 'cost' tokens: 0 when taken, else the seconds to wait until they are there
 * (nothing taken). A cost above the burst is taken once the bucket is full. */
double bucket_take(bucket_t *b, double cost, double now);
/* Take 'cost' more tokens for what already went (the bucket may go below zero: the
 * next take waits until it is paid back). */
void bucket_charge(bucket_t *b, double cost);

/* Circuit breaker: opens after 'threshold' failures in a row, stays open for
 * 'cooldown' seconds, then lets one probe through (half-open); a success closes
 * it, a failure opens it again. */
typedef enum { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN } breaker_state_t;
typedef struct breaker {
    int threshold, fails, probing;
    double cooldown, open_until;
    breaker_state_t state;
} breaker_t;

void breaker_init(breaker_t *b, int threshold, double cooldown);
/* May a message go now? In half-open state only one probe at a time. */
int breaker_allow(breaker_t *b, double now);
void breaker_success(breaker_t *b);
void breaker_failure(breaker_t *b, double now);

/* Delay before retry 'attempt' (1 = after the first failure): base * 2^(attempt-1),
 * capped at 'cap', with "equal jitter" (half fixed, half random from 'rnd' in
 * [0, 1)), and never below 'floor' (e.g. a gateway's Retry-After). */
double backoff_delay(int attempt, double base, double cap, double rnd, double floor);

/* Quiet hours [start_min, end_min) in local minutes after midnight (they may wrap
 * midnight: 21:00-08:00 is 1260..480); 'utc_offset_s' is the county's offset (China:
 * 28800). Returns 0 when 'now' is outside them, else the unix time they end. */
int64_t quiet_until(int64_t now, int start_min, int end_min, int utc_offset_s);

/* The start of the local day containing 'now', and of the local week (Monday). */
int64_t local_day_start(int64_t now, int utc_offset_s);
int64_t local_week_start(int64_t now, int utc_offset_s);

/* Parse "HH:MM-HH:MM" into minutes; -1 when malformed. "" or "off": 0 with start ==
 * end (no quiet hours). */
int quiet_parse(const char *s, int *start_min, int *end_min);

#endif
