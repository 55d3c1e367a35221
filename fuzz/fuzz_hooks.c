/* SPDX-License-Identifier: MIT */
/*
 * fuzz_hooks.c - libFuzzer target for what the daemon's endpoints receive
 * (bot/hooks.h): the first byte picks the parser, the rest is its input:
 *   0  a payment confirmation's JSON body
 *   1  a WeChat reply's JSON body
 *   2  a Kannel query string (MO and delivery report), split on '&' and '=' and
 *      percent-decoded as libmicrohttpd would hand the values over
 * Beyond the sanitizers it checks the contract: CB_OK or CB_EINVAL, a reason on
 * failure, NUL-terminated fields and values in range on success.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/hooks.h"
#include "core/err.h"
#include "fuzz/fuzz.h"


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
    } else {
        CHECK(why[0] != '\0');
    }
    why[0] = '\0';
    if (hook_reply_check("id", v[5], v[3], v[4], &m, why, sizeof why) == CB_OK) {
        CHECK(m.msg_id[0] != '\0' && strlen(m.phone) == 11 && m.phone[0] == '1');
        CHECK(memchr(m.text, '\0', sizeof m.text) != NULL);
    } else {
        CHECK(why[0] != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256] = "";
    char *buf;
    int rc;

    if (size < 1 || size > 8192)
        return 0;
    buf = malloc(size);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    switch (data[0] % 3) {
    case 0: {
        hook_payment_t p;
        rc = hook_payment_parse(buf, size - 1, 20000, &p, why, sizeof why);
        CHECK(rc == CB_OK || rc == CB_EINVAL);
        if (rc == CB_OK)
            CHECK(p.amount_fen > 0 && strlen(p.id_number) == 18 && p.receipt[0] != '\0');
        else
            CHECK(why[0] != '\0');
        break;
    }
    case 1: {
        hook_reply_t m;
        rc = hook_wechat_parse(buf, size - 1, &m, why, sizeof why);
        CHECK(rc == CB_OK || rc == CB_EINVAL);
        CHECK(rc == CB_OK || why[0] != '\0');
        break;
    }
    default: query(buf); break;
    }
    free(buf);
    return 0;
}
