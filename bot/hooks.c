/* SPDX-License-Identifier: MIT */
#include "bot/hooks.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/idcard.h"
#include "core/phone.h"

/* A string member of 1..max bytes into 'dst' (cap bytes); absent: "" unless required. */
static int str_field(const cJSON *o, const char *name, size_t max, int required, char *dst,
                     size_t cap, char *why, size_t whylen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    dst[0] = '\0';
    if (v == NULL || cJSON_IsNull(v)) {
        if (!required)
            return CB_OK;
        snprintf(why, whylen, "%s: missing", name);
        return CB_EINVAL;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) == 0 || strlen(v->valuestring) > max ||
        strlen(v->valuestring) >= cap) {
        snprintf(why, whylen, "%s: must be a string of 1 to %zu bytes", name, max);
        return CB_EINVAL;
    }
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return CB_OK;
}

static cJSON *object(const char *body, size_t len, char *why, size_t whylen)
{
    cJSON *o = cJSON_ParseWithLength(body, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        snprintf(why, whylen, "the body must be a JSON object");
        return NULL;
    }
    return o;
}

int hook_payment_parse(const char *body, size_t len, cb_date_t today, hook_payment_t *out,
                       char *why, size_t whylen)
{
    cJSON *o = object(body, len, why, whylen);
    const cJSON *amount;
    char id[20], reason[160];
    int rc;

    memset(out, 0, sizeof *out);
    if (o == NULL)
        return CB_EINVAL;
    rc = str_field(o, "receipt", 64, 1, out->receipt, sizeof out->receipt, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "id_number", 18, 1, id, sizeof id, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "channel", 40, 0, out->channel, sizeof out->channel, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "paid_at", 40, 0, out->paid_at, sizeof out->paid_at, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "name", 60, 0, out->name, sizeof out->name, why, whylen);
    amount = cJSON_GetObjectItemCaseSensitive(o, "amount_fen");
    if (rc >= 0 && (!cJSON_IsNumber(amount) || !(amount->valuedouble > 0) ||
                    amount->valuedouble > 1e9 ||
                    amount->valuedouble != (double)(int64_t)amount->valuedouble)) {
        snprintf(why, whylen, "amount_fen: must be a whole number of fen above 0");
        rc = CB_EINVAL;
    }
    if (rc >= 0 && idcard_check(id, strlen(id), today, out->id_number, reason, sizeof reason) !=
                       IDCARD_OK) {
        snprintf(why, whylen, "id_number: %s", reason);
        rc = CB_EINVAL;
    }
    if (rc >= 0)
        out->amount_fen = (int64_t)amount->valuedouble;
    cJSON_Delete(o);
    return rc;
}

int hook_reply_check(const char *msg_id, const char *from, const char *text, hook_reply_t *out,
                     char *why, size_t whylen)
{
    char reason[160];

    memset(out, 0, sizeof *out);
    if (msg_id == NULL || *msg_id == '\0' || strlen(msg_id) >= sizeof out->msg_id) {
        snprintf(why, whylen, "the message id is missing or longer than 128 bytes");
        return CB_EINVAL;
    }
    if (text == NULL || strlen(text) >= sizeof out->text) {
        snprintf(why, whylen, "the text is missing or longer than 1024 bytes");
        return CB_EINVAL;
    }
    if (from == NULL || phone_normalise(from, strlen(from), out->phone, reason, sizeof reason) < 0) {
        snprintf(why, whylen, "the sender is not a mobile number: %s", from ? reason : "missing");
        return CB_EINVAL;
    }
    memcpy(out->msg_id, msg_id, strlen(msg_id) + 1);
    memcpy(out->text, text, strlen(text) + 1);
    return CB_OK;
}

int hook_wechat_parse(const char *body, size_t len, hook_reply_t *out, char *why, size_t whylen)
{
    cJSON *o = object(body, len, why, whylen);
    char id[129], from[21], text[1025];
    int rc;

    memset(out, 0, sizeof *out);
    if (o == NULL)
        return CB_EINVAL;
    rc = str_field(o, "msg_id", 128, 1, id, sizeof id, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "from", 20, 1, from, sizeof from, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "text", 1024, 1, text, sizeof text, why, whylen);
    if (rc >= 0)
        rc = hook_reply_check(id, from, text, out, why, whylen);
    cJSON_Delete(o);
    return rc;
}

int hook_dlr_parse(const char *id, const char *status, const char *reply, hook_dlr_t *out,
                   char *why, size_t whylen)
{
    char *end;
    long long v;

    memset(out, 0, sizeof *out);
    v = id ? strtoll(id, &end, 10) : 0;
    if (id == NULL || *id == '\0' || *end != '\0' || v <= 0) {
        snprintf(why, whylen, "id: must be the outbox row's number");
        return CB_EINVAL;
    }
    out->outbox_id = v;
    v = status ? strtoll(status, &end, 10) : 0;
    if (status == NULL || *status == '\0' || *end != '\0' ||
        (v != 1 && v != 2 && v != 4 && v != 8 && v != 16)) {
        snprintf(why, whylen, "status: must be Kannel's DLR event (1, 2, 4, 8, 16)");
        return CB_EINVAL;
    }
    out->event = (int)v;
    out->final = v == 1 || v == 2 || v == 16;
    out->delivered = v == 1;
    snprintf(out->error, sizeof out->error, "DLR %d%s%.140s", out->event,
             reply && *reply ? ": " : "", reply ? reply : "");
    return CB_OK;
}
