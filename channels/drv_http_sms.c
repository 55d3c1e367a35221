/* SPDX-License-Identifier: MIT */
/*
 * drv_http_sms.c - a generic JSON SMS API: configurable field names, static extra
 * fields, an auth header, an optional HMAC-SHA256 signature header, and a success
 * rule on a response field. Covers the simple in-house and reseller gateways;
 * the big clouds' own signing schemes (PROTOCOLS.md 6) are not this driver.
 */
#include "channels/channel_internal.h"
#include "net/sign.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

typedef struct http_sms {
    char *url;
    char *to_field, *text_field, *id_field, *key_field; /* "" = leave out */
    cJSON *extra;                                       /* static fields or NULL */
    char *auth_header, *auth_value;
    char *sign_header, *sign_secret, *timestamp_header;
    char *success_field, *success_value;
    char *gateway_id_field;
    char *parts_field;
} http_sms_t;

static const chan_opt_t http_sms_opts[] = {
    {"url", CHO_SECRET, 1},
    {"to_field", CHO_STR, 0},
    {"text_field", CHO_STR, 0},
    {"id_field", CHO_STR, 0},
    {"key_field", CHO_STR, 0},
    {"extra", CHO_OBJ, 0},
    {"auth_header", CHO_STR, 0},
    {"auth_value", CHO_SECRET, 0},
    {"sign_header", CHO_STR, 0},
    {"sign_secret", CHO_SECRET, 0},
    {"timestamp_header", CHO_STR, 0},
    {"success_field", CHO_STR, 0},
    {"success_value", CHO_STR, 0},
    {"gateway_id_field", CHO_STR, 0},
    {"parts_field", CHO_STR, 0},
    {"signature", CHO_STR, 0},
    {"optout_suffix", CHO_STR, 0},
    {NULL, CHO_STR, 0},
};

static void http_sms_destroy(void *priv)
{
    http_sms_t *h = priv;

    free(h->url);
    free(h->to_field);
    free(h->text_field);
    free(h->id_field);
    free(h->key_field);
    cJSON_Delete(h->extra);
    free(h->auth_header);
    free(h->auth_value);
    free(h->sign_header);
    free(h->sign_secret);
    free(h->timestamp_header);
    free(h->success_field);
    free(h->success_value);
    free(h->gateway_id_field);
    free(h->parts_field);
    free(h);
}

/* Both of a pair or neither. */
static int paired(const channel_t *ch, const void *a, const char *an, const void *b,
                  const char *bn, char *err, size_t errlen)
{
    if ((a == NULL) != (b == NULL))
        return chan__fail(ch, err, errlen, "%s and %s go together", an, bn);
    return CB_OK;
}

static int http_sms_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    http_sms_t *h = xcalloc(1, sizeof *h);
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(cfg, "extra");
    int rc;

    ch->priv = h;
    rc = chan__secret(ch, cfg, "url", &h->url, err, errlen);
    if (rc == CB_OK)
        rc = chan__secret(ch, cfg, "auth_value", &h->auth_value, err, errlen);
    if (rc == CB_OK)
        rc = chan__secret(ch, cfg, "sign_secret", &h->sign_secret, err, errlen);
    if (rc < 0)
        return rc;
    h->to_field = chan__str(cfg, "to_field", "to");
    h->text_field = chan__str(cfg, "text_field", "text");
    h->id_field = chan__str(cfg, "id_field", "out_id");
    h->key_field = chan__str(cfg, "key_field", "");
    h->extra = extra != NULL ? cJSON_Duplicate(extra, 1) : NULL;
    h->auth_header = chan__str(cfg, "auth_header", NULL);
    h->sign_header = chan__str(cfg, "sign_header", NULL);
    h->timestamp_header = chan__str(cfg, "timestamp_header", "X-Timestamp");
    h->success_field = chan__str(cfg, "success_field", NULL);
    h->success_value = chan__str(cfg, "success_value", NULL);
    h->gateway_id_field = chan__str(cfg, "gateway_id_field", NULL);
    h->parts_field = chan__str(cfg, "parts_field", NULL);
    chan__read_decor(ch, cfg);
    if (chan__check_url(ch, h->url, err, errlen) < 0)
        return CB_ECONFIG;
    if (h->to_field[0] == '\0' || h->text_field[0] == '\0')
        return chan__fail(ch, err, errlen, "to_field and text_field must not be empty");
    for (const cJSON *e = h->extra != NULL ? h->extra->child : NULL; e != NULL; e = e->next) {
        if (strcmp(e->string, h->to_field) == 0 || strcmp(e->string, h->text_field) == 0 ||
            strcmp(e->string, h->id_field) == 0 || strcmp(e->string, h->key_field) == 0)
            return chan__fail(ch, err, errlen, "extra must not set field %s", e->string);
    }
    rc = paired(ch, h->auth_header, "auth_header", h->auth_value, "auth_value", err, errlen);
    if (rc == CB_OK)
        rc = paired(ch, h->sign_header, "sign_header", h->sign_secret, "sign_secret", err,
                    errlen);
    if (rc == CB_OK)
        rc = paired(ch, h->success_field, "success_field", h->success_value, "success_value",
                    err, errlen);
    return rc;
}

