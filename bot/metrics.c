/* SPDX-License-Identifier: MIT */
#include "bot/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* Latency bucket bounds in seconds (Prometheus' "le"); the last is +Inf. */
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NB (sizeof bounds / sizeof bounds[0])

static const char *const route_name[MR__COUNT] = {
    "payments", "kannel_mo", "kannel_dlr", "wechat", "api", "healthz", "metrics", "other"};
static const char *const pay_name[MP__COUNT] = {"matched", "unmatched", "replay",
                                                "conflict", "late",      "refused"};

struct metrics {
    atomic_ullong requests[MR__COUNT][5]; /* by status class 1xx..5xx */
    atomic_ullong buckets[MR__COUNT][NB + 1];
    atomic_ullong micros[MR__COUNT];      /* sum of latencies in microseconds */
    atomic_ullong payments[MP__COUNT];
};

metrics_t *metrics_create(void)
{
    return xcalloc(1, sizeof(metrics_t));
}

void metrics_destroy(metrics_t *m)
{
    free(m);
}

metrics_route_t metrics_route_of(const char *path)
{
    static const struct { const char *prefix; metrics_route_t r; } map[] = {
        {"/hooks/payments", MR_PAYMENTS}, {"/kannel/mo", MR_KANNEL_MO},
        {"/kannel/dlr", MR_KANNEL_DLR},   {"/hooks/wechat", MR_WECHAT},
        {"/api/", MR_API},                {"/healthz", MR_HEALTH},
        {"/metrics", MR_METRICS}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strncmp(path, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].r;
    }
    return MR_OTHER;
}

void metrics_request(metrics_t *m, metrics_route_t r, unsigned status, double seconds)
{
    unsigned cls = status / 100;
    size_t b = 0;

    if (cls < 1 || cls > 5)
        cls = 5;
    atomic_fetch_add(&m->requests[r][cls - 1], 1);
    while (b < NB && seconds > bounds[b])
        b++;
    atomic_fetch_add(&m->buckets[r][b], 1);
    atomic_fetch_add(&m->micros[r], (unsigned long long)(seconds * 1e6));
}

void metrics_payment(metrics_t *m, metrics_pay_t outcome)
{
    atomic_fetch_add(&m->payments[outcome], 1);
}

void metrics_render(const metrics_t *m, cb_buf_t *b)
{
    buf_printf(b, "# HELP canbao_http_requests_total HTTP requests answered.\n"
                                  "# TYPE canbao_http_requests_total counter\n");
    for (int r = 0; r < MR__COUNT; r++) {
        for (int c = 0; c < 5; c++) {
            unsigned long long v = atomic_load(&m->requests[r][c]);
            if (v > 0)
                buf_printf(b,
                               "canbao_http_requests_total{route=\"%s\",code=\"%dxx\"} %llu\n",
                               route_name[r], c + 1, v);
        }
    }
    buf_printf(b, "# HELP canbao_http_request_seconds Time to answer.\n"
                                  "# TYPE canbao_http_request_seconds histogram\n");
    for (int r = 0; r < MR__COUNT; r++) {
        unsigned long long cum = 0;
        for (size_t k = 0; k <= NB; k++) {
            cum += atomic_load(&m->buckets[r][k]);
            if (k < NB)
                buf_printf(b,
                               "canbao_http_request_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                               route_name[r], bounds[k], cum);
            else
                buf_printf(b,
                               "canbao_http_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                               "canbao_http_request_seconds_sum{route=\"%s\"} %.6f\n"
                               "canbao_http_request_seconds_count{route=\"%s\"} %llu\n",
                               route_name[r], cum, route_name[r],
                               (double)atomic_load(&m->micros[r]) / 1e6, route_name[r], cum);
        }
    }
    buf_printf(b, "# HELP canbao_payments_total Payment confirmations by outcome.\n"
                                  "# TYPE canbao_payments_total counter\n");
    for (int p = 0; p < MP__COUNT; p++)
        buf_printf(b, "canbao_payments_total{outcome=\"%s\"} %llu\n", pay_name[p],
                       (unsigned long long)atomic_load(&m->payments[p]));
}
