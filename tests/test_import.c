/* SPDX-License-Identifier: MIT */
/* test_import.c - the CSV imports end to end through import_file into a real
 * database file: rejected rows and their report, idempotent re-imports, audited
 * updates, GB18030 input, status figures per village, payments, subsidy lists,
 * a header without the ID column, and the database file's mode. */
#include <check.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "import/import.h"
#include "import/import_roster.h"
#include "core/date.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/policy.h"
#include "core/progress.h"
#include "core/status.h"
#include "store/store.h"
#include "store/store_payment.h"
#include "store/store_roster.h"
#include "store/store_status.h"
#include "tests/import_fixture.h"

#define ROSTER_2000 CB_TEST_DATA "/roster-2000.csv"
#define ROSTER_2000_BAD CB_TEST_DATA "/roster-2000.csv.bad.csv"
#define PAYMENTS_2000 CB_TEST_DATA "/payments-2000.csv"
#define ROSTER_KNOWN CB_TEST_DATA "/roster-known.csv"
#define ROSTER_GBK CB_TEST_DATA "/roster-gbk.csv"

/* One injected bad row of roster-2000.csv as its sidecar lists it. */
typedef struct bad_row {
    long line;
    char kind[32];
    char column[32]; /* the sidecar's field mapped to the importer's column key */
    char detail[256];
    char pid[32];    /* the ID number as written in the row */
} bad_row_t;

static size_t load_sidecar(bad_row_t *out, size_t max)
{
    FILE *fp = fopen(ROSTER_2000_BAD, "r");
    char *line = NULL, *f[8];
    size_t cap = 0, n = 0;

    ck_assert_ptr_nonnull(fp);
    ck_assert(next_line(fp, &line, &cap));
    ck_assert_str_eq(line, "row_no,line_no,kind,field,detail,person_id_written");
    while (next_line(fp, &line, &cap)) {
        ck_assert_uint_lt(n, max);
        ck_assert_uint_eq(csv_split(line, f, 8), 6);
        out[n].line = strtol(f[1], NULL, 10);
        snprintf(out[n].kind, sizeof out[n].kind, "%s", f[2]);
        snprintf(out[n].column, sizeof out[n].column, "%s",
                 strcmp(f[3], "person_id") == 0 ? "id_number" : f[3]);
        snprintf(out[n].detail, sizeof out[n].detail, "%s", f[4]);
        snprintf(out[n].pid, sizeof out[n].pid, "%s", f[5]);
        n++;
    }
    free(line);
    fclose(fp);
    return n;
}

static int is_bad_line(const bad_row_t *bad, size_t n, long line)
{
    for (size_t i = 0; i < n; i++) {
        if (bad[i].line == line)
            return 1;
    }
    return 0;
}

/* ---- roster: rejected rows ------------------------------------------------- */

