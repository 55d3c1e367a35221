/* SPDX-License-Identifier: MIT */
/*
 * drv_tencent.c - Tencent Cloud SMS (SendSms 2021-01-11, PROTOCOLS.md 6.2): the
 * provider template mapped to the message's canbao template (chan_tplmap.c, {1}..{n}
 * positional), the number in E.164, SessionContext our outbox id, signed with
 * TC3-HMAC-SHA256 (net/sign_cloud.h). The answer is HTTP 200 either way: a
 * Response.Error for the whole call, else SendStatusSet[].Code per number, Fee the
 * billed parts and SerialNo the id delivery reports come back with (as "sid").
 * Up to 200 messages of one template with equal parameters go as one SendSms with
 * several numbers (chan_batch.c), each answered by its own SendStatusSet entry.
 */
#include "channels/channel_internal.h"
#include "net/sign_cloud.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/phone.h"

#define TENCENT_VERSION "2021-01-11"
#define TENCENT_CT      "application/json; charset=utf-8"
#define PARAMS_MAX 16

typedef struct tencent {
    char *url, *host;
    char *secret_id, *secret_key;
    char *app_id, *sign_name, *region;
} tencent_t;

static const chan_opt_t tencent_opts[] = {
    {"url", CHO_STR, 0},
    {"secret_id", CHO_SECRET, 1},
    {"secret_key", CHO_SECRET, 1},
    {"sdk_app_id", CHO_STR, 1},
    {"sign_name", CHO_STR, 1},
    {"region", CHO_STR, 0},
    {"templates", CHO_OBJ, 1},
    {"callback_secret", CHO_SECRET, 0},
    {NULL, CHO_STR, 0},
};

static void tencent_destroy(void *priv)
{
    tencent_t *t = priv;

    free(t->url);
    free(t->host);
    free(t->secret_id);
    free(t->secret_key);
    free(t->app_id);
    free(t->sign_name);
    free(t->region);
    free(t);
}

static int tencent_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    tencent_t *t = xcalloc(1, sizeof *t);
    const char *p;
    int rc;

    ch->priv = t;
    rc = chan__secret(ch, cfg, "secret_id", &t->secret_id, err, errlen);
    if (rc == CB_OK)
        rc = chan__secret(ch, cfg, "secret_key", &t->secret_key, err, errlen);
    if (rc < 0)
        return rc;
    t->url = chan__str(cfg, "url", "https://sms.tencentcloudapi.com/");
    p = strstr(t->url, "://");
    p = p != NULL ? p + 3 : t->url;
    t->host = xstrdup(p);
    t->host[strcspn(t->host, "/?#")] = '\0';
    t->app_id = chan__str(cfg, "sdk_app_id", "");
    t->sign_name = chan__str(cfg, "sign_name", "");
    t->region = chan__str(cfg, "region", "ap-guangzhou");
    if (chan__check_url(ch, t->url, err, errlen) < 0)
        return CB_ECONFIG;
    return chan__cloud_create(ch, cfg, 1, err, errlen);
}

static void tc3_headers(const tencent_t *t, int64_t now_ms, chan_req_t *req)
{
    char sig[65], scope[96], ts[24], auth[512];
    int64_t now = now_ms / 1000;

    sign_tc3(t->secret_key, "sms", t->host, TENCENT_CT, now, req->body, req->body_len, sig,
             scope, sizeof scope);
    snprintf(ts, sizeof ts, "%" PRId64, now);
    snprintf(auth, sizeof auth,
             "TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=content-type;host, Signature=%s",
             t->secret_id, scope, sig);
    chan__req_header(req, "Authorization", auth);
    chan__req_header(req, "X-TC-Action", "SendSms");
    chan__req_header(req, "X-TC-Version", TENCENT_VERSION);
    chan__req_header(req, "X-TC-Timestamp", ts);
    chan__req_header(req, "X-TC-Region", t->region);
}

/* The message's number in E.164 and its mapped template with values (as
 * chan__tpl_values); NULL with a permanent verdict in 'v'. */
static const chan_tpl_t *tencent_check(const channel_t *ch, const ch_msg_t *m,
                                       char e164[PHONE_LEN + 4], cJSON **vars,
                                       const char **vals, chan_verdict_t *v)
{
    char to[PHONE_LEN + 1];

    if (m->to == NULL || phone_normalise(m->to, strlen(m->to), to, NULL, 0) < 0) {
        chan__verdict(v, CH_PERMFAIL, "invalid phone number");
        return NULL;
    }
    snprintf(e164, PHONE_LEN + 4, "+86%s", to);
    return chan__tpl_values(ch, m, vars, vals, v);
}

