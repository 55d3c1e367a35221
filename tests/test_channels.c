/* SPDX-License-Identifier: MIT */
/*
 * test_channels.c - channels without a network: configuration errors, decorate,
 * the request each driver builds (URLs, JSON bodies, signatures against vectors
 * computed with Python's hmac), the classification of answers, the Kannel part
 * limit and the file channel. Real HTTP and the example deployment config are in
 * test_channels_http.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channels/channel.h"
#include "channels/channel_internal.h"
#include "net/sign.h"
#include "core/err.h"

static httpc_t *http;
static char err[256];

static void setup(void)
{
    ck_assert_int_eq(httpc_create(4, 4, &http), CB_OK);
    err[0] = '\0';
}

static void teardown(void)
{
    httpc_destroy(http);
    http = NULL;
}

static int64_t fixed_clock(void)
{
    return 1700000000000LL; /* 2023-11-14T22:13:20Z */
}

/* Create from JSON text; the assertion names the error on failure. */
static channel_t *make(const char *json)
{
    cJSON *cfg = cJSON_Parse(json);
    channel_t *ch = NULL;
    int rc;

    ck_assert_ptr_nonnull(cfg);
    rc = channel_create(http, cfg, &ch, err, sizeof err);
    cJSON_Delete(cfg);
    ck_assert_msg(rc == CB_OK, "create failed: %s", err);
    channel__set_clock(ch, fixed_clock);
    return ch;
}

/* The error text of a configuration that must fail. */
static const char *make_fails(const char *json)
{
    cJSON *cfg = cJSON_Parse(json);
    channel_t *ch = NULL;

    ck_assert_ptr_nonnull(cfg);
    ck_assert_int_eq(channel_create(http, cfg, &ch, err, sizeof err), CB_ECONFIG);
    ck_assert_ptr_null(ch);
    cJSON_Delete(cfg);
    return err;
}

#define KANNEL_CFG(extra)                                                                  \
    "{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"http://127.0.0.1:13013/cgi-bin/sendsms\"," \
    "\"username\":\"canbao\",\"password\":\"p&ss w\",\"max_parts\":2" extra "}"

START_TEST(test_config_errors)
{
    ck_assert_str_eq(make_fails("{\"name\":\"x\",\"type\":\"smtp\"}"),
                     "channel 'x': unknown type 'smtp'");
    ck_assert_str_eq(make_fails("{\"type\":\"file\",\"path\":\"/tmp/x\"}"),
                     "channel '?': \"name\" must be a non-empty string");
    ck_assert_str_eq(make_fails(KANNEL_CFG(",\"pasword\":\"x\"")),
                     "channel 'sms': unknown option pasword");
    ck_assert_str_eq(make_fails(KANNEL_CFG(",\"url_env\":\"X\"")),
                     "channel 'sms': unknown option url_env");
    ck_assert_str_eq(make_fails("{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"http://h/\","
                                "\"username\":\"u\",\"max_parts\":3}"),
                     "channel 'sms': missing option password (or password_env)");
    ck_assert_str_eq(make_fails("{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"http://h/\","
                                "\"username\":\"u\",\"password\":\"p\"}"),
                     "channel 'sms': missing option max_parts");
    ck_assert_str_eq(make_fails(KANNEL_CFG(",\"password_env\":\"X\"")),
                     "channel 'sms': give password or password_env, not both");
    ck_assert_str_eq(make_fails("{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"http://h/\","
                                "\"username\":\"u\",\"max_parts\":3,"
                                "\"password_env\":\"CANBAO_TEST_SURELY_UNSET\"}"),
                     "channel 'sms': environment variable CANBAO_TEST_SURELY_UNSET "
                     "(password_env) is not set");
    ck_assert_str_eq(make_fails(KANNEL_CFG(",\"max_parts\":2.5")),
                     "channel 'sms': option max_parts given twice");
    ck_assert_str_eq(make_fails("{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"http://h/\","
                                "\"username\":\"u\",\"password\":\"p\",\"max_parts\":\"3\"}"),
                     "channel 'sms': option max_parts must be an integer");
    ck_assert_str_eq(make_fails("{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"ftp://h/\","
                                "\"username\":\"u\",\"password\":\"p\",\"max_parts\":3}"),
                     "channel 'sms': url must start with http:// or https://");
    ck_assert_str_eq(make_fails(KANNEL_CFG(",\"dlr_url\":\"http://h/dlr\"")),
                     "channel 'sms': dlr_url must contain {id}");
    ck_assert_str_eq(make_fails(KANNEL_CFG(",\"rate\":0")),
                     "channel 'sms': rate must be > 0 and <= 1000000");
    ck_assert_str_eq(make_fails("{\"name\":\"g\",\"type\":\"http_sms\",\"url\":\"http://h/\","
                                "\"auth_header\":\"Authorization\"}"),
                     "channel 'g': auth_header and auth_value go together");
    ck_assert_str_eq(make_fails("{\"name\":\"g\",\"type\":\"http_sms\",\"url\":\"http://h/\","
                                "\"extra\":{\"to\":\"x\"}}"),
                     "channel 'g': extra must not set field to");
    ck_assert_str_eq(make_fails("{\"name\":\"w\",\"type\":\"webhook\",\"url\":\"http://h/\"}"),
                     "channel 'w': missing option secret (or secret_env)");
    ck_assert_str_eq(make_fails("{\"name\":\"f\",\"type\":\"file\",\"path\":\"/tmp/x\","
                                "\"timeout_ms\":1000}"),
                     "channel 'f': unknown option timeout_ms");
}
END_TEST

