/* SPDX-License-Identifier: MIT */
/*
 * drv_dingtalk_work.c - DingTalk (钉钉) work notifications (工作通知) to named members:
 * POST /topapi/message/corpconversation/asyncsend_v2?access_token=T with the
 * application's agent_id and the member's userid as userid_list; the token comes
 * from /gettoken?appkey=..&appsecret=.. through chan_token.c.
 *
 * The send is asynchronous: errcode 0 with a task_id only means DingTalk took the
 * task; the task_id is the gateway id, and channel_poll asks getsendresult
 * ({"agent_id","task_id"}) what became of it: the userid among invalid_user_id_list,
 * forbidden_user_id_list or failed_user_id_list is a failure, among read_user_id_list
 * or unread_user_id_list delivered, nowhere yet not final.
 */
#include "channels/channel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

#define DT_TEXT_MAX  2048 /* bytes; DingTalk documents none, this keeps one screen */
#define DT_TITLE_MAX 64

typedef struct dt_work {
    char *base;
    long agent_id;
} dt_work_t;

static const chan_opt_t dt_work_opts[] = {
    {"base_url", CHO_STR, 0},
    {"appkey", CHO_STR, 1},
    {"appsecret", CHO_SECRET, 1},
    {"agent_id", CHO_INT, 1},
    {NULL, CHO_STR, 0},
};

static const chan_app_cred_t dt_cred = {
    .base_default = "https://oapi.dingtalk.com",
    .token_path = "/gettoken?",
    .id_key = "appkey",
    .id_param = "appkey",
    .secret_key = "appsecret",
    .secret_param = "appsecret",
};

static void dt_work_destroy(void *priv)
{
    dt_work_t *w = priv;

    free(w->base);
    free(w);
}

static int dt_work_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    dt_work_t *w = xcalloc(1, sizeof *w);

    ch->priv = w;
    w->agent_id = chan__int(cfg, "agent_id", 0);
    if (w->agent_id <= 0)
        return chan__fail(ch, err, errlen, "agent_id must be the application's positive id");
    return chan__app_token(ch, cfg, &dt_cred, &w->base, err, errlen);
}

/* The markdown title: the first line, at most DT_TITLE_MAX bytes on a character
 * boundary. */
static void title_of(const char *text, char *out, size_t outlen)
{
    size_t n = strcspn(text, "\n");

    if (n > DT_TITLE_MAX)
        n = DT_TITLE_MAX;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static int dt_work_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms, chan_req_t *req,
                         int *parts, chan_verdict_t *v)
{
    const dt_work_t *w = ch->priv;
    size_t len = strlen(m->text);
    cJSON *body, *msg, *inner;
    char *url, title[DT_TITLE_MAX + 1];

    (void)now_ms;
    *parts = 0;
    if (!chan__account_ok(m->to)) {
        chan__verdict(v, CH_PERMFAIL, "not a DingTalk userid");
        return CB_EREJECTED;
    }
    if (len > DT_TEXT_MAX) {
        chan__verdict(v, CH_PERMFAIL, "text is %zu bytes, limit %d", len, DT_TEXT_MAX);
        return CB_EREJECTED;
    }
    body = cJSON_CreateObject();
    cJSON_AddNumberToObject(body, "agent_id", (double)w->agent_id);
    cJSON_AddStringToObject(body, "userid_list", m->to);
    msg = cJSON_AddObjectToObject(body, "msg");
    cJSON_AddStringToObject(msg, "msgtype", m->markdown ? "markdown" : "text");
    inner = cJSON_AddObjectToObject(msg, m->markdown ? "markdown" : "text");
    if (m->markdown) {
        title_of(m->text, title, sizeof title);
        cJSON_AddStringToObject(inner, "title", title[0] ? title : "-");
        cJSON_AddStringToObject(inner, "text", m->text);
    } else {
        cJSON_AddStringToObject(inner, "content", m->text);
    }
    url = chan__url_join(w->base, "/topapi/message/corpconversation/asyncsend_v2?access_token=",
                         req->token);
    chan__req_json(req, url, body);
    free(url);
    cJSON_Delete(body);
    return CB_OK;
}

static void dt_work_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j = chan__classify_app(resp, v);

    (void)ch;
    if (v->outcome == CH_ACCEPTED) {
        if (!chan__json_digits(resp, j, "task_id", v->gateway_id, sizeof v->gateway_id))
            chan__verdict(v, CH_TEMPFAIL, "errcode 0 without task_id");
    }
    cJSON_Delete(j);
}

/* getsendresult for the task in m->key (its gateway id), about userid m->to. */
static int dt_work_poll_build(const channel_t *ch, const ch_msg_t *m, chan_req_t *req)
{
    const dt_work_t *w = ch->priv;
    cJSON *body = cJSON_CreateObject();
    char *url;

    cJSON_AddNumberToObject(body, "agent_id", (double)w->agent_id);
    cJSON_AddRawToObject(body, "task_id", m->key);
    url = chan__url_join(w->base,
                         "/topapi/message/corpconversation/getsendresult?access_token=",
                         req->token);
    chan__req_json(req, url, body);
    free(url);
    cJSON_Delete(body);
    return CB_OK;
}

/* Is 'who' in the array 'name' of 'res'? */
static int listed(const cJSON *res, const char *name, const char *who)
{
    const cJSON *it, *list = cJSON_GetObjectItemCaseSensitive(res, name);

    cJSON_ArrayForEach(it, list)
    {
        if (cJSON_IsString(it) && strcmp(it->valuestring, who) == 0)
            return 1;
    }
    return 0;
}

static void dt_work_poll_classify(const channel_t *ch, const ch_msg_t *m,
                                  const httpc_resp_t *resp, chan_verdict_t *v, ch_event_t *ev)
{
    static const char *const failed[] = {"invalid_user_id_list", "forbidden_user_id_list",
                                         "failed_user_id_list"};
    cJSON *j = chan__classify_app(resp, v);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(j, "send_result");

    (void)ch;
    ev->kind = CH_EV_DELIVERY;
    ev->outbox_id = m->id;
    for (size_t i = 0; v->outcome == CH_ACCEPTED && i < 3; i++) {
        if (listed(res, failed[i], m->to)) {
            ev->final = 1;
            snprintf(ev->error, sizeof ev->error, "DingTalk: %s", failed[i]);
        }
    }
    if (v->outcome == CH_ACCEPTED && !ev->final &&
        (listed(res, "read_user_id_list", m->to) || listed(res, "unread_user_id_list", m->to)))
        ev->final = ev->delivered = 1;
    cJSON_Delete(j);
}

const channel_ops_t channel_dingtalk_work_ops = {
    .type = "dingtalk_work",
    .kind = CH_KIND_APP,
    .opts = dt_work_opts,
    .default_rate = 10.0,
    .default_burst = 0,
    .create = dt_work_create,
    .destroy = dt_work_destroy,
    .build = dt_work_build,
    .classify = dt_work_classify,
    .send = NULL,
    .poll_build = dt_work_poll_build,
    .poll_classify = dt_work_poll_classify,
};
