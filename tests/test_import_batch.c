/* SPDX-License-Identifier: MIT */
/* test_import_batch.c - imports that span several of the reader thread's batches
 * (import/import_pipe.c, IMPORT_PIPE_ROWS rows each) and the store's batched person
 * writes (store_persons_put): rows and rejected rows keep file order across batch
 * boundaries, duplicates are found across batches, re-imports write nothing, mixed
 * new and stored people, references stay sound with foreign keys off during the
 * import, store_persons_put on its own, and a failing apply stops the reader
 * cleanly. */
#include <check.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/import_pipe.h"
#include "import/import_roster.h"
#include "core/date.h"
#include "core/err.h"
#include "core/idcard.h"
#include "store/store.h"
#include "store/store_roster.h"
#include "tests/import_fixture.h"

#define ROWS 6000 /* three batches: lines 2-2501, 2502-5001, 5002-6001 */

/* ---- roster across batches --------------------------------------------------- */

START_TEST(duplicate_found_across_batches)
{
    db_t d;
    import_summary_t sum;
    char dup[512], *rep, id[IDCARD_LEN + 1], rep_cols[4][32], path[256];
    const char *lines[5500] = {NULL};
    size_t rep_lines[4];
    store_resident_t r;

    db_open(&d, "lengshi-2024.json");
    /* Line 5500 (third batch) repeats line 10's ID number with another name. */
    person_id(8, id);
    snprintf(dup, sizeof dup, "%s,别人,13900000000,4309231012999999,户主,冷市镇,南华村,1组,,paid,",
             id);
    lines[5498] = dup;
    ck_assert_uint_eq(import_roster_rows(&d, "dup.csv", lines, 5500, ROWS, &sum, rep_lines,
                                         rep_cols, 4),
                      1);
    expect_sum(&sum, ROWS - 1, 0, 0, 1);
    ck_assert_uint_eq(rep_lines[0], 5500);
    ck_assert_str_eq(rep_cols[0], "id_number");
    rep = slurp(tmp_path(&d, "dup.csv.report.csv", path, sizeof path), NULL);
    ck_assert_msg(strstr(rep, "line 10") != NULL, "%s", rep);
    free(rep);
    resident(&d, id, &r);
    ck_assert_str_eq(r.name, "人8");
    ck_assert_str_eq(r.status, "unpaid");
    store_resident_free(&r);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), ROWS - 1);
    expect_references_sound(&d);
    expect_foreign_keys_on(&d);
    db_close(&d);
}
END_TEST

START_TEST(rejected_rows_keep_line_order_across_batches)
{
    static const size_t want[] = {2, 2500, 2501, 2502, 5001, 5002, 5003, 6001};
    static const char *const cols[] = {"phone", "village",   "id_number", "*",
                                       "phone", "id_number", "name",      "id_number"};
    db_t d;
    import_summary_t sum;
    char rows[8][512], id[IDCARD_LEN + 1], rep_cols[16][32];
    const char *lines[ROWS] = {NULL};
    size_t rep_lines[16];

    db_open(&d, "lengshi-2024.json");
    /* Data row k is line k + 2; the batches end after lines 2501 and 5001. */
    person_row(0, "12345", rows[0], sizeof rows[0]);                   /* bad phone */
    person_id(2498, id);
    snprintf(rows[1], sizeof rows[1], "%s,人,,,,冷市镇,,,,,", id);     /* no village */
    snprintf(rows[2], sizeof rows[2], "43092319500101100X,人,,,,冷市镇,南华村,,,,"); /* check */
    snprintf(rows[3], sizeof rows[3], "too,few,fields");              /* field count */
    person_row(4999, "1380000000x", rows[4], sizeof rows[4]);          /* bad phone */
    snprintf(rows[5], sizeof rows[5], "\"broken,quote");              /* quoting */
    person_id(5001, id);
    snprintf(rows[6], sizeof rows[6], "%s,,,,,冷市镇,南华村,,,,", id); /* no name */
    snprintf(rows[7], sizeof rows[7], "4309231950010110,人,,,,冷市镇,南华村,,,,"); /* short */
    for (size_t i = 0; i < 8; i++)
        lines[want[i] - 2] = rows[i];
    ck_assert_uint_eq(import_roster_rows(&d, "bad.csv", lines, ROWS, ROWS, &sum, rep_lines,
                                         rep_cols, 16),
                      8);
    expect_sum(&sum, ROWS - 8, 0, 0, 8);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_msg(rep_lines[i] == want[i], "report row %zu: line %zu, want %zu", i,
                      rep_lines[i], want[i]);
        ck_assert_msg(strcmp(rep_cols[i], cols[i]) == 0, "line %zu: column %s, want %s",
                      want[i], rep_cols[i], cols[i]);
    }
    expect_references_sound(&d);
    db_close(&d);
}
END_TEST

