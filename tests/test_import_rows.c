/* SPDX-License-Identifier: MIT */
/* test_import_rows.c - what a roster row may hold: blanks around fields with and
 * without quotes (csvin splits plain lines itself, libcsv the quoted ones),
 * malformed UTF-8, birth dates in every accepted form, households in any order
 * (store_persons_put creates a chunk's households together), and hostile input:
 * control characters and U+FEFF in fields, CR-only files, header-only files,
 * duplicated header columns, full-width ID numbers, and the report (0600, no
 * control bytes). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

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

/* ---- hostile input ----------------------------------------------------------- */

/* The report's rows with their reasons, at most 'max'. */
static size_t read_reasons(const char *path, size_t *lines, char (*cols)[32],
                           char (*reasons)[256], size_t max)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *f[8];
    size_t cap = 0, n = 0;

    if (fp == NULL)
        return 0;
    ck_assert(next_line(fp, &line, &cap));
    while (next_line(fp, &line, &cap) && n < max) {
        ck_assert_uint_eq(csv_split(line, f, 8), 4);
        lines[n] = strtoul(f[0], NULL, 10);
        snprintf(cols[n], sizeof cols[n], "%s", f[1]);
        snprintf(reasons[n], sizeof reasons[n], "%s", f[2]);
        n++;
    }
    free(line);
    fclose(fp);
    return n;
}

/* Write 'n' bytes of 'text' to 'path', '~' standing for a NUL byte. */
static void spew_nul(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");

    ck_assert_ptr_nonnull(fp);
    for (const char *p = text; *p; p++)
        ck_assert_int_ne(fputc(*p == '~' ? '\0' : *p, fp), EOF);
    ck_assert_int_eq(fclose(fp), 0);
}

/* A data row between two good ones: rejected naming 'col' with 'reason' in it,
 * or (col NULL) imported. '%s' is the row's ID number, '~' a NUL byte. */
static const struct hostile {
    const char *row, *col, *reason;
} hostile[] = {
    {"%s,甲~乙,,冷市镇,南华村,", "name", "contains a control character U+0000"},
    {"%s~,甲,,冷市镇,南华村,", "id_number", "contains a control character U+0000"},
    {"%s,甲,,冷市镇\x1b[31m,南华村,", "township", "contains a control character U+001B"},
    /* A quoted line goes through libcsv: the same checks hold. */
    {"%s,\"甲\a\",,冷市镇,南华村,", "name", "contains a control character U+0007"},
    {"%s,甲,1380000\x7f" "0001,冷市镇,南华村,", "phone", "contains a control character U+007F"},
    {"%s,甲,,冷市镇,南华\xc2\x85村,", "village", "contains a control character U+0085"},
    {"%s,甲\xef\xbb\xbf乙,,冷市镇,南华村,", "name", "contains U+FEFF"},
    {"%s,甲\t乙,,冷市镇,南华村,", "name", "contains a control character U+0009"},
    /* A lone CR inside a line of an LF file is no line end. */
    {"%s,甲\r乙,,冷市镇,南华村,", "name", "contains a control character U+000D"},
    {"%s,\"甲\"\r,,冷市镇,南华村,", "name", "contains a control character U+000D"},
    /* Blanks around fields are trimmed; a column the import ignores is not read. */
    {"%s,\t甲\t,,冷市镇,南华村,", NULL, NULL},
    {"%s,甲,,冷市镇,南华村,备注\x1b~", NULL, NULL},
};

START_TEST(hostile_character_rejects_its_row)
{
    const struct hostile *h = &hostile[_i];
    db_t d;
    import_summary_t sum;
    char path[256], report[300], text[1024], row[256], ids[3][IDCARD_LEN + 1];
    char cols[4][32], reasons[4][256];
    size_t lines[4], n;
    const char *at;

    db_open(&d, "lengshi-2024.json");
    for (size_t i = 0; i < 3; i++)
        person_id(i, ids[i]);
    at = strstr(h->row, "%s");
    ck_assert_ptr_nonnull(at);
    snprintf(row, sizeof row, "%.*s%s%s", (int)(at - h->row), h->row, ids[1], at + 2);
    snprintf(text, sizeof text,
             "person_id,name,phone,township,village,remark\n"
             "%s,甲,13800000001,冷市镇,南华村,\n%s\n%s,丙,13800000003,冷市镇,南华村,\n",
             ids[0], row, ids[2]);
    tmp_path(&d, "hostile.csv", path, sizeof path);
    snprintf(report, sizeof report, "%s.report.csv", path);
    spew_nul(path, text);
    import_ok(&d, "roster", NULL, path, report, &sum);
    if (h->col == NULL) {
        expect_sum(&sum, 3, 0, 0, 0);
        ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person WHERE name = '甲'"), 2);
        db_close(&d);
        return;
    }
    expect_sum(&sum, 2, 0, 0, 1);
    n = read_reasons(report, lines, cols, reasons, 4);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(lines[0], 3);
    ck_assert_str_eq(cols[0], h->col);
    ck_assert_msg(strstr(reasons[0], h->reason) != NULL, "reason '%s' lacks '%s'", reasons[0],
                  h->reason);
    /* The good rows around it are in. */
    ck_assert(resident_exists(&d, ids[0]));
    ck_assert(!resident_exists(&d, ids[1]));
    ck_assert(resident_exists(&d, ids[2]));
    db_close(&d);
}
END_TEST

