/* SPDX-License-Identifier: MIT */
/*
 * drv_wecom.c - WeCom (企业微信) group robot (PROTOCOLS.md 2): text with
 * mentioned_mobile_list, or markdown. The robot answers HTTP 200 even on failure,
 * so the verdict is in errcode; 45009 is its rate limit (20 messages a minute).
 */
#include "channels/channel_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

#define WECOM_TEXT_MAX 2048     /* bytes of UTF-8 in text.content */
#define WECOM_MARKDOWN_MAX 4096 /* bytes in markdown.content */
#define WECOM_THROTTLED 45009
#define WECOM_THROTTLE_S 60

typedef struct wecom {
    char *url; /* .../webhook/send?key=...: the key is the credential */
} wecom_t;

static const chan_opt_t wecom_opts[] = {
    {"url", CHO_SECRET, 1},
    {NULL, CHO_STR, 0},
};

static void wecom_destroy(void *priv)
{
    wecom_t *w = priv;

    free(w->url);
    free(w);
}

static int wecom_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    wecom_t *w = xcalloc(1, sizeof *w);
    int rc;

    ch->priv = w;
    rc = chan__secret(ch, cfg, "url", &w->url, err, errlen);
    if (rc < 0)
        return rc;
    return chan__check_url(ch, w->url, err, errlen);
}

static int wecom_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms, chan_req_t *req,
                       int *parts, chan_verdict_t *v)
{
    const wecom_t *w = ch->priv;
    size_t len = strlen(m->text), max = m->markdown ? WECOM_MARKDOWN_MAX : WECOM_TEXT_MAX;
    cJSON *body, *inner;

    (void)now_ms;
    *parts = 0;
    if (len > max) {
        chan__verdict(v, CH_PERMFAIL, "text is %zu bytes, limit %zu", len, max);
        return CB_EREJECTED;
    }
    body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "msgtype", m->markdown ? "markdown" : "text");
    inner = cJSON_AddObjectToObject(body, m->markdown ? "markdown" : "text");
    cJSON_AddStringToObject(inner, "content", m->text);
    /* Markdown has no mention list; a text mentions by mobile. */
    if (!m->markdown && m->to != NULL && m->to[0] != '\0') {
        const char *one[1] = {m->to};

        cJSON_AddItemToObject(inner, "mentioned_mobile_list", cJSON_CreateStringArray(one, 1));
    }
    chan__req_json(req, w->url, body);
    cJSON_Delete(body);
    return CB_OK;
}

static void wecom_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    (void)ch;
    chan__classify_errcode(resp, WECOM_THROTTLED, WECOM_THROTTLE_S, v);
}

const channel_ops_t channel_wecom_ops = {
    .type = "wecom",
    .kind = CH_KIND_ROBOT,
    .opts = wecom_opts,
    .default_rate = 20.0 / 60.0,
    .default_burst = 1,
    .create = wecom_create,
    .destroy = wecom_destroy,
    .build = wecom_build,
    .classify = wecom_classify,
    .send = NULL,
};
