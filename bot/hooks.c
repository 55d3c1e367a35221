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

#include "channels/channel.h"
#include "core/err.h"
#include "core/ident.h"
#include "core/idcard.h"

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
static int str_field(const cJSON *o, const char *name, ident_kind_t k, size_t max, int required,
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
    rc = ident_field(name, k, s, strlen(s), max, why, whylen);
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
                                        "paid_at", "name", NULL};
    cJSON *o = object(body, len, known, why, whylen);
    const cJSON *amount;
    char id[HOOK_ID_NUMBER_MAX + 1], reason[160];
    int rc;

    memset(out, 0, sizeof *out);
    if (o == NULL)
        return CB_EINVAL;
    rc = str_field(o, "receipt", IDENT_ID, HOOK_RECEIPT_MAX, 1, out->receipt, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "id_number", IDENT_LINE, HOOK_ID_NUMBER_MAX, 1, id, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "channel", IDENT_LINE, HOOK_CHANNEL_MAX, 0, out->channel, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "paid_at", IDENT_LINE, HOOK_PAID_AT_MAX, 0, out->paid_at, why, whylen);
    if (rc >= 0)
        rc = str_field(o, "name", IDENT_LINE, HOOK_NAME_MAX, 0, out->name, why, whylen);
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
    ch_event_t ev;
    int rc = channel_reply_event(id_name, msg_id, from, text, &ev, why, whylen);

    memset(out, 0, sizeof *out);
    if (rc < 0)
        return rc;
    memcpy(out->msg_id, ev.msg_id, sizeof out->msg_id);
    memcpy(out->phone, ev.from, sizeof out->phone);
    memcpy(out->text, ev.text, sizeof out->text);
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
