/* SPDX-License-Identifier: MIT */
/* clock.c - the campaign clock: a base time plus scaled monotonic time. */
#include "core/clock.h"

#include <time.h>

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double clock_mono_s(void)
{
    return (double)mono_ns() / 1e9;
}

int64_t clock_mono_ms(void)
{
    return mono_ns() / 1000000;
}

int64_t clock_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_init(cb_clock_t *c, int64_t base, int64_t speed)
{
    c->base = base;
    c->real0 = mono_ns();
    c->speed = speed < 1 ? 1 : speed;
}

int64_t clock_now(const cb_clock_t *c)
{
    int64_t elapsed = mono_ns() - c->real0;
    /* whole campaign seconds: elapsed ns * speed, without overflow for years */
    return c->base + (elapsed / 1000000) * c->speed / 1000;
}

int64_t clock_now_cb(void *clock)
{
    return clock_now(clock);
}

cb_date_t clock_day(int64_t t)
{
    return date_from_unix(t, CB_CHINA_OFFSET);
}

int clock_minute_of_day(int64_t t)
{
    int64_t local = t + CB_CHINA_OFFSET;
    int64_t sec = local % 86400;
    if (sec < 0)
        sec += 86400;
    return (int)(sec / 60);
}

int64_t clock_at(cb_date_t day, int minute)
{
    return (int64_t)day * 86400 + (int64_t)minute * 60 - CB_CHINA_OFFSET;
}
