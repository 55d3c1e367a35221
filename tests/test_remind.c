/* SPDX-License-Identifier: MIT */
/*
 * test_remind.c - the reminder rules against a fixed calendar (the Lengshi 2024
 * window, 2023-09-01 .. 2023-12-31), the scheduler's slots, and the remind job on a
 * hand-made village: households sharing a phone, department-paid people left out,
 * newborns inside their 90-day window, catching up after a gap, department notices.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "jobs/jobs.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/remind.h"
#include "import_fixture.h"
#include "jobs/sched.h"
#include "store/store_outbox.h"

#define POLICY "../tests/data/remind-policy.json"

static cb_date_t ymd(int y, int m, int d)
{
    cb_date_t out = 0;
    ck_assert_int_eq(date_from_ymd(y, m, d, &out), CB_OK);
    return out;
}

static const policy_reminder_t *rule(const policy_t *p, const char *name)
{
    for (size_t i = 0; i < policy_nreminders(p); i++) {
        if (strcmp(policy_reminder(p, i)->name, name) == 0)
            return policy_reminder(p, i);
    }
    ck_abort_msg("no rule %s", name);
    return NULL;
}

/* The days of 2023-08-01 .. 2024-01-31 on which 'name' is due, as "MM-DD ...". */
static void due_days(const policy_t *p, const char *name, char *out, size_t n)
{
    const policy_reminder_t *r = rule(p, name);
    size_t len = 0;

    out[0] = '\0';
    for (cb_date_t d = ymd(2023, 8, 1); d <= ymd(2024, 1, 31); d++) {
        int y, m, dd;
        if (!remind_due_on(p, r, d, NULL))
            continue;
        date_to_ymd(d, &y, &m, &dd);
        len += (size_t)snprintf(out + len, n - len, "%s%02d-%02d", len ? " " : "", m, dd);
    }
}

START_TEST(calendar_of_each_rule)
{
    db_t d;
    char got[1024];

    base_setup();
    db_open(&d, POLICY);
    due_days(d.pol, "opening", got, sizeof got);
    ck_assert_str_eq(got, "09-01");
    due_days(d.pol, "weekly", got, sizeof got);
    /* every 7 days from the start, never after the window's end */
    ck_assert_str_eq(got, "09-08 09-15 09-22 09-29 10-06 10-13 10-20 10-27 11-03 11-10 11-17 "
                          "11-24 12-01 12-08 12-15 12-22 12-29");
    due_days(d.pol, "deadline", got, sizeof got);
    ck_assert_str_eq(got, "12-17 12-24 12-28 12-30");
    due_days(d.pol, "last_day", got, sizeof got);
    ck_assert_str_eq(got, "12-31");
    due_days(d.pol, "milestone", got, sizeof got);
    ck_assert_str_eq(got, "11-23 11-28");
    due_days(d.pol, "departments", got, sizeof got);
    ck_assert_str_eq(got, "09-15 09-29 10-13 10-27 11-10 11-24 12-08 12-22");
    /* person-anchored rules are never due on the calendar */
    due_days(d.pol, "newborn", got, sizeof got);
    ck_assert_str_eq(got, "");
    ck_assert_int_eq(remind_is_personal(rule(d.pol, "newborn")), 1);
    /* a gap of days: the latest occurrence only */
    ck_assert_int_eq(remind_latest_due(d.pol, rule(d.pol, "weekly"), ymd(2023, 9, 2),
                                       ymd(2023, 9, 20), NULL),
                     ymd(2023, 9, 15));
    ck_assert_int_eq(remind_latest_due(d.pol, rule(d.pol, "weekly"), ymd(2023, 9, 15),
                                       ymd(2023, 9, 20), NULL),
                     0);
    db_close(&d);
    base_teardown();
}
END_TEST

