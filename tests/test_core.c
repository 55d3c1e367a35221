/* SPDX-License-Identifier: MIT */
/* test_core.c - dates, phones, identifiers and text from outside, masking, money, statuses,
 * key set, string map, progress, outside text made safe for output. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/ident.h"
#include "core/keyset.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/num.h"
#include "core/phone.h"
#include "core/progress.h"
#include "core/safetext.h"
#include "core/status.h"
#include "core/strmap.h"
#include "core/utf8.h"

START_TEST(test_date)
{
    cb_date_t d, e;
    char buf[11];
    int y, m, dd;

    ck_assert_int_eq(date_parse("1970-01-01", 10, &d), CB_OK);
    ck_assert_int_eq(d, 0);
    ck_assert_int_eq(date_parse("2024-02-29", 10, &d), CB_OK);
    date_format(d, buf);
    ck_assert_str_eq(buf, "2024-02-29");
    ck_assert_int_eq(date_parse("2023-02-29", 10, &d), CB_EINVAL);
    ck_assert_int_eq(date_parse("2021/9/1", 8, &d), CB_OK);
    ck_assert_int_eq(date_parse("20210901", 8, &e), CB_OK);
    ck_assert_int_eq(d, e);
    date_to_ymd(d, &y, &m, &dd);
    ck_assert(y == 2021 && m == 9 && dd == 1);
    ck_assert_int_eq(date_parse("2021-09-1x", 10, &d), CB_EPARSE);
    ck_assert_int_eq(date_parse("2021-13-01", 10, &d), CB_EINVAL);
    ck_assert_int_eq(date_parse("", 0, &d), CB_EPARSE);
    /* 2024-01-01 00:30 in China is still 2023-12-31 in UTC. */
    ck_assert_int_eq(date_parse("2024-01-01", 10, &e), CB_OK);
    ck_assert_int_eq(date_from_unix(1704040200, 8 * 3600), e);
    ck_assert_int_eq(date_from_unix(1704040200, 0), e - 1);
    /* Times of day and month-days, as the config and --now write them. */
    ck_assert_int_eq(date_parse_hhmm("09:30", 5, 23, &y), CB_OK);
    ck_assert_int_eq(y, 570);
    ck_assert_int_eq(date_parse_hhmm("7:05", 4, 23, &y), CB_OK);
    ck_assert_int_eq(y, 425);
    ck_assert_int_eq(date_parse_hhmm("24:00", 5, 23, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_hhmm("24:00", 5, 24, &y), CB_OK);
    ck_assert_int_eq(date_parse_hhmm(" 9:30", 5, 23, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_hhmm("+9:30", 5, 23, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_hhmm("09:60", 5, 23, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_hhmm("09:3", 4, 23, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_mmdd("12-01", 5, &y), CB_OK);
    ck_assert_int_eq(y, 1201);
    ck_assert_int_eq(date_parse_mmdd("9-30", 4, &y), CB_OK);
    ck_assert_int_eq(y, 930);
    ck_assert_int_eq(date_parse_mmdd("13-01", 5, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_mmdd("12-00", 5, &y), CB_EPARSE);
    ck_assert_int_eq(date_parse_mmdd("12-01x", 6, &y), CB_EPARSE);
}
END_TEST

START_TEST(test_utf8)
{
    const char *id = "４３０５２４"; /* full-width digits: 6 characters, 18 bytes */

    ck_assert(utf8_valid(id, strlen(id)));
    ck_assert_int_eq(utf8_chars(id, strlen(id)), 6);
    ck_assert_uint_eq(utf8_width(id, strlen(id)), 12);
    ck_assert_uint_eq(utf8_width("ab南华村", 11), 8);
    ck_assert(!utf8_valid("\xff", 1));
    ck_assert(!utf8_valid("\xed\xa0\x80", 3)); /* a surrogate */
    ck_assert_int_eq(utf8_chars("a\xc0\xaf", 3), -1); /* overlong */
    ck_assert_uint_eq(utf8_cut(id, strlen(id), 4), 3);  /* not inside the second digit */
    ck_assert_uint_eq(utf8_cut(id, strlen(id), 6), 6);
    ck_assert_uint_eq(utf8_cut(id, strlen(id), 100), 18);
    ck_assert_uint_eq(utf8_cut("abc", 3, 2), 2);
}
END_TEST

START_TEST(test_buf)
{
    cb_buf_t b;
    char *p;

    buf_init(&b, 10);
    ck_assert_int_eq(buf_add(&b, "abc", 3), CB_OK);
    ck_assert_int_eq(buf_printf(&b, "-%d-", 42), CB_OK);
    ck_assert_str_eq(b.p, "abc-42-");
    ck_assert_int_eq(buf_add(&b, "xyzw", 4), CB_ETOOBIG); /* 11 > 10: nothing added */
    ck_assert(b.full);
    ck_assert_str_eq(b.p, "abc-42-");
    ck_assert_int_eq(buf_add(&b, "xyz", 3), CB_OK);      /* exactly the bound */
    ck_assert_uint_eq(b.len, 10);
    p = buf_take(&b);
    ck_assert_str_eq(p, "abc-42-xyz");
    free(p);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_ptr_null(b.p);
    p = buf_take(&b); /* empty: "" */
    ck_assert_str_eq(p, "");
    free(p);
    buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        ck_assert_int_eq(buf_printf(&b, "%04d", i % 10000), CB_OK);
    ck_assert_uint_eq(b.len, 40000);
    ck_assert_uint_eq(strlen(b.p), 40000);
    buf_free(&b);
}
END_TEST

START_TEST(test_phone)
{
    char out[PHONE_LEN + 1], why[128];

    ck_assert_int_eq(phone_normalise("13812345678", 11, out, why, sizeof why), 0);
    ck_assert_str_eq(out, "13812345678");
    ck_assert_int_eq(phone_normalise("+86 138-1234-5678", 17, out, why, sizeof why), 0);
    ck_assert_str_eq(out, "13812345678");
    ck_assert_int_eq(phone_normalise("0730-8423329", 12, out, why, sizeof why), CB_EPARSE);
    ck_assert_ptr_nonnull(strstr(why, "landline"));
    ck_assert_int_eq(phone_normalise("1381234567O", 11, out, why, sizeof why), CB_EPARSE);
    ck_assert_ptr_nonnull(strstr(why, "'O'"));
    ck_assert_int_eq(phone_normalise("12812345678", 11, out, why, sizeof why), CB_EPARSE);
    ck_assert_int_eq(phone_normalise("1381234567", 10, out, why, sizeof why), CB_EPARSE);
    ck_assert_ptr_nonnull(strstr(why, "11 digits"));
    /* Full-width digits, '＋', '－' and spaces read as ASCII. */
    ck_assert_int_eq(phone_normalise("＋８６ １３８－１２３４－５６７８", 49, out, why, sizeof why), 0);
    ck_assert_str_eq(out, "13812345678");
    ck_assert_int_eq(phone_normalise("138号12345678", 14, out, why, sizeof why), CB_EPARSE);
    ck_assert_str_eq(why, "contains the character '号'");
    /* A control character is named, never copied into the reason. */
    ck_assert_int_eq(phone_normalise("1381234\x1b" "5678", 12, out, why, sizeof why), CB_EPARSE);
    ck_assert_str_eq(why, "contains the character U+001B");
}
END_TEST

START_TEST(test_mask)
{
    char out[32];

    mask_id("430623199001011234", out, sizeof out);
    ck_assert_str_eq(out, "430623********1234");
    mask_phone("13812345678", out, sizeof out);
    ck_assert_str_eq(out, "138****5678");
    mask_name("张三丰", out, sizeof out);
    ck_assert_str_eq(out, "张**");
    mask_name("", out, sizeof out);
    ck_assert_str_eq(out, "");
    mask_id("430623199001011234", out, 8); /* truncated, still terminated */
    ck_assert_str_eq(out, "430623*");
    mask_apply(MASK_ID, "430623199001011234", out, sizeof out);
    ck_assert_str_eq(out, "430623********1234");
    mask_apply(MASK_PHONE, "13812345678", out, sizeof out);
    ck_assert_str_eq(out, "138****5678");
    mask_apply(MASK_NAME, "欧阳小明", out, sizeof out);
    ck_assert_str_eq(out, "欧***");
}
END_TEST

/* mask_text of 's' as a new string, for comparing. */
static char *masked(const char *s)
{
    static char out[512]; /* the test runs in one thread */

    mask_text(s, out, sizeof out);
    return out;
}

START_TEST(test_mask_text)
{
    char small[8];

    ck_assert_str_eq(masked("我的身份证430524199001011234 电话13812345678"),
                     "我的身份证430524********1234 电话138****5678");
    /* X as the check character, lower case too; the old 15-digit numbers */
    ck_assert_str_eq(masked("身份证43052419900101123x。"), "身份证430524********123X。");
    ck_assert_str_eq(masked("老证430524900101123"), "老证430524*****1123");
    /* a country code stays, separators go */
    ck_assert_str_eq(masked("+86 138-1234-5678"), "+86 138****5678");
    ck_assert_str_eq(masked("8613812345678/008613912345678"), "86138****5678/0086139****5678");
    ck_assert_str_eq(masked("打138 1234 5678找我"), "打138****5678找我");
    /* full-width digits (and Ｘ) are digits */
    ck_assert_str_eq(masked("电话１３８１２３４５６７８"), "电话138****5678");
    ck_assert_str_eq(masked("４３０５２４１９９００１０１１２３Ｘ"), "430524********123X");
    /* a number next to another number is part of it: one reply, two numbers */
    ck_assert_str_eq(masked("放弃 2 13812345678 2人"), "放弃 2 138****5678 2人");
    /* left alone: receipts, amounts, dates, landlines, longer runs, no birth date */
    ck_assert_str_eq(masked("票号 123456 交了380元"), "票号 123456 交了380元");
    ck_assert_str_eq(masked("2023-11-20 0730-8423329"), "2023-11-20 0730-8423329");
    ck_assert_str_eq(masked("138123456789"), "138123456789");
    ck_assert_str_eq(masked("12812345678"), "12812345678");
    ck_assert_str_eq(masked("票号334016210200123456"), "票号334016210200123456");
    ck_assert_str_eq(masked("4305241990010112345"), "4305241990010112345");
    ck_assert_str_eq(masked("masked 138****5678"), "masked 138****5678");
    ck_assert_str_eq(masked(""), "");
    /* never longer than the input; truncated output is still terminated */
    mask_text("13812345678", small, sizeof small);
    ck_assert_str_eq(small, "138****");
    {
        char *d = mask_text_dup("ID 430524199001011234");
        ck_assert_str_eq(d, "ID 430524********1234");
        free(d);
        ck_assert_ptr_null(mask_text_dup(NULL));
    }
}
END_TEST

/* safetext_term of the NUL-terminated 's', for comparing. */
static char *term(const char *s)
{
    static char out[512];

    safetext_term(s, strlen(s), out, sizeof out);
    return out;
}

START_TEST(test_safetext_term)
{
    char buf[16];

    ck_assert_str_eq(term("已缴费 paid"), "已缴费 paid");
    ck_assert_str_eq(term("\x1b[2J\x1b]0;owned\x07"), "\\x1b[2J\\x1b]0;owned\\x07");
    ck_assert_str_eq(term("a\nb\rc\td\x7f"), "a\\x0ab\\x0dc\\x09d\\x7f");
    /* C1 controls (CSI U+009B), bidi overrides and isolates, line separator */
    ck_assert_str_eq(term("\xc2\x9b" "2J"), "\\u009b2J");
    ck_assert_str_eq(term("\xe2\x80\xae" "gpj.exe" "\xe2\x81\xa6" "x" "\xe2\x81\xa9" "\xe2\x80\xa8"),
                     "\\u202egpj.exe\\u2066x\\u2069\\u2028");
    /* invalid UTF-8: a stray byte, a truncated sequence, an overlong '/', a surrogate */
    ck_assert_str_eq(term("a\xff" "b\xe4\xbd"), "a\\xffb\\xe4\\xbd");
    ck_assert_str_eq(term("\xc0\xaf" "\xed\xa0\x80"), "\\xc0\\xaf\\xed\\xa0\\x80");
    /* an embedded NUL counts as a byte of the text */
    ck_assert_uint_eq(safetext_term("a\0b", 3, buf, sizeof buf), 6);
    ck_assert_str_eq(buf, "a\\x00b");
    /* too small: cut between escapes, terminated, the full length returned */
    ck_assert_uint_eq(safetext_term("ab\x1b\x1b", 4, buf, 7), 10);
    ck_assert_str_eq(buf, "ab\\x1b");
    /* the lines variant keeps newline and tab; the quoted one escapes '"' */
    safetext_escape("a\n\tb\r\"", 6, SAFETEXT_LINES, buf, sizeof buf);
    ck_assert_str_eq(buf, "a\n\tb\\x0d\"");
    safetext_escape("say \"hi\"", 8, SAFETEXT_QUOTE, buf, sizeof buf);
    ck_assert_str_eq(buf, "say \\\"hi\\\"");
}
END_TEST

/* What 'fn' wrote to a memory stream, as a new string. */
static char *written(void (*fn)(FILE *, const char *), const char *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(fp);
    fn(fp, arg);
    fclose(fp);
    return text;
}

static void one_line(FILE *fp, const char *s)
{
    safetext_printf(fp, "%6d  %s\n", 7, s);
}

static void three_cells(FILE *fp, const char *s)
{
    safetext_csv_cell(fp, s, 0);
    safetext_csv_cell(fp, "张三", 0);
    safetext_csv_cell(fp, s, 1);
}

static void quoted_cells(FILE *fp, const char *s)
{
    safetext_csv_quoted(fp, s, 0);
    safetext_csv_quoted(fp, "a\"b", 1);
}

START_TEST(test_safetext_files)
{
    static const struct {
        const char *in, *csv;
    } cells[] = {
        {"=HYPERLINK(\"http://x\")",
         "\"'=HYPERLINK(\"\"http://x\"\")\",张三,\"'=HYPERLINK(\"\"http://x\"\")\"\n"},
        {"+1", "\"'+1\",张三,\"'+1\"\n"},
        {"-2+3", "\"'-2+3\",张三,\"'-2+3\"\n"},
        {"@SUM(A1)", "\"'@SUM(A1)\",张三,\"'@SUM(A1)\"\n"},
        {"a,b", "\"a,b\",张三,\"a,b\"\n"},
        {"line\nbreak\x1b", "line\\x0abreak\\x1b,张三,line\\x0abreak\\x1b\n"},
        {"", ",张三,\n"},
        {"1=1", "1=1,张三,1=1\n"},
    };
    char *t = written(one_line, "\x1b[2Jhi\nthere\n");

    /* one row: the text's own line ends are escaped, the format's last one stays */
    ck_assert_str_eq(t, "     7  \\x1b[2Jhi\\x0athere\\x0a\n");
    free(t);
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        t = written(three_cells, cells[i].in);
        ck_assert_str_eq(t, cells[i].csv);
        free(t);
    }
    t = written(quoted_cells, "-1\x07");
    ck_assert_str_eq(t, "\"'-1\\x07\",\"a\"\"b\"\n");
    free(t);
}
END_TEST

START_TEST(test_safetext_json)
{
    const char *hostile = "\x1b[2J\xc2\x9b\xe2\x80\xae" "ok\x7f\xff";
    cJSON *o = cJSON_CreateObject(), *back;
    char *raw, *safe;

    cJSON_AddStringToObject(o, "text", hostile);
    raw = cJSON_PrintUnformatted(o);
    /* cJSON escapes ESC, but copies C1, bidi, DEL and the invalid byte raw */
    ck_assert_ptr_nonnull(strstr(raw, "\\u001b[2J"));
    ck_assert_ptr_nonnull(strchr(raw, '\xff'));
    safe = safetext_json(raw);
    ck_assert_str_eq(safe, "{\"text\":\"\\u001b[2J\\u009b\\u202eok\\u007f\\ufffd\"}");
    back = cJSON_Parse(safe);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(cJSON_GetObjectItem(back, "text")->valuestring,
                     "\x1b[2J\xc2\x9b\xe2\x80\xae" "ok\x7f\xef\xbf\xbd");
    cJSON_Delete(back);
    free(safe);
    cJSON_free(raw);
    /* printed with layout: newlines and tabs between the members stay */
    raw = cJSON_Print(o);
    safe = safetext_json(raw);
    ck_assert_ptr_nonnull(strstr(safe, "{\n\t\"text\""));
    free(safe);
    cJSON_free(raw);
    ck_assert_ptr_null(safetext_json(NULL));
    cJSON_Delete(o);
}
END_TEST

START_TEST(test_money_num)
{
    int64_t v;
    char buf[24];

    ck_assert_int_eq(money_parse_yuan("380.00", 6, &v), CB_OK);
    ck_assert_int_eq(v, 38000);
    ck_assert_int_eq(money_parse_yuan("190.5", 5, &v), CB_OK);
    ck_assert_int_eq(v, 19050);
    ck_assert_int_eq(money_parse_yuan("1,020", 5, &v), CB_OK);
    ck_assert_int_eq(v, 102000);
    ck_assert_int_eq(money_parse_yuan("-5", 2, &v), CB_EPARSE);
    ck_assert_int_eq(money_parse_yuan("3.805", 5, &v), CB_EPARSE);
    ck_assert_int_eq(money_parse_yuan("abc", 3, &v), CB_EPARSE);
    money_format(16000, buf);
    ck_assert_str_eq(buf, "160.00");
    money_format_yuan(38000, buf);
    ck_assert_str_eq(buf, "380");
    money_format_yuan(19050, buf);
    ck_assert_str_eq(buf, "190.50");
    money_format_yuan(5, buf);
    ck_assert_str_eq(buf, "0.05");
    money_format_yuan(0, buf);
    ck_assert_str_eq(buf, "0");
    ck_assert_int_eq(num_parse_count("31,473", 6, &v), CB_OK);
    ck_assert_int_eq(v, 31473);
    ck_assert_int_eq(num_parse_count("12a", 3, &v), CB_EPARSE);
    ck_assert_int_eq(num_parse_count("", 0, &v), CB_EPARSE);
}
END_TEST

START_TEST(test_status)
{
    ck_assert_int_eq(status_parse_roster("paid", 4), PS_PAID);
    ck_assert_int_eq(status_parse_roster("职工医保", strlen("职工医保")), PS_EMPLOYEE_INSURED);
    ck_assert_int_eq(status_parse_roster("waived", 6), -1); /* needs a worker's confirmation */
    ck_assert_int_eq(status_from_name("insured_elsewhere"), PS_INSURED_ELSEWHERE);
    ck_assert_str_eq(status_name(PS_DECEASED), "deceased");
    ck_assert(status_is_covered(PS_EMPLOYEE_INSURED));
    ck_assert(!status_is_covered(PS_WAIVED));
}
END_TEST

START_TEST(test_keyset_strmap)
{
    keyset_t *ks = keyset_create(0);
    strmap_t *m = strmap_create();
    int64_t v = 0;

    for (int64_t k = 1; k <= 100000; k++)
        ck_assert_uint_eq(keyset_add(ks, k * 7919, (size_t)k + 1), 0);
    ck_assert_uint_eq(keyset_add(ks, 7919 * 500, 999999), 501);
    for (int i = 0; i < 5000; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "村%d", i);
        strmap_put(m, key, (size_t)n, i);
    }
    ck_assert(strmap_get(m, "村4321", strlen("村4321"), &v));
    ck_assert_int_eq(v, 4321);
    ck_assert(!strmap_get(m, "村5000", strlen("村5000"), &v));
    keyset_destroy(ks);
    strmap_destroy(m);
}
END_TEST

START_TEST(test_progress)
{
    progress_t *p = progress_create();
    const progress_row_t *r;
    size_t n;

    progress_add_area(p, 1, 0, 1, "冷市镇");
    progress_add_area(p, 2, 1, 2, "南华村");
    progress_add_area(p, 3, 2, 3, "1组");
    progress_add_area(p, 4, 1, 2, "文昌村");
    progress_add_count(p, 3, PS_PAID, 0, 60);
    progress_add_count(p, 3, PS_UNPAID, 1, 30);
    progress_add_count(p, 3, PS_PAID, 1, 10);
    progress_add_count(p, 4, PS_EMPLOYEE_INSURED, 0, 5);
    progress_add_count(p, 4, PS_PAID, 0, 20);
    progress_add_count(p, 4, PS_DECEASED, 0, 3);
    progress_set_target(p, 2, 80);
    progress_set_target(p, 4, 40);

    r = progress_rows(p, 2, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(r[0].village, "南华村");
    ck_assert_int_eq(r[0].registered, 100);
    ck_assert_int_eq(r[0].by_status[PS_PAID], 70);
    ck_assert_double_eq_tol(r[0].progress, 70.0 / 80.0, 1e-9);
    ck_assert_double_eq_tol(r[0].special_coverage, 10.0 / 40.0, 1e-9);
    ck_assert_int_eq(r[0].rank, 1);
    ck_assert_int_eq(r[1].registered, 25); /* the deceased are not registered */
    ck_assert_double_eq_tol(r[1].coverage, 1.0, 1e-9);
    ck_assert_int_eq(r[1].rank, 2);
    r = progress_rows(p, 1, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(r[0].target, 120); /* the villages' targets summed */
    ck_assert_int_eq(r[0].by_status[PS_PAID], 90);
    r = progress_rows(p, 0, &n);
    ck_assert_int_eq(r[0].registered, 125);
    /* Asking again gives the same figures: nothing is summed twice. */
    r = progress_rows(p, 1, &n);
    ck_assert_int_eq(r[0].by_status[PS_PAID], 90);
    ck_assert_int_eq(progress_row_paid_asof(&r[0], 100), 90); /* no payment days: paid */
    /* Payment days roll up like the counts: 0 is undated (paid on every day). */
    progress_add_paid_on(p, 3, 100, 40);
    progress_add_paid_on(p, 3, 0, 5);
    progress_add_paid_on(p, 4, 120, 20);
    progress_add_paid_on(p, 3, 130, 25);
    r = progress_rows(p, 1, &n);
    ck_assert_int_eq(progress_row_paid_asof(&r[0], 99), 5);
    ck_assert_int_eq(progress_row_paid_asof(&r[0], 120), 65);
    ck_assert_int_eq(progress_row_paid_asof(&r[0], 200), 90);
    r = progress_rows(p, 2, &n);
    ck_assert_int_eq(progress_row_paid_asof(&r[0], 129), 45);
    ck_assert_int_eq(progress_row_paid_asof(&r[1], 129), 20);
    r = progress_rows(p, 0, &n);
    ck_assert_int_eq(progress_row_paid_asof(&r[0], 120), 65);
    progress_destroy(p);
}
END_TEST

/* core/ident.h: the sets every inbound hook checks against. */
START_TEST(test_ident)
{
    char why[128];
    int64_t v;

    ck_assert_int_eq(ident_check("A-z.0_9:x", 9, IDENT_MAX, why, sizeof why), CB_OK);
    ck_assert_int_eq(ident_check("a\r\nb", 4, IDENT_MAX, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "contains a control character");
    ck_assert_int_eq(ident_check("a\0b", 3, IDENT_MAX, why, sizeof why), CB_EINVAL); /* len counts */
    ck_assert_str_eq(why, "contains a control character");
    ck_assert_int_eq(ident_check("ab", 2, 1, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "longer than 1 characters");
    ck_assert_int_eq(ident_check("", 0, IDENT_MAX, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "missing");
    ck_assert_int_eq(ident_number("9223372036854775807", 19, &v, why, sizeof why), CB_OK);
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert_int_eq(ident_number("9223372036854775808", 19, &v, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "too large");
    ck_assert_int_eq(ident_number("-1", 2, &v, why, sizeof why), CB_EINVAL);
    ck_assert_int_eq(ident_text("一\t二\r\n", 9, 9, IDENT_TEXT_LINES, why, sizeof why), CB_OK);
    ck_assert_int_eq(ident_text("一\t二", 7, 10, IDENT_TEXT_LINE, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "contains a control character");
    ck_assert_int_eq(ident_text("a\0", 2, 10, IDENT_TEXT_LINES, why, sizeof why), CB_EINVAL);
    ck_assert_int_eq(ident_text("\xc2\x85", 2, 10, IDENT_TEXT_LINES, why, sizeof why), CB_EINVAL);
    ck_assert_int_eq(ident_text("\xed\xa0\x80", 3, 10, IDENT_TEXT_LINES, why, sizeof why),
                     CB_EINVAL);
    ck_assert_str_eq(why, "not valid UTF-8");
    ck_assert_int_eq(ident_text("abc", 3, 2, IDENT_TEXT_LINES, why, sizeof why), CB_EINVAL);
    ck_assert_str_eq(why, "longer than 2 bytes");
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_date);
    tcase_add_test(tc, test_utf8);
    tcase_add_test(tc, test_buf);
    tcase_add_test(tc, test_phone);
    tcase_add_test(tc, test_ident);
    tcase_add_test(tc, test_mask);
    tcase_add_test(tc, test_mask_text);
    tcase_add_test(tc, test_safetext_term);
    tcase_add_test(tc, test_safetext_files);
    tcase_add_test(tc, test_safetext_json);
    tcase_add_test(tc, test_money_num);
    tcase_add_test(tc, test_status);
    tcase_add_test(tc, test_keyset_strmap);
    tcase_add_test(tc, test_progress);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(core_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
