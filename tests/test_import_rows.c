/* SPDX-License-Identifier: MIT */
/* test_import_rows.c - what a roster row may hold: blanks around fields with and
 * without quotes (csvin splits plain lines itself, libcsv the quoted ones),
 * malformed UTF-8, birth dates in every accepted form, and households in any
 * order (store_persons_put creates a chunk's households together). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/idcard.h"
#include "store/store.h"
#include "store/store_roster.h"
#include "tests/import_fixture.h"

/* Lines without quotes are split by csvin itself, lines with quotes by libcsv:
 * both drop the blanks around fields. */
START_TEST(plain_and_quoted_lines_split_alike)
{
    db_t d;
    import_summary_t sum;
    char path[256], text[2048], ids[3][IDCARD_LEN + 1], rows[512];

    db_open(&d, "lengshi-2024.json");
    for (size_t i = 0; i < 3; i++)
        person_id(i, ids[i]);
    snprintf(text, sizeof text,
             "person_id,name,phone,household_id,relation,township,village,group,category,status,"
             "birth_date\n"
             " %s ,\t甲 ,13800000001 , H1,户主 ,冷市镇, 南华村 ,1组, , unpaid ,\n"
             "\"%s\",\"乙\",\"13800000002\",\"H1\",\"配偶\",\"冷市镇\",\"南华村\",\"1组\",\"\","
             "\"unpaid\",\"\"\n"
             " \"%s\" ,\t\"丙\" , 13800000003,H1 ,\"子\",冷市镇,\"南华村\"\t,1组,,unpaid,\n",
             ids[0], ids[1], ids[2]);
    tmp_path(&d, "quotes.csv", path, sizeof path);
    spew(path, text);
    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, 3, 0, 0, 0);
    sql_rows(&d, "SELECT p.name, p.phone, h.code, p.relation, a.name, e.status FROM person p "
                 "JOIN household h ON h.id = p.household_id JOIN area a ON a.id = p.area_id "
                 "JOIN enrolment e ON e.person_id = p.id ORDER BY p.id",
             NULL, rows, sizeof rows);
    ck_assert_str_eq(rows, "甲|13800000001|H1|户主|1组|unpaid\n"
                           "乙|13800000002|H1|配偶|1组|unpaid\n"
                           "丙|13800000003|H1|子|1组|unpaid\n");
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM area WHERE name = '南华村'"), 1);
    db_close(&d);
}
END_TEST

/* Malformed UTF-8 rejects its line: a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF, a cut sequence; 4-byte characters pass.
 * (Forty good lines keep the file UTF-8: with more bad lines than good ones it
 * would be taken for GB18030.) */
START_TEST(malformed_utf8_rejects_its_line)
{
    static const char *const names[] = {
        "\xF0\x9F\x98\x80甲", "乙\x80",           "\xC1\x81", "\xE0\x9F\xBF",
        "\xED\xA0\x80",       "\xF4\x90\x80\x80", "丙\xE4\xB8", "丁",
    };
    db_t d;
    import_summary_t sum;
    char rows[8][512], rep_cols[8][32], id[IDCARD_LEN + 1];
    const char *lines[8];
    size_t rep_lines[8];

    db_open(&d, "lengshi-2024.json");
    for (size_t i = 0; i < 8; i++) {
        person_id(i, id);
        snprintf(rows[i], sizeof rows[i], "%s,%s,,,,冷市镇,南华村,,,,", id, names[i]);
        lines[i] = rows[i];
    }
    ck_assert_uint_eq(
        import_roster_rows(&d, "utf8.csv", lines, 8, 48, &sum, rep_lines, rep_cols, 8), 6);
    expect_sum(&sum, 42, 0, 0, 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_uint_eq(rep_lines[i], i + 3);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person WHERE name = '\xF0\x9F\x98\x80甲'"),
                     1);
    db_close(&d);
}
END_TEST

/* The birth date column may write the ID number's date in any form date_parse
 * takes; a different or broken date is rejected. */
START_TEST(birth_date_forms)
{
    static const char *const births[] = {"1950-01-01", "1950/1/1", "19500101", "1950-01-02",
                                          "1950-13-01"};
    db_t d;
    import_summary_t sum;
    char rows[5][512], rep_cols[8][32];
    const char *lines[5];
    size_t rep_lines[8];

    db_open(&d, "lengshi-2024.json");
    for (size_t i = 0; i < 5; i++) {
        char phone[32], row[480];
        default_phone(i, phone, sizeof phone);
        person_row(i, phone, row, sizeof row); /* all born 1950-01-01 */
        snprintf(rows[i], sizeof rows[i], "%s%s", row, births[i]);
        lines[i] = rows[i];
    }
    ck_assert_uint_eq(
        import_roster_rows(&d, "births.csv", lines, 5, 5, &sum, rep_lines, rep_cols, 8), 2);
    expect_sum(&sum, 3, 0, 0, 2);
    ck_assert_uint_eq(rep_lines[0], 5);
    ck_assert_str_eq(rep_cols[0], "birth_date");
    ck_assert_uint_eq(rep_lines[1], 6);
    ck_assert_str_eq(rep_cols[1], "birth_date");
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person WHERE birth_date = '1950-01-01'"),
                     3);
    db_close(&d);
}
END_TEST

/* Households in any order: members apart, rows without one between them, one
 * household stored by an earlier import. */
START_TEST(households_in_any_order)
{
    static const char *const codes[] = {"H1", "H1", "", "H1", "H2", "", "H2", "H1", "H3", "H0"};
    db_t d;
    import_summary_t sum;
    char path[256], rows[10][512], rows_out[1024], want[1024], id[IDCARD_LEN + 1];
    const char *lines[10];
    size_t used = 0, rep_lines[1];
    char rep_cols[1][32];

    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "h0.csv", path, sizeof path);
    person_id(5000, id);
    snprintf(rows_out, sizeof rows_out,
             "person_id,name,township,village,household_id\n%s,甲,冷市镇,南华村,H0\n", id);
    spew(path, rows_out);
    import_ok(&d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, 1, 0, 0, 0);
    for (size_t i = 0; i < 10; i++) {
        person_id(i, id);
        snprintf(rows[i], sizeof rows[i], "%s,人%zu,,%s,,冷市镇,南华村,,,,", id, i, codes[i]);
        lines[i] = rows[i];
        used += (size_t)snprintf(want + used, sizeof want - used, "人%zu|%s\n", i,
                                 codes[i][0] ? codes[i] : "NULL");
    }
    ck_assert_uint_eq(
        import_roster_rows(&d, "h.csv", lines, 10, 10, &sum, rep_lines, rep_cols, 1), 0);
    expect_sum(&sum, 10, 0, 0, 0);
    sql_rows(&d, "SELECT p.name, h.code FROM person p LEFT JOIN household h ON h.id = "
                 "p.household_id WHERE p.name LIKE '人%' ORDER BY p.id",
             NULL, rows_out, sizeof rows_out);
    ck_assert_str_eq(rows_out, want);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM household"), 4);
    expect_references_sound(&d);
    db_close(&d);
}
END_TEST

static Suite *rows_suite(void)
{
    Suite *s = suite_create("import-rows");
    TCase *tc = tcase_create("rows");

    tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, plain_and_quoted_lines_split_alike);
    tcase_add_test(tc, malformed_utf8_rejects_its_line);
    tcase_add_test(tc, birth_date_forms);
    tcase_add_test(tc, households_in_any_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rows_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
