/* SPDX-License-Identifier: MIT */
/* test_policy.c - the seed policies in examples/ with their real figures, what people
 * in one or several categories owe, late enrolment, and every validation message. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/err.h"
#include "core/policy.h"
#include "core/policy_rules.h"

static cb_date_t ymd(int y, int m, int d)
{
    cb_date_t out = 0;

    ck_assert_int_eq(date_from_ymd(y, m, d, &out), 0);
    return out;
}

static policy_t *load(const char *name)
{
    char path[512], err[256] = "";
    policy_t *p = NULL;

    snprintf(path, sizeof path, "%s/%s", CB_EXAMPLES, name);
    ck_assert_msg(policy_load(path, &p, err, sizeof err) == 0, "%s: %s", name, err);
    ck_assert_ptr_nonnull(p);
    return p;
}

static int find(const policy_t *p, const char *name)
{
    int k = policy_category_find(p, name, strlen(name));

    ck_assert_msg(k >= 0, "no category for %s", name);
    return k;
}

/* What someone in the categories named 'a' and (unless NULL) 'b' owes. */
static policy_owed_t owed(const policy_t *p, const char *a, const char *b)
{
    int cats[2];
    size_t n = 0;

    if (a != NULL)
        cats[n++] = find(p, a);
    if (b != NULL)
        cats[n++] = find(p, b);
    return policy_owed(p, cats, n);
}

/* Assert all of 'o'; 'winner' is the name of the category applied (NULL: none). */
static void expect(const policy_t *p, policy_owed_t o, int64_t pay_now, int64_t subsidy,
                   int64_t refund, pol_payer_t payer, const char *winner)
{
    ck_assert_int_eq(o.pay_now_fen, pay_now);
    ck_assert_int_eq(o.subsidy_fen, subsidy);
    ck_assert_int_eq(o.refund_fen, refund);
    ck_assert_int_eq(o.payer, payer);
    if (winner == NULL)
        ck_assert_int_eq(o.category, -1);
    else
        ck_assert_str_eq(policy_category(p, (size_t)o.category)->name, winner);
}

/* Each of the 'n' spellings alone owes the same, under its own category. */
static void expect_each(const policy_t *p, const char *const *names, size_t n, int64_t pay_now,
                        int64_t subsidy, int64_t refund, pol_payer_t payer)
{
    for (size_t i = 0; i < n; i++)
        expect(p, owed(p, names[i], NULL), pay_now, subsidy, refund, payer,
               policy_category(p, (size_t)find(p, names[i]))->name);
}

/* Every spelling /work/shared/tools/gen_roster.py writes must name a category. */
static void expect_roster_spellings(const policy_t *p)
{
    static const char *const spellings[] = {"低保",     "监测对象", "返贫致贫",        "特困",
                                            "重度残疾", "孤儿",     "事实无人抚养儿童"};

    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        ck_assert_int_ge(policy_category_find(p, spellings[i], strlen(spellings[i])), 0);
}

/* The figures every seed policy states, and the roster spellings it must know. */
static void expect_basics(const policy_t *p, const char *county, int year, cb_date_t start,
                          cb_date_t end, int64_t fee, int64_t funding, size_t ncats)
{
    ck_assert_str_eq(policy_county(p), county);
    ck_assert_int_eq(policy_year(p), year);
    ck_assert_int_eq(policy_window_start(p), start);
    ck_assert_int_eq(policy_window_end(p), end);
    ck_assert_int_eq(policy_fee_fen(p), fee);
    ck_assert_int_eq(policy_funding_fen(p), funding);
    ck_assert_uint_eq(policy_ncategories(p), ncats);
    expect_roster_spellings(p);
}

START_TEST(huarong_2022)
{
    static const char *const full[] = {"特困",      "特困供养人员", "孤儿", "事实无人抚养儿童",
                                       "1-2级残疾", "重度残疾"};
    static const char *const half[] = {"低保",           "低保对象", "监测对象",
                                       "低收入监测对象", "返贫致贫", "3-4级残疾"};
    policy_t *p = load("huarong-2022.json");
    const char *applies = "unset";

    expect_basics(p, "华容县", 2022, ymd(2021, 9, 1), ymd(2021, 12, 31), 32000, 90000, 8);
    ck_assert_str_eq(policy_issuer(p), "华容县人民政府办公室");
    ck_assert_str_eq(policy_payment_channels(p), "“湘税社保”APP、微信小程序或手机银行");
    ck_assert_int_eq(policy_extension_end(p, &applies), 0);
    ck_assert_ptr_null(applies);
    ck_assert_uint_eq(policy_nmilestones(p), 0);

    expect_each(p, full, sizeof full / sizeof full[0], 0, 32000, 0, POL_PAYER_DEPARTMENT);
    expect(p, owed(p, "重度残疾", NULL), 0, 32000, 0, POL_PAYER_DEPARTMENT, "1-2级残疾");
    expect_each(p, half, sizeof half / sizeof half[0], 16000, 16000, 0, POL_PAYER_RESIDENT);
    expect(p, owed(p, NULL, NULL), 32000, 0, 0, POL_PAYER_RESIDENT, NULL);

    /* 就高不就低: the full subsidy wins, in either order; equal subsidies go to the
     * category listed first in the policy. */
    expect(p, owed(p, "特困", "低保"), 0, 32000, 0, POL_PAYER_DEPARTMENT, "特困");
    expect(p, owed(p, "低保", "特困"), 0, 32000, 0, POL_PAYER_DEPARTMENT, "特困");
    expect(p, owed(p, "返贫致贫", "低保"), 16000, 16000, 0, POL_PAYER_RESIDENT, "低保");

    ck_assert_uint_eq(policy_nlate_windows(p), 3);
    ck_assert_str_eq(policy_late_window(p, 0)->name, "newborn");
    ck_assert_str_eq(policy_late_window(p, 0)->from, "birth");
    ck_assert_int_eq(policy_late_window(p, 0)->days, 90);
    ck_assert_str_eq(policy_late_window(p, 1)->name, "employee_insurance_ended");
    ck_assert_str_eq(policy_late_window(p, 1)->from, "lapse");
    ck_assert_int_eq(policy_late_window(p, 1)->days, 90);
    ck_assert_str_eq(policy_late_window(p, 2)->name, "monitored");
    ck_assert_int_eq(policy_late_window(p, 2)->cover, POL_COVER_FROM_PAYMENT);
    ck_assert_ptr_null(policy_late_window(p, 3));
    policy_destroy(p);
}
END_TEST