START_TEST(reimport_across_batches_writes_nothing)
{
    db_t d;
    import_summary_t sum;
    char path[256];

    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "roster.csv", path, sizeof path);
    write_roster(path, 0, ROWS, 1, NULL, 0);
    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, ROWS, 0, 0, 0);
    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, 0, 0, ROWS, 0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit"), 0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), ROWS);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment"), ROWS);
    ck_assert_int_eq(sql_count(&d, "SELECT count(DISTINCT household_id) FROM person"), ROWS / 3);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM household"), ROWS / 3);
    expect_references_sound(&d);
    expect_foreign_keys_on(&d);
    db_close(&d);
}
END_TEST

/* Every other person first; then all of them with every 7th phone changed: the
 * chunks mix new and stored people, taking both ways through store_persons_put. */
START_TEST(new_and_stored_people_mixed)
{
    db_t d;
    import_summary_t sum;
    char path[256], phone[32], (*rows_buf)[160] = calloc(ROWS, 160), id[IDCARD_LEN + 1];
    const char *lines[ROWS] = {NULL};
    size_t changed = 0;
    store_resident_t r;

    ck_assert_ptr_nonnull(rows_buf);
    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "even.csv", path, sizeof path);
    write_roster(path, 0, ROWS, 2, NULL, 0);
    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, ROWS / 2, 0, 0, 0);
    for (size_t i = 0; i < ROWS; i += 7) {
        snprintf(phone, sizeof phone, "139%08zu", i);
        person_row(i, phone, rows_buf[i], sizeof rows_buf[i]);
        lines[i] = rows_buf[i];
        changed += i % 2 == 0;
    }
    tmp_path(&d, "all.csv", path, sizeof path);
    write_roster(path, 0, ROWS, 1, lines, ROWS);
    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, ROWS / 2, changed, ROWS / 2 - changed, 0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit"), (long long)changed);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit WHERE field <> 'phone'"), 0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), ROWS);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment"), ROWS);
    person_id(14, id);
    resident(&d, id, &r);
    ck_assert_str_eq(r.phone, "13900000014");
    store_resident_free(&r);
    person_id(7, id); /* odd: new in the second file, with the changed phone */
    resident(&d, id, &r);
    ck_assert_str_eq(r.phone, "13900000007");
    store_resident_free(&r);
    expect_references_sound(&d);
    free(rows_buf);
    db_close(&d);
}
END_TEST


/* ---- store_persons_put directly --------------------------------------------------- */

static void put_people(db_t *d, size_t n, size_t bad, int *rc)
{
    store_person_t p[64];
    char ids[64][IDCARD_LEN + 1];
    unsigned char outcome[64];
    int64_t area = 0;

    ck_assert_int_eq(store_begin(d->st), CB_OK);
    ck_assert_int_eq(store_area_get(d->st, 0, AREA_TOWNSHIP, "冷市镇", strlen("冷市镇"), 1, &area),
                     CB_OK);
    for (size_t i = 0; i < n; i++) {
        person_id(1000 + i, ids[i]);
        p[i] = (store_person_t){.key = idcard_key(ids[i]), .id_number = ids[i],
                                .name = i == bad ? NULL : "人", .area_id = area};
    }
    *rc = store_persons_put(d->st, d->env.campaign, p, n, "test", NOW, outcome);
    if (*rc == CB_OK) {
        for (size_t i = 0; i < n; i++)
            ck_assert_int_eq(outcome[i], STORE_INSERTED);
        ck_assert_int_eq(store_commit(d->st), CB_OK);
    } else {
        store_rollback(d->st);
    }
}

/* A row a constraint refuses (here a NULL name) is an error, never a silent skip,
 * in a full multi-row chunk as in a single row. */
START_TEST(refused_person_is_an_error)
{
    db_t d;
    int rc;

    db_open(&d, "lengshi-2024.json");
    put_people(&d, 64, 17, &rc);
    ck_assert_int_eq(rc, CB_ESTATE);
    ck_assert_msg(strstr(store_errmsg(d.st), "constraint") != NULL, "%s", store_errmsg(d.st));
    put_people(&d, 3, 2, &rc);
    ck_assert_int_eq(rc, CB_ESTATE);
    put_people(&d, 64, 99, &rc);
    ck_assert_int_eq(rc, CB_OK);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), 64);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment WHERE status = 'unpaid' "
                                   "AND categories = ''"),
                     64);
    db_close(&d);
}
END_TEST

