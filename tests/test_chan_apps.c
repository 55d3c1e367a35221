/* SPDX-License-Identifier: MIT */
/*
 * test_chan_apps.c - the pure parts of the app channels: WeChat's signature (the
 * PROTOCOLS.md 5 vector), the flat-XML reader on accepted and hostile bodies, the
 * Official Account's inbound side (URL check, TEMPLATESENDJOBFINISH, unsigned), the
 * token endpoints' answer, a 19-digit message id kept as sent, and channel options.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels/channel_internal.h"
#include "channels/wx_xml.h"
#include "core/err.h"

static wx_xml_t x;

START_TEST(test_signature_vector)
{
    char hex[41];

    ck_assert_int_eq(wx_signature("mytoken", "1700000000", "123456789", hex), CB_OK);
    ck_assert_str_eq(hex, "a70b5d4fa30362248c4a3d9dd3d6828f46539658");
}
END_TEST

START_TEST(test_xml_accepted)
{
    const char *b = " <xml>\n<ToUserName><![CDATA[gh_x]]></ToUserName>\n"
                    "<CreateTime>1700000000</CreateTime><Content><![CDATA[a<b>&c]]></Content>"
                    "<Empty></Empty></xml>\n";
    char why[160];

    ck_assert_int_eq(wx_xml_read(b, strlen(b), &x, why, sizeof why), CB_OK);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(wx_xml_get(&x, "ToUserName"), "gh_x");
    ck_assert_str_eq(wx_xml_get(&x, "CreateTime"), "1700000000");
    ck_assert_str_eq(wx_xml_get(&x, "Content"), "a<b>&c");
    ck_assert_str_eq(wx_xml_get(&x, "Empty"), "");
    ck_assert_ptr_null(wx_xml_get(&x, "Nope"));
}
END_TEST

static const struct {
    const char *body, *why;
} hostile[] = {
    {"", "expected <xml>"},
    {"<xml><A>1</A>", "expected '<'"},
    {"<xml><A><B>1</B></A></xml>", "no nested elements"},
    {"<xml><A>1</B></xml>", "closing tag does not match"},
    {"<xml><A>1</A><A>2</A></xml>", "a tag given twice"},
    {"<xml><A x=\"1\">1</A></xml>", "no attributes"},
    {"<xml><A>&lt;</A></xml>", "entities"},
    {"<xml><A><![CDATA[x]></A></xml>", "unterminated CDATA"},
    {"<xml></xml><xml></xml>", "bytes after </xml>"},
    {"<xml><AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA>1</AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA></xml>",
     "tag name too long"},
};

START_TEST(test_xml_hostile)
{
    char why[160];

    ck_assert_int_eq(wx_xml_read(hostile[_i].body, strlen(hostile[_i].body), &x, why,
                                 sizeof why), CB_EINVAL);
    ck_assert_msg(strstr(why, hostile[_i].why) != NULL, "%s: %s", hostile[_i].body, why);
}
END_TEST

START_TEST(test_xml_bounds)
{
    size_t n = WX_VALUE_MAX + 64;
    char *b = malloc(n + 64), why[160];
    int len = snprintf(b, n + 64, "<xml><A>%0*d</A></xml>", WX_VALUE_MAX + 1, 0);

    ck_assert_int_eq(wx_xml_read(b, (size_t)len, &x, why, sizeof why), CB_EINVAL);
    ck_assert_ptr_nonnull(strstr(why, "value too long"));
    len = snprintf(b, n + 64, "<xml><A>1</A>%c</xml>", 0);
    ck_assert_int_eq(wx_xml_read(b, (size_t)len, &x, why, sizeof why), CB_EINVAL);
    free(b);
}
END_TEST

static const char *q_sig, *q_ts = "1700000000", *q_nonce = "123456789", *q_echo;

static const char *query(void *ud, const char *name)
{
    (void)ud;
    return strcmp(name, "signature") == 0   ? q_sig
           : strcmp(name, "timestamp") == 0 ? q_ts
           : strcmp(name, "nonce") == 0     ? q_nonce
           : strcmp(name, "echostr") == 0   ? q_echo
                                            : NULL;
}

static ch_event_t got;
static int ngot;

static void take(void *ud, const ch_event_t *ev)
{
    (void)ud;
    got = *ev;
    ngot++;
}

static int inbound(const char *what, const char *body)
{
    ch_inbound_t in = {.what = what, .param = query, .body = body, .body_len = strlen(body),
                       .secret = "mytoken"};
    char ack[80] = "", why[200] = "";
    int rc;

    ngot = 0;
    rc = channel_inbound("wechat_mp", &in, take, NULL, ack, sizeof ack, why, sizeof why);
    if (rc == CB_OK && strcmp(what, "verify") == 0)
        ck_assert_str_eq(ack, q_echo);
    return rc;
}

START_TEST(test_mp_inbound)
{
    const char *fin = "<xml><FromUserName><![CDATA[oAbc]]></FromUserName><MsgType><![CDATA[event]]>"
                      "</MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>"
                      "<MsgID>2754987845364170001</MsgID><Status><![CDATA[failed:user block]]>"
                      "</Status></xml>";

    q_sig = "a70b5d4fa30362248c4a3d9dd3d6828f46539658";
    q_echo = "5837397749";
    ck_assert_int_eq(inbound("verify", ""), CB_OK);
    ck_assert_int_eq(inbound("push", fin), CB_OK);
    ck_assert_int_eq(ngot, 1);
    ck_assert_str_eq(got.msg_id, "2754987845364170001");
    ck_assert(got.final && !got.delivered);
    ck_assert_str_eq(got.error, "WeChat: failed:user block");
    /* a resident's text: a reply from the openid, not from a phone */
    ck_assert_int_eq(inbound("push", "<xml><FromUserName>oAbc-1_x</FromUserName><MsgType>text"
                                     "</MsgType><Content><![CDATA[ 12345x\n]]></Content>"
                                     "<MsgId>9001</MsgId></xml>"), CB_OK);
    ck_assert_int_eq(ngot, 1);
    ck_assert_int_eq(got.kind, CH_EV_REPLY);
    ck_assert_str_eq(got.account, "oAbc-1_x");
    ck_assert_str_eq(got.from, "");
    ck_assert_str_eq(got.msg_id, "9001");
    ck_assert_str_eq(got.text, " 12345x\n");
    /* a text without its id or content, an openid that is no identifier: malformed */
    ck_assert_int_eq(inbound("push", "<xml><FromUserName>o</FromUserName><MsgType>text</MsgType>"
                                     "</xml>"), CB_EINVAL);
    ck_assert_int_eq(inbound("push", "<xml><FromUserName>o b</FromUserName><MsgType>event"
                                     "</MsgType><Event>unsubscribe</Event></xml>"), CB_EINVAL);
    ck_assert_int_eq(ngot, 0);
    ck_assert_int_eq(inbound("push", "<xml><FromUserName>oAbc</FromUserName><MsgType>event"
                                     "</MsgType><Event>unsubscribe</Event></xml>"), CB_OK);
    ck_assert_int_eq(ngot, 1);
    ck_assert_int_eq(got.kind, CH_EV_OPTOUT);
    ck_assert_str_eq(got.account, "oAbc");
    /* other messages and events are acknowledged and carry nothing */
    ck_assert_int_eq(inbound("push", "<xml><FromUserName>o</FromUserName><MsgType>event</MsgType>"
                                     "<Event>subscribe</Event></xml>"), CB_OK);
    ck_assert_int_eq(inbound("push", "<xml><FromUserName>o</FromUserName><MsgType>image</MsgType>"
                                     "</xml>"), CB_OK);
    ck_assert_int_eq(ngot, 0);
    q_echo = "<script>";
    ck_assert_int_eq(inbound("verify", ""), CB_EINVAL);
    q_sig = "a70b5d4fa30362248c4a3d9dd3d6828f46539659";
    ck_assert_int_eq(inbound("push", fin), CH_INBOUND_UNSIGNED);
    ck_assert_int_eq(ngot, 0);
    q_sig = NULL;
    ck_assert_int_eq(inbound("verify", ""), CH_INBOUND_UNSIGNED);
}
END_TEST