START_TEST(lengshi_2024)
{
    static const char *const full[] = {"特困", "特困人员", "重度残疾", "孤儿", "事实无人抚养儿童"};
    static const char *const half[] = {
        "低保",         "低保对象",       "监测对象", "防止返贫监测对象",        "脱贫不稳定户",
        "边缘易致贫户", "突发严重困难户", "低保边缘", "最低生活保障边缘家庭成员"};
    policy_t *p = load("lengshi-2024.json");

    expect_basics(p, "安化县", 2024, ymd(2023, 9, 1), ymd(2023, 12, 31), 38000, 102000, 7);
    ck_assert_str_eq(policy_issuer(p), "冷市镇人民政府");
    ck_assert_str_eq(policy_payment_channels(p), "村组POS机代收、湘税社保APP或手机银行");

    expect_each(p, full, sizeof full / sizeof full[0], 0, 38000, 0, POL_PAYER_DEPARTMENT);
    expect_each(p, half, sizeof half / sizeof half[0], 19000, 19000, 0, POL_PAYER_RESIDENT);
    /* The roster's 返贫致贫 is a 防止返贫监测对象 here. */
    expect(p, owed(p, "返贫致贫", NULL), 19000, 19000, 0, POL_PAYER_RESIDENT, "监测对象");
    expect(p, owed(p, "低保", "重度残疾"), 0, 38000, 0, POL_PAYER_DEPARTMENT, "重度残疾");
    expect(p, owed(p, NULL, NULL), 38000, 0, 0, POL_PAYER_RESIDENT, NULL);
    ck_assert_uint_eq(policy_nlate_windows(p), 3);
    /* 参保率98%以上，特殊群体100%; 每收缴一人3元，完成任务2000元，每少一个百分点扣50元. */
    ck_assert_int_eq(policy_targets(p)->coverage_percent, 98);
    ck_assert_int_eq(policy_targets(p)->special_percent, 100);
    ck_assert_int_eq(policy_agent_pay(p)->per_person_fen, 300);
    ck_assert_int_eq(policy_agent_pay(p)->reward_fen, 200000);
    ck_assert_int_eq(policy_agent_pay(p)->penalty_per_point_fen, 5000);
    ck_assert_int_eq(policy_promote_ecert(p), 0);
    policy_destroy(p);
}
END_TEST

