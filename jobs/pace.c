/* SPDX-License-Identifier: MIT */
#include "jobs/pace.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"

void bucket_init(bucket_t *b, double rate, double burst, double now)
{
    b->rate = rate > 0 ? rate : 1;
    b->burst = burst >= 1 ? burst : 1;
    b->tokens = b->burst;
    b->last = now;
}

double bucket_take(bucket_t *b, double cost, double now)
{
    double need;

    if (now > b->last) {
        b->tokens = fmin(b->burst, b->tokens + (now - b->last) * b->rate);
        b->last = now;
    }
    need = fmin(cost, b->burst);
    if (b->tokens >= need) {
        b->tokens -= cost; /* may go below zero for a cost above the burst: paid back later */
        return 0;
    }
    return (need - b->tokens) / b->rate;
}

void bucket_charge(bucket_t *b, double cost)
{
    b->tokens -= cost;
}

void breaker_init(breaker_t *b, int threshold, double cooldown)
{
    memset(b, 0, sizeof *b);
    b->threshold = threshold > 0 ? threshold : 1;
    b->cooldown = cooldown;
}

int breaker_allow(breaker_t *b, double now)
{
    switch (b->state) {
    case BREAKER_CLOSED: return 1;
    case BREAKER_OPEN:
        if (now < b->open_until)
            return 0;
        b->state = BREAKER_HALF_OPEN;
        b->probing = 0;
        /* fall through */
    case BREAKER_HALF_OPEN:
        if (b->probing)
            return 0;
        b->probing = 1;
        return 1;
    }
    return 0;
}

void breaker_success(breaker_t *b)
{
    b->state = BREAKER_CLOSED;
    b->fails = 0;
    b->probing = 0;
}

void breaker_failure(breaker_t *b, double now)
{
    b->probing = 0;
    if (b->state == BREAKER_HALF_OPEN || ++b->fails >= b->threshold) {
        b->state = BREAKER_OPEN;
        b->open_until = now + b->cooldown;
        b->fails = 0;
    }
}

double backoff_delay(int attempt, double base, double cap, double rnd, double floor)
{
    double d = base * ldexp(1.0, attempt > 1 ? (attempt > 30 ? 29 : attempt - 1) : 0);

    if (d > cap)
        d = cap;
    d = d / 2 + d / 2 * rnd;
    return d < floor ? floor : d;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t local_day_start(int64_t now, int utc_offset_s)
{
    return floor_div(now + utc_offset_s, 86400) * 86400 - utc_offset_s;
}

int64_t local_week_start(int64_t now, int utc_offset_s)
{
    int64_t day = floor_div(now + utc_offset_s, 86400); /* 1970-01-01 was a Thursday */
    int64_t monday = day - (day + 3) % 7;
    return monday * 86400 - utc_offset_s;
}

int64_t quiet_until(int64_t now, int start_min, int end_min, int utc_offset_s)
{
    int64_t day = local_day_start(now, utc_offset_s);
    int min = (int)((now - day) / 60);

    if (start_min == end_min)
        return 0;
    if (start_min < end_min) {
        if (min >= start_min && min < end_min)
            return day + (int64_t)end_min * 60;
        return 0;
    }
    if (min >= start_min)
        return day + 86400 + (int64_t)end_min * 60;
    if (min < end_min)
        return day + (int64_t)end_min * 60;
    return 0;
}

int quiet_parse(const char *s, int *start_min, int *end_min)
{
    const char *dash = s ? strchr(s, '-') : NULL;
    int a, b;

    *start_min = *end_min = 0;
    if (s == NULL || *s == '\0' || strcmp(s, "off") == 0)
        return 0;
    if (dash == NULL || date_parse_hhmm(s, (size_t)(dash - s), 24, &a) != CB_OK ||
        date_parse_hhmm(dash + 1, strlen(dash + 1), 24, &b) != CB_OK)
        return -1;
    *start_min = a % 1440;
    *end_min = b % 1440;
    return 0;
}
