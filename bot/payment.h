/* SPDX-License-Identifier: MIT */
/*
 * payment.h - applying one payment confirmation (a tax-bureau export row, a tax or
 * bank callback): idempotent by receipt number; a confirmation that matches the
 * roster and the person's own amount marks them paid (with an audit row); one that
 * does not is kept with its problem for reconciliation, never dropped.
 * Threading: the caller's store_t, in the caller's transaction.
 */
#ifndef CB_BOT_PAYMENT_H
#define CB_BOT_PAYMENT_H

#include <stdint.h>

#include "core/compiler.h"
#include "core/policy.h"
#include "core/status.h"
#include "store/store.h"

/* One confirmation; strings borrowed for the call. 'id_number' must already be a
 * valid, normalised ID number (core/idcard.h). */
typedef struct pay_in {
    const char *receipt;
    const char *id_number;
    int64_t amount_fen;
    const char *channel; /* may be NULL */
    const char *paid_at; /* as the source wrote it, may be NULL */
    const char *source;  /* "import:FILE", "hook:payments" */
} pay_in_t;

typedef enum pay_outcome {
    PAY_MATCHED,   /* recorded, the person is now paid */
    PAY_UNMATCHED, /* recorded with a problem (unknown ID, wrong amount, already paid...) */
    PAY_REPLAY,    /* the same receipt, ID and amount again: nothing changed */
    PAY_CONFLICT   /* the receipt is recorded with another ID number or amount */
} pay_outcome_t;

typedef struct pay_result {
    pay_outcome_t outcome;
    char problem[200];  /* UNMATCHED, CONFLICT, and a REPLAY of an unmatched one; else "" */
    int64_t person_id;  /* MATCHED: the person; else 0 */
    char phone[24];     /* MATCHED: their phone, "" when none */
    char name[64];      /* MATCHED: their name */
    char categories[256]; /* MATCHED: their categories (canonical) */
    status_change_t change; /* MATCHED: what changed (seq: the payment id) */
} pay_result_t;

/* Apply 'p' in 'campaign'. CB_OK with *out filled, or a negative CB_E* (store). */
CB_NODISCARD int pay_confirm(store_t *st, const policy_t *pol, int64_t campaign,
                             const pay_in_t *p, int64_t now, pay_result_t *out);

#endif