/* SendSms of 'phones' (taken) with template 'tp' and 'vals'; 'id' the SessionContext. */
static void tencent_request(const tencent_t *t, const chan_tpl_t *tp, const char *const *vals,
                            cJSON *phones, int64_t id, int64_t now_ms, chan_req_t *req)
{
    cJSON *body = cJSON_CreateObject(), *set;
    char sid[24];

    snprintf(sid, sizeof sid, "%" PRId64, id);
    cJSON_AddItemToObject(body, "PhoneNumberSet", phones);
    cJSON_AddStringToObject(body, "SmsSdkAppId", t->app_id);
    cJSON_AddStringToObject(body, "SignName", t->sign_name);
    cJSON_AddStringToObject(body, "TemplateId", tp->code);
    set = cJSON_AddArrayToObject(body, "TemplateParamSet");
    for (size_t i = 0; i < tp->nparams; i++)
        cJSON_AddItemToArray(set, cJSON_CreateString(vals[i]));
    cJSON_AddStringToObject(body, "SessionContext", sid);
    chan__req_json(req, t->url, body);
    cJSON_Delete(body);
    tc3_headers(t, now_ms, req);
}

static int tencent_build(const channel_t *ch, const ch_msg_t *m, int64_t now_ms,
                         chan_req_t *req, int *parts, chan_verdict_t *v)
{
    const char *vals[PARAMS_MAX];
    char e164[PHONE_LEN + 4];
    cJSON *vars, *phones;
    const chan_tpl_t *tp = tencent_check(ch, m, e164, &vars, vals, v);

    if (tp == NULL)
        return CB_EREJECTED;
    *parts = chan__tpl_parts(ch, tp, vals, 1);
    phones = cJSON_CreateArray();
    cJSON_AddItemToArray(phones, cJSON_CreateString(e164));
    tencent_request(ch->priv, tp, vals, phones, m->id, now_ms, req);
    cJSON_Delete(vars);
    return CB_OK;
}

/* One TemplateParamSet for every number: the key is the template and its values. */
static int tencent_batch_key(const channel_t *ch, const ch_msg_t *m, char **key, int *parts,
                             chan_verdict_t *v)
{
    const char *vals[PARAMS_MAX];
    char e164[PHONE_LEN + 4];
    cJSON *vars, *k;
    const chan_tpl_t *tp = tencent_check(ch, m, e164, &vars, vals, v);
    char *s;

    if (tp == NULL)
        return CB_EREJECTED;
    *parts = chan__tpl_parts(ch, tp, vals, 1);
    k = cJSON_CreateArray();
    cJSON_AddItemToArray(k, cJSON_CreateString(tp->code));
    for (size_t i = 0; i < tp->nparams; i++)
        cJSON_AddItemToArray(k, cJSON_CreateString(vals[i]));
    s = cJSON_PrintUnformatted(k);
    *key = xstrdup(s);
    cJSON_free(s);
    cJSON_Delete(k);
    cJSON_Delete(vars);
    return CB_OK;
}

static int tencent_build_batch(const channel_t *ch, const ch_msg_t *const *m, size_t n,
                               int64_t now_ms, chan_req_t *req)
{
    const char *vals[PARAMS_MAX];
    char e164[PHONE_LEN + 4];
    chan_verdict_t v;
    cJSON *vars = NULL, *phones = cJSON_CreateArray();
    const chan_tpl_t *tp = NULL;

    for (size_t i = 0; i < n; i++) {
        cJSON_Delete(vars); /* the first's values stay: the key made them equal */
        tp = tencent_check(ch, m[i], e164, &vars, vals, &v);
        if (tp == NULL) /* batch_key checked every message */
            abort();
        cJSON_AddItemToArray(phones, cJSON_CreateString(e164));
        if (i + 1 < n)
            continue;
        tencent_request(ch->priv, tp, vals, phones, m[0]->id, now_ms, req);
    }
    cJSON_Delete(vars);
    return CB_OK;
}

/* Worth retrying: rate and frequency limits, the platform's errors, and what a
 * wrong clock or a rotated key causes (the breaker then fails over). */
static int tencent_temporary(const char *code)
{
    static const char *const temp[] = {"LimitExceeded", "RequestLimitExceeded", "InternalError",
                                       "AuthFailure", "FailedOperation.InsufficientBalance",
                                       NULL};

    for (size_t i = 0; temp[i] != NULL; i++) {
        if (strncmp(code, temp[i], strlen(temp[i])) == 0)
            return 1;
    }
    return 0;
}

