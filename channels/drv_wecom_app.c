/* SPDX-License-Identifier: MIT */
/*
 * drv_wecom_app.c - WeCom (企业微信) application messages to named members (grid
 * workers, leaders): POST /cgi-bin/message/send?access_token=T with the
 * application's agentid and the member's userid as touser. The token comes from
 * /cgi-bin/gettoken?corpid=..&corpsecret=.. through chan_token.c.
 *
 * Answer: HTTP 200 with errcode. 0 with the recipient in "invaliduser" (or
 * "unlicenseduser") still failed for that recipient: one message has one userid, so
 * any name there is ours and the message fails permanently, naming it. 81013 (every
 * recipient invalid) is permanent too; 40014 / 42001 (token) are sent again once
 * with a fresh token; -1 and 45009 temporary.
 */
#include "channels/channel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

#define WECOM_APP_TEXT_MAX 2048 /* bytes of text.content and markdown.content */

typedef struct wecom_app {
    char *base;
    long agentid;
    int dup_check;
    long dup_interval;
} wecom_app_t;

static const chan_opt_t wecom_app_opts[] = {
    {"base_url", CHO_STR, 0},
    {"corpid", CHO_STR, 1},
    {"corpsecret", CHO_SECRET, 1},
    {"agentid", CHO_INT, 1},
    {"enable_duplicate_check", CHO_BOOL, 0},
    {"duplicate_check_interval", CHO_INT, 0},
    {NULL, CHO_STR, 0},
};

static const chan_app_cred_t wecom_cred = {
    .base_default = "https://qyapi.weixin.qq.com",
    .token_path = "/cgi-bin/gettoken?",
    .id_key = "corpid",
    .id_param = "corpid",
    .secret_key = "corpsecret",
    .secret_param = "corpsecret",
};

static void wecom_app_destroy(void *priv)
{
    wecom_app_t *w = priv;

    free(w->base);
    free(w);
}

static int wecom_app_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    wecom_app_t *w = xcalloc(1, sizeof *w);

    ch->priv = w;
    w->agentid = chan__int(cfg, "agentid", 0);
    w->dup_check = chan__bool(cfg, "enable_duplicate_check", 0);
    w->dup_interval = chan__int(cfg, "duplicate_check_interval", 1800);
    if (w->agentid <= 0)
        return chan__fail(ch, err, errlen, "agentid must be the application's positive id");
    if (w->dup_interval < 1 || w->dup_interval > 4 * 3600)
        return chan__fail(ch, err, errlen, "duplicate_check_interval must be 1..14400");
    return chan__app_token(ch, cfg, &wecom_cred, &w->base, err, errlen);
}

static int wecom_app_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms,
                           chan_req_t *req, int *parts, chan_verdict_t *v)
{
    const wecom_app_t *w = ch->priv;
    const char *type = m->markdown ? "markdown" : "text";
    size_t len = strlen(m->text);
    cJSON *body, *inner;
    char *url;

    (void)now_ms;
    *parts = 0;
    if (!chan__account_ok(m->to)) {
        chan__verdict(v, CH_PERMFAIL, "not a WeCom userid");
        return CB_EREJECTED;
    }
    if (len > WECOM_APP_TEXT_MAX) {
        chan__verdict(v, CH_PERMFAIL, "text is %zu bytes, limit %d", len, WECOM_APP_TEXT_MAX);
        return CB_EREJECTED;
    }
    body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "touser", m->to);
    cJSON_AddStringToObject(body, "msgtype", type);
    cJSON_AddNumberToObject(body, "agentid", (double)w->agentid);
    inner = cJSON_AddObjectToObject(body, type);
    cJSON_AddStringToObject(inner, "content", m->text);
    cJSON_AddNumberToObject(body, "enable_duplicate_check", w->dup_check);
    if (w->dup_check)
        cJSON_AddNumberToObject(body, "duplicate_check_interval", (double)w->dup_interval);
    url = chan__url_join(w->base, "/cgi-bin/message/send?access_token=", req->token);
    chan__req_json(req, url, body);
    free(url);
    cJSON_Delete(body);
    return CB_OK;
}

/* A non-empty "invaliduser" / "unlicenseduser": the one recipient did not get it. */
static int refused_user(const cJSON *j, const char *field, chan_verdict_t *v)
{
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, field);

    if (!cJSON_IsString(u) || u->valuestring[0] == '\0')
        return 0;
    chan__verdict(v, CH_PERMFAIL, "%s: %.64s", field, u->valuestring);
    return 1;
}

static void wecom_app_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j = chan__classify_app(resp, v);
    const cJSON *id;

    (void)ch;
    if (j != NULL && v->outcome == CH_ACCEPTED &&
        !refused_user(j, "invaliduser", v) && !refused_user(j, "unlicenseduser", v)) {
        id = cJSON_GetObjectItemCaseSensitive(j, "msgid");
        if (cJSON_IsString(id))
            snprintf(v->gateway_id, sizeof v->gateway_id, "%s", id->valuestring);
    }
    cJSON_Delete(j);
}

const channel_ops_t channel_wecom_app_ops = {
    .type = "wecom_app",
    .kind = CH_KIND_APP,
    .opts = wecom_app_opts,
    .default_rate = 10.0,
    .default_burst = 0,
    .create = wecom_app_create,
    .destroy = wecom_app_destroy,
    .build = wecom_app_build,
    .classify = wecom_app_classify,
    .send = NULL,
};
