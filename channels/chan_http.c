/* SPDX-License-Identifier: MIT */
/*
 * chan_http.c - what HTTP drivers share: building requests, the generic reading of
 * an HTTP answer and of the robots' errcode bodies, HMAC, hex and base64.
 */
#include "channels/channel_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/mask.h"
#include "core/mem.h"
#include "core/utf8.h"

/* Retry-After values above a day are taken as a day. */
#define RETRY_AFTER_MAX_S 86400

void chan__req_cleanup(chan_req_t *req)
{
    free(req->url);
    free(req->body);
    for (size_t i = 0; i < req->nhdr; i++)
        free(req->hdr[i]);
    memset(req, 0, sizeof *req);
}

void chan__req_header(chan_req_t *req, const char *name, const char *value)
{
    size_t a = strlen(name), b = strlen(value);
    char *line;

    if (req->nhdr >= CHAN_REQ_MAXHDR)
        abort(); /* a driver bug: the table is sized for every driver's headers */
    line = xmalloc(a + b + 3);
    memcpy(line, name, a);
    memcpy(line + a, ": ", 2);
    memcpy(line + a + 2, value, b + 1);
    req->hdr[req->nhdr++] = line;
    req->hdr[req->nhdr] = NULL;
}

void chan__req_json(chan_req_t *req, const char *url, const cJSON *body)
{
    char *json = cJSON_PrintUnformatted(body);

    if (json == NULL)
        abort(); /* cJSON fails only when malloc does; our allocator aborts too */
    req->body = xstrdup(json); /* freed with free(), whatever cJSON's hooks are */
    cJSON_free(json);
    req->body_len = strlen(req->body);
    req->method = "POST";
    req->url = xstrdup(url);
    chan__req_header(req, "Content-Type", "application/json; charset=utf-8");
}

