/* SPDX-License-Identifier: MIT */
/*
 * drv_dingtalk.c - DingTalk custom robot (PROTOCOLS.md 3): text or markdown with
 * at.atMobiles, the URL signed with 加签 when a secret is configured. Failures come
 * as HTTP 200 + errcode; 130101 ("send too fast") throttles the robot 10 minutes.
 */
#include "channels/channel_internal.h"
#include "net/sign.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/utf8.h"

#define DINGTALK_THROTTLED 130101
#define DINGTALK_THROTTLE_S 600
#define DINGTALK_TITLE_MAX 64 /* bytes of a title taken from the first line */

typedef struct dingtalk {
    char *url;    /* .../robot/send?access_token=... */
    char *secret; /* 加签 secret ("SEC..."), or NULL */
    char *title;  /* markdown title, or NULL: the first line of the text */
} dingtalk_t;

static const chan_opt_t dingtalk_opts[] = {
    {"url", CHO_SECRET, 1},
    {"secret", CHO_SECRET, 0},
    {"title", CHO_STR, 0},
    {NULL, CHO_STR, 0},
};

static void dingtalk_destroy(void *priv)
{
    dingtalk_t *d = priv;

    free(d->url);
    free(d->secret);
    free(d->title);
    free(d);
}

static int dingtalk_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    dingtalk_t *d = xcalloc(1, sizeof *d);
    int rc;

    ch->priv = d;
    rc = chan__secret(ch, cfg, "url", &d->url, err, errlen);
    if (rc == CB_OK)
        rc = chan__secret(ch, cfg, "secret", &d->secret, err, errlen);
    if (rc < 0)
        return rc;
    d->title = chan__str(cfg, "title", NULL);
    return chan__check_url(ch, d->url, err, errlen);
}

/* The signed URL: url&timestamp=<ms>&sign=<escaped base64 HMAC(secret, ts\nsecret)>. */
static char *signed_url(const dingtalk_t *d, int64_t now_ms)
{
    char ts[24], b64[48], *tosign, *esc, *url;
    unsigned char mac[32];
    size_t tl, sl = strlen(d->secret), n;

    tl = (size_t)snprintf(ts, sizeof ts, "%" PRId64, now_ms);
    tosign = xmalloc(tl + 1 + sl + 1);
    memcpy(tosign, ts, tl);
    tosign[tl] = '\n';
    memcpy(tosign + tl + 1, d->secret, sl + 1);
    sign_hmac_sha256(d->secret, sl, tosign, tl + 1 + sl, mac);
    free(tosign);
    chan__base64(mac, sizeof mac, b64);
    esc = chan__escape(b64);
    n = strlen(d->url) + tl + strlen(esc) + 32;
    url = xmalloc(n);
    snprintf(url, n, "%s%ctimestamp=%s&sign=%s", d->url, strchr(d->url, '?') ? '&' : '?', ts,
             esc);
    free(esc);
    return url;
}

/* A markdown title from the text's first line, without heading/quote marks, cut at
 * a character boundary. */
static char *first_line_title(const char *text)
{
    size_t n;

    while (*text == '#' || *text == '>' || *text == ' ')
        text++;
    n = strcspn(text, "\r\n");
    n = utf8_cut(text, n, DINGTALK_TITLE_MAX);
    return n > 0 ? xstrndup(text, n) : xstrdup("通知");
}

/* 1 when "@<to>" is in 'text'. */
static int mentions(const char *text, const char *to)
{
    for (const char *p = strstr(text, to); p != NULL; p = strstr(p + 1, to)) {
        if (p > text && p[-1] == '@')
            return 1;
    }
    return 0;
}

static int dingtalk_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms,
                          chan_req_t *req, int *parts, chan_verdict_t *v)
{
    const dingtalk_t *d = ch->priv;
    int mention = m->to != NULL && m->to[0] != '\0';
    cJSON *body, *inner, *at;
    char *content, *url;
    size_t n = strlen(m->text) + (mention ? strlen(m->to) + 2 : 0) + 1;

    (void)v;
    *parts = 0;
    /* atMobiles only takes effect when "@<mobile>" is also in the content. */
    content = xmalloc(n);
    if (mention && !mentions(m->text, m->to))
        snprintf(content, n, "%s @%s", m->text, m->to);
    else
        snprintf(content, n, "%s", m->text);
    body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "msgtype", m->markdown ? "markdown" : "text");
    inner = cJSON_AddObjectToObject(body, m->markdown ? "markdown" : "text");
    if (m->markdown) {
        char *title = d->title != NULL ? xstrdup(d->title) : first_line_title(m->text);

        cJSON_AddStringToObject(inner, "title", title);
        cJSON_AddStringToObject(inner, "text", content);
        free(title);
    } else {
        cJSON_AddStringToObject(inner, "content", content);
    }
    at = cJSON_AddObjectToObject(body, "at");
    if (mention) {
        const char *one[1] = {m->to};

        cJSON_AddItemToObject(at, "atMobiles", cJSON_CreateStringArray(one, 1));
    }
    cJSON_AddFalseToObject(at, "isAtAll");
    url = d->secret != NULL ? signed_url(d, now_ms) : xstrdup(d->url);
    chan__req_json(req, url, body);
    free(url);
    free(content);
    cJSON_Delete(body);
    return CB_OK;
}

static void dingtalk_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    (void)ch;
    chan__classify_errcode(resp, DINGTALK_THROTTLED, DINGTALK_THROTTLE_S, v);
}

const channel_ops_t channel_dingtalk_ops = {
    .type = "dingtalk",
    .kind = CH_KIND_ROBOT,
    .opts = dingtalk_opts,
    .default_rate = 20.0 / 60.0,
    .default_burst = 1,
    .create = dingtalk_create,
    .destroy = dingtalk_destroy,
    .build = dingtalk_build,
    .classify = dingtalk_classify,
    .send = NULL,
};
