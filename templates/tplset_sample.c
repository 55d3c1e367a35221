/* SPDX-License-Identifier: MIT */
/*
 * tplset_sample.c - the worst-case sample contexts of the load-time check
 * (described in tplset.h): msgctx's own output for a policy and people with the
 * longest plausible values, so the samples cannot drift from what messages get.
 */
#include "templates/tplset_internal.h"

#include "core/date.h"
#include "core/err.h"
#include "core/policy.h"
#include "templates/msgctx.h"

static const char worst_policy[] =
    "{\"county\":\"某某土家族苗族自治县\",\"issuer\":\"某某县医疗保障局办公室\","
    "\"coverage_year\":2024,\"payment_channels\":\"微信、支付宝、湘税社保APP、手机银行或村组代收\","
    "\"window\":{\"start\":\"2023-09-01\",\"end\":\"2023-12-31\"},"
    "\"personal_fee_fen\":999950,\"funding_standard_fen\":999990,"
    "\"categories\":[{\"name\":\"最低生活保障对象\",\"rule\":\"percent\",\"percent\":50},"
    "{\"name\":\"重度残疾人员优抚\",\"rule\":\"fixed\",\"amount_fen\":999950,"
    "\"settlement\":\"refund_after\"}],"
    "\"late_enrolment\":{\"fee\":\"funding_standard\",\"wait_days\":366}}";

static const int first_category[] = {0}, second_category[] = {1};

/* The sample person 'which' % 3: in no category, in the first, in the second. */
static msg_person_t person(int which)
{
    msg_person_t p = {.name = "欧阳某某", .id_number = "430623199001011234",
                      .phone = "13812345678", .township = "某某某某镇", .village = "某某某某某村",
                      .group = "12组"};

    if (which % 3 == 1) {
        p.cats = first_category;
        p.ncats = 1;
    } else if (which % 3 == 2) {
        p.cats = second_category;
        p.ncats = 1;
    }
    return p;
}

static void survey(tpl_ctx_t *ctx, int variant)
{
    static const char *const options[] = {"已在外地参保一年", "已参加职工医保费",
                                          "经济困难暂缓缴费", "其他原因回复说明"};

    tpl_ctx_set(ctx, "question", "您还没有缴纳今年的城乡居民医保费，方便告诉我们是什么原因吗？");
    tpl_ctx_set_bool(ctx, "free_text", variant == 1);
    for (int i = 0; variant == 0 && i < 4; i++) {
        tpl_ctx_t *item = tpl_ctx_push(ctx, "options");

        tpl_ctx_setf(item, "key", "%d", i + 1);
        tpl_ctx_set(item, "text", options[i]);
        tpl_ctx_set_bool(item, "first", i == 0);
    }
}

/* An answer to a reply: one person in each category, or 5 people sharing a phone
 * (3 listed); covered or not; the longest claim the bot words. */
static void reply(tpl_ctx_t *ctx, const policy_t *pol, int variant)
{
    msg_person_t people[5];

    for (int i = 0; i < 5; i++)
        people[i] = person(variant);
    msgctx_household(ctx, pol, people, 5, 3);
    tpl_ctx_set_bool(ctx, "household", variant >= 3);
    tpl_ctx_set_bool(ctx, "covered", variant == 1);
    tpl_ctx_set(ctx, "claim", "已在外地参保缴费");
    /* answer_newborn: a child's own window (variant 0), the rule in general (others) */
    tpl_ctx_set(ctx, "own_deadline", variant == 0 ? "2024年12月31日" : "");
    tpl_ctx_set(ctx, "window_days", variant == 2 ? "" : "366");
    tpl_ctx_set(ctx, "cover_text", variant == 2 ? "按逾期参保规定缴费" : "待遇从出生之日起享受");
}

static void household(tpl_ctx_t *ctx, const policy_t *pol, int variant)
{
    msg_person_t people[5];

    for (int i = 0; i < 5; i++)
        people[i] = person(0);
    msgctx_household(ctx, pol, people, variant == 0 ? 5 : 3, 3);
}

