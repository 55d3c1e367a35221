/* SPDX-License-Identifier: MIT */
/* test_progress_pub.c - the MQTT progress messages: topics, payload fields, the LED
 * line's text and its GBK bytes, the AWTRIX variant. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/policy.h"
#include "core/progress.h"
#include "jobs/progress_pub.h"

static policy_t *pol;
static progress_t *prog;

/* Township 南华镇 (1) with villages 东村 (2), 西村 (3), 南华村 (4): 南华村 ranks third. */
static void setup(void)
{
    char path[512], err[256] = "";

    snprintf(path, sizeof path, "%s/pingli-2022.json", CB_EXAMPLES);
    ck_assert_msg(policy_load(path, &pol, err, sizeof err) == 0, "%s", err);
    prog = progress_create();
    progress_add_area(prog, 1, 0, 1, "南华镇");
    progress_add_area(prog, 2, 1, 2, "东村");
    progress_add_area(prog, 3, 1, 2, "西村");
    progress_add_area(prog, 4, 1, 2, "南华村");
    progress_add_count(prog, 2, PS_PAID, 0, 10);
    progress_add_count(prog, 3, PS_PAID, 0, 10);
    progress_add_count(prog, 4, PS_PAID, 0, 2311);
    progress_add_count(prog, 4, PS_UNPAID, 1, 150);
    progress_add_count(prog, 4, PS_WAIVED, 1, 10);
    progress_set_target(prog, 2, 10);
    progress_set_target(prog, 3, 10);
    progress_set_target(prog, 4, 2471);
}

static void teardown(void)
{
    progress_destroy(prog);
    policy_destroy(pol);
}

static cb_date_t ymd(int y, int m, int d)
{
    cb_date_t out = 0;
    ck_assert_int_eq(date_from_ymd(y, m, d, &out), 0);
    return out;
}

static const pub_msg_t *find(const pub_msg_t *m, size_t n, const char *topic)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(m[i].topic, topic) == 0)
            return &m[i];
    }
    ck_abort_msg("no message on %s", topic);
    return NULL;
}

START_TEST(topics_and_progress)
{
    pub_opts_t o = {NULL, "pingli", NULL, 1637000000, NULL, NULL};
    pub_msg_t *m = NULL;
    size_t n = 0;
    char err[256] = "";
    const pub_msg_t *v;
    cJSON *j, *next;

    ck_assert_int_eq(progress_pub_build(prog, pol, ymd(2021, 11, 10), &o, &m, &n, err,
                                        sizeof err), CB_OK);
    ck_assert_uint_eq(n, 3 * 5); /* county, township, 3 villages */
    ck_assert_str_eq(m[0].topic, "canbao/pingli/progress");
    ck_assert_str_eq(m[3].topic, "canbao/pingli/a1/progress");
    find(m, n, "canbao/pingli/a1/led");
    v = find(m, n, "canbao/pingli/a1/a4/progress");
    j = cJSON_Parse(v->payload);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "name")->valuestring, "南华村");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "code")->valuestring, "a4");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "township")->valuestring, "南华镇");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "level")->valuestring, "village");
    ck_assert_int_eq(cJSON_GetObjectItem(j, "registered")->valueint, 2471);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "target")->valueint, 2471);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "paid")->valueint, 2311);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "waived")->valueint, 10);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "unpaid")->valueint, 150);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "rank")->valueint, 3);
    ck_assert_int_eq(cJSON_GetObjectItem(j, "updated")->valueint, 1637000000);
    ck_assert_double_eq_tol(cJSON_GetObjectItem(j, "progress")->valuedouble, 2311.0 / 2471, 1e-9);
    ck_assert_double_eq_tol(cJSON_GetObjectItem(j, "special_coverage")->valuedouble, 0, 1e-9);
    /* 80% by 2021-11-30 is met (1977), so the next is 100% by 2021-12-25. */
    next = cJSON_GetObjectItem(j, "next_milestone");
    ck_assert_str_eq(cJSON_GetObjectItem(next, "date")->valuestring, "2021-12-25");
    ck_assert_int_eq(cJSON_GetObjectItem(next, "needed")->valueint, 2471);
    ck_assert_int_eq(cJSON_GetObjectItem(next, "to_go")->valueint, 160);
    cJSON_Delete(j);

    v = find(m, n, "canbao/pingli/a1/a4/led");
    ck_assert_str_eq(v->payload, "南华村 参保 2311/2471 93.5% 第3名");
    ck_assert_uint_eq(v->len, strlen(v->payload));
    v = find(m, n, "canbao/pingli/a1/a4/awtrix");
    ck_assert_str_eq(v->payload,
                     "{\"text\":\"a4 2311/2471 93.5% #3\",\"progress\":94,\"color\":\"#FFFF00\"}");
    v = find(m, n, "canbao/pingli/led");
    ck_assert_str_eq(v->payload, "平利县 参保 2331/2491 93.6%");
    progress_pub_free(m, n);
}
END_TEST

