/* SPDX-License-Identifier: MIT */
/*
 * test_dispatch.c - the dispatcher end to end on real channels: the file channel
 * and signed webhooks to a libmicrohttpd server on 127.0.0.1 whose paths answer
 * 200 (/ok), 503 (/down) or 403 (/refuse). Proves sending, opt-outs, quiet hours,
 * caps, failover, backoff, permanent failures, the breaker and lease recovery.
 */
#include <arpa/inet.h>
#include <check.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "jobs/dispatch.h"
#include "store/store.h"
#include "store/store_outbox.h"

/* 2023-11-20 10:00 +08:00, a Monday */
#define NOON 1700445600

typedef struct server {
    struct MHD_Daemon *d;
    int port;
    atomic_int ok, down, refuse;
} server_t;

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **state)
{
    server_t *s = cls;
    unsigned status = 200;
    struct MHD_Response *r;
    enum MHD_Result ret;

    (void)method, (void)version, (void)upload;
    if (*state == NULL) { /* first call: headers only */
        *state = s;
        return MHD_YES;
    }
    if (*upload_len > 0) {
        *upload_len = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/down") == 0) {
        atomic_fetch_add(&s->down, 1);
        status = 503;
    } else if (strcmp(url, "/refuse") == 0) {
        atomic_fetch_add(&s->refuse, 1);
        status = 403;
    } else {
        atomic_fetch_add(&s->ok, 1);
    }
    r = MHD_create_response_from_buffer(0, (void *)(uintptr_t) "", MHD_RESPMEM_PERSISTENT);
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static server_t srv;
static store_t *st;
static httpc_t *http;
static channel_t *ch_file, *ch_ok, *ch_down, *ch_refuse;
static char file_path[64];
static int64_t clock_s;

static int64_t test_clock(void *ud)
{
    (void)ud;
    return clock_s;
}

static channel_t *make(const char *json)
{
    cJSON *o = cJSON_Parse(json);
    channel_t *c = NULL;
    char err[256];
    ck_assert_ptr_nonnull(o);
    ck_assert_msg(channel_create(http, o, &c, err, sizeof err) == CB_OK, "%s", err);
    cJSON_Delete(o);
    return c;
}

static channel_t *webhook(const char *name, const char *path)
{
    char json[256];
    snprintf(json, sizeof json,
             "{\"name\":\"%s\",\"type\":\"webhook\",\"url\":\"http://127.0.0.1:%d%s\","
             "\"secret\":\"s3cret\",\"rate\":100000,\"burst\":1000}", name, srv.port, path);
    return make(json);
}

static void setup(void)
{
    struct sockaddr_in sin = {0};
    const union MHD_DaemonInfo *info;
    char err[256], json[160];

    memset(&srv, 0, sizeof srv);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    srv.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, &srv,
                             MHD_OPTION_SOCK_ADDR, &sin, MHD_OPTION_END);
    ck_assert_ptr_nonnull(srv.d);
    info = MHD_get_daemon_info(srv.d, MHD_DAEMON_INFO_BIND_PORT);
    srv.port = info->port;
    ck_assert_int_eq(store_open(":memory:", &st, err, sizeof err), CB_OK);
    ck_assert_int_eq(httpc_create(16, 16, &http), CB_OK);
    snprintf(file_path, sizeof file_path, "/tmp/cb_test_dispatch_%d.jsonl", (int)getpid());
    unlink(file_path);
    snprintf(json, sizeof json, "{\"name\":\"file\",\"type\":\"file\",\"path\":\"%s\"}", file_path);
    ch_file = make(json);
    ch_ok = webhook("up", "/ok");
    ch_down = webhook("down", "/down");
    ch_refuse = webhook("refuse", "/refuse");
    clock_s = NOON;
}

static void teardown(void)
{
    httpc_destroy(http);
    channel_destroy(ch_file);
    channel_destroy(ch_ok);
    channel_destroy(ch_down);
    channel_destroy(ch_refuse);
    store_close(st);
    MHD_stop_daemon(srv.d);
    unlink(file_path);
}

static void cfg_init(dispatch_cfg_t *c)
{
    dispatch_cfg_defaults(c);
    c->now = test_clock;
    c->concurrency = 8;
}

