/* SPDX-License-Identifier: MIT */
/* Request checks of cb_test_gateway: one function per endpoint, each fills a verdict. */
#include "tests/gateway/gateway.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double gw_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1000.0;
}

/* Sets the verdict's status and body (takes obj). */
static void reply(struct gw_verdict *v, unsigned status, cJSON *obj)
{
    v->status = status;
    v->body = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
}

/* The robots' answer: always HTTP 200, errcode 0 on success. */
static void robot_reply(struct gw_verdict *v, int errcode, const char *errmsg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "errcode", errcode);
    cJSON_AddStringToObject(o, "errmsg", errmsg);
    reply(v, 200, o);
}

static void error_reply(struct gw_verdict *v, unsigned status, const char *code, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", code);
    cJSON_AddStringToObject(o, "message", msg);
    reply(v, status, o);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 4;
        if (c == 0 || extra == 4 || n - i <= extra)
            return 0; /* a NUL would cut the JSON string short */
        for (size_t k = 1; k <= extra; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += extra + 1;
    }
    return 1;
}

/* Decodes one query component of n bytes into out (at least n + 1 bytes); returns its length. */
static size_t unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return o;
}

cJSON *gw_query_parse(const char *query)
{
    cJSON *obj = cJSON_CreateObject();
    char *buf = malloc(strlen(query) + 1);
    if (!obj || !buf) {
        cJSON_Delete(obj);
        free(buf);
        return NULL;
    }
    for (const char *p = query; *p;) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        size_t kn = eq ? (size_t)(eq - p) : n;
        if (kn > 0) {
            char *key = malloc(kn + 1);
            if (!key)
                break;
            unescape(p, kn, key);
            size_t vn = eq ? unescape(eq + 1, n - kn - 1, buf) : (buf[0] = '\0', 0);
            if (valid_utf8((const unsigned char *)buf, vn)) {
                cJSON_AddStringToObject(obj, key, buf);
            } else {
                char *hex = malloc(2 * vn + 5);
                if (hex) {
                    memcpy(hex, "hex:", 4);
                    for (size_t i = 0; i < vn; i++)
                        snprintf(hex + 4 + 2 * i, 3, "%02x", (unsigned char)buf[i]);
                    hex[4 + 2 * vn] = '\0';
                    cJSON_AddStringToObject(obj, key, hex);
                    free(hex);
                }
            }
            free(key);
        }
        p += n + (amp != NULL);
    }
    free(buf);
    return obj;
}

static const char *query_str(const cJSON *q, const char *name)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, name));
    return s && *s ? s : NULL;
}

static const char *json_str(const cJSON *obj, const char *name)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
    return s && *s ? s : NULL;
}

/* NULL or an array of non-empty strings: copies it into log under "to"; else returns 0. */
static int mobiles(const cJSON *list, cJSON *log)
{
    const cJSON *it;
    if (list && !cJSON_IsArray(list))
        return 0;
    cJSON_ArrayForEach(it, list)
    {
        if (!cJSON_IsString(it) || !it->valuestring[0])
            return 0;
    }
    cJSON_AddItemToObject(log, "to", list ? cJSON_Duplicate(list, 1) : cJSON_CreateArray());
    return 1;
}

/* 1 when the robot identified by kind:id may send now (and records the send). */
static int robot_allow(struct gw_limiter *lim, const char *kind, const char *id)
{
    char key[sizeof lim->slot[0].key];
    int ok = 1;
    if (!lim->on)
        return 1;
    snprintf(key, sizeof key, "%s:%s", kind, id);
    double now = gw_now();
    pthread_mutex_lock(&lim->lock);
    struct gw_robot_slot *s = NULL;
    for (int i = 0; i < lim->used && !s; i++)
        if (strcmp(lim->slot[i].key, key) == 0)
            s = &lim->slot[i];
    if (!s && lim->used < GW_ROBOT_KEYS) {
        s = &lim->slot[lim->used++];
        memset(s, 0, sizeof *s);
        snprintf(s->key, sizeof s->key, "%s", key);
    }
    if (s) {
        /* sent[next] is the oldest of the last 20 sends (0 while fewer were made). */
        ok = now - s->sent[s->next] >= 60.0;
        if (ok) {
            s->sent[s->next] = now;
            s->next = (s->next + 1) % GW_ROBOT_PER_MIN;
        }
    }
    pthread_mutex_unlock(&lim->lock);
    return ok;
}

