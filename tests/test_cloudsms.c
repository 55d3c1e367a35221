/* SPDX-License-Identifier: MIT */
/*
 * test_cloudsms.c - the cloud SMS channels without a network: both signatures against
 * the providers' own documented examples, the template map checks, the request each
 * driver builds (verified by recomputing the signature from what was sent, as the
 * provider does), the classification of their answers, and their pushes parsed.
 *
 * Vectors:
 *  - Aliyun, "V3 请求体&签名机制" (help.aliyun.com, the ECS RunInstances example):
 *    POST ecs.cn-shanghai.aliyuncs.com, query
 *    ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai,
 *    empty body, x-acs-date 2023-10-26T10:22:32Z, nonce 3156853299f313e23d1673dc12e1703d,
 *    version 2014-05-26, secret YourAccessKeySecret -> Signature
 *    06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0.
 *  - Tencent, "签名方法 v3" (cloud.tencent.com/document/api/382/52072 and every
 *    product's copy): POST cvm.tencentcloudapi.com, timestamp 1551113065, body
 *    {"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]},
 *    SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE -> Signature
 *    72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels/channel.h"
#include "channels/channel_internal.h"
#include "core/err.h"
#include "net/sign_cloud.h"

static httpc_t *http;
static char err[512];

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

static int create(const char *json, channel_t **ch)
{
    cJSON *cfg = cJSON_Parse(json);
    int rc;

    ck_assert_ptr_nonnull(cfg);
    rc = channel_create(http, cfg, ch, err, sizeof err);
    cJSON_Delete(cfg);
    if (rc == CB_OK)
        channel__set_clock(*ch, fixed_clock);
    return rc;
}

START_TEST(test_acs3_documented_example)
{
    char sig[65], names[200], hash[65];

    sign_sha256_hex("", 0, hash);
    ck_assert_str_eq(hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sign_hdr_t h[] = {{"host", "ecs.cn-shanghai.aliyuncs.com"},
                      {"x-acs-action", "RunInstances"},
                      {"x-acs-content-sha256", hash},
                      {"x-acs-date", "2023-10-26T10:22:32Z"},
                      {"x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"},
                      {"x-acs-version", "2014-05-26"}};
    sign_acs3("YourAccessKeySecret", "POST", "/",
              "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
              h, 6, "", 0, sig, names, sizeof names);
    ck_assert_str_eq(sig, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    ck_assert_str_eq(names, "host;x-acs-action;x-acs-content-sha256;x-acs-date;"
                            "x-acs-signature-nonce;x-acs-version");
}
END_TEST

START_TEST(test_tc3_documented_example)
{
    static const char body[] =
        "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], "
        "\"Name\": \"instance-name\"}]}";
    char sig[65], scope[96], hash[65];

    sign_sha256_hex(body, strlen(body), hash);
    ck_assert_str_eq(hash, "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    sign_tc3("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", "cvm.tencentcloudapi.com",
             "application/json; charset=utf-8", 1551113065, body, strlen(body), sig, scope,
             sizeof scope);
    ck_assert_str_eq(scope, "2019-02-25/cvm/tc3_request");
    ck_assert_str_eq(sig, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
}
END_TEST

#define ALI(tpl)                                                                           \
    "{\"name\":\"ali\",\"type\":\"aliyun_sms\",\"url\":\"http://127.0.0.1:9/\","             \
    "\"access_key_id\":\"LTAIid\",\"access_key_secret\":\"alisecret\",\"sign_name\":\"某某医保\"," \
    "\"templates\":{" tpl "}}"
#define ALI_TPL                                                                            \
    "\"remind_periodic\":{\"code\":\"SMS_1\",\"content\":\"${name}您好，请缴费${fee}元。\","     \
    "\"params\":{\"name\":\"name\",\"fee\":\"fee_yuan\"}}"
#define TC(tpl)                                                                            \
    "{\"name\":\"tc\",\"type\":\"tencent_sms\",\"url\":\"http://127.0.0.1:9/\","             \
    "\"secret_id\":\"AKIDx\",\"secret_key\":\"tcsecret\",\"sdk_app_id\":\"1400006666\","      \
    "\"sign_name\":\"某某医保\",\"templates\":{" tpl "}}"
#define TC_TPL                                                                             \
    "\"remind_periodic\":{\"code\":\"1110\",\"content\":\"{1}您好，请缴费{2}元。\","             \
    "\"params\":[\"name\",\"fee_yuan\"]}"

START_TEST(test_template_map_errors)
{
    channel_t *ch = NULL;

    ck_assert_int_eq(create(ALI("\"remind_periodic\":{\"code\":\"SMS_1\",\"content\":"
                                "\"${name}您好，请缴费${fee}元。\",\"params\":{\"name\":\"name\"}}"),
                            &ch), CB_ECONFIG);
    ck_assert_str_eq(err, "channel 'ali': template remind_periodic: provider template SMS_1 has "
                          "parameter ${fee}, which \"params\" does not map");
    ck_assert_int_eq(create(ALI("\"remind_periodic\":{\"code\":\"SMS_1\",\"content\":\"${name}好\","
                                "\"params\":{\"name\":\"name\",\"amt\":\"fee_yuan\"}}"),
                            &ch), CB_ECONFIG);
    ck_assert_str_eq(err, "channel 'ali': template remind_periodic: provider template SMS_1 has no "
                          "parameter amt (mapped to canbao variable fee_yuan)");
    ck_assert_int_eq(create(TC("\"remind_periodic\":{\"code\":\"1110\",\"content\":\"{1}{2}{3}\","
                               "\"params\":[\"name\",\"fee_yuan\"]}"), &ch), CB_ECONFIG);
    ck_assert_str_eq(err, "channel 'tc': template remind_periodic: provider template 1110 has "
                          "parameter {3}, which \"params\" does not map");
    ck_assert_int_eq(create("{\"name\":\"ali\",\"type\":\"aliyun_sms\",\"access_key_id\":\"i\","
                            "\"access_key_secret\":\"s\",\"sign_name\":\"【医保】\",\"templates\":{"
                            ALI_TPL "}}", &ch), CB_ECONFIG);
    ck_assert_str_eq(err, "channel 'ali': sign_name must be the approved signature without 【】");
    ck_assert_int_eq(create("{\"name\":\"ali\",\"type\":\"aliyun_sms\",\"access_key_id\":\"i\","
                            "\"access_key_secret_env\":\"CANBAO_TEST_SURELY_UNSET\","
                            "\"sign_name\":\"x\",\"templates\":{" ALI_TPL "}}", &ch), CB_ECONFIG);
    ck_assert_str_eq(err, "channel 'ali': environment variable CANBAO_TEST_SURELY_UNSET "
                          "(access_key_secret_env) is not set");
}
END_TEST

/* The value of header 'name' among req's lines, or NULL. */
static const char *hdr(const chan_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->nhdr; i++) {
        size_t n = strlen(name);
        if (strncmp(req->hdr[i], name, n) == 0 && req->hdr[i][n] == ':')
            return req->hdr[i] + n + 2;
    }
    return NULL;
}