static void todo(tpl_ctx_t *ctx, const policy_t *pol, int variant)
{
    (void)pol;
    tpl_ctx_set(ctx, "worker", "某某某");
    tpl_ctx_set(ctx, "area", "某某某某镇某某某某某村");
    tpl_ctx_set(ctx, "household_count", variant == 0 ? "999" : "3");
    tpl_ctx_set(ctx, "unpaid_count", variant == 0 ? "9999" : "3");
    for (int i = 0; i < 3; i++) {
        tpl_ctx_t *item = tpl_ctx_push(ctx, "households");

        tpl_ctx_setf(item, "pos", "%d", i + 1);
        tpl_ctx_set(item, "code", "4309231012010001");
        tpl_ctx_set(item, "name", "欧阳某某");
        tpl_ctx_set_bool(item, "more", i > 0);
        tpl_ctx_set(item, "members", "5");
        tpl_ctx_set(item, "reason", "特殊群体未缴2人；无人留电话；待核实缴费声明2人");
    }
    tpl_ctx_set(ctx, "others", variant == 0 ? "996" : "");
    tpl_ctx_set_bool(ctx, "markdown", variant == 0); /* a robot route, or an SMS */
}

/* A report item: the longest area name, 6-digit figures, a change. */
static void report_item(tpl_ctx_t *ctx, const char *list, int rank)
{
    tpl_ctx_t *item = tpl_ctx_push(ctx, list);

    tpl_ctx_setf(item, "rank", "%d", rank);
    tpl_ctx_set(item, "area", "某某镇某某社区");
    tpl_ctx_set(item, "paid", "123456");
    tpl_ctx_set(item, "target", "123456");
    tpl_ctx_set(item, "progress", "100.0%");
    tpl_ctx_set(item, "change", "+123456人，+100.0个百分点");
    tpl_ctx_set(item, "gap", "123456");
    tpl_ctx_set(item, "special", "123456");
    tpl_ctx_set(item, "special_covered", "123456");
}

/* The milestones missed and the townships last twice in a row. */
static void report_marks(tpl_ctx_t *ctx, int full)
{
    tpl_ctx_t *it;

    tpl_ctx_set(ctx, "missed", "");
    tpl_ctx_set(ctx, "last_twice", "");
    if (!full)
        return;
    it = tpl_ctx_push(ctx, "missed");
    tpl_ctx_set(it, "label", "11月底最低完成80%");
    tpl_ctx_set(it, "date", "11月30日");
    tpl_ctx_set(it, "needed", "123456");
    tpl_ctx_set(it, "paid", "123456");
    it = tpl_ctx_push(ctx, "last_twice");
    tpl_ctx_set(it, "area", "某某镇");
    tpl_ctx_set(it, "action", "约谈");
}

/* Variant 0: a later report with every list full; 1: the first report, no target,
 * nothing to list. */
static void report(tpl_ctx_t *ctx, int variant)
{
    static const char *const lists[] = {"areas", "top", "bottom", "behind", "special_gaps"};
    int full = variant == 0;

    tpl_ctx_set(ctx, "period", "日报");
    tpl_ctx_set(ctx, "paid", "123456");
    tpl_ctx_set(ctx, "target", full ? "123456" : "-");
    tpl_ctx_set(ctx, "unpaid", "123456");
    tpl_ctx_set(ctx, "progress", full ? "100.0%" : "-");
    tpl_ctx_set(ctx, "coverage", "100.0%");
    tpl_ctx_set_bool(ctx, "first", !full);
    tpl_ctx_set(ctx, "since", full ? "12月31日" : "");
    tpl_ctx_set(ctx, "paid_delta", "+123456");
    tpl_ctx_set(ctx, "points_delta", "+100.0");
    tpl_ctx_set(ctx, "milestone", full ? "11月底最低完成80%" : "");
    tpl_ctx_set(ctx, "pace", "100.0%");
    tpl_ctx_set_bool(ctx, "on_pace", 0);
    tpl_ctx_set(ctx, "gap", "123456");
    tpl_ctx_set_bool(ctx, "has_special", full);
    tpl_ctx_set(ctx, "special", "123456");
    tpl_ctx_set(ctx, "special_covered", "123456");
    tpl_ctx_set(ctx, "special_coverage", "100.0%");
    tpl_ctx_set_bool(ctx, "towns", full);
    tpl_ctx_set_bool(ctx, "has_top", full);
    tpl_ctx_set_bool(ctx, "has_bottom", full);
    tpl_ctx_set(ctx, "unit", full ? "乡镇" : "村");
    tpl_ctx_set(ctx, "late_count", full ? "123456" : "");
    tpl_ctx_set(ctx, "behind_count", full ? "123" : "");
    tpl_ctx_set(ctx, "behind_more", full ? "113" : "");
    tpl_ctx_set(ctx, "special_gap_count", full ? "123" : "");
    tpl_ctx_set(ctx, "special_more", full ? "113" : "");
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        tpl_ctx_set(ctx, lists[l], "");
        for (int i = 0; full && i < 3; i++)
            report_item(ctx, lists[l], i + 1);
    }
    report_marks(ctx, full);
}

