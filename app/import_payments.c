/* SPDX-License-Identifier: MIT */
/* import_payments.c - a tax-bureau export of payment confirmations. Idempotent by
 * receipt; a confirmation that cannot be applied is kept and reported. */
#include <stdio.h>
#include <string.h>

#include "app/import_kinds.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/status.h"
#include "store/store_payment.h"
#include "store/store_roster.h"

enum { P_RECEIPT, P_ID, P_AMOUNT, P_CHANNEL, P_PAID_AT, P_N };

static const import_col_t payment_cols[P_N] = {
    [P_RECEIPT] = {"receipt_no", NAMES("票据号", "收据号", "电子票据号", "receipt_no", "receipt"), 1, 40},
    [P_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [P_AMOUNT] = {"amount", NAMES("金额", "缴费金额", "amount"), 1, 16},
    [P_CHANNEL] = {"channel", NAMES("缴费渠道", "渠道", "channel"), 0, 40},
    [P_PAID_AT] = {"paid_at", NAMES("缴费时间", "paid_at", "time"), 0, 40},
};

/* What the person must pay through a tax channel under the policy. */
static int64_t expected_fen(const import_env_t *env, const char *categories)
{
    int idx[64];
    uint64_t mask = 0;
    policy_owed_t o;

    if (catset_parse(env->pol, categories, strlen(categories), &mask, NULL, 0) < 0)
        mask = 0;
    o = policy_owed(env->pol, idx, catset_indices(mask, idx));
    /* A department pays the whole personal fee for its people in bulk. */
    return o.payer == POL_PAYER_DEPARTMENT ? policy_fee_fen(env->pol) : o.pay_now_fen;
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

static int payment_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const import_env_t *env = ud;
    char id[IDCARD_LEN + 1], why[200], old_id[IDCARD_LEN + 1], old_problem[200];
    store_payment_t pay = {0};
    store_resident_t r = {0};
    int64_t amount, old_amount;
    int rc;

    if (f->len[P_RECEIPT] == 0)
        return import_reject(rej, P_RECEIPT, "missing");
    if (idcard_check(f->v[P_ID], f->len[P_ID], env->today, id, why, sizeof why) != IDCARD_OK)
        return import_reject(rej, P_ID, f->len[P_ID] ? why : "missing");
    mask_id(id, rej->id_masked, sizeof rej->id_masked);
    if (money_parse_yuan(f->v[P_AMOUNT], f->len[P_AMOUNT], &amount) < 0)
        return import_reject(rej, P_AMOUNT, "not an amount in yuan (e.g. 380.00)");
    rc = store_payment_find(env->st, f->v[P_RECEIPT], old_id, &old_amount, old_problem,
                            sizeof old_problem);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        if (strcmp(old_id, id) != 0 || old_amount != amount)
            return import_reject(rej, P_RECEIPT, "receipt already recorded with another ID "
                                                 "number or amount");
        /* A replay: nothing changes, but an unresolved problem is reported again. */
        return old_problem[0] ? import_reject(rej, -1, old_problem) : IMPORT_UNCHANGED;
    }
    pay.receipt = f->v[P_RECEIPT];
    pay.id_number = id;
    pay.amount_fen = amount;
    pay.channel = f->len[P_CHANNEL] ? f->v[P_CHANNEL] : NULL;
    pay.paid_at = f->len[P_PAID_AT] ? f->v[P_PAID_AT] : NULL;
    pay.source = env->source;
    rc = store_resident_get(env->st, env->campaign, idcard_key(id), &r);
    if (rc == CB_ENOTFOUND || (rc == CB_OK && r.status == NULL))
        pay.problem = "ID number not on the roster of this campaign";
    else if (rc < 0)
        return rc;
    else
        pay.problem = conflict(&r, amount, expected_fen(env, r.categories), why, sizeof why);
    pay.person_id = r.id;
    rc = store_payment_add(env->st, env->campaign, &pay, env->now);
    if (rc >= 0 && pay.problem == NULL)
        rc = store_status_set(env->st, env->campaign, r.id, r.status, "paid", env->source,
                              env->now);
    store_resident_free(&r);
    if (rc < 0)
        return rc;
    return pay.problem ? import_reject(rej, -1, pay.problem) : IMPORT_INSERTED;
}

int import_payments_run(const import_env_t *env, const char *path, const char *report, int tty,
                        import_summary_t *sum, char *err, size_t errlen)
{
    import_kind_t kind = {.what = "payments", .cols = payment_cols, .ncols = P_N,
                          .row = payment_row, .ud = (void *)(uintptr_t)env};
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}