static void put(const char *key, const char *route, outbox_class_t k, const char *to)
{
    outbox_new_t m = {.key = key, .route = route, .klass = k, .recipient = to,
                      .template_name = "remind_periodic", .text = "请于12月31日前缴费"};
    ck_assert_int_eq(store_outbox_enqueue(st, &m, clock_s), 1);
}

static int run(channel_t **chans, size_t n, int sms, dispatch_stats_t *stats)
{
    static char name[] = "sms";
    dispatch_route_t r = {name, chans, n, "sms", sms};
    dispatch_cfg_t c;
    dispatch_t *d;
    int rc;

    cfg_init(&c);
    d = dispatch_create(st, http, &r, 1, &c);
    memset(stats, 0, sizeof *stats);
    rc = dispatch_run(d, 1, NULL, stats);
    dispatch_destroy(d);
    return rc;
}

typedef struct row {
    char status[16], channel[16], tried[32], error[96];
    int attempts;
    int64_t next_at;
} row_t;

static int grab(void *ud, const outbox_row_t *r)
{
    row_t *o = ud;
    snprintf(o->status, sizeof o->status, "%s", r->status);
    snprintf(o->channel, sizeof o->channel, "%s", r->channel);
    snprintf(o->tried, sizeof o->tried, "%s", r->channels_tried);
    snprintf(o->error, sizeof o->error, "%s", r->error);
    o->attempts = r->attempts;
    o->next_at = r->next_at;
    return 1; /* the newest row only */
}

static row_t newest(void)
{
    row_t r = {0};
    ck_assert_int_eq(store_outbox_list(st, NULL, 1, grab, &r), CB_OK);
    return r;
}

static int file_lines(const char *needle)
{
    FILE *fp = fopen(file_path, "r");
    char line[2048];
    int n = 0;
    if (fp == NULL)
        return 0;
    while (fgets(line, sizeof line, fp) != NULL)
        n += needle == NULL || strstr(line, needle) != NULL;
    fclose(fp);
    return n;
}

START_TEST(test_sends_each_once)
{
    dispatch_stats_t s;
    char key[32], to[16];

    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "k%03d", i);
        snprintf(to, sizeof to, "138%08d", i);
        put(key, "sms", OB_REMINDER, to);
    }
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.sent, 300);
    ck_assert_int_eq(file_lines(NULL), 300);
    ck_assert_int_eq(file_lines("\"key\":\"k123\""), 1);
    /* Nothing is due any more: a second run sends nothing. */
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.sent, 0);
    ck_assert_int_eq(file_lines(NULL), 300);
}
END_TEST

START_TEST(test_optout_quiet_caps)
{
    dispatch_stats_t s;
    row_t r;

    ck_assert_int_eq(store_optout_add(st, "sms", "13800000001", "mo", clock_s), 1);
    put("opted", "sms", OB_REMINDER, "13800000001");
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    r = newest();
    ck_assert_str_eq(r.status, "failed");
    ck_assert_str_eq(r.error, "recipient opted out of sms");
    ck_assert_int_eq(file_lines(NULL), 0);
    /* 22:00 is quiet: deferred to 08:00 the next day, the attempt given back. */
    clock_s = NOON + 12 * 3600;
    put("late", "sms", OB_REMINDER, "13800000002");
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.deferred, 1);
    r = newest();
    ck_assert_str_eq(r.status, "queued");
    ck_assert_str_eq(r.error, "quiet hours");
    ck_assert_int_eq(r.attempts, 0);
    ck_assert_int_eq(r.next_at, NOON + 22 * 3600);
    /* Notices (to workers) ignore quiet hours. */
    put("notice", "sms", OB_NOTICE, "13800000003");
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.sent, 1);
    /* Next morning: the deferred one goes; a second reminder that day hits the cap. */
    clock_s = NOON + 22 * 3600;
    put("second", "sms", OB_REMINDER, "13800000002");
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.sent, 1);
    ck_assert_uint_eq(s.deferred, 1);
    r = newest();
    ck_assert_str_eq(r.error, "daily cap reached");
    ck_assert_int_eq(r.next_at, NOON + 38 * 3600); /* the next local midnight */
    ck_assert_int_eq(file_lines("\"key\":\"late\""), 1);
    ck_assert_int_eq(file_lines("\"key\":\"second\""), 0);
}
END_TEST

