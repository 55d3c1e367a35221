/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - the progress report job on a small real store: the Lengshi 2024
 * policy, a roster of two townships and three villages, their targets and payments
 * imported through the real import code, reports made on fixed days.
 *
 *   甲镇 A村 target 10: 8 people, 6 paid (one 低保 paid, one 特困 unpaid)
 *        B村 target 10: 6 people, 2 paid (one 低保 unpaid)
 *   乙镇 C村 target 5:  4 people, 3 paid (one 孤儿 paid)
 *
 * Lengshi has no milestones: the deadline (100% by 2023-12-31) is the pace. On
 * 2023-11-01, 61 of the 121 days since 1 September have passed: 50.4% expected,
 * so a target of 10 needs 6 paid and one of 5 needs 3.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/config.h"
#include "jobs/job_report.h"
#include "store/report_load.h"
#include "core/date.h"
#include "core/err.h"
#include "core/onpace.h"
#include "core/progress.h"
#include "core/progress_json.h"
#include "core/status.h"
#include "tests/import_fixture.h"

#define NPEOPLE 18

static const struct {
    const char *township, *village, *category, *status;
} people[NPEOPLE] = {
    {"甲镇", "A村", "低保", "paid"},   {"甲镇", "A村", "特困", "unpaid"},
    {"甲镇", "A村", "", "paid"},       {"甲镇", "A村", "", "paid"},
    {"甲镇", "A村", "", "paid"},       {"甲镇", "A村", "", "paid"},
    {"甲镇", "A村", "", "paid"},       {"甲镇", "A村", "", "unpaid"},
    {"甲镇", "B村", "低保", "unpaid"}, {"甲镇", "B村", "", "paid"},
    {"甲镇", "B村", "", "paid"},       {"甲镇", "B村", "", "unpaid"},
    {"甲镇", "B村", "", "unpaid"},     {"甲镇", "B村", "", "unpaid"},
    {"乙镇", "C村", "孤儿", "paid"},   {"乙镇", "C村", "", "paid"},
    {"乙镇", "C村", "", "paid"},       {"乙镇", "C村", "", "unpaid"},
};

typedef struct fx {
    db_t d;
    app_config_t cfg;
    char out[160];
} fx_t;

static cb_date_t day(const char *s)
{
    cb_date_t d;

    ck_assert_int_eq(date_parse(s, strlen(s), &d), CB_OK);
    return d;
}

static void setup_config(fx_t *f)
{
    char err[512] = "";

    ck_assert_msg(app_config_load(NULL, f->d.path, &f->cfg, err, sizeof err) == CB_OK, "%s", err);
    tmp_path(&f->d, "out", f->out, sizeof f->out);
}

static void setup_store(fx_t *f)
{
    char path[256], line[256], id[IDCARD_LEN + 1];
    FILE *fp;
    import_summary_t sum;

    db_open(&f->d, "lengshi-2024.json");
    tmp_path(&f->d, "roster.csv", path, sizeof path);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("name,id_number,township,village,category,status\n", fp);
    for (size_t i = 0; i < NPEOPLE; i++) {
        person_id(i, id);
        snprintf(line, sizeof line, "人%zu,%s,%s,%s,%s,%s\n", i, id, people[i].township,
                 people[i].village, people[i].category, people[i].status);
        fputs(line, fp);
    }
    ck_assert_int_eq(fclose(fp), 0);
    import_ok(&f->d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, NPEOPLE, 0, 0, 0);
    tmp_path(&f->d, "targets.csv", path, sizeof path);
    spew(path, "township,village,target,registered\n"
               "甲镇,A村,10,8\n甲镇,B村,10,6\n乙镇,C村,5,4\n");
    import_ok(&f->d, "targets", NULL, path, NULL, &sum);
    expect_sum(&sum, 3, 0, 0, 0);
    setup_config(f);
}

static void teardown_store(fx_t *f)
{
    app_config_free(&f->cfg);
    db_close(&f->d);
}

