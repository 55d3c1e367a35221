/* SPDX-License-Identifier: MIT */
/*
 * reply_internal.h - shared by bot/reply.c (finding the sender, the transaction)
 * and bot/reply_act.c (what each intent does). Only bot/ includes it.
 * Threading: as reply.h.
 */
#ifndef CB_BOT_REPLY_INTERNAL_H
#define CB_BOT_REPLY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bot/intent.h"
#include "bot/reply.h"
#include "bot/survey.h"
#include "core/date.h"
#include "store/store_conv.h"
#include "templates/tpl.h"

/* People sharing one phone handled together; more are left out (and logged). */
#define BOT_MAX_MEMBERS 16

typedef struct bot_member {
    int64_t id, area_id;
    char name[128], id_number[24], status[24];
    char township[128], village[128], group[128];
    int cats[64];
    size_t ncats;
    int owing; /* unpaid and paying themselves (not a department in bulk) */
} bot_member_t;

/* One inbound reply being handled. */
typedef struct bot_turn {
    const bot_env_t *env;
    const bot_inbound_t *in;
    bot_outcome_t *out;
    bot_member_t m[BOT_MAX_MEMBERS];
    size_t n;
    int primary;       /* index into m, -1 for a sender not on the roster */
    int has_conv;      /* conv holds the primary's live conversation */
    store_conv_t conv;
    survey_t *survey;  /* conv's survey when it is one (owned) */
    intent_t it;
    cb_date_t newborn; /* birth of m[primary] when a newborn answer is about them; 0: none */
} bot_turn_t;

/* Find the people with the phone t->in->sender, their live conversation and the
 * primary person (t->primary -1 when nobody has that phone). */
int bot__find_sender(bot_turn_t *t);

/* A context with the primary person's variables, the household variables of the
 * owing members, 'household' (several owe), 'covered', 'claim' ("") and the newborn
 * rule's late-window variables (for t->newborn). The caller
 * destroys it with tpl_ctx_destroy. */
tpl_ctx_t *bot__ctx(const bot_turn_t *t);

/* Queue 'text' (made with template(s) 'tname' and 'ctx', whose variables go with it:
 * tpl_ctx_json; NULL: none) as the answer to this reply, unless
 * the phone opted out of env->optout_kind and 'even_opted_out' is 0. */
int bot__queue(bot_turn_t *t, const char *tname, const char *text, const tpl_ctx_t *ctx,
               int even_opted_out);

/* Render template 'tname' with 'ctx' and queue it (bot__queue, not opted out). */
int bot__answer(bot_turn_t *t, const char *tname, const tpl_ctx_t *ctx);

/* A visit report from a grid worker's phone (reply_worker.c): 1 when recorded or
 * answered, 0 when the sender is no worker or the text no report. */
int bot__worker_report(bot_turn_t *t);

/* The actions, one per intent kind (reply_act.c). */
int bot__act_claim(bot_turn_t *t);
int bot__act_waiver(bot_turn_t *t);
int bot__act_opt_out(bot_turn_t *t);
int bot__act_question(bot_turn_t *t);
int bot__act_survey(bot_turn_t *t);
int bot__act_unknown(bot_turn_t *t);
int bot__act_deceased(bot_turn_t *t); /* reply_life.c */

/* A newborn question: make the household's youngest unpaid member born inside the
 * policy's newborn window the primary (t->newborn their birth); nothing when none. */
void bot__find_newborn(bot_turn_t *t);

/* Hand the reply to the grid worker, the text prefixed with 'what' ("" for none). */
int bot__handoff(bot_turn_t *t, const char *what);

#endif
