/* SPDX-License-Identifier: MIT */
/*
 * test_hooks.c - bot/hooks.h: what the daemon's endpoints accept, and each hostile
 * input refused with CB_EINVAL and a reason naming the field (header injection
 * through a receipt or a message id, NUL bytes and \u0000 escapes, invalid UTF-8,
 * control characters, bytes after the object, duplicate members, overflowing ids).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/hooks.h"
#include "channels/channel.h"
#include "core/date.h"
#include "core/err.h"

#define ID "11010519491231002X" /* valid (core/idcard.h) */

typedef struct hostile {
    const char *name;
    const char *body; /* may hold NUL bytes: 'len' counts them */
    size_t len;       /* 0: strlen(body) */
    const char *why;  /* the reason, exactly */
} hostile_t;

static cb_date_t today(void)
{
    cb_date_t d;

    ck_assert_int_eq(date_from_ymd(2024, 12, 1, &d), CB_OK);
    return d;
}

/* A body one member different from a good one: PAY(receipt-json, channel-json). */
#define PAY(rc, ch) "{\"receipt\":" rc ",\"id_number\":\"" ID "\",\"amount_fen\":38000,\"channel\":" ch "}"

START_TEST(test_payment_good)
{
    hook_payment_t p;
    char why[256] = "";
    const char *ok = "{\"receipt\":\"2024-HN.0730:0001_a\",\"id_number\":\"" ID
                     "\",\"amount_fen\":38000,\"channel\":\"微信\","
                     "\"paid_at\":\"2024-11-30T10:00:00+08:00\",\"x\":1} \r\n";
    /* A literal backslash before u0000 is text, not a NUL. */
    const char *lit = PAY("\"R1\"", "\"a\\\\u0000b\"");

    ck_assert_msg(hook_payment_parse(ok, strlen(ok), today(), &p, why, sizeof why) == CB_OK, "%s",
                  why);
    ck_assert_str_eq(p.receipt, "2024-HN.0730:0001_a");
    ck_assert_str_eq(p.id_number, ID);
    ck_assert_int_eq(p.amount_fen, 38000);
    ck_assert_str_eq(p.channel, "微信");
    ck_assert_str_eq(p.paid_at, "2024-11-30T10:00:00+08:00");
    ck_assert_int_eq(hook_payment_parse(lit, strlen(lit), today(), &p, why, sizeof why), CB_OK);
    ck_assert_str_eq(p.channel, "a\\u0000b");
}
END_TEST