/* Payments of 'yuan' made on 'paid_at' for persons 'who' (n of them). */
static void pay_on(db_t *d, const size_t *who, size_t n, const char *name, const char *paid_at,
                   const char *yuan)
{
    char path[256], id[IDCARD_LEN + 1], *text = calloc(1, 4096);
    import_summary_t sum;

    strcat(text, "receipt_no,id_number,amount,channel,paid_at\n");
    for (size_t i = 0; i < n; i++) {
        person_id(who[i], id);
        snprintf(text + strlen(text), 4096 - strlen(text),
                 "R%s%zu,%s,%s,bank,%sT10:00:00+08:00\n", name, who[i], id, yuan, paid_at);
    }
    tmp_path(d, name, path, sizeof path);
    spew(path, text);
    free(text);
    import_ok(d, "payments", NULL, path, NULL, &sum);
    expect_sum(&sum, n, 0, 0, 0);
}

/* Payments for persons 'who' (n of them, 380 yuan each: none in a category). */
static void pay(fx_t *f, const size_t *who, size_t n, const char *name)
{
    pay_on(&f->d, who, n, name, "2023-11-05", "380.00");
}

static int run_on(fx_t *f, const char *today, job_report_out_t *out, job_result_t *res)
{
    cb_date_t d = day(today);
    job_env_t env = {f->d.st, f->d.pol, f->d.env.campaign, &f->cfg.jobs,
                     (int64_t)d * 86400 + 17 * 3600 - 8 * 3600, d, 0, 1};

    memset(res, 0, sizeof *res);
    return job_report_run(&env, f->out, out, res);
}

static void report_ok(fx_t *f, const char *today, job_report_out_t *out, job_result_t *res)
{
    int rc = run_on(f, today, out, res);

    ck_assert_msg(rc == CB_OK, "%d %s", rc, res->summary);
}

/* The CSV row of 'village' ("" for a township's own row of 'township'), its fields
 * split into f (at most 32); the caller frees *buf. */
static size_t csv_row(const char *csv, const char *township, const char *village, char **f,
                      char **buf)
{
    char *text = slurp(csv, NULL), *line, *save = NULL;
    size_t n = 0;

    *buf = text;
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char copy[1024];
        char *g[32];
        size_t k;

        snprintf(copy, sizeof copy, "%s", line);
        k = csv_split(copy, g, 32);
        if (k > 2 && strcmp(g[1], township) == 0 && strcmp(g[2], village) == 0) {
            n = csv_split(line, f, 32);
            break;
        }
    }
    ck_assert_msg(n > 0, "no CSV row for %s %s in %s", township, village, csv);
    return n;
}

/* Column 'name' of the CSV header. */
static size_t col(const char *csv, const char *name)
{
    char *text = slurp(csv, NULL), *f[32];
    size_t n;

    *strchr(text, '\n') = '\0';
    n = csv_split(text, f, 32);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i], name) == 0) {
            free(text);
            return i;
        }
    }
    ck_abort_msg("no column %s", name);
    return 0;
}

static void expect_cell(const char *csv, const char *township, const char *village,
                        const char *name, const char *want)
{
    char *f[32], *buf;
    size_t c = col(csv, name);

    ck_assert_uint_gt(csv_row(csv, township, village, f, &buf), c);
    ck_assert_msg(strcmp(f[c], want) == 0, "%s %s %s: '%s', expected '%s'", township, village,
                  name, f[c], want);
    free(buf);
}

static void expect_in(const char *text, const char *want)
{
    ck_assert_msg(strstr(text, want) != NULL, "'%s' not in:\n%s", want, text);
}

