/* SPDX-License-Identifier: MIT */
/*
 * drv_aliyun.c - Aliyun SMS (dysmsapi 2017-05-25, PROTOCOLS.md 6.1): SendSms of the
 * provider template mapped to the message's canbao template (chan_tplmap.c), signed
 * with the V3 scheme ACS3-HMAC-SHA256 (net/sign_cloud.h). Parameters travel as a
 * form body; OutId is our outbox id, echoed in delivery reports. The answer is HTTP
 * 200 {"Code":"OK","BizId":..} on success and a JSON Code on every failure.
 * Up to 100 messages of one template go as one SendBatchSms (chan_batch.c).
 */
#include "channels/channel_internal.h"
#include "net/sign_cloud.h"

#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/phone.h"

#define ALIYUN_VERSION "2017-05-25"
#define PARAMS_MAX 16

typedef struct aliyun {
    char *url, *host;  /* host[:port] as curl sends it in Host */
    char *key_id, *key_secret;
    char *sign_name;
} aliyun_t;

static const chan_opt_t aliyun_opts[] = {
    {"url", CHO_STR, 0},
    {"access_key_id", CHO_SECRET, 1},
    {"access_key_secret", CHO_SECRET, 1},
    {"sign_name", CHO_STR, 1},
    {"templates", CHO_OBJ, 1},
    {"callback_secret", CHO_SECRET, 0},
    {NULL, CHO_STR, 0},
};

static void aliyun_destroy(void *priv)
{
    aliyun_t *a = priv;

    free(a->url);
    free(a->host);
    free(a->key_id);
    free(a->key_secret);
    free(a->sign_name);
    free(a);
}

/* "host[:port]" of an http(s) URL. */
static char *url_host(const char *url)
{
    const char *p = strstr(url, "://");
    size_t n;
    char *h;

    p = p != NULL ? p + 3 : url;
    n = strcspn(p, "/?#");
    h = xmalloc(n + 1);
    memcpy(h, p, n);
    h[n] = '\0';
    return h;
}

/* The signature the recipient sees before the text, for part counts. */
static char *sign_decor(const char *sign_name)
{
    size_t n = strlen(sign_name) + 7;
    char *s = xmalloc(n);

    snprintf(s, n, "【%s】", sign_name);
    return s;
}

int chan__cloud_create(channel_t *ch, const cJSON *cfg, int positional, char *err,
                       size_t errlen)
{
    char *sign = chan__str(cfg, "sign_name", "");
    int rc = CB_OK;

    rc = chan__secret(ch, cfg, "callback_secret", &ch->callback_secret, err, errlen);
    if (rc < 0) {
        free(sign);
        return rc;
    }
    if (sign[0] == '\0' || strstr(sign, "【") != NULL || strstr(sign, "】") != NULL)
        rc = chan__fail(ch, err, errlen,
                        "sign_name must be the approved signature without 【】");
    else
        ch->signature = sign_decor(sign);
    free(sign);
    return rc < 0 ? rc : chan__tplmap_read(ch, cfg, positional, err, errlen);
}

static int aliyun_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    aliyun_t *a = xcalloc(1, sizeof *a);
    int rc;

    ch->priv = a;
    rc = chan__secret(ch, cfg, "access_key_id", &a->key_id, err, errlen);
    if (rc == CB_OK)
        rc = chan__secret(ch, cfg, "access_key_secret", &a->key_secret, err, errlen);
    if (rc < 0)
        return rc;
    a->url = chan__str(cfg, "url", "https://dysmsapi.aliyuncs.com/");
    a->host = url_host(a->url);
    a->sign_name = chan__str(cfg, "sign_name", "");
    if (chan__check_url(ch, a->url, err, errlen) < 0)
        return CB_ECONFIG;
    return chan__cloud_create(ch, cfg, 0, err, errlen);
}

/* A random hex nonce (x-acs-signature-nonce must never repeat). */
static void nonce(char out[33])
{
    unsigned char r[16];

    if (RAND_bytes(r, sizeof r) != 1)
        abort();
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* Append "&name=escaped(value)" ("name=..." first) to the body. */
static void form_add(char **body, size_t *len, const char *name, const char *value)
{
    char *e = chan__escape(value);
    size_t n = strlen(name) + strlen(e) + 2;

    *body = xrealloc(*body, *len + n + 1);
    snprintf(*body + *len, n + 1, "%s%s=%s", *len > 0 ? "&" : "", name, e);
    *len += strlen(*body + *len);
    free(e);
}

/* The V3 headers and Authorization for 'action' with the form body in 'req'. */
static void acs3_headers(const aliyun_t *a, const char *action, int64_t now_ms,
                         chan_req_t *req)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    char date[32], non[33], hash[65], sig[65], names[160], auth[512];
    const char *ct = "application/x-www-form-urlencoded";

    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    nonce(non);
    sign_sha256_hex(req->body, req->body_len, hash);
    sign_hdr_t h[] = {{"content-type", ct},          {"host", a->host},
                      {"x-acs-action", action},      {"x-acs-content-sha256", hash},
                      {"x-acs-date", date},          {"x-acs-signature-nonce", non},
                      {"x-acs-version", ALIYUN_VERSION}};
    sign_acs3(a->key_secret, "POST", "/", "", h, sizeof h / sizeof h[0], req->body,
              req->body_len, sig, names, sizeof names);
    snprintf(auth, sizeof auth, "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s",
             a->key_id, names, sig);
    chan__req_header(req, "Content-Type", ct);
    chan__req_header(req, "x-acs-action", action);
    chan__req_header(req, "x-acs-version", ALIYUN_VERSION);
    chan__req_header(req, "x-acs-date", date);
    chan__req_header(req, "x-acs-signature-nonce", non);
    chan__req_header(req, "x-acs-content-sha256", hash);
    chan__req_header(req, "Authorization", auth);
}

