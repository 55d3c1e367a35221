/* SPDX-License-Identifier: MIT */
/*
 * httpd.h - a small HTTP server over libmicrohttpd: one polling thread (poll(2)),
 * whole request bodies handed to one handler, limits on connections (in all and per
 * client address), on the time a request may take to arrive, header memory and body
 * size, and deferred answers: a handler may hand the request to another thread and
 * answer it from there (the connection is suspended meanwhile), which is how a
 * confirmation is answered only once its transaction is on disk.
 *
 * Overload: past max_connections a new connection takes the slot of the one that has
 * waited longest (over a second) for its request, or is closed at once; a request
 * whose headers and body have not all arrived within deadline_s of the connection's
 * accept (or of its previous answer) is closed (net/httpd_guard.h).
 *
 * Threading: the handler runs on the server's thread. httpd_respond() may be called
 * from any thread, exactly once per request.
 */
#ifndef CB_NET_HTTPD_H
#define CB_NET_HTTPD_H

#include <stddef.h>

#include "core/compiler.h"

typedef struct httpd httpd_t;
typedef struct httpd_req httpd_req_t;

/* Called for every complete request (body read). Answer with httpd_respond, now or
 * later after httpd_defer. */
typedef void httpd_handler_fn(void *ud, httpd_req_t *req);
/* Called when an answer went out: for metrics. */
typedef void httpd_done_fn(void *ud, const char *path, unsigned status, double seconds);

typedef struct httpd_opts {
    const char *addr;          /* IPv4 address to bind (default "127.0.0.1") */
    int port;                  /* 0: an ephemeral port (see httpd_port) */
    size_t max_body;           /* larger bodies get 413 (default 65536) */
    unsigned max_connections;  /* (default 512) */
    unsigned max_per_address;  /* connections from one client address (0: no limit) */
    unsigned timeout_s;        /* idle connection timeout (default 10) */
    unsigned deadline_s;       /* a whole request, headers and body (default 10) */
    size_t max_header_bytes;   /* per-connection memory for headers (default 16384) */
    httpd_done_fn *done;       /* may be NULL */
} httpd_opts_t;

/* Start serving; 'ud' goes to the handler and 'done'. */
CB_NODISCARD int httpd_start(const httpd_opts_t *o, httpd_handler_fn *handler, void *ud,
                             httpd_t **out, char *err, size_t errlen);
int httpd_port(const httpd_t *h);
/* Stop accepting new connections (in-flight requests go on). */
void httpd_quiesce(httpd_t *h);
/* Stop and free. Every deferred request must have been answered. NULL: no-op. */
void httpd_stop(httpd_t *h);

/* The request, valid until it is answered. */
const char *httpd_method(const httpd_req_t *r);
const char *httpd_path(const httpd_req_t *r);
const char *httpd_header(const httpd_req_t *r, const char *name); /* NULL when absent */
const char *httpd_query(const httpd_req_t *r, const char *name);  /* NULL when absent */
/* 1 when a query name or value holds a NUL (%00): httpd_query would cut it short. */
int httpd_query_has_nul(const httpd_req_t *r);
const char *httpd_body(const httpd_req_t *r, size_t *len);        /* NUL-terminated */

/* The handler will answer later, from any thread. */
void httpd_defer(httpd_req_t *r);
/* Answer (copies 'body'). Exactly once per request. */
void httpd_respond(httpd_req_t *r, unsigned status, const char *content_type, const char *body,
                   size_t len);
/* httpd_respond with a JSON object {"error": message} (message escaped). */
void httpd_error(httpd_req_t *r, unsigned status, const char *message);

#endif