static const hostile_t payments[] = {
    {"CRLF in the receipt (header injection)", PAY("\"R1\\r\\nX-Evil: 1\"", "null"), 0,
     "receipt: contains a control character"},
    {"raw LF in the receipt", PAY("\"R1\nX\"", "null"), 0, "receipt: contains a control character"},
    {"\\u0000 in the receipt", PAY("\"R1\\u0000a\"", "null"), 0,
     "receipt: contains a NUL character"},
    {"raw NUL in the receipt", "{\"receipt\":\"R1\0a\",\"id_number\":\"" ID "\",\"amount_fen\":1}",
     sizeof("{\"receipt\":\"R1\0a\",\"id_number\":\"" ID "\",\"amount_fen\":1}") - 1,
     "receipt: contains a NUL character"},
    {"raw NUL after the object", PAY("\"R1\"", "null") "\0", sizeof(PAY("\"R1\"", "null")),
     "the body contains a NUL byte"},
    {"\\u0000 cutting the ID number short", "{\"receipt\":\"R1\",\"id_number\":\"" ID "\\u0000x\",\"amount_fen\":1}", 0,
     "id_number: contains a NUL character"},
    {"\\u0001 in the receipt", PAY("\"R\\u0001\"", "null"), 0, "receipt: contains a control character"},
    {"invalid UTF-8 in the channel", PAY("\"R1\"", "\"\xff\xfe\""), 0, "channel: not valid UTF-8"},
    {"overlong NUL in the channel", PAY("\"R1\"", "\"a\xc0\x80\""), 0, "channel: not valid UTF-8"},
    {"a surrogate in the channel", PAY("\"R1\"", "\"\xed\xa0\x80\""), 0, "channel: not valid UTF-8"},
    {"C1 control in the channel", PAY("\"R1\"", "\"\\u0085\""), 0,
     "channel: contains a control character"},
    {"tab in the channel", PAY("\"R1\"", "\"a\\tb\""), 0, "channel: contains a control character"},
    {"non-ASCII receipt", PAY("\"收据1\"", "null"), 0,
     "receipt: contains a non-ASCII character (allowed: A-Z a-z 0-9 . _ : -)"},
    {"slash in the receipt", PAY("\"R/1\"", "null"), 0,
     "receipt: contains '/' (allowed: A-Z a-z 0-9 . _ : -)"},
    {"a 65-character receipt", PAY("\"" "0123456789012345678901234567890123456789012345678901234567890123"
                                   "4\"", "null"), 0, "receipt: longer than 64 characters"},
    {"trailing garbage", PAY("\"R1\"", "null") "x", 0, "the body has bytes after the JSON object"},
    {"a second object", PAY("\"R1\"", "null") " {}", 0, "the body has bytes after the JSON object"},
    {"receipt twice", "{\"receipt\":\"R1\",\"receipt\":\"R2\",\"id_number\":\"" ID "\",\"amount_fen\":1}", 0,
     "receipt: given more than once"},
    {"amount_fen twice", "{\"receipt\":\"R1\",\"id_number\":\"" ID "\",\"amount_fen\":1,\"amount_fen\":38000}", 0,
     "amount_fen: given more than once"},
    {"\\u0000 in an unknown member", "{\"receipt\":\"R1\",\"id_number\":\"" ID "\",\"amount_fen\":1,\"note\":\"\\u0000\"}", 0,
     "note: contains a NUL character"},
};

START_TEST(test_payment_hostile)
{
    const hostile_t *h = &payments[_i];
    size_t len = h->len > 0 ? h->len : strlen(h->body);
    hook_payment_t p;
    char why[256] = "";

    ck_assert_msg(hook_payment_parse(h->body, len, today(), &p, why, sizeof why) == CB_EINVAL,
                  "%s: accepted", h->name);
    ck_assert_msg(strcmp(why, h->why) == 0, "%s: [%s], want [%s]", h->name, why, h->why);
}
END_TEST

#define WX(id, from, text) "{\"msg_id\":" id ",\"from\":" from ",\"text\":" text "}"

START_TEST(test_wechat)
{
    static const hostile_t bad[] = {
        {"CRLF in msg_id", WX("\"m1\\r\\nX-Evil: 1\"", "\"13800138000\"", "\"hi\""), 0,
         "msg_id: contains a control character"},
        {"\\u0000 in msg_id", WX("\"m1\\u0000b\"", "\"13800138000\"", "\"hi\""), 0,
         "msg_id: contains a NUL character"},
        {"\\u0000 in from", WX("\"m1\"", "\"13800138000\\u0000\"", "\"hi\""), 0,
         "from: contains a NUL character"},
        {"raw NUL in text", "{\"msg_id\":\"m1\",\"from\":\"13800138000\",\"text\":\"a\0b\"}",
         sizeof("{\"msg_id\":\"m1\",\"from\":\"13800138000\",\"text\":\"a\0b\"}") - 1,
         "text: contains a NUL character"},
        {"BEL in text", WX("\"m1\"", "\"13800138000\"", "\"a\\u0007\""), 0,
         "text: contains a control character"},
        {"ESC in text", WX("\"m1\"", "\"13800138000\"", "\"\\u001b[2J\""), 0,
         "text: contains a control character"},
        {"invalid UTF-8 in text", WX("\"m1\"", "\"13800138000\"", "\"\xe4\xba\""), 0,
         "text: not valid UTF-8"},
        {"CR in from", WX("\"m1\"", "\"1380013800\\r\"", "\"hi\""), 0,
         "from: contains a control character"},
        {"a 65-character msg_id",
         WX("\"12345678901234567890123456789012345678901234567890123456789012345\"",
            "\"13800138000\"", "\"hi\""), 0, "msg_id: longer than 64 characters"},
        {"trailing garbage", WX("\"m1\"", "\"13800138000\"", "\"hi\"") "]", 0,
         "the body has bytes after the JSON object"},
        {"text twice", "{\"msg_id\":\"m1\",\"from\":\"13800138000\",\"text\":\"a\",\"text\":\"b\"}", 0,
         "text: given more than once"},
    };
    const char *ok = WX("\"12345678901234567890\"", "\"+86 138-0013-8000\"",
                        "\"交费\\r\\n\\t谢谢\"");
    hook_reply_t m;
    char why[256] = "";

    ck_assert_msg(hook_wechat_parse(ok, strlen(ok), &m, why, sizeof why) == CB_OK, "%s", why);
    ck_assert_str_eq(m.msg_id, "12345678901234567890");
    ck_assert_str_eq(m.phone, "13800138000");
    ck_assert_str_eq(m.text, "交费\r\n\t谢谢");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = bad[i].len > 0 ? bad[i].len : strlen(bad[i].body);

        why[0] = '\0';
        ck_assert_msg(hook_wechat_parse(bad[i].body, len, &m, why, sizeof why) == CB_EINVAL,
                      "%s: accepted", bad[i].name);
        ck_assert_msg(strcmp(why, bad[i].why) == 0, "%s: [%s], want [%s]", bad[i].name, why,
                      bad[i].why);
    }
}
END_TEST

