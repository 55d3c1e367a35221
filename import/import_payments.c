/* SPDX-License-Identifier: MIT */
/* import_payments.c - a tax-bureau export of payment confirmations. Idempotent by
 * receipt; a confirmation that cannot be applied is kept and reported. */
#include <stdio.h>
#include <string.h>

#include "import/import_kinds.h"
#include "bot/payment.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/money.h"

enum { P_RECEIPT, P_ID, P_AMOUNT, P_CHANNEL, P_PAID_AT, P_NAME, P_N };

static const import_col_t payment_cols[P_N] = {
    [P_RECEIPT] = {"receipt_no", NAMES("票据号", "收据号", "电子票据号", "receipt_no", "receipt"), 1, 40},
    [P_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [P_AMOUNT] = {"amount", NAMES("金额", "缴费金额", "amount"), 1, 16},
    [P_CHANNEL] = {"channel", NAMES("缴费渠道", "渠道", "channel"), 0, 40},
    [P_PAID_AT] = {"paid_at", NAMES("缴费时间", "缴费日期", "paid_at", "time"), 0, 40},
    [P_NAME] = {"name", NAMES("姓名", "缴费人", "name"), 0, 60},
};

static int payment_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const import_env_t *env = ud;
    char id[IDCARD_LEN + 1], why[200];
    pay_in_t p = {0};
    pay_result_t r;
    int rc;

    if (f->len[P_RECEIPT] == 0)
        return import_reject(rej, P_RECEIPT, "missing");
    if (idcard_check(f->v[P_ID], f->len[P_ID], env->today, id, why, sizeof why) != IDCARD_OK)
        return import_reject(rej, P_ID, f->len[P_ID] ? why : "missing");
    mask_id(id, rej->id_masked, sizeof rej->id_masked);
    if (money_parse_yuan(f->v[P_AMOUNT], f->len[P_AMOUNT], &p.amount_fen) < 0)
        return import_reject(rej, P_AMOUNT, "not an amount in yuan (e.g. 380.00)");
    p.receipt = f->v[P_RECEIPT];
    p.id_number = id;
    p.channel = f->len[P_CHANNEL] ? f->v[P_CHANNEL] : NULL;
    p.paid_at = f->len[P_PAID_AT] ? f->v[P_PAID_AT] : NULL;
    p.name = f->len[P_NAME] ? f->v[P_NAME] : NULL;
    p.source = env->source;
    if (env->pay != NULL) {
        rc = pay_confirm(env->pay, &p, env->now, &r);
    } else {
        pay_env_t bare = {.st = env->st, .pol = env->pol, .campaign = env->campaign};
        rc = pay_confirm(&bare, &p, env->now, &r);
    }
    if (rc < 0)
        return rc;
    switch (r.outcome) {
    case PAY_MATCHED: return IMPORT_INSERTED;
    case PAY_LATE: return IMPORT_INSERTED; /* recorded as a late enrolment (status shows it) */
    case PAY_REFUSED: return import_reject(rej, P_PAID_AT, r.problem);
    case PAY_CONFLICT: return import_reject(rej, P_RECEIPT, r.problem);
    /* A replay changes nothing, but an unresolved problem is reported again. */
    case PAY_REPLAY: return r.problem[0] ? import_reject(rej, -1, r.problem) : IMPORT_UNCHANGED;
    default: return import_reject(rej, -1, r.problem);
    }
}

int import_payments_run(const import_env_t *env, const char *path, const char *report, int tty,
                        import_summary_t *sum, char *err, size_t errlen)
{
    import_kind_t kind = {.what = "payments", .cols = payment_cols, .ncols = P_N,
                          .row = payment_row, .ud = (void *)(uintptr_t)env};
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}