/* The extra variables of the reminder rules' templates (jobs/job_remind.c). */
static void remind_extras(tpl_ctx_t *ctx, tplset_kind_t kind)
{
    if (kind == TPLSET_MILESTONE) {
        tpl_ctx_set(ctx, "milestone", "11月底最低完成80%");
        tpl_ctx_set(ctx, "milestone_date", "11月30日");
        tpl_ctx_set(ctx, "milestone_percent", "100");
    } else if (kind == TPLSET_DATED) {
        tpl_ctx_set(ctx, "own_deadline", "2024年12月31日");
        tpl_ctx_set(ctx, "window_days", "366");
        tpl_ctx_set(ctx, "cover_text", "待遇从停保之日起接续");
    } else if (kind == TPLSET_DEPARTMENT) {
        tpl_ctx_set(ctx, "contact", "某某县民政局社会救助股");
        tpl_ctx_set(ctx, "category", "事实无人抚养儿童");
        tpl_ctx_set(ctx, "unpaid_count", "99999");
        tpl_ctx_set(ctx, "total_yuan", "99999999.50");
    }
}

int tplset__sample(tplset_kind_t kind, int variant, tpl_ctx_t **out)
{
    static const int nvariants[] = {3, 2, 3, 2, 4, 2, 2, 3, 3, 1}; /* by tplset_kind_t */
    policy_t *pol = NULL;
    cb_date_t today;
    tpl_ctx_t *ctx;
    msg_person_t p = person(variant);

    *out = NULL;
    if (variant < 0 || variant >= nvariants[kind])
        return CB_ENOTFOUND;
    if (date_from_ymd(2023, 9, 1, &today) < 0 ||
        policy_parse(worst_policy, sizeof worst_policy - 1, &pol, NULL, 0) < 0)
        return CB_ECONFIG; /* cannot happen: the tests load every sample */
    ctx = tpl_ctx_create();
    msgctx_campaign(ctx, pol, today);
    if (kind == TPLSET_RESIDENT || kind == TPLSET_THANKS || kind == TPLSET_SURVEY ||
        kind == TPLSET_REPLY || kind == TPLSET_MILESTONE || kind == TPLSET_DATED)
        msgctx_person(ctx, pol, &p);
    if (kind == TPLSET_THANKS)
        tpl_ctx_set(ctx, "paid_yuan", "9999.50");
    else if (kind == TPLSET_SURVEY)
        survey(ctx, variant);
    else if (kind == TPLSET_REPLY)
        reply(ctx, pol, variant);
    else if (kind == TPLSET_HOUSEHOLD)
        household(ctx, pol, variant);
    else if (kind == TPLSET_TODO)
        todo(ctx, pol, variant);
    else if (kind == TPLSET_REPORT)
        report(ctx, variant);
    else
        remind_extras(ctx, kind);
    policy_destroy(pol);
    *out = ctx;
    return CB_OK;
}