START_TEST(test_failover_backoff_refuse)
{
    channel_t *pair[2] = {ch_down, ch_ok};
    dispatch_stats_t s;
    row_t r;

    /* The first channel answers 503: the message fails over at once and is sent on
     * the second, with the failed one recorded. */
    put("fo", "sms", OB_REMINDER, "13800000010");
    ck_assert_int_eq(run(pair, 2, 0, &s), CB_OK);
    ck_assert_uint_eq(s.failovers, 1);
    ck_assert_uint_eq(s.sent, 1);
    r = newest();
    ck_assert_str_eq(r.status, "sent");
    ck_assert_str_eq(r.channel, "up");
    ck_assert_str_eq(r.tried, "down");
    ck_assert_int_eq(r.attempts, 2);
    ck_assert_int_eq(atomic_load(&srv.down), 1);
    /* With only the failing channel: retried later with backoff (15-30 s first). */
    put("bo", "sms", OB_REMINDER, "13800000011");
    ck_assert_int_eq(run(&ch_down, 1, 0, &s), CB_OK);
    r = newest();
    ck_assert_str_eq(r.status, "queued");
    ck_assert_str_eq(r.error, "HTTP 503");
    ck_assert_int_ge(r.next_at, NOON + 15);
    ck_assert_int_le(r.next_at, NOON + 30);
    /* A refusal is permanent: failed, never retried. */
    put("no", "sms", OB_REMINDER, "13800000012");
    ck_assert_int_eq(run(&ch_refuse, 1, 0, &s), CB_OK);
    r = newest();
    ck_assert_str_eq(r.status, "failed");
    ck_assert_str_eq(r.error, "HTTP 403");
    ck_assert_int_eq(atomic_load(&srv.refuse), 1);
}
END_TEST

START_TEST(test_breaker_and_give_up)
{
    static char name[] = "sms";
    dispatch_route_t r = {name, &ch_down, 1, "sms", 0};
    dispatch_cfg_t c;
    dispatch_stats_t s = {0};
    dispatch_t *d;
    char key[16];

    /* One dispatcher for 20 messages to a dead gateway: the breaker opens after 5
     * failures and the rest are deferred without touching the gateway. */
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof key, "b%02d", i);
        put(key, "sms", OB_NOTICE, "13800000020");
    }
    cfg_init(&c);
    c.concurrency = 1;
    c.max_attempts = 1; /* and the first failures give up at once */
    d = dispatch_create(st, http, &r, 1, &c);
    ck_assert_int_eq(dispatch_run(d, 1, NULL, &s), CB_OK);
    dispatch_destroy(d);
    ck_assert_int_eq(atomic_load(&srv.down), 5);
    ck_assert_uint_eq(s.failed, 5);
    ck_assert_uint_eq(s.deferred, 15);
    {
        row_t o = {0};
        ck_assert_int_eq(store_outbox_list(st, "failed", 1, grab, &o), CB_OK);
        ck_assert_str_eq(o.error, "gave up after 1 attempts: HTTP 503");
        ck_assert_int_eq(store_outbox_list(st, "queued", 1, grab, &o), CB_OK);
        ck_assert_str_eq(o.error, "every channel of the route is down");
    }
}
END_TEST

START_TEST(test_lease_recovery)
{
    outbox_msg_t *m;
    size_t n;
    dispatch_stats_t s;

    put("l1", "sms", OB_NOTICE, "13800000030");
    put("l2", "sms", OB_NOTICE, "13800000031");
    /* A dispatcher claimed both and died before sending. */
    ck_assert_int_eq(store_outbox_claim(st, clock_s, 300, 10, &m, &n), CB_OK);
    ck_assert_uint_eq(n, 2);
    store_outbox_msgs_free(m, n);
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.sent, 0); /* the lease still runs */
    clock_s += 301;
    ck_assert_int_eq(run(&ch_file, 1, 1, &s), CB_OK);
    ck_assert_uint_eq(s.sent, 2);
    ck_assert_int_eq(file_lines("\"key\":\"l1\""), 1);
    ck_assert_int_eq(file_lines("\"key\":\"l2\""), 1);
}
END_TEST

static Suite *dispatch_suite(void)
{
    Suite *s = suite_create("dispatch");
    TCase *tc = tcase_create("dispatch");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_sends_each_once);
    tcase_add_test(tc, test_optout_quiet_caps);
    tcase_add_test(tc, test_failover_backoff_refuse);
    tcase_add_test(tc, test_breaker_and_give_up);
    tcase_add_test(tc, test_lease_recovery);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dispatch_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