static void expect_policy_error(const char *rules, const char *want)
{
    char json[2048], err[256] = "";
    policy_t *p = NULL;

    snprintf(json, sizeof json,
             "{\"county\":\"x\",\"coverage_year\":2024,\"window\":{\"start\":\"2023-09-01\","
             "\"end\":\"2023-12-31\"},\"personal_fee_fen\":38000,\"funding_standard_fen\":"
             "102000,\"categories\":[{\"name\":\"c\",\"rule\":\"full\"}],\"reminders\":[%s]}",
             rules);
    ck_assert_int_eq(policy_parse(json, strlen(json), &p, err, sizeof err), CB_ECONFIG);
    ck_assert_msg(strstr(err, want) != NULL, "%s", err);
}

START_TEST(bad_rules_are_named)
{
    expect_policy_error("{\"name\":\"a\",\"from\":\"window_end\",\"days\":[-1,-7],"
                        "\"template\":\"t\"}",
                        "reminders[0].days: must be in ascending order");
    expect_policy_error("{\"name\":\"a\",\"from\":\"birth\",\"every_days\":7,\"template\":\"t\"}",
                        "reminders[0].every_days: only counts from");
    expect_policy_error("{\"name\":\"a\",\"from\":\"window_end\",\"template\":\"t\"}",
                        "give either \"days\"");
    expect_policy_error("{\"name\":\"a\",\"from\":\"harvest\",\"days\":[1],\"template\":\"t\"}",
                        "reminders[0].from");
    expect_policy_error("{\"name\":\"a\",\"from\":\"window_end\",\"days\":[1],\"template\":\"t\"},"
                        "{\"name\":\"a\",\"from\":\"window_end\",\"days\":[2],\"template\":\"t\"}",
                        "reminders[1].name: \"a\" is used twice");
}
END_TEST

START_TEST(scheduler_slots)
{
    sched_spec_t daily = {9 * 60 + 30, 0, 0, 0}, report = {17 * 60 + 30, 1, 1001, 1201};
    int64_t t = clock_at(ymd(2023, 9, 1), 9 * 60 + 29);

    ck_assert_int_eq(sched_weekday(ymd(2023, 10, 2)), 1); /* a Monday */
    ck_assert_int_eq(sched_prev_slot(&daily, t), clock_at(ymd(2023, 8, 31), 9 * 60 + 30));
    ck_assert_int_eq(sched_prev_slot(&daily, t + 60), clock_at(ymd(2023, 9, 1), 9 * 60 + 30));
    ck_assert_int_eq(sched_next_slot(&daily, t + 60), clock_at(ymd(2023, 9, 2), 9 * 60 + 30));
    /* weekly on Mondays in October and November, daily in December */
    ck_assert_int_eq(sched_is_day(&report, ymd(2023, 9, 25)), 0);
    ck_assert_int_eq(sched_is_day(&report, ymd(2023, 10, 2)), 1);
    ck_assert_int_eq(sched_is_day(&report, ymd(2023, 10, 3)), 0);
    ck_assert_int_eq(sched_is_day(&report, ymd(2023, 12, 2)), 1);
    ck_assert_int_eq(sched_prev_slot(&report, clock_at(ymd(2023, 10, 5), 0)),
                     clock_at(ymd(2023, 10, 2), 17 * 60 + 30));
    ck_assert_int_eq(clock_minute_of_day(clock_at(ymd(2023, 10, 5), 75)), 75);
}
END_TEST

/* ---- the job on a hand-made village ---- */

typedef struct fixture {
    db_t d;
    app_config_t cfg;
} fixture_t;

static void make_id(int y, int m, int dd, int seq, char id[IDCARD_LEN + 1])
{
    snprintf(id, IDCARD_LEN, "430923%04d%02d%02d%03d", y, m, dd, seq);
    id[17] = idcard_check_char(id);
    id[18] = '\0';
}

