/* SPDX-License-Identifier: MIT */
/*
 * httpc.h - an HTTP client: one libcurl multi handle driving many requests at once,
 * with keep-alive connections and reused easy handles.
 *
 * Threading: an httpc_t is used from one thread (the loop thread); every callback
 * runs on that thread from inside httpc_run(). main() calls httpc_global_init()
 * once before any thread starts, and httpc_global_cleanup() at exit.
 *
 * Async contract (libuv's): httpc_start() either returns CB_OK and later calls
 * 'done' exactly once from httpc_run(), or returns a negative CB_E* and never calls
 * it. httpc_destroy() drops what is still in flight without calling back.
 */
#ifndef CB_NET_HTTPC_H
#define CB_NET_HTTPC_H

#include <stddef.h>

#include "core/compiler.h"

typedef struct httpc httpc_t;

/* libcurl's process-wide setup and teardown (curl_global_init/cleanup). */
CB_NODISCARD int httpc_global_init(void);
void httpc_global_cleanup(void);

/* Response bodies are cut off at this size: the transfer fails with an error. */
#define HTTPC_MAX_BODY (64 * 1024)
/* The whole-request timeout used when httpc_req_t.timeout_ms is 0. */
#define HTTPC_DEFAULT_TIMEOUT_MS 10000L

/* A request. Everything is copied by httpc_start, so it may live on the stack. */
typedef struct httpc_req {
    const char *method;         /* "GET" or "POST" */
    const char *url;            /* http:// or https:// only */
    const char *const *headers; /* NULL-terminated "Name: value" lines, may be NULL (see
                                   httpc_start for what is refused) */
    const char *body;           /* POST body (may be NULL for an empty body) */
    size_t body_len;
    long timeout_ms;            /* whole request; 0 = HTTPC_DEFAULT_TIMEOUT_MS */
} httpc_req_t;

/* What came back. Borrowed: valid only during the done callback. */
typedef struct httpc_resp {
    long status;             /* HTTP status; 0 when no HTTP answer arrived */
    const char *body;        /* never NULL; NUL-terminated (the NUL is not in body_len) */
    size_t body_len;
    int curl_code;           /* CURLcode; 0 (CURLE_OK) on a complete exchange */
    const char *error;       /* transport error text (timeout, refused, body too big) or NULL */
    const char *retry_after; /* the Retry-After header's value, or NULL */
    int refused;             /* 1: never sent, a header line or the URL was refused
                                ('error' says which); sending it again cannot help */
} httpc_resp_t;

typedef void httpc_done_fn(void *ud, const httpc_resp_t *resp);

/*
 * Create a client that keeps at most 'max_concurrency' connections open in total
 * and 'max_host_connections' to any one host (0 = no per-host cap). At most
 * 'max_concurrency' requests are on the wire at once; later ones wait in a FIFO
 * queue inside the client. CB_EINVAL for max_concurrency < 1 or a negative
 * per-host cap, CB_ENOMEM when libcurl cannot allocate. On failure *out is NULL.
 */
CB_NODISCARD int httpc_create(int max_concurrency, int max_host_connections, httpc_t **out);

/*
 * Queue 'req'; 'done' is called with 'ud' exactly once from a later httpc_run().
 * Never touches the network and never blocks. May be called from a done callback.
 * CB_EINVAL for a missing url or done, or a method other than GET and POST.
 *
 * Every header line must be a token name, ':' and a value without CR, LF or any
 * other control character but tab (a NUL cannot occur: it ends the C string), and
 * the URL must hold no space or control character. A request that breaks this is
 * never sent, no byte of it: 'done' gets status 0, refused = 1 and an error naming
 * the header (its value is not quoted) or the URL.
 * This is the one place that keeps a value from outside (an idempotency key made
 * from a receipt or a message id) from adding headers or a second request.
 */
CB_NODISCARD int httpc_start(httpc_t *c, const httpc_req_t *req, httpc_done_fn *done, void *ud);

/*
 * Drive the transfers: waits at most 'timeout_ms' for network activity (less when
 * libcurl has a timer due), then completes what it can, calling the done callbacks.
 * Returns the number of requests still in flight (queued included, >= 0), or a
 * negative CB_E* when libcurl's multi interface fails. A callback must not call
 * httpc_run or httpc_destroy on the same client.
 */
int httpc_run(httpc_t *c, int timeout_ms);

/* Requests started and not yet called back (queued ones included). */
size_t httpc_inflight(const httpc_t *c);

/*
 * One opaque object that lives as long as the client, for what every user of this
 * client shares (channels/chan_token.c: the access tokens of the process). 'release'
 * (may be NULL) is called with it by httpc_destroy. Setting it again releases nothing:
 * the caller owns what it replaces. httpc_ext returns NULL until it is set.
 */
void httpc_set_ext(httpc_t *c, void *ext, void (*release)(void *ext));
void *httpc_ext(const httpc_t *c);

/* Abort everything in flight without calling back, close connections, release the
 * attachment, free. NULL is a no-op. */
void httpc_destroy(httpc_t *c);

#endif