static httpc_resp_t resp_of(const char *body)
{
    httpc_resp_t r = {.status = 200, .body = body, .body_len = strlen(body)};
    return r;
}

START_TEST(test_token_parse)
{
    chan_verdict_t v;
    char *tok;
    long exp = 0;
    httpc_resp_t r = resp_of("{\"errcode\":0,\"access_token\":\"abc-_.9\",\"expires_in\":7200}");

    memset(&v, 0, sizeof v);
    ck_assert_int_eq(chan__token_parse(&r, &tok, &exp, &v), CB_OK);
    ck_assert_str_eq(tok, "abc-_.9");
    ck_assert_int_eq(exp, 7200);
    free(tok);
    r = resp_of("{\"errcode\":40013,\"errmsg\":\"invalid appid\"}");
    ck_assert_int_lt(chan__token_parse(&r, &tok, &exp, &v), 0);
    ck_assert_int_eq(v.outcome, CH_PERMFAIL);
    ck_assert_ptr_nonnull(strstr(v.error, "40013"));
    r = resp_of("{\"access_token\":\"a b\",\"expires_in\":7200}"); /* not for a URL */
    ck_assert_int_lt(chan__token_parse(&r, &tok, &exp, &v), 0);
    ck_assert_int_eq(v.outcome, CH_TEMPFAIL);
}
END_TEST

