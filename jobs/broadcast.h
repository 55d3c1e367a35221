/* SPDX-License-Identifier: MIT */
/*
 * broadcast.h - one message per phone to a walk of residents: what 'canbao send'
 * and the reminder rules (jobs/job_remind.c) both queue.
 *
 * Feed it people ordered by phone (store_people_each does); everyone sharing a
 * phone gets one message: the given template for one person, household_reminder
 * naming them all for several. People without a phone are counted as unreachable
 * (their grid worker visits them). Each message is an outbox row with the key
 * "<key>:<phone>:<key_day>", so a second broadcast with the same key and day
 * queues nothing new. Messages render the person's own amount and the policy's
 * consequence of paying late (templates/msgctx.h).
 */
#ifndef CB_JOBS_BROADCAST_H
#define CB_JOBS_BROADCAST_H

#include <stdint.h>

#include "jobs/segment.h"
#include "core/compiler.h"
#include "core/policy.h"
#include "jobs/dispatch.h"
#include "store/store.h"
#include "store/store_people.h"
#include "templates/tplset.h"

typedef struct bcast_member bcast_member_t;

typedef struct bcast {
    /* set by the caller; all borrowed */
    store_t *st;
    const policy_t *pol;
    int64_t campaign;
    const dispatch_route_t *route;
    const tplset_t *set;
    const char *tpl;     /* the template for one person */
    const char *key;     /* the key's first part, e.g. "send:window_open" */
    const char *key_day; /* the key's last part, "YYYY-MM-DD" */
    const segment_t *seg; /* who of the walk belongs (NULL: everyone) */
    cb_date_t today;
    int64_t now;
    int dry_run;         /* count and render, queue nothing */
    /* Extra variables of a message, given the first person's 'anchor' date (the
     * row's, NULL outside dated walks), or NULL. */
    void (*vars)(void *ud, tpl_ctx_t *ctx, const char *anchor);
    void *vars_ud;
    /* what happened */
    uint64_t messages, queued, existed, parts, people, unreachable, per_tpl[2];
    char sample[1024];    /* the first message as sent */
    /* private */
    bcast_member_t *group;
    size_t ngroup, capgroup;
} bcast_t;

/* The store walk's callback: add one person (ud is the bcast_t). Returns 0 or a
 * negative CB_E* code. */
int bcast_person(void *ud, const store_person_row_t *p);

/* Queue the message of the last phone; call after the walk. */
CB_NODISCARD int bcast_flush(bcast_t *b);

/* Free what the broadcast holds (not the borrowed fields). */
void bcast_free(bcast_t *b);

#endif
