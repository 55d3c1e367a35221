/* SPDX-License-Identifier: MIT */
/*
 * store_claim.h - what residents say about themselves that a worker must verify:
 * "I paid" (kind "paid", with a receipt number when they gave one) or "I am covered
 * elsewhere" ("employee" 职工医保, "unit" insured through an employer's unit,
 * "other_place" another county 异地, "school" a student insured at school). A claim
 * is never a payment and never changes a person's status by itself.
 * A person has at most one open claim of each kind: a repeated claim updates it.
 * Threading: as store.h. Strings passed in are borrowed for the call.
 */
#ifndef CB_STORE_STORE_CLAIM_H
#define CB_STORE_STORE_CLAIM_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* Open a claim, or update the open one of that kind ('receipt' NULL keeps the one it
 * has, 'text' replaces). 1 when new, 0 when an open claim was updated. CB_EEXIST for a
 * kind the schema does not know. */
CB_NODISCARD int store_claim_add(store_t *st, int64_t campaign, int64_t person_id,
                                 const char *kind, const char *receipt, const char *text,
                                 int64_t now);

/* A claim; strings are borrowed for the callback ("" when none). */
typedef struct store_claim_row {
    int64_t id, person_id, area_id, created_at;
    const char *kind, *receipt, *text, *state;
    const char *id_number, *name; /* the person's */
} store_claim_row_t;

/* Call fn for every claim of 'campaign' in 'state' (NULL: any), oldest first; fn
 * returns nonzero to stop (returned as is). */
CB_NODISCARD int store_claims_each(store_t *st, int64_t campaign, const char *state,
                                   int (*fn)(void *ud, const store_claim_row_t *c), void *ud);

/* Resolve open claim 'id' of 'campaign' as "verified" or "rejected" by 'by': 1 with
 * the person, the claim's kind and the person's current status (room for 24 bytes
 * each), 0 when there is no such open claim. The caller changes the person's status
 * for a verified claim. */
CB_NODISCARD int store_claim_resolve(store_t *st, int64_t campaign, int64_t id, const char *state,
                                     const char *by, int64_t now, int64_t *person_id,
                                     char kind[24], char status[24]);

/* The person's 'paid' claim that no receipt has settled yet: 1 with its id and
 * whether it is still open (an open one is preferred to one a worker verified), 0 when
 * none, or negative. */
CB_NODISCARD int store_claim_for_payment(store_t *st, int64_t campaign, int64_t person_id,
                                         int64_t *id, int *open);

/* Settle claim 'id' with payment 'payment_id': an open claim becomes verified by 'by'
 * (e.g. "receipt:R1"); a verified one keeps its verdict and gains the payment. */
CB_NODISCARD int store_claim_settle(store_t *st, int64_t id, int64_t payment_id, const char *by,
                                    int64_t now);

#endif