static void hmac_sha256(const char *key, const void *msg, size_t len, unsigned char out[32])
{
    unsigned int outlen = 32;
    HMAC(EVP_sha256(), key, (int)strlen(key), msg, len, out, &outlen);
}

/* What both robots read: the query, the JSON body, its msgtype and that type's object;
 * log collects the fields of the log line. */
struct robot {
    cJSON *q, *doc, *log;
    const char *type;
    const cJSON *part;
};

static void robot_open(struct robot *r, const struct gw_request *rq)
{
    r->q = gw_query_parse(rq->query);
    r->doc = cJSON_ParseWithLength(rq->body, rq->len);
    r->log = cJSON_CreateObject();
    r->type = json_str(r->doc, "msgtype");
    r->part = r->type ? cJSON_GetObjectItemCaseSensitive(r->doc, r->type) : NULL;
}

/* errcode 0; the verdict takes the log line, completed with key, msgtype and text. */
static void robot_accept(struct robot *r, struct gw_verdict *v, const char *key, const char *text)
{
    robot_reply(v, 0, "ok");
    if (!cJSON_GetObjectItemCaseSensitive(r->log, "to"))
        cJSON_AddItemToObject(r->log, "to", cJSON_CreateArray());
    cJSON_AddStringToObject(r->log, "key", key);
    cJSON_AddStringToObject(r->log, "msgtype", r->type);
    cJSON_AddStringToObject(r->log, "text", text);
    v->log = r->log;
    r->log = NULL;
}

static void robot_close(struct robot *r)
{
    cJSON_Delete(r->log);
    cJSON_Delete(r->doc);
    cJSON_Delete(r->q);
}

void gw_check_wecom(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v)
{
    struct robot r;
    robot_open(&r, rq);
    const char *key = query_str(r.q, "key");
    const char *type = r.type;
    const cJSON *part = r.part;
    const char *content = json_str(part, "content");
    size_t cap = type && strcmp(type, "text") == 0 ? 2048 : 4096;

    if (!key)
        robot_reply(v, 93000, "invalid webhook url");
    else if (!type || (strcmp(type, "text") != 0 && strcmp(type, "markdown") != 0))
        robot_reply(v, 93000, "invalid request: msgtype must be text or markdown");
    else if (!content || strlen(content) > cap)
        robot_reply(v, 93000, "invalid request: content missing, empty or too long");
    else if (strcmp(type, "text") == 0 &&
             (!mobiles(cJSON_GetObjectItemCaseSensitive(part, "mentioned_mobile_list"), r.log) ||
              (cJSON_GetObjectItemCaseSensitive(part, "mentioned_list") &&
               !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(part, "mentioned_list")))))
        robot_reply(v, 93000, "invalid request: mentioned lists must be arrays of strings");
    else if (strcmp(type, "markdown") == 0 &&
             cJSON_GetObjectItemCaseSensitive(part, "mentioned_mobile_list"))
        robot_reply(v, 93000, "invalid request: markdown takes no mentioned_mobile_list");
    else if (!robot_allow(&ctx->limiter, "wecom", key))
        robot_reply(v, 45009, "api freq out of limit");
    else
        robot_accept(&r, v, key, content);
    robot_close(&r);
}