START_TEST(pingli_2022)
{
    policy_t *p = load("pingli-2022.json");

    expect_basics(p, "平利县", 2022, ymd(2021, 10, 15), ymd(2021, 12, 25), 32000, 90000, 7);
    ck_assert_ptr_null(policy_payment_channels(p));

    /* The department pays the full subsidy in bulk. */
    expect(p, owed(p, "特困", NULL), 0, 32000, 0, POL_PAYER_DEPARTMENT, "特困");
    expect(p, owed(p, "特困供养人员", NULL), 0, 32000, 0, POL_PAYER_DEPARTMENT, "特困");
    expect(p, owed(p, "孤儿", NULL), 0, 32000, 0, POL_PAYER_DEPARTMENT, "孤儿");
    expect(p, owed(p, "事实无人抚养儿童", NULL), 0, 32000, 0, POL_PAYER_DEPARTMENT,
           "事实无人抚养儿童");
    /* 先缴后补: fixed subsidies are paid in full and refunded. */
    expect(p, owed(p, "低保", NULL), 32000, 16000, 16000, POL_PAYER_RESIDENT, "低保");
    expect(p, owed(p, "最低生活保障对象", NULL), 32000, 16000, 16000, POL_PAYER_RESIDENT, "低保");
    expect(p, owed(p, "重度残疾", NULL), 32000, 7000, 7000, POL_PAYER_RESIDENT, "重度残疾");
    expect(p, owed(p, "监测对象", NULL), 32000, 7000, 7000, POL_PAYER_RESIDENT, "监测对象");
    expect(p, owed(p, "返贫致贫", NULL), 32000, 16000, 16000, POL_PAYER_RESIDENT, "返贫致贫");
    expect(p, owed(p, NULL, NULL), 32000, 0, 0, POL_PAYER_RESIDENT, NULL);

    /* One subsidy, the highest, never a sum (70 + 160 would be 230). */
    expect(p, owed(p, "低保", "重度残疾"), 32000, 16000, 16000, POL_PAYER_RESIDENT, "低保");
    expect(p, owed(p, "重度残疾", "低保"), 32000, 16000, 16000, POL_PAYER_RESIDENT, "低保");
    expect(p, owed(p, "监测对象", "重度残疾"), 32000, 7000, 7000, POL_PAYER_RESIDENT, "重度残疾");
    expect(p, owed(p, "返贫致贫", "低保"), 32000, 16000, 16000, POL_PAYER_RESIDENT, "低保");
    expect(p, owed(p, "低保", "特困"), 0, 32000, 0, POL_PAYER_DEPARTMENT, "特困");

    ck_assert_uint_eq(policy_nmilestones(p), 2);
    ck_assert_int_eq(policy_milestone(p, 0)->date, ymd(2021, 11, 30));
    ck_assert_int_eq(policy_milestone(p, 0)->percent, 80);
    ck_assert_str_eq(policy_milestone_label(p, 0), "11月底最低完成80%");
    ck_assert_int_eq(policy_milestone(p, 1)->date, ymd(2021, 12, 25));
    ck_assert_int_eq(policy_milestone(p, 1)->percent, 100);
    ck_assert_ptr_null(policy_milestone(p, 2));
    ck_assert_ptr_null(policy_milestone_label(p, 2));
    /* Only special cases enrol late: the personal fee without subsidy, next month. */
    ck_assert_int_eq(policy_late_enrolment(p)->fee_fen, 32000);
    ck_assert_int_eq(policy_late_enrolment(p)->full_standard, 0);
    ck_assert_int_eq(policy_late_enrolment(p)->wait, POL_WAIT_NEXT_MONTH);
    ck_assert_ptr_nonnull(policy_late_enrolment(p)->open_to);
    ck_assert_int_eq(policy_subsidy_cutoff(p), ymd(2021, 9, 30));
    ck_assert_str_eq(policy_last_twice(p), "约谈");
    ck_assert_int_eq(policy_promote_ecert(p), 1);
    ck_assert_ptr_null(policy_targets(p));
    policy_destroy(p);
}
END_TEST

START_TEST(late_enrolment)
{
    policy_t *p = load("huarong-2022.json");
    const policy_late_enrolment_t *le = policy_late_enrolment(p);
    cb_date_t start = 0;

    /* Huarong: the funding standard, covered from the month after paying. */
    ck_assert_ptr_nonnull(le);
    ck_assert_int_eq(le->fee_fen, 90000);
    ck_assert_int_eq(le->wait, POL_WAIT_NEXT_MONTH);
    ck_assert_int_eq(policy_late_cover_start(p, ymd(2022, 1, 10), &start), 0);
    ck_assert_int_eq(start, ymd(2022, 2, 1));
    ck_assert_int_eq(policy_late_cover_start(p, ymd(2022, 12, 5), &start), 0);
    ck_assert_int_eq(start, ymd(2023, 1, 1));
    /* Never before the coverage year. */
    ck_assert_int_eq(policy_late_cover_start(p, ymd(2021, 11, 5), &start), 0);
    ck_assert_int_eq(start, ymd(2022, 1, 1));
    policy_destroy(p);

    /* Lengshi: the funding standard, covered 30 days after paying. */
    p = load("lengshi-2024.json");
    le = policy_late_enrolment(p);
    ck_assert_ptr_nonnull(le);
    ck_assert_int_eq(le->fee_fen, 102000);
    ck_assert_int_eq(le->wait, POL_WAIT_DAYS);
    ck_assert_int_eq(le->wait_days, 30);
    ck_assert_int_eq(policy_late_cover_start(p, ymd(2024, 1, 10), &start), 0);
    ck_assert_int_eq(start, ymd(2024, 2, 9));
    policy_destroy(p);

    /* Suizhou has no such rule (逾期不再征收). */
    p = load("suizhou-2022.json");
    start = 7;
    ck_assert_int_eq(policy_late_cover_start(p, ymd(2022, 1, 10), &start), CB_ENOTFOUND);
    ck_assert_int_eq(start, 7);
    policy_destroy(p);
}
END_TEST