START_TEST(figures_match_status)
{
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    progress_t *p = progress_create();
    const progress_row_t *rows;
    size_t n;
    char want[64];

    setup_store(&f);
    report_ok(&f, "2023-11-01", &out, &res);
    ck_assert_int_eq(out.fresh, 1);
    ck_assert_uint_eq(res.queued, 1);
    ck_assert_int_eq(report_load_progress(f.d.st, f.d.env.campaign, p), CB_OK);
    for (int level = 1; level <= 2; level++) {
        rows = progress_rows(p, level, &n);
        ck_assert_uint_eq(n, level == 1 ? 2 : 3);
        for (size_t i = 0; i < n; i++) {
            const char *v = rows[i].village ? rows[i].village : "";
            snprintf(want, sizeof want, "%lld", (long long)rows[i].by_status[PS_PAID]);
            expect_cell(out.csv, rows[i].township, v, "paid", want);
            snprintf(want, sizeof want, "%lld", (long long)rows[i].target);
            expect_cell(out.csv, rows[i].township, v, "target", want);
            snprintf(want, sizeof want, "%lld", (long long)rows[i].registered);
            expect_cell(out.csv, rows[i].township, v, "registered", want);
            snprintf(want, sizeof want, "%d", rows[i].rank);
            expect_cell(out.csv, rows[i].township, v, "rank", want);
            snprintf(want, sizeof want, "%.1f", rows[i].progress * 100);
            expect_cell(out.csv, rows[i].township, v, "progress_pct", want);
        }
    }
    /* The snapshot holds the same figures. */
    {
        char got[512];
        sql_rows(&f.d,
                 "SELECT a.name, ra.paid, ra.target, ra.registered, ra.rank FROM report_area ra "
                 "JOIN area a ON a.id = ra.area_id ORDER BY a.id",
                 NULL, got, sizeof got);
        ck_assert_str_eq(got, "甲镇|8|20|14|2\nA村|6|10|8|1\nB村|2|10|6|2\n乙镇|3|5|4|1\n"
                              "C村|3|5|4|1\n");
    }
    progress_destroy(p);
    teardown_store(&f);
}
END_TEST

START_TEST(ranks_pace_and_special_groups)
{
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    char *md;

    setup_store(&f);
    report_ok(&f, "2023-11-01", &out, &res);
    /* Townships rank among townships, villages within their township. */
    expect_cell(out.csv, "乙镇", "", "rank", "1");
    expect_cell(out.csv, "甲镇", "", "rank", "2");
    expect_cell(out.csv, "甲镇", "A村", "rank", "1");
    expect_cell(out.csv, "甲镇", "B村", "rank", "2");
    expect_cell(out.csv, "乙镇", "C村", "rank", "1");
    /* The pace: 50.4% today. */
    expect_cell(out.csv, "甲镇", "A村", "pace_pct", "50.4");
    expect_cell(out.csv, "甲镇", "A村", "pace_needed", "6");
    expect_cell(out.csv, "甲镇", "A村", "on_pace", "yes");
    expect_cell(out.csv, "甲镇", "B村", "on_pace", "no");
    expect_cell(out.csv, "乙镇", "C村", "pace_needed", "3");
    expect_cell(out.csv, "乙镇", "C村", "on_pace", "yes");
    expect_cell(out.csv, "甲镇", "", "pace_needed", "11");
    expect_cell(out.csv, "甲镇", "", "on_pace", "no");
    expect_cell(out.csv, "甲镇", "B村", "next_milestone", "2023-12-31");
    expect_cell(out.csv, "甲镇", "B村", "milestone_state", "due");
    /* Special groups: A村 1 of 2, B村 0 of 1, C村 1 of 1. */
    expect_cell(out.csv, "甲镇", "A村", "special_covered", "1");
    expect_cell(out.csv, "甲镇", "A村", "special", "2");
    expect_cell(out.csv, "甲镇", "B村", "special_coverage_pct", "0.0");
    expect_cell(out.csv, "乙镇", "C村", "special_coverage_pct", "100.0");
    md = slurp(out.md, NULL);
    expect_in(md, "已缴 **11** 人 / 任务 25 人，完成 **44.0%**");
    expect_in(md, "按进度今日应达 50.4%，**落后进度，差 2 人**");
    expect_in(md, "> 特殊群体参保 2/4（50.0%），须达100%");
    expect_in(md, "**落后节点进度（1个村）**\n- 甲镇B村 20.0%，差 4 人\n");
    expect_in(md, "**特殊群体未全部参保（2个村）**\n"
                  "- 甲镇B村 0/1\n- 甲镇A村 1/2\n");
    expect_in(md, "**各乡镇**\n1. 乙镇 3/5 60.0%\n2. 甲镇 8/20 40.0%\n");
    /* A tie in progress: more paid first. */
    expect_in(md, "**进度前列**\n1. 甲镇A村 60.0%（6/10）\n2. 乙镇C村 60.0%（3/5）\n"
                  "3. 甲镇B村 20.0%（2/10）\n");
    expect_in(md, "首次通报");
    ck_assert_ptr_null(strstr(md, "进度靠后")); /* three villages: all in the top list */
    free(md);
    teardown_store(&f);
}
END_TEST

