/* SPDX-License-Identifier: MIT */
/*
 * reply.h - what the bot does with one inbound reply (an SMS from Kannel, a WeChat
 * message): understand it (bot/intent.h), act on it in the store, and queue at most
 * one answer in the outbox. The daemon calls bot_handle for every reply it
 * receives; 'canbao reply' does the same from the command line.
 *
 * Who the sender is. The sender's phone is looked up among the living people of
 * the campaign. A phone is often a household's: then
 *   - the person the reply is about ("primary") is the one with an open
 *     conversation (the bot asked them something), else the first, in roster order,
 *     of those who still owe a contribution ("owing": unpaid, paying themselves),
 *     else the first unpaid, else the first on the roster;
 *   - "I paid" and "we will not enrol" apply to every owing member (a household pays
 *     and declines together, 以家庭为单位参保); each still needs its own check or
 *     signed form, so nothing is final for anyone the claim does not fit;
 *   - "I am covered elsewhere" applies to the primary person only (insurance
 *     elsewhere is personal); the worker who verifies the claim sees the text;
 *   - "how much" lists every owing member with their own amount.
 * A grid worker's phone (store_worker.h) sending a visit report ("3 已缴", "H001 外出";
 * bot/worker_reply.h) is no resident: the visit is recorded and acknowledged
 * (reply_worker.c); anything else from it is handled as below.
 * A sender not on the roster gets no automatic answer: the text goes to a handoff
 * (an opt-out is still recorded).
 *
 * What each intent does (one transaction; the answer is an outbox row of class
 * 'reply', route env->reply_route, recipient the sender, key "reply:<msg_id>", so
 * quiet hours apply but reminder caps do not):
 *   paid claim          an open claim 'paid' (with the receipt) per owing member;
 *                       answer claim_ack. Nobody owing: answer_status.
 *   covered elsewhere   an open claim of that kind for the primary (when unpaid);
 *                       claim_ack. Otherwise answer_status.
 *   waiver + reason     a pending waiver per owing member; answer waiver_ack. The
 *                       worker confirms it with the signed form ('canbao waivers').
 *                       Nobody owing: a handoff (a worker should look).
 *   waiver, no reason   a 'waiver_reason' conversation (BOT_WAIVER_TTL) and the
 *                       question waiver_reason_question; a bare number 1-4 before it
 *                       lapses completes the waiver.
 *   opt-out             store_optout_add(env->optout_kind, phone); the first time
 *                       optout_ack, never again; open conversations of the phone end.
 *   question            the answer_* texts for the topics asked, about the primary
 *                       person's own amount, subsidy and status, joined in one SMS
 *                       while it fits env->max_segments.
 *   question: newborn   answer_newborn about the household's youngest unpaid member
 *                       born inside the policy's "birth" late window (they become the
 *                       primary: their own last day), else the rule in general.
 *   deceased            an open claim 'deceased' for the primary (reminders skip them
 *                       while it is open; verified, they are deceased), a handoff whose
 *                       text starts 死亡报告, the primary's conversation ends; answer
 *                       deceased_ack.
 *   survey answer       recorded (survey_answer); the next question is queued, or
 *                       survey_thanks after the last. A number out of range asks
 *                       the same question again.
 *   unknown             a handoff for the grid worker; no answer.
 * A phone opted out of env->optout_kind gets no answers (the dispatcher would refuse
 * them anyway) except the one confirming the opt-out.
 *
 * Threading: one thread; the store and the template set belong to it.
 */
#ifndef CB_BOT_REPLY_H
#define CB_BOT_REPLY_H

#include <stdint.h>

#include "bot/intent.h"
#include "bot/survey.h"
#include "core/compiler.h"
#include "core/date.h"
#include "core/policy.h"
#include "store/store.h"
#include "templates/tplset.h"

/* How long the bot waits for a waiver's reason. */
#define BOT_WAIVER_TTL (24 * 3600)

typedef struct bot_env {
    store_t *st;
    const policy_t *pol;    /* the campaign's policy */
    int64_t campaign;
    const tplset_t *tpl;    /* loaded with the reply route's tplset_opts */
    cb_date_t today;        /* the campaign clock's day (China time) */
    int64_t now;            /* Unix time */
    const char *reply_route; /* outbox route for answers, e.g. "sms" */
    const char *optout_kind; /* what an opt-out is recorded against: "sms", "robot" */
    int max_segments;       /* longest answer in SMS parts; 0: TPLSET_DEFAULT_MAX_SEGMENTS */
} bot_env_t;

typedef struct bot_inbound {
    const char *msg_id;  /* the gateway's id: a second call with it changes nothing */
    const char *channel; /* "kannel", "wechat", "cli" */
    const char *sender;  /* the phone, normalised by the caller (11 digits) */
    const char *text;    /* UTF-8 */
} bot_inbound_t;

typedef struct bot_outcome {
    int replay;           /* the msg_id was handled before: nothing changed */
    intent_kind_t intent; /* what the reply was understood as */
    int replied;          /* an answer was queued */
    int64_t person_id;    /* the primary person, 0 when the sender is not on the roster */
    char detail[128];     /* what happened, for logs: "claim paid x2", "waiver asked" */
} bot_outcome_t;

/*
 * Handle one inbound reply as above. Runs in the caller's transaction when one is
 * open (a savepoint: on failure only this reply's work is undone), else in its
 * own. Returns CB_OK with *out filled, CB_EINVAL for a missing field, or a store
 * failure (nothing of this reply is kept; the gateway may retry it). Logs the
 * outcome at INFO with the phone masked, never the text.
 */
CB_NODISCARD int bot_handle(const bot_env_t *env, const bot_inbound_t *in, bot_outcome_t *out);

/*
 * Start survey 's' (stored already, store_survey_add) on 'phone' with 'person_id' (one
 * of the people of that phone) as the respondent: a 'survey' conversation at its
 * first question and the question queued in the outbox (class reminder, so caps and
 * quiet hours apply; key "survey:<name>:<phone>"). Skipped (0) when the phone has a
 * live conversation, opted out of env->optout_kind, or was sent this survey before;
 * 1 when started. Runs in the caller's transaction (or none).
 */
CB_NODISCARD int bot_survey_start(const bot_env_t *env, const survey_t *s, int64_t person_id,
                                  const char *phone);

#endif
