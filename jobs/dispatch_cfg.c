/* SPDX-License-Identifier: MIT */
/* dispatch_cfg.c - the dispatcher's settings and routes: defaults, and a route by name. */
#include <string.h>

#include "core/clock.h"
#include "jobs/dispatch.h"

void dispatch_cfg_defaults(dispatch_cfg_t *c)
{
    memset(c, 0, sizeof *c);
    c->concurrency = 64;
    c->claim = 512;
    c->lease_s = 300;
    c->max_attempts = 8;
    c->backoff_base_s = 30;
    c->backoff_cap_s = 3600;
    c->quiet_start_min = 21 * 60;
    c->quiet_end_min = 8 * 60;
    c->utc_offset_s = CB_CHINA_OFFSET;
    c->cap_day = 1;
    c->cap_week = 3;
    c->breaker_threshold = 5;
    c->breaker_cooldown_s = 60;
    c->flush_every = 512;
    c->poll_first_s = 30;
    c->poll_max = 8;
}

const dispatch_route_t *dispatch_route_find(const dispatch_route_t *routes, size_t n,
                                            const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(routes[i].name, name) == 0)
            return &routes[i];
    }
    return NULL;
}