/* A Kannel call's query values (percent-decoded, as libmicrohttpd hands them over)
 * through the Kannel driver's inbound side: NULL names end the list. */
typedef struct kv {
    const char *name[4], *value[4];
} kv_t;

static const char *kv_get(void *ud, const char *name)
{
    const kv_t *q = ud;
    for (int i = 0; i < 4 && q->name[i] != NULL; i++) {
        if (strcmp(q->name[i], name) == 0)
            return q->value[i];
    }
    return NULL;
}

static void keep(void *ud, const ch_event_t *ev)
{
    *(ch_event_t *)ud = *ev;
}

static int kannel_call(const char *what, kv_t *q, ch_event_t *ev, char *why, size_t whylen)
{
    ch_inbound_t in = {.what = what, .param = kv_get, .param_ud = q, .body = "", .body_len = 0};
    char ack[8];

    memset(ev, 0, sizeof *ev);
    return channel_inbound("kannel", &in, keep, ev, ack, sizeof ack, why, whylen);
}

static int mo(const char *id, const char *from, const char *text, ch_event_t *ev, char *why,
              size_t whylen)
{
    kv_t q = {{"id", "from", "text", NULL}, {id, from, text, NULL}};
    return kannel_call("mo", &q, ev, why, whylen);
}

static int dlr(const char *id, const char *status, const char *reply, ch_event_t *ev,
               char *why, size_t whylen)
{
    kv_t q = {{"id", "status", "reply", NULL}, {id, status, reply, NULL}};
    return kannel_call("dlr", &q, ev, why, whylen);
}