START_TEST(bad_rows_rejected_at_their_lines)
{
    bad_row_t bad[64];
    size_t nbad = load_sidecar(bad, 64), nrep = 0;
    db_t d;
    import_summary_t sum;
    char report[256], *line = NULL, *f[8], *text;
    size_t cap = 0;
    FILE *fp;

    ck_assert_uint_eq(nbad, 40);
    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "roster-2000.report.csv", report, sizeof report);
    import_ok(&d, "roster", NULL, ROSTER_2000, report, &sum);
    expect_sum(&sum, 2000 - 40, 0, 0, 40);
    ck_assert_str_eq(sum.report, report);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), 1960);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment"), 1960);

    /* The report lists exactly the sidecar's rows, in file order. */
    fp = fopen(report, "r");
    ck_assert_ptr_nonnull(fp);
    ck_assert(next_line(fp, &line, &cap));
    ck_assert_str_eq(line, "line,column,reason,id_number");
    while (next_line(fp, &line, &cap)) {
        const bad_row_t *b;
        ck_assert_msg(nrep < nbad, "report row beyond the sidecar's %zu: %s", nbad, line);
        b = &bad[nrep++];
        ck_assert_uint_eq(csv_split(line, f, 8), 4);
        ck_assert_msg(strtol(f[0], NULL, 10) == b->line, "report line %s, sidecar line %ld (%s)",
                      f[0], b->line, b->kind);
        ck_assert_msg(strcmp(f[1], b->column) == 0, "line %ld (%s): column %s, expected %s",
                      b->line, b->kind, f[1], b->column);
        ck_assert_msg(f[2][0] != '\0', "line %ld: no reason", b->line);
        if (strcmp(b->kind, "duplicate_person_id") == 0) {
            /* "same as data row N" is file line N + 1; the ID is shown masked. */
            char want_line[32], masked[32];
            long row = strtol(b->detail + strlen("same as data row "), NULL, 10);
            ck_assert_int_gt(row, 0);
            snprintf(want_line, sizeof want_line, "line %ld", row + 1);
            ck_assert_msg(strstr(f[2], want_line) != NULL, "line %ld: reason '%s' lacks '%s'",
                          b->line, f[2], want_line);
            snprintf(masked, sizeof masked, "%.6s********%s", b->pid, b->pid + 14);
            ck_assert_str_eq(f[3], masked);
        }
    }
    ck_assert_uint_eq(nrep, 40);
    free(line);
    fclose(fp);

    /* No full ID number leaks into the report; rejected people are not stored. */
    text = slurp(report, NULL);
    for (size_t i = 0; i < nbad; i++) {
        char norm[IDCARD_LEN + 1];
        if (strlen(bad[i].pid) == IDCARD_LEN)
            ck_assert_msg(strstr(text, bad[i].pid) == NULL, "report shows %s", bad[i].pid);
        if (strcmp(bad[i].kind, "duplicate_person_id") != 0 &&
            idcard_check(bad[i].pid, strlen(bad[i].pid), d.env.today, norm, NULL, 0) ==
                IDCARD_OK)
            ck_assert_msg(!resident_exists(&d, norm), "line %ld (%s) was stored", bad[i].line,
                          bad[i].kind);
    }
    free(text);
    db_close(&d);
}
END_TEST

START_TEST(reimport_changes_nothing)
{
    db_t d;
    import_summary_t sum;
    char report[256];
    long long audit;

    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "report.csv", report, sizeof report);
    import_ok(&d, "roster", NULL, ROSTER_2000, report, &sum);
    expect_sum(&sum, 1960, 0, 0, 40);
    audit = sql_count(&d, "SELECT count(*) FROM audit");
    import_ok(&d, "roster", NULL, ROSTER_2000, report, &sum);
    expect_sum(&sum, 0, 0, 1960, 40);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit"), audit);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), 1960);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment"), 1960);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment WHERE status = 'paid'"), 220);
    db_close(&d);
}
END_TEST

/* ---- roster: changes are audited ------------------------------------------- */

/* roster-known.csv with the line holding ID 'id' replaced by 'repl' (no line end). */
static char *replace_line(char *text, const char *id, const char *repl)
{
    char *hit = strstr(text, id), *start, *end, *out;
    size_t n;

    ck_assert_msg(hit != NULL, "%s not in the file", id);
    start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    end = strchr(hit, '\n');
    ck_assert_ptr_nonnull(end);
    n = (size_t)(start - text) + strlen(repl) + strlen(end) + 1;
    out = malloc(n);
    ck_assert_ptr_nonnull(out);
    snprintf(out, n, "%.*s%s%s", (int)(start - text), text, repl, end);
    free(text);
    return out;
}

