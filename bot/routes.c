/* SPDX-License-Identifier: MIT */
/*
 * serve_routes.c - the daemon's HTTP endpoints:
 *   GET  /healthz                  liveness
 *   GET  /metrics                  Prometheus text
 *   POST /hooks/payments           a signed payment confirmation (group-committed)
 *   GET  /kannel/dlr?secret=..     a Kannel delivery report for an outbox row
 *   GET  /kannel/mo?secret=..      a resident's SMS (Kannel get-url), for the bot
 *   POST /hooks/wechat             a signed WeChat-style reply, for the bot
 *   POST /hooks/aliyun/report|mo?channel=NAME&secret=..   Aliyun's pushed delivery
 *   POST /hooks/tencent/status|reply?channel=NAME&secret=..  reports and replies, and
 *                                  Tencent's (several in one push, answered once)
 *   GET  /wechat/mp                the Official Account's URL check (echostr)
 *   POST /wechat/mp                its pushes: TEMPLATESENDJOBFINISH -> the outbox row
 *   GET  /api/progress[?by=L]      progress (bearer token)
 *   GET  /api/residents/ID         one resident (bearer token), ID masked
 * A bad request gets a 4xx with {"error": "..."} naming the problem, and changes nothing.
 */
#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/report_load.h"
#include "bot/routes.h"
#include "bot/hooks.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/mem.h"
#include "core/progress.h"
#include "net/sign.h"
#include "store/store_outbox.h"
#include "store/store_roster.h"
#include "store/store_wechat.h"

static int is(const httpd_req_t *r, const char *method, const char *path)
{
    return strcmp(httpd_method(r), method) == 0 && strcmp(httpd_path(r), path) == 0;
}

static void reply_json(httpd_req_t *r, unsigned status, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    httpd_respond(r, status, "application/json", s, strlen(s));
    free(s);
    cJSON_Delete(o);
}

/* Constant-time equality of a presented secret with the configured one. */
static int secret_ok(const char *given, const char *want)
{
    size_t n = want ? strlen(want) : 0;
    return given != NULL && n > 0 && strlen(given) == n && CRYPTO_memcmp(given, want, n) == 0;
}

/* Kannel's calls carry the shared secret as ?secret=; 0 (and answered) when wrong. */
static int kannel_ok(const server_t *s, httpd_req_t *r)
{
    if (secret_ok(httpd_query(r, "secret"), s->serve->kannel_secret))
        return 1;
    httpd_error(r, s->serve->kannel_secret ? 401 : 503, "a valid secret is required");
    return 0;
}

static int bearer_ok(const server_t *s, httpd_req_t *r)
{
    const char *h = httpd_header(r, "Authorization");
    if (s->serve->api_token == NULL) {
        httpd_error(r, 503, "the API is not configured (serve.api_token)");
        return 0;
    }
    if (h == NULL || strncmp(h, "Bearer ", 7) != 0 || !secret_ok(h + 7, s->serve->api_token)) {
        httpd_error(r, 401, "a valid 'Authorization: Bearer TOKEN' is required");
        return 0;
    }
    return 1;
}

/* Check a signed body; 0 (and answered) when it fails. */
static int signed_ok(const server_t *s, httpd_req_t *r, const char *secret, const char *what)
{
    size_t len;
    const char *body = httpd_body(r, &len);
    sign_check_t sc;

    if (secret == NULL) {
        char msg[120];
        snprintf(msg, sizeof msg, "%s are not configured", what);
        httpd_error(r, 503, msg);
        return 0;
    }
    sc = sign_verify(secret, httpd_header(r, "X-Canbao-Timestamp"),
                     httpd_header(r, "X-Canbao-Signature"), body, len, (int64_t)time(NULL),
                     s->serve->skew_s);
    if (sc != SIGN_OK) {
        httpd_error(r, 401, sign_reason(sc));
        return 0;
    }
    return 1;
}

static void payments(server_t *s, httpd_req_t *r)
{
    size_t len;
    const char *body = httpd_body(r, &len);
    hook_payment_t p;
    char why[256];

    if (!signed_ok(s, r, s->serve->payment_secret, "payment confirmations (serve.payment_secret)"))
        return;
    if (hook_payment_parse(body, len, clock_day(clock_now(s->clock)), &p, why, sizeof why) < 0) {
        httpd_error(r, 400, why);
        return;
    }
    ingest_fact_t f = {.kind = INGEST_PAYMENT, .receipt = p.receipt, .id_number = p.id_number,
                       .channel = p.channel[0] ? p.channel : NULL,
                       .paid_at = p.paid_at[0] ? p.paid_at : NULL,
                       .name = p.name[0] ? p.name : NULL, .amount_fen = p.amount_fen};
    ingest_submit(s->ingest, &f, r); /* answered after the commit */
}

