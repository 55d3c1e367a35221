/* SPDX-License-Identifier: MIT */
#include "bot/payment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catset.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/money.h"
#include "core/policy_rules.h"
#include "core/status.h"
#include "templates/msgctx.h"
#include "store/store_outbox.h"
#include "store/store_paydate.h"
#include "store/store_claim.h"
#include "store/store_payment.h"
#include "store/store_roster.h"

/* What the person must pay through a tax channel under the policy. */
static int64_t expected_fen(const policy_t *pol, const char *categories)
{
    policy_owed_t o = catset_owed(pol, categories);

    /* A department pays the whole personal fee for its people in bulk. */
    return o.payer == POL_PAYER_DEPARTMENT ? policy_fee_fen(pol) : o.pay_now_fen;
}

/* Why a matched person cannot take this payment, or NULL when it applies. */
static const char *conflict(const store_resident_t *r, int64_t amount, int64_t expected,
                            char *why, size_t whylen)
{
    char got[24], want[24];

    if (amount != expected) {
        money_format(amount, got);
        money_format(expected, want);
        snprintf(why, whylen, "amount %s yuan, expected %s for this person", got, want);
        return why;
    }
    switch (status_from_name(r->status)) {
    case PS_PAID: return "already paid: a second payment, to refund on request";
    case PS_EMPLOYEE_INSURED: return "in employee insurance: duplicate, to refund on request";
    case PS_INSURED_ELSEWHERE: return "insured elsewhere: duplicate, to refund on request";
    case PS_DECEASED: return "the person is recorded as deceased";
    default: return NULL;
    }
}

/* Where a payment falls in the calendar and what it owes there (pay_when). */
typedef struct pay_when {
    cb_date_t day;
    const char *late;     /* NULL: a window payment */
    cb_date_t cover_from; /* with 'late' */
    int has_expected;     /* late: 'expected' replaces the person's own amount */
    int64_t expected;
    const char *problem;  /* the payment cannot be taken as it is dated */
    char why[200];
} pay_when_t;

/* 't' starts with "H:MM" or "HH:MM" (seconds and a zone may follow). */
static int time_ok(const char *t)
{
    size_t h = strcspn(t, ":"), len = strlen(t);
    int minute;

    if (t[h] == ':' && h + 3 < len)
        len = h + 3;
    return date_parse_hhmm(t, len, 23, &minute) == 0;
}

/* The day of 'paid_at', or a refusal in 'why' naming paid_at. */
static int paid_day(const char *at, cb_date_t today, cb_date_t *out, char *why, size_t len)
{
    size_t n = at != NULL ? strcspn(at, " T") : 0;
    char d[11];

    if (at == NULL || *at == '\0') {
        *out = today; /* no time given: the day it reached us (the campaign clock's) */
        return CB_OK;
    }
    if (date_parse(at, n, out) < 0 || (at[n] != '\0' && !time_ok(at + n + 1))) {
        snprintf(why, len, "paid_at: \"%.40s\" is not a date and time (YYYY-MM-DD[ HH:MM])", at);
        return CB_EINVAL;
    }
    if (*out > today) {
        date_format(today, d);
        snprintf(why, len, "paid_at: %.10s is in the future (today is %s)", at, d);
        return CB_EINVAL;
    }
    return CB_OK;
}

/* A payment outside the window: the extension for those it covers, else a late case. */
static int classify_late(pay_env_t *env, const pay_in_t *p, pay_when_t *w)
{
    const char *flag = policy_extension_flag(env->pol);
    store_resident_t r = {0};
    policy_late_case_t lc;
    cb_date_t lapse = 0;
    char d[11];
    int rc = store_resident_get(env->st, env->campaign, idcard_key(p->id_number), &r), ext = 0;

    if (rc == CB_ENOTFOUND || (rc == CB_OK && r.status == NULL)) {
        store_resident_free(&r);
        return CB_OK; /* record() reports the unknown ID */
    }
    if (rc >= 0 && flag != NULL)
        rc = ext = store_flag_has(env->st, env->campaign, r.id, flag);
    if (rc >= 0 && policy_payment_when(env->pol, w->day, ext) == POL_WHEN_EXTENSION) {
        w->late = "extension"; /* a window payment for them: their own amount */
    } else if (rc >= 0) {
        rc = store_lapse_get(env->st, env->campaign, r.id, &lapse);
        policy_late_case(env->pol, w->day, idcard_birth(p->id_number), lapse, &lc);
        date_format(policy_last_day_for(env->pol, ext), d);
        if (!lc.allowed) {
            snprintf(w->why, sizeof w->why,
                     "late: the window closed on %s and no late rule of the policy lets this "
                     "person enrol now",
                     d);
            w->problem = w->why;
        }
        w->late = lc.allowed ? lc.rule : NULL;
        w->cover_from = lc.cover_from;
        w->has_expected = lc.allowed;
        w->expected = lc.fee_fen;
    }
    store_resident_free(&r);
    return rc < 0 ? rc : CB_OK;
}