START_TEST(test_kannel_mo)
{
    ch_event_t m;
    char why[256] = "";

    ck_assert_int_eq(mo("6f1c2a9e-0b5d-4c1e-9a7f-3b2d1e0c9f8a", "13800138000", "要交多少钱？\r\n",
                        &m, why, sizeof why), CB_OK);
    ck_assert_int_eq(m.kind, CH_EV_REPLY);
    ck_assert_str_eq(m.from, "13800138000");
    ck_assert_int_eq(mo("", "13800138000", "", &m, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "id: missing");
    ck_assert_int_eq(mo("k1\r\nX-Evil: 1", "13800138000", "hi", &m, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "id: contains a control character");
    ck_assert_int_eq(mo("k 1", "13800138000", "hi", &m, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "id: contains ' ' (allowed: A-Z a-z 0-9 . _ : -)");
    ck_assert_int_eq(mo("k1", "13800138000", "\x80", &m, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "text: not valid UTF-8");
    ck_assert_int_eq(mo("k1", NULL, "hi", &m, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "from: missing");
    ck_assert_int_eq(mo("k1", "12", "hi", &m, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "from: not a mobile number: is not 11 digits");
    /* The WeChat hook checks its reply the same way. */
    {
        hook_reply_t r;
        ck_assert_int_eq(hook_reply_check("msg_id", "k 1", "13800138000", "hi", &r, why,
                                          sizeof why), CB_EINVAL);
        ck_assert_str_eq(why, "msg_id: contains ' ' (allowed: A-Z a-z 0-9 . _ : -)");
    }
}
END_TEST

START_TEST(test_dlr)
{
    static const struct {
        const char *id, *status, *reply, *why;
    } bad[] = {
        {"99999999999999999999", "1", NULL, "id: too large"},
        {"9223372036854775808", "1", NULL, "id: too large"},
        {" 12", "1", NULL, "id: must be digits only"},
        {"+12", "1", NULL, "id: must be digits only"},
        {"12\r\n", "1", NULL, "id: must be digits only"},
        {"0", "1", NULL, "id: must be the outbox row's number"},
        {NULL, "1", NULL, "id: missing"},
        {"12", " 1", NULL, "status: must be Kannel's DLR event (1, 2, 4, 8, 16)"},
        {"12", "3", NULL, "status: must be Kannel's DLR event (1, 2, 4, 8, 16)"},
        {"12", "2", "NACK\r\nX-Evil: 1", "reply: contains a control character"},
        {"12", "2", "\xff", "reply: not valid UTF-8"},
    };
    ch_event_t d;
    char why[256], reply[400] = "";

    ck_assert_int_eq(dlr("9223372036854775807", "16", "NACK/0x45", &d, why, sizeof why), CB_OK);
    ck_assert_int_eq(d.kind, CH_EV_DELIVERY);
    ck_assert_int_eq(d.outbox_id, INT64_MAX);
    ck_assert(d.final && !d.delivered);
    ck_assert_str_eq(d.error, "DLR 16: NACK/0x45");
    ck_assert_int_eq(dlr("5", "8", NULL, &d, why, sizeof why), CB_OK);
    ck_assert(!d.final && !d.delivered);
    ck_assert_int_eq(dlr("5", "1", NULL, &d, why, sizeof why), CB_OK);
    ck_assert(d.final && d.delivered);
    for (int i = 0; i < 70; i++)
        strcat(reply, "失"); /* 210 bytes: cut at a character, not inside one */
    ck_assert_int_eq(dlr("1", "2", reply, &d, why, sizeof why), CB_OK);
    ck_assert_uint_eq(strlen(d.error), strlen("DLR 2: ") + 138);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        ck_assert_msg(dlr(bad[i].id, bad[i].status, bad[i].reply, &d, why, sizeof why) ==
                          CB_EINVAL,
                      "%s: accepted", bad[i].why);
        ck_assert_msg(strcmp(why, bad[i].why) == 0, "[%s], want [%s]", why, bad[i].why);
    }
    /* Only Kannel's two calls; a type without an inbound side says so. */
    ck_assert_int_eq(kannel_call("sms", &(kv_t){{NULL}, {NULL}}, &d, why, sizeof why), CB_EINVAL);
    {
        ch_inbound_t in = {.what = "dlr", .param = kv_get, .param_ud = &(kv_t){{NULL}, {NULL}},
                           .body = "", .body_len = 0};
        char ack[8];
        ck_assert_int_eq(channel_inbound("file", &in, keep, &d, ack, sizeof ack, why, sizeof why),
                         CB_ENOTFOUND);
    }
}
END_TEST

static Suite *hooks_suite(void)
{
    Suite *s = suite_create("hooks");
    TCase *tc = tcase_create("hooks");

    tcase_add_test(tc, test_payment_good);
    tcase_add_loop_test(tc, test_payment_hostile, 0, (int)(sizeof payments / sizeof payments[0]));
    tcase_add_test(tc, test_wechat);
    tcase_add_test(tc, test_kannel_mo);
    tcase_add_test(tc, test_dlr);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hooks_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
