/* SPDX-License-Identifier: MIT */
/*
 * drv_cloud_in.c - the inbound side of the cloud SMS drivers: what Aliyun and
 * Tencent push (PROTOCOLS.md 6.1, 6.2). Neither signs its pushes: the route checks
 * the channel's callback secret first (bot/routes.c). Every push is a JSON array of
 * events (Tencent's reply: one object); all of them are checked before any reaches
 * 'each', so a malformed one refuses the whole push and the provider retries it.
 *
 *   aliyun  report  [{"out_id":"ROW","success":true,"err_code":"DELIVERED",
 *                     "err_msg":"用户接收成功","phone_number":..,"biz_id":..}]
 *           mo      [{"phone_number":"138..","content":"R","sequence_id":123,..}]
 *           answer  {"code":0,"msg":"接收成功"}
 *   tencent status  [{"sid":"SerialNo","report_status":"SUCCESS"|"FAIL",
 *                     "errmsg":"DELIVRD","description":..,"mobile":..}]
 *           reply   {"mobile":"138..","text":"..","time":1457336869,"sign":..}
 *           answer  {"result":0,"errmsg":"OK"}
 * Aliyun reports name our outbox row (OutId), or for a SendBatchSms (no OutId) the
 * biz_id and phone_number the row was accepted as ("BizId:number"); Tencent's name the provider's SerialNo
 * (the row's gateway_id). Pure: no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels/channel_internal.h"
#include "core/err.h"
#include "core/ident.h"
#include "core/mem.h"
#include "core/phone.h"

#define PUSH_MAX 1000 /* events in one push */
#define ERR_KEPT 120

static const char ALIYUN_ACK[] = "{\"code\":0,\"msg\":\"接收成功\"}";
static const char TENCENT_ACK[] = "{\"result\":0,\"errmsg\":\"OK\"}";