START_TEST(changed_row_is_audited)
{
    static const char *const chen_li = "43092319820404046X";
    db_t d;
    import_summary_t sum;
    char path[256], rows[4096], *text;
    store_resident_t r;

    db_open(&d, "lengshi-2024.json");
    import_ok(&d, "roster", NULL, ROSTER_KNOWN, NULL, &sum);
    expect_sum(&sum, 9, 0, 0, 0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit"), 0);

    text = slurp(ROSTER_KNOWN, NULL);
    /* 陈丽: new phone, 低保 -> 特困, 未缴费 -> 职工医保. */
    text = replace_line(text, chen_li,
                        "陈丽,43092319820404046X,18612349999,4309231012029002,户主,冷市镇,文昌村,"
                        "3组,特困,职工医保");
    /* 张建国 (paid) now says 未缴费 and 刘桂英 (paid) has a blank status: an older
     * roster must not undo a payment. */
    text = replace_line(text, "430923196501010110",
                        "张建国,430923196501010110,13812340001,4309231012019001,户主,冷市镇,南华村,"
                        "1组,低保,未缴费");
    text = replace_line(text, "430923194809090242",
                        "刘桂英,430923194809090242,13912340006,4309231012029001,户主,冷市镇,文昌村,"
                        "3组,,");
    tmp_path(&d, "roster-known-changed.csv", path, sizeof path);
    spew(path, text);
    free(text);

    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, 0, 1, 8, 0);

    resident(&d, chen_li, &r);
    ck_assert_str_eq(r.phone, "18612349999");
    ck_assert_str_eq(r.categories, "特困");
    ck_assert_str_eq(r.status, "employee_insured");
    ck_assert_str_eq(r.name, "陈丽");
    sql_rows(&d,
             "SELECT a.field, ifnull(a.old, ''), ifnull(a.new, ''), a.source, a.at, "
             "p.id_number FROM audit a JOIN person p ON p.id = a.person_id ORDER BY a.field",
             NULL, rows, sizeof rows);
    ck_assert_str_eq(rows,
                     "categories|低保|特困|import:roster:roster-known-changed.csv|1733000000|"
                     "43092319820404046X\n"
                     "phone|18612340008|18612349999|import:roster:roster-known-changed.csv|"
                     "1733000000|43092319820404046X\n"
                     "status|unpaid|employee_insured|import:roster:roster-known-changed.csv|"
                     "1733000000|43092319820404046X\n");
    store_resident_free(&r);

    expect_status(&d, "430923196501010110", "paid");
    expect_status(&d, "430923194809090242", "paid");
    db_close(&d);
}
END_TEST

/* ---- roster: GB18030 with CRLF ---------------------------------------------- */

START_TEST(gbk_roster_reads_as_utf8)
{
    bad_row_t bad[64];
    size_t nbad = load_sidecar(bad, 64), checked = 0, cap = 0;
    db_t d;
    import_summary_t sum;
    char *line = NULL, *f[16], *raw;
    long lineno = 1;
    FILE *fp;

    /* The fixture really is GB18030 with CRLF: not valid UTF-8 from its header on. */
    raw = slurp(ROSTER_GBK, NULL);
    ck_assert_ptr_null(strstr(raw, "身份证号"));
    ck_assert_ptr_nonnull(strstr(raw, "\r\n"));
    free(raw);

    db_open(&d, "lengshi-2024.json");
    import_ok(&d, "roster", NULL, ROSTER_GBK, NULL, &sum);
    expect_sum(&sum, 300, 0, 0, 0);
    ck_assert_str_eq(sum.report, "");

    /* The same people as the first 300 good rows of the UTF-8 roster, same text. */
    fp = fopen(ROSTER_2000, "r");
    ck_assert_ptr_nonnull(fp);
    ck_assert(next_line(fp, &line, &cap));
    ck_assert_str_eq(line, "person_id,name,phone,household_id,relation,township,village,group,"
                           "category,status,birth_date");
    while (checked < 300 && next_line(fp, &line, &cap)) {
        store_resident_t r;
        if (is_bad_line(bad, nbad, ++lineno))
            continue;
        ck_assert_uint_eq(csv_split(line, f, 16), 11);
        resident(&d, f[0], &r);
        ck_assert_msg(strcmp(r.name, f[1]) == 0, "%s: name %s, expected %s", f[0], r.name, f[1]);
        ck_assert_msg(strcmp(r.relation, f[4]) == 0, "%s: relation %s, expected %s", f[0],
                      r.relation, f[4]);
        ck_assert_str_eq(r.birth_date, f[10]);
        store_resident_free(&r);
        checked++;
    }
    ck_assert_uint_eq(checked, 300);
    free(line);
    fclose(fp);
    /* The villages' names came through the conversion too. */
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM area WHERE level = 2 AND name = '南华村'"),
                     1);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM area WHERE name = '冷市镇'"), 1);
    db_close(&d);
}
END_TEST

