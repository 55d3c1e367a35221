/* SPDX-License-Identifier: MIT */
/*
 * routes.h - the daemon's HTTP endpoints (routes.c lists them) and what they share
 * with the daemon's wiring (app/serve.c: threads, signals, reload).
 *
 * Threads: the HTTP thread (httpd: every handler, and the read-only 'reader'
 * connection), the writer (ingest: payments and delivery reports, group commit), the
 * dispatcher (its own connection, the channels and the outbox loop), with an "mqtt"
 * section the progress feed (jobs/progress_feed.h: its own connection and MQTT client
 * thread; the writer hands it committed status changes), and main (signals).
 */
#ifndef CB_BOT_ROUTES_H
#define CB_BOT_ROUTES_H

#include <signal.h>
#include <stdint.h>

#include "bot/ingest.h"
#include "channels/channel.h"
#include "bot/metrics.h"
#include "core/clock.h"
#include "core/policy.h"
#include "net/httpd.h"
#include "store/store.h"

/* The deployment config's "serve" section: where the daemon listens, its limits, the
 * secrets of its endpoints. A secret left unset disables its endpoint (503). */
typedef struct serve_cfg {
    char *addr;                /* listen address (default 127.0.0.1) */
    int port;                  /* (default 8080; 0: ephemeral, printed at start) */
    char *payment_secret;      /* HMAC key of POST /hooks/payments */
    char *kannel_secret;       /* shared secret in Kannel's MO and DLR URLs (?secret=) */
    char *wechat_secret;       /* HMAC key of POST /hooks/wechat */
    char *wechat_mp_token;     /* the Official Account's server token (GET/POST /wechat/mp) */
    char *api_token;           /* bearer token of GET /api/... */
    int max_body, max_connections, timeout_s, skew_s;
    int max_per_address;       /* connections from one client address (0: no limit) */
    int deadline_s;            /* for a whole request to arrive (headers and body) */
    char *reply_route;         /* route of replies and thank-yous (default "sms") */
} serve_cfg_t;

typedef struct server {
    const serve_cfg_t *serve; /* the "serve" section; not reloaded */
    const cb_clock_t *clock;  /* the campaign clock: today's date of checks and figures */
    const policy_t *pol;
    int64_t campaign;
    store_t *reader;          /* HTTP thread only */
    metrics_t *metrics;
    ingest_t *ingest;
    /* The channels of the config at start (their callback secrets and types, for the
     * providers' pushes); borrowed, not reloaded. */
    channel_t *const *chans;
    size_t nchans;
    volatile sig_atomic_t closing; /* new work gets 503 */
} server_t;

/* The httpd handler ('ud' is the server_t). */
void serve_handle(void *ud, httpd_req_t *req);
/* The httpd done callback: metrics. */
void serve_done(void *ud, const char *path, unsigned status, double seconds);

#endif
