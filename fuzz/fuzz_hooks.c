/* SPDX-License-Identifier: MIT */
/*
 * fuzz_hooks.c - libFuzzer target for what the daemon's endpoints receive
 * (bot/hooks.h): the first byte picks the parser, the rest is its input:
 *   0  a payment confirmation's JSON body
 *   1  a WeChat reply's JSON body
 *   2  a Kannel query string (MO and delivery report), split on '&' and '=' and
 *      percent-decoded as libmicrohttpd would hand the values over
 * Beyond the sanitizers it checks the contract: CB_OK or CB_EINVAL, a reason on
 * failure; on success NUL-terminated fields, values in range, every value in its
 * set of core/ident.h (ids only A-Z a-z 0-9 . _ : -, text valid UTF-8 without
 * control characters but tab, LF and CR) and no NUL byte in the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/hooks.h"
#include "channels/channel_internal.h"
#include "core/err.h"
#include "core/ident.h"
#include "fuzz/fuzz.h"

/* 's' is in the set 'lines' (IDENT_TEXT_*; -1: an identifier). */
static int in_set(const char *s, size_t max, int lines)
{
    char why[160];

    if (lines < 0)
        return ident_check(s, strlen(s), max, why, sizeof why) == CB_OK;
    return ident_text(s, strlen(s), max, lines, why, sizeof why) == CB_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode in place ('+' is a space, %XX a byte; a NUL byte ends the value, as in C). */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') {
            *o++ = ' ';
        } else if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            *o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

/* The query's values by name, for the Kannel driver's inbound side. */
typedef struct qv {
    const char *v[5]; /* id, status, reply, from, text */
} qv_t;

static const char *qv_get(void *ud, const char *name)
{
    static const char *const keys[5] = {"id", "status", "reply", "from", "text"};
    const qv_t *q = ud;
    for (int i = 0; i < 5; i++) {
        if (strcmp(name, keys[i]) == 0)
            return q->v[i];
    }
    return NULL;
}

static void got(void *ud, const ch_event_t *ev)
{
    *(ch_event_t *)ud = *ev;
}

/* A query as Kannel's dlr-url (0) or get-url (1) call. */
static void kannel_call(qv_t *q, int mo)
{
    ch_inbound_t in = {.what = mo ? "mo" : "dlr", .param = qv_get, .param_ud = q,
                       .body = "", .body_len = 0};
    ch_event_t ev;
    char why[256] = "", ack[8];

    memset(&ev, 0, sizeof ev);
    if (kannel_inbound(&in, got, &ev, ack, sizeof ack, why, sizeof why) != CB_OK) {
        CHECK(why[0] != '\0');
    } else if (!mo) {
        CHECK(ev.kind == CH_EV_DELIVERY && ev.outbox_id > 0);
        CHECK(!ev.delivered || ev.final);
        CHECK(memchr(ev.error, '\0', sizeof ev.error) != NULL);
        CHECK(in_set(ev.error, sizeof ev.error, IDENT_TEXT_LINE));
    } else {
        CHECK(ev.kind == CH_EV_REPLY);
        CHECK(ev.msg_id[0] != '\0' && strlen(ev.from) == 11 && ev.from[0] == '1');
        CHECK(memchr(ev.text, '\0', sizeof ev.text) != NULL);
        CHECK(in_set(ev.msg_id, CH_EVENT_ID_MAX, -1));
        CHECK(in_set(ev.text, CH_EVENT_TEXT_MAX, IDENT_TEXT_LINES));
    }
}

static void query(char *q)
{
    static const char *const keys[5] = {"id", "status", "reply", "from", "text"};
    qv_t v = {{NULL}};
    char *save = NULL;

    for (char *kv = strtok_r(q, "&", &save); kv != NULL; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        unescape(kv);
        unescape(eq + 1);
        for (int i = 0; i < 5; i++) {
            if (strcmp(kv, keys[i]) == 0)
                v.v[i] = eq + 1;
        }
    }
    kannel_call(&v, 0);
    kannel_call(&v, 1);
}

/* Payment (0) or WeChat (1) body: the contract beyond the return code. */
static void body(int which, const char *buf, size_t len)
{
    char why[256] = "";
    hook_payment_t p;
    hook_reply_t m;
    int rc = which == 0 ? hook_payment_parse(buf, len, 20000, &p, why, sizeof why)
                        : hook_wechat_parse(buf, len, &m, why, sizeof why);

    CHECK(rc == CB_OK || rc == CB_EINVAL);
    if (rc != CB_OK) {
        CHECK(why[0] != '\0');
        return;
    }
    CHECK(memchr(buf, '\0', len) == NULL); /* a NUL byte is always refused */
    if (which == 0) {
        CHECK(p.amount_fen > 0 && strlen(p.id_number) == 18);
        CHECK(in_set(p.receipt, HOOK_RECEIPT_MAX, -1));
        CHECK(in_set(p.channel, HOOK_CHANNEL_MAX, IDENT_TEXT_LINE));
        CHECK(in_set(p.paid_at, HOOK_PAID_AT_MAX, IDENT_TEXT_LINE));
    } else {
        CHECK(in_set(m.msg_id, HOOK_MSG_ID_MAX, -1) && strlen(m.phone) == 11);
        CHECK(in_set(m.text, HOOK_TEXT_MAX, IDENT_TEXT_LINES));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf;

    if (size < 1 || size > 8192)
        return 0;
    buf = malloc(size);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    if (data[0] % 3 < 2)
        body(data[0] % 3, buf, size - 1);
    else
        query(buf);
    free(buf);
    return 0;
}
