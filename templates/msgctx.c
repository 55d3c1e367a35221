/* SPDX-License-Identifier: MIT */
/* msgctx.c - the standard message variables from a policy, a person and a date. */
#include "templates/msgctx.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/idcard.h"
#include "core/money.h"
#include "core/policy_rules.h"

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

static void set_yuan(tpl_ctx_t *ctx, const char *name, int64_t fen)
{
    char buf[24];

    money_format_yuan(fen, buf);
    tpl_ctx_set(ctx, name, buf);
}

/* A positive amount, or "" (falsy) for none. */
static void set_yuan_or_empty(tpl_ctx_t *ctx, const char *name, int64_t fen)
{
    if (fen > 0)
        set_yuan(ctx, name, fen);
    else
        tpl_ctx_set(ctx, name, "");
}

/* "12月31日" */
static void set_month_day(tpl_ctx_t *ctx, const char *name, cb_date_t date)
{
    int y, m, d;

    date_to_ymd(date, &y, &m, &d);
    tpl_ctx_setf(ctx, name, "%d月%d日", m, d);
}

/* When cover starts under a waiting rule: "缴费到账30天后", "缴费次月起", ... */
static void wait_text(char *buf, size_t len, const policy_late_enrolment_t *w)
{
    switch (w->wait) {
    case POL_WAIT_DAYS: snprintf(buf, len, "到账%d天后", w->wait_days); break;
    case POL_WAIT_NEXT_MONTH: snprintf(buf, len, "缴费次月起"); break;
    case POL_WAIT_NONE: snprintf(buf, len, "缴费当日起"); break;
    case POL_WAIT_MONTHS:
        if (w->extra_months_per_year > 0)
            snprintf(buf, len, "缴费%d个月后(每多断保1年加%d个月)", w->wait_months,
                     w->extra_months_per_year);
        else
            snprintf(buf, len, "缴费%d个月后", w->wait_months);
        break;
    }
}

/* What paying under the late rule 'w' costs: "按1020元全额缴费，到账30天后享受待遇". */
static void late_rule_text(char *buf, size_t len, const policy_late_enrolment_t *w)
{
    char fee[24], wait[96];

    money_format_yuan(w->fee_fen, fee);
    wait_text(wait, sizeof wait, w);
    snprintf(buf, len, "按%s元%s，%s享受待遇", fee, w->full_standard ? "全额缴费" : "缴费(无资助)",
             wait);
}

static void set_consequence(tpl_ctx_t *ctx, const policy_t *pol)
{
    const policy_late_enrolment_t *late = policy_late_enrolment(pol);
    char rule[256];

    if (late == NULL) {
        tpl_ctx_set(ctx, "late_fee_yuan", "");
        tpl_ctx_setf(ctx, "consequence", "逾期不再征收，%d年不能享受医保待遇", policy_year(pol));
        return;
    }
    set_yuan(ctx, "late_fee_yuan", late->fee_fen);
    late_rule_text(rule, sizeof rule, late);
    if (late->open_to != NULL)
        tpl_ctx_setf(ctx, "consequence", "逾期仅特殊人员可%s", rule);
    else
        tpl_ctx_setf(ctx, "consequence", "逾期需%s", rule);
}

void msgctx_campaign(tpl_ctx_t *ctx, const policy_t *pol, cb_date_t today)
{
    const char *issuer = policy_issuer(pol), *channels = policy_payment_channels(pol);
    const char *applies = NULL;
    cb_date_t end = policy_window_end(pol);

    tpl_ctx_setf(ctx, "year", "%d", policy_year(pol));
    tpl_ctx_set(ctx, "county", policy_county(pol));
    tpl_ctx_set(ctx, "issuer", or_empty(issuer));
    set_yuan(ctx, "fee_yuan", policy_fee_fen(pol));
    set_month_day(ctx, "deadline", end);
    tpl_ctx_setf(ctx, "days_left", "%ld", today < end ? (long)(end - today) : 0L);
    set_month_day(ctx, "today", today);
    tpl_ctx_set(ctx, "payment_channels", channels != NULL ? channels : MSGCTX_DEFAULT_CHANNELS);
    set_consequence(ctx, pol);
    tpl_ctx_set_bool(ctx, "closed", today > end);
    tpl_ctx_set_bool(ctx, "ends_today", today == end);
    tpl_ctx_set_bool(ctx, "ecert", policy_promote_ecert(pol));
    policy_extension_end(pol, &applies);
    tpl_ctx_set(ctx, "extension_applies", or_empty(applies));
}

