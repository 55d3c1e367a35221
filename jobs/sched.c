/* SPDX-License-Identifier: MIT */
/* sched.c - job slots on the campaign calendar. */
#include "jobs/sched.h"

#include "core/clock.h"

#define LOOK_DAYS 400

int sched_weekday(cb_date_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    return (int)(((day + 3) % 7 + 7) % 7) + 1;
}

int sched_is_day(const sched_spec_t *s, cb_date_t day)
{
    int y, m, d, md;

    if (s->weekday == 0 && s->weekly_from == 0)
        return 1;
    date_to_ymd(day, &y, &m, &d);
    md = m * 100 + d;
    if (s->daily_from > 0 && md >= s->daily_from)
        return 1;
    if (md < s->weekly_from)
        return 0;
    return s->weekday == 0 || sched_weekday(day) == s->weekday;
}

int64_t sched_prev_slot(const sched_spec_t *s, int64_t now)
{
    cb_date_t today = clock_day(now);

    for (cb_date_t day = today; day > today - LOOK_DAYS; day--) {
        int64_t at = clock_at(day, s->at);
        if (at <= now && sched_is_day(s, day))
            return at;
    }
    return 0;
}

int64_t sched_next_slot(const sched_spec_t *s, int64_t now)
{
    cb_date_t today = clock_day(now);

    for (cb_date_t day = today; day < today + LOOK_DAYS; day++) {
        int64_t at = clock_at(day, s->at);
        if (at > now && sched_is_day(s, day))
            return at;
    }
    return 0;
}