START_TEST(change_since_the_last_report)
{
    static const size_t paid_b[] = {11, 12}, paid_a[] = {7};
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    char *md;

    setup_store(&f);
    report_ok(&f, "2023-11-01", &out, &res);
    expect_cell(out.csv, "甲镇", "B村", "paid_delta", "");
    pay(&f, paid_b, 2, "p1.csv");
    pay(&f, paid_a, 1, "p2.csv");
    report_ok(&f, "2023-11-08", &out, &res);
    ck_assert_uint_eq(res.queued, 1);
    expect_cell(out.csv, "甲镇", "B村", "prev_paid", "2");
    expect_cell(out.csv, "甲镇", "B村", "paid_delta", "+2");
    expect_cell(out.csv, "甲镇", "B村", "progress_delta_points", "+20.0");
    expect_cell(out.csv, "甲镇", "A村", "paid_delta", "+1");
    expect_cell(out.csv, "甲镇", "A村", "progress_delta_points", "+10.0");
    expect_cell(out.csv, "乙镇", "C村", "paid_delta", "+0");
    expect_cell(out.csv, "甲镇", "", "paid_delta", "+3");
    expect_cell(out.csv, "甲镇", "", "progress_delta_points", "+15.0");
    md = slurp(out.md, NULL);
    expect_in(md, "> 较11月1日：新增缴费 +3 人，进度 +12.0 个百分点");
    expect_in(md, "1. 甲镇A村 70.0%（7/10） +1人，+10.0个百分点\n");
    ck_assert_ptr_null(strstr(md, "首次通报"));
    free(md);
    /* A third report compares with the second, not the first. */
    report_ok(&f, "2023-11-15", &out, &res);
    expect_cell(out.csv, "甲镇", "B村", "prev_paid", "4");
    expect_cell(out.csv, "甲镇", "B村", "paid_delta", "+0");
    teardown_store(&f);
}
END_TEST

START_TEST(second_run_same_day_changes_nothing)
{
    static const size_t more[] = {13};
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    char *md1, *md2, *csv1, *csv2, got[256];

    setup_store(&f);
    report_ok(&f, "2023-11-01", &out, &res);
    md1 = slurp(out.md, NULL);
    csv1 = slurp(out.csv, NULL);
    pay(&f, more, 1, "p.csv");
    report_ok(&f, "2023-11-01", &out, &res);
    ck_assert_int_eq(out.fresh, 0);
    ck_assert_uint_eq(res.queued, 0);
    expect_in(res.summary, "made before");
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM report"), 1);
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM report_area"), 5);
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM outbox"), 1);
    md2 = slurp(out.md, NULL);
    csv2 = slurp(out.csv, NULL);
    ck_assert_str_eq(md1, md2);
    ck_assert_str_eq(csv1, csv2);
    /* The queued message is the markdown file, to the leaders on the robot route. */
    sql_rows(&f.d, "SELECT key, route, class, recipient, template FROM outbox", NULL, got,
             sizeof got);
    ck_assert_str_eq(got, "report:2023-11-01|robot|notice|leaders|daily_report\n");
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM outbox WHERE text || char(10) = "
                                     "(SELECT text FROM outbox) || char(10)"),
                     1);
    {
        char text[8192];
        sql_rows(&f.d, "SELECT text FROM outbox", NULL, text, sizeof text);
        ck_assert_str_eq(text, md1); /* rows end in "\n" as the file does */
    }
    free(md1);
    free(md2);
    free(csv1);
    free(csv2);
    teardown_store(&f);
}
END_TEST