/* ---- status figures ----------------------------------------------------------- */

static const progress_row_t *row_named(const progress_row_t *rows, size_t n, const char *village)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].village != NULL && strcmp(rows[i].village, village) == 0)
            return &rows[i];
    }
    ck_abort_msg("no row for %s", village);
    return NULL;
}

static void expect_row(const progress_row_t *r, int64_t registered, int64_t target, int64_t paid,
                       int64_t elsewhere, int64_t unpaid, int64_t deceased, int64_t special,
                       int64_t special_covered)
{
    const char *name = r->village ? r->village : r->township;

    ck_assert_msg(r->registered == registered, "%s: registered %lld", name,
                  (long long)r->registered);
    ck_assert_msg(r->target == target, "%s: target %lld", name, (long long)r->target);
    ck_assert_msg(r->by_status[PS_PAID] == paid, "%s: paid %lld", name,
                  (long long)r->by_status[PS_PAID]);
    ck_assert_msg(r->by_status[PS_EMPLOYEE_INSURED] + r->by_status[PS_INSURED_ELSEWHERE] ==
                      elsewhere,
                  "%s: covered elsewhere %lld", name,
                  (long long)(r->by_status[PS_EMPLOYEE_INSURED] +
                              r->by_status[PS_INSURED_ELSEWHERE]));
    ck_assert_msg(r->by_status[PS_UNPAID] == unpaid, "%s: unpaid %lld", name,
                  (long long)r->by_status[PS_UNPAID]);
    ck_assert_msg(r->by_status[PS_DECEASED] == deceased, "%s: deceased %lld", name,
                  (long long)r->by_status[PS_DECEASED]);
    ck_assert_msg(r->by_status[PS_WAIVED] == 0, "%s: waived", name);
    ck_assert_msg(r->special == special, "%s: special %lld, expected %lld", name,
                  (long long)r->special, (long long)special);
    ck_assert_msg(r->special_covered == special_covered, "%s: special covered %lld", name,
                  (long long)r->special_covered);
    ck_assert_int_eq(r->covered, paid + elsewhere);
    ck_assert_double_eq_tol(r->coverage, (double)(paid + elsewhere) / (double)registered, 1e-9);
    ck_assert_double_eq_tol(r->progress, (double)paid / (double)target, 1e-9);
}

