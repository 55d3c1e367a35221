/* SPDX-License-Identifier: MIT */
/*
 * channel.c - the driver registry, the common options and the send path that
 * every HTTP driver shares: build -> httpc -> classify -> one result.
 */
#include "channels/channel.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "channels/channel_internal.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/smsseg.h"

/* One line per driver; nothing else in channels/ knows their names. */
static const channel_ops_t *const drivers[] = {
    &channel_kannel_ops, &channel_http_sms_ops, &channel_wecom_ops,
    &channel_dingtalk_ops, &channel_webhook_ops, &channel_file_ops,
    &channel_aliyun_sms_ops, &channel_tencent_sms_ops,
    &channel_wecom_app_ops, &channel_dingtalk_work_ops, &channel_wechat_mp_ops,
    NULL,
};

struct chan_pending {
    chan_pending_t *prev, *next;
    channel_t *ch;
    int64_t id;
    int parts;
    ch_done_fn *done;
    void *ud;
    char to[24]; /* masked, for the log line */
    /* Channels with an access token: the message until its request is built (it may
     * wait for the token, and goes once more after an expired one), owned copies. */
    ch_msg_t msg;
    char *copy[3];   /* to, text, key */
    char *token;     /* the token its request carried */
    int resent;      /* sent again after token_expired */
    ch_poll_fn *poll_done; /* a poll (channel_poll), not a send */
};

void channel__set_clock(channel_t *ch, int64_t (*now_ms)(void))
{
    ch->now_ms = now_ms != NULL ? now_ms : clock_wall_ms;
}

static const channel_ops_t *find_driver(const char *type)
{
    for (size_t i = 0; drivers[i] != NULL; i++) {
        if (strcmp(drivers[i]->type, type) == 0)
            return drivers[i];
    }
    return NULL;
}

int channel_inbound(const char *type, const ch_inbound_t *in, ch_event_fn *each, void *ud,
                    char *ack, size_t acklen, char *why, size_t whylen)
{
    const channel_ops_t *ops = find_driver(type);

    if (acklen > 0)
        ack[0] = '\0';
    if (ops == NULL || ops->inbound == NULL) {
        snprintf(why, whylen, "channel type '%s' takes no inbound calls", type);
        return CB_ENOTFOUND;
    }
    return ops->inbound(in, each, ud, ack, acklen, why, whylen);
}

static int read_common(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(cfg, "rate");
    long burst = chan__int(cfg, "burst", 0);
    long timeout = chan__int(cfg, "timeout_ms", HTTPC_DEFAULT_TIMEOUT_MS);

    ch->rate = ch->ops->default_rate;
    if (rate != NULL) {
        if (!(rate->valuedouble > 0.0) || rate->valuedouble > 1e6)
            return chan__fail(ch, err, errlen, "rate must be > 0 and <= 1000000");
        ch->rate = rate->valuedouble;
    }
    if (burst < 0 || burst > 1000000)
        return chan__fail(ch, err, errlen, "burst must be 1..1000000");
    if (burst > 0)
        ch->burst = (int)burst;
    else if (ch->ops->default_burst > 0)
        ch->burst = ch->ops->default_burst;
    else /* one second's worth, rounded up */
        ch->burst = ch->rate <= 1.0 ? 1 : (int)ch->rate + ((double)(int)ch->rate < ch->rate);
    if (timeout < 100 || timeout > 600000)
        return chan__fail(ch, err, errlen, "timeout_ms must be 100..600000");
    ch->timeout_ms = timeout;
    return CB_OK;
}