START_TEST(csv_content)
{
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    char *csv, want[256];

    setup_store(&f);
    report_ok(&f, "2023-11-01", &out, &res);
    snprintf(want, sizeof want, "%s/reports/report-2023-11-01.csv", f.out);
    ck_assert_str_eq(out.csv, want);
    csv = slurp(out.csv, NULL);
    ck_assert_str_eq(
        csv,
        "level,township,village,rank,registered,target,paid,waived,covered_elsewhere,unpaid,"
        "progress_pct,coverage_pct,prev_paid,paid_delta,progress_delta_points,next_milestone,"
        "milestone_pct,milestone_needed,milestone_state,pace_pct,pace_needed,on_pace,special,"
        "special_covered,special_coverage_pct\n"
        "\"township\",\"甲镇\",\"\",2,14,20,8,0,0,6,40.0,57.1,,,,2023-12-31,100,20,\"due\",50.4,"
        "11,\"no\",3,1,33.3\n"
        "\"village\",\"甲镇\",\"A村\",1,8,10,6,0,0,2,60.0,75.0,,,,2023-12-31,100,10,\"due\",50.4,"
        "6,\"yes\",2,1,50.0\n"
        "\"village\",\"甲镇\",\"B村\",2,6,10,2,0,0,4,20.0,33.3,,,,2023-12-31,100,10,\"due\",50.4,"
        "6,\"no\",1,0,0.0\n"
        "\"township\",\"乙镇\",\"\",1,4,5,3,0,0,1,60.0,75.0,,,,2023-12-31,100,5,\"due\",50.4,3,"
        "\"yes\",1,1,100.0\n"
        "\"village\",\"乙镇\",\"C村\",1,4,5,3,0,0,1,60.0,75.0,,,,2023-12-31,100,5,\"due\",50.4,3,"
        "\"yes\",1,1,100.0\n");
    free(csv);
    teardown_store(&f);
}
END_TEST

/* A run that fails leaves nothing behind: no snapshot, no outbox row, no file. */
START_TEST(failure_leaves_nothing)
{
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    char path[256];

    setup_store(&f);
    spew(f.out, "a file where the output folder should be"); /* mkdir fails */
    ck_assert_int_eq(run_on(&f, "2023-11-01", &out, &res), CB_EIO);
    expect_in(res.summary, "report 2023-11-01: ");
    ck_assert_int_eq(out.fresh, 0);
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM report"), 0);
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM outbox"), 0);
    ck_assert_int_eq(unlink(f.out), 0);
    /* A route the config does not have. */
    free(f.cfg.jobs.report_route);
    f.cfg.jobs.report_route = strdup("nope");
    ck_assert_int_eq(run_on(&f, "2023-11-01", &out, &res), CB_ECONFIG);
    expect_in(res.summary, "jobs.report_route");
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM report"), 0);
    ck_assert_ptr_null(fopen(tmp_path(&f.d, "out/reports/report-2023-11-01.md", path,
                                      sizeof path), "r"));
    /* Then it works, and the report is the first. */
    free(f.cfg.jobs.report_route);
    f.cfg.jobs.report_route = strdup("robot");
    report_ok(&f, "2023-11-01", &out, &res);
    ck_assert_int_eq(out.fresh, 1);
    ck_assert_int_eq(sql_count(&f.d, "SELECT count(*) FROM report"), 1);
    teardown_store(&f);
}
END_TEST

