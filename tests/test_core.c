/* SPDX-License-Identifier: MIT */
/* test_core.c - dates, phones, masking, money, statuses, key set, string map, progress. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"
#include "core/keyset.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/num.h"
#include "core/phone.h"
#include "core/progress.h"
#include "core/status.h"
#include "core/strmap.h"

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
    progress_destroy(p);
}
END_TEST

static Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_date);
    tcase_add_test(tc, test_phone);
    tcase_add_test(tc, test_mask);
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
