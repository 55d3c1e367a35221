/* SPDX-License-Identifier: MIT */
/*
 * dispatch.h - drains the outbox through the channels: claims due rows with a
 * lease, applies opt-outs, quiet hours, per-recipient caps, per-channel rate limits
 * and circuit breakers, sends concurrently (every channel shares one httpc, one
 * libcurl multi handle), and records the results in batches.
 *
 * Outcomes: accepted -> sent; a temporary failure -> retried with exponential
 * backoff and jitter, first on another channel of the route when there is one
 * (failover, recorded in the row's channels_tried); a permanent failure, an opt-out
 * (except the reply confirming it, template optout_ack) or too many attempts -> failed. Quiet hours, caps, an open breaker on every
 * channel of the route, or a rate limit that would hold a message for long ->
 * deferred (queued again for later, the attempt given back).
 * A message sent on a channel that is polled (dingtalk_work) is asked about later
 * (jobs/dispatch_poll.h): the answer makes it delivered or failed.
 *
 * Threading: one thread; the store, the httpc and the channels belong to it.
 */
#ifndef CB_JOBS_DISPATCH_H
#define CB_JOBS_DISPATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"
#include "core/compiler.h"
#include "net/httpc.h"
#include "store/store.h"

/* A route: the channels a message for it may use, in order (the first that is up
 * and allowed wins; the next ones are for failover). */
typedef struct dispatch_route {
    char *name;            /* "sms", "robot", ... or a channel's own name */
    channel_t **chans;
    size_t nchans;
    const char *kind;      /* what opt-outs are recorded against: "sms", "robot", ... */
    int resident_sms;      /* quiet hours and caps apply (the "sms" route) */
} dispatch_route_t;

/* The route named 'name' among 'n' routes, or NULL. */
const dispatch_route_t *dispatch_route_find(const dispatch_route_t *routes, size_t n,
                                            const char *name);

typedef struct dispatch_cfg {
    int concurrency;         /* messages in flight at once (default 64) */
    int claim;               /* rows claimed at a time (default 512) */
    int lease_s;             /* lease of a claimed row (default 300) */
    int max_attempts;        /* then failed (default 8) */
    double backoff_base_s;   /* first retry delay (default 30) */
    double backoff_cap_s;    /* longest retry delay (default 3600) */
    int quiet_start_min;     /* resident SMS quiet hours, local minutes (default 21:00) */
    int quiet_end_min;       /* (default 08:00); equal: none */
    int utc_offset_s;        /* the county's offset from UTC (default 28800) */
    int cap_day, cap_week;   /* reminders per recipient (default 1 and 3; 0: no cap) */
    int breaker_threshold;   /* temporary failures in a row that open it (default 5) */
    double breaker_cooldown_s; /* (default 60) */
    int flush_every;         /* results per write transaction (default 512) */
    /* Channels that are polled (channel_can_poll): the first question this long after
     * a message went out, then twice as late each time (at most backoff_cap_s), at
     * most poll_max questions (defaults 30 and 8; 0: never ask). */
    int poll_first_s, poll_max;
    /* The campaign clock (unix seconds) for leases, quiet hours and caps; NULL: time(). */
    int64_t (*now)(void *ud);
    void *now_ud;
} dispatch_cfg_t;

/* Fill 'c' with the defaults above. */
void dispatch_cfg_defaults(dispatch_cfg_t *c);

typedef struct dispatch_stats {
    uint64_t sent, retried, deferred, failed, failovers;
} dispatch_stats_t;

typedef struct dispatch dispatch_t;

/* 'routes' and everything they point to are borrowed and must outlive the
 * dispatcher; 'cfg' is copied. */
dispatch_t *dispatch_create(store_t *st, httpc_t *http, const dispatch_route_t *routes,
                            size_t nroutes, const dispatch_cfg_t *cfg);
void dispatch_destroy(dispatch_t *d);

/*
 * Send until the outbox has nothing due ('once'), or until *stop becomes nonzero
 * (then it stops claiming, finishes what is in flight and records it). Returns
 * CB_OK or a negative CB_E* (a database failure). Adds to *stats when not NULL.
 */
CB_NODISCARD int dispatch_run(dispatch_t *d, int once, volatile sig_atomic_t *stop,
                              dispatch_stats_t *stats);

#endif
