/* SPDX-License-Identifier: MIT */
/*
 * drv_webhook.c - a signed JSON webhook (PROTOCOLS.md 9, Stripe-style):
 * POST {"id","key","to","text"} with X-Canbao-Timestamp (Unix seconds),
 * X-Canbao-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body)) and
 * Idempotency-Key. docs/channels.md tells receivers how to verify it.
 */
#include "channels/channel_internal.h"
#include "net/sign.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

typedef struct webhook {
    char *url;
    char *secret;
} webhook_t;

static const chan_opt_t webhook_opts[] = {
    {"url", CHO_STR, 1},
    {"secret", CHO_SECRET, 1},
    {NULL, CHO_STR, 0},
};

static void webhook_destroy(void *priv)
{
    webhook_t *w = priv;

    free(w->url);
    free(w->secret);
    free(w);
}

static int webhook_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    webhook_t *w = xcalloc(1, sizeof *w);
    int rc;

    ch->priv = w;
    rc = chan__secret(ch, cfg, "secret", &w->secret, err, errlen);
    if (rc < 0)
        return rc;
    w->url = chan__str(cfg, "url", NULL);
    if (w->secret[0] == '\0')
        return chan__fail(ch, err, errlen, "secret must not be empty");
    return chan__check_url(ch, w->url, err, errlen);
}

static int webhook_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms,
                         chan_req_t *req, int *parts, chan_verdict_t *v)
{
    const webhook_t *w = ch->priv;
    cJSON *body = cJSON_CreateObject();
    char ts[24], hex[65], sig[70];

    (void)v;
    *parts = 0;
    chan__json_id(body, m->id);
    chan__json_str(body, "key", m->key);
    chan__json_str(body, "to", m->to);
    cJSON_AddStringToObject(body, "text", m->text);
    chan__req_json(req, w->url, body);
    cJSON_Delete(body);
    snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000);
    sign_body(w->secret, ts, req->body, req->body_len, hex);
    snprintf(sig, sizeof sig, "v1=%s", hex);
    chan__req_header(req, "X-Canbao-Timestamp", ts);
    chan__req_header(req, "X-Canbao-Signature", sig);
    if (m->key != NULL)
        chan__req_header(req, "Idempotency-Key", m->key);
    return CB_OK;
}

/* Any 2xx is accepted; a JSON answer's string "id" is kept as the gateway id. */
static void webhook_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j;
    const cJSON *id;

    (void)ch;
    if (chan__classify_http(resp, v))
        return;
    v->outcome = CH_ACCEPTED;
    j = cJSON_ParseWithLength(resp->body, resp->body_len);
    id = cJSON_GetObjectItemCaseSensitive(j, "id");
    if (cJSON_IsString(id))
        snprintf(v->gateway_id, sizeof v->gateway_id, "%s", id->valuestring);
    cJSON_Delete(j);
}

const channel_ops_t channel_webhook_ops = {
    .type = "webhook",
    .kind = CH_KIND_WEBHOOK,
    .opts = webhook_opts,
    .default_rate = 20.0,
    .default_burst = 0,
    .create = webhook_create,
    .destroy = webhook_destroy,
    .build = webhook_build,
    .classify = webhook_classify,
    .send = NULL,
};
