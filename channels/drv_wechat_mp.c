/* SPDX-License-Identifier: MIT */
/*
 * drv_wechat_mp.c - WeChat Official Account (公众号) template messages to residents
 * who bound their account (PROTOCOLS.md 5): POST
 * /cgi-bin/message/template/send?access_token=T with touser = the resident's openid,
 * the configured template_id, the text as the value of data.<text_field> next to the
 * configured static fields, and the optional url. The token comes from
 * /cgi-bin/token?grant_type=client_credential&appid=..&secret=.. through chan_token.c
 * (WeChat invalidates the previous token on every fetch: one fetch for the process).
 *
 * Answer: errcode 0 with msgid (the gateway id; the TEMPLATESENDJOBFINISH push names
 * it, drv_wechat_mp_in.c); 43004 (the user does not follow the account) and 43101
 * (the user refused the messages) are permanent and an opt-out; 40001 / 40014 /
 * 42001 are token failures, sent once more with a new token.
 */
#include "channels/channel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

#define MP_VALUE_MAX 1024 /* bytes of the text field (WeChat shows 20 characters) */
#define MP_KEY_MAX   64   /* client_msg_id */

typedef struct wechat_mp {
    char *base;
    char *template_id;
    char *text_field;
    char *url;   /* or NULL */
    cJSON *data; /* the static fields: {"thing2": "城乡居民医保", ...} */
} wechat_mp_t;

static const chan_opt_t mp_opts[] = {
    {"base_url", CHO_STR, 0},
    {"appid", CHO_STR, 1},
    {"appsecret", CHO_SECRET, 1},
    {"template_id", CHO_STR, 1},
    {"text_field", CHO_STR, 1},
    {"data", CHO_OBJ, 0},
    {"url", CHO_STR, 0},
    {NULL, CHO_STR, 0},
};

static const chan_app_cred_t mp_cred = {
    .base_default = "https://api.weixin.qq.com",
    .token_path = "/cgi-bin/token?grant_type=client_credential&",
    .id_key = "appid",
    .id_param = "appid",
    .secret_key = "appsecret",
    .secret_param = "secret",
};

static void mp_destroy(void *priv)
{
    wechat_mp_t *w = priv;

    free(w->base);
    free(w->template_id);
    free(w->text_field);
    free(w->url);
    cJSON_Delete(w->data);
    free(w);
}

/* The static fields as WeChat wants them: {"name": {"value": "..."}}. */
static int read_data(channel_t *ch, wechat_mp_t *w, const cJSON *data, char *err, size_t errlen)
{
    const cJSON *it;

    w->data = cJSON_CreateObject();
    cJSON_ArrayForEach(it, data)
    {
        cJSON *one;

        if (!cJSON_IsString(it))
            return chan__fail(ch, err, errlen, "data.%s must be a string", it->string);
        if (strcmp(it->string, w->text_field) == 0)
            return chan__fail(ch, err, errlen, "data.%s is the text_field", it->string);
        one = cJSON_AddObjectToObject(w->data, it->string);
        cJSON_AddStringToObject(one, "value", it->valuestring);
    }
    return CB_OK;
}

static int mp_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    wechat_mp_t *w = xcalloc(1, sizeof *w);
    int rc;

    ch->priv = w;
    w->template_id = chan__str(cfg, "template_id", NULL);
    w->text_field = chan__str(cfg, "text_field", NULL);
    w->url = chan__str(cfg, "url", NULL);
    if (w->template_id[0] == '\0' || w->text_field[0] == '\0')
        return chan__fail(ch, err, errlen, "template_id and text_field must not be empty");
    if (w->url != NULL && (rc = chan__check_url(ch, w->url, err, errlen)) < 0)
        return rc;
    rc = read_data(ch, w, cJSON_GetObjectItemCaseSensitive(cfg, "data"), err, errlen);
    if (rc < 0)
        return rc;
    return chan__app_token(ch, cfg, &mp_cred, &w->base, err, errlen);
}

static int mp_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms, chan_req_t *req,
                    int *parts, chan_verdict_t *v)
{
    const wechat_mp_t *w = ch->priv;
    size_t len = strlen(m->text);
    cJSON *body, *data, *one;
    char *url;

    (void)now_ms;
    *parts = 0;
    if (!chan__account_ok(m->to)) {
        chan__verdict(v, CH_PERMFAIL, "not a WeChat openid");
        return CB_EREJECTED;
    }
    if (len > MP_VALUE_MAX) {
        chan__verdict(v, CH_PERMFAIL, "text is %zu bytes, limit %d", len, MP_VALUE_MAX);
        return CB_EREJECTED;
    }
    body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "touser", m->to);
    cJSON_AddStringToObject(body, "template_id", w->template_id);
    if (w->url != NULL)
        cJSON_AddStringToObject(body, "url", w->url);
    if (m->key != NULL && m->key[0] != '\0' && strlen(m->key) <= MP_KEY_MAX)
        cJSON_AddStringToObject(body, "client_msg_id", m->key);
    data = cJSON_Duplicate(w->data, 1);
    one = cJSON_AddObjectToObject(data, w->text_field);
    cJSON_AddStringToObject(one, "value", m->text);
    cJSON_AddItemToObject(body, "data", data);
    url = chan__url_join(w->base, "/cgi-bin/message/template/send?access_token=", req->token);
    chan__req_json(req, url, body);
    free(url);
    cJSON_Delete(body);
    return CB_OK;
}

static void mp_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j = chan__classify_app(resp, v);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "errcode");

    (void)ch;
    if (v->outcome == CH_ACCEPTED) {
        chan__json_digits(resp, j, "msgid", v->gateway_id, sizeof v->gateway_id);
    } else if (cJSON_IsNumber(code) &&
               (code->valuedouble == 43004 || code->valuedouble == 43101)) {
        v->optout = 1; /* unsubscribed or refused: as a STOP reply */
    }
    cJSON_Delete(j);
}

const channel_ops_t channel_wechat_mp_ops = {
    .type = "wechat_mp",
    .kind = CH_KIND_WECHAT,
    .opts = mp_opts,
    .default_rate = 20.0,
    .default_burst = 0,
    .create = mp_create,
    .destroy = mp_destroy,
    .build = mp_build,
    .classify = mp_classify,
    .send = NULL,
    .inbound = wechat_mp_inbound,
};