/* The filter: only 西村 (3), and its rank still comes from all its siblings. */
static int only_west(void *ud, const progress_row_t *r)
{
    (*(int *)ud)++;
    return r->area_id == 3;
}

START_TEST(only_wanted_areas)
{
    int asked = 0;
    pub_opts_t o = {NULL, "pingli", NULL, 0, only_west, &asked};
    pub_msg_t *m = NULL;
    size_t n = 0;
    char err[256] = "";

    ck_assert_int_eq(progress_pub_build(prog, pol, ymd(2021, 11, 10), &o, &m, &n, err,
                                        sizeof err), CB_OK);
    ck_assert_int_eq(asked, 5); /* county, township, three villages */
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(m[0].topic, "canbao/pingli/a1/a3/progress");
    ck_assert_str_eq(m[1].payload, "西村 参保 10/10 100.0% 第1名");
    progress_pub_free(m, n);
}
END_TEST

START_TEST(led_gbk)
{
    static const unsigned char want[] = {
        0xc4, 0xcf, 0xbb, 0xaa, 0xb4, 0xe5, 0x20, 0xb2, 0xce, 0xb1, 0xa3, 0x20, 0x32, 0x33, 0x31,
        0x31, 0x2f, 0x32, 0x34, 0x37, 0x31, 0x20, 0x39, 0x33, 0x2e, 0x35, 0x25, 0x20, 0xb5, 0xda,
        0x33, 0xc3, 0xfb};
    pub_opts_t o = {"x", NULL, "GBK", 0, NULL, NULL};
    pub_msg_t *m = NULL;
    size_t n = 0;
    char err[256] = "", *out = NULL;
    const pub_msg_t *v;

    ck_assert_int_eq(progress_pub_build(prog, pol, ymd(2021, 12, 26), &o, &m, &n, err,
                                        sizeof err), CB_OK);
    v = find(m, n, "x/county/a1/a4/led");
    ck_assert_uint_eq(v->len, sizeof want);
    ck_assert_mem_eq(v->payload, want, sizeof want);
    /* Past the last milestone and short of it: red. */
    v = find(m, n, "x/county/a1/a4/awtrix");
    ck_assert_ptr_nonnull(strstr(v->payload, "\"color\":\"#FF0000\""));
    v = find(m, n, "x/county/a1/a2/awtrix");
    ck_assert_ptr_nonnull(strstr(v->payload, "\"color\":\"#00FF00\""));
    progress_pub_free(m, n);

    ck_assert_int_eq(progress_pub_encode("x", "latin9", &out, &n), CB_EINVAL);
    ck_assert_int_eq(progress_pub_encode("😀", "gb2312", &out, &n), CB_EPARSE);
    o.led_encoding = "gb2312";
    ck_assert_int_eq(progress_pub_build(prog, pol, ymd(2021, 12, 26), &o, &m, &n, err,
                                        sizeof err), CB_OK);
    progress_pub_free(m, n);
}
END_TEST

START_TEST(led_without_target)
{
    progress_t *p = progress_create();
    size_t n;
    const progress_row_t *r;
    char line[128];

    progress_add_area(p, 7, 0, 1, "冷市镇");
    progress_add_count(p, 7, PS_PAID, 0, 3);
    progress_add_count(p, 7, PS_UNPAID, 0, 1);
    r = progress_rows(p, 1, &n);
    progress_pub_led(&r[0], "冷市镇", line, sizeof line);
    ck_assert_str_eq(line, "冷市镇 参保 3/4 75.0% 第1名");
    progress_pub_code(r[0].area_id, line, sizeof line);
    ck_assert_str_eq(line, "a7");
    progress_destroy(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("progress_pub");
    TCase *tc = tcase_create("pub");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, topics_and_progress);
    tcase_add_test(tc, led_gbk);
    tcase_add_test(tc, only_wanted_areas);
    tcase_add_test(tc, led_without_target);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