/* Each seed's late rules, on a clock walked past its dates. */
START_TEST(seed_late_cases)
{
    policy_t *p = load("lengshi-2024.json");
    policy_late_case_t lc;

    /* Lengshi: a newborn born 2023-12-01 paying 2024-02-10 (day 71) is in the newborn
     * window: the personal fee, covered from birth, i.e. 1 January. */
    ck_assert_int_eq(policy_payment_when(p, ymd(2023, 12, 31), 0), POL_WHEN_WINDOW);
    ck_assert_int_eq(policy_payment_when(p, ymd(2024, 1, 1), 1), POL_WHEN_LATE);
    ck_assert_int_eq(policy_payment_when(p, ymd(2023, 8, 31), 0), POL_WHEN_EARLY);
    policy_late_case(p, ymd(2024, 2, 10), ymd(2023, 12, 1), 0, &lc);
    ck_assert(lc.allowed);
    ck_assert_str_eq(lc.rule, "newborn");
    ck_assert_int_eq(lc.fee_fen, 38000);
    ck_assert_int_eq(lc.cover_from, ymd(2024, 1, 1));
    /* Day 91: the funding standard, covered 30 days after paying (not "缴费次月"). */
    policy_late_case(p, ymd(2024, 3, 1), ymd(2023, 12, 1), 0, &lc);
    ck_assert_str_eq(lc.rule, "late_enrolment");
    ck_assert_int_eq(lc.fee_fen, 102000);
    ck_assert_int_eq(lc.full_standard, 1);
    ck_assert_int_eq(lc.cover_from, ymd(2024, 3, 31));
    /* Anyone else paying 2024-10-05: 1020 yuan, covered from 2024-11-04. */
    policy_late_case(p, ymd(2024, 10, 5), ymd(1980, 5, 1), 0, &lc);
    ck_assert_int_eq(lc.fee_fen, 102000);
    ck_assert_int_eq(lc.cover_from, ymd(2024, 11, 4));
    /* Employee insurance ended 2024-03-01, paid 2024-04-01: covered from the lapse. */
    policy_late_case(p, ymd(2024, 4, 1), ymd(1980, 5, 1), ymd(2024, 3, 1), &lc);
    ck_assert_str_eq(lc.rule, "employee_insurance_ended");
    ck_assert_int_eq(lc.cover_from, ymd(2024, 3, 1));
    policy_destroy(p);

    /* Pingli: no 90-day lapse window; a lapse is covered from the next month. */
    p = load("pingli-2022.json");
    ck_assert_int_eq(policy_payment_when(p, ymd(2021, 12, 26), 0), POL_WHEN_LATE);
    policy_late_case(p, ymd(2022, 8, 10), ymd(1980, 5, 1), ymd(2022, 1, 5), &lc);
    ck_assert_str_eq(lc.rule, "employee_insurance_ended");
    ck_assert_int_eq(lc.cover_from, ymd(2022, 9, 1));
    policy_late_case(p, ymd(2022, 1, 5), ymd(1980, 5, 1), 0, &lc);
    ck_assert_str_eq(lc.rule, "late_enrolment");
    ck_assert_int_eq(lc.fee_fen, 32000); /* the subsidy is lost */
    ck_assert_int_eq(lc.cover_from, ymd(2022, 2, 1));
    policy_destroy(p);

    /* Suizhou: the extension covers the flagged until the end of February; a newborn
     * after 90 days is covered from payment; a released prisoner after 90 days waits 3
     * months; ordinary residents cannot enrol late. */
    p = load("suizhou-2022.json");
    ck_assert_str_eq(policy_extension_flag(p), "外出务工");
    ck_assert_int_eq(policy_payment_when(p, ymd(2022, 2, 28), 1), POL_WHEN_EXTENSION);
    ck_assert_int_eq(policy_payment_when(p, ymd(2022, 2, 28), 0), POL_WHEN_LATE);
    ck_assert_int_eq(policy_payment_when(p, ymd(2022, 3, 1), 1), POL_WHEN_LATE);
    ck_assert_int_eq(policy_last_day_for(p, 1), ymd(2022, 2, 28));
    policy_late_case(p, ymd(2022, 6, 1), ymd(2022, 1, 10), 0, &lc);
    ck_assert_str_eq(lc.rule, "newborn");
    ck_assert_int_eq(lc.fee_fen, 32000);
    ck_assert_int_eq(lc.cover_from, ymd(2022, 6, 1));
    policy_late_case(p, ymd(2022, 6, 1), ymd(1990, 1, 10), ymd(2022, 1, 10), &lc);
    ck_assert_str_eq(lc.rule, "employee_insurance_ended");
    ck_assert_int_eq(lc.cover_from, ymd(2022, 9, 1));
    policy_late_case(p, ymd(2022, 6, 1), ymd(1990, 1, 10), 0, &lc);
    ck_assert_int_eq(lc.allowed, 0);
    policy_destroy(p);
}
END_TEST

START_TEST(category_lookup)
{
    policy_t *p = load("pingli-2022.json");
    int cats[] = {-1, 7, 99};

    /* The length given is what is compared, not a NUL. */
    ck_assert_int_eq(policy_category_find(p, "低保对象 and more", strlen("低保对象")),
                     find(p, "低保"));
    ck_assert_int_eq(policy_category_find(p, "低", strlen("低")), -1);
    ck_assert_int_eq(policy_category_find(p, "低保 ", strlen("低保 ")), -1);
    ck_assert_int_eq(policy_category_find(p, "", 0), -1);
    ck_assert_ptr_null(policy_category(p, 7));
    /* Indices outside the policy count as no category. */
    expect(p, policy_owed(p, cats, 3), 32000, 0, 0, POL_PAYER_RESIDENT, NULL);
    policy_destroy(p);
}
END_TEST

