/* SPDX-License-Identifier: MIT */
/*
 * store_inbound.h - inbound replies, kept once by the gateway's message id, and
 * handoffs: texts the bot did not understand, for the sender's grid worker.
 * Threading: as store.h. Strings passed in are borrowed for the call.
 */
#ifndef CB_STORE_STORE_INBOUND_H
#define CB_STORE_STORE_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* Record a reply: 1 when new, 0 when 'msg_id' is known already (a replay; nothing
 * changes). 'sender' is the normalised phone. */
CB_NODISCARD int store_inbound_add(store_t *st, const char *msg_id, const char *channel,
                                   const char *sender, const char *text, int64_t now);

/* What a recorded reply was understood as: 1 with the person (0: none) and the
 * intent's name ("" before it was handled) in 'intent' (truncated to 'len'), 0 for
 * an unknown msg_id. */
CB_NODISCARD int store_inbound_get(store_t *st, const char *msg_id, int64_t *person_id,
                                   char *intent, size_t len);

/* Note the person (0: none) and the intent's name of a recorded reply. */
CB_NODISCARD int store_inbound_set(store_t *st, const char *msg_id, int64_t person_id,
                                   const char *intent);

/* Hand 'text' of reply 'msg_id' to the grid worker of 'person_id' (0: a sender not
 * on the roster; the reply's row keeps the phone). */
CB_NODISCARD int store_handoff_add(store_t *st, int64_t person_id, const char *msg_id,
                                   const char *text, int64_t now);

/* An open handoff; strings are borrowed for the callback. */
typedef struct store_handoff_row {
    int64_t id, person_id, area_id, created_at; /* person_id, area_id 0: unknown sender */
    const char *sender, *text;
} store_handoff_row_t;

/* Call fn for every handoff not resolved yet, oldest first; fn returns nonzero to
 * stop (returned as is). */
CB_NODISCARD int store_handoffs_open(store_t *st,
                                     int (*fn)(void *ud, const store_handoff_row_t *h),
                                     void *ud);

/* Mark handoff 'id' resolved by worker 'by': 1, or 0 when there is no open handoff
 * with that id. */
CB_NODISCARD int store_handoff_resolve(store_t *st, int64_t id, const char *by, int64_t now);

#endif
