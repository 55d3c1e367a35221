/* SPDX-License-Identifier: MIT */
/*
 * store_todo.h - the facts a grid worker's to-do list is ranked by (jobs/todo.h
 * ranks them): per household the worker answers for (store_worker.h) with unpaid
 * members, and those members.
 *
 * Strings in rows are borrowed for the callback. Threading: the store's thread.
 */
#ifndef CB_STORE_STORE_TODO_H
#define CB_STORE_STORE_TODO_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

typedef struct store_todo_hh {
    int64_t household_id;
    const char *code;
    int unpaid;         /* unpaid members the worker answers for */
    int special;        /* of them, with a subsidy category (even paid in bulk) */
    int phones;         /* living members with a phone */
    int reachable;      /* of those phones, not opted out and whose last outbox
                         * message did not fail */
    int claims;         /* open claims of living members, to verify */
    int waivers;        /* pending waivers, forms to sign */
    int handoffs;       /* open handoffs: replies the bot did not understand */
    int64_t last_sent;  /* newest sent_at of an outbox row to a member's phone, 0: never */
    int64_t visit_at;   /* the newest visit in the campaign, 0: never */
    const char *visit_day, *visit_outcome; /* "" when never visited */
} store_todo_hh_t;

/* Call fn for every household with unpaid members that worker 'worker_id' answers
 * for in 'campaign', by household code. fn returns nonzero to stop (returned). */
CB_NODISCARD int store_todo_households(store_t *st, int64_t campaign, int64_t worker_id,
                                       int (*fn)(void *ud, const store_todo_hh_t *h),
                                       void *ud);

typedef struct store_todo_member {
    int64_t person_id, area_id;
    const char *name, *id_number, *phone, *relation, *categories;
} store_todo_member_t;

/* Call fn for the unpaid members of household 'household_id' that worker
 * 'worker_id' answers for, in roster order. */
CB_NODISCARD int store_todo_members(store_t *st, int64_t campaign, int64_t worker_id,
                                    int64_t household_id,
                                    int (*fn)(void *ud, const store_todo_member_t *m),
                                    void *ud);

/* What the household's members said that waits for the worker: open claims (what
 * "claim:KIND", text the claim's), pending waivers ("waiver", the reason's text) and
 * open handoffs ("handoff", the reply); by name. Strings borrowed for the callback. */
typedef struct store_todo_said {
    const char *name, *what, *text;
} store_todo_said_t;
CB_NODISCARD int store_todo_said(store_t *st, int64_t campaign, int64_t household_id,
                                 int (*fn)(void *ud, const store_todo_said_t *s), void *ud);

#endif
