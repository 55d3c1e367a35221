/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - the daemon's counters for /metrics (Prometheus text format 0.0.4):
 * requests by route and status class, request latency histograms by route,
 * payment confirmations by outcome. Counters are atomics, safe from any thread.
 */
#ifndef CB_BOT_METRICS_H
#define CB_BOT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef enum metrics_route {
    MR_PAYMENTS, MR_KANNEL_MO, MR_KANNEL_DLR, MR_WECHAT, MR_API, MR_HEALTH, MR_METRICS,
    MR_OTHER, MR__COUNT
} metrics_route_t;

typedef enum metrics_pay {
    MP_MATCHED, MP_UNMATCHED, MP_REPLAY, MP_CONFLICT, MP_LATE, MP_REFUSED, MP__COUNT
} metrics_pay_t;

typedef struct metrics metrics_t;

metrics_t *metrics_create(void);
void metrics_destroy(metrics_t *m);

metrics_route_t metrics_route_of(const char *path);
void metrics_request(metrics_t *m, metrics_route_t r, unsigned status, double seconds);
void metrics_payment(metrics_t *m, metrics_pay_t outcome);

/* A growing text buffer; start zeroed, free(p) when done. */

/* Append the text exposition to 'b'. */
void metrics_render(const metrics_t *m, cb_buf_t *b);

#endif
