/* SPDX-License-Identifier: MIT */
/*
 * store_payment.h - payment confirmations, unique by receipt number. A
 * confirmation that cannot be matched (unknown ID, wrong amount) is kept with its
 * problem for reconciliation, never dropped.
 * Threading: as store.h. Strings are borrowed for the call.
 */
#ifndef CB_STORE_STORE_PAYMENT_H
#define CB_STORE_STORE_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

typedef struct store_payment {
    const char *receipt;
    int64_t person_id; /* 0 when the ID number is not on the roster */
    const char *id_number;
    int64_t amount_fen;
    const char *channel; /* may be NULL */
    const char *paid_at; /* as the source wrote it, may be NULL */
    const char *source;  /* "import:FILE", "hook:payments", ... */
    const char *problem; /* NULL when matched */
    const char *name;    /* the payer's name as the source gave it, may be NULL */
} store_payment_t;

/* Record 'p'. CB_EEXIST when the receipt is already recorded (nothing changes). */
CB_NODISCARD int store_payment_add(store_t *st, int64_t campaign, const store_payment_t *p,
                                   int64_t now);
/* The id of the payment store_payment_add recorded last on this connection (ids only
 * grow: a reader's store_payment_max_id tells which payments its snapshot holds). */
int64_t store_payment_last_id(store_t *st);
/* The highest payment id (0: none). */
CB_NODISCARD int store_payment_max_id(store_t *st, int64_t *id);

/*
 * Look up a recorded receipt: 1 when found (its ID number, amount and problem
 * written to the out-parameters: 'id_number' holds 19 bytes, 'problem' gets ""
 * when the payment was matched), 0 when not, or negative.
 */
CB_NODISCARD int store_payment_find(store_t *st, const char *receipt, char *id_number,
                                    int64_t *amount_fen, char *problem, size_t problen);

#endif