START_TEST(test_config_env_and_defaults)
{
    channel_t *ch;
    chan_req_t req = {0};
    chan_verdict_t v = {0};
    ch_msg_t m = {.id = 1, .to = "13800138000", .text = "hi"};
    int parts;

    ck_assert_int_eq(setenv("CANBAO_TEST_KANNEL_PW", "s3cret", 1), 0);
    ch = make("{\"name\":\"sms\",\"type\":\"kannel\",\"url\":\"http://h/s?x=1\","
              "\"username\":\"u\",\"password_env\":\"CANBAO_TEST_KANNEL_PW\",\"max_parts\":3,"
              "\"rate\":5.5}");
    ck_assert_str_eq(channel_name(ch), "sms");
    ck_assert_str_eq(channel_type(ch), "kannel");
    ck_assert_int_eq(channel_kind(ch), CH_KIND_SMS);
    ck_assert_double_eq(channel_rate(ch), 5.5);
    ck_assert_int_eq(channel_burst(ch), 6);
    ck_assert_int_eq(ch->ops->build(ch, &m, fixed_clock(), &req, &parts, &v), CB_OK);
    ck_assert_str_eq(req.url, "http://h/s?x=1&username=u&password=s3cret&to=13800138000&text=hi"
                              "&charset=UTF-8&coding=2");
    chan__req_cleanup(&req);
    channel_destroy(ch);

    ch = make("{\"name\":\"robot\",\"type\":\"wecom\",\"url\":\"https://w/send?key=k\"}");
    ck_assert_int_eq(channel_kind(ch), CH_KIND_ROBOT);
    ck_assert_double_eq_tol(channel_rate(ch), 20.0 / 60.0, 1e-9);
    ck_assert_int_eq(channel_burst(ch), 1);
    channel_destroy(ch);

    ch = make("{\"name\":\"ding\",\"type\":\"dingtalk\",\"url\":\"https://d/send?t=1\","
              "\"rate\":0.25,\"burst\":3}");
    ck_assert_double_eq(channel_rate(ch), 0.25);
    ck_assert_int_eq(channel_burst(ch), 3);
    channel_destroy(ch);
}
END_TEST

START_TEST(test_config_needs_http)
{
    cJSON *cfg = cJSON_Parse("{\"name\":\"r\",\"type\":\"wecom\",\"url\":\"https://w/\"}");
    channel_t *ch = NULL;

    ck_assert_int_eq(channel_create(NULL, cfg, &ch, err, sizeof err), CB_ECONFIG);
    ck_assert_str_eq(err, "channel 'r': type 'wecom' needs an HTTP client");
    cJSON_Delete(cfg);
}
END_TEST

