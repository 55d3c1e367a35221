/* SPDX-License-Identifier: MIT */
/*
 * payment.h - what a payment confirmation does, in one function for every caller: the
 * signed hook (bot/ingest.c), 'canbao import payments' and the simulation. Idempotent
 * by receipt number; a confirmation that matches the roster and the person's own
 * amount marks them paid (with an audit row), queues the thank-you and gives the
 * progress notice; one that does not is kept with its problem for reconciliation,
 * never dropped.
 * Threading: the caller's store_t, in the caller's transaction.
 */
#ifndef CB_BOT_PAYMENT_H
#define CB_BOT_PAYMENT_H

#include <stdint.h>

#include "core/compiler.h"
#include "core/policy.h"
#include "core/status.h"
#include "store/store.h"
#include "templates/tplset.h"

/* One confirmation; strings borrowed for the call. 'id_number' must already be a
 * valid, normalised ID number (core/idcard.h). */
typedef struct pay_in {
    const char *receipt;
    const char *id_number;
    int64_t amount_fen;
    const char *channel; /* may be NULL */
    const char *paid_at; /* as the source wrote it: "YYYY-MM-DD" (or YYYY/M/D, YYYYMMDD),
                          * optionally followed by " HH:MM[:SS]" or "THH:MM[:SS][zone]";
                          * required, and not after the campaign clock's day */
    const char *name;    /* the payer's name as the source gave it, may be NULL: kept,
                          * and compared with the roster by 'canbao reconcile' */
    const char *source;  /* "import:FILE", "hook:payments" */
} pay_in_t;

typedef enum pay_outcome {
    PAY_MATCHED,   /* recorded, the person is now paid */
    PAY_LATE,      /* recorded as a late enrolment (outside the window and any extension
                    * that covers the person), the person is paid: 'late' names the rule,
                    * 'cover_from' the first day of cover */
    PAY_REFUSED,   /* nothing recorded: paid_at is missing, no date, or in the future
                    * ('problem' says which, naming paid_at) */
    PAY_UNMATCHED, /* recorded with a problem (unknown ID, wrong amount, already paid...) */
    PAY_REPLAY,    /* the same receipt, ID and amount again: nothing changed */
    PAY_CONFLICT   /* the receipt is recorded with another ID number or amount */
} pay_outcome_t;

typedef struct pay_result {
    pay_outcome_t outcome;
    char problem[200];  /* UNMATCHED, CONFLICT, and a REPLAY of an unmatched one; else "" */
    int64_t person_id;  /* MATCHED: the person; else 0 */
    char phone[24];     /* MATCHED: their phone, "" when none */
    char name[64];      /* MATCHED: their name */
    char categories[256]; /* MATCHED: their categories (canonical) */
    status_change_t change; /* MATCHED: what changed (seq: the payment id) */
    cb_date_t paid_on;      /* the day of paid_at (0 when REFUSED) */
    char late[48];          /* LATE: the rule ("late_enrolment", a late window's name) */
    cb_date_t cover_from;   /* LATE: the first day of cover */
} pay_result_t;

/* Where confirmations go and what a match does besides the status and its audit row. */
typedef struct pay_env {
    store_t *st;
    const policy_t *pol;
    int64_t campaign;
    const tplset_t *tpl;     /* its payment_thanks is the thank-you; NULL: none */
    const char *reply_route; /* the thank-you's route (default "sms") */
    /* The progress notice: each status change a match makes, called inside the
     * caller's transaction (the daemon's writer hands them to the MQTT feed after its
     * commit). NULL where no feed runs in the process: the daemon's feed recounts the
     * store every minute and so picks up imports. */
    void (*notice)(void *ud, const status_change_t *c);
    void *notice_ud;
    /* Private: the thank-you context, its campaign variables set once until
     * pay_env_done. */
    struct tpl_ctx *thanks;
} pay_env_t;

/* Apply 'p' at Unix time 'now' (the campaign clock). CB_OK with *out filled, or a
 * negative CB_E* (store). A match (MATCHED or LATE) queues the thank-you
 * "thanks:<receipt>" to the person's phone (when they have one and 'tpl' is set) and
 * calls the notice. A payment dated outside the window, and its extension for the
 * people it covers (policy_extension_flag), is a late enrolment under the policy's late
 * windows and late_enrolment (policy_late_case): the amount it must carry is that rule's
 * fee, without subsidy; when no rule lets the person enrol now it is kept UNMATCHED with
 * the reason. One dated before the window opened is kept UNMATCHED too. */
CB_NODISCARD int pay_confirm(pay_env_t *env, const pay_in_t *p, int64_t now,
                             pay_result_t *out);

/* Drop what pay_confirm keeps between calls (call it when the day may have changed,
 * e.g. after each batch, and at the end). The env stays usable. */
void pay_env_done(pay_env_t *env);

#endif