int channel_create(httpc_t *http, const cJSON *cfg, channel_t **out, char *err, size_t errlen)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(cfg, "name");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(cfg, "type");
    channel_t *ch = NULL;
    int rc;

    *out = NULL;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    ch = xcalloc(1, sizeof *ch);
    ch->now_ms = clock_wall_ms;
    if (!cJSON_IsObject(cfg)) {
        rc = chan__fail(ch, err, errlen, "the configuration must be an object");
        goto fail;
    }
    if (!cJSON_IsString(name) || name->valuestring[0] == '\0') {
        rc = chan__fail(ch, err, errlen, "\"name\" must be a non-empty string");
        goto fail;
    }
    ch->name = xstrdup(name->valuestring);
    if (!cJSON_IsString(type)) {
        rc = chan__fail(ch, err, errlen, "\"type\" must be a string");
        goto fail;
    }
    ch->ops = find_driver(type->valuestring);
    if (ch->ops == NULL) {
        rc = chan__fail(ch, err, errlen, "unknown type '%s'", type->valuestring);
        goto fail;
    }
    if (ch->ops->send == NULL && http == NULL) {
        rc = chan__fail(ch, err, errlen, "type '%s' needs an HTTP client", ch->ops->type);
        goto fail;
    }
    ch->http = http;
    rc = chan__check_opts(ch, cfg, ch->ops->opts, ch->ops->send == NULL, err, errlen);
    if (rc == CB_OK)
        rc = read_common(ch, cfg, err, errlen);
    if (rc == CB_OK)
        rc = ch->ops->create(ch, cfg, err, errlen);
    if (rc < 0)
        goto fail;
    *out = ch;
    return CB_OK;
fail:
    channel_destroy(ch);
    return rc;
}

const char *channel_name(const channel_t *ch)
{
    return ch->name;
}

const char *channel_type(const channel_t *ch)
{
    return ch->ops->type;
}

ch_kind_t channel_kind(const channel_t *ch)
{
    return ch->ops->kind;
}

double channel_rate(const channel_t *ch)
{
    return ch->rate;
}

int channel_max_parts(const channel_t *ch)
{
    return ch->max_parts;
}

int channel_burst(const channel_t *ch)
{
    return ch->burst;
}

int channel_template_vars(const channel_t *ch, const char *tpl, const char *const **vars,
                          size_t *n)
{
    const chan_tpl_t *t;

    if (ch->tplmap == NULL)
        return CB_EINVAL;
    t = chan__tplmap_find(ch->tplmap, tpl);
    if (t == NULL)
        return CB_ENOTFOUND;
    *vars = (const char *const *)t->var;
    *n = t->nparams;
    return CB_OK;
}

const char *channel_callback_secret(const channel_t *ch)
{
    return ch->callback_secret;
}

size_t channel_inflight(const channel_t *ch)
{
    return ch != NULL ? ch->npending + ch->nbatched : 0;
}

char *channel_render(const channel_t *ch, const char *text, int *parts)
{
    const char *sig = ch->signature != NULL ? ch->signature : "";
    const char *opt = ch->optout != NULL ? ch->optout : "";
    size_t a = strlen(sig), b = strlen(text), c = strlen(opt);
    char *s = xmalloc(a + b + c + 1);

    memcpy(s, sig, a);
    memcpy(s + a, text, b);
    memcpy(s + a + b, opt, c + 1);
    if (parts != NULL) {
        sms_count_t sc;
        *parts = 0;
        if (ch->ops->kind == CH_KIND_SMS)
            *parts = sms_count_rule(s, a + b + c, ch->sms_rule, &sc) == CB_OK && sc.segments > 1
                         ? sc.segments
                         : 1;
    }
    return s;
}

void chan__report(channel_t *ch, int64_t id, const char *to_masked, int parts,
                  const chan_verdict_t *v, ch_done_fn *done, void *ud)
{
    ch_result_t r;

    r.id = id;
    r.outcome = v->outcome;
    r.gateway_id = v->outcome == CH_ACCEPTED && v->gateway_id[0] != '\0' ? v->gateway_id : NULL;
    r.error = v->outcome != CH_ACCEPTED ? v->error : NULL;
    r.retry_after_s = v->retry_after_s;
    r.parts = v->parts > 0 ? v->parts : parts;
    r.optout = v->outcome == CH_PERMFAIL && v->optout;
    log_debug("chan", "chan=%s msg=%lld to=%s outcome=%d parts=%d%s%s", ch->name,
              (long long)id, to_masked, (int)r.outcome, r.parts, r.error != NULL ? " error=" : "",
              r.error != NULL ? r.error : "");
    done(ud, &r);
}

static void pending_unlink(channel_t *ch, chan_pending_t *p)
{
    if (p->prev != NULL)
        p->prev->next = p->next;
    else
        ch->pending = p->next;
    if (p->next != NULL)
        p->next->prev = p->prev;
    ch->npending--;
    p->next = ch->spare;
    ch->spare = p;
}

