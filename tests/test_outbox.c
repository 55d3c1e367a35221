/* SPDX-License-Identifier: MIT */
/* test_outbox.c - the outbox store (enqueue, claim with leases, results, delivery
 * reports, caps, opt-outs) and the pacing rules (bucket, breaker, backoff, quiet
 * hours, local days and weeks). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "jobs/pace.h"
#include "store/store.h"
#include "store/store_outbox.h"

#define T0 1700000000 /* 2023-11-15 06:13:20 +08:00, a Wednesday */

static store_t *open_db(void)
{
    store_t *st = NULL;
    char err[256];
    ck_assert_int_eq(store_open(":memory:", &st, err, sizeof err), CB_OK);
    return st;
}

static int enqueue(store_t *st, const char *key, const char *to, outbox_class_t k, int64_t at)
{
    outbox_new_t m = {.key = key, .route = "sms", .klass = k, .recipient = to,
                      .template_name = "remind_periodic", .text = "请缴费", .not_before = at};
    return store_outbox_enqueue(st, &m, T0);
}

typedef struct seen {
    int n;
    char status[8][16];
    char error[8][64];
    int attempts[8];
} seen_t;

static int collect(void *ud, const outbox_row_t *r)
{
    seen_t *s = ud;
    if (s->n < 8) {
        snprintf(s->status[s->n], sizeof s->status[0], "%s", r->status);
        snprintf(s->error[s->n], sizeof s->error[0], "%s", r->error);
        s->attempts[s->n] = r->attempts;
    }
    s->n++;
    return 0;
}

