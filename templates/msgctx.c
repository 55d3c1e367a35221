/* SPDX-License-Identifier: MIT */
/* msgctx.c - the standard message variables from a policy, a person and a date. */
#include "templates/msgctx.h"

#include <stdint.h>

#include "core/money.h"

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

static void set_consequence(tpl_ctx_t *ctx, const policy_t *pol)
{
    const policy_late_enrolment_t *late = policy_late_enrolment(pol);
    char fee[24];

    if (late == NULL) {
        tpl_ctx_set(ctx, "late_fee_yuan", "");
        tpl_ctx_set(ctx, "consequence", "");
        return;
    }
    money_format_yuan(late->fee_fen, fee);
    tpl_ctx_set(ctx, "late_fee_yuan", fee);
    if (late->wait == POL_WAIT_NEXT_MONTH)
        tpl_ctx_setf(ctx, "consequence", "逾期需按%s元全额缴费，缴费次月起才能享受待遇", fee);
    else
        tpl_ctx_setf(ctx, "consequence", "逾期需按%s元全额缴费并等待%d天后才能享受待遇", fee,
                     late->wait_days);
}

void msgctx_campaign(tpl_ctx_t *ctx, const policy_t *pol, cb_date_t today)
{
    const char *issuer = policy_issuer(pol), *channels = policy_payment_channels(pol);
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
    return ctx;
}