typedef int event_fn(const cJSON *o, ch_event_t *ev, char *why, size_t whylen);

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number or a string of digits as text (sequence_id, time). */
static const char *num_text(const cJSON *o, const char *key, char *buf, size_t buflen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15) {
        snprintf(buf, buflen, "%.0f", v->valuedouble);
        return buf;
    }
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "CODE: text" of a failed delivery, checked and cut on a character boundary. */
static int delivery_error(const char *code, const char *msg, ch_event_t *ev, char *why,
                          size_t whylen)
{
    char buf[512];
    size_t n;

    snprintf(buf, sizeof buf, "%s%s%s", code != NULL ? code : "", msg != NULL ? ": " : "",
             msg != NULL ? msg : "");
    n = strlen(buf);
    if (ident_field("err", IDENT_LINE, buf, n, sizeof buf - 1, why, whylen) < 0)
        return CB_EINVAL;
    if (n > ERR_KEPT) {
        n = ERR_KEPT;
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(ev->error, sizeof ev->error, "%.*s", (int)n, buf);
    return CB_OK;
}

void chan__batch_gateway_id(const char *biz, const char *phone, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s:%s", biz, phone);
}

/* A SendBatchSms report (no out_id): the row is the one accepted as BizId:number. */
static int aliyun_batch_report(const cJSON *o, ch_event_t *ev, char *why, size_t whylen)
{
    const char *biz = str(o, "biz_id"), *ph = str(o, "phone_number");
    char to[PHONE_LEN + 1];

    if (ident_field("biz_id", IDENT_LINE, biz, biz != NULL ? strlen(biz) : 0, 40, why, whylen) < 0)
        return CB_EINVAL;
    if (ph == NULL || phone_normalise(ph, strlen(ph), to, NULL, 0) < 0) {
        snprintf(why, whylen, "phone_number: not a mobile number");
        return CB_EINVAL;
    }
    chan__batch_gateway_id(biz, to, ev->msg_id, sizeof ev->msg_id);
    return CB_OK;
}

static int aliyun_report(const cJSON *o, ch_event_t *ev, char *why, size_t whylen)
{
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(o, "success");
    const char *out = str(o, "out_id");

    ev->kind = CH_EV_DELIVERY;
    if (out == NULL || out[0] == '\0') {
        if (aliyun_batch_report(o, ev, why, whylen) < 0)
            return CB_EINVAL;
    } else if (ident_field_number("out_id", str(o, "out_id"), &ev->outbox_id, why, whylen) < 0)
        return CB_EINVAL;
    else if (ev->outbox_id <= 0) {
        snprintf(why, whylen, "out_id: must be the outbox row's number");
        return CB_EINVAL;
    }
    if (!cJSON_IsBool(ok)) {
        snprintf(why, whylen, "success: must be true or false");
        return CB_EINVAL;
    }
    ev->final = 1;
    ev->delivered = cJSON_IsTrue(ok);
    return ev->delivered ? CB_OK
                         : delivery_error(str(o, "err_code"), str(o, "err_msg"), ev, why,
                                          whylen);
}

static int aliyun_mo(const cJSON *o, ch_event_t *ev, char *why, size_t whylen)
{
    char seq[32], id[48];
    const char *s = num_text(o, "sequence_id", seq, sizeof seq);

    if (s == NULL) {
        snprintf(why, whylen, "sequence_id: missing");
        return CB_EINVAL;
    }
    snprintf(id, sizeof id, "aliyun:%.32s", s);
    return channel_reply_event("sequence_id", id, str(o, "phone_number"), str(o, "content"), ev,
                               why, whylen);
}

static int tencent_status(const cJSON *o, ch_event_t *ev, char *why, size_t whylen)
{
    const char *st = str(o, "report_status"), *sid = str(o, "sid");

    ev->kind = CH_EV_DELIVERY;
    if (ident_field("sid", IDENT_ID, sid, sid != NULL ? strlen(sid) : 0, CH_EVENT_ID_MAX, why,
                    whylen) < 0)
        return CB_EINVAL;
    if (st == NULL || (strcmp(st, "SUCCESS") != 0 && strcmp(st, "FAIL") != 0)) {
        snprintf(why, whylen, "report_status: must be SUCCESS or FAIL");
        return CB_EINVAL;
    }
    memcpy(ev->msg_id, sid, strlen(sid) + 1);
    ev->final = 1;
    ev->delivered = strcmp(st, "SUCCESS") == 0;
    return ev->delivered ? CB_OK
                         : delivery_error(str(o, "errmsg"), str(o, "description"), ev, why,
                                          whylen);
}

static int tencent_reply(const cJSON *o, ch_event_t *ev, char *why, size_t whylen)
{
    char t[32], id[64];
    const char *mobile = str(o, "mobile"), *ts = num_text(o, "time", t, sizeof t);

    if (ts == NULL || mobile == NULL || strlen(mobile) > 20) {
        snprintf(why, whylen, "%s: missing", ts == NULL ? "time" : "mobile");
        return CB_EINVAL;
    }
    /* Tencent gives a reply no id: the sender and the second identify it. */
    snprintf(id, sizeof id, "tencent:%s:%.20s", mobile, ts);
    return channel_reply_event("time", id, mobile, str(o, "text"), ev, why, whylen);
}

/* Parse every event of the push, then hand them to 'each'. */
static int push(const ch_inbound_t *in, event_fn *fn, int one_object, ch_event_fn *each,
                void *ud, char *why, size_t whylen)
{
    cJSON *j = cJSON_ParseWithLength(in->body, in->body_len);
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : one_object && cJSON_IsObject(j);
    ch_event_t *evs;
    int rc = CB_OK;

    if (n == 0 || n > PUSH_MAX) {
        snprintf(why, whylen, "the body must be a JSON %s of 1 to %d events",
                 one_object ? "object or array" : "array", PUSH_MAX);
        cJSON_Delete(j);
        return CB_EINVAL;
    }
    evs = xcalloc((size_t)n, sizeof *evs);
    for (int i = 0; i < n && rc == CB_OK; i++) {
        const cJSON *o = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, i) : j;
        char w[200];

        rc = cJSON_IsObject(o) ? fn(o, &evs[i], w, sizeof w) : CB_EINVAL;
        if (rc < 0)
            snprintf(why, whylen, "event %d: %s", i, cJSON_IsObject(o) ? w : "not an object");
    }
    for (int i = 0; i < n && rc == CB_OK; i++)
        each(ud, &evs[i]);
    free(evs);
    cJSON_Delete(j);
    return rc;
}

int aliyun_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                   size_t acklen, char *why, size_t whylen)
{
    int report = strcmp(in->what, "report") == 0;

    if (!report && strcmp(in->what, "mo") != 0) {
        snprintf(why, whylen, "Aliyun pushes only report and mo");
        return CB_EINVAL;
    }
    snprintf(ack, acklen, "%s", ALIYUN_ACK);
    return push(in, report ? aliyun_report : aliyun_mo, 0, each, ud, why, whylen);
}

int tencent_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                    size_t acklen, char *why, size_t whylen)
{
    int status = strcmp(in->what, "status") == 0;

    if (!status && strcmp(in->what, "reply") != 0) {
        snprintf(why, whylen, "Tencent pushes only status and reply");
        return CB_EINVAL;
    }
    snprintf(ack, acklen, "%s", TENCENT_ACK);
    return push(in, status ? tencent_status : tencent_reply, !status, each, ud, why, whylen);
}