static const char *query_of(void *ud, const char *name)
{
    return httpd_query(ud, name);
}

/* The events of one provider call, for the writer: a call brings one (Kannel). */
typedef struct inbound_events {
    ch_event_t ev;
    size_t n;
} inbound_events_t;

static void take_event(void *ud, const ch_event_t *ev)
{
    inbound_events_t *e = ud;
    if (e->n++ == 0)
        e->ev = *ev;
}

static void to_bot(server_t *s, httpd_req_t *r, const char *channel, const char *msg_id,
                   const char *sender, const char *text)
{
    ingest_fact_t f = {.kind = INGEST_REPLY, .channel = channel, .msg_id = msg_id,
                       .sender = sender, .text = text};
    ingest_submit(s->ingest, &f, r);
}

/* Kannel's dlr-url (...?secret=S&id=ROW&status=%d&reply=%A) and get-url
 * (...?secret=S&from=%p&to=%P&text=%b&id=%I), parsed by the Kannel driver
 * (channels/drv_kannel_in.c). Only final delivery events change the row. */
static void kannel(server_t *s, httpd_req_t *r, const char *what)
{
    ch_inbound_t in = {.what = what, .param = query_of, .param_ud = r, .body = "", .body_len = 0};
    inbound_events_t e = {.n = 0};
    char ack[8], why[200];

    if (!kannel_ok(s, r))
        return;
    if (channel_inbound("kannel", &in, take_event, &e, ack, sizeof ack, why, sizeof why) < 0) {
        httpd_error(r, 400, why);
        return;
    }
    if (e.ev.kind == CH_EV_REPLY) {
        to_bot(s, r, "kannel", e.ev.msg_id, e.ev.from, e.ev.text);
    } else if (!e.ev.final) {
        httpd_respond(r, 200, "application/json", "{\"status\":\"not final\"}", 22);
    } else {
        ingest_fact_t f = {.kind = INGEST_DLR, .outbox_id = e.ev.outbox_id,
                           .delivered = e.ev.delivered, .error = e.ev.error};
        ingest_submit(s->ingest, &f, r);
    }
}

/* The facts of one push, for ingest_submit_many. */
typedef struct push_facts {
    ingest_fact_t *f;
    ch_event_t *ev; /* the strings the facts point to */
    size_t n, cap;
    const char *channel;
} push_facts_t;

static void take_fact(void *ud, const ch_event_t *ev)
{
    push_facts_t *p = ud;

    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        p->ev = xrealloc(p->ev, p->cap * sizeof *p->ev);
    }
    p->ev[p->n++] = *ev;
}

/* The channel of type 'type' named by ?channel= (absent: the first of the type). */
static const channel_t *push_channel(const server_t *s, httpd_req_t *r, const char *type)
{
    const char *name = httpd_query(r, "channel");

    for (size_t i = 0; i < s->nchans; i++) {
        if (strcmp(channel_type(s->chans[i]), type) == 0 &&
            (name == NULL || strcmp(channel_name(s->chans[i]), name) == 0))
            return s->chans[i];
    }
    return NULL;
}

static void facts_of(push_facts_t *p)
{
    p->f = xcalloc(p->n ? p->n : 1, sizeof *p->f);
    for (size_t i = 0; i < p->n; i++) {
        const ch_event_t *e = &p->ev[i];

        if (e->kind == CH_EV_REPLY)
            p->f[i] = (ingest_fact_t){.kind = INGEST_REPLY, .channel = p->channel,
                                      .msg_id = e->msg_id, .sender = e->from,
                                      .text = e->text};
        else
            p->f[i] = (ingest_fact_t){.kind = INGEST_DLR, .outbox_id = e->outbox_id,
                                      .gateway_id = e->outbox_id > 0 ? NULL : e->msg_id,
                                      .delivered = e->delivered, .error = e->error};
    }
}

/* A cloud SMS provider's push: the channel's callback secret in ?secret= (the
 * providers sign nothing), every event parsed by the driver, applied in one
 * commit and answered once with what the provider expects. */