/* {"name":"张**",...}: TemplateParam, a JSON string of string values. */
static char *param_json(const chan_tpl_t *t, const char *const *vals)
{
    cJSON *o = cJSON_CreateObject();
    char *s, *copy;

    for (size_t i = 0; i < t->nparams; i++)
        cJSON_AddStringToObject(o, t->pname[i], vals[i]);
    s = cJSON_PrintUnformatted(o);
    copy = xstrdup(s);
    cJSON_free(s);
    cJSON_Delete(o);
    return copy;
}

/* The message's number into 'to' and its mapped template with values (as
 * chan__tpl_values); NULL with a permanent verdict in 'v'. */
static const chan_tpl_t *aliyun_check(const channel_t *ch, const ch_msg_t *m,
                                      char to[PHONE_LEN + 1], cJSON **vars, const char **vals,
                                      chan_verdict_t *v)
{
    if (m->to == NULL || phone_normalise(m->to, strlen(m->to), to, NULL, 0) < 0) {
        chan__verdict(v, CH_PERMFAIL, "invalid phone number");
        return NULL;
    }
    return chan__tpl_values(ch, m, vars, vals, v);
}

static int aliyun_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms,
                        chan_req_t *req, int *parts, chan_verdict_t *v)
{
    const aliyun_t *a = ch->priv;
    const char *vals[PARAMS_MAX];
    char to[PHONE_LEN + 1], id[24], *param;
    cJSON *vars;
    const chan_tpl_t *t = aliyun_check(ch, m, to, &vars, vals, v);

    if (t == NULL)
        return CB_EREJECTED;
    *parts = chan__tpl_parts(ch, t, vals, 0);
    param = param_json(t, vals);
    snprintf(id, sizeof id, "%" PRId64, m->id);
    form_add(&req->body, &req->body_len, "OutId", id);
    form_add(&req->body, &req->body_len, "PhoneNumbers", to);
    form_add(&req->body, &req->body_len, "SignName", a->sign_name);
    form_add(&req->body, &req->body_len, "TemplateCode", t->code);
    form_add(&req->body, &req->body_len, "TemplateParam", param);
    free(param);
    cJSON_Delete(vars);
    req->method = "POST";
    req->url = xstrdup(a->url);
    acs3_headers(a, "SendSms", now_ms, req);
    return CB_OK;
}

/* SendBatchSms takes any messages of one template: the key is its code. */
static int aliyun_batch_key(const channel_t *ch, const ch_msg_t *m, char **key, int *parts,
                            chan_verdict_t *v)
{
    const char *vals[PARAMS_MAX];
    char to[PHONE_LEN + 1];
    cJSON *vars;
    const chan_tpl_t *t = aliyun_check(ch, m, to, &vars, vals, v);

    if (t == NULL)
        return CB_EREJECTED;
    *parts = chan__tpl_parts(ch, t, vals, 0);
    *key = xstrdup(t->code);
    cJSON_Delete(vars);
    return CB_OK;
}

/* Serialize 'arr' (deleted) into the form field 'name'. */
static void form_json(chan_req_t *req, const char *name, cJSON *arr)
{
    char *s = cJSON_PrintUnformatted(arr);

    form_add(&req->body, &req->body_len, name, s);
    cJSON_free(s);
    cJSON_Delete(arr);
}

/* SendBatchSms: PhoneNumberJson, SignNameJson and TemplateParamJson, one entry a
 * message, in order; no OutId (reports name the BizId and the number). */
