/* SPDX-License-Identifier: MIT */
/*
 * todo.h - a grid worker's to-do list for one day: the households the worker
 * answers for (store_worker.h: the most specific scope wins) that still have unpaid
 * members, in the order to visit them, each with the reasons it is on the list.
 *
 * The order, first to last:
 *   1. what residents said waits for the worker: an open claim to verify, a pending
 *      waiver to sign, an open handoff (a reply the bot did not understand); the
 *      sheet says who said what (todo_sheet.h);
 *   2. special groups not yet covered: an unpaid member with a subsidy category,
 *      including people a department pays for in bulk (they must reach 100%);
 *   3. nobody can be reached by phone: no living member has a phone, or every
 *      member's phone opted out or had its last outbox message fail;
 *   4. everyone else;
 *   5. households resting after a visit (below): they come last, whatever else holds,
 *      unless tier 1 applies (a claim or form is the worker's own job).
 * Within a tier: more unpaid members first, then the longest since the last contact
 * (the newest outbox message sent to a member's phone, or the newest visit; never
 * contacted is longest), then the household code.
 *
 * Visits feed the next days' order:
 *   paid      a 'paid' claim per unpaid member (store_visit_add): tier 1, "verify"
 *             until a payment or a worker resolves it;
 *   waived    a pending waiver per unpaid member: tier 1, "sign the form";
 *   deceased, insured_elsewhere  a claim for the members named: tier 1, "verify";
 *   promised  rests TODO_REST_PROMISED days after the visit day, then is back with
 *             the reason "promised, not paid yet";
 *   away      rests TODO_REST_AWAY days (call the family, collect proof from afar),
 *             then "away at the last visit";
 *   refused   rests TODO_REST_REFUSED days, then "refused at the last visit";
 * and any visit counts as a contact.
 *
 * Pure apart from reading the store; the list is the caller's (todo_list_free).
 */
#ifndef CB_JOBS_TODO_H
#define CB_JOBS_TODO_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"
#include "store/store.h"

#define TODO_REST_PROMISED 3
#define TODO_REST_AWAY 7
#define TODO_REST_REFUSED 2

enum todo_tier { TODO_WAITING_TIER = 1, TODO_SPECIAL_TIER, TODO_UNREACHABLE_TIER, TODO_OTHER_TIER,
                 TODO_RESTING_TIER };

/* Reasons, as bits of todo_entry_t.reasons (todo_reason_code/_text name them). */
enum todo_reason {
    TODO_R_SPECIAL = 1u << 0,     /* a member with a subsidy category is unpaid */
    TODO_R_NO_PHONE = 1u << 1,    /* no member has a phone */
    TODO_R_UNREACHABLE = 1u << 2, /* phones opted out or the last message failed */
    TODO_R_CLAIM = 1u << 3,       /* claims to verify */
    TODO_R_WAIVER = 1u << 4,      /* waiver forms to sign */
    TODO_R_HANDOFF = 1u << 5,     /* replies the bot did not understand */
    TODO_R_PROMISED = 1u << 6,    /* promised at the last visit, still unpaid */
    TODO_R_AWAY = 1u << 7,        /* away at the last visit */
    TODO_R_REFUSED = 1u << 8,     /* refused at the last visit */
    TODO_R_RESTING = 1u << 9,     /* visited recently: rests until rest_until */
    TODO_R_NEVER = 1u << 10,      /* never contacted */
    TODO_R_UNPAID = 1u << 11,     /* unpaid (every entry) */
    TODO_R__LAST = TODO_R_UNPAID
};

typedef struct todo_entry {
    int64_t household_id;
    char code[48];
    int tier;                  /* enum todo_tier */
    unsigned reasons;          /* enum todo_reason bits */
    int unpaid, special, claims, waivers, handoffs;
    int64_t last_contact;      /* Unix time, 0: never */
    char visit_day[11];        /* the last visit's day, "" when none */
    char visit_outcome[24];    /* its outcome ("paid", ...), "" when none */
    cb_date_t rest_until;      /* TODO_R_RESTING: back on this day */
} todo_entry_t;

typedef struct todo_list {
    todo_entry_t *v;
    size_t n;
} todo_list_t;

/* Rank worker 'worker_id''s households for 'day'; contacts after 'now' (the
 * clock) do not count. CB_OK and *out (possibly empty), or a store failure. */
CB_NODISCARD int todo_rank(store_t *st, int64_t campaign, int64_t worker_id, cb_date_t day,
                           int64_t now, todo_list_t *out);
void todo_list_free(todo_list_t *l);

/* Every reason of 'e' in order, codes joined by ',' (text 0) or Chinese texts with
 * figures joined by '；' (text 1), into 'out'. */
void todo_reasons(const todo_entry_t *e, int text, char *out, size_t n);

#endif