START_TEST(status_figures_by_village)
{
    db_t d;
    import_summary_t sum;
    store_area_t *areas = NULL;
    store_count_t *counts = NULL;
    store_target_t *targets = NULL;
    size_t na = 0, nc = 0, nt = 0, n;
    int64_t persons = 0;
    progress_t *p;
    const progress_row_t *rows;

    db_open(&d, "lengshi-2024.json");
    import_ok(&d, "roster", NULL, ROSTER_KNOWN, NULL, &sum);
    expect_sum(&sum, 9, 0, 0, 0);
    import_ok(&d, "targets", NULL, CB_EXAMPLES "/targets-lengshi-2024.csv", NULL, &sum);
    expect_sum(&sum, 18, 0, 0, 0);

    ck_assert_int_eq(store_areas(d.st, &areas, &na), CB_OK);
    ck_assert_int_eq(store_status_counts(d.st, d.env.campaign, &counts, &nc), CB_OK);
    ck_assert_int_eq(store_targets(d.st, d.env.campaign, &targets, &nt), CB_OK);
    ck_assert_uint_eq(na, 1 + 18 + 3); /* 冷市镇, its 18 villages, groups 1组 2组 3组 */
    ck_assert_uint_eq(nt, 18);
    p = progress_create();
    for (size_t i = 0; i < na; i++)
        progress_add_area(p, areas[i].id, areas[i].parent, areas[i].level, areas[i].name);
    for (size_t i = 0; i < nc; i++) {
        int s = status_from_name(counts[i].status);
        ck_assert_msg(s >= 0, "unknown status %s", counts[i].status);
        progress_add_count(p, counts[i].area_id, (person_status_t)s, counts[i].special,
                           counts[i].n);
        persons += counts[i].n;
    }
    ck_assert_int_eq(persons, 9);
    for (size_t i = 0; i < nt; i++)
        progress_set_target(p, targets[i].area_id, targets[i].target);

    /* By hand from roster-known.csv: 南华村 has 张建国 (paid, 低保), 李秀英 (职工医保),
     * 张伟 (blank, 特困), 张浩 (死亡, 特困: not registered, not special),
     * 王德明 (未缴费, 监测对象;重度残疾). 文昌村 has 刘桂英 (paid), 刘军 (异地参保),
     * 陈丽 (未缴费, 低保), 陈子轩 (blank). Targets: 南华村 2471, 文昌村 1589. */
    rows = progress_rows(p, 2, &n);
    ck_assert_uint_eq(n, 18);
    expect_row(row_named(rows, n, "南华村"), 4, 2471, 1, 1, 2, 1, 3, 1);
    expect_row(row_named(rows, n, "文昌村"), 4, 1589, 1, 1, 2, 0, 1, 0);
    ck_assert_int_eq(row_named(rows, n, "玉新村")->registered, 0);
    ck_assert_int_eq(row_named(rows, n, "玉新村")->target, 1992);

    rows = progress_rows(p, 3, &n); /* groups */
    ck_assert_uint_eq(n, 3);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].group, "1组") == 0)
            ck_assert_int_eq(rows[i].registered, 3);
        else if (strcmp(rows[i].group, "2组") == 0)
            ck_assert_int_eq(rows[i].registered, 1);
        else
            ck_assert_str_eq(rows[i].group, "3组");
    }

    rows = progress_rows(p, 1, &n); /* the township: sum of the villages' targets */
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(rows[0].township, "冷市镇");
    expect_row(&rows[0], 8, 31700, 2, 2, 4, 1, 4, 1);

    progress_destroy(p);
    store_areas_free(areas, na);
    free(counts);
    free(targets);
    db_close(&d);
}
END_TEST

/* ---- payments ----------------------------------------------------------------- */

static void expect_payment(const db_t *d, const char *receipt, const char *id, int64_t fen,
                           const char *problem_part)
{
    char got_id[IDCARD_LEN + 1] = "", problem[256] = "";
    int64_t amount = 0;

    ck_assert_msg(store_payment_find(d->st, receipt, got_id, &amount, problem, sizeof problem) ==
                      1,
                  "receipt %s not stored", receipt);
    ck_assert_str_eq(got_id, id);
    ck_assert_int_eq(amount, fen);
    if (problem_part == NULL)
        ck_assert_msg(problem[0] == '\0', "%s: problem '%s'", receipt, problem);
    else
        ck_assert_msg(strstr(problem, problem_part) != NULL, "%s: problem '%s' lacks '%s'",
                      receipt, problem, problem_part);
}