/* Where 'p' falls: CB_EINVAL (with out->problem) when its date is refused. */
static int pay_when(pay_env_t *env, const pay_in_t *p, int64_t now, pay_when_t *w,
                    pay_result_t *out)
{
    char d[11];
    int rc;

    memset(w, 0, sizeof *w);
    rc = paid_day(p->paid_at, clock_day(now), &w->day, out->problem, sizeof out->problem);
    if (rc < 0)
        return rc;
    switch (policy_payment_when(env->pol, w->day, 0)) {
    case POL_WHEN_WINDOW: return CB_OK;
    case POL_WHEN_EARLY:
        date_format(policy_window_start(env->pol), d);
        snprintf(w->why, sizeof w->why, "paid_at: before the window opened on %s", d);
        w->problem = w->why;
        return CB_OK;
    default: return classify_late(env, p, w);
    }
}

/* The payment's day, and for a late enrolment taken its rule and first day of cover. */
static void note_late(pay_result_t *out, const pay_when_t *w, int taken)
{
    out->paid_on = w->day;
    if (!taken || w->late == NULL || strcmp(w->late, "extension") == 0)
        return;
    out->outcome = PAY_LATE;
    snprintf(out->late, sizeof out->late, "%s", w->late);
    out->cover_from = w->cover_from;
}

/*
 * The receipt and the person's 'paid' claim (store_claim_for_payment): found before the
 * payment row is written, settled right after it. A receipt that applies verifies a
 * claim still open; for a person a worker already made paid by verifying the claim,
 * the receipt is the proof that claim stood for, not a second payment (the problem
 * is cleared and the status stays). *claim is 0 when no claim is settled.
 */
static int claim_step(store_t *st, int64_t campaign, const store_resident_t *r,
                      int64_t amount, int64_t expected, store_payment_t *pay, int64_t *claim)
{
    int open = 0, rc;

    *claim = 0;
    if (r->id == 0 || r->status == NULL || amount != expected)
        return CB_OK;
    rc = store_claim_for_payment(st, campaign, r->id, claim, &open);
    if (rc <= 0) {
        *claim = 0;
        return rc;
    }
    if (!open && status_from_name(r->status) == PS_PAID)
        pay->problem = NULL;
    else if (pay->problem != NULL)
        *claim = 0; /* a duplicate or a deceased person: the claim stays as it is */
    return CB_OK;
}

/* Settle claim 'claim' (claim_step) with the payment just recorded. */
static int claim_settle(store_t *st, int64_t claim, const char *receipt, int64_t now)
{
    char by[96];

    if (claim == 0)
        return CB_OK;
    snprintf(by, sizeof by, "receipt:%s", receipt);
    return store_claim_settle(st, claim, store_payment_last_id(st), by, now);
}