static void pending_forget(chan_pending_t *p)
{
    for (size_t i = 0; i < 3; i++) {
        free(p->copy[i]);
        p->copy[i] = NULL;
    }
    free(p->token);
    p->token = NULL;
}

static void on_token(void *ud, const char *token, const chan_verdict_t *fail);

static void poll_answer(chan_pending_t *p, const httpc_resp_t *resp)
{
    channel_t *ch = p->ch;
    ch_poll_fn *done = p->poll_done;
    void *ud = p->ud;
    chan_verdict_t v;
    ch_event_t ev;

    memset(&v, 0, sizeof v);
    memset(&ev, 0, sizeof ev);
    ch->ops->poll_classify(ch, &p->msg, resp, &v, &ev);
    if (v.token_expired && !p->resent) {
        p->resent = 1;
        chan__token_expired(ch->token, p->token);
        chan__token_use(ch->token, ch->now_ms, ch->timeout_ms, ch, on_token, p);
        return;
    }
    pending_forget(p);
    pending_unlink(ch, p);
    done(ud, v.outcome == CH_ACCEPTED ? &ev : NULL, v.outcome == CH_ACCEPTED ? NULL : v.error);
}

static void on_http_done(void *ud, const httpc_resp_t *resp)
{
    chan_pending_t *p = ud;
    channel_t *ch = p->ch;
    chan_verdict_t v;
    int64_t id = p->id;
    int parts = p->parts;
    ch_done_fn *done = p->done;
    void *dud = p->ud;
    char to[sizeof p->to];

    memcpy(to, p->to, sizeof to);
    memset(&v, 0, sizeof v);
    if (p->poll_done != NULL) {
        poll_answer(p, resp);
        return;
    }
    ch->ops->classify(ch, resp, &v);
    if (v.token_expired && ch->token != NULL && !p->resent) {
        p->resent = 1; /* once: a provider that refuses every token fails the message */
        chan__token_expired(ch->token, p->token);
        chan__token_use(ch->token, ch->now_ms, ch->timeout_ms, ch, on_token, p);
        return;
    }
    pending_forget(p);
    pending_unlink(ch, p); /* before the callback: it may send again */
    chan__report(ch, id, to, parts, &v, done, dud);
}

/* Build and start p's request: CB_OK, CB_EREJECTED with build's reason in 'v' (the
 * message fails without being sent), or the client's negative code. */
static int start_request(chan_pending_t *p, const ch_msg_t *m, const char *token,
                         chan_verdict_t *v)
{
    channel_t *ch = p->ch;
    chan_req_t req;
    httpc_req_t hr;
    int rc;

    memset(&req, 0, sizeof req);
    memset(v, 0, sizeof *v);
    req.token = token;
    if (p->poll_done != NULL)
        rc = ch->ops->poll_build(ch, m, &req);
    else
        rc = ch->ops->build(ch, m, ch->now_ms(), &req, &p->parts, v);
    if (rc == CB_OK) {
        hr.method = req.method;
        hr.url = req.url;
        hr.headers = (const char *const *)req.hdr;
        hr.body = req.body;
        hr.body_len = req.body_len;
        hr.timeout_ms = ch->timeout_ms;
        rc = httpc_start(ch->http, &hr, on_http_done, p);
    } else if (rc == CB_EREJECTED) {
        v->outcome = CH_PERMFAIL;
    }
    chan__req_cleanup(&req);
    return rc;
}

/* Report p now with 'v' (its request never went) and let it go. */
static void fail_pending(chan_pending_t *p, const chan_verdict_t *v)
{
    channel_t *ch = p->ch;
    int64_t id = p->id;
    int parts = p->parts;
    ch_done_fn *done = p->done;
    ch_poll_fn *poll = p->poll_done;
    void *ud = p->ud;
    char to[sizeof p->to];

    memcpy(to, p->to, sizeof to);
    pending_forget(p);
    pending_unlink(ch, p);
    if (poll != NULL)
        poll(ud, NULL, v->error);
    else
        chan__report(ch, id, to, parts, v, done, ud);
}

