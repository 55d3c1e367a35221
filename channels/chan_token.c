/* SPDX-License-Identifier: MIT */
/*
 * chan_token.c - the access tokens of WeCom applications, DingTalk applications and
 * WeChat Official Accounts: one cache for every channel of the process.
 *
 * A credential (its token URL: corpid + corpsecret, appkey + appsecret, appid +
 * secret) has one entry, shared by every channel on the same httpc_t (the client is
 * the process's: app/config.c creates one) and hung on it with httpc_set_ext. A token
 * is fetched once and kept until expires_in minus a margin; requests that need it
 * while a fetch is in flight wait in the entry's FIFO and go when it arrives, so a
 * burst of sends after start-up or after an expiry costs one gettoken, never one per
 * request (a fetch invalidates the previous token on WeChat). A provider that calls
 * a token expired (40014, 42001) makes chan__token_expired drop it, once: the
 * requests that used the same old token find a new one or the fetch in flight.
 *
 * Threading: the thread of the httpc_t; callbacks run from inside httpc_run() (or
 * from chan__token_use when the token is at hand).
 */
#include "channels/channel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

#define TOKEN_MAX       512  /* bytes of a token we accept */
#define MARGIN_MAX_S    300  /* refresh at most this long before expires_in ends */
#define EXPIRES_MAX_S   86400

typedef struct waiter {
    struct waiter *next;
    chan_token_fn *fn;
    void *ud;
    const void *owner;
} waiter_t;

struct chan_token {
    struct chan_tokens *set;
    chan_token_t *next;
    int refs;
    char *url;              /* the token URL; holds the secret, never logged */
    char *label;            /* what logs call it: "wecom_app corpid=ww12" */
    httpc_t *http;
    char *value;            /* the current token, or NULL */
    int64_t refresh_ms;     /* wall time after which value is not used */
    int fetching;
    unsigned long fetches;
    int64_t (*clock)(void); /* of the channel that started the fetch */
    long timeout_ms;
    waiter_t *head, *tail;
};

typedef struct chan_tokens {
    chan_token_t *first;
    int refs; /* the client's, and one per entry */
} chan_tokens_t;

static void tokens_unref(chan_tokens_t *s)
{
    if (--s->refs == 0)
        free(s);
}

static void tokens_release(void *ext)
{
    tokens_unref(ext);
}

chan_token_t *chan__token_ref(httpc_t *http, const char *url, const char *label)
{
    chan_tokens_t *s = httpc_ext(http);
    chan_token_t *t;

    if (s == NULL) {
        s = xcalloc(1, sizeof *s);
        s->refs = 1;
        httpc_set_ext(http, s, tokens_release);
    }
    for (t = s->first; t != NULL; t = t->next) {
        if (strcmp(t->url, url) == 0) {
            t->refs++;
            return t;
        }
    }
    t = xcalloc(1, sizeof *t);
    t->set = s;
    s->refs++;
    t->refs = 1;
    t->url = xstrdup(url);
    t->label = xstrdup(label);
    t->http = http;
    t->next = s->first;
    s->first = t;
    return t;
}

static void cancel(chan_token_t *t, const void *owner)
{
    waiter_t **pp = &t->head;

    t->tail = NULL;
    while (*pp != NULL) {
        waiter_t *w = *pp;

        if (w->owner == owner) {
            *pp = w->next;
            free(w);
        } else {
            t->tail = w;
            pp = &w->next;
        }
    }
}

void chan__token_unref(chan_token_t *t, const void *owner)
{
    chan_token_t **pp;

    if (t == NULL)
        return;
    cancel(t, owner);
    if (--t->refs > 0)
        return;
    for (pp = &t->set->first; *pp != t; pp = &(*pp)->next)
        ;
    *pp = t->next;
    /* A fetch in flight keeps a pointer: only when its client is gone (no callback
     * will come) may the last channel let go; channel_destroy's contract says so. */
    tokens_unref(t->set);
    free(t->url);
    free(t->label);
    free(t->value);
    free(t);
}

unsigned long chan__token_fetches(const chan_token_t *t)
{
    return t->fetches;
}

/* Call every waiter with the token, or with the failure when 'token' is NULL. Waiters
 * may queue again (a send from a callback): those wait for the next round. */
static void wake(chan_token_t *t, const char *token, const chan_verdict_t *fail)
{
    waiter_t *w = t->head;

    t->head = t->tail = NULL;
    while (w != NULL) {
        waiter_t *next = w->next;

        w->fn(w->ud, token, fail);
        free(w);
        w = next;
    }
}

static int token_chars_ok(const char *s, size_t n)
{
    if (n == 0 || n > TOKEN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_' || c == '.' || c == '~' || c == '*'))
            return 0;
    }
    return 1;
}

/* The token endpoints' common answer: {"errcode":0,"access_token":"..","expires_in":7200}
 * (WeChat leaves errcode out on success). */