START_TEST(test_digits_kept)
{
    const char *b = "{\"errmsg\":\"\\\"msgid\\\":1\",\"errcode\":0,\"msgid\": 2754987845364170001}";
    httpc_resp_t r = resp_of(b);
    cJSON *j = cJSON_Parse(b);
    char out[32];

    ck_assert_int_eq(chan__json_digits(&r, j, "msgid", out, sizeof out), 1);
    ck_assert_str_eq(out, "2754987845364170001");
    ck_assert_int_eq(chan__json_digits(&r, j, "errcode", out, sizeof out), 0); /* 0: none */
    cJSON_Delete(j);
}
END_TEST

START_TEST(test_options)
{
    httpc_t *h;
    channel_t *ch;
    char err[256];
    cJSON *cfg;

    ck_assert_int_eq(httpc_create(4, 4, &h), CB_OK);
    cfg = cJSON_Parse("{\"name\":\"w\",\"type\":\"wecom_app\",\"corpid\":\"ww1\","
                      "\"corpsecret_env\":\"CB_TEST_UNSET_SECRET\",\"agentid\":1}");
    ck_assert_int_eq(channel_create(h, cfg, &ch, err, sizeof err), CB_ECONFIG);
    ck_assert_ptr_nonnull(strstr(err, "CB_TEST_UNSET_SECRET"));
    cJSON_Delete(cfg);
    cfg = cJSON_Parse("{\"name\":\"m\",\"type\":\"wechat_mp\",\"appid\":\"wx1\",\"appsecret\":\"s\","
                      "\"template_id\":\"T\",\"text_field\":\"thing1\",\"data\":{\"thing1\":\"x\"}}");
    ck_assert_int_eq(channel_create(h, cfg, &ch, err, sizeof err), CB_ECONFIG);
    ck_assert_ptr_nonnull(strstr(err, "is the text_field"));
    cJSON_Delete(cfg);
    cfg = cJSON_Parse("{\"name\":\"d\",\"type\":\"dingtalk_work\",\"appkey\":\"k\",\"appsecret\":\"s\","
                      "\"agent_id\":7}");
    ck_assert_int_eq(channel_create(h, cfg, &ch, err, sizeof err), CB_OK);
    ck_assert_int_eq(channel_kind(ch), CH_KIND_APP);
    ck_assert_int_eq(channel_can_poll(ch), 1);
    ck_assert_int_eq(channel_poll(ch, 1, "u1", "12a", NULL, NULL), CB_EINVAL);
    cJSON_Delete(cfg);
    channel_destroy(ch);
    httpc_destroy(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("chan_apps");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_signature_vector);
    tcase_add_test(tc, test_xml_accepted);
    tcase_add_loop_test(tc, test_xml_hostile, 0, (int)(sizeof hostile / sizeof hostile[0]));
    tcase_add_test(tc, test_xml_bounds);
    tcase_add_test(tc, test_mp_inbound);
    tcase_add_test(tc, test_token_parse);
    tcase_add_test(tc, test_digits_kept);
    tcase_add_test(tc, test_options);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