static void build(channel_t *ch, const ch_msg_t *m, chan_req_t *req, int *parts)
{
    chan_verdict_t v = {0};

    memset(req, 0, sizeof *req);
    ck_assert_int_eq(ch->ops->build(ch, m, fixed_clock(), req, parts, &v), CB_OK);
}

START_TEST(test_aliyun_request)
{
    channel_t *ch = NULL;
    ch_msg_t m = {.id = 42, .to = "+86 138-0013-8000", .text = "ignored",
                  .tpl = "remind_periodic", .vars = "{\"name\":\"张**\",\"fee_yuan\":\"380\"}"};
    chan_req_t req;
    chan_verdict_t v = {0};
    char hash[65], sig[65], auth[300];
    int parts = 0;

    ck_assert_msg(create(ALI(ALI_TPL), &ch) == CB_OK, "%s", err);
    build(ch, &m, &req, &parts);
    ck_assert_str_eq(req.body, "OutId=42&PhoneNumbers=13800138000&SignName=%E6%9F%90%E6%9F%90%E5%8C"
                               "%BB%E4%BF%9D&TemplateCode=SMS_1&TemplateParam=%7B%22name%22%3A%22%E5"
                               "%BC%A0%2A%2A%22%2C%22fee%22%3A%22380%22%7D");
    ck_assert_int_eq(parts, 1);
    ck_assert_str_eq(hdr(&req, "x-acs-action"), "SendSms");
    ck_assert_str_eq(hdr(&req, "x-acs-version"), "2017-05-25");
    ck_assert_str_eq(hdr(&req, "x-acs-date"), "2023-11-14T22:13:20Z");
    sign_sha256_hex(req.body, req.body_len, hash);
    ck_assert_str_eq(hdr(&req, "x-acs-content-sha256"), hash);
    /* As the provider checks it: recompute from what travels. */
    sign_hdr_t h[] = {{"content-type", hdr(&req, "Content-Type")},
                      {"host", "127.0.0.1:9"},
                      {"x-acs-action", "SendSms"},
                      {"x-acs-content-sha256", hash},
                      {"x-acs-date", hdr(&req, "x-acs-date")},
                      {"x-acs-signature-nonce", hdr(&req, "x-acs-signature-nonce")},
                      {"x-acs-version", "2017-05-25"}};
    sign_acs3("alisecret", "POST", "/", "", h, 7, req.body, req.body_len, sig, NULL, 0);
    snprintf(auth, sizeof auth, "ACS3-HMAC-SHA256 Credential=LTAIid,SignedHeaders=content-type;"
             "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
             "x-acs-version,Signature=%s", sig);
    ck_assert_str_eq(hdr(&req, "Authorization"), auth);
    ck_assert_uint_eq(strlen(hdr(&req, "x-acs-signature-nonce")), 32);
    chan__req_cleanup(&req);
    m.vars = "{\"name\":\"张**\"}";
    ck_assert_int_eq(ch->ops->build(ch, &m, fixed_clock(), &req, &parts, &v), CB_EREJECTED);
    ck_assert_str_eq(v.error, "template remind_periodic: the message has no variable fee_yuan "
                              "(for fee)");
    m.tpl = "waiver_ack";
    ck_assert_int_eq(ch->ops->build(ch, &m, fixed_clock(), &req, &parts, &v), CB_EREJECTED);
    ck_assert_str_eq(v.error, "template waiver_ack has no provider template on channel ali");
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

START_TEST(test_tencent_request)
{
    channel_t *ch = NULL;
    ch_msg_t m = {.id = 7, .to = "13800138000", .text = "x", .tpl = "remind_periodic",
                  .vars = "{\"fee_yuan\":\"380\",\"name\":\"张**\"}"};
    chan_req_t req;
    char sig[65], scope[96], auth[300];
    int parts = 0;

    ck_assert_msg(create(TC(TC_TPL), &ch) == CB_OK, "%s", err);
    build(ch, &m, &req, &parts);
    ck_assert_str_eq(req.body, "{\"PhoneNumberSet\":[\"+8613800138000\"],\"SmsSdkAppId\":"
                               "\"1400006666\",\"SignName\":\"某某医保\",\"TemplateId\":\"1110\","
                               "\"TemplateParamSet\":[\"张**\",\"380\"],\"SessionContext\":\"7\"}");
    ck_assert_str_eq(hdr(&req, "X-TC-Timestamp"), "1700000000");
    ck_assert_str_eq(hdr(&req, "X-TC-Action"), "SendSms");
    sign_tc3("tcsecret", "sms", "127.0.0.1:9", "application/json; charset=utf-8", 1700000000,
             req.body, req.body_len, sig, scope, sizeof scope);
    snprintf(auth, sizeof auth, "TC3-HMAC-SHA256 Credential=AKIDx/2023-11-14/sms/tc3_request, "
             "SignedHeaders=content-type;host, Signature=%s", sig);
    ck_assert_str_eq(hdr(&req, "Authorization"), auth);
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

static void classify(const char *cfg, long status, const char *body, ch_outcome_t want,
                     const char *why, const char *gw, int parts)
{
    channel_t *ch = NULL;
    httpc_resp_t r = {.status = status, .body = body, .body_len = strlen(body)};
    chan_verdict_t v = {0};

    ck_assert_msg(create(cfg, &ch) == CB_OK, "%s", err);
    ch->ops->classify(ch, &r, &v);
    ck_assert_msg(v.outcome == want, "%s: outcome %d", body, (int)v.outcome);
    ck_assert_str_eq(v.error, why);
    ck_assert_str_eq(v.gateway_id, gw);
    ck_assert_int_eq(v.parts, parts);
    channel_destroy(ch);
}

START_TEST(test_classify)
{
    classify(ALI(ALI_TPL), 200, "{\"Code\":\"OK\",\"Message\":\"OK\",\"BizId\":\"9006^0\"}",
             CH_ACCEPTED, "", "9006^0", 0);
    classify(ALI(ALI_TPL), 200, "{\"Code\":\"isv.BUSINESS_LIMIT_CONTROL\",\"Message\":\"触发流控\"}",
             CH_TEMPFAIL, "isv.BUSINESS_LIMIT_CONTROL: 触发流控", "", 0);
    classify(ALI(ALI_TPL), 200, "{\"Code\":\"isv.MOBILE_NUMBER_ILLEGAL\",\"Message\":\"非法手机号\"}",
             CH_PERMFAIL, "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号", "", 0);
    classify(ALI(ALI_TPL), 400, "{\"Code\":\"SignatureNonceUsed\",\"Message\":\"used\"}",
             CH_TEMPFAIL, "SignatureNonceUsed: used", "", 0);
    classify(ALI(ALI_TPL), 503, "busy", CH_TEMPFAIL, "HTTP 503: busy", "", 0);
    classify(TC(TC_TPL), 200, "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"2019:1\","
             "\"PhoneNumber\":\"+8613800138000\",\"Fee\":2,\"Code\":\"Ok\",\"Message\":\"send "
             "success\"}],\"RequestId\":\"r\"}}", CH_ACCEPTED, "", "2019:1", 2);
    classify(TC(TC_TPL), 200, "{\"Response\":{\"SendStatusSet\":[{\"Code\":\"InvalidParameterValue."
             "IncorrectPhoneNumber\",\"Message\":\"bad\"}]}}", CH_PERMFAIL,
             "InvalidParameterValue.IncorrectPhoneNumber: bad", "", 0);
    classify(TC(TC_TPL), 200, "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureExpire\","
             "\"Message\":\"expired\"},\"RequestId\":\"r\"}}", CH_TEMPFAIL,
             "AuthFailure.SignatureExpire: expired", "", 0);
    classify(TC(TC_TPL), 200, "{\"Response\":{\"SendStatusSet\":[{\"Code\":\"LimitExceeded."
             "PhoneNumberThirtySecondLimit\",\"Message\":\"30s\"}]}}", CH_TEMPFAIL,
             "LimitExceeded.PhoneNumberThirtySecondLimit: 30s", "", 0);
}
END_TEST

/* Two messages of one template and the keys batch_key gives them. */
static void batch_keys(channel_t *ch, const ch_msg_t *a, const ch_msg_t *b, int equal)
{
    char *ka = NULL, *kb = NULL;
    chan_verdict_t v = {0};
    int parts = 0;

    ck_assert_int_eq(ch->ops->batch_key(ch, a, &ka, &parts, &v), CB_OK);
    ck_assert_int_eq(parts, 1);
    ck_assert_int_eq(ch->ops->batch_key(ch, b, &kb, &parts, &v), CB_OK);
    ck_assert_int_eq(strcmp(ka, kb) == 0, equal);
    free(ka);
    free(kb);
}

START_TEST(test_batch_build)
{
    channel_t *ch = NULL;
    ch_msg_t m[3] = {
        {.id = 1, .to = "13800138000", .text = "x", .tpl = "remind_periodic",
         .vars = "{\"name\":\"张**\",\"fee_yuan\":\"380\"}"},
        {.id = 2, .to = "+86 139-0013-9000", .text = "x", .tpl = "remind_periodic",
         .vars = "{\"name\":\"李*\",\"fee_yuan\":\"380\"}"},
        {.id = 3, .to = "13700137000", .text = "x", .tpl = "remind_periodic",
         .vars = "{\"name\":\"张**\",\"fee_yuan\":\"380\"}"}};
    const ch_msg_t *mp[3] = {&m[0], &m[1], &m[2]};
    chan_req_t req = {0};
    chan_verdict_t v = {0};
    char *key = NULL, hash[65];
    int parts = 0;

    ck_assert_msg(create(ALI(ALI_TPL), &ch) == CB_OK, "%s", err);
    ck_assert_int_eq(ch->ops->batch_max, 100);
    batch_keys(ch, &m[0], &m[1], 1); /* Aliyun: the template, whatever the values */
    ck_assert_int_eq(ch->ops->build_batch(ch, mp, 2, fixed_clock(), &req), CB_OK);
    ck_assert_str_eq(req.body,
                     "PhoneNumberJson=%5B%2213800138000%22%2C%2213900139000%22%5D&SignNameJson="
                     "%5B%22%E6%9F%90%E6%9F%90%E5%8C%BB%E4%BF%9D%22%2C%22%E6%9F%90%E6%9F%90%E5%8C"
                     "%BB%E4%BF%9D%22%5D&TemplateCode=SMS_1&TemplateParamJson=%5B%7B%22name%22%3A"
                     "%22%E5%BC%A0%2A%2A%22%2C%22fee%22%3A%22380%22%7D%2C%7B%22name%22%3A%22%E6"
                     "%9D%8E%2A%22%2C%22fee%22%3A%22380%22%7D%5D");
    ck_assert_str_eq(hdr(&req, "x-acs-action"), "SendBatchSms");
    sign_sha256_hex(req.body, req.body_len, hash);
    ck_assert_str_eq(hdr(&req, "x-acs-content-sha256"), hash);
    chan__req_cleanup(&req);
    m[1].to = "12345";
    ck_assert_int_eq(ch->ops->batch_key(ch, &m[1], &key, &parts, &v), CB_EREJECTED);
    ck_assert_str_eq(v.error, "invalid phone number");
    channel_destroy(ch);

    m[1].to = "13900139000";
    ck_assert_msg(create(TC(TC_TPL), &ch) == CB_OK, "%s", err);
    ck_assert_int_eq(ch->ops->batch_max, 200);
    batch_keys(ch, &m[0], &m[1], 0); /* Tencent: one TemplateParamSet for all */
    batch_keys(ch, &m[0], &m[2], 1);
    memset(&req, 0, sizeof req);
    mp[1] = &m[2];
    ck_assert_int_eq(ch->ops->build_batch(ch, mp, 2, fixed_clock(), &req), CB_OK);
    ck_assert_str_eq(req.body, "{\"PhoneNumberSet\":[\"+8613800138000\",\"+8613700137000\"],"
                               "\"SmsSdkAppId\":\"1400006666\",\"SignName\":\"某某医保\","
                               "\"TemplateId\":\"1110\",\"TemplateParamSet\":[\"张**\",\"380\"],"
                               "\"SessionContext\":\"1\"}");
    chan__req_cleanup(&req);
    channel_destroy(ch);
}
END_TEST

static void batch_classify(const char *cfg, const char *body, const ch_msg_t *const *m,
                           size_t n, chan_verdict_t *v)
{
    channel_t *ch = NULL;
    httpc_resp_t r = {.status = 200, .body = body, .body_len = strlen(body)};

    ck_assert_msg(create(cfg, &ch) == CB_OK, "%s", err);
    memset(v, 0, n * sizeof *v);
    ch->ops->classify_batch(ch, &r, m, n, v);
    channel_destroy(ch);
}

START_TEST(test_batch_classify)
{
    ch_msg_t m[4] = {{.id = 1, .to = "13800138000"}, {.id = 2, .to = "13900139000"},
                     {.id = 3, .to = "13800138000"}, {.id = 4, .to = "13700137000"}};
    const ch_msg_t *mp[4] = {&m[0], &m[1], &m[2], &m[3]};
    chan_verdict_t v[4];

    /* Tencent: each number its own entry, in any order; a number twice takes two. */
    batch_classify(TC(TC_TPL), "{\"Response\":{\"SendStatusSet\":["
                   "{\"SerialNo\":\"s2\",\"PhoneNumber\":\"+8613900139000\",\"Fee\":1,\"Code\":"
                   "\"InvalidParameterValue.IncorrectPhoneNumber\",\"Message\":\"bad\"},"
                   "{\"SerialNo\":\"s1\",\"PhoneNumber\":\"+8613800138000\",\"Fee\":2,\"Code\":\"Ok\"},"
                   "{\"SerialNo\":\"s3\",\"PhoneNumber\":\"+8613800138000\",\"Fee\":1,\"Code\":\"Ok\"}"
                   "]}}", mp, 4, v);
    ck_assert(v[0].outcome == CH_ACCEPTED && v[0].parts == 2);
    ck_assert_str_eq(v[0].gateway_id, "s1");
    ck_assert(v[1].outcome == CH_PERMFAIL);
    ck_assert_str_eq(v[1].error, "InvalidParameterValue.IncorrectPhoneNumber: bad");
    ck_assert(v[2].outcome == CH_ACCEPTED);
    ck_assert_str_eq(v[2].gateway_id, "s3");
    ck_assert(v[3].outcome == CH_TEMPFAIL);
    ck_assert_str_eq(v[3].error, "SendStatusSet has no entry for the number");
    /* A Response.Error is every number's. */
    batch_classify(TC(TC_TPL), "{\"Response\":{\"Error\":{\"Code\":\"LimitExceeded.AppDailyLimit\","
                   "\"Message\":\"day\"}}}", mp, 2, v);
    ck_assert(v[0].outcome == CH_TEMPFAIL && v[1].outcome == CH_TEMPFAIL);
    ck_assert_str_eq(v[1].error, "LimitExceeded.AppDailyLimit: day");
    ck_assert_int_eq(v[1].retry_after_s, 60);
    /* Aliyun: one Code for the call; each number's id is BizId:number. */
    batch_classify(ALI(ALI_TPL), "{\"Code\":\"OK\",\"BizId\":\"9006^0\"}", mp, 2, v);
    ck_assert(v[0].outcome == CH_ACCEPTED && v[1].outcome == CH_ACCEPTED);
    ck_assert_str_eq(v[0].gateway_id, "9006^0:13800138000");
    ck_assert_str_eq(v[1].gateway_id, "9006^0:13900139000");
    batch_classify(ALI(ALI_TPL), "{\"Code\":\"isv.AMOUNT_NOT_ENOUGH\",\"Message\":\"余额不足\"}",
                   mp, 2, v);
    ck_assert(v[0].outcome == CH_PERMFAIL && v[1].outcome == CH_PERMFAIL);
    ck_assert_str_eq(v[1].error, "isv.AMOUNT_NOT_ENOUGH: 余额不足");
    ck_assert_str_eq(v[1].gateway_id, "");
}
END_TEST

typedef struct got {
    int n;
    int64_t id[8];
    ch_outcome_t outcome[8];
} got_t;

static void got_one(void *ud, const ch_result_t *r)
{
    got_t *g = ud;
    if (g->n < 8) {
        g->id[g->n] = r->id;
        g->outcome[g->n] = r->outcome;
    }
    g->n++;
}

/* Through channel_send: a batch waits for channel_flush, a rejected message does not,
 * and every message of the batch gets its own result. */
START_TEST(test_batch_send)
{
    channel_t *ch = NULL;
    ch_msg_t a = {.id = 1, .to = "13800138000", .text = "x", .tpl = "remind_periodic",
                  .vars = "{\"name\":\"张**\",\"fee_yuan\":\"380\"}"};
    ch_msg_t b = a, bad = a;
    got_t g = {0};

    b.id = 2;
    b.to = "13900139000";
    bad.id = 3;
    bad.tpl = "waiver_ack";
    ck_assert_msg(create(ALI(ALI_TPL), &ch) == CB_OK, "%s", err);
    ck_assert_int_eq(channel_send(ch, &a, got_one, &g), CB_OK);
    ck_assert_int_eq(channel_send(ch, &bad, got_one, &g), CB_OK);
    ck_assert_int_eq(channel_send(ch, &b, got_one, &g), CB_OK);
    ck_assert_int_eq(g.n, 1); /* the unmapped one, at once */
    ck_assert(g.id[0] == 3 && g.outcome[0] == CH_PERMFAIL);
    ck_assert_uint_eq(channel_inflight(ch), 2);
    ck_assert_uint_eq(httpc_inflight(http), 0); /* held back in the open batch */
    channel_flush(ch);
    ck_assert_uint_eq(httpc_inflight(http), 1); /* one request for both */
    for (int i = 0; i < 100 && g.n < 3; i++)
        ck_assert_int_ge(httpc_run(http, 100), 0);
    ck_assert_int_eq(g.n, 3); /* port 9 refuses: each one retried on its own */
    ck_assert(g.id[1] == 1 && g.outcome[1] == CH_TEMPFAIL);
    ck_assert(g.id[2] == 2 && g.outcome[2] == CH_TEMPFAIL);
    ck_assert_uint_eq(channel_inflight(ch), 0);
    channel_destroy(ch);
}
END_TEST

typedef struct seen {
    ch_event_t ev[4];
    int n;
} seen_t;

static void take(void *ud, const ch_event_t *ev)
{
    seen_t *s = ud;
    if (s->n < 4)
        s->ev[s->n] = *ev;
    s->n++;
}

static int inbound(const char *type, const char *what, const char *body, seen_t *s, char *ack,
                   char *why)
{
    ch_inbound_t in = {.what = what, .body = body, .body_len = strlen(body)};

    memset(s, 0, sizeof *s);
    return channel_inbound(type, &in, take, s, ack, 96, why, 256);
}

START_TEST(test_pushes)
{
    seen_t s;
    char ack[96], why[256];

    ck_assert_int_eq(inbound("aliyun_sms", "report",
                             "[{\"phone_number\":\"13800138000\",\"success\":true,\"err_code\":"
                             "\"DELIVERED\",\"biz_id\":\"9^0\",\"out_id\":\"12\"},{\"success\":"
                             "false,\"err_code\":\"MK:0012\",\"err_msg\":\"空号\",\"out_id\":\"13\"}]",
                             &s, ack, why), CB_OK);
    ck_assert_str_eq(ack, "{\"code\":0,\"msg\":\"接收成功\"}");
    ck_assert_int_eq(s.n, 2);
    ck_assert(s.ev[0].kind == CH_EV_DELIVERY && s.ev[0].outbox_id == 12 && s.ev[0].delivered);
    ck_assert(s.ev[1].outbox_id == 13 && s.ev[1].final && !s.ev[1].delivered);
    ck_assert_str_eq(s.ev[1].error, "MK:0012: 空号");
    /* A SendBatchSms report names no row: BizId and number, as the row was accepted. */
    ck_assert_int_eq(inbound("aliyun_sms", "report",
                             "[{\"phone_number\":\"13800138000\",\"success\":true,\"biz_id\":"
                             "\"9^0\",\"out_id\":\"\"}]", &s, ack, why), CB_OK);
    ck_assert(s.ev[0].outbox_id == 0 && s.ev[0].delivered);
    ck_assert_str_eq(s.ev[0].msg_id, "9^0:13800138000");
    ck_assert_int_eq(inbound("aliyun_sms", "report", "[{\"success\":true,\"biz_id\":\"9^0\"}]",
                             &s, ack, why), CB_EINVAL);
    ck_assert_str_eq(why, "event 0: phone_number: not a mobile number");
    /* One bad event refuses the push: nothing reaches the writer. */
    ck_assert_int_eq(inbound("aliyun_sms", "report",
                             "[{\"success\":true,\"out_id\":\"12\"},{\"success\":1,\"out_id\":\"3\"}]",
                             &s, ack, why), CB_EINVAL);
    ck_assert_str_eq(why, "event 1: success: must be true or false");
    ck_assert_int_eq(s.n, 0);
    ck_assert_int_eq(inbound("aliyun_sms", "mo", "[{\"phone_number\":\"13800138000\",\"content\":"
                             "\"多少钱\",\"sequence_id\":1234567890}]", &s, ack, why), CB_OK);
    ck_assert(s.ev[0].kind == CH_EV_REPLY);
    ck_assert_str_eq(s.ev[0].msg_id, "aliyun:1234567890");
    ck_assert_str_eq(s.ev[0].text, "多少钱");
    ck_assert_int_eq(inbound("tencent_sms", "status", "[{\"mobile\":\"13800138000\",\"report_status\":"
                             "\"FAIL\",\"errmsg\":\"MI:0013\",\"description\":\"停机\",\"sid\":"
                             "\"2019:55\"}]", &s, ack, why), CB_OK);
    ck_assert_str_eq(ack, "{\"result\":0,\"errmsg\":\"OK\"}");
    ck_assert(s.ev[0].outbox_id == 0 && !s.ev[0].delivered);
    ck_assert_str_eq(s.ev[0].msg_id, "2019:55");
    ck_assert_str_eq(s.ev[0].error, "MI:0013: 停机");
    ck_assert_int_eq(inbound("tencent_sms", "reply", "{\"mobile\":\"13800138000\",\"nationcode\":"
                             "\"86\",\"text\":\"已缴\",\"time\":1457336869,\"sign\":\"某某医保\"}",
                             &s, ack, why), CB_OK);
    ck_assert_str_eq(s.ev[0].msg_id, "tencent:13800138000:1457336869");
    ck_assert_str_eq(s.ev[0].from, "13800138000");
    ck_assert_int_eq(inbound("tencent_sms", "reply", "{\"mobile\":\"x\",\"text\":\"a\",\"time\":1}",
                             &s, ack, why), CB_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cloudsms");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_acs3_documented_example);
    tcase_add_test(tc, test_tc3_documented_example);
    tcase_add_test(tc, test_template_map_errors);
    tcase_add_test(tc, test_aliyun_request);
    tcase_add_test(tc, test_tencent_request);
    tcase_add_test(tc, test_classify);
    tcase_add_test(tc, test_pushes);
    tcase_add_test(tc, test_batch_build);
    tcase_add_test(tc, test_batch_classify);
    tcase_add_test(tc, test_batch_send);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