/* After the person's last day: what enrolling now costs them, from the policy. */
static void set_late_now(tpl_ctx_t *ctx, const policy_t *pol, const msg_person_t *person,
                         cb_date_t today)
{
    cb_date_t last = policy_last_day_for(pol, person->extension);
    cb_date_t birth = person->id_number ? idcard_birth(person->id_number) : 0;
    policy_late_case_t lc;
    char buf[320], wait[96], fee[24];

    set_month_day(ctx, "last_day", last);
    tpl_ctx_set(ctx, "extension_until", "");
    tpl_ctx_setf(ctx, "extension_days_left", "%ld", today < last ? (long)(last - today) : 0L);
    if (person->extension && today <= last && today > policy_window_end(pol))
        set_month_day(ctx, "extension_until", last);
    if (today <= last) {
        tpl_ctx_set(ctx, "late_now", "");
        return;
    }
    policy_late_case(pol, today, birth, person->lapse, &lc);
    if (!lc.allowed) {
        tpl_ctx_setf(ctx, "late_now", "现已不能参加%d年度居民医保", policy_year(pol));
        return;
    }
    money_format_yuan(lc.fee_fen, fee);
    if (lc.wait != NULL)
        wait_text(wait, sizeof wait, lc.wait);
    else
        snprintf(wait, sizeof wait, "按%s政策", lc.rule);
    snprintf(buf, sizeof buf, "现在参保需缴%s元%s，%s享受待遇", fee,
             lc.full_standard ? "(全额)" : "(无资助)", wait);
    tpl_ctx_set(ctx, "late_now", buf);
}

void msgctx_person(tpl_ctx_t *ctx, const policy_t *pol, const msg_person_t *person)
{
    policy_owed_t owed = policy_owed(pol, person->cats, person->ncats);

    tpl_ctx_set_personal(ctx, "name", or_empty(person->name), MASK_NAME);
    tpl_ctx_set_personal(ctx, "id_number", or_empty(person->id_number), MASK_ID);
    tpl_ctx_set_personal(ctx, "phone", or_empty(person->phone), MASK_PHONE);
    tpl_ctx_set(ctx, "township", or_empty(person->township));
    tpl_ctx_set(ctx, "village", or_empty(person->village));
    tpl_ctx_set(ctx, "group", or_empty(person->group));
    set_yuan(ctx, "amount_yuan", owed.pay_now_fen);
    tpl_ctx_set_bool(ctx, "subsidised", owed.subsidy_fen > 0);
    set_yuan_or_empty(ctx, "subsidy_yuan", owed.subsidy_fen);
    tpl_ctx_set(ctx, "category",
                owed.category >= 0 ? policy_category(pol, (size_t)owed.category)->name : "");
    set_yuan_or_empty(ctx, "refund_yuan", owed.refund_fen);
    tpl_ctx_set_bool(ctx, "by_department", owed.payer == POL_PAYER_DEPARTMENT);
    tpl_ctx_set(ctx, "late_now", ""); /* msgctx_resident knows the day */
    tpl_ctx_set(ctx, "extension_until", "");
    tpl_ctx_set(ctx, "extension_days_left", "0");
    tpl_ctx_set(ctx, "last_day", "");
}

tpl_ctx_t *msgctx_push_person(tpl_ctx_t *ctx, const char *list, const policy_t *pol,
                              const msg_person_t *person)
{
    tpl_ctx_t *item = tpl_ctx_push(ctx, list);

    msgctx_person(item, pol, person);
    return item;
}

void msgctx_household(tpl_ctx_t *ctx, const policy_t *pol, const msg_person_t *people, size_t n,
                      size_t max_listed)
{
    int64_t total = 0;

    tpl_ctx_set(ctx, "members", NULL); /* defined even when nobody is listed */
    for (size_t i = 0; i < n; i++) {
        total += policy_owed(pol, people[i].cats, people[i].ncats).pay_now_fen;
        if (i < max_listed)
            tpl_ctx_set_bool(msgctx_push_person(ctx, "members", pol, &people[i]), "first", i == 0);
    }
    tpl_ctx_setf(ctx, "member_count", "%zu", n);
    set_yuan(ctx, "total_yuan", total);
    if (n > max_listed)
        tpl_ctx_setf(ctx, "others", "%zu", n - max_listed);
    else
        tpl_ctx_set(ctx, "others", "");
}

tpl_ctx_t *msgctx_resident(const policy_t *pol, const msg_person_t *person, cb_date_t today)
{
    tpl_ctx_t *ctx = tpl_ctx_create();

    msgctx_campaign(ctx, pol, today);
    msgctx_person(ctx, pol, person);
    set_late_now(ctx, pol, person, today);
    return ctx;
}

void msgctx_late_window(tpl_ctx_t *ctx, const policy_t *pol, const char *from, cb_date_t event)
{
    const policy_late_window_t *lw = policy_late_window_from(pol, from);
    int birth = strcmp(from, "birth") == 0, y, m, d;

    tpl_ctx_set(ctx, "window_days", "");
    tpl_ctx_set(ctx, "own_deadline", "");
    if (lw == NULL) {
        tpl_ctx_set(ctx, "cover_text", "按逾期参保规定缴费");
        return;
    }
    switch (lw->cover) {
    case POL_COVER_FROM_PAYMENT: tpl_ctx_set(ctx, "cover_text", "自缴费之日起享受待遇"); break;
    case POL_COVER_NEXT_MONTH: tpl_ctx_set(ctx, "cover_text", "缴费次月起享受待遇"); break;
    case POL_COVER_FROM_EVENT:
        tpl_ctx_set(ctx, "cover_text", birth ? "待遇从出生之日起享受" : "待遇从停保之日起接续");
        break;
    }
    if (lw->days <= 0)
        return;
    tpl_ctx_setf(ctx, "window_days", "%d", lw->days);
    if (event == 0)
        return;
    date_to_ymd(event + lw->days - 1, &y, &m, &d);
    tpl_ctx_setf(ctx, "own_deadline", "%d年%d月%d日", y, m, d);
}