int chan__token_parse(const httpc_resp_t *resp, char **token, long *expires_in,
                      chan_verdict_t *v)
{
    cJSON *j;
    const cJSON *code, *msg, *tok, *exp;
    int rc = CB_EPARSE;

    *token = NULL;
    if (chan__classify_http(resp, v))
        return CB_ETEMP;
    j = cJSON_ParseWithLength(resp->body, resp->body_len);
    code = cJSON_GetObjectItemCaseSensitive(j, "errcode");
    msg = cJSON_GetObjectItemCaseSensitive(j, "errmsg");
    tok = cJSON_GetObjectItemCaseSensitive(j, "access_token");
    exp = cJSON_GetObjectItemCaseSensitive(j, "expires_in");
    if (cJSON_IsNumber(code) && code->valuedouble != 0) {
        long ec = (long)code->valuedouble;
        /* -1: system busy; 45009 / 45011: too many token calls. Others: a wrong id or
         * secret, an IP not on the whitelist: no retry will help. */
        chan__verdict(v, ec == -1 || ec == 45009 || ec == 45011 ? CH_TEMPFAIL : CH_PERMFAIL,
                      "token: errcode %ld: %.80s", ec, cJSON_IsString(msg) ? msg->valuestring : "");
        rc = CB_EREJECTED;
    } else if (!cJSON_IsString(tok) || !token_chars_ok(tok->valuestring, strlen(tok->valuestring)) ||
               !cJSON_IsNumber(exp) || exp->valuedouble < 1 || exp->valuedouble > EXPIRES_MAX_S) {
        chan__verdict(v, CH_TEMPFAIL, "token: HTTP %ld without a usable access_token",
                      resp->status);
    } else {
        *token = xstrdup(tok->valuestring);
        *expires_in = (long)exp->valuedouble;
        rc = CB_OK;
    }
    cJSON_Delete(j);
    return rc;
}

static void on_fetched(void *ud, const httpc_resp_t *resp)
{
    chan_token_t *t = ud;
    chan_verdict_t v;
    char *token;
    long expires_in = 0, margin;

    memset(&v, 0, sizeof v);
    t->fetching = 0;
    if (chan__token_parse(resp, &token, &expires_in, &v) < 0) {
        log_warn("chan", "%s: no access token: %s", t->label, v.error);
        wake(t, NULL, &v);
        return;
    }
    margin = expires_in / 10 < MARGIN_MAX_S ? expires_in / 10 : MARGIN_MAX_S;
    free(t->value);
    t->value = token;
    t->refresh_ms = t->clock() + (int64_t)(expires_in - margin) * 1000;
    log_info("chan", "%s: new access token, valid %lds", t->label, expires_in);
    wake(t, t->value, NULL);
}

static void fetch(chan_token_t *t, int64_t (*clock)(void), long timeout_ms)
{
    httpc_req_t hr = {.method = "GET", .url = t->url, .timeout_ms = timeout_ms};

    t->clock = clock;
    t->fetching = 1;
    t->fetches++;
    if (httpc_start(t->http, &hr, on_fetched, t) < 0) {
        chan_verdict_t v;

        memset(&v, 0, sizeof v);
        t->fetching = 0;
        chan__verdict(&v, CH_TEMPFAIL, "token: the request could not be queued");
        wake(t, NULL, &v);
    }
}

void chan__token_use(chan_token_t *t, int64_t (*clock)(void), long timeout_ms,
                     const void *owner, chan_token_fn *fn, void *ud)
{
    waiter_t *w;

    if (t->value != NULL && !t->fetching && clock() < t->refresh_ms) {
        fn(ud, t->value, NULL);
        return;
    }
    w = xcalloc(1, sizeof *w);
    w->fn = fn;
    w->ud = ud;
    w->owner = owner;
    if (t->tail != NULL)
        t->tail->next = w;
    else
        t->head = w;
    t->tail = w;
    if (!t->fetching)
        fetch(t, clock, timeout_ms);
}

void chan__token_expired(chan_token_t *t, const char *token)
{
    if (t->value != NULL && token != NULL && strcmp(t->value, token) == 0) {
        log_info("chan", "%s: the provider calls the access token expired", t->label);
        free(t->value);
        t->value = NULL;
    }
}

void chan__token_attach(channel_t *ch, const char *url, const char *label)
{
    ch->token = chan__token_ref(ch->http, url, label);
}

int chan__app_token(channel_t *ch, const cJSON *cfg, const chan_app_cred_t *c, char **base,
                    char *err, size_t errlen)
{
    char *id = chan__str(cfg, c->id_key, NULL), *secret = NULL, *eid, *esec, *url, label[160];
    size_t n;
    int rc;

    *base = chan__str(cfg, "base_url", c->base_default);
    rc = chan__check_url(ch, *base, err, errlen);
    if (rc == CB_OK)
        rc = chan__secret(ch, cfg, c->secret_key, &secret, err, errlen);
    if (rc == CB_OK && (id == NULL || id[0] == '\0' || secret == NULL || secret[0] == '\0'))
        rc = chan__fail(ch, err, errlen, "%s and %s must not be empty", c->id_key,
                        c->secret_key);
    if (rc == CB_OK) {
        n = strlen(*base);
        while (n > 0 && (*base)[n - 1] == '/')
            (*base)[--n] = '\0'; /* paths are appended with their '/' */
        eid = chan__escape(id);
        esec = chan__escape(secret);
        n = strlen(*base) + strlen(c->token_path) + strlen(eid) + strlen(esec) + 64;
        url = xmalloc(n);
        snprintf(url, n, "%s%s%s=%s&%s=%s", *base, c->token_path, c->id_param, eid,
                 c->secret_param, esec);
        snprintf(label, sizeof label, "channel '%s' (%s %.64s)", ch->name, c->id_key, id);
        chan__token_attach(ch, url, label);
        free(url);
        free(eid);
        free(esec);
    }
    free(id);
    free(secret);
    return rc;
}
