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

static void query(char *q)
{
    const char *v[6] = {NULL}; /* id, status, reply, from, text, msg id */
    static const char *const keys[6] = {"id", "status", "reply", "from", "text", "id"};
    char why[256];
    hook_dlr_t d;
    hook_reply_t m;
    char *save = NULL;

    for (char *kv = strtok_r(q, "&", &save); kv != NULL; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq == NULL)
            continue;
        *eq = '\0';
        unescape(kv);
        unescape(eq + 1);
        for (int i = 0; i < 6; i++) {
            if (strcmp(kv, keys[i]) == 0)
                v[i] = eq + 1;
        }
    }
    why[0] = '\0';
    if (hook_dlr_parse(v[0], v[1], v[2], &d, why, sizeof why) == CB_OK) {
        CHECK(d.outbox_id > 0);
        CHECK(d.event == 1 || d.event == 2 || d.event == 4 || d.event == 8 || d.event == 16);
        CHECK(d.final == (d.event == 1 || d.event == 2 || d.event == 16));
        CHECK(memchr(d.error, '\0', sizeof d.error) != NULL);
        CHECK(in_set(d.error, sizeof d.error, IDENT_TEXT_LINE));
    } else {
        CHECK(why[0] != '\0');
    }
    why[0] = '\0';
    if (hook_reply_check("id", v[5], v[3], v[4], &m, why, sizeof why) == CB_OK) {
        CHECK(m.msg_id[0] != '\0' && strlen(m.phone) == 11 && m.phone[0] == '1');
        CHECK(memchr(m.text, '\0', sizeof m.text) != NULL);
        CHECK(in_set(m.msg_id, HOOK_MSG_ID_MAX, -1));
        CHECK(in_set(m.text, HOOK_TEXT_MAX, IDENT_TEXT_LINES));
    } else {
        CHECK(why[0] != '\0');
    }
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