static void cloud_push(server_t *s, httpd_req_t *r, const char *type, const char *what)
{
    const channel_t *ch = push_channel(s, r, type);
    const char *secret = ch != NULL ? channel_callback_secret(ch) : NULL;
    size_t len;
    const char *body = httpd_body(r, &len);
    ch_inbound_t in = {.what = what, .param = query_of, .param_ud = r, .body = body,
                       .body_len = len};
    push_facts_t p = {.channel = type};
    char ack[96], why[256];

    if (ch == NULL || secret == NULL) {
        httpd_error(r, ch == NULL ? 404 : 503,
                    ch == NULL ? "no such channel of this type" : "callback_secret is not set");
        return;
    }
    if (!secret_ok(httpd_query(r, "secret"), secret)) {
        httpd_error(r, 401, "a valid secret is required");
        return;
    }
    if (channel_inbound(type, &in, take_fact, &p, ack, sizeof ack, why, sizeof why) < 0) {
        httpd_error(r, 400, why);
    } else {
        facts_of(&p);
        ingest_submit_many(s->ingest, p.f, p.n, ack, r);
    }
    free(p.f);
    free(p.ev);
}

/* {"msg_id": "...", "from": "138...", "text": "..."}, signed like the payments. */
static void wechat(server_t *s, httpd_req_t *r)
{
    size_t len;
    const char *body = httpd_body(r, &len);
    hook_reply_t m;
    char why[200];

    if (!signed_ok(s, r, s->serve->wechat_secret, "WeChat replies (serve.wechat_secret)"))
        return;
    if (hook_wechat_parse(body, len, &m, why, sizeof why) < 0)
        httpd_error(r, 400, why);
    else
        to_bot(s, r, "wechat", m.msg_id, m.phone, m.text);
}

/* A delivery event that names the gateway id its send was answered with. */
static void delivery_by_gateway(server_t *s, httpd_req_t *r, const ch_event_t *ev,
                                const char *ack)
{
    int64_t id = 0;
    int rc = store_outbox_by_gateway(s->reader, ev->msg_id, &id);

    if (rc == CB_ENOTFOUND) {
        /* Not recorded yet (the dispatcher writes results in batches): WeChat retries. */
        httpd_error(r, 503, "no outbox row with that message id yet");
        return;
    }
    if (rc < 0) {
        httpd_error(r, 500, "cannot read the outbox");
        return;
    }
    ingest_fact_t f = {.kind = INGEST_DLR, .outbox_id = id, .delivered = ev->delivered,
                       .error = ev->error};
    ingest_submit_many(s->ingest, &f, 1, ack, r); /* "success", once it is on disk */
}

/* The Official Account's server URL: ?signature=&timestamp=&nonce= signed with
 * serve.wechat_mp_token, parsed by the wechat_mp driver (channels/drv_wechat_mp_in.c). */
static void wechat_mp(server_t *s, httpd_req_t *r, const char *what)
{
    size_t len = 0;
    const char *body = strcmp(what, "push") == 0 ? httpd_body(r, &len) : "";
    ch_inbound_t in = {.what = what, .param = query_of, .param_ud = r, .body = body,
                       .body_len = len, .secret = s->serve->wechat_mp_token};
    inbound_events_t e = {.n = 0};
    char ack[80], why[200];
    int rc;

    if (s->serve->wechat_mp_token == NULL) {
        httpd_error(r, 503, "the Official Account is not configured (serve.wechat_mp_token)");
        return;
    }
    rc = channel_inbound("wechat_mp", &in, take_event, &e, ack, sizeof ack, why, sizeof why);
    if (rc < 0) {
        httpd_error(r, rc == CH_INBOUND_UNSIGNED ? 401 : 400, why);
        return;
    }
    if (e.n > 0 && e.ev.kind == CH_EV_DELIVERY) {
        delivery_by_gateway(s, r, &e.ev, ack);
    } else if (e.n > 0) { /* a resident's text or unsubscribe (bot/wechat_bind.h) */
        ingest_fact_t f = {.kind = INGEST_WECHAT, .msg_id = e.ev.msg_id,
                           .account = e.ev.account,
                           .text = e.ev.kind == CH_EV_REPLY ? e.ev.text : NULL};
        ingest_submit_many(s->ingest, &f, 1, ack, r);
    } else
        httpd_respond(r, 200, "text/plain; charset=utf-8", ack, strlen(ack));
}

static void progress(server_t *s, httpd_req_t *r)
{
    static const char *const levels[] = {"county", "township", "village", "group"};
    const char *by = httpd_query(r, "by");
    progress_t *p;
    int level = 2;

    if (!bearer_ok(s, r))
        return;
    if (by != NULL) {
        for (level = 0; level < 4 && strcmp(by, levels[level]) != 0; level++)
            ;
        if (level == 4) {
            httpd_error(r, 400, "by: must be county, township, village or group");
            return;
        }
    }
    p = progress_create();
    if (report_load_progress(s->reader, s->campaign, p) < 0) {
        progress_destroy(p);
        httpd_error(r, 500, "cannot read progress");
        return;
    }
    reply_json(r, 200, report_progress_json(p, s->pol, level, clock_day(clock_now(s->clock))));
    progress_destroy(p);
}