/* An old Mac CSV: every line ends in a lone CR. Its lines are read and numbered
 * as lines; CRLF reads as before. */
START_TEST(cr_only_file_reads_its_lines)
{
    static const char *const ends[] = {"\r", "\r\n"};
    char ids[4][IDCARD_LEN + 1], bad[IDCARD_LEN + 1];

    for (size_t i = 0; i < 4; i++)
        person_id(i, ids[i]);
    snprintf(bad, sizeof bad, "%.17s%c", ids[3], ids[3][17] == '0' ? '1' : '0');
    for (size_t e = 0; e < 2; e++) {
        const char *nl = ends[e];
        db_t d;
        import_summary_t sum;
        char path[256], report[300], text[1024], cols[4][32], reasons[4][256];
        size_t lines[4];

        db_open(&d, "lengshi-2024.json");
        snprintf(text, sizeof text,
                 "person_id,name,township,village%s%s,甲,冷市镇,南华村%s%s,乙,冷市镇,南华村%s"
                 "%s%s,丁,冷市镇,南华村%s%s,戊,冷市镇,南华村%s",
                 nl, ids[0], nl, bad, nl, nl, ids[1], nl, ids[2], nl);
        tmp_path(&d, "mac.csv", path, sizeof path);
        snprintf(report, sizeof report, "%s.report.csv", path);
        spew(path, text);
        import_ok(&d, "roster", NULL, path, report, &sum);
        expect_sum(&sum, 3, 0, 0, 1);
        ck_assert_uint_eq(read_reasons(report, lines, cols, reasons, 4), 1);
        ck_assert_uint_eq(lines[0], 3); /* line 4 is blank, 5 and 6 are 丁 and 戊 */
        ck_assert_str_eq(cols[0], "id_number");
        ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person WHERE name IN ('甲', '丁', "
                                       "'戊')"),
                         3);
        db_close(&d);
    }
}
END_TEST

/* import_file of 'text' as a roster must fail with 'want' in the message. */
static void expect_refused(const char *text, const char *want)
{
    db_t d;
    import_summary_t sum;
    char path[256], err[1024] = "";

    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "refused.csv", path, sizeof path);
    spew(path, text);
    snprintf(d.source, sizeof d.source, "import:roster:refused.csv");
    ck_assert_int_eq(import_file(&d.env, "roster", NULL, path, NULL, 0, &sum, err, sizeof err),
                     CB_EPARSE);
    ck_assert_msg(strstr(err, want) != NULL, "message '%s' lacks '%s'", err, want);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM person"), 0);
    db_close(&d);
}

START_TEST(header_only_file_is_refused)
{
    expect_refused("身份证号,姓名,乡镇,村\n", "the header is there but no data rows");
    expect_refused("身份证号,姓名,乡镇,村\r\n  \r\n\t\r\n", "the header is there but no data rows");
}
END_TEST

START_TEST(duplicate_header_column_is_refused)
{
    expect_refused("身份证号,姓名,身份证号,乡镇,村\n430923195001011006,甲,,冷市镇,南华村\n",
                   "the header has two 'id_number' columns: 身份证号 (column 1) and 身份证号 "
                   "(column 3)");
    expect_refused("姓名,id_number,乡镇,村,公民身份号码\n甲,430923195001011006,冷市镇,南华村,\n",
                   "two 'id_number' columns");
    expect_refused("身份证号,姓名,乡镇,村,\xe5\x90\x8d\x1b\n430923195001011006,甲,冷市镇,南华村,x\n",
                   "the header's column 5 contains a control character U+001B");
}
END_TEST

/* Full-width digits and X from a Chinese input method: the ID number and the phone
 * are stored as ASCII; lengths and positions in reasons count characters. */