START_TEST(payments_match_and_problems_are_kept)
{
    db_t d;
    import_summary_t sum;
    char report[256], extra[256];
    long long audit;

    db_open(&d, "lengshi-2024.json");
    import_ok(&d, "roster", NULL, ROSTER_2000, NULL, &sum);
    expect_sum(&sum, 1960, 0, 0, 40);
    expect_status(&d, "430923198312078625", "unpaid");

    /* 1437 events: 1390 first payments that match, 45 re-deliveries of them, a
     * second receipt of one person and one ID number not on the roster. */
    tmp_path(&d, "payments.report.csv", report, sizeof report);
    import_ok(&d, "payments", NULL, PAYMENTS_2000, report, &sum);
    expect_sum(&sum, 1390, 0, 45, 2);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM payment"), 1392);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM payment WHERE problem IS NOT NULL"), 2);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment WHERE status = 'paid'"),
                     220 + 1390);

    /* Matched: the person is paid now, with an audit row. */
    expect_payment(&d, "20241008WX000000102", "430923198312078625", 38000, NULL);
    expect_status(&d, "430923198312078625", "paid");
    /* 50% subsidy (低保): 190 yuan matches. */
    expect_payment(&d, "20241008AP000000295", "430923195003261414", 19000, NULL);
    expect_status(&d, "430923195003261414", "paid");
    /* A second receipt of someone already paid: kept, reported, status unchanged. */
    expect_payment(&d, "20241105WX000000610", "430923201112155168", 38000, "already paid");
    expect_status(&d, "430923201112155168", "paid");
    /* Not on the roster: kept for reconciliation. */
    expect_payment(&d, "20241226WX000001392", "430923197308266223", 38000, "not on the roster");
    ck_assert(!resident_exists(&d, "430923197308266223"));

    /* A replay of the whole export changes nothing; kept problems are reported again. */
    audit = sql_count(&d, "SELECT count(*) FROM audit");
    import_ok(&d, "payments", NULL, PAYMENTS_2000, report, &sum);
    expect_sum(&sum, 0, 0, 1435, 2);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM payment"), 1392);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit"), audit);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment WHERE status = 'paid'"), 1610);

    /* Wrong amounts are kept and reported; the person stays unpaid. A department
     * pays the full fee for 特困 in bulk. */
    tmp_path(&d, "payments-extra.csv", extra, sizeof extra);
    spew(extra, "receipt_no,person_id,amount,channel,paid_at\n"
                "X-AMOUNT-1,430923197307053170,190.00,POS,2023-12-01T10:00:00+08:00\n"
                "X-HALF-1,430923197005133634,190.00,POS,2023-12-01T10:01:00+08:00\n"
                "X-HALF-2,430923197005133634,380.00,POS,2023-12-01T10:02:00+08:00\n"
                "X-FULL-1,43092319570929316X,380.00,bank counter,2023-12-01T10:03:00+08:00\n");
    import_ok(&d, "payments", NULL, extra, report, &sum);
    expect_sum(&sum, 2, 0, 0, 2);
    expect_payment(&d, "X-AMOUNT-1", "430923197307053170", 19000, "expected 380.00");
    expect_status(&d, "430923197307053170", "unpaid");
    expect_payment(&d, "X-HALF-1", "430923197005133634", 19000, NULL);
    expect_status(&d, "430923197005133634", "paid");
    expect_payment(&d, "X-HALF-2", "430923197005133634", 38000, "expected 190.00");
    expect_payment(&d, "X-FULL-1", "43092319570929316X", 38000, NULL);
    expect_status(&d, "43092319570929316X", "paid");
    db_close(&d);
}
END_TEST

/* ---- subsidy lists ---------------------------------------------------------------- */

START_TEST(subsidy_list_applies_only_matching_people)
{
    db_t d;
    import_summary_t sum;
    char path[256], report[256], unknown[IDCARD_LEN + 1], text[1024], rows[2048], *rep;
    store_resident_t r;

    /* A valid ID number nobody on the roster has. */
    snprintf(unknown, sizeof unknown, "43092319990101001");
    unknown[17] = idcard_check_char(unknown);
    unknown[18] = '\0';

    db_open(&d, "lengshi-2024.json");
    import_ok(&d, "roster", NULL, ROSTER_KNOWN, NULL, &sum);
    expect_sum(&sum, 9, 0, 0, 0);

    tmp_path(&d, "dibao.csv", path, sizeof path);
    tmp_path(&d, "dibao.report.csv", report, sizeof report);
    snprintf(text, sizeof text,
             "身份证号,姓名\n"
             "430923197511110355,刘军\n"      /* on the roster: gains 低保 */
             "430923201201010139,陈子宣\n"    /* the roster says 陈子轩 */
             "%s,赵无名\n"                    /* not on the roster */
             "43092319820404046X,陈丽\n",     /* already 低保 */
             unknown);
    spew(path, text);
    import_ok(&d, "subsidies", "低保", path, report, &sum);
    expect_sum(&sum, 0, 1, 1, 2);

    resident(&d, "430923197511110355", &r);
    ck_assert_str_eq(r.categories, "低保");
    store_resident_free(&r);
    resident(&d, "430923201201010139", &r);
    ck_assert_str_eq(r.categories, "");
    store_resident_free(&r);
    ck_assert(!resident_exists(&d, unknown));
    resident(&d, "43092319820404046X", &r);
    ck_assert_str_eq(r.categories, "低保");
    store_resident_free(&r);

    rep = slurp(report, NULL);
    ck_assert_msg(strncmp(rep, "line,column,reason,id_number\n", 29) == 0, "%s", rep);
    ck_assert_msg(strstr(rep, "\"3\",\"name\"") != NULL || strstr(rep, "\n3,name,") != NULL,
                  "line 3 (name) not reported: %s", rep);
    ck_assert_msg(strstr(rep, "\"4\",\"id_number\"") != NULL ||
                      strstr(rep, "\n4,id_number,") != NULL,
                  "line 4 (id_number) not reported: %s", rep);
    ck_assert_ptr_nonnull(strstr(rep, "not on the roster"));
    free(rep);

    sql_rows(&d,
             "SELECT p.id_number, a.field, ifnull(a.old, ''), a.new, a.source FROM audit a "
             "JOIN person p ON p.id = a.person_id ORDER BY a.id",
             NULL, rows, sizeof rows);
    ck_assert_str_eq(rows, "430923197511110355|categories||低保|import:subsidies:dibao.csv\n");

    /* An alias names the category; the stored set stays in policy order. */
    tmp_path(&d, "tekun.csv", path, sizeof path);
    spew(path, "公民身份号码,姓名\n430923196501010110,张建国\n");
    import_ok(&d, "subsidies", "特困人员", path, NULL, &sum);
    expect_sum(&sum, 0, 1, 0, 0);
    resident(&d, "430923196501010110", &r);
    ck_assert_str_eq(r.categories, "特困;低保");
    store_resident_free(&r);
    db_close(&d);
}
END_TEST