static void resident(server_t *s, httpd_req_t *r, const char *arg)
{
    char id[IDCARD_LEN + 1], why[160], masked[24];
    store_resident_t res;
    cJSON *o;
    int rc;

    if (!bearer_ok(s, r))
        return;
    if (idcard_check(arg, strlen(arg), clock_day(clock_now(s->clock)), id, why, sizeof why) != IDCARD_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "not a valid ID number: %s", why);
        httpd_error(r, 400, msg);
        return;
    }
    rc = store_resident_get(s->reader, s->campaign, idcard_key(id), &res);
    if (rc < 0 || res.status == NULL) {
        if (rc == CB_OK)
            store_resident_free(&res);
        httpd_error(r, rc == CB_OK || rc == CB_ENOTFOUND ? 404 : 500,
                    "not on the roster of this campaign");
        return;
    }
    mask_id(id, masked, sizeof masked);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id_number", masked);
    cJSON_AddStringToObject(o, "status", res.status);
    cJSON_AddStringToObject(o, "categories", res.categories);
    cJSON_AddNumberToObject(o, "area_id", (double)res.area_id);
    store_resident_free(&res);
    reply_json(r, 200, o);
}

static void count_outbox(void *ud, const char *status, const char *channel, int64_t n)
{
    buf_printf(ud, "canbao_outbox_messages{status=\"%s\",channel=\"%s\"} %lld\n", status,
                   channel, (long long)n);
}

static void metrics_page(server_t *s, httpd_req_t *r)
{
    cb_buf_t b = {0};

    metrics_render(s->metrics, &b);
    buf_printf(&b, "# HELP canbao_outbox_messages Outbox rows by status and channel "
                       "(queued: the queue depth).\n# TYPE canbao_outbox_messages gauge\n");
    if (store_outbox_counts(s->reader, count_outbox, &b) < 0)
        buf_printf(&b, "# the outbox could not be read\n");
    httpd_respond(r, 200, "text/plain; version=0.0.4", b.p ? b.p : "", b.len);
    buf_free(&b);
}

void serve_handle(void *ud, httpd_req_t *r)
{
    server_t *s = ud;
    const char *path = httpd_path(r);

    if (is(r, "GET", "/healthz")) {
        httpd_respond(r, s->closing ? 503 : 200, "application/json",
                      s->closing ? "{\"status\":\"closing\"}" : "{\"status\":\"ok\"}",
                      s->closing ? 20 : 15);
    } else if (is(r, "GET", "/metrics")) {
        metrics_page(s, r);
    } else if (s->closing) {
        httpd_error(r, 503, "shutting down");
    } else if (httpd_query_has_nul(r)) {
        httpd_error(r, 400, "a query value contains a NUL character");
    } else if (is(r, "POST", "/hooks/payments")) {
        payments(s, r);
    } else if (is(r, "GET", "/kannel/dlr")) {
        kannel(s, r, "dlr");
    } else if (is(r, "GET", "/kannel/mo")) {
        kannel(s, r, "mo");
    } else if (is(r, "POST", "/hooks/wechat")) {
        wechat(s, r);
    } else if (is(r, "POST", "/hooks/aliyun/report") || is(r, "POST", "/hooks/aliyun/mo")) {
        cloud_push(s, r, "aliyun_sms", path + 14);
    } else if (is(r, "POST", "/hooks/tencent/status") || is(r, "POST", "/hooks/tencent/reply")) {
        cloud_push(s, r, "tencent_sms", path + 15);
    } else if (is(r, "GET", "/wechat/mp")) {
        wechat_mp(s, r, "verify");
    } else if (is(r, "POST", "/wechat/mp")) {
        wechat_mp(s, r, "push");
    } else if (is(r, "GET", "/api/progress")) {
        progress(s, r);
    } else if (strcmp(httpd_method(r), "GET") == 0 && strncmp(path, "/api/residents/", 15) == 0) {
        resident(s, r, path + 15);
    } else {
        httpd_error(r, 404, "no such endpoint");
    }
}

void serve_done(void *ud, const char *path, unsigned status, double seconds)
{
    server_t *s = ud;
    metrics_request(s->metrics, metrics_route_of(path), status, seconds);
}
