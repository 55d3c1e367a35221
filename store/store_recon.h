/* SPDX-License-Identifier: MIT */
/*
 * store_recon.h - the facts 'canbao reconcile' checks (人、票、款、信息四相符): the
 * payments that need a look, and the people of the subsidy categories for the
 * departments' bulk payments. The judgement (what is late, wrong or a duplicate) is
 * the caller's, under the policy.
 * Threading: as store.h. Strings are borrowed for the callback ("" when none).
 */
#ifndef CB_STORE_STORE_RECON_H
#define CB_STORE_STORE_RECON_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

typedef struct store_recon_pay {
    int64_t id, person_id, area_id, amount_fen; /* person_id, area_id 0: not on the roster */
    const char *receipt, *id_number, *channel, *paid_at, *problem;
    const char *payer_name;      /* as the payment's source gave it */
    const char *name, *status, *categories; /* the roster's */
    const char *verified_claims; /* the person's verified claim kinds, ',' joined */
    int settled_claim;           /* this receipt settled a 'paid' claim */
} store_recon_pay_t;

/* Every payment of 'campaign' that may need a look: kept with a problem, a payer's
 * name other than the roster's, for a person now insured elsewhere or deceased, or
 * paid (paid_at, "YYYY-MM-DD..." or "YYYY/MM/DD...") after 'window_end'
 * ("YYYY-MM-DD"); by payment id. fn returns nonzero to stop (returned as is). */
CB_NODISCARD int store_recon_payments(store_t *st, int64_t campaign, const char *window_end,
                                      int (*fn)(void *ud, const store_recon_pay_t *p),
                                      void *ud);

typedef struct store_recon_person {
    int64_t id, area_id, paid_fen; /* paid_fen: the matched payments' sum */
    const char *id_number, *name, *status, *categories;
} store_recon_person_t;

/* Every living person of 'campaign' with a subsidy category, by id. */
CB_NODISCARD int store_recon_subsidised(store_t *st, int64_t campaign,
                                        int (*fn)(void *ud, const store_recon_person_t *p),
                                        void *ud);

#endif