static int aliyun_build_batch(const channel_t *ch, const ch_msg_t *const *m, size_t n,
                              int64_t now_ms, chan_req_t *req)
{
    const aliyun_t *a = ch->priv;
    cJSON *phones = cJSON_CreateArray(), *signs = cJSON_CreateArray();
    cJSON *params = cJSON_CreateArray();
    const chan_tpl_t *t = NULL;

    for (size_t i = 0; i < n; i++) {
        const char *vals[PARAMS_MAX];
        char to[PHONE_LEN + 1], *param;
        chan_verdict_t v;
        cJSON *vars;

        t = aliyun_check(ch, m[i], to, &vars, vals, &v);
        if (t == NULL) /* batch_key checked every message */
            abort();
        param = param_json(t, vals);
        cJSON_AddItemToArray(phones, cJSON_CreateString(to));
        cJSON_AddItemToArray(signs, cJSON_CreateString(a->sign_name));
        cJSON_AddItemToArray(params, cJSON_CreateRaw(param));
        free(param);
        cJSON_Delete(vars);
    }
    form_json(req, "PhoneNumberJson", phones);
    form_json(req, "SignNameJson", signs);
    form_add(&req->body, &req->body_len, "TemplateCode", t->code);
    form_json(req, "TemplateParamJson", params);
    req->method = "POST";
    req->url = xstrdup(a->url);
    acs3_headers(a, "SendBatchSms", now_ms, req);
    return CB_OK;
}

/* Codes worth retrying: flow control, throttling, the platform's own errors, and
 * what a wrong clock or a rotated key causes (the breaker then fails over). */
static int aliyun_temporary(const char *code)
{
    static const char *const temp[] = {
        "isv.BUSINESS_LIMIT_CONTROL", "Throttling", "isp.SYSTEM_ERROR", "isv.OUT_OF_SERVICE",
        "SignatureNonceUsed", "InvalidTimeStamp.Expired", "SignatureDoesNotMatch",
        "InvalidAccessKeyId.NotFound", "InvalidSecurityToken.Expired", "ServiceUnavailable",
        NULL};

    for (size_t i = 0; temp[i] != NULL; i++) {
        if (strncmp(code, temp[i], strlen(temp[i])) == 0)
            return 1;
    }
    return 0;
}

/* Read {"Code":..,"Message":..,"BizId":..}; 0 when the body holds no Code. */
int chan__aliyun_code(const cJSON *j, chan_verdict_t *v)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "Code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "Message");
    const cJSON *biz = cJSON_GetObjectItemCaseSensitive(j, "BizId");

    if (!cJSON_IsString(code))
        return 0;
    if (strcmp(code->valuestring, "OK") == 0) {
        v->outcome = CH_ACCEPTED;
        if (cJSON_IsString(biz))
            snprintf(v->gateway_id, sizeof v->gateway_id, "%s", biz->valuestring);
        return 1;
    }
    chan__verdict(v, aliyun_temporary(code->valuestring) ? CH_TEMPFAIL : CH_PERMFAIL, "%s: %.100s",
                  code->valuestring, cJSON_IsString(msg) ? msg->valuestring : "");
    if (strcmp(code->valuestring, "isv.BUSINESS_LIMIT_CONTROL") == 0 ||
        strncmp(code->valuestring, "Throttling", 10) == 0)
        v->retry_after_s = 60;
    return 1;
}

static void aliyun_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j;

    (void)ch;
    if (resp->error != NULL || resp->status >= 500) {
        chan__classify_http(resp, v);
        return;
    }
    j = cJSON_ParseWithLength(resp->body, resp->body_len);
    if (!chan__aliyun_code(j, v) && !chan__classify_http(resp, v))
        chan__verdict(v, CH_TEMPFAIL, "HTTP %ld without Code", resp->status);
    cJSON_Delete(j);
}

/* One Code for the whole call, so one verdict for every message; an accepted one's
 * gateway id is "BizId:number", what drv_cloud_in.c makes of a batch's report. */
static void aliyun_classify_batch(const channel_t *ch, const httpc_resp_t *resp,
                                  const ch_msg_t *const *m, size_t n, chan_verdict_t *v)
{
    char biz[sizeof v->gateway_id];

    aliyun_classify(ch, resp, &v[0]);
    snprintf(biz, sizeof biz, "%s", v[0].gateway_id);
    for (size_t i = 0; i < n; i++) {
        char to[PHONE_LEN + 1];

        v[i] = v[0];
        v[i].gateway_id[0] = '\0';
        if (v[i].outcome == CH_ACCEPTED && biz[0] != '\0' &&
            phone_normalise(m[i]->to, strlen(m[i]->to), to, NULL, 0) == CB_OK)
            chan__batch_gateway_id(biz, to, v[i].gateway_id, sizeof v[i].gateway_id);
    }
}

const channel_ops_t channel_aliyun_sms_ops = {
    .type = "aliyun_sms",
    .kind = CH_KIND_SMS,
    .opts = aliyun_opts,
    .default_rate = 100.0,
    .default_burst = 0,
    .create = aliyun_create,
    .destroy = aliyun_destroy,
    .build = aliyun_build,
    .classify = aliyun_classify,
    .batch_max = 100,
    .batch_key = aliyun_batch_key,
    .build_batch = aliyun_build_batch,
    .classify_batch = aliyun_classify_batch,
    .send = NULL,
    .inbound = aliyun_inbound,
};