/* The pace of onpace.h's example: Pingli, 80% by 30 Nov, 100% by 25 Dec. */
START_TEST(pace_between_milestones)
{
    policy_t *pol = NULL;
    char path[512], err[256] = "";
    onpace_t p;
    progress_row_t r = {.target = 500};

    snprintf(path, sizeof path, "%s/pingli-2022.json", CB_EXAMPLES);
    ck_assert_msg(policy_load(path, &pol, err, sizeof err) == CB_OK, "%s", err);
    p = onpace_at(pol, day("2021-11-07"));
    ck_assert_double_eq_tol(p.expected, 0.40, 1e-9);
    ck_assert_int_eq(p.next.percent, 80);
    ck_assert_int_eq(p.implicit, 0);
    ck_assert_str_eq(p.label, "11月底最低完成80%");
    ck_assert_int_eq(onpace_needed(&p, &r), 200);
    r.by_status[PS_PAID] = 199;
    ck_assert_int_eq(onpace_behind(&p, &r), 1);
    r.by_status[PS_PAID] = 200;
    ck_assert_int_eq(onpace_behind(&p, &r), 0);
    p = onpace_at(pol, day("2021-11-30"));
    ck_assert_int_eq(onpace_needed(&p, &r), 400);
    p = onpace_at(pol, day("2021-12-12"));
    ck_assert_double_eq_tol(p.expected, 0.896, 1e-9);
    ck_assert_int_eq(p.next.percent, 100);
    p = onpace_at(pol, day("2021-10-01"));
    ck_assert_double_eq_tol(p.expected, 0.0, 1e-12);
    p = onpace_at(pol, day("2022-01-10"));
    ck_assert_int_eq(p.past, 1);
    ck_assert_double_eq_tol(p.expected, 1.0, 1e-12);
    r.target = -1;
    ck_assert_int_eq(onpace_needed(&p, &r), -1);
    ck_assert_int_eq(onpace_behind(&p, &r), 0);
    policy_destroy(pol);
}
END_TEST

/* The state of milestone 'i' of the first row of 'level' on 'today'. */
static void expect_milestone(progress_t *p, const policy_t *pol, int level, const char *today,
                             int i, const char *want)
{
    size_t n;
    const progress_row_t *r = progress_rows(p, level, &n);
    cJSON *j = progress_row_json(&r[0], pol, day(today));
    const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "milestones"), i);

    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(m, "state")), want);
    cJSON_Delete(j);
}

/* A Pingli roster: persons 0-9 in 甲镇A村, 10-19 in 乙镇C村; the task table sets
 * 10 on each township, none on villages (targets only on townships). */
static void setup_pingli(fx_t *f, size_t npeople)
{
    char path[256], id[IDCARD_LEN + 1], *text = calloc(1, 4096);
    import_summary_t sum;

    db_open(&f->d, "pingli-2022.json");
    strcat(text, "name,id_number,township,village\n");
    for (size_t i = 0; i < npeople; i++) {
        person_id(i, id);
        snprintf(text + strlen(text), 4096 - strlen(text), "人%zu,%s,%s\n", i, id,
                 i < 10 ? "甲镇,A村" : "乙镇,C村");
    }
    tmp_path(&f->d, "roster.csv", path, sizeof path);
    spew(path, text);
    free(text);
    import_ok(&f->d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, npeople, 0, 0, 0);
    tmp_path(&f->d, "targets.csv", path, sizeof path);
    spew(path, npeople > 10 ? "township,target\n甲镇,10\n乙镇,10\n" : "township,target\n甲镇,10\n");
    import_ok(&f->d, "targets", NULL, path, NULL, &sum);
    expect_sum(&sum, npeople > 10 ? 2 : 1, 0, 0, 0);
    setup_config(f);
}

/* Pingli's "80% by 30 Nov": 7 of a target of 10 paid by then, 3 more in December.
 * The township missed the milestone and stays "missed" once the others have paid. */
START_TEST(milestone_judged_by_payment_day)
{
    fx_t f;
    const size_t early[] = {0, 1, 2, 3, 4, 5, 6}, late[] = {7, 8, 9};
    progress_t *p = progress_create();

    setup_pingli(&f, 10);
    pay_on(&f.d, early, 7, "nov", "2021-11-20", "320.00");
    pay_on(&f.d, late, 3, "dec", "2021-12-05", "320.00");
    ck_assert_int_eq(report_load_progress(f.d.st, f.d.env.campaign, p), CB_OK);
    for (int level = 0; level <= 1; level++) { /* the county and the township */
        expect_milestone(p, f.d.pol, level, "2021-12-10", 0, "missed");
        expect_milestone(p, f.d.pol, level, "2021-12-10", 1, "met");
        expect_milestone(p, f.d.pol, level, "2021-11-30", 0, "met"); /* today's count */
    }
    progress_destroy(p);
    teardown_store(&f);
}
END_TEST

