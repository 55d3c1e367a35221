/* SPDX-License-Identifier: MIT */
/* test_tplset.c - the template set (defaults, the load-time check, override
 * folders) and the standard message variables for the seed policies. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/err.h"
#include "core/policy.h"
#include "core/smsseg.h"
#include "templates/msgctx.h"
#include "templates/tpl.h"
#include "templates/tplset.h"
#include "tpl_check.h"

/* A temporary override folder; write_file puts 'text' into DIR/name. */
static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/cb-test-tpl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void write_file(const char *name, const char *text, size_t len)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void remove_dir(const char *const *names)
{
    char path[128];

    for (size_t i = 0; names[i] != NULL; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

START_TEST(default_set)
{
    tplset_t *set = NULL;
    tpl_ctx_t *ctx = (tpl_ctx_t *)&ctx;
    tplset_opts_t one = {1, 10}, none = {2, 0}, bad = {0, 10};
    char err[1024] = "", want[640];
    size_t n = 0, sms = 0;

    ck_assert_int_eq(tplset_load(NULL, NULL, &set, err, sizeof err), CB_OK);
    for (; tplset_name(n) != NULL; n++) {
        snprintf(want, sizeof want, "%s.txt", tplset_name(n));
        ck_assert_str_eq(tpl_name(tplset_get(set, tplset_name(n))), want);
        sms += tplset_is_sms(tplset_name(n)) == 1;
    }
    ck_assert_uint_eq(n, 25);
    ck_assert_uint_eq(sms, 23);
    ck_assert_int_eq(tplset_is_sms("worker_todo"), 0);
    ck_assert_int_eq(tplset_is_sms("daily_report"), 0);
    ck_assert_int_eq(tplset_is_sms("remind"), CB_ENOTFOUND);
    ck_assert_ptr_null(tplset_get(set, "remind"));
    ck_assert_int_eq(tplset_sample("window_open", 3, &ctx), CB_ENOTFOUND);
    ck_assert_ptr_null(ctx);
    ck_assert_int_eq(tplset_sample("remind", 0, &ctx), CB_ENOTFOUND);
    tplset_destroy(set);
    tplset_destroy(NULL);

    ck_assert_int_eq(tplset_load(NULL, &none, &set, err, sizeof err), CB_OK);
    tplset_destroy(set);
    ck_assert_int_eq(tplset_load(NULL, &one, &set, err, sizeof err), CB_ETOOBIG);
    ck_assert_ptr_null(set);
    ck_assert_str_eq(err, "window_open.txt: 2 SMS segments (117 characters with the 10 the channel "
                          "adds) with the worst-case sample, at most 1");
    ck_assert_int_eq(tplset_load(NULL, &bad, &set, err, sizeof err), CB_EINVAL);
    ck_assert_int_eq(tplset_load("/nonexistent/templates", NULL, &set, err, sizeof err), CB_EIO);
    ck_assert_str_eq(err, "/nonexistent/templates: No such file or directory");
}
END_TEST

START_TEST(override_folder)
{
    static const char *const files[] = {"remind_periodic.txt", ".remind_periodic.txt.swp",
                                        "worker_todo.txt", "remind.txt", NULL};
    char *long_todo = rep("这是给网格员的很长的说明。", 40), err[512] = "", want[512], *text;
    tplset_t *set = NULL;
    tpl_ctx_t *ctx = NULL;

    make_dir();
    write_file(files[0], "{{name}}您好，请于{{deadline}}前缴费。\r\n", 49);
    write_file(files[1], "{{broken", 8);                /* hidden: skipped */
    write_file(files[2], long_todo, strlen(long_todo)); /* robot texts have no limit */
    ck_assert_msg(tplset_load(dir, NULL, &set, err, sizeof err) == CB_OK, "%s", err);
    snprintf(want, sizeof want, "%s/remind_periodic.txt", dir);
    ck_assert_str_eq(tpl_name(tplset_get(set, "remind_periodic")), want);
    ck_assert_int_eq(tplset_sample("remind_periodic", 0, &ctx), CB_OK);
    text = tpl_render(tplset_get(set, "remind_periodic"), ctx);
    ck_assert_str_eq(text, "欧***您好，请于12月31日前缴费。");
    free(text);
    tpl_ctx_destroy(ctx);
    ck_assert_str_eq(tpl_name(tplset_get(set, "last_day")), "last_day.txt");
    tplset_destroy(set);

    write_file(files[3], "x", 1);
    ck_assert_int_eq(tplset_load(dir, NULL, &set, err, sizeof err), CB_ECONFIG);
    ck_assert_ptr_null(set);
    snprintf(want, sizeof want,
             "%s/remind.txt: unknown template name (known: window_open, remind_periodic, "
             "deadline_near, last_day, household_reminder, payment_thanks, waiver_ack, "
             "survey_question, survey_thanks, waiver_reason_question, claim_ack, optout_ack, "
             "answer_amount, answer_channels, answer_deadline, answer_subsidy, answer_status, "
             "answer_newborn, deceased_ack, worker_todo, daily_report, milestone_near, newborn_reminder, lapse_reminder, "
             "department_notice)",
             dir);
    ck_assert_str_eq(err, want);
    remove_dir(files);
    free(long_todo);
}
END_TEST

static const struct override_case {
    const char *file;
    const char *text;
    int rc;
    const char *err; /* after "DIR/" */
} bad_overrides[] = {
    {"remind_periodic.txt",
     "{{name}}您好，您{{year}}年度城乡居民医保个人缴费{{amount_yuan}}元尚未缴纳，{{deadline}}截止"
     "（还有{{days_left}}天），可通过{{payment_channels}}缴纳。{{#consequence}}{{consequence}}。"
     "{{/consequence}}请携带身份证到村委会办理，已缴请忽略。",
     CB_ETOOBIG,
     "remind_periodic.txt: 3 SMS segments (142 characters with the 10 the channel adds) with the "
     "worst-case sample, at most 2"},
    {"window_open.txt", "{{name}}您好\n{{#subsidised}}已资助", CB_EPARSE,
     "window_open.txt:2: section 'subsidised' is never closed"},
    {"last_day.txt", "{{nmae}}您好，今天截止。", CB_ECONFIG,
     "last_day.txt:1: unknown variable 'nmae'"},
    {"household_reminder.txt", "{{#members}}{{name}}{{/members}}{{amount_yuan}}", CB_ECONFIG,
     "household_reminder.txt:1: unknown variable 'amount_yuan'"},
    {"payment_thanks.txt", "【冷市医保】{{name}}您好，已收到{{paid_yuan}}元。", CB_ECONFIG,
     "payment_thanks.txt: contains 【 or 】: the SMS channel adds the signature"},
};

START_TEST(override_rejected)
{
    const struct override_case *c = &bad_overrides[_i];
    const char *const files[] = {c->file, NULL};
    tplset_t *set = (tplset_t *)&set;
    char err[512] = "", want[512];

    make_dir();
    write_file(c->file, c->text, strlen(c->text));
    ck_assert_int_eq(tplset_load(dir, NULL, &set, err, sizeof err), c->rc);
    ck_assert_ptr_null(set);
    snprintf(want, sizeof want, "%s/%s", dir, c->err);
    ck_assert_str_eq(err, want);
    remove_dir(files);
}
END_TEST

START_TEST(oversized_file)
{
    static const char *const files[] = {"daily_report.txt", NULL};
    char *big = rep("x", 64 * 1024 + 1), err[256] = "", want[256];
    tplset_t *set = NULL;

    make_dir();
    write_file(files[0], big, strlen(big));
    ck_assert_int_eq(tplset_load(dir, NULL, &set, err, sizeof err), CB_ETOOBIG);
    snprintf(want, sizeof want, "%s/daily_report.txt: larger than 64 KiB", dir);
    ck_assert_str_eq(err, want);
    remove_dir(files);
    free(big);
}
END_TEST

static policy_t *load_policy(const char *name)
{
    char path[512], err[256] = "";
    policy_t *p = NULL;

    snprintf(path, sizeof path, "%s/%s", CB_EXAMPLES, name);
    ck_assert_msg(policy_load(path, &p, err, sizeof err) == CB_OK, "%s: %s", name, err);
    return p;
}

static cb_date_t ymd(int y, int m, int d)
{
    cb_date_t out = 0;

    ck_assert_int_eq(date_from_ymd(y, m, d, &out), CB_OK);
    return out;
}

static int dibao[1];
static const msg_person_t plain = {
    "张三丰", "430524199001011234", "13812345678", "冷市镇", "金星村", "3组", NULL, 0, 0, 0};

/* Li Si, in the category 'cat' of the policy. */
static msg_person_t person_in(const policy_t *pol, const char *cat)
{
    msg_person_t p = {"李四", NULL, "13900001111", "冷市镇", "金星村", NULL, dibao, 1, 0, 0};

    dibao[0] = policy_category_find(pol, cat, strlen(cat));
    ck_assert_int_ge(dibao[0], 0);
    return p;
}

/* The context a job would build for template 'name' about 'p' (and, for lists, 'q'). */
/* A report with no milestone missed, nobody late, villages ranked, no bottom list. */
static void report_quiet(tpl_ctx_t *ctx)
{
    tpl_ctx_set_bool(ctx, "has_top", 1);
    tpl_ctx_set_bool(ctx, "has_bottom", 0);
    tpl_ctx_set(ctx, "unit", "村");
    tpl_ctx_set(ctx, "missed", "");
    tpl_ctx_set(ctx, "last_twice", "");
    tpl_ctx_set(ctx, "late_count", "");
}

static tpl_ctx_t *context_for(const char *name, const policy_t *pol, const msg_person_t *p,
                              const msg_person_t *q)
{
    tpl_ctx_t *ctx = msgctx_resident(pol, p, ymd(2023, 12, 1)), *o;
    msg_person_t both[2] = {*p, *q};

    tpl_ctx_set(ctx, "paid_yuan", tpl_ctx_get(ctx, "amount_yuan"));
    tpl_ctx_set(ctx, "question", "请问您还没缴费的原因是？");
    o = tpl_ctx_push(ctx, "options");
    tpl_ctx_set(o, "key", "1");
    tpl_ctx_set(o, "text", "已在外地参保");
    tpl_ctx_set_bool(o, "first", 1);
    tpl_ctx_set_bool(ctx, "free_text", 0);
    tpl_ctx_set_bool(ctx, "household", 0);
    tpl_ctx_set_bool(ctx, "covered", 0);
    tpl_ctx_set(ctx, "claim", "已缴费");
    if (strcmp(name, "household_reminder") == 0)
        msgctx_household(ctx, pol, both, 2, 3);
    tpl_ctx_set(ctx, "worker", "王五");
    tpl_ctx_set_bool(ctx, "markdown", 1);
    tpl_ctx_set(ctx, "unpaid_count", "2");
    tpl_ctx_set(ctx, "household_count", "1");
    tpl_ctx_set(ctx, "area", "冷市镇南华村");
    o = tpl_ctx_push(ctx, "households");
    tpl_ctx_set(o, "pos", "1");
    tpl_ctx_set(o, "code", "H001");
    tpl_ctx_set(o, "name", "张三丰");
    tpl_ctx_set_bool(o, "more", 1);
    tpl_ctx_set(o, "members", "2");
    tpl_ctx_set(o, "reason", "特殊群体未缴1人");
    msgctx_push_person(ctx, "people", pol, p);
    msgctx_push_person(ctx, "people", pol, q);
    tpl_ctx_set(ctx, "others", "");
    tpl_ctx_set(ctx, "paid", "31473");
    tpl_ctx_set(ctx, "target", "37288");
    tpl_ctx_set(ctx, "unpaid", "5815");
    tpl_ctx_set(ctx, "progress", "84.4%");
    tpl_ctx_set(ctx, "milestone", "");
    tpl_ctx_set(ctx, "milestone_date", "11月30日");
    tpl_ctx_set(ctx, "milestone_percent", "80");
    tpl_ctx_set(ctx, "own_deadline", "2024年2月28日");
    tpl_ctx_set(ctx, "window_days", "90");
    tpl_ctx_set(ctx, "cover_text", "待遇从出生之日起享受");
    tpl_ctx_set(ctx, "contact", "县民政局");
    if (strcmp(name, "department_notice") == 0) {
        tpl_ctx_set(ctx, "category", "特困");
        tpl_ctx_set(ctx, "total_yuan", "760");
    }
    tpl_ctx_set(ctx, "period", "日报");
    tpl_ctx_set(ctx, "coverage", "90.1%");
    tpl_ctx_set_bool(ctx, "first", 1);
    tpl_ctx_set(ctx, "since", "");
    tpl_ctx_set(ctx, "paid_delta", "+0");
    tpl_ctx_set(ctx, "points_delta", "+0.0");
    tpl_ctx_set(ctx, "pace", "66.0%");
    tpl_ctx_set_bool(ctx, "on_pace", 1);
    tpl_ctx_set(ctx, "gap", "0");
    tpl_ctx_set_bool(ctx, "has_special", 0);
    tpl_ctx_set(ctx, "special", "0");
    tpl_ctx_set(ctx, "special_covered", "0");
    tpl_ctx_set(ctx, "special_coverage", "-");
    tpl_ctx_set_bool(ctx, "towns", 0);
    report_quiet(ctx);
    tpl_ctx_set(ctx, "behind_count", "");
    tpl_ctx_set(ctx, "behind_more", "");
    tpl_ctx_set(ctx, "special_gap_count", "");
    tpl_ctx_set(ctx, "special_more", "");
    tpl_ctx_set(ctx, "areas", "");
    tpl_ctx_set(ctx, "bottom", "");
    tpl_ctx_set(ctx, "behind", "");
    tpl_ctx_set(ctx, "special_gaps", "");
    o = tpl_ctx_push(ctx, "top");
    tpl_ctx_set(o, "rank", "1");
    tpl_ctx_set(o, "area", "金星村");
    tpl_ctx_set(o, "paid", "1800");
    tpl_ctx_set(o, "target", "2000");
    tpl_ctx_set(o, "progress", "90.0%");
    tpl_ctx_set(o, "change", "");
    return ctx;
}

START_TEST(lengshi_variables_and_texts)
{
    policy_t *pol = load_policy("lengshi-2024.json");
    msg_person_t li = person_in(pol, "低保");
    tpl_ctx_t *a = msgctx_resident(pol, &plain, ymd(2023, 12, 1));
    tpl_ctx_t *b = msgctx_resident(pol, &li, ymd(2023, 12, 1));
    tplset_t *set = NULL;
    char err[256] = "", *text;

    ck_assert_str_eq(tpl_ctx_get(a, "amount_yuan"), "380");
    ck_assert_str_eq(tpl_ctx_get(a, "fee_yuan"), "380");
    ck_assert_str_eq(tpl_ctx_get(a, "subsidy_yuan"), "");
    ck_assert_str_eq(tpl_ctx_get(a, "category"), "");
    ck_assert_str_eq(tpl_ctx_get(a, "year"), "2024");
    ck_assert_str_eq(tpl_ctx_get(a, "county"), "安化县");
    ck_assert_str_eq(tpl_ctx_get(a, "issuer"), "冷市镇人民政府");
    ck_assert_str_eq(tpl_ctx_get(a, "deadline"), "12月31日");
    ck_assert_str_eq(tpl_ctx_get(a, "days_left"), "30");
    ck_assert_str_eq(tpl_ctx_get(a, "today"), "12月1日");
    ck_assert_str_eq(tpl_ctx_get(a, "late_fee_yuan"), "1020");
    ck_assert_str_eq(tpl_ctx_get(a, "consequence"),
                     "逾期需按1020元全额缴费，到账30天后享受待遇");
    ck_assert_str_eq(tpl_ctx_get(b, "amount_yuan"), "190");
    ck_assert_str_eq(tpl_ctx_get(b, "subsidy_yuan"), "190");
    ck_assert_str_eq(tpl_ctx_get(b, "category"), "低保");
    ck_assert_str_eq(tpl_ctx_get(b, "id_number"), "");
    ck_assert_str_eq(tpl_ctx_get(b, "group"), "");
    ck_assert_int_eq(tplset_load(NULL, NULL, &set, err, sizeof err), CB_OK);
    text = tpl_render(tplset_get(set, "remind_periodic"), a);
    ck_assert_str_eq(text,
                     "张**您好，您2024年度城乡居民医保个人缴费380元尚未缴纳，12月31日截止（还有30天"
                     "），可通过村组POS机代收、湘税社保APP或手机银行缴纳。逾期需按1020元全额缴费，"
                     "到账30天后享受待遇。已缴请忽略。");
    free(text);
    text = tpl_render(tplset_get(set, "window_open"), b);
    ck_assert_str_eq(text,
                     "李*您好！2024年度城乡居民医保集中缴费已开始，您应缴190元（已扣除资助190元），"
                     "12月31日截止，可通过村组POS机代收、湘税社保APP或手机银行缴纳。逾期需按1020元全"
                     "额缴费，到账30天后享受待遇。");
    free(text);
    tplset_destroy(set);
    tpl_ctx_destroy(a);
    tpl_ctx_destroy(b);
    policy_destroy(pol);
}
END_TEST

/* Every default template, for a plain person (_i 0) and a 低保 person (_i 1). */
START_TEST(every_default_renders)
{
    policy_t *pol = load_policy("lengshi-2024.json");
    msg_person_t li = person_in(pol, "低保");
    const msg_person_t *p = _i == 0 ? &plain : &li, *q = _i == 0 ? &li : &plain;
    const char *amount = _i == 0 ? "380元" : "190元", *masked = _i == 0 ? "张**" : "李*";
    tplset_t *set = NULL;
    char err[256] = "";

    ck_assert_int_eq(tplset_load(NULL, NULL, &set, err, sizeof err), CB_OK);
    for (size_t i = 0; tplset_name(i) != NULL; i++) {
        const char *name = tplset_name(i);
        tpl_ctx_t *ctx = context_for(name, pol, p, q);
        char *text = NULL, *full;
        int lists = strcmp(name, "household_reminder") == 0;

        ck_assert_msg(tpl_render_strict(tplset_get(set, name), ctx, &text, err, sizeof err) == 0,
                      "%s", err);
        if (strcmp(name, "daily_report") == 0) {
            ck_assert_ptr_nonnull(strstr(text, "安化县2024年度居民医保缴费日报（12月1日）"));
            ck_assert_ptr_nonnull(strstr(text, "已缴 **31473** 人 / 任务 37288 人，完成 **84.4%**"));
            ck_assert_ptr_nonnull(strstr(text, "1. 金星村 90.0%（1800/2000）\n"));
            ck_assert_ptr_null(strstr(text, "进度靠后"));
        } else if (strcmp(name, "worker_todo") == 0) {
            ck_assert_msg(strstr(text, "王五今日待办") && strstr(text, "冷市镇南华村共1户2人未缴") &&
                              strstr(text, "1. H001 张三丰等2人：特殊群体未缴1人"),
                          "%s", text);
        } else if (lists) {
            ck_assert_msg(strstr(text, "张三丰380元") ||
                              strstr(text, "张三丰（3组） 138****5678 应缴380元"),
                          "%s", text);
            ck_assert_msg(strstr(text, "李四190元") ||
                              strstr(text, "李四 139****1111 应缴190元，低保"),
                          "%s", text);
        } else {
            /* Answers have no greeting (several go in one SMS); opt-outs name nobody. */
            if (strncmp(name, "answer_", 7) != 0 && strcmp(name, "optout_ack") != 0 &&
                strcmp(name, "department_notice") != 0)
                ck_assert_msg(strncmp(text, masked, strlen(masked)) == 0, "%s: %s", name, text);
            if (strstr(" window_open remind_periodic deadline_near last_day payment_thanks "
                       "waiver_ack answer_amount answer_subsidy answer_status milestone_near "
                       "newborn_reminder lapse_reminder ", name) != NULL)
                ck_assert_msg(strstr(text, amount) != NULL, "%s: %s", name, text);
        }
        if (tplset_is_sms(name) == 1) {
            sms_count_t c = {SMS_GSM7, 0, 0, 0};

            full = rep("中", 10); /* the signature and opt-out the channel adds */
            full = cat(strdup(text), full);
            ck_assert_int_eq(sms_count(full, strlen(full), &c), CB_OK);
            ck_assert_msg(c.segments <= 2, "%s: %d segments", name, c.segments);
            free(full);
        }
        free(text);
        tpl_ctx_destroy(ctx);
    }
    tplset_destroy(set);
    policy_destroy(pol);
}
END_TEST

/* After the window each seed's answer says what is true now, never "还有0天". */
START_TEST(after_the_window)
{
    policy_t *lengshi = load_policy("lengshi-2024.json"), *pingli = load_policy("pingli-2022.json");
    policy_t *suizhou = load_policy("suizhou-2022.json");
    tplset_t *set = NULL;
    char err[256];
    msg_person_t away = plain;
    tpl_ctx_t *ctx;
    char *text;

    ck_assert_int_eq(tplset_load(NULL, NULL, &set, err, sizeof err), CB_OK);
    /* Pingli on 2022-01-05: closed on 12-25; the special cases' late rule. */
    ctx = msgctx_resident(pingli, &plain, ymd(2022, 1, 5));
    text = tpl_render(tplset_get(set, "answer_deadline"), ctx);
    ck_assert_str_eq(text, "2022年度城乡居民医保集中缴费已于12月25日截止。现在参保需缴320元(无资助)，"
                           "缴费次月起享受待遇。");
    free(text);
    tpl_ctx_destroy(ctx);
    /* Lengshi on 2024-01-05: the full funding standard and 30 days. */
    ctx = msgctx_resident(lengshi, &plain, ymd(2024, 1, 5));
    ck_assert_str_eq(tpl_ctx_get(ctx, "late_now"), "现在参保需缴1020元(全额)，到账30天后享受待遇");
    text = tpl_render(tplset_get(set, "remind_periodic"), ctx);
    ck_assert_ptr_null(strstr(text, "还有0天"));
    ck_assert_ptr_nonnull(strstr(text, "已于12月31日截止"));
    free(text);
    tpl_ctx_destroy(ctx);
    /* Suizhou on 2022-01-20: the extension covers a flagged migrant worker until 2-28;
     * the others cannot enrol any more. */
    away.extension = 1;
    ctx = msgctx_resident(suizhou, &away, ymd(2022, 1, 20));
    ck_assert_str_eq(tpl_ctx_get(ctx, "extension_until"), "2月28日");
    ck_assert_str_eq(tpl_ctx_get(ctx, "late_now"), "");
    text = tpl_render(tplset_get(set, "answer_deadline"), ctx);
    ck_assert_str_eq(text, "2022年度城乡居民医保集中缴费已于12月31日截止；外出务工或返乡居民可延至2月28日，"
                           "还有39天。");
    free(text);
    tpl_ctx_destroy(ctx);
    ctx = msgctx_resident(suizhou, &plain, ymd(2022, 1, 20));
    ck_assert_str_eq(tpl_ctx_get(ctx, "late_now"), "现已不能参加2022年度居民医保");
    tpl_ctx_destroy(ctx);
    tplset_destroy(set);
    policy_destroy(lengshi);
    policy_destroy(pingli);
    policy_destroy(suizhou);
}
END_TEST

START_TEST(household_list)
{
    policy_t *pol = load_policy("lengshi-2024.json");
    msg_person_t li = person_in(pol, "低保"), five[5] = {plain, li, plain, li, plain};
    tpl_ctx_t *ctx = msgctx_resident(pol, &plain, ymd(2023, 12, 1));
    tplset_t *set = NULL;
    char err[256] = "", *text;

    msgctx_household(ctx, pol, five, 2, 3);
    ck_assert_int_eq(tplset_load(NULL, NULL, &set, err, sizeof err), CB_OK);
    text = tpl_render(tplset_get(set, "household_reminder"), ctx);
    ck_assert_str_eq(
        text, "您家2024年度城乡居民医保还有2人未缴：张三丰380元、李四190元，合计570元，12月31日"
              "截止。逾期需按1020元全额缴费，到账30天后享受待遇。已缴请忽略。");
    free(text);
    msgctx_household(ctx, pol, five, 5, 3);
    ck_assert_str_eq(tpl_ctx_get(ctx, "member_count"), "5");
    ck_assert_str_eq(tpl_ctx_get(ctx, "total_yuan"), "1520");
    ck_assert_str_eq(tpl_ctx_get(ctx, "others"), "2");
    expect_render(
        "{{#members}}{{^first}}、{{/first}}{{name}}{{/members}}{{#others}}等{{member_count}}人"
        "{{/others}}",
        ctx, "张**、李*、张**等5人");
    tplset_destroy(set);
    tpl_ctx_destroy(ctx);
    policy_destroy(pol);
}
END_TEST

START_TEST(other_policies_and_dates)
{
    static const char fractional[] =
        "{\"county\":\"测试县\",\"coverage_year\":2024,\"window\":{\"start\":\"2023-09-01\","
        "\"end\":\"2023-12-31\"},\"personal_fee_fen\":38100,\"funding_standard_fen\":102000,"
        "\"categories\":[{\"name\":\"低保\",\"rule\":\"percent\",\"percent\":50}]}";
    policy_t *huarong = load_policy("huarong-2022.json"), *pingli = load_policy("pingli-2022.json");
    policy_t *frac = NULL;
    msg_person_t tekun = person_in(pingli, "特困"),
                 nobody = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0};
    tpl_ctx_t *ctx = msgctx_resident(huarong, &plain, ymd(2021, 12, 29));

    ck_assert_str_eq(tpl_ctx_get(ctx, "consequence"),
                     "逾期需按900元全额缴费，缴费次月起享受待遇");
    ck_assert_str_eq(tpl_ctx_get(ctx, "days_left"), "2");
    msgctx_campaign(ctx, huarong, ymd(2021, 12, 31));
    ck_assert_str_eq(tpl_ctx_get(ctx, "days_left"), "0");
    msgctx_campaign(ctx, huarong, ymd(2022, 1, 5));
    ck_assert_str_eq(tpl_ctx_get(ctx, "days_left"), "0");
    tpl_ctx_destroy(ctx);

    ctx = msgctx_resident(pingli, &tekun, ymd(2021, 10, 15));
    ck_assert_str_eq(tpl_ctx_get(ctx, "consequence"),
                     "逾期仅特殊人员可按320元缴费(无资助)，缴费次月起享受待遇");
    ck_assert_str_eq(tpl_ctx_get(ctx, "late_fee_yuan"), "320");
    ck_assert_str_eq(tpl_ctx_get(ctx, "payment_channels"), MSGCTX_DEFAULT_CHANNELS);
    ck_assert_str_eq(tpl_ctx_get(ctx, "deadline"), "12月25日");
    expect_render("{{#by_department}}代缴{{amount_yuan}}元{{/by_department}}{{^closed}}未截止{{/"
                  "closed}}",
                  ctx, "代缴0元未截止");
    msgctx_person(ctx, pingli, &nobody);
    expect_render("[{{name}}{{village}}{{group}}]{{^name}}无名{{/name}}", ctx, "[]无名");
    tpl_ctx_destroy(ctx);

    ck_assert_int_eq(policy_parse(fractional, sizeof fractional - 1, &frac, NULL, 0), CB_OK);
    ctx = msgctx_resident(frac, &(msg_person_t){"王五", NULL, NULL, NULL, NULL, NULL, dibao, 1, 0, 0},
                          ymd(2023, 9, 1));
    ck_assert_str_eq(tpl_ctx_get(ctx, "amount_yuan"), "190.50");
    ck_assert_str_eq(tpl_ctx_get(ctx, "fee_yuan"), "381");
    ck_assert_str_eq(tpl_ctx_get(ctx, "days_left"), "121");
    tpl_ctx_destroy(ctx);
    policy_destroy(frac);
    policy_destroy(huarong);
    policy_destroy(pingli);
}
END_TEST

static Suite *tplset_suite(void)
{
    Suite *s = suite_create("tplset");
    TCase *set = tcase_create("tplset"), *msg = tcase_create("msgctx");

    tcase_add_test(set, default_set);
    tcase_add_test(set, override_folder);
    tcase_add_loop_test(set, override_rejected, 0,
                        (int)(sizeof bad_overrides / sizeof bad_overrides[0]));
    tcase_add_test(set, oversized_file);
    suite_add_tcase(s, set);
    tcase_add_test(msg, lengshi_variables_and_texts);
    tcase_add_loop_test(msg, every_default_renders, 0, 2);
    tcase_add_test(msg, household_list);
    tcase_add_test(msg, after_the_window);
    tcase_add_test(msg, other_policies_and_dates);
    suite_add_tcase(s, msg);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tplset_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