/* Record 'p': the payment row, and for a match the new status with its audit row. */
static int record(store_t *st, const policy_t *pol, int64_t campaign, const pay_in_t *p,
                  int64_t now, const pay_when_t *w, pay_result_t *out)
{
    char old_id[IDCARD_LEN + 1], why[200];
    store_payment_t pay = {0};
    store_resident_t r = {0};
    int64_t old_amount, claim = 0;
    int rc;

    rc = store_payment_find(st, p->receipt, old_id, &old_amount, out->problem,
                            sizeof out->problem);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (strcmp(old_id, p->id_number) != 0 || old_amount != p->amount_fen) {
            out->outcome = PAY_CONFLICT;
            snprintf(out->problem, sizeof out->problem,
                     "receipt already recorded with another ID number or amount");
        } else {
            out->outcome = PAY_REPLAY; /* an unresolved problem stays in out->problem */
        }
        return CB_OK;
    }
    pay.receipt = p->receipt;
    pay.id_number = p->id_number;
    pay.amount_fen = p->amount_fen;
    pay.channel = p->channel;
    pay.paid_at = p->paid_at;
    pay.source = p->source;
    pay.name = p->name;
    rc = store_resident_get(st, campaign, idcard_key(p->id_number), &r);
    if (rc == CB_ENOTFOUND || (rc == CB_OK && r.status == NULL))
        pay.problem = "ID number not on the roster of this campaign";
    else if (rc < 0)
        return rc;
    else {
        int64_t want = w->has_expected ? w->expected : expected_fen(pol, r.categories);
        pay.problem = conflict(&r, p->amount_fen, want, why, sizeof why);
        rc = claim_step(st, campaign, &r, p->amount_fen, want, &pay, &claim);
        if (rc < 0)
            goto out;
        if (pay.problem == NULL && w->problem != NULL) {
            pay.problem = w->problem; /* dated so it cannot be taken: the claim stays */
            claim = 0;
        }
    }
    pay.person_id = r.id;
    rc = store_payment_add(st, campaign, &pay, now);
    if (rc >= 0)
        rc = store_payment_dated(st, store_payment_last_id(st), w->day,
                                 pay.problem == NULL ? w->late : NULL, w->cover_from);
    if (rc >= 0 && pay.problem == NULL) {
        int from = status_from_name(r.status);
        out->change = (status_change_t){
            .seq = store_payment_last_id(st), .area_id = r.area_id,
            .from = from < 0 ? PS_UNPAID : (person_status_t)from, .to = PS_PAID,
            .special = r.categories != NULL && r.categories[0] != '\0'};
    }
    if (rc >= 0)
        rc = claim_settle(st, claim, p->receipt, now);
    if (rc >= 0 && pay.problem == NULL && out->change.from != PS_PAID)
        rc = store_status_set(st, campaign, r.id, r.status, "paid", p->source, now);
    if (rc >= 0) {
        out->outcome = pay.problem ? PAY_UNMATCHED : PAY_MATCHED;
        note_late(out, w, pay.problem == NULL);
        snprintf(out->problem, sizeof out->problem, "%s", pay.problem ? pay.problem : "");
        if (pay.problem == NULL) {
            out->person_id = r.id;
            snprintf(out->phone, sizeof out->phone, "%s", r.phone ? r.phone : "");
            snprintf(out->name, sizeof out->name, "%s", r.name ? r.name : "");
            snprintf(out->categories, sizeof out->categories, "%s",
                     r.categories ? r.categories : "");
        }
    }
out:
    store_resident_free(&r);
    return rc < 0 ? rc : CB_OK;
}

/* Queue the thank-you for a matched payment. */
static int thank(pay_env_t *env, const pay_in_t *in, const pay_result_t *r, int64_t now)
{
    const tpl_t *t = env->tpl ? tplset_get(env->tpl, "payment_thanks") : NULL;
    int idx[64];
    msg_person_t p = {.name = r->name, .id_number = in->id_number, .phone = r->phone,
                      .cats = idx};
    char *text, *vars, key[128], yuan[24];
    int rc;

    if (t == NULL || r->phone[0] == '\0')
        return CB_OK;
    p.ncats = catset_read(env->pol, r->categories, idx);
    if (env->thanks == NULL) {
        env->thanks = tpl_ctx_create();
        msgctx_campaign(env->thanks, env->pol, clock_day(now));
    }
    msgctx_person(env->thanks, env->pol, &p); /* replaces the last person's */
    money_format_yuan(in->amount_fen, yuan);
    tpl_ctx_set(env->thanks, "paid_yuan", yuan);
    text = tpl_render(t, env->thanks);
    vars = tpl_ctx_json(env->thanks);
    snprintf(key, sizeof key, "thanks:%s", in->receipt);
    outbox_new_t m = {.key = key, .campaign_id = env->campaign, .person_id = r->person_id,
                      .route = env->reply_route ? env->reply_route : "sms", .klass = OB_REPLY,
                      .recipient = r->phone, .template_name = "payment_thanks", .text = text,
                      .vars = vars};
    rc = store_outbox_enqueue(env->st, &m, now);
    free(text);
    free(vars);
    return rc < 0 ? rc : CB_OK;
}

int pay_confirm(pay_env_t *env, const pay_in_t *p, int64_t now, pay_result_t *out)
{
    pay_when_t w;
    int rc;

    memset(out, 0, sizeof *out);
    rc = pay_when(env, p, now, &w, out);
    if (rc == CB_EINVAL) {
        out->outcome = PAY_REFUSED; /* nothing recorded: the sender corrects and resends */
        return CB_OK;
    }
    if (rc >= 0)
        rc = record(env->st, env->pol, env->campaign, p, now, &w, out);
    if (rc < 0 || (out->outcome != PAY_MATCHED && out->outcome != PAY_LATE))
        return rc;
    /* A receipt for a claim a worker verified changes no status: no notice. */
    if (env->notice != NULL && out->change.from != out->change.to)
        env->notice(env->notice_ud, &out->change);
    return thank(env, p, out, now);
}

void pay_env_done(pay_env_t *env)
{
    tpl_ctx_destroy(env->thanks);
    env->thanks = NULL;
}