/* A policy that is valid but for what a case changes. */
#define TOP       "\"county\":\"测试县\",\"coverage_year\":2022,"
#define WINDOW    "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2021-12-31\"},"
#define FEES      "\"personal_fee_fen\":32000,\"funding_standard_fen\":90000,"
#define DIBAO     "{\"name\":\"低保\",\"rule\":\"percent\",\"percent\":50}"
#define TEKUN     "{\"name\":\"特困\",\"rule\":\"full\",\"payer\":\"department\"}"
#define CJ        "{\"name\":\"重度残疾\",\"rule\":\"fixed\",\"amount_fen\":7000}"
#define CATS      "\"categories\":[" DIBAO "]"
#define BASE      TOP WINDOW FEES
#define MS(d, pc) "{\"date\":\"" d "\",\"percent\":" #pc "}"

START_TEST(minimal_policy_and_defaults)
{
    static const char json[] = "{" BASE "\"categories\":[" DIBAO "," TEKUN "," CJ "]}";
    policy_t *p = NULL;
    char err[256] = "";
    const policy_category_t *c;

    ck_assert_msg(policy_parse(json, strlen(json), &p, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_null(policy_issuer(p));
    ck_assert_ptr_null(policy_payment_channels(p));
    ck_assert_uint_eq(policy_nlate_windows(p), 0);
    ck_assert_ptr_null(policy_late_enrolment(p));
    c = policy_category(p, 0);
    ck_assert_int_eq(c->rule, POL_RULE_PERCENT);
    ck_assert_int_eq(c->percent, 50);
    ck_assert_uint_eq(c->naliases, 0);
    ck_assert_int_eq(c->payer, POL_PAYER_RESIDENT);
    ck_assert_int_eq(c->settlement, POL_SETTLE_AT_PAYMENT);
    c = policy_category(p, 2);
    ck_assert_int_eq(c->rule, POL_RULE_FIXED);
    ck_assert_int_eq(c->amount_fen, 7000);
    /* Fixed, settled at payment: the subsidy is deducted. */
    expect(p, owed(p, "重度残疾", NULL), 25000, 7000, 0, POL_PAYER_RESIDENT, "重度残疾");
    policy_destroy(p);
}
END_TEST

/* The 2025 national rule as data: 3 months, plus 1 for each further uninsured year. */
START_TEST(national_wait_months)
{
    static const char json[] =
        "{" BASE CATS ",\"late_enrolment\":{\"fee\":\"personal_fee\",\"wait_months\":3,"
        "\"extra_months_per_year\":1}}";
    policy_t *p = NULL;
    char err[256] = "";

    ck_assert_msg(policy_parse(json, strlen(json), &p, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(policy_late_enrolment(p)->wait, POL_WAIT_MONTHS);
    ck_assert_int_eq(policy_wait_cover_start(p, policy_late_enrolment(p), ymd(2022, 1, 31), 1),
                     ymd(2022, 4, 30));
    ck_assert_int_eq(policy_wait_cover_start(p, policy_late_enrolment(p), ymd(2022, 1, 31), 3),
                     ymd(2022, 6, 30));
    ck_assert_int_eq(policy_wait_cover_start(p, policy_late_enrolment(p), ymd(2022, 11, 30), 1),
                     ymd(2023, 2, 28));
    policy_destroy(p);
}
END_TEST

START_TEST(subsidy_arithmetic)
{
    static const char json[] =
        "{" TOP WINDOW "\"personal_fee_fen\":38050,\"funding_standard_fen\":90000,"
        "\"categories\":[{\"name\":\"X\",\"rule\":\"fixed\",\"amount_fen\":50000,"
        "\"settlement\":\"refund_after\"},{\"name\":\"Y\",\"rule\":\"percent\",\"percent\":33}]}";
    policy_t *p = NULL;
    char err[256] = "";

    ck_assert_msg(policy_parse(json, strlen(json), &p, err, sizeof err) == 0, "%s", err);
    /* A fixed subsidy above the fee is capped at the fee. */
    expect(p, owed(p, "X", NULL), 38050, 38050, 38050, POL_PAYER_RESIDENT, "X");
    /* 33% of 380.50 yuan is 125.565 yuan: rounded down to the fen. */
    expect(p, owed(p, "Y", NULL), 25494, 12556, 0, POL_PAYER_RESIDENT, "Y");
    policy_destroy(p);
}
END_TEST

START_TEST(extension)
{
    static const char json[] =
        "{\"county\":\"随县\",\"coverage_year\":2022,"
        "\"payment_channels\":\"微信、支付宝、湘税社保APP、手机银行或村组代收\","
        "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2021-12-31\","
        "\"extension\":{\"end\":\"2022-02-28\","
        "\"applies_to\":\"外出务工或返乡居民\"}}," FEES CATS "}";
    policy_t *p = NULL;
    const char *applies = NULL;
    char err[256] = "";

    ck_assert_msg(policy_parse(json, strlen(json), &p, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(policy_window_end(p), ymd(2021, 12, 31));
    ck_assert_int_eq(policy_extension_end(p, &applies), ymd(2022, 2, 28));
    ck_assert_str_eq(applies, "外出务工或返乡居民");
    ck_assert_int_eq(policy_extension_end(p, NULL), ymd(2022, 2, 28));
    ck_assert_str_eq(policy_payment_channels(p), "微信、支付宝、湘税社保APP、手机银行或村组代收");
    policy_destroy(p);
}
END_TEST

static const struct bad_case {
    const char *json;
    int rc;
    const char *err;
} bad[] = {
    {"{" BASE CATS, CB_EPARSE, "line 1, column 200: not valid JSON"},
    {"{\n  \"county\": }", CB_EPARSE, "line 2, column 13: not valid JSON"},
    {"{" BASE CATS "} x", CB_EPARSE, "line 1, column 203: text after the JSON value"},
    {"", CB_EPARSE, "line 1, column 1: not valid JSON"},
    {"[]", CB_ECONFIG, "the policy must be a JSON object"},
    {"{" TOP WINDOW "\"funding_standard_fen\":90000," CATS "}", CB_ECONFIG,
     "personal_fee_fen: required"},
    {"{" BASE CATS ",\"colour\":1}", CB_ECONFIG, "colour: unknown key"},
    /* 24 characters pass (the extension test), 25 do not. */
    {"{" BASE CATS ",\"payment_channels\":\"微信、支付宝、湘税社保APP、手机银行或村组POS\"}",
     CB_ECONFIG, "payment_channels: 25 characters, at most 24 (reminder SMS quote it)"},
    {"{" BASE CATS ",\"payment_channels\":[\"微信\"]}", CB_ECONFIG,
     "payment_channels: must be a non-empty string"},
    {"{" BASE CATS ",\"county\":\"又一县\"}", CB_ECONFIG, "county: given twice"},
    {"{\"county\":\"\",\"coverage_year\":2022," WINDOW FEES CATS "}", CB_ECONFIG,
     "county: must be a non-empty string"},
    {"{\"county\":\"测试县\",\"coverage_year\":\"2022\"," WINDOW FEES CATS "}", CB_ECONFIG,
     "coverage_year: must be an integer from 2000 to 2100"},
    {"{" TOP FEES CATS "}", CB_ECONFIG, "window: required"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2021-13-01\"}," FEES CATS "}",
     CB_ECONFIG, "window.end: 2021-13-01 is not a real date"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":\"31/12/2021\"}," FEES CATS "}",
     CB_ECONFIG, "window.end: \"31/12/2021\" is not a date: write YYYY-MM-DD"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":20211231}," FEES CATS "}", CB_ECONFIG,
     "window.end: must be a date string such as \"2021-09-01\""},
    {"{" TOP "\"window\":{\"start\":\"2021-12-01\",\"end\":\"2021-09-01\"}," FEES CATS "}",
     CB_ECONFIG, "window: end is before start"},
    {"{" TOP "\"window\":{\"start\":\"2019-09-01\",\"end\":\"2019-12-31\"}," FEES CATS "}",
     CB_ECONFIG, "window.start: must fall in 2021 or 2022 for coverage year 2022"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2023-01-31\"}," FEES CATS "}",
     CB_ECONFIG, "window.end: must not be after the coverage year 2022"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2021-12-31\",\"close\":1}," FEES CATS
     "}",
     CB_ECONFIG, "window.close: unknown key"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2021-12-31\","
     "\"extension\":{\"end\":\"2021-12-01\",\"applies_to\":\"返乡居民\"}}," FEES CATS "}",
     CB_ECONFIG, "window.extension.end: must be after window.end"},
    {"{" TOP "\"window\":{\"start\":\"2021-09-01\",\"end\":\"2021-12-31\","
     "\"extension\":{\"end\":\"2022-02-28\"}}," FEES CATS "}",
     CB_ECONFIG, "window.extension.applies_to: required"},
    {"{" TOP WINDOW "\"personal_fee_fen\":320.5,\"funding_standard_fen\":90000," CATS "}",
     CB_ECONFIG, "personal_fee_fen: must be an integer from 1 to 10000000"},
    {"{" TOP WINDOW "\"personal_fee_fen\":32000,\"funding_standard_fen\":30000," CATS "}",
     CB_ECONFIG, "funding_standard_fen: 30000 is below personal_fee_fen (32000)"},
    {"{" BASE "\"subsidy_combination\":\"sum\"," CATS "}", CB_ECONFIG,
     "subsidy_combination: must be highest"},
    {"{" TOP WINDOW "\"personal_fee_fen\":32000,\"funding_standard_fen\":90000}", CB_ECONFIG,
     "categories: required"},
    {"{" BASE "\"categories\":{}}", CB_ECONFIG,
     "categories: must be an array of at most 256 entries"},
    {"{" BASE "\"categories\":[\"低保\"]}", CB_ECONFIG, "categories[0]: must be an object"},
    {"{" BASE "\"categories\":[" TEKUN "," CJ ",{\"name\":\"监测对象\",\"rule\":\"percent\","
     "\"percent\":0}]}",
     CB_ECONFIG, "categories[2].percent: must be an integer from 1 to 100"},
    {"{" BASE "\"categories\":[" TEKUN "," CJ ",{\"name\":\"监测对象\",\"rule\":\"percent\","
     "\"percent\":50.5}]}",
     CB_ECONFIG, "categories[2].percent: must be an integer from 1 to 100"},
    {"{" BASE "\"categories\":[" DIBAO "," TEKUN "," CJ "," DIBAO "]}", CB_ECONFIG,
     "categories[3].name: \"低保\" is used twice"},
    {"{" BASE "\"categories\":[" DIBAO ",{\"name\":\"低保户\",\"aliases\":[\"低保\"],"
     "\"rule\":\"full\"}]}",
     CB_ECONFIG, "categories[1].aliases[0]: \"低保\" is used twice"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"aliases\":[\"低保对象\",\"低保对象\"],"
     "\"rule\":\"full\"}]}",
     CB_ECONFIG, "categories[0].aliases[1]: \"低保对象\" is used twice"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"aliases\":[\"\"],\"rule\":\"full\"}]}",
     CB_ECONFIG, "categories[0].aliases[0]: must be a non-empty string"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"full\",\"colour\":\"red\"}]}",
     CB_ECONFIG, "categories[0].colour: unknown key"},
    {"{" BASE "\"categories\":[{\"rule\":\"full\"}]}", CB_ECONFIG, "categories[0].name: required"},
    {"{" BASE "\"categories\":[{\"name\":\" 低保\",\"rule\":\"full\"}]}", CB_ECONFIG,
     "categories[0].name: must not begin or end with a blank"},
    {"{" BASE "\"categories\":[{\"name\":\"低保;特困\",\"rule\":\"full\"}]}", CB_ECONFIG,
     "categories[0].name: \"低保;特困\" must not contain ';' (rosters separate categories with "
     "it)"},
    {"{" BASE "\"categories\":[{\"name\":\"\xff\xfe\",\"rule\":\"full\"}]}", CB_ECONFIG,
     "categories[0].name: is not valid UTF-8"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"half\"}]}", CB_ECONFIG,
     "categories[0].rule: must be one of full, percent, fixed"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\"}]}", CB_ECONFIG, "categories[0].rule: required"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"fixed\"}]}", CB_ECONFIG,
     "categories[0].amount_fen: required"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"fixed\",\"amount_fen\":160.5}]}",
     CB_ECONFIG, "categories[0].amount_fen: must be an integer from 1 to 10000000"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"fixed\",\"amount_fen\":16000,"
     "\"percent\":50}]}",
     CB_ECONFIG, "categories[0].percent: only for rule percent"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"full\",\"amount_fen\":16000}]}",
     CB_ECONFIG, "categories[0].amount_fen: only for rule fixed"},
    {"{" BASE "\"categories\":[{\"name\":\"低保\",\"rule\":\"full\",\"payer\":\"state\"}]}",
     CB_ECONFIG, "categories[0].payer: must be one of resident, department"},
    {"{" BASE "\"categories\":[{\"name\":\"特困\",\"rule\":\"full\",\"payer\":\"department\","
     "\"settlement\":\"refund_after\"}]}",
     CB_ECONFIG,
     "categories[0].settlement: refund_after needs payer resident (a department pays in bulk)"},
    {"{" BASE CATS ",\"milestones\":[" MS("2021-11-30", 101) "]}", CB_ECONFIG,
     "milestones[0].percent: must be an integer from 1 to 100"},
    {"{" BASE CATS ",\"milestones\":[" MS("2021-12-25", 100) "," MS("2021-11-30", 80) "]}",
     CB_ECONFIG, "milestones[1].date: must be after milestones[0].date (list them in date order)"},
    {"{" BASE CATS ",\"milestones\":[" MS("2021-11-30", 80) "," MS("2021-12-25", 70) "]}",
     CB_ECONFIG, "milestones[1].percent: 70 is below the 80 of milestones[0]"},
    {"{" BASE CATS ",\"milestones\":[" MS("2022-01-15", 80) "]}", CB_ECONFIG,
     "milestones[0].date: 2022-01-15 is outside the window 2021-09-01..2021-12-31"},
    {"{" BASE CATS ",\"late_windows\":[{\"name\":\"newborn\",\"from\":\"birth\",\"days\":90},"
     "{\"name\":\"newborn\",\"from\":\"birth\",\"days\":60}]}",
     CB_ECONFIG, "late_windows[1].name: \"newborn\" is used twice"},
    {"{" BASE CATS ",\"late_windows\":[{\"name\":\"newborn\",\"from\":\"birth\",\"days\":0}]}",
     CB_ECONFIG, "late_windows[0].days: must be an integer from 1 to 366"},
    {"{" BASE CATS ",\"late_windows\":[{\"name\":\"newborn\",\"days\":90}]}", CB_ECONFIG,
     "late_windows[0].from: required"},
    {"{" BASE CATS ",\"late_enrolment\":{\"fee\":\"funding_standard\",\"wait_days\":30,"
     "\"wait\":\"next_month\"}}",
     CB_ECONFIG, "late_enrolment: give one of wait_days, wait or wait_months"},
    {"{" BASE CATS ",\"late_enrolment\":{\"fee\":\"funding_standard\"}}", CB_ECONFIG,
     "late_enrolment: give one of wait_days, wait or wait_months"},
    {"{" BASE CATS ",\"late_enrolment\":{\"fee\":\"funding_standard\",\"wait\":\"next_week\"}}",
     CB_ECONFIG, "late_enrolment.wait: must be one of next_month, none"},
    {"{" BASE CATS ",\"late_enrolment\":{\"fee\":\"full\",\"wait_days\":30}}", CB_ECONFIG,
     "late_enrolment.fee: must be one of funding_standard, personal_fee"},
    {"{" BASE CATS ",\"late_enrolment\":{\"fee\":\"personal_fee\",\"wait_days\":30,"
     "\"extra_months_per_year\":1}}", CB_ECONFIG,
     "late_enrolment.extra_months_per_year: only with wait_months"},
    {"{" BASE CATS ",\"late_windows\":[{\"name\":\"newborn\",\"from\":\"birth\",\"days\":90,"
     "\"cover\":\"later\"}]}", CB_ECONFIG,
     "late_windows[0].cover: must be one of from_event, from_payment, next_month"},
    {"{" BASE CATS ",\"agent_pay\":{\"per_person_fen\":300,\"penalty_per_point_fen\":5000}}",
     CB_ECONFIG, "agent_pay.penalty_per_point_fen: needs targets.coverage_percent (the points "
     "count below it)"},
    {"{" BASE CATS ",\"promote_ecert\":1}", CB_ECONFIG, "promote_ecert: must be true or false"},
    {"{" BASE CATS ",\"late_enrolment\":{\"wait_days\":30}}", CB_ECONFIG,
     "late_enrolment.fee: required"},
};

START_TEST(malformed_policies)
{
    const struct bad_case *b = &bad[_i];
    policy_t *p = (policy_t *)&p; /* must come back NULL */
    char err[256] = "";

    ck_assert_int_eq(policy_parse(b->json, strlen(b->json), &p, err, sizeof err), b->rc);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err, b->err);
    /* A NULL message buffer is allowed. */
    ck_assert_int_eq(policy_parse(b->json, strlen(b->json), &p, NULL, 0), b->rc);
}
END_TEST

START_TEST(nul_byte_and_short_error_buffer)
{
    static const char json[] = "{\"county\":\"a\0b\"}";
    policy_t *p = NULL;
    char err[12];

    ck_assert_int_eq(policy_parse(json, sizeof json - 1, &p, err, sizeof err), CB_EPARSE);
    ck_assert_str_eq(err, "line 1, col");
    ck_assert_int_eq(policy_parse("{\"colour\":1}", 12, &p, err, sizeof err), CB_ECONFIG);
    ck_assert_str_eq(err, "colour: unk");
}
END_TEST

START_TEST(load_failures)
{
    char path[] = "/tmp/test_policy_XXXXXX", err[256] = "";
    policy_t *p = NULL;
    FILE *f;
    int fd;

    ck_assert_int_eq(policy_load("/nonexistent/policy.json", &p, err, sizeof err), CB_EIO);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err, "/nonexistent/policy.json: No such file or directory");
    ck_assert_int_eq(policy_load(CB_EXAMPLES "/targets-pingli-2022.csv", &p, err, sizeof err),
                     CB_EPARSE);
    ck_assert_ptr_null(p);
    policy_destroy(NULL);

    /* More than 1 MiB is refused before parsing. */
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i <= 1024 * 1024; i++)
        ck_assert_int_eq(fputc(' ', f), ' ');
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(policy_load(path, &p, err, sizeof err), CB_ETOOBIG);
    ck_assert_ptr_null(p);
    ck_assert_str_eq(err + strlen(path), ": larger than 1 MiB, not a policy file");
    ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* The task tables match the seeds' annexes: row counts and totals. */
static void expect_targets(const char *name, size_t rows, long target, long registered)
{
    char path[512], line[256];
    long sum_t = 0, sum_r = 0;
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", CB_EXAMPLES, name);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "township,village,target,registered\n");
    while (fgets(line, sizeof line, f) != NULL) {
        char *t = strchr(line, ','), *end;

        ck_assert_ptr_nonnull(t);
        t = strchr(t + 1, ',');
        ck_assert_ptr_nonnull(t);
        sum_t += strtol(t + 1, &end, 10);
        ck_assert_int_eq(*end, ',');
        sum_r += strtol(end + 1, &end, 10);
        ck_assert_int_eq(*end, '\n');
        n++;
    }
    fclose(f);
    ck_assert_uint_eq(n, rows);
    ck_assert_int_eq(sum_t, target);
    ck_assert_int_eq(sum_r, registered);
}

START_TEST(task_tables)
{
    expect_targets("targets-huarong-2022.csv", 15, 557619, 645221);
    expect_targets("targets-lengshi-2024.csv", 18, 31700, 37288);
    expect_targets("targets-pingli-2022.csv", 11, 210000, 0);
}
END_TEST

static Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *seeds = tcase_create("seeds");
    TCase *parse = tcase_create("parse");

    tcase_add_test(seeds, huarong_2022);
    tcase_add_test(seeds, lengshi_2024);
    tcase_add_test(seeds, pingli_2022);
    tcase_add_test(seeds, late_enrolment);
    tcase_add_test(seeds, seed_late_cases);
    tcase_add_test(seeds, category_lookup);
    tcase_add_test(seeds, task_tables);
    suite_add_tcase(s, seeds);
    tcase_add_test(parse, minimal_policy_and_defaults);
    tcase_add_test(parse, subsidy_arithmetic);
    tcase_add_test(parse, national_wait_months);
    tcase_add_test(parse, extension);
    tcase_add_loop_test(parse, malformed_policies, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(parse, nul_byte_and_short_error_buffer);
    tcase_add_test(parse, load_failures);
    suite_add_tcase(s, parse);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(policy_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