/* One number's {"Code":"Ok","SerialNo":..,"Fee":1,..} into 'v'. */
void chan__tencent_status(const cJSON *st, chan_verdict_t *v)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(st, "Code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(st, "Message");
    const cJSON *sn = cJSON_GetObjectItemCaseSensitive(st, "SerialNo");
    const cJSON *fee = cJSON_GetObjectItemCaseSensitive(st, "Fee");

    if (!cJSON_IsString(code)) {
        chan__verdict(v, CH_TEMPFAIL, "SendStatusSet entry without Code");
        return;
    }
    if (strcmp(code->valuestring, "Ok") == 0) {
        v->outcome = CH_ACCEPTED;
        if (cJSON_IsString(sn))
            snprintf(v->gateway_id, sizeof v->gateway_id, "%s", sn->valuestring);
        if (cJSON_IsNumber(fee) && fee->valuedouble >= 1 && fee->valuedouble <= 255)
            v->parts = (int)fee->valuedouble;
        return;
    }
    chan__verdict(v, tencent_temporary(code->valuestring) ? CH_TEMPFAIL : CH_PERMFAIL,
                  "%s: %.100s", code->valuestring, cJSON_IsString(msg) ? msg->valuestring : "");
    if (strncmp(code->valuestring, "LimitExceeded", 13) == 0 ||
        strcmp(code->valuestring, "RequestLimitExceeded") == 0)
        v->retry_after_s = 60;
}

/* The Response object of an answer, or NULL with 'v' set (transport, 5xx, Error). */
const cJSON *chan__tencent_response(const httpc_resp_t *resp, const cJSON *j, chan_verdict_t *v)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "Response");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "Error");

    if (resp->error != NULL || resp->status < 200 || resp->status > 299) {
        chan__classify_http(resp, v);
        return NULL;
    }
    if (!cJSON_IsObject(r)) {
        chan__verdict(v, CH_TEMPFAIL, "HTTP %ld without Response", resp->status);
        return NULL;
    }
    if (e != NULL) {
        chan__tencent_status(e, v);
        if (v->outcome == CH_ACCEPTED)
            chan__verdict(v, CH_PERMFAIL, "Response.Error without a code");
        return NULL;
    }
    return r;
}

static void tencent_classify(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v)
{
    cJSON *j = cJSON_ParseWithLength(resp->body, resp->body_len);
    const cJSON *r = chan__tencent_response(resp, j, v);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(r, "SendStatusSet");

    (void)ch;
    if (r != NULL) {
        if (cJSON_GetArraySize(set) != 1)
            chan__verdict(v, CH_TEMPFAIL, "SendStatusSet has %d entries, not 1",
                          cJSON_GetArraySize(set));
        else
            chan__tencent_status(cJSON_GetArrayItem(set, 0), v);
    }
    cJSON_Delete(j);
}

/* The entry of each message: the first unused one with its number (a household
 * may have one number twice); a message without one is a temporary failure. */
static void tencent_classify_batch(const channel_t *ch, const httpc_resp_t *resp,
                                   const ch_msg_t *const *m, size_t n, chan_verdict_t *v)
{
    cJSON *j = cJSON_ParseWithLength(resp->body, resp->body_len);
    const cJSON *r = chan__tencent_response(resp, j, &v[0]);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(r, "SendStatusSet");
    int ns = cJSON_GetArraySize(set);
    char *used = xcalloc((size_t)ns + 1, 1);

    (void)ch;
    for (size_t i = 0; i < n; i++) {
        char e164[PHONE_LEN + 4] = "", to[PHONE_LEN + 1];
        int k = 0;

        if (r == NULL) {
            v[i] = v[0];
            continue;
        }
        memset(&v[i], 0, sizeof v[i]);
        if (phone_normalise(m[i]->to, strlen(m[i]->to), to, NULL, 0) == CB_OK)
            snprintf(e164, sizeof e164, "+86%s", to);
        for (const cJSON *st = set != NULL ? set->child : NULL; st != NULL; st = st->next, k++) {
            const cJSON *pn = cJSON_GetObjectItemCaseSensitive(st, "PhoneNumber");
            if (!used[k] && cJSON_IsString(pn) && strcmp(pn->valuestring, e164) == 0)
                break;
        }
        if (k < ns) {
            used[k] = 1;
            chan__tencent_status(cJSON_GetArrayItem(set, k), &v[i]);
        } else {
            chan__verdict(&v[i], CH_TEMPFAIL, "SendStatusSet has no entry for the number");
        }
    }
    free(used);
    cJSON_Delete(j);
}

const channel_ops_t channel_tencent_sms_ops = {
    .type = "tencent_sms",
    .kind = CH_KIND_SMS,
    .opts = tencent_opts,
    .default_rate = 100.0,
    .default_burst = 0,
    .create = tencent_create,
    .destroy = tencent_destroy,
    .build = tencent_build,
    .classify = tencent_classify,
    .batch_max = 200,
    .batch_key = tencent_batch_key,
    .build_batch = tencent_build_batch,
    .classify_batch = tencent_classify_batch,
    .send = NULL,
    .inbound = tencent_inbound,
};