static int http_sms_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms,
                          chan_req_t *req, int *parts, chan_verdict_t *v)
{
    const http_sms_t *h = ch->priv;
    cJSON *body;
    char *text, idbuf[24];

    *parts = 0; /* the gateway may report them (parts_field) */
    if (m->to == NULL || m->to[0] == '\0') {
        chan__verdict(v, CH_PERMFAIL, "no phone number");
        return CB_EREJECTED;
    }
    body = h->extra != NULL ? cJSON_Duplicate(h->extra, 1) : cJSON_CreateObject();
    text = channel_render(ch, m->text, NULL);
    cJSON_AddStringToObject(body, h->to_field, m->to);
    cJSON_AddStringToObject(body, h->text_field, text);
    if (h->id_field[0] != '\0') {
        snprintf(idbuf, sizeof idbuf, "%" PRId64, m->id);
        cJSON_AddStringToObject(body, h->id_field, idbuf);
    }
    if (h->key_field[0] != '\0' && m->key != NULL)
        cJSON_AddStringToObject(body, h->key_field, m->key);
    chan__req_json(req, h->url, body);
    cJSON_Delete(body);
    free(text);
    if (m->key != NULL)
        chan__req_header(req, "Idempotency-Key", m->key);
    if (h->auth_header != NULL)
        chan__req_header(req, h->auth_header, h->auth_value);
    if (h->sign_header != NULL) {
        char ts[24], hex[65];

        snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000);
        sign_body(h->sign_secret, ts, req->body, req->body_len, hex);
        chan__req_header(req, h->timestamp_header, ts);
        chan__req_header(req, h->sign_header, hex);
    }
    return CB_OK;
}

/* The value at a dotted path ("data.msgid") of 'j', or NULL. */
static const cJSON *at_path(const cJSON *j, const char *path)
{
    char key[64];

    while (j != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");

        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        j = cJSON_GetObjectItemCaseSensitive(j, key);
        path += n + (path[n] == '.');
    }
    return j;
}

/* A scalar as text: strings as they are, integers without a decimal point. */
static void scalar_text(const cJSON *v, char *out, size_t outlen)
{
    if (cJSON_IsString(v))
        snprintf(out, outlen, "%s", v->valuestring);
    else if (cJSON_IsNumber(v) && v->valuedouble > -1e15 && v->valuedouble < 1e15 &&
             v->valuedouble == (double)(long long)v->valuedouble)
        snprintf(out, outlen, "%lld", (long long)v->valuedouble);
    else if (cJSON_IsNumber(v))
        snprintf(out, outlen, "%g", v->valuedouble);
    else if (cJSON_IsBool(v))
        snprintf(out, outlen, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else
        out[0] = '\0';
}

static void http_sms_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    const http_sms_t *h = ch->priv;
    cJSON *j;
    char got[96];

    if (chan__classify_http(resp, v))
        return;
    j = cJSON_ParseWithLength(resp->body, resp->body_len);
    if (h->success_field != NULL) {
        const cJSON *f = at_path(j, h->success_field);

        scalar_text(f, got, sizeof got);
        if (f == NULL || strcmp(got, h->success_value) != 0) {
            chan__verdict(v, CH_PERMFAIL, "%s is '%s', not '%s'", h->success_field, got,
                          h->success_value);
            goto out;
        }
    }
    v->outcome = CH_ACCEPTED;
    if (h->gateway_id_field != NULL)
        scalar_text(at_path(j, h->gateway_id_field), v->gateway_id, sizeof v->gateway_id);
    if (h->parts_field != NULL) {
        const cJSON *p = at_path(j, h->parts_field);

        if (cJSON_IsNumber(p) && p->valuedouble >= 1 && p->valuedouble <= 255)
            v->parts = (int)p->valuedouble;
    }
out:
    cJSON_Delete(j);
}

const channel_ops_t channel_http_sms_ops = {
    .type = "http_sms",
    .kind = CH_KIND_SMS,
    .opts = http_sms_opts,
    .default_rate = 20.0,
    .default_burst = 0,
    .create = http_sms_create,
    .destroy = http_sms_destroy,
    .build = http_sms_build,
    .classify = http_sms_classify,
    .send = NULL,
};
