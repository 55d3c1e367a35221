/* SPDX-License-Identifier: MIT */
/*
 * ingest.h - the daemon's single writer: inbound facts (payment confirmations,
 * delivery reports) queue here from the HTTP thread, and one thread applies
 * whatever has arrived together in one transaction with synchronous=FULL (group
 * commit), then answers each request. An answer therefore always means "on disk".
 *
 * Threading: ingest_submit from any thread; everything else from the owner.
 */
#ifndef CB_BOT_INGEST_H
#define CB_BOT_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "bot/metrics.h"
#include "core/clock.h"
#include "core/compiler.h"
#include "core/policy.h"
#include "core/status.h"
#include "net/httpd.h"
#include "templates/tplset.h"

typedef struct ingest ingest_t;

/* INGEST_WECHAT: a push from a resident's WeChat account (bot/wechat_bind.h). */
typedef enum ingest_kind { INGEST_PAYMENT, INGEST_DLR, INGEST_REPLY, INGEST_WECHAT } ingest_kind_t;

/* One fact; the strings are copied by ingest_submit. */
typedef struct ingest_fact {
    ingest_kind_t kind;
    /* INGEST_PAYMENT */
    const char *receipt, *id_number, *channel, *paid_at, *name;
    int64_t amount_fen;
    /* INGEST_DLR: the outbox row, whether delivered, the gateway's text */
    int64_t outbox_id;
    int delivered;
    const char *error;
    const char *gateway_id; /* when outbox_id is 0: the provider's id of the message */
    /* INGEST_REPLY: a resident's message for bot_handle, 'channel' being "kannel"
     * (answered with an empty 200) or "wechat" (JSON) */
    const char *msg_id, *sender, *text;
    /* INGEST_WECHAT: the openid, with msg_id and text for a text, text NULL for an
     * unsubscribe */
    const char *account;
} ingest_fact_t;

typedef struct ingest_cfg {
    const char *db;          /* database path: the writer opens its own connection */
    const policy_t *pol;     /* borrowed */
    int64_t campaign;
    tplset_t *tpl;           /* payment_thanks and the bot's answers; owned by the
                              * ingest once ingest_start succeeds */
    const char *reply_route; /* route of answers and thank-you messages ("sms") */
    const char *optout_kind; /* what that route's opt-outs are recorded against */
    int max_segments;        /* longest answer in SMS parts */
    metrics_t *metrics;      /* borrowed */
    int max_batch;           /* facts per transaction (default 1024) */
    /* Called on the writer thread after each commit that changed a person's status,
     * with every change of the batch (borrowed for the call); must not block. NULL:
     * nobody listens. */
    void (*on_changes)(void *ud, const status_change_t *c, size_t n);
    void *changes_ud;
    const cb_clock_t *clock; /* the campaign clock (borrowed); NULL: real time */
    /* The WeChat route (a wechat_mp channel's name) and its opt-out kind, for
     * INGEST_WECHAT's answers; NULL: such facts change nothing. */
    const char *wechat_route, *wechat_kind;
} ingest_cfg_t;

CB_NODISCARD int ingest_start(const ingest_cfg_t *cfg, ingest_t **out, char *err, size_t errlen);
/* Queue 'f' and answer 'req' once it is applied and committed (replies: after
 * bot_handle, bot/reply.h). */
void ingest_submit(ingest_t *in, const ingest_fact_t *f, httpd_req_t *req);
/* Queue the 'n' facts of one provider push (Aliyun and Tencent push many reports in
 * one request) and answer 'req' once, after the commit that holds every one of them:
 * 200 with 'ack' (JSON, the provider's "received"), or 503 when the batch failed so
 * the provider pushes again. The facts' own answers are not sent. n 0: 'ack' now. */
void ingest_submit_many(ingest_t *in, const ingest_fact_t *f, size_t n, const char *ack,
                        httpd_req_t *req);
/* Use 'tpl' from the next batch on (taken over: the writer frees the set it
 * replaces, so any number of reloads costs nothing). */
void ingest_set_templates(ingest_t *in, tplset_t *tpl);
/* Apply and answer everything queued, then stop the thread and close. NULL: no-op. */
void ingest_stop(ingest_t *in);

#endif