/* One person through store_person_upsert; a key twice in one store_persons_put
 * call is inserted, then updated, as two upserts in turn would. */
START_TEST(upsert_one_and_key_twice)
{
    db_t d;
    char ida[IDCARD_LEN + 1], idb[IDCARD_LEN + 1];
    unsigned char outcome[2];
    int64_t area = 0;
    store_person_t a, b[2];
    store_resident_t r;

    db_open(&d, "lengshi-2024.json");
    person_id(1, ida);
    person_id(2, idb);
    ck_assert_int_eq(store_begin(d.st), CB_OK);
    ck_assert_int_eq(store_area_get(d.st, 0, AREA_TOWNSHIP, "冷市镇", strlen("冷市镇"), 1, &area),
                     CB_OK);
    a = (store_person_t){.key = idcard_key(ida), .id_number = ida, .name = "甲", .area_id = area,
                         .household = "H1"};
    ck_assert_int_eq(store_person_upsert(d.st, d.env.campaign, &a, "test", NOW), STORE_INSERTED);
    ck_assert_int_eq(store_person_upsert(d.st, d.env.campaign, &a, "test", NOW), STORE_UNCHANGED);
    a.phone = "13800000001";
    ck_assert_int_eq(store_person_upsert(d.st, d.env.campaign, &a, "test", NOW), STORE_UPDATED);
    b[0] = (store_person_t){.key = idcard_key(idb), .id_number = idb, .name = "乙", .area_id = area};
    b[1] = b[0];
    b[1].name = "丙";
    ck_assert_int_eq(store_persons_put(d.st, d.env.campaign, b, 2, "test", NOW, outcome), CB_OK);
    ck_assert_int_eq(outcome[0], STORE_INSERTED);
    ck_assert_int_eq(outcome[1], STORE_UPDATED);
    ck_assert_int_eq(store_commit(d.st), CB_OK);
    resident(&d, ida, &r);
    ck_assert_str_eq(r.phone, "13800000001");
    ck_assert_str_eq(r.household, "H1");
    store_resident_free(&r);
    resident(&d, idb, &r);
    ck_assert_str_eq(r.name, "丙");
    ck_assert_str_eq(r.status, "unpaid");
    store_resident_free(&r);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM audit"), 2);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM enrolment"), 2);
    expect_references_sound(&d);
    db_close(&d);
}
END_TEST

/* ---- the two-stage loop with a kind of the test's own ------------------------------ */

enum { K_A, K_B, K_N };

static const import_col_t test_cols[K_N] = {
    [K_A] = {"a", (const char *const[]){"a", NULL}, 1, 100000},
    [K_B] = {"b", (const char *const[]){"b", NULL}, 0, 100000},
};

typedef struct test_rec {
    const char *a, *b;
    size_t blen;
} test_rec_t;

typedef struct test_kind {
    size_t applied_rows, batches, fail_at_batch;
    size_t next_line; /* the last line apply saw, or 0 */
    char long_b[60000];
} test_kind_t;

static int test_check(void *ud, const import_fields_t *f, void *out, import_arena_t *a,
                      import_reject_t *rej)
{
    test_rec_t *rec = out;

    (void)ud;
    if (f->len[K_A] == 0) {
        rej->col = K_A;
        snprintf(rej->reason, sizeof rej->reason, "missing");
        return IMPORT_REJECTED;
    }
    rec->a = import_arena_copy(a, f->v[K_A], f->len[K_A]);
    rec->b = import_arena_copy(a, f->v[K_B], f->len[K_B]);
    rec->blen = f->len[K_B];
    return IMPORT_PENDING;
}

static int test_apply(void *ud, import_item_t *items, size_t n)
{
    test_kind_t *t = ud;
    char want[32];

    if (++t->batches == t->fail_at_batch)
        return CB_EIO;
    for (size_t i = 0; i < n; i++) {
        const test_rec_t *rec = items[i].rec;
        ck_assert_uint_gt(items[i].line, t->next_line);
        t->next_line = items[i].line;
        snprintf(want, sizeof want, "a%zu", items[i].line);
        ck_assert_str_eq(rec->a, want);
        if (rec->blen > 1000) {
            ck_assert_uint_eq(rec->blen, strlen(t->long_b));
            ck_assert_str_eq(rec->b, t->long_b);
        }
        items[i].outcome = items[i].line % 2 ? IMPORT_INSERTED : IMPORT_UNCHANGED;
    }
    t->applied_rows += n;
    return CB_OK;
}