START_TEST(test_decorate)
{
    channel_t *ch = make(KANNEL_CFG(",\"signature\":\"【某某县医保】\",\"optout_suffix\":\"拒收请回复R\""));
    char *s = channel_render(ch, "请于12月31日前缴费。", NULL);

    ck_assert_str_eq(s, "【某某县医保】请于12月31日前缴费。拒收请回复R");
    free(s);
    channel_destroy(ch);
    ch = make("{\"name\":\"r\",\"type\":\"wecom\",\"url\":\"https://w/\"}");
    s = channel_render(ch, "进度 62%", NULL);
    ck_assert_str_eq(s, "进度 62%");
    free(s);
    channel_destroy(ch);
}
END_TEST

START_TEST(test_kannel_request)
{
    channel_t *ch = make(KANNEL_CFG(",\"signature\":\"【医保】\",\"optout_suffix\":\"，回R退订\","
                                    "\"dlr_url\":\"http://127.0.0.1:8080/dlr?id={id}&s=%d\","
                                    "\"smsc\":\"FAKE\""));
    ch_msg_t m = {.id = 7, .to = "13800138000", .text = "缴费提醒", .key = "k-7"};
    chan_req_t req = {0};
    chan_verdict_t v = {0};
    int parts = 0;

    ck_assert_int_eq(ch->ops->build(ch, &m, fixed_clock(), &req, &parts, &v), CB_OK);
    ck_assert_str_eq(req.method, "GET");
    ck_assert_str_eq(req.url,
                     "http://127.0.0.1:13013/cgi-bin/sendsms?username=canbao&password=p%26ss%20w"
                     "&to=13800138000&text=%E3%80%90%E5%8C%BB%E4%BF%9D%E3%80%91%E7%BC%B4%E8%B4%B9"
                     "%E6%8F%90%E9%86%92%EF%BC%8C%E5%9B%9ER%E9%80%80%E8%AE%A2&charset=UTF-8&coding=2"
                     "&dlr-mask=31&dlr-url=http%3A%2F%2F127.0.0.1%3A8080%2Fdlr%3Fid%3D7%26s%3D%25d"
                     "&smsc=FAKE");
    ck_assert_ptr_null(req.body);
    ck_assert_uint_eq(req.nhdr, 0);
    ck_assert_int_eq(parts, 1);
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

/* 'n' copies of the UTF-8 character 'c'. */
static char *repeat(const char *c, int n)
{
    size_t l = strlen(c);
    char *s = malloc(l * (size_t)n + 1);

    for (int i = 0; i < n; i++)
        memcpy(s + l * (size_t)i, c, l);
    s[l * (size_t)n] = '\0';
    return s;
}

static int result_calls;
static ch_result_t last;
static char last_error[200];

static void on_result(void *ud, const ch_result_t *r)
{
    (void)ud;
    result_calls++;
    last = *r;
    snprintf(last_error, sizeof last_error, "%s", r->error != NULL ? r->error : "");
    last.error = NULL;
    last.gateway_id = NULL;
}

START_TEST(test_kannel_parts)
{
    static const struct {
        const char *ch;
        int n, parts;
    } cases[] = {
        {"缴", 70, 1}, {"缴", 71, 2}, {"缴", 134, 2}, {"a", 70, 1},
        {"😀", 35, 1}, {"😀", 36, 2}, {"😀", 67, 2},
    };
    channel_t *ch = make(KANNEL_CFG(""));
    chan_verdict_t v = {0};
    chan_req_t req = {0};
    ch_msg_t m = {.id = 3, .to = "+8613800138000"};
    char *long_text;
    int parts;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = repeat(cases[i].ch, cases[i].n);

        m.text = t;
        ck_assert_int_eq(ch->ops->build(ch, &m, fixed_clock(), &req, &parts, &v), CB_OK);
        ck_assert_msg(parts == cases[i].parts, "case %zu: %d parts", i, parts);
        chan__req_cleanup(&req);
        free(t);
    }
    /* Over the limit: failed at once, nothing sent (Kannel would truncate). */
    long_text = repeat("缴", 135);
    m.text = long_text;
    result_calls = 0;
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    ck_assert_int_eq(result_calls, 1);
    ck_assert_int_eq(last.outcome, CH_PERMFAIL);
    ck_assert_int_eq(last.id, 3);
    ck_assert_int_eq(last.parts, 3);
    ck_assert_str_eq(last_error, "text needs 3 parts, limit 2");
    ck_assert_uint_eq(httpc_inflight(http), 0);
    ck_assert_uint_eq(channel_inflight(ch), 0);
    free(long_text);
    /* A space would make Kannel send to two receivers. */
    m.text = "hi";
    m.to = "13800138000 13900139000";
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    ck_assert_int_eq(result_calls, 2);
    ck_assert_str_eq(last_error, "invalid phone number");
    ck_assert_uint_eq(httpc_inflight(http), 0);
    m.text = NULL;
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_EINVAL);
    ck_assert_int_eq(result_calls, 2);
    channel_destroy(ch);
}
END_TEST