static void on_token(void *ud, const char *token, const chan_verdict_t *fail)
{
    chan_pending_t *p = ud;
    chan_verdict_t v;
    int rc;

    if (token == NULL) {
        fail_pending(p, fail);
        return;
    }
    free(p->token);
    p->token = xstrdup(token);
    rc = start_request(p, &p->msg, token, &v);
    if (rc < 0 && rc != CB_EREJECTED)
        chan__verdict(&v, CH_TEMPFAIL, "the request could not be started: %s",
                      cb_strerror(rc));
    if (rc < 0)
        fail_pending(p, &v);
}

static chan_pending_t *pending_add(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud)
{
    chan_pending_t *p = ch->spare;

    if (p != NULL)
        ch->spare = p->next;
    else
        p = xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->ch = ch;
    p->id = m->id;
    p->done = done;
    p->ud = ud;
    chan__mask(m->to, p->to, sizeof p->to);
    p->next = ch->pending;
    if (ch->pending != NULL)
        ch->pending->prev = p;
    ch->pending = p;
    ch->npending++;
    return p;
}

/* A channel with an access token: the message (or poll) waits for it, in p. */
static int token_send(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, ch_poll_fn *poll,
                      void *ud)
{
    chan_pending_t *p = pending_add(ch, m, done, ud);

    p->poll_done = poll;
    p->msg = *m;
    p->copy[0] = m->to != NULL ? xstrdup(m->to) : NULL;
    p->copy[1] = xstrdup(m->text);
    p->copy[2] = m->key != NULL ? xstrdup(m->key) : NULL;
    p->msg.to = p->copy[0];
    p->msg.text = p->copy[1];
    p->msg.key = p->copy[2];
    chan__token_use(ch->token, ch->now_ms, ch->timeout_ms, ch, on_token, p);
    return CB_OK;
}

static int http_send(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud)
{
    chan_pending_t *p;
    chan_verdict_t v;
    int rc;

    if (ch->token != NULL)
        return token_send(ch, m, done, NULL, ud);
    if (ch->ops->batch_max > 1)
        return chan__batch_add(ch, m, done, ud);
    p = pending_add(ch, m, done, ud);
    rc = start_request(p, m, NULL, &v);
    if (rc == CB_EREJECTED) {
        fail_pending(p, &v);
        return CB_OK;
    }
    if (rc < 0)
        pending_unlink(ch, p);
    return rc;
}

int channel_can_poll(const channel_t *ch)
{
    return ch->ops->poll_build != NULL && ch->token != NULL;
}

int channel_poll(channel_t *ch, int64_t id, const char *to, const char *gateway_id,
                 ch_poll_fn *done, void *ud)
{
    size_t n = gateway_id != NULL ? strlen(gateway_id) : 0;
    ch_msg_t m = {.id = id, .to = to, .text = "", .key = gateway_id};

    if (!channel_can_poll(ch))
        return CB_ENOTFOUND;
    if (done == NULL || to == NULL || n == 0 || n > 19 || strspn(gateway_id, "0123456789") != n)
        return CB_EINVAL;
    return token_send(ch, &m, NULL, done, ud);
}

int channel_send(channel_t *ch, const ch_msg_t *msg, ch_done_fn *done, void *ud)
{
    if (ch == NULL || msg == NULL || msg->text == NULL || done == NULL)
        return CB_EINVAL;
    if (ch->ops->send != NULL)
        return ch->ops->send(ch, msg, done, ud);
    return http_send(ch, msg, done, ud);
}

void channel_flush(channel_t *ch)
{
    if (ch != NULL && ch->ops->batch_max > 1)
        chan__batch_flush(ch);
}

static void free_pending(chan_pending_t *p)
{
    while (p != NULL) {
        chan_pending_t *next = p->next;

        pending_forget(p);
        free(p);
        p = next;
    }
}

void channel_destroy(channel_t *ch)
{
    if (ch == NULL)
        return;
    if (ch->priv != NULL && ch->ops->destroy != NULL)
        ch->ops->destroy(ch->priv);
    chan__token_unref(ch->token, ch);
    chan__batch_free(ch);
    free_pending(ch->pending);
    free_pending(ch->spare);
    chan__tplmap_free(ch->tplmap);
    free(ch->callback_secret);
    free(ch->signature);
    free(ch->optout);
    free(ch->name);
    free(ch);
}