/* DingTalk 加签: sign = urlescape(base64(HMAC-SHA256(secret, timestamp "\n" secret))). */
static int dingtalk_sign_ok(const char *secret, const char *ts, const char *sign)
{
    unsigned char mac[32];
    unsigned char b64[48];
    size_t n = strlen(ts) + 1 + strlen(secret);
    char *msg = malloc(n + 1);
    if (!msg)
        return 0;
    snprintf(msg, n + 1, "%s\n%s", ts, secret);
    hmac_sha256(secret, msg, n, mac);
    free(msg);
    int len = EVP_EncodeBlock(b64, mac, sizeof mac);
    return strlen(sign) == (size_t)len && CRYPTO_memcmp(b64, sign, (size_t)len) == 0;
}

void gw_check_dingtalk(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v)
{
    struct robot r;
    robot_open(&r, rq);
    const char *token = query_str(r.q, "access_token");
    const char *ts = query_str(r.q, "timestamp");
    const char *sign = query_str(r.q, "sign");
    const char *type = r.type;
    const cJSON *part = r.part;
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(r.doc, "at");
    int md = type && strcmp(type, "markdown") == 0;
    const char *text = json_str(part, md ? "text" : "content");
    char *end = NULL;
    double ms = ts ? strtod(ts, &end) : 0;

    if (!token)
        robot_reply(v, 300005, "token is not exist");
    else if (!ts || !sign || *end || ms < 0 || ms - gw_now() * 1000.0 > 3600e3 ||
             gw_now() * 1000.0 - ms > 3600e3)
        robot_reply(v, 310000, "invalid timestamp");
    else if (!dingtalk_sign_ok(ctx->secret, ts, sign))
        robot_reply(v, 310000, "sign not match");
    else if (!type || (!md && strcmp(type, "text") != 0) || !text ||
             (md && !json_str(part, "title")))
        robot_reply(v, 40035, "invalid request: text.content or markdown.title+text required");
    else if ((at && !cJSON_IsObject(at)) ||
             !mobiles(cJSON_GetObjectItemCaseSensitive(at, "atMobiles"), r.log))
        robot_reply(v, 40035, "invalid request: at.atMobiles must be an array of strings");
    else if (!robot_allow(&ctx->limiter, "dingtalk", token))
        robot_reply(v, 130101, "send too fast, exceed 20 times per minute");
    else {
        if (md)
            cJSON_AddStringToObject(r.log, "title", json_str(part, "title"));
        robot_accept(&r, v, token, text);
    }
    robot_close(&r);
}

