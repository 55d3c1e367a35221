/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - the inbound endpoints' values, checked against the sets of core/ident.h
 * before anything is stored. JSON bodies are checked twice: the raw bytes for a NUL
 * (cJSON would cut a string short at it), then cJSON's tree, which must be one
 * object followed only by whitespace, each known member given once.
 */
#include "bot/hooks.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/ident.h"
#include "core/idcard.h"
#include "core/phone.h"

/* What a string value may hold (core/ident.h). */
typedef enum vkind { V_ID, V_LINE, V_TEXT } vkind_t;

/* Check the 'len' bytes at 's' as a value of kind 'k'; on failure "<name>: <reason>". */
static int value_check(const char *name, vkind_t k, const char *s, size_t len, size_t max,
                       char *why, size_t whylen)
{
    char reason[160];
    int rc;

    if (k == V_ID)
        rc = ident_check(s, len, max, reason, sizeof reason);
    else
        rc = ident_text(s, len, max, k == V_TEXT ? IDENT_TEXT_LINES : IDENT_TEXT_LINE, reason,
                        sizeof reason);
    if (rc < 0)
        snprintf(why, whylen, "%s: %s", name, reason);
    return rc;
}

/* Member 'name' of 'o' as a string: *out borrowed, NULL when absent or null (then
 * "<name>: missing" when required). */
static int member(const cJSON *o, const char *name, int required, const char **out, char *why,
                  size_t whylen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    *out = NULL;
    if (v == NULL || cJSON_IsNull(v)) {
        if (!required)
            return CB_OK;
        snprintf(why, whylen, "%s: missing", name);
        return CB_EINVAL;
    }
    if (!cJSON_IsString(v)) {
        snprintf(why, whylen, "%s: must be a string", name);
        return CB_EINVAL;
    }
    *out = v->valuestring;
    return CB_OK;
}

/* A string member of 1..max bytes of kind 'k' into 'dst' (max + 1 bytes); "" when
 * absent and not required. */
static int str_field(const cJSON *o, const char *name, vkind_t k, size_t max, int required,
                     char *dst, char *why, size_t whylen)
{
    const char *s;
    int rc = member(o, name, required, &s, why, whylen);

    dst[0] = '\0';
    if (rc < 0 || s == NULL)
        return rc;
    if (s[0] == '\0') {
        snprintf(why, whylen, "%s: empty", name);
        return CB_EINVAL;
    }
    rc = value_check(name, k, s, strlen(s), max, why, whylen);
    if (rc == CB_OK)
        memcpy(dst, s, strlen(s) + 1);
    return rc;
}

/* The name of the string that ends at b[end] ('"'), for a message: written as is
 * when it is a plain lower-case name, else "a member". */
static void name_of(const char *b, size_t start, size_t end, char *out, size_t cap)
{
    size_t n = end - start;

    for (size_t i = start; i < end; i++)
        if (!((b[i] >= 'a' && b[i] <= 'z') || b[i] == '_'))
            n = 0;
    if (n == 0 || n >= cap)
        snprintf(out, cap, "a member");
    else
        snprintf(out, cap, "%.*s", (int)n, b + start);
}

/*
 * Find a NUL in the raw JSON: a NUL byte or a \u0000 escape, which cJSON decodes
 * into its C strings and so cuts them short ("R1\u0000a" and "R1\u0000b" would both
 * read "R1"). Returns 1 and the top-level member it is in ("" outside a string),
 * or 0 when there is none. Any JSON text is scanned, valid or not.
 */
static int find_nul(const char *b, size_t len, char *where, size_t cap)
{
    size_t start = 0, key_start = 0, key_end = 0;
    int depth = 0, in_str = 0, is_key = 0, want_key = 0, hit = 0;

    where[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = b[i];

        if (!in_str) {
            if (c == '\0')
                return 1;
            if (c == '"') {
                in_str = 1;
                start = i + 1;
                is_key = depth == 1 && want_key;
            } else if (c == '{' || c == '[') {
                want_key = ++depth == 1 && c == '{';
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 1) {
                want_key = 1;
            }
            continue;
        }
        if (c == '\\') {
            hit |= i + 5 < len && memcmp(b + i + 1, "u0000", 5) == 0;
            i++; /* the escaped character, so "\\" and "\"" end nothing */
            continue;
        }
        hit |= c == '\0';
        if (c != '"')
            continue;
        in_str = 0;
        if (is_key) {
            key_start = start;
            key_end = i;
            want_key = 0;
        }
        if (hit)
            break;
    }
    if (!hit)
        return 0;
    if (key_end > 0)
        name_of(b, key_start, key_end, where, cap);
    return 1;
}

/* The body as one JSON object, whitespace only after it, each of the NULL-ended
 * 'known' names at most once. */
static cJSON *object(const char *body, size_t len, const char *const *known, char *why,
                     size_t whylen)
{
    const char *end = NULL;
    char where[40];
    cJSON *o;

    if (find_nul(body, len, where, sizeof where)) {
        if (where[0] != '\0')
            snprintf(why, whylen, "%s: contains a NUL character", where);
        else
            snprintf(why, whylen, "the body contains a NUL byte");
        return NULL;
    }
    o = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        snprintf(why, whylen, "the body must be a JSON object");
        return NULL;
    }
    while (end < body + len && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (end < body + len) {
        cJSON_Delete(o);
        snprintf(why, whylen, "the body has bytes after the JSON object");
        return NULL;
    }
    for (size_t i = 0; known[i] != NULL; i++) {
        int n = 0;
        for (const cJSON *e = o->child; e != NULL; e = e->next)
            n += e->string != NULL && strcmp(e->string, known[i]) == 0;
        if (n > 1) {
            cJSON_Delete(o);
            snprintf(why, whylen, "%s: given more than once", known[i]);
            return NULL;
        }
    }
    return o;
}

