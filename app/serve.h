/* SPDX-License-Identifier: MIT */
/*
 * serve.h - the daemon's pieces, shared by serve.c (life cycle: threads, signals,
 * reload) and serve_routes.c (the HTTP endpoints). Internal to app/.
 *
 * Threads: the HTTP thread (httpd: every handler, and the read-only 'reader'
 * connection), the writer (ingest: payments and delivery reports, group commit), the
 * dispatcher (its own connection, the channels and the outbox loop), with an "mqtt"
 * section the progress feed (progress_feed.h: its own connection and MQTT client
 * thread; the writer hands it committed status changes), and main (signals).
 */
#ifndef CB_APP_SERVE_H
#define CB_APP_SERVE_H

#include <signal.h>
#include <stdint.h>

#include "app/cli.h"
#include "app/config.h"
#include "app/ingest.h"
#include "app/metrics.h"
#include "core/policy.h"
#include "net/httpd.h"
#include "store/store.h"

typedef struct server {
    const cli_t *cli;
    const app_serve_t *serve; /* the "serve" section; not reloaded */
    const policy_t *pol;
    int64_t campaign;
    store_t *reader;          /* HTTP thread only */
    metrics_t *metrics;
    ingest_t *ingest;
    volatile sig_atomic_t closing; /* new work gets 503 */
} server_t;

/* The httpd handler ('ud' is the server_t). */
void serve_handle(void *ud, httpd_req_t *req);
/* The httpd done callback: metrics. */
void serve_done(void *ud, const char *path, unsigned status, double seconds);

#endif