/* ---- a header without the ID column ------------------------------------------------- */

START_TEST(missing_id_column_is_fatal)
{
    db_t d;
    import_summary_t sum;
    char path[256], err[1024] = "";
    int rc;

    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "no-id.csv", path, sizeof path);
    spew(path, "姓名,手机号,乡镇,村/社区\n张三,13800000000,冷市镇,南华村\n");
    snprintf(d.source, sizeof d.source, "import:roster:no-id.csv");
    rc = import_file(&d.env, "roster", NULL, path, NULL, 0, &sum, err, sizeof err);
    ck_assert_int_lt(rc, 0);
    ck_assert_msg(strstr(err, "身份证号") != NULL || strstr(err, "id_number") != NULL,
                  "message does not name the column: %s", err);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), 0);
    db_close(&d);
}
END_TEST

/* ---- the database file is private ------------------------------------------------------ */

START_TEST(database_file_mode_0600)
{
    char dir[96], path[128], wal[160], err[256] = "";
    store_t *st = NULL;
    struct stat sb;
    mode_t old = umask(0); /* nothing masks a wider mode away */

    test_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/new.db", dir);
    ck_assert_msg(store_open(path, &st, err, sizeof err) == CB_OK, "%s", err);
    umask(old);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_msg((sb.st_mode & 07777) == 0600, "mode %o", (unsigned)(sb.st_mode & 07777));
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0)
        ck_assert_msg((sb.st_mode & 07777) == 0600, "-wal mode %o",
                      (unsigned)(sb.st_mode & 07777));
    store_close(st);
    rm_tree(dir);
}
END_TEST

static Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *roster = tcase_create("roster");
    TCase *other = tcase_create("other");

    tcase_add_unchecked_fixture(roster, base_setup, base_teardown);
    tcase_add_unchecked_fixture(other, base_setup, base_teardown);
    tcase_set_timeout(roster, 120);
    tcase_set_timeout(other, 120);
    tcase_add_test(roster, bad_rows_rejected_at_their_lines);
    tcase_add_test(roster, reimport_changes_nothing);
    tcase_add_test(roster, changed_row_is_audited);
    tcase_add_test(roster, gbk_roster_reads_as_utf8);
    tcase_add_test(roster, missing_id_column_is_fatal);
    suite_add_tcase(s, roster);
    tcase_add_test(other, status_figures_by_village);
    tcase_add_test(other, payments_match_and_problems_are_kept);
    tcase_add_test(other, subsidy_list_applies_only_matching_people);
    tcase_add_test(other, database_file_mode_0600);
    suite_add_tcase(s, other);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(import_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