/* Lines 2..rows+1: "aLINE,b"; every 1000th line has no a (rejected). With 'long_rows'
 * lines 3001-3040 carry a b of 60,000 bytes: more than an arena block each, and
 * together more than a batch's soft limit of strings, which ends it early. */
static void write_test_file(test_kind_t *t, const char *path, size_t rows, int long_rows)
{
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    memset(t->long_b, 'x', sizeof t->long_b - 1);
    t->long_b[sizeof t->long_b - 1] = '\0';
    fputs("a,b\n", fp);
    for (size_t line = 2; line < rows + 2; line++) {
        if (line % 1000 == 0)
            fprintf(fp, ",b\n");
        else
            fprintf(fp, "a%zu,%s\n", line,
                    long_rows && line > 3000 && line <= 3040 ? t->long_b : "b");
    }
    ck_assert_int_eq(fclose(fp), 0);
}

/* Write the test file of 'rows' rows into d's directory and import it with the
 * test kind: import_run's result, 'err' set on failure. */
static int run_test_kind(db_t *d, test_kind_t *t, size_t rows, int long_rows,
                         import_summary_t *sum, char *err, size_t errlen)
{
    import_kind_t k = {.what = "test", .cols = test_cols, .ncols = K_N, .check = test_check,
                       .apply = test_apply, .rec_size = sizeof(test_rec_t), .ud = t};
    char path[256], report[256];

    tmp_path(d, "t.csv", path, sizeof path);
    tmp_path(d, "t.report.csv", report, sizeof report);
    write_test_file(t, path, rows, long_rows);
    return import_run(d->st, &k, path, report, 0, sum, err, errlen);
}

START_TEST(two_stage_rows_in_order_with_long_rows)
{
    db_t d;
    test_kind_t *t = calloc(1, sizeof *t);
    import_summary_t sum;
    char err[512] = "";

    ck_assert_ptr_nonnull(t);
    db_open(&d, "lengshi-2024.json");
    ck_assert_int_eq(run_test_kind(&d, t, 12345, 1, &sum, err, sizeof err), CB_OK);
    /* 12 rejected (lines 1000..12000); odd lines inserted, even unchanged. */
    ck_assert_uint_eq(t->applied_rows, 12345 - 12);
    ck_assert_uint_eq(sum.rejected, 12);
    ck_assert_uint_eq(sum.imported + sum.unchanged, 12345 - 12);
    ck_assert_uint_eq(sum.imported, 6172); /* the odd lines 3..12345 */
    ck_assert_uint_gt(t->batches, 12345 / IMPORT_PIPE_ROWS + 1); /* one ended early */
    free(t);
    db_close(&d);
}
END_TEST

START_TEST(failing_apply_stops_the_import)
{
    db_t d;
    test_kind_t *t = calloc(1, sizeof *t);
    import_summary_t sum;
    char err[512] = "";

    ck_assert_ptr_nonnull(t);
    t->fail_at_batch = 2;
    db_open(&d, "lengshi-2024.json");
    /* More rows than the queue holds: the reader is waiting when apply fails. */
    ck_assert_int_eq(run_test_kind(&d, t, 40000, 0, &sum, err, sizeof err), CB_EIO);
    ck_assert_msg(strstr(err, "lines 2502-5001") != NULL, "%s", err);
    ck_assert_uint_eq(t->batches, 2);
    /* The store is usable: no transaction was left open. */
    ck_assert_int_eq(store_begin(d.st), CB_OK);
    ck_assert_int_eq(store_commit(d.st), CB_OK);
    free(t);
    db_close(&d);
}
END_TEST

static Suite *batch_suite(void)
{
    Suite *s = suite_create("import-batch");
    TCase *roster = tcase_create("roster");
    TCase *pipe = tcase_create("pipe");

    tcase_add_unchecked_fixture(roster, base_setup, base_teardown);
    tcase_add_unchecked_fixture(pipe, base_setup, base_teardown);
    tcase_set_timeout(roster, 120);
    tcase_set_timeout(pipe, 120);
    tcase_add_test(roster, duplicate_found_across_batches);
    tcase_add_test(roster, rejected_rows_keep_line_order_across_batches);
    tcase_add_test(roster, reimport_across_batches_writes_nothing);
    tcase_add_test(roster, new_and_stored_people_mixed);
    tcase_add_test(roster, refused_person_is_an_error);
    tcase_add_test(roster, upsert_one_and_key_twice);
    suite_add_tcase(s, roster);
    tcase_add_test(pipe, two_stage_rows_in_order_with_long_rows);
    tcase_add_test(pipe, failing_apply_stops_the_import);
    suite_add_tcase(s, pipe);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(batch_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