void chan__json_str(cJSON *o, const char *key, const char *value)
{
    if (value != NULL)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

void chan__json_id(cJSON *o, int64_t id)
{
    char buf[24];

    /* Raw decimal: a double would lose digits of large ids. */
    snprintf(buf, sizeof buf, "%" PRId64, id);
    cJSON_AddRawToObject(o, "id", buf);
}

void chan__verdict(chan_verdict_t *v, ch_outcome_t o, const char *fmt, ...)
{
    va_list ap;

    v->outcome = o;
    va_start(ap, fmt);
    if (vsnprintf(v->error, sizeof v->error, fmt, ap) < 0)
        v->error[0] = '\0';
    va_end(ap);
}

/* The first line of a body for an error message: at most 80 bytes, cut at a UTF-8
 * character boundary, control characters stopping it. */
static void snippet(const char *body, size_t len, char *out, size_t outlen)
{
    size_t n = 0;

    while (n < len && n < 80 && n + 1 < outlen && (unsigned char)body[n] >= 0x20 &&
           body[n] != 0x7f)
        n++;
    n = utf8_cut(body, len, n); /* do not split a character */
    while (n > 0 && body[n - 1] == ' ')
        n--;
    memcpy(out, body, n);
    out[n] = '\0';
}

int chan__retry_after(const char *value, int64_t now_s)
{
    char *end;
    long long s;

    if (value == NULL || value[0] == '\0')
        return 0;
    s = strtoll(value, &end, 10);
    if (end == value || *end != '\0') {
        time_t t = curl_getdate(value, NULL);

        if (t < 0)
            return 0;
        s = (long long)t - now_s;
    }
    if (s < 0)
        return 0;
    return s > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (int)s;
}

int chan__classify_http(const httpc_resp_t *resp, chan_verdict_t *v)
{
    char body[96];
    long st = resp->status;

    if (resp->error != NULL) {
        chan__verdict(v, resp->refused ? CH_PERMFAIL : CH_TEMPFAIL, "%s", resp->error);
        return 1;
    }
    if (st >= 200 && st <= 299)
        return 0;
    snippet(resp->body, resp->body_len, body, sizeof body);
    chan__verdict(v, st == 429 || st == 408 || (st >= 500 && st <= 599) ? CH_TEMPFAIL
                                                                         : CH_PERMFAIL,
                  "HTTP %ld%s%s", st, body[0] != '\0' ? ": " : "", body);
    if (st == 429 || st == 503)
        v->retry_after_s = chan__retry_after(resp->retry_after, (int64_t)time(NULL));
    return 1;
}

void chan__classify_errcode(const httpc_resp_t *resp, long throttle, int throttle_s,
                            chan_verdict_t *v)
{
    cJSON *j;
    const cJSON *code, *msg;
    long ec;

    if (chan__classify_http(resp, v))
        return;
    j = cJSON_ParseWithLength(resp->body, resp->body_len);
    code = cJSON_GetObjectItemCaseSensitive(j, "errcode");
    msg = cJSON_GetObjectItemCaseSensitive(j, "errmsg");
    if (!cJSON_IsNumber(code)) {
        /* A 200 we cannot read (a proxy page?): the robot may not have it. */
        chan__verdict(v, CH_TEMPFAIL, "HTTP %ld without errcode", resp->status);
        goto out;
    }
    ec = (long)code->valuedouble;
    if (ec == 0) {
        v->outcome = CH_ACCEPTED;
        goto out;
    }
    chan__verdict(v, ec == throttle ? CH_TEMPFAIL : CH_PERMFAIL, "errcode %ld: %s", ec,
                  cJSON_IsString(msg) ? msg->valuestring : "");
    if (ec == throttle)
        v->retry_after_s = throttle_s;
out:
    cJSON_Delete(j);
}

void chan__base64(const unsigned char *in, size_t n, char *out)
{
    EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

char *chan__escape(const char *s)
{
    /* Since libcurl 7.82 the handle argument is ignored (we need 7.85 anyway). */
    char *e = curl_easy_escape(NULL, s, 0);
    char *copy;

    if (e == NULL)
        abort(); /* allocation failure (or input over 8 MB, which we never build) */
    copy = xstrdup(e);
    curl_free(e);
    return copy;
}

void chan__mask(const char *to, char *out, size_t outlen)
{
    if (to == NULL) {
        snprintf(out, outlen, "-");
        return;
    }
    mask_phone(to, out, outlen);
}

/* The access-token codes of WeCom, DingTalk and WeChat: 40001 (WeChat: invalid
 * credential, also an access_token that is not the latest), 40014 invalid, 42001
 * expired. */
static int token_code(long ec)
{
    return ec == 40001 || ec == 40014 || ec == 42001;
}

cJSON *chan__classify_app(const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j;
    const cJSON *code, *msg;
    long ec;

    if (chan__classify_http(resp, v))
        return NULL;
    j = cJSON_ParseWithLength(resp->body, resp->body_len);
    code = cJSON_GetObjectItemCaseSensitive(j, "errcode");
    msg = cJSON_GetObjectItemCaseSensitive(j, "errmsg");
    if (!cJSON_IsObject(j) || !cJSON_IsNumber(code)) {
        chan__verdict(v, CH_TEMPFAIL, "HTTP %ld without errcode", resp->status);
        cJSON_Delete(j);
        return NULL;
    }
    ec = (long)code->valuedouble;
    if (ec == 0) {
        v->outcome = CH_ACCEPTED;
        return j;
    }
    chan__verdict(v, ec == -1 || ec == 45009 || token_code(ec) ? CH_TEMPFAIL : CH_PERMFAIL,
                  "errcode %ld: %.100s", ec, cJSON_IsString(msg) ? msg->valuestring : "");
    v->token_expired = token_code(ec);
    if (ec == 45009)
        v->retry_after_s = 60;
    return j;
}

int chan__account_ok(const char *to)
{
    size_t n = to != NULL ? strlen(to) : 0;

    if (n == 0 || n > CHAN_ACCOUNT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)to[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_' || c == '.' || c == '@'))
            return 0;
    }
    return 1;
}

char *chan__url_join(const char *base, const char *path, const char *token)
{
    char *tok = chan__escape(token);
    size_t n = strlen(base) + strlen(path) + strlen(tok) + 1;
    char *url = xmalloc(n);

    snprintf(url, n, "%s%s%s", base, path, tok);
    free(tok);
    return url;
}

int chan__json_digits(const httpc_resp_t *resp, const cJSON *j, const char *key, char *out,
                      size_t outlen)
{
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(j, key);
    size_t klen = strlen(key), n;
    const char *p = resp->body, *end = resp->body + resp->body_len;

    out[0] = '\0';
    if (!cJSON_IsNumber(num) || num->valuedouble < 1)
        return 0;
    /* The digits as sent: a double keeps only 15 or 16 of WeChat's 19. */
    while ((p = memchr(p, '"', (size_t)(end - p))) != NULL && (size_t)(end - p) > klen + 2) {
        const char *q = p + 1 + klen;

        if (memcmp(p + 1, key, klen) == 0 && *q == '"' && (p == resp->body || p[-1] != '\\')) {
            for (q++; q < end && (*q == ' ' || *q == ':' || *q == '\t'); q++)
                ;
            for (n = 0; q + n < end && n < 19 && q[n] >= '0' && q[n] <= '9'; n++)
                ;
            if (n > 0 && n < outlen && (q + n == end || q[n] < '0' || q[n] > '9')) {
                memcpy(out, q, n);
                out[n] = '\0';
                return 1;
            }
            return 0;
        }
        p++;
    }
    return 0;
}