/* Build for 'm' and return the body (the request stays in *req). */
static const char *build(channel_t *ch, const ch_msg_t *m, chan_req_t *req)
{
    chan_verdict_t v = {0};
    int parts = -1;

    memset(req, 0, sizeof *req);
    ck_assert_int_eq(ch->ops->build(ch, m, ch->now_ms(), req, &parts, &v), CB_OK);
    ck_assert_int_eq(parts, 0);
    ck_assert_str_eq(req->method, "POST");
    ck_assert_uint_eq(req->body_len, strlen(req->body));
    return req->body;
}

START_TEST(test_wecom_request)
{
    channel_t *ch = make("{\"name\":\"r\",\"type\":\"wecom\","
                         "\"url\":\"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K\"}");
    ch_msg_t m = {.id = 1, .to = "13800001111", .text = "缴费提醒"};
    chan_req_t req;
    chan_verdict_t v = {0};
    int parts;
    char *big;

    ck_assert_str_eq(build(ch, &m, &req), "{\"msgtype\":\"text\",\"text\":{\"content\":\"缴费提醒\","
                                          "\"mentioned_mobile_list\":[\"13800001111\"]}}");
    ck_assert_str_eq(req.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K");
    ck_assert_uint_eq(req.nhdr, 1);
    ck_assert_str_eq(req.hdr[0], "Content-Type: application/json; charset=utf-8");
    chan__req_cleanup(&req);
    m.markdown = 1;
    m.text = "## 进度\n> 已缴 124/200 户";
    ck_assert_str_eq(build(ch, &m, &req), "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
                                          "\"## 进度\\n> 已缴 124/200 户\"}}");
    chan__req_cleanup(&req);
    m.markdown = 0;
    big = repeat("x", 2049);
    m.text = big;
    ck_assert_int_eq(ch->ops->build(ch, &m, 0, &req, &parts, &v), CB_EREJECTED);
    ck_assert_str_eq(v.error, "text is 2049 bytes, limit 2048");
    free(big);
    channel_destroy(ch);
}
END_TEST

START_TEST(test_dingtalk_request)
{
    channel_t *ch = make("{\"name\":\"d\",\"type\":\"dingtalk\","
                         "\"url\":\"https://oapi.dingtalk.com/robot/send?access_token=T\","
                         "\"secret\":\"SECexample0123456789\"}");
    ch_msg_t m = {.id = 1, .to = "13800001111", .text = "缴费提醒"};
    chan_req_t req;

    /* PROTOCOLS.md 3 vector: secret SECexample0123456789, timestamp 1700000000000. */
    ck_assert_str_eq(build(ch, &m, &req),
                     "{\"msgtype\":\"text\",\"text\":{\"content\":\"缴费提醒 @13800001111\"},"
                     "\"at\":{\"atMobiles\":[\"13800001111\"],\"isAtAll\":false}}");
    ck_assert_str_eq(req.url, "https://oapi.dingtalk.com/robot/send?access_token=T"
                              "&timestamp=1700000000000"
                              "&sign=figG6qqCA%2FlRh0hsGCW2zNtNV5znkAFut5BI0zKhqnQ%3D");
    chan__req_cleanup(&req);
    m.markdown = 1;
    m.to = NULL;
    m.text = "#### 某某村缴费进度\n> 已缴 124/200 户";
    ck_assert_str_eq(build(ch, &m, &req),
                     "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"某某村缴费进度\","
                     "\"text\":\"#### 某某村缴费进度\\n> 已缴 124/200 户\"},"
                     "\"at\":{\"isAtAll\":false}}");
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

START_TEST(test_webhook_request)
{
    channel_t *ch = make("{\"name\":\"w\",\"type\":\"webhook\",\"url\":\"https://h.example/in\","
                         "\"secret\":\"whsec_canbao\"}");
    ch_msg_t m = {.id = 42, .to = "13800138000", .text = "缴费提醒", .key = "k-42"};
    char hex[65];
    chan_req_t req;

    ck_assert_str_eq(build(ch, &m, &req),
                     "{\"id\":42,\"key\":\"k-42\",\"to\":\"13800138000\",\"text\":\"缴费提醒\"}");
    ck_assert_uint_eq(req.nhdr, 4);
    ck_assert_str_eq(req.hdr[1], "X-Canbao-Timestamp: 1700000000");
    /* python3: hmac.new(b"whsec_canbao", b"1700000000." + body, sha256).hexdigest() */
    ck_assert_str_eq(req.hdr[2], "X-Canbao-Signature: "
                                 "v1=1fdd950e710bd6da5ca65bae010de6f7067214ea23e7bf3afba3161bd6ab4cfe");
    ck_assert_str_eq(req.hdr[3], "Idempotency-Key: k-42");
    ck_assert_ptr_null(req.hdr[4]);
    chan__req_cleanup(&req);
    /* PROTOCOLS.md 9 Stripe-style vector. */
    sign_body("whsec_test_secret", "1700000000", "{\"event\":\"payment.succeeded\","
                    "\"order\":\"A1\"}", 42, hex);
    ck_assert_str_eq(hex, "c7619dfedb7e9cb5d05a06f6aaa1748583295549da6c20fcf3ca9263f0b55c9c");
    m.key = NULL;
    m.to = NULL;
    ck_assert_str_eq(build(ch, &m, &req),
                     "{\"id\":42,\"key\":null,\"to\":null,\"text\":\"缴费提醒\"}");
    ck_assert_uint_eq(req.nhdr, 3);
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

#define HTTP_SMS_CFG                                                                       \
    "{\"name\":\"g\",\"type\":\"http_sms\",\"url\":\"https://sms.example/send\","             \
    "\"extra\":{\"sign\":\"X\"},\"key_field\":\"key\",\"auth_header\":\"Authorization\","      \
    "\"auth_value\":\"Bearer tok\",\"sign_header\":\"X-Signature\",\"sign_secret\":\"gwsecret\"," \
    "\"success_field\":\"code\",\"success_value\":\"0\",\"gateway_id_field\":\"data.msgid\","   \
    "\"parts_field\":\"fee\",\"signature\":\"【医保】\"}"

START_TEST(test_http_sms_request)
{
    channel_t *ch = make(HTTP_SMS_CFG);
    ch_msg_t m = {.id = 7, .to = "13800138000", .text = "缴费提醒", .key = "k-7"};
    chan_req_t req;

    ck_assert_str_eq(build(ch, &m, &req),
                     "{\"sign\":\"X\",\"to\":\"13800138000\",\"text\":\"【医保】缴费提醒\","
                     "\"out_id\":\"7\",\"key\":\"k-7\"}");
    ck_assert_str_eq(req.url, "https://sms.example/send");
    ck_assert_uint_eq(req.nhdr, 5);
    ck_assert_str_eq(req.hdr[1], "Idempotency-Key: k-7");
    ck_assert_str_eq(req.hdr[2], "Authorization: Bearer tok");
    ck_assert_str_eq(req.hdr[3], "X-Timestamp: 1700000000");
    ck_assert_str_eq(req.hdr[4], "X-Signature: "
                                 "a05709deb7cb5d7e1832391804f46436e547ebbe207918e16e4bee8c352e9d8d");
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

/* One row of the classification table. */
typedef struct answer {
    const char *cfg;
    long status;
    const char *body;
    const char *retry_after;
    const char *error; /* transport error */
    ch_outcome_t outcome;
    const char *why; /* expected error ("" for none) */
    int retry_after_s;
    const char *gateway_id;
    int parts;
} answer_t;

#define K KANNEL_CFG("")
#define WE "{\"name\":\"r\",\"type\":\"wecom\",\"url\":\"https://w/\"}"
#define DT "{\"name\":\"d\",\"type\":\"dingtalk\",\"url\":\"https://d/\"}"
#define WH "{\"name\":\"w\",\"type\":\"webhook\",\"url\":\"https://h/\",\"secret\":\"s\"}"

static const answer_t answers[] = {
    {K, 202, "0: Accepted for delivery", NULL, NULL, CH_ACCEPTED, "", 0, "", 0},
    {K, 202, "3: Queued for later delivery", NULL, NULL, CH_ACCEPTED, "", 0, "", 0},
    {K, 503, "Temporal failure, try again later.", NULL, NULL, CH_TEMPFAIL,
     "HTTP 503: Temporal failure, try again later.", 0, "", 0},
    {K, 403, "Authorization failed for sendsms", NULL, NULL, CH_PERMFAIL,
     "HTTP 403: Authorization failed for sendsms", 0, "", 0},
    {K, 400, "Missing receiver number, rejected\n", NULL, NULL, CH_PERMFAIL,
     "HTTP 400: Missing receiver number, rejected", 0, "", 0},
    {K, 429, "", "30", NULL, CH_TEMPFAIL, "HTTP 429", 30, "", 0},
    {K, 0, "", NULL, "Operation timed out after 10001 milliseconds with 0 bytes received",
     CH_TEMPFAIL, "Operation timed out after 10001 milliseconds with 0 bytes received", 0, "", 0},
    {WE, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", NULL, NULL, CH_ACCEPTED, "", 0, "", 0},
    {WE, 200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", NULL, NULL,
     CH_TEMPFAIL, "errcode 45009: api freq out of limit", 60, "", 0},
    {WE, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}", NULL, NULL, CH_PERMFAIL,
     "errcode 93000: invalid webhook url", 0, "", 0},
    {WE, 200, "<html>gateway</html>", NULL, NULL, CH_TEMPFAIL, "HTTP 200 without errcode", 0, "",
     0},
    {WE, 502, "", NULL, NULL, CH_TEMPFAIL, "HTTP 502", 0, "", 0},
    {DT, 200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}", NULL, NULL, CH_TEMPFAIL,
     "errcode 130101: send too fast", 600, "", 0},
    {DT, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}", NULL, NULL, CH_PERMFAIL,
     "errcode 310000: sign not match", 0, "", 0},
    {DT, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}", NULL, NULL, CH_ACCEPTED, "", 0, "", 0},
    {WH, 200, "{\"id\":\"evt_1\"}", NULL, NULL, CH_ACCEPTED, "", 0, "evt_1", 0},
    {WH, 204, "", NULL, NULL, CH_ACCEPTED, "", 0, "", 0},
    {WH, 500, "", NULL, NULL, CH_TEMPFAIL, "HTTP 500", 0, "", 0},
    {WH, 408, "", NULL, NULL, CH_TEMPFAIL, "HTTP 408", 0, "", 0},
    {WH, 410, "gone", NULL, NULL, CH_PERMFAIL, "HTTP 410: gone", 0, "", 0},
    {WH, 429, "", "Wed, 21 Oct 2015 07:28:00 GMT", NULL, CH_TEMPFAIL, "HTTP 429", 0, "", 0},
    {HTTP_SMS_CFG, 200, "{\"code\":0,\"data\":{\"msgid\":\"m-1\"},\"fee\":2}", NULL, NULL,
     CH_ACCEPTED, "", 0, "m-1", 2},
    {HTTP_SMS_CFG, 200, "{\"code\":\"0\",\"data\":{\"msgid\":99}}", NULL, NULL, CH_ACCEPTED, "",
     0, "99", 0},
    {HTTP_SMS_CFG, 200, "{\"code\":1001,\"msg\":\"bad sign\"}", NULL, NULL, CH_PERMFAIL,
     "code is '1001', not '0'", 0, "", 0},
    {HTTP_SMS_CFG, 200, "not json", NULL, NULL, CH_PERMFAIL, "code is '', not '0'", 0, "", 0},
    {HTTP_SMS_CFG, 401, "{\"msg\":\"no\"}", NULL, NULL, CH_PERMFAIL, "HTTP 401: {\"msg\":\"no\"}",
     0, "", 0},
};

START_TEST(test_classify)
{
    const answer_t *a = &answers[_i];
    channel_t *ch = make(a->cfg);
    httpc_resp_t resp = {.status = a->status, .body = a->body, .body_len = strlen(a->body),
                         .curl_code = a->error != NULL ? 28 : 0, .error = a->error,
                         .retry_after = a->retry_after};
    chan_verdict_t v;

    memset(&v, 0, sizeof v);
    ch->ops->classify(ch, &resp, &v);
    ck_assert_msg(v.outcome == a->outcome, "row %d: outcome %d", _i, (int)v.outcome);
    ck_assert_str_eq(v.error, a->why);
    ck_assert_int_eq(v.retry_after_s, a->retry_after_s);
    ck_assert_str_eq(v.gateway_id, a->gateway_id);
    ck_assert_int_eq(v.parts, a->parts);
    channel_destroy(ch);
}
END_TEST

START_TEST(test_retry_after)
{
    ck_assert_int_eq(chan__retry_after("120", 0), 120);
    ck_assert_int_eq(chan__retry_after("999999", 0), 86400);
    ck_assert_int_eq(chan__retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412460), 20);
    ck_assert_int_eq(chan__retry_after("soon", 0), 0);
    ck_assert_int_eq(chan__retry_after(NULL, 0), 0);
}
END_TEST

START_TEST(test_file_channel)
{
    char dir[] = "/tmp/cb-chan-XXXXXX", path[64], cfg[256], line[512];
    ch_msg_t m = {.id = 1, .to = "13800138000", .text = "hi", .key = "k1"};
    channel_t *ch;
    struct stat st;
    FILE *fp;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.jsonl", dir);
    snprintf(cfg, sizeof cfg, "{\"name\":\"dry\",\"type\":\"file\",\"path\":\"%s\","
             "\"signature\":\"【医保】\",\"optout_suffix\":\"拒收请回复R\",\"fsync\":true}", path);
    ch = make(cfg);
    ck_assert_int_eq(channel_kind(ch), CH_KIND_FILE);
    result_calls = 0;
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    ck_assert_int_eq(result_calls, 1);
    ck_assert_int_eq(last.outcome, CH_ACCEPTED);
    ck_assert_int_eq(last.id, 1);
    m.id = 2;
    m.to = NULL;
    m.key = NULL;
    m.text = "第二条\n\"引号\"";
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    ck_assert_int_eq(result_calls, 2);
    channel_destroy(ch);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    ck_assert_str_eq(line, "{\"id\":1,\"key\":\"k1\",\"to\":\"13800138000\","
                           "\"text\":\"【医保】hi拒收请回复R\",\"at\":\"2023-11-14T22:13:20Z\"}\n");
    ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
    ck_assert_str_eq(line, "{\"id\":2,\"key\":null,\"to\":null,"
                           "\"text\":\"【医保】第二条\\n\\\"引号\\\"拒收请回复R\","
                           "\"at\":\"2023-11-14T22:13:20Z\"}\n");
    ck_assert_ptr_null(fgets(line, sizeof line, fp));
    fclose(fp);
    unlink(path);
    rmdir(dir);
    /* A failed write is temporary (a full disk may clear). */
    ch = make("{\"name\":\"full\",\"type\":\"file\",\"path\":\"/dev/full\"}");
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    ck_assert_int_eq(result_calls, 3);
    ck_assert_int_eq(last.outcome, CH_TEMPFAIL);
    ck_assert_str_eq(last_error, "write /dev/full: No space left on device");
    channel_destroy(ch);
}
END_TEST

static Suite *channels_suite(void)
{
    Suite *s = suite_create("channels");
    TCase *tc = tcase_create("pure");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_errors);
    tcase_add_test(tc, test_config_env_and_defaults);
    tcase_add_test(tc, test_config_needs_http);
    tcase_add_test(tc, test_decorate);
    tcase_add_test(tc, test_kannel_request);
    tcase_add_test(tc, test_kannel_parts);
    tcase_add_test(tc, test_wecom_request);
    tcase_add_test(tc, test_dingtalk_request);
    tcase_add_test(tc, test_webhook_request);
    tcase_add_test(tc, test_http_sms_request);
    tcase_add_loop_test(tc, test_classify, 0, (int)(sizeof answers / sizeof answers[0]));
    tcase_add_test(tc, test_retry_after);
    tcase_add_test(tc, test_file_channel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(channels_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
