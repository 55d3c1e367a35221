/* SPDX-License-Identifier: MIT */
/*
 * cb_test_gateway: a fake of every HTTP gateway canbao talks to (WeCom and DingTalk
 * robots, the signed outbound webhook, a generic JSON SMS API, Kannel's MO/DLR callbacks
 * and a do-nothing sink). Test code only: it lives under tests/ and links no canbao module.
 *
 * gateway_main.c owns the server (libmicrohttpd, options, fault modes, stats, the log);
 * gateway_check.c owns the request checks, one function per endpoint.
 */
#ifndef CB_TESTS_GATEWAY_GATEWAY_H
#define CB_TESTS_GATEWAY_GATEWAY_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stddef.h>

#define GW_BODY_MAX (64 * 1024) /* larger bodies get 413 */

/* Per-robot send limit (--robot-limit): WeCom and DingTalk allow 20 messages a minute. */
#define GW_ROBOT_PER_MIN 20
#define GW_ROBOT_KEYS    256

struct gw_robot_slot {
    char key[96];                     /* "wecom:<key>" or "dingtalk:<token>" */
    double sent[GW_ROBOT_PER_MIN];    /* ring of the last accepted sends (unix s) */
    int next;
};

struct gw_limiter {
    pthread_mutex_t lock;
    int on;
    int used;
    struct gw_robot_slot slot[GW_ROBOT_KEYS];
};

/* What the checks may read: constant after start-up except the limiter (locked). */
struct gw_ctx {
    const char *secret;   /* webhook HMAC key, DingTalk secret, SMS bearer token */
    int sms_auth;         /* --sms-auth: /sms needs "Authorization: Bearer <secret>" */
    struct gw_limiter limiter;
};

/* One request as the checks see it: the raw query (after '?', or ""), the raw body
 * (NUL-terminated, len bytes) and the headers the checks need (NULL when absent). */
struct gw_request {
    const char *query;
    const char *body;
    size_t len;
    const char *auth;      /* Authorization */
    const char *ts;        /* X-Canbao-Timestamp */
    const char *sig;       /* X-Canbao-Signature */
    const char *idem;      /* Idempotency-Key */
};

/* A check's verdict. body is malloc'd JSON text. log is the JSON log line for an
 * accepted message (NULL when rejected); dedupe, when set, names the message for
 * duplicate counting (points into log). The caller frees body and log. */
struct gw_verdict {
    unsigned status;
    char *body;
    cJSON *log;
    const char *dedupe;
};

void gw_check_wecom(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v);
void gw_check_dingtalk(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v);
void gw_check_webhook(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v);
void gw_check_sms(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v,
                  unsigned long seq);
/* GET /mo and GET /dlr: log every query parameter. */
void gw_check_callback(const struct gw_request *rq, struct gw_verdict *v);

/* Decodes a query string ('+' is a space, %XX a byte) into an object of strings; a value
 * that is not valid UTF-8 becomes "hex:<hex bytes>". Returns NULL only when out of memory. */
cJSON *gw_query_parse(const char *query);

/* Wall clock in seconds, with milliseconds. */
double gw_now(void);

#endif