static void village(fixture_t *f)
{
    char path[256], ids[6][IDCARD_LEN + 1], csv[2048], err[256];
    import_summary_t sum;

    make_id(1980, 5, 1, 101, ids[0]);  /* 张三, shares a phone with 李四 */
    make_id(1982, 6, 2, 102, ids[1]);  /* 李四, 低保: pays 190 */
    make_id(1950, 3, 3, 103, ids[2]);  /* 王五, 特困: a department pays */
    make_id(2023, 8, 10, 104, ids[3]); /* 赵六, born 2023-08-10 */
    make_id(1970, 4, 4, 105, ids[4]);  /* 钱七, no phone */
    make_id(1975, 7, 7, 106, ids[5]);  /* 孙八, paid */
    snprintf(csv, sizeof csv,
             "person_id,name,phone,household_id,relation,township,village,group,category,status\n"
             "%s,张三,13800000001,H1,户主,冷市镇,南华村,1组,,unpaid\n"
             "%s,李四,13800000001,H1,配偶,冷市镇,南华村,1组,低保,unpaid\n"
             "%s,王五,13800000002,H2,户主,冷市镇,南华村,1组,特困,unpaid\n"
             "%s,赵六,13800000003,H3,子,冷市镇,南华村,2组,,unpaid\n"
             "%s,钱七,,H4,户主,冷市镇,南华村,2组,,unpaid\n"
             "%s,孙八,13800000004,H5,户主,冷市镇,南华村,2组,,paid\n",
             ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
    tmp_path(&f->d, "roster.csv", path, sizeof path);
    spew(path, csv);
    import_ok(&f->d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, 6, 0, 0, 0);
    ck_assert_msg(app_config_load(NULL, f->d.path, &f->cfg, err, sizeof err) == CB_OK, "%s", err);
}

static void setup(fixture_t *f)
{
    base_setup();
    db_open(&f->d, POLICY);
    village(f);
}

static void teardown(fixture_t *f)
{
    app_config_free(&f->cfg);
    db_close(&f->d);
    base_teardown();
}

/* Run the remind job at 09:30 of y-m-d, as if it last ran at 'since' (0: never). */
static job_result_t run_at(fixture_t *f, int y, int m, int d, int64_t since)
{
    job_result_t res = {0};
    cb_date_t day = ymd(y, m, d);
    job_env_t env = {.st = f->d.st, .pol = f->d.pol, .campaign = f->d.env.campaign,
                     .cfg = &f->cfg.jobs, .now = clock_at(day, 9 * 60 + 30), .today = day,
                     .since = since, .quiet = 1};

    ck_assert_msg(job_remind(&env, &res) == CB_OK, "%s", res.summary);
    return res;
}

typedef struct rows {
    char text[4096];
} rows_t;

static int collect(void *ud, const outbox_row_t *r)
{
    rows_t *rs = ud;
    size_t len = strlen(rs->text);
    snprintf(rs->text + len, sizeof rs->text - len, "%s|%s|%s\n", r->key, r->template_name,
             r->text);
    return 0;
}

static void outbox(fixture_t *f, rows_t *rs)
{
    rs->text[0] = '\0';
    ck_assert_int_eq(store_outbox_list(f->d.st, NULL, 100, collect, rs), CB_OK);
}

START_TEST(opening_once_per_phone)
{
    fixture_t f;
    rows_t rs;
    job_result_t res;

    setup(&f);
    res = run_at(&f, 2023, 9, 1, 0);
    ck_assert_uint_eq(res.queued, 2);
    outbox(&f, &rs);
    /* one household message naming both, with each one's own amount */
    ck_assert_msg(strstr(rs.text, "remind:opening:13800000001:2023-09-01|household_reminder|") &&
                      strstr(rs.text, "张三380元") && strstr(rs.text, "李四190元"),
                  "%s", rs.text);
    ck_assert_msg(strstr(rs.text, "remind:opening:13800000003:2023-09-01|window_open|"), "%s",
                  rs.text);
    /* the department pays for 王五; 孙八 paid; 钱七 has no phone */
    ck_assert_ptr_null(strstr(rs.text, "13800000002"));
    ck_assert_ptr_null(strstr(rs.text, "13800000004"));
    /* what a delay costs is in every reminder */
    ck_assert_msg(strstr(rs.text, "逾期需按1020元全额缴费，到账30天后享受待遇"), "%s", rs.text);
    /* a second run the same day queues nothing new */
    res = run_at(&f, 2023, 9, 1, clock_at(ymd(2023, 9, 1), 9 * 60 + 30));
    ck_assert_uint_eq(res.queued, 0);
    teardown(&f);
}
END_TEST

START_TEST(newborn_inside_the_window)
{
    fixture_t f;
    rows_t rs;
    job_result_t res;

    setup(&f);
    /* 2023-09-09 is 30 days after 赵六's birth; nothing else is due that day */
    res = run_at(&f, 2023, 9, 9, clock_at(ymd(2023, 9, 8), 9 * 60 + 30));
    ck_assert_uint_eq(res.queued, 1);
    outbox(&f, &rs);
    ck_assert_msg(strstr(rs.text, "remind:newborn:30:13800000003:2023-09-09|newborn_reminder|"),
                  "%s", rs.text);
    /* the 90-day window ends on 2023-11-07 */
    ck_assert_msg(strstr(rs.text, "赵*的家长您好") && strstr(rs.text, "2023年11月7日前"), "%s",
                  rs.text);
    /* 60 and 80 days after birth */
    ck_assert_uint_eq(run_at(&f, 2023, 10, 9, clock_at(ymd(2023, 10, 8), 600)).queued, 1);
    ck_assert_uint_eq(run_at(&f, 2023, 10, 29, clock_at(ymd(2023, 10, 28), 600)).queued, 1);
    ck_assert_uint_eq(run_at(&f, 2023, 10, 30, clock_at(ymd(2023, 10, 29), 600)).queued, 0);
    teardown(&f);
}
END_TEST

START_TEST(catching_up_after_a_gap)
{
    fixture_t f;
    rows_t rs;
    job_result_t res;

    setup(&f);
    /* down from 09-01 to 09-20: the weekly reminder once, for 09-15; the department
     * notice of 09-15 (特困 has a contact) */
    res = run_at(&f, 2023, 9, 20, clock_at(ymd(2023, 9, 1), 9 * 60 + 30));
    outbox(&f, &rs);
    ck_assert_uint_eq(res.queued, 3);
    ck_assert_msg(strstr(rs.text, "remind:weekly:13800000001:2023-09-15|household_reminder"),
                  "%s", rs.text);
    ck_assert_msg(strstr(rs.text, "remind:weekly:13800000003:2023-09-15|remind_periodic"), "%s",
                  rs.text);
    ck_assert_msg(strstr(rs.text, "remind:departments:特困:2023-09-15|department_notice|"
                                  "县民政局您好") &&
                      strstr(rs.text, "特困人员还有1人未代缴，合计380元"),
                  "%s", rs.text);
    /* the newborn's 30-day reminder (09-09) is more than a week back: not sent late */
    ck_assert_ptr_null(strstr(rs.text, "newborn"));
    /* after the window's end nothing is due */
    ck_assert_uint_eq(run_at(&f, 2024, 1, 5, clock_at(ymd(2023, 12, 31), 600)).queued, 0);
    teardown(&f);
}
END_TEST

START_TEST(milestone_and_deadline)
{
    fixture_t f;
    rows_t rs;

    setup(&f);
    ck_assert_uint_eq(run_at(&f, 2023, 11, 23, clock_at(ymd(2023, 11, 22), 600)).queued, 2);
    ck_assert_uint_eq(run_at(&f, 2023, 12, 30, clock_at(ymd(2023, 12, 29), 600)).queued, 2);
    ck_assert_uint_eq(run_at(&f, 2023, 12, 31, clock_at(ymd(2023, 12, 30), 600)).queued, 2);
    outbox(&f, &rs);
    ck_assert_msg(strstr(rs.text, "remind:milestone:13800000003:2023-11-23|milestone_near|"
                                  "赵*您好，11月30日前要完成80%参保任务"),
                  "%s", rs.text);
    ck_assert_msg(strstr(rs.text, "remind:deadline:13800000003:2023-12-30|deadline_near|"), "%s",
                  rs.text);
    ck_assert_msg(strstr(rs.text, "remind:last_day:13800000003:2023-12-31|last_day|"), "%s",
                  rs.text);
    teardown(&f);
}
END_TEST

START_TEST(lapse_from_the_bureaus_list)
{
    fixture_t f;
    rows_t rs;
    import_summary_t sum;
    char path[256], report[256], id[IDCARD_LEN + 1], csv[512];

    setup(&f);
    make_id(1980, 5, 1, 101, id); /* 张三 */
    snprintf(csv, sizeof csv,
             "身份证号,姓名,停保日期\n%s,张三,2023-09-03\n%s,张叁,2023-09-03\n", id, id);
    tmp_path(&f.d, "lapses.csv", path, sizeof path);
    tmp_path(&f.d, "lapses.rej.csv", report, sizeof report);
    spew(path, csv);
    import_ok(&f.d, "lapses", NULL, path, report, &sum);
    expect_sum(&sum, 1, 0, 0, 1); /* the second row's name is not the roster's */
    import_ok(&f.d, "lapses", NULL, path, report, &sum);
    expect_sum(&sum, 0, 0, 1, 1);
    /* 7 days after the lapse: the shared phone hears of 张三's own window */
    ck_assert_uint_eq(run_at(&f, 2023, 9, 10, clock_at(ymd(2023, 9, 9), 600)).queued, 1);
    outbox(&f, &rs);
    ck_assert_msg(strstr(rs.text, "remind:lapse:7:13800000001:2023-09-10|lapse_reminder|") &&
                      strstr(rs.text, "2023年12月1日前"),
                  "%s", rs.text);
    teardown(&f);
}
END_TEST

START_TEST(a_broken_rule_does_not_stop_the_others)
{
    fixture_t f;
    rows_t rs;
    job_result_t res = {0};
    job_env_t env;

    base_setup();
    db_open(&f.d, "../tests/data/remind-policy-typo.json");
    village(&f);
    env = (job_env_t){.st = f.d.st, .pol = f.d.pol, .campaign = f.d.env.campaign, .cfg = &f.cfg.jobs,
                      .now = clock_at(ymd(2023, 9, 1), 9 * 60 + 30), .today = ymd(2023, 9, 1),
                      .quiet = 1};
    ck_assert_int_eq(job_remind(&env, &res), CB_ECONFIG);
    ck_assert_msg(strstr(res.summary, "opening 2") &&
                      strstr(res.summary, "failed: reminders[0] (typo): no template 'window_opne'"),
                  "%s", res.summary);
    ck_assert_uint_eq(res.queued, 2);
    outbox(&f, &rs);
    ck_assert_msg(strstr(rs.text, "remind:opening:13800000003:2023-09-01|window_open|"), "%s",
                  rs.text);
    teardown(&f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("remind");
    TCase *tc = tcase_create("rules");

    tcase_add_test(tc, calendar_of_each_rule);
    tcase_add_test(tc, bad_rules_are_named);
    tcase_add_test(tc, scheduler_slots);
    suite_add_tcase(s, tc);
    tc = tcase_create("job");
    tcase_add_test(tc, opening_once_per_phone);
    tcase_add_test(tc, newborn_inside_the_window);
    tcase_add_test(tc, catching_up_after_a_gap);
    tcase_add_test(tc, milestone_and_deadline);
    tcase_add_test(tc, lapse_from_the_bureaus_list);
    tcase_add_test(tc, a_broken_rule_does_not_stop_the_others);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