int hook_payment_parse(const char *body, size_t len, cb_date_t today, hook_payment_t *out,
                       char *why, size_t whylen)
{
    static const char *const known[] = {"receipt", "id_number", "amount_fen", "channel",
                                        "paid_at", NULL};
    cJSON *o = object(body, len, known, why, whylen);
    const cJSON *amount;
    char id[HOOK_ID_NUMBER_MAX + 1], reason[160];
    int rc;

    memset(out, 0, sizeof *out);
    if (o == NULL)
        return CB_EINVAL;
    rc = str_field(o, "receipt", V_ID, HOOK_RECEIPT_MAX, 1, out->receipt, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "id_number", V_LINE, HOOK_ID_NUMBER_MAX, 1, id, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "channel", V_LINE, HOOK_CHANNEL_MAX, 0, out->channel, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "paid_at", V_LINE, HOOK_PAID_AT_MAX, 0, out->paid_at, why, whylen);
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

int hook_reply_check(const char *id_name, const char *msg_id, const char *from, const char *text,
                     hook_reply_t *out, char *why, size_t whylen)
{
    char reason[160];
    int rc;

    memset(out, 0, sizeof *out);
    rc = value_check(id_name, V_ID, msg_id, msg_id ? strlen(msg_id) : 0, HOOK_MSG_ID_MAX, why,
                     whylen);
    if (rc >= 0)
        rc = value_check("from", V_LINE, from, from ? strlen(from) : 0, HOOK_FROM_MAX, why,
                         whylen);
    if (rc >= 0)
        rc = value_check("text", V_TEXT, text, text ? strlen(text) : 0, HOOK_TEXT_MAX, why,
                         whylen);
    if (rc < 0)
        return rc;
    if (phone_normalise(from, strlen(from), out->phone, reason, sizeof reason) < 0) {
        snprintf(why, whylen, "from: not a mobile number: %s", reason);
        return CB_EINVAL;
    }
    memcpy(out->msg_id, msg_id, strlen(msg_id) + 1);
    memcpy(out->text, text, strlen(text) + 1);
    return CB_OK;
}

int hook_wechat_parse(const char *body, size_t len, hook_reply_t *out, char *why, size_t whylen)
{
    static const char *const known[] = {"msg_id", "from", "text", NULL};
    cJSON *o = object(body, len, known, why, whylen);
    const char *id = NULL, *from = NULL, *text = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (o == NULL)
        return CB_EINVAL;
    rc = member(o, "msg_id", 1, &id, why, whylen);
    if (rc >= 0)
        rc = member(o, "from", 1, &from, why, whylen);
    if (rc >= 0)
        rc = member(o, "text", 1, &text, why, whylen);
    if (rc >= 0 && text[0] == '\0') {
        snprintf(why, whylen, "text: empty");
        rc = CB_EINVAL;
    }
    if (rc >= 0)
        rc = hook_reply_check("msg_id", id, from, text, out, why, whylen);
    cJSON_Delete(o);
    return rc;
}

/* Query value 'name' as a number (core/ident.h) into *out; "<name>: <reason>" on failure. */
static int number(const char *name, const char *s, int64_t *out, char *why, size_t whylen)
{
    char reason[80];

    if (ident_number(s, s ? strlen(s) : 0, out, reason, sizeof reason) < 0) {
        snprintf(why, whylen, "%s: %s", name, reason);
        return CB_EINVAL;
    }
    return CB_OK;
}

int hook_dlr_parse(const char *id, const char *status, const char *reply, hook_dlr_t *out,
                   char *why, size_t whylen)
{
    size_t n;
    int64_t v;

    memset(out, 0, sizeof *out);
    if (number("id", id, &out->outbox_id, why, whylen) < 0)
        return CB_EINVAL;
    if (out->outbox_id <= 0) {
        snprintf(why, whylen, "id: must be the outbox row's number");
        return CB_EINVAL;
    }
    if (number("status", status, &v, why, whylen) < 0 ||
        (v != 1 && v != 2 && v != 4 && v != 8 && v != 16)) {
        snprintf(why, whylen, "status: must be Kannel's DLR event (1, 2, 4, 8, 16)");
        return CB_EINVAL;
    }
    out->event = (int)v;
    out->final = v == 1 || v == 2 || v == 16;
    out->delivered = v == 1;
    if (reply == NULL)
        reply = "";
    n = strlen(reply);
    if (value_check("reply", V_LINE, reply, n, HOOK_DLR_REPLY_MAX, why, whylen) < 0)
        return CB_EINVAL;
    if (n > HOOK_DLR_REPLY_KEPT) {
        n = HOOK_DLR_REPLY_KEPT;
        while (n > 0 && ((unsigned char)reply[n] & 0xC0) == 0x80)
            n--; /* not inside a character */
    }
    snprintf(out->error, sizeof out->error, "DLR %d%s%.*s", out->event, n > 0 ? ": " : "",
             (int)n, reply);
    return CB_OK;
}