START_TEST(test_enqueue_claim)
{
    store_t *st = open_db();
    outbox_msg_t *m;
    size_t n;

    ck_assert_int_eq(enqueue(st, "k1", "13800138000", OB_REMINDER, 0), 1);
    ck_assert_int_eq(enqueue(st, "k1", "13900139000", OB_REMINDER, 0), 0); /* same key */
    ck_assert_int_eq(enqueue(st, "k2", "13800138001", OB_REPLY, T0 + 100), 1);
    /* Only k1 is due now. */
    ck_assert_int_eq(store_outbox_claim(st, T0, 60, 10, &m, &n), CB_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(m[0].key, "k1");
    ck_assert_str_eq(m[0].recipient, "13800138000");
    ck_assert_int_eq(m[0].attempts, 1);
    ck_assert_int_eq(m[0].klass, OB_REMINDER);
    store_outbox_msgs_free(m, n);
    /* Claimed: not again while the lease runs... */
    ck_assert_int_eq(store_outbox_claim(st, T0 + 59, 60, 10, &m, &n), CB_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(m);
    /* ...but once it expired (the dispatcher died), with k2 now due too. */
    ck_assert_int_eq(store_outbox_claim(st, T0 + 120, 60, 10, &m, &n), CB_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(m[0].key, "k1");
    ck_assert_int_eq(m[0].attempts, 2);
    ck_assert_str_eq(m[1].key, "k2");
    ck_assert_int_eq(m[1].klass, OB_REPLY);
    store_outbox_msgs_free(m, n);
    store_close(st);
}
END_TEST

START_TEST(test_results)
{
    store_t *st = open_db();
    outbox_msg_t *m;
    size_t n;
    int64_t c;
    seen_t s = {0};

    for (int i = 0; i < 4; i++) {
        char key[8];
        snprintf(key, sizeof key, "k%d", i);
        ck_assert_int_eq(enqueue(st, key, "13800138000", OB_REMINDER, 0), 1);
    }
    ck_assert_int_eq(store_outbox_claim(st, T0, 60, 10, &m, &n), CB_OK);
    ck_assert_uint_eq(n, 4);
    outbox_result_t r[4] = {
        {.id = m[0].id, .outcome = OB_SENT, .at = T0 + 1, .channel = "kannel", .parts = 2},
        {.id = m[1].id, .outcome = OB_RETRY, .at = T0 + 1, .next_at = T0 + 30,
         .channel = "kannel", .channels_tried = "kannel", .error = "HTTP 503"},
        {.id = m[2].id, .outcome = OB_DEFER, .at = T0 + 1, .next_at = T0 + 3600,
         .error = "quiet hours"},
        {.id = m[3].id, .outcome = OB_FAILED, .at = T0 + 1, .channel = "kannel",
         .error = "HTTP 403"},
    };
    store_outbox_msgs_free(m, n);
    ck_assert_int_eq(store_outbox_record(st, r, 4), CB_OK);
    ck_assert_int_eq(store_outbox_list(st, NULL, 0, collect, &s), CB_OK);
    ck_assert_int_eq(s.n, 4); /* newest first: k3 k2 k1 k0 */
    ck_assert_str_eq(s.status[0], "failed");
    ck_assert_str_eq(s.error[0], "HTTP 403");
    ck_assert_str_eq(s.status[1], "queued");
    ck_assert_int_eq(s.attempts[1], 0); /* a deferral gives the attempt back */
    ck_assert_str_eq(s.status[2], "queued");
    ck_assert_int_eq(s.attempts[2], 1);
    ck_assert_str_eq(s.status[3], "sent");
    /* The retry is due at T0 + 30, the deferral at T0 + 3600. */
    ck_assert_int_eq(store_outbox_claim(st, T0 + 30, 60, 10, &m, &n), CB_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(m[0].key, "k1");
    ck_assert_str_eq(m[0].channels_tried, "kannel");
    store_outbox_msgs_free(m, n);
    /* Caps count reminders sent to that phone since a time. */
    ck_assert_int_eq(store_outbox_sent_since(st, "13800138000", T0, &c), CB_OK);
    ck_assert_int_eq(c, 1);
    ck_assert_int_eq(store_outbox_sent_since(st, "13800138000", T0 + 2, &c), CB_OK);
    ck_assert_int_eq(c, 0);
    store_close(st);
}
END_TEST

START_TEST(test_delivery)
{
    store_t *st = open_db();
    outbox_msg_t *m;
    size_t n;
    int64_t id;
    seen_t s = {0};

    ck_assert_int_eq(enqueue(st, "d1", "13800138000", OB_REMINDER, 0), 1);
    ck_assert_int_eq(store_outbox_claim(st, T0, 60, 10, &m, &n), CB_OK);
    id = m[0].id;
    store_outbox_msgs_free(m, n);
    /* The report can arrive before the dispatcher records the send... */
    ck_assert_int_eq(store_outbox_delivery(st, id, 1, NULL, T0 + 1), 1);
    outbox_result_t r = {.id = id, .outcome = OB_SENT, .at = T0 + 2, .channel = "kannel"};
    ck_assert_int_eq(store_outbox_record(st, &r, 1), CB_OK);
    /* ...and the late record does not undo it; a repeated report changes nothing. */
    ck_assert_int_eq(store_outbox_delivery(st, id, 0, "undeliverable", T0 + 3), 0);
    ck_assert_int_eq(store_outbox_list(st, "delivered", 0, collect, &s), CB_OK);
    ck_assert_int_eq(s.n, 1);
    ck_assert_int_eq(store_outbox_delivery(st, 999, 1, NULL, T0), 0);
    store_close(st);
}
END_TEST

/* Sent rows on a polled channel: due at poll_at, claimed with a lease, asked again or
 * never, and out of the queue once a delivery is recorded. */
START_TEST(test_poll_queue)
{
    store_t *st = open_db();
    outbox_msg_t *m;
    outbox_poll_t *p;
    size_t n;
    int64_t id[2];
    seen_t s = {0};

    ck_assert_int_eq(enqueue(st, "p1", "dt-zhao05", OB_NOTICE, 0), 1);
    ck_assert_int_eq(enqueue(st, "p2", "dt-li02", OB_NOTICE, 0), 1);
    ck_assert_int_eq(store_outbox_claim(st, T0, 60, 10, &m, &n), CB_OK);
    id[0] = m[0].id;
    id[1] = m[1].id;
    store_outbox_msgs_free(m, n);
    outbox_result_t r[2] = {
        {.id = id[0], .outcome = OB_SENT, .at = T0, .channel = "ding", .gateway_id = "42",
         .poll_at = T0 + 30},
        {.id = id[1], .outcome = OB_SENT, .at = T0, .channel = "ding", .gateway_id = "43"}};
    ck_assert_int_eq(store_outbox_record(st, r, 2), CB_OK);
    ck_assert_int_eq(store_outbox_poll_claim(st, T0 + 29, 60, 10, &p, &n), CB_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(store_outbox_poll_claim(st, T0 + 30, 60, 10, &p, &n), CB_OK);
    ck_assert_uint_eq(n, 1); /* the row without poll_at is never asked about */
    ck_assert_int_eq(p[0].id, id[0]);
    ck_assert_int_eq(p[0].polls, 1);
    ck_assert_str_eq(p[0].channel, "ding");
    ck_assert_str_eq(p[0].recipient, "dt-zhao05");
    ck_assert_str_eq(p[0].gateway_id, "42");
    store_outbox_polls_free(p, n);
    /* leased: not again until the lease ends */
    ck_assert_int_eq(store_outbox_poll_claim(st, T0 + 89, 60, 10, &p, &n), CB_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(store_outbox_poll_later(st, id[0], T0 + 100, "HTTP 503"), CB_OK);
    ck_assert_int_eq(store_outbox_poll_claim(st, T0 + 100, 60, 10, &p, &n), CB_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(p[0].polls, 2);
    store_outbox_polls_free(p, n);
    ck_assert_int_eq(store_outbox_delivery(st, id[0], 0, "DingTalk: invalid_user_id_list",
                                           T0 + 101), 1);
    ck_assert_int_eq(store_outbox_poll_claim(st, T0 + 1000, 60, 10, &p, &n), CB_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(store_outbox_list(st, "failed", 0, collect, &s), CB_OK);
    ck_assert_int_eq(s.n, 1);
    ck_assert_str_eq(s.error[0], "DingTalk: invalid_user_id_list");
    store_close(st);
}
END_TEST

START_TEST(test_optout)
{
    store_t *st = open_db();

    ck_assert_int_eq(store_optout_has(st, "sms", "13800138000"), 0);
    ck_assert_int_eq(store_optout_add(st, "sms", "13800138000", "mo", T0), 1);
    ck_assert_int_eq(store_optout_add(st, "sms", "13800138000", "mo", T0), 0);
    ck_assert_int_eq(store_optout_has(st, "sms", "13800138000"), 1);
    ck_assert_int_eq(store_optout_has(st, "robot", "13800138000"), 0);
    store_close(st);
}
END_TEST

START_TEST(test_bucket)
{
    bucket_t b;

    bucket_init(&b, 10, 5, 0);
    for (int i = 0; i < 5; i++)
        ck_assert(bucket_take(&b, 1, 0) == 0);
    ck_assert_double_eq_tol(bucket_take(&b, 1, 0), 0.1, 1e-9);
    ck_assert(bucket_take(&b, 1, 0.1) == 0);
    /* A 3-part SMS costs 3 tokens. */
    ck_assert_double_eq_tol(bucket_take(&b, 3, 0.1), 0.3, 1e-9);
    ck_assert(bucket_take(&b, 3, 0.4) == 0);
    /* Never more than the burst after a long pause. */
    ck_assert(bucket_take(&b, 5, 100) == 0);
    ck_assert(bucket_take(&b, 1, 100) > 0);
}
END_TEST

START_TEST(test_breaker)
{
    breaker_t b;

    breaker_init(&b, 3, 30);
    ck_assert(breaker_allow(&b, 0));
    breaker_failure(&b, 0);
    breaker_failure(&b, 0);
    ck_assert_int_eq(b.state, BREAKER_CLOSED);
    breaker_success(&b); /* a success resets the run of failures */
    breaker_failure(&b, 1);
    breaker_failure(&b, 1);
    breaker_failure(&b, 1);
    ck_assert_int_eq(b.state, BREAKER_OPEN);
    ck_assert(!breaker_allow(&b, 30));
    ck_assert(breaker_allow(&b, 31)); /* one probe */
    ck_assert(!breaker_allow(&b, 31));
    breaker_failure(&b, 32); /* the probe failed: open again */
    ck_assert(!breaker_allow(&b, 61));
    ck_assert(breaker_allow(&b, 62));
    breaker_success(&b);
    ck_assert(breaker_allow(&b, 62));
    ck_assert(breaker_allow(&b, 62));
}
END_TEST

START_TEST(test_backoff)
{
    ck_assert_double_eq_tol(backoff_delay(1, 30, 3600, 0, 0), 15, 1e-9);
    ck_assert_double_eq_tol(backoff_delay(1, 30, 3600, 0.999999, 0), 30, 1e-3);
    ck_assert_double_eq_tol(backoff_delay(3, 30, 3600, 0, 0), 60, 1e-9);
    ck_assert_double_eq_tol(backoff_delay(20, 30, 3600, 0, 0), 1800, 1e-9);
    ck_assert_double_eq_tol(backoff_delay(60, 30, 3600, 1, 0), 3600, 1e-9);
    ck_assert_double_eq_tol(backoff_delay(1, 30, 3600, 0, 120), 120, 1e-9); /* Retry-After */
}
END_TEST

START_TEST(test_quiet_hours)
{
    const int cn = 8 * 3600;
    int s, e;
    int64_t day = local_day_start(T0, cn); /* 2023-11-15 00:00 +08:00 */

    ck_assert_int_eq(day, 1699977600);
    ck_assert_int_eq(quiet_parse("21:00-08:00", &s, &e), 0);
    ck_assert_int_eq(s, 1260);
    ck_assert_int_eq(e, 480);
    ck_assert_int_eq(quiet_parse("25:00-08:00", &s, &e), -1);
    ck_assert_int_eq(quiet_parse("21:00-08:00x", &s, &e), -1);
    ck_assert_int_eq(quiet_parse("off", &s, &e), 0);
    ck_assert_int_eq(s, e);
    /* 06:13 is quiet until 08:00 the same day. */
    ck_assert_int_eq(quiet_until(T0, 1260, 480, cn), day + 8 * 3600);
    /* 12:00 is not quiet; 21:00 sharp is, until 08:00 the next day. */
    ck_assert_int_eq(quiet_until(day + 12 * 3600, 1260, 480, cn), 0);
    ck_assert_int_eq(quiet_until(day + 21 * 3600, 1260, 480, cn), day + 86400 + 8 * 3600);
    ck_assert_int_eq(quiet_until(day + 8 * 3600, 1260, 480, cn), 0);
    /* A window that does not wrap. */
    ck_assert_int_eq(quiet_until(day + 13 * 3600, 720, 840, cn), day + 14 * 3600);
    ck_assert_int_eq(quiet_until(day + 13 * 3600, 0, 0, cn), 0);
    /* The week starts on Monday 2023-11-13. */
    ck_assert_int_eq(local_week_start(T0, cn), day - 2 * 86400);
    ck_assert_int_eq(local_week_start(day - 2 * 86400, cn), day - 2 * 86400);
}
END_TEST

static Suite *outbox_suite(void)
{
    Suite *s = suite_create("outbox");
    TCase *tc = tcase_create("outbox");
    tcase_add_test(tc, test_enqueue_claim);
    tcase_add_test(tc, test_results);
    tcase_add_test(tc, test_delivery);
    tcase_add_test(tc, test_poll_queue);
    tcase_add_test(tc, test_optout);
    tcase_add_test(tc, test_bucket);
    tcase_add_test(tc, test_breaker);
    tcase_add_test(tc, test_backoff);
    tcase_add_test(tc, test_quiet_hours);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(outbox_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
