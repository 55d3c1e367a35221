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
#include "core/status.h"
#include "templates/msgctx.h"
#include "store/store_outbox.h"
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

/* Record 'p': the payment row, and for a match the new status with its audit row. */
static int record(store_t *st, const policy_t *pol, int64_t campaign, const pay_in_t *p,
                  int64_t now, pay_result_t *out)
{
    char old_id[IDCARD_LEN + 1], why[200];
    store_payment_t pay = {0};
    store_resident_t r = {0};
    int64_t old_amount;
    int rc;

    memset(out, 0, sizeof *out);
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
    rc = store_resident_get(st, campaign, idcard_key(p->id_number), &r);
    if (rc == CB_ENOTFOUND || (rc == CB_OK && r.status == NULL))
        pay.problem = "ID number not on the roster of this campaign";
    else if (rc < 0)
        return rc;
    else
        pay.problem = conflict(&r, p->amount_fen, expected_fen(pol, r.categories), why,
                               sizeof why);
    pay.person_id = r.id;
    rc = store_payment_add(st, campaign, &pay, now);
    if (rc >= 0 && pay.problem == NULL) {
        int from = status_from_name(r.status);
        out->change = (status_change_t){store_payment_last_id(st), r.area_id,
                                        from < 0 ? PS_UNPAID : (person_status_t)from, PS_PAID,
                                        r.categories != NULL && r.categories[0] != '\0'};
    }
    if (rc >= 0 && pay.problem == NULL)
        rc = store_status_set(st, campaign, r.id, r.status, "paid", p->source, now);
    if (rc >= 0) {
        out->outcome = pay.problem ? PAY_UNMATCHED : PAY_MATCHED;
        snprintf(out->problem, sizeof out->problem, "%s", pay.problem ? pay.problem : "");
        if (pay.problem == NULL) {
            out->person_id = r.id;
            snprintf(out->phone, sizeof out->phone, "%s", r.phone ? r.phone : "");
            snprintf(out->name, sizeof out->name, "%s", r.name ? r.name : "");
            snprintf(out->categories, sizeof out->categories, "%s",
                     r.categories ? r.categories : "");
        }
    }
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
    int rc = record(env->st, env->pol, env->campaign, p, now, out);

    if (rc < 0 || out->outcome != PAY_MATCHED)
        return rc;
    if (env->notice != NULL)
        env->notice(env->notice_ud, &out->change);
    return thank(env, p, out, now);
}

void pay_env_done(pay_env_t *env)
{
    tpl_ctx_destroy(env->thanks);
    env->thanks = NULL;
}