/* X-Canbao-Signature: one or more "v1=<hex>" separated by commas; any may match. */
static int webhook_sig_ok(const char *secret, const char *ts, const struct gw_request *rq)
{
    unsigned char mac[32];
    char want[65];
    size_t tn = strlen(ts);
    char *msg = malloc(tn + 1 + rq->len + 1);
    if (!msg)
        return 0;
    memcpy(msg, ts, tn);
    msg[tn] = '.';
    memcpy(msg + tn + 1, rq->body, rq->len);
    hmac_sha256(secret, msg, tn + 1 + rq->len, mac);
    free(msg);
    for (int i = 0; i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", mac[i]);
    for (const char *p = rq->sig; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        char got[65] = {0};
        if (n == 67 && strncmp(p, "v1=", 3) == 0) {
            for (int i = 0; i < 64; i++)
                got[i] = (char)tolower((unsigned char)p[3 + i]);
            if (CRYPTO_memcmp(got, want, 64) == 0)
                return 1;
        }
        p += n;
    }
    return 0;
}

void gw_check_webhook(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v)
{
    char *end = NULL;
    double ts = rq->ts ? strtod(rq->ts, &end) : 0;
    double skew = ts - gw_now();

    if (!rq->ts || !*rq->ts || *end || skew > 300 || skew < -300) {
        error_reply(v, 401, "BadTimestamp", "X-Canbao-Timestamp missing or outside 300 s");
        return;
    }
    if (!rq->sig || !webhook_sig_ok(ctx->secret, rq->ts, rq)) {
        error_reply(v, 401, "BadSignature", "X-Canbao-Signature does not match");
        return;
    }
    if (!rq->idem || !*rq->idem || strlen(rq->idem) > 255) {
        error_reply(v, 400, "BadIdempotencyKey", "Idempotency-Key missing or over 255 chars");
        return;
    }
    cJSON *doc = cJSON_ParseWithLength(rq->body, rq->len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "id");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(doc, "key");
    if (!(cJSON_IsString(id) || cJSON_IsNumber(id)) || !json_str(doc, "to") ||
        !json_str(doc, "text") || (key && !cJSON_IsString(key))) {
        error_reply(v, 400, "InvalidBody", "want {\"id\",\"key\",\"to\",\"text\"}");
    } else {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "ok", 1);
        reply(v, 200, o);
        v->log = cJSON_CreateObject();
        cJSON_AddItemToObject(v->log, "id", cJSON_Duplicate(id, 0));
        cJSON_AddStringToObject(v->log, "key", key ? key->valuestring : "");
        cJSON_AddStringToObject(v->log, "to", json_str(doc, "to"));
        cJSON_AddStringToObject(v->log, "text", json_str(doc, "text"));
        v->dedupe = cJSON_AddStringToObject(v->log, "idempotency_key", rq->idem)->valuestring;
    }
    cJSON_Delete(doc);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int phone_ok(const char *s)
{
    size_t n = strspn(s + (*s == '+'), "0123456789");
    return n >= 5 && n <= 20 && s[(*s == '+') + n] == '\0';
}

void gw_check_sms(struct gw_ctx *ctx, const struct gw_request *rq, struct gw_verdict *v,
                  unsigned long seq)
{
    if (ctx->sms_auth) {
        size_t sn = strlen(ctx->secret);
        if (!rq->auth || strncmp(rq->auth, "Bearer ", 7) != 0 || strlen(rq->auth) != 7 + sn ||
            CRYPTO_memcmp(rq->auth + 7, ctx->secret, sn) != 0) {
            error_reply(v, 401, "Unauthorized", "Authorization: Bearer <secret> required");
            return;
        }
    }
    cJSON *doc = cJSON_ParseWithLength(rq->body, rq->len);
    const char *to = json_str(doc, "to");
    const char *text = json_str(doc, "text");
    const char *out_id = json_str(doc, "out_id");
    if (!to || !phone_ok(to))
        error_reply(v, 400, "InvalidParameter", "to: a phone number of 5-20 digits");
    else if (!text || utf8_chars(text) > 500)
        error_reply(v, 400, "InvalidParameter", "text: 1-500 characters");
    else if (!out_id || strlen(out_id) > 64)
        error_reply(v, 400, "InvalidParameter", "out_id: 1-64 characters");
    else {
        char mid[32];
        snprintf(mid, sizeof mid, "gw-%lu", seq);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", "OK");
        cJSON_AddStringToObject(o, "message_id", mid);
        reply(v, 200, o);
        v->log = cJSON_CreateObject();
        cJSON_AddStringToObject(v->log, "to", to);
        cJSON_AddStringToObject(v->log, "text", text);
        v->dedupe = cJSON_AddStringToObject(v->log, "out_id", out_id)->valuestring;
        cJSON_AddStringToObject(v->log, "message_id", mid);
    }
    cJSON_Delete(doc);
}

void gw_check_callback(const struct gw_request *rq, struct gw_verdict *v)
{
    cJSON *q = gw_query_parse(rq->query);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "errcode", 0);
    reply(v, 200, o);
    v->log = cJSON_CreateObject();
    /* Kannel's names: MO from=%p to=%P text=%b; copied up front for the "once" checks. */
    static const char *const copied[] = {"from", "to", "text"};
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
        const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(q, copied[i]));
        if (s)
            cJSON_AddStringToObject(v->log, copied[i], s);
    }
    cJSON_AddItemToObject(v->log, "query", q);
}