/* Targets on townships only: the report ranks townships and lists those behind the
 * pace, names the milestone the county missed, and flags the township last in two
 * reports in a row with Pingli's 约谈. */
START_TEST(report_by_township)
{
    fx_t f;
    const size_t early[] = {0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17};
    const size_t late[] = {7, 8, 9}, late_one = 19;
    job_report_out_t out;
    job_result_t res;
    char *md;

    setup_pingli(&f, 20);
    pay_on(&f.d, early, 15, "nov", "2021-11-20", "320.00");
    pay_on(&f.d, late, 3, "dec", "2021-12-05", "320.00");
    report_ok(&f, "2021-12-09", &out, &res);
    md = slurp(out.md, NULL);
    ck_assert_ptr_null(strstr(md, "连续两次排名末位"));
    free(md);
    report_ok(&f, "2021-12-10", &out, &res);
    md = slurp(out.md, NULL);
    expect_in(md, "**各乡镇**\n1. 甲镇 10/10 100.0%");
    expect_in(md, "2. 乙镇 8/10 80.0%");
    expect_in(md, "**落后节点进度（1个乡镇）**\n- 乙镇 80.0%，差 1 人\n");
    expect_in(md, "> 未完成节点：11月底最低完成80%（11月30日应缴 16 人，当日已缴 15 人）");
    expect_in(md, "> 乙镇连续两次排名末位，约谈");
    ck_assert_ptr_null(strstr(md, "进度前列")); /* the township list is the ranking */
    ck_assert_ptr_null(strstr(md, "A村"));
    ck_assert_ptr_null(strstr(md, "逾期参保"));
    free(md);
    /* One more pays after the window closed: a late enrolment, counted. */
    pay_on(&f.d, &late_one, 1, "jan", "2021-12-28", "320.00");
    report_ok(&f, "2021-12-29", &out, &res);
    md = slurp(out.md, NULL);
    expect_in(md, "其中逾期参保 1 人。");
    free(md);
    teardown_store(&f);
}
END_TEST

/* The window's last day and after it: never "还有0天" nor a negative count. */
START_TEST(report_after_the_window)
{
    fx_t f;
    job_report_out_t out;
    job_result_t res;
    char *md;

    setup_store(&f);
    report_ok(&f, "2023-12-30", &out, &res);
    md = slurp(out.md, NULL);
    expect_in(md, "距12月31日截止还有1天。");
    free(md);
    report_ok(&f, "2023-12-31", &out, &res);
    md = slurp(out.md, NULL);
    expect_in(md, "集中缴费今天（12月31日）截止。");
    ck_assert_ptr_null(strstr(md, "还有0天"));
    free(md);
    report_ok(&f, "2024-01-03", &out, &res);
    md = slurp(out.md, NULL);
    expect_in(md, "集中缴费已于12月31日截止。");
    ck_assert_ptr_null(strstr(md, "还有"));
    free(md);
    teardown_store(&f);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("job");
    TCase *pace = tcase_create("pace");

    tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, figures_match_status);
    tcase_add_test(tc, ranks_pace_and_special_groups);
    tcase_add_test(tc, change_since_the_last_report);
    tcase_add_test(tc, second_run_same_day_changes_nothing);
    tcase_add_test(tc, csv_content);
    tcase_add_test(tc, failure_leaves_nothing);
    tcase_add_test(tc, milestone_judged_by_payment_day);
    tcase_add_test(tc, report_after_the_window);
    tcase_add_test(tc, report_by_township);
    tcase_add_test(pace, pace_between_milestones);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, pace);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
