/* SPDX-License-Identifier: MIT */
/*
 * drv_kannel.c - SMS through Kannel's smsbox sendsms interface (PROTOCOLS.md 1.1):
 * GET with every parameter escaped, always UCS-2 (coding=2), and the part count
 * checked here because Kannel silently truncates text beyond max-messages parts.
 */
#include "channels/channel_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

typedef struct kannel {
    char *url;      /* .../cgi-bin/sendsms */
    char *username; /* escaped */
    char *password; /* escaped */
    char *smsc;     /* escaped, or NULL */
    char *dlr_url;  /* template with {id}, or NULL */
    long dlr_mask;
    long max_parts;
} kannel_t;

static const chan_opt_t kannel_opts[] = {
    {"url", CHO_STR, 1},
    {"username", CHO_STR, 1},
    {"password", CHO_SECRET, 1},
    {"max_parts", CHO_INT, 1},
    {"signature", CHO_STR, 0},
    {"optout_suffix", CHO_STR, 0},
    {"dlr_url", CHO_STR, 0},
    {"dlr_mask", CHO_INT, 0},
    {"smsc", CHO_STR, 0},
    {NULL, CHO_STR, 0},
};

static void kannel_destroy(void *priv)
{
    kannel_t *k = priv;

    free(k->url);
    free(k->username);
    free(k->password);
    free(k->smsc);
    free(k->dlr_url);
    free(k);
}

static int kannel_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    kannel_t *k = xcalloc(1, sizeof *k);
    char *pw = NULL, *s;
    int rc;

    ch->priv = k;
    rc = chan__secret(ch, cfg, "password", &pw, err, errlen);
    if (rc < 0)
        return rc;
    k->password = chan__escape(pw);
    free(pw);
    k->url = chan__str(cfg, "url", NULL);
    s = chan__str(cfg, "username", NULL);
    k->username = chan__escape(s);
    free(s);
    s = chan__str(cfg, "smsc", NULL);
    k->smsc = s != NULL ? chan__escape(s) : NULL;
    free(s);
    k->dlr_url = chan__str(cfg, "dlr_url", NULL);
    k->dlr_mask = chan__int(cfg, "dlr_mask", 31);
    k->max_parts = chan__int(cfg, "max_parts", 1);
    ch->sms_rule = SMS_RULE_UCS2_UNITS; /* coding=2: Kannel cuts UCS-2 every 67 units */
    ch->max_parts = (int)k->max_parts;
    chan__read_decor(ch, cfg);
    if (chan__check_url(ch, k->url, err, errlen) < 0)
        return CB_ECONFIG;
    if (k->max_parts < 1 || k->max_parts > 255)
        return chan__fail(ch, err, errlen, "max_parts must be 1..255 (Kannel's max-messages)");
    if (k->dlr_mask < 1 || k->dlr_mask > 31)
        return chan__fail(ch, err, errlen, "dlr_mask must be 1..31");
    if (k->dlr_url != NULL && strstr(k->dlr_url, "{id}") == NULL)
        return chan__fail(ch, err, errlen, "dlr_url must contain {id}");
    return CB_OK;
}

/* 'tmpl' with every "{id}" replaced by 'id', escaped as a whole (its Kannel escape
 * codes such as %d then travel as %25d and come back intact). */
static char *dlr_param(const char *tmpl, int64_t id)
{
    char idbuf[24], *out, *esc;
    size_t n = 0, cap, idlen;
    const char *p;

    idlen = (size_t)snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
    cap = strlen(tmpl) + 1;
    for (p = strstr(tmpl, "{id}"); p != NULL; p = strstr(p + 4, "{id}"))
        cap += idlen;
    out = xmalloc(cap);
    for (p = tmpl; *p != '\0';) {
        if (strncmp(p, "{id}", 4) == 0) {
            memcpy(out + n, idbuf, idlen);
            n += idlen;
            p += 4;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    esc = chan__escape(out);
    free(out);
    return esc;
}

/* A plausible number for Kannel's 'to': digits with an optional leading '+'
 * (a space would make Kannel send to several receivers). */
static int number_ok(const char *to)
{
    size_t i = to[0] == '+';

    if (to[i] == '\0')
        return 0;
    for (; to[i] != '\0'; i++) {
        if (to[i] < '0' || to[i] > '9')
            return 0;
    }
    return i <= 20;
}

static int kannel_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms, chan_req_t *req,
                        int *parts, chan_verdict_t *v)
{
    const kannel_t *k = ch->priv;
    char *text = NULL, *etext = NULL, *eto = NULL, *dlr = NULL;
    size_t len;
    int rc = CB_OK;

    (void)now_ms;
    if (m->to == NULL || !number_ok(m->to)) {
        chan__verdict(v, CH_PERMFAIL, "invalid phone number");
        return CB_EREJECTED;
    }
    text = channel_render(ch, m->text, parts);
    if (*parts > k->max_parts) {
        chan__verdict(v, CH_PERMFAIL, "text needs %d parts, limit %ld", *parts, k->max_parts);
        rc = CB_EREJECTED;
        goto out;
    }
    etext = chan__escape(text);
    eto = chan__escape(m->to);
    if (k->dlr_url != NULL)
        dlr = dlr_param(k->dlr_url, m->id);
    len = strlen(k->url) + strlen(k->username) + strlen(k->password) + strlen(eto) +
          strlen(etext) + (dlr != NULL ? strlen(dlr) : 0) +
          (k->smsc != NULL ? strlen(k->smsc) : 0) + 128;
    req->url = xmalloc(len);
    snprintf(req->url, len, "%s%susername=%s&password=%s&to=%s&text=%s&charset=UTF-8&coding=2",
             k->url, strchr(k->url, '?') != NULL ? "&" : "?", k->username, k->password, eto,
             etext);
    if (dlr != NULL)
        snprintf(req->url + strlen(req->url), len - strlen(req->url),
                 "&dlr-mask=%ld&dlr-url=%s", k->dlr_mask, dlr);
    if (k->smsc != NULL)
        snprintf(req->url + strlen(req->url), len - strlen(req->url), "&smsc=%s", k->smsc);
    req->method = "GET";
out:
    free(text);
    free(etext);
    free(eto);
    free(dlr);
    return rc;
}

/* 202 "0: Accepted for delivery" and "3: Queued for later delivery" are both taken:
 * bearerbox keeps a queued message and delivers it when an SMSC connects. Kannel
 * returns no message id; delivery reports come back on dlr_url with our id. */
static void kannel_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    (void)ch;
    if (chan__classify_http(resp, v))
        return;
    v->outcome = CH_ACCEPTED;
}

const channel_ops_t channel_kannel_ops = {
    .type = "kannel",
    .kind = CH_KIND_SMS,
    .opts = kannel_opts,
    .default_rate = 20.0,
    .default_burst = 0,
    .create = kannel_create,
    .destroy = kannel_destroy,
    .build = kannel_build,
    .classify = kannel_classify,
    .send = NULL,
    .inbound = kannel_inbound,
};
