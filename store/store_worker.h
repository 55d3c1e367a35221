/* SPDX-License-Identifier: MIT */
/*
 * store_worker.h - grid workers (网格员), the areas they answer for, their visits
 * and the positions of the to-do lists they were sent.
 *
 * A worker's scope is a set of villages (包村), groups (包组) and single households
 * (包户). The most specific scope wins: a household assigned to a worker belongs
 * to that worker and to no village's or group's worker; a person in a group with a
 * worker belongs to that group's worker, not the village's. (Two workers given the
 * same household or area share it.) A person without a household code is on
 * nobody's list: visits are recorded per household.
 *
 * Strings handed in are copied by SQLite; strings handed out are the caller's
 * unless said otherwise. Threading: the store's thread.
 */
#ifndef CB_STORE_STORE_WORKER_H
#define CB_STORE_STORE_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

typedef struct store_worker {
    int64_t id;
    char *code, *name;
    char *phone; /* "" when none */
    char *route; /* "" for the config's jobs.todo_route */
    char *wecom_userid, *dingtalk_userid; /* "" when none: the ids the wecom_app and
                                             dingtalk_work channels send to */
} store_worker_t;

void store_worker_free(store_worker_t *w); /* the strings; NULL is a no-op */

/*
 * Add or update the worker in->code with in's name, phone, route and userids (NULL
 * or "" for none; in->id is not read). STORE_INSERTED, STORE_UPDATED or
 * STORE_UNCHANGED (store_roster.h), *id its id.
 */
typedef struct store_worker_in {
    const char *code, *name, *phone, *route, *wecom_userid, *dingtalk_userid;
} store_worker_in_t;
CB_NODISCARD int store_worker_put(store_t *st, const store_worker_in_t *in, int64_t now,
                                  int64_t *id);

/* Remove every scope of worker 'id'. */
CB_NODISCARD int store_worker_scopes_clear(store_t *st, int64_t id);
/* Give worker 'id' the area 'area_id' (a village or group) or, with area_id 0, the
 * household 'household_id'. 1 when added, 0 when the worker had it. */
CB_NODISCARD int store_worker_scope_add(store_t *st, int64_t id, int64_t area_id,
                                        int64_t household_id);

/* The worker with 'code', or with the normalised 'phone' (the first by code when
 * several share it): CB_OK and *out (free with store_worker_free) or CB_ENOTFOUND. */
CB_NODISCARD int store_worker_get(store_t *st, const char *code, store_worker_t *out);
CB_NODISCARD int store_worker_by_phone(store_t *st, const char *phone, store_worker_t *out);

/* Call fn for every worker, by code; the row is borrowed for the call. fn returns
 * nonzero to stop (returned as is). */
CB_NODISCARD int store_workers_each(store_t *st,
                                    int (*fn)(void *ud, const store_worker_t *w), void *ud);

/* Call fn with the id of every village (level 2) in worker 'id''s scopes, in id
 * order; group and household scopes are not villages and are left out. fn returns
 * nonzero to stop (returned as is). */
CB_NODISCARD int store_worker_villages(store_t *st, int64_t id,
                                       int (*fn)(void *ud, int64_t area_id), void *ud);

/* 1 when household 'household_id' has a living person that worker 'id' answers
 * for (by the precedence above), else 0. */
CB_NODISCARD int store_worker_owns(store_t *st, int64_t id, int64_t household_id);

/* The household with 'code': CB_OK and *id, or CB_ENOTFOUND. */
CB_NODISCARD int store_household_find(store_t *st, const char *code, size_t len, int64_t *id);
/* The code of household 'id' into 'code' ('len' bytes): CB_OK or CB_ENOTFOUND. */
CB_NODISCARD int store_household_code(store_t *st, int64_t id, char *code, size_t len);
/* 1 when a person of household 'household_id' lives in area 'area_id' or one of its
 * groups, else 0. */
CB_NODISCARD int store_household_in_area(store_t *st, int64_t household_id, int64_t area_id);

/* Outcomes of a visit, as the schema spells them. */
typedef enum visit_outcome {
    VISIT_PAID,     /* the household says it paid: a claim to verify per unpaid member */
    VISIT_PROMISED, /* will pay soon */
    VISIT_WAIVED,   /* will not enrol: a pending waiver per unpaid member (form to sign) */
    VISIT_AWAY,     /* nobody at home / working away */
    VISIT_REFUSED,  /* refused to pay (not yet a waiver) */
    VISIT_DECEASED, /* the household reports a death: a 'deceased' claim to verify */
    VISIT_INSURED_ELSEWHERE, /* insured elsewhere: an 'other_place' claim to verify */
    VISIT__COUNT
} visit_outcome_t;

/* "paid", "promised", ...; NULL out of range. */
const char *visit_outcome_name(visit_outcome_t o);

/*
 * Record a visit of worker 'worker_id' to household 'household_id' on 'day'
 * ("YYYY-MM-DD"), and what follows from its outcome: VISIT_PAID opens a 'paid'
 * claim, VISIT_WAIVED a pending waiver (reason 4, the note or "走访登记" as text),
 * VISIT_DECEASED a 'deceased' claim, VISIT_INSURED_ELSEWHERE an 'other_place' claim,
 * for every unpaid member of the household (a claim is checked and a waiver signed
 * before anything is final); a death or insurance elsewhere goes only to the members
 * the note names when it names any. Until then the unpaid segment leaves them out
 * (store_people_each). *members gets how many members that was (may be
 * NULL). Unless the outcome is 'away', the household's open handoffs are resolved
 * ("visit:CODE"): the worker talked to them. CB_OK, or a store failure. Runs in the
 * caller's transaction.
 */
CB_NODISCARD int store_visit_add(store_t *st, int64_t campaign, int64_t household_id,
                                 int64_t worker_id, visit_outcome_t outcome, const char *note,
                                 const char *day, int64_t now, int *members);

/* Remember that worker 'worker_id' was sent household 'household_id' as number
 * 'pos' on 'day'. The first list of a day stays: 1 when stored, 0 when that
 * position was stored already. */
CB_NODISCARD int store_todo_item_put(store_t *st, int64_t worker_id, const char *day, int pos,
                                     int64_t household_id);
/* The household at 'pos' of the latest list worker 'worker_id' was sent on or
 * before 'day': CB_OK with *household_id (and that list's day in 'list_day',
 * 11 bytes, may be NULL), or CB_ENOTFOUND. */
CB_NODISCARD int store_todo_item_get(store_t *st, int64_t worker_id, const char *day, int pos,
                                     int64_t *household_id, char *list_day);

#endif