START_TEST(fullwidth_id_number_is_folded)
{
    db_t d;
    import_summary_t sum;
    char path[256], report[300], text[2048], wide[IDCARD_LEN * 3 + 8], ids[4][IDCARD_LEN + 1];
    char cols[4][32], reasons[4][256], rows[256];
    size_t lines[4], used = 0;
    store_resident_t r;

    db_open(&d, "lengshi-2024.json");
    for (size_t i = 0; i < 4; i++)
        person_id(i, ids[i]);
    /* ids[0] in full-width characters */
    for (size_t i = 0; i < IDCARD_LEN; i++) {
        unsigned cp = 0xFF10 + (unsigned)(ids[0][i] - '0');
        if (ids[0][i] == 'X')
            cp = 0xFF38;
        wide[used++] = (char)(0xE0 | cp >> 12);
        wide[used++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        wide[used++] = (char)(0x80 | (cp & 0x3F));
    }
    wide[used] = '\0';
    snprintf(text, sizeof text,
             "person_id,name,phone,township,village\n"
             "%s,甲,１３８ ００００ ０００１,冷市镇,南华村\n"
             "%.51s,乙,,冷市镇,南华村\n"
             "%.17s号,丙,,冷市镇,南华村\n"
             "%s,丁,１３８号,冷市镇,南华村\n",
             wide, wide, ids[2], ids[3]);
    tmp_path(&d, "wide.csv", path, sizeof path);
    snprintf(report, sizeof report, "%s.report.csv", path);
    spew(path, text);
    import_ok(&d, "roster", NULL, path, report, &sum);
    expect_sum(&sum, 1, 0, 0, 3);
    resident(&d, ids[0], &r);
    ck_assert_str_eq(r.name, "甲");
    store_resident_free(&r);
    sql_rows(&d, "SELECT id_number || ' ' || phone FROM person", NULL, rows, sizeof rows);
    ck_assert_str_eq(rows + IDCARD_LEN, " 13800000001\n");
    ck_assert_int_eq(memcmp(rows, ids[0], IDCARD_LEN), 0);
    ck_assert_uint_eq(read_reasons(report, lines, cols, reasons, 4), 3);
    ck_assert_str_eq(reasons[0], "17 characters, expected 18"); /* not 51 bytes */
    ck_assert_str_eq(reasons[1], "'号' at position 18 is not a digit or X");
    ck_assert_str_eq(cols[2], "phone");
    ck_assert_str_eq(reasons[2], "contains the character '号'");
    db_close(&d);
}
END_TEST

/* A rejection whose reason carries control characters (say, from a handler quoting
 * what it read): the report escapes them, and it is mode 0600 even when a report
 * of an earlier run was there with wider rights. */
static int reject_loudly(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    (void)ud;
    (void)f;
    rej->col = 0;
    snprintf(rej->reason, sizeof rej->reason, "bad \x1b[2J\a value \xc2\x85 \xef\xbb\xbf end");
    return IMPORT_REJECTED;
}

START_TEST(report_is_private_and_escaped)
{
    static const char *const names[] = {"a", NULL};
    static const import_col_t cols[] = {{"a", names, 1, 10}};
    import_kind_t k = {.what = "test", .cols = cols, .ncols = 1, .row = reject_loudly};
    db_t d;
    import_summary_t sum;
    char path[256], report[300], err[512] = "", *text;
    struct stat sb;
    mode_t old;

    db_open(&d, "lengshi-2024.json");
    tmp_path(&d, "t.csv", path, sizeof path);
    snprintf(report, sizeof report, "%s.rejected.csv", path);
    spew(path, "a\nx\n");
    spew(report, "an earlier report\n");
    ck_assert_int_eq(chmod(report, 0644), 0);
    old = umask(0); /* nothing masks a wider mode away */
    ck_assert_int_eq(import_run(d.st, &k, path, NULL, 0, &sum, err, sizeof err), CB_OK);
    umask(old);
    ck_assert_uint_eq(sum.rejected, 1);
    ck_assert_int_eq(stat(report, &sb), 0);
    ck_assert_msg((sb.st_mode & 07777) == 0600, "mode %o", (unsigned)(sb.st_mode & 07777));
    text = slurp(report, NULL);
    ck_assert_str_eq(text, "line,column,reason,id_number\n"
                           "\"2\",\"a\",\"bad \\x1B[2J\\x07 value \\u0085 \\uFEFF end\",\"\"\n");
    free(text);
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
    tcase_add_loop_test(tc, hostile_character_rejects_its_row, 0,
                        (int)(sizeof hostile / sizeof hostile[0]));
    tcase_add_test(tc, cr_only_file_reads_its_lines);
    tcase_add_test(tc, header_only_file_is_refused);
    tcase_add_test(tc, duplicate_header_column_is_refused);
    tcase_add_test(tc, fullwidth_id_number_is_folded);
    tcase_add_test(tc, report_is_private_and_escaped);
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
