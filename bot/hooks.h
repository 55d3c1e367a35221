/* SPDX-License-Identifier: MIT */
/*
 * hooks.h - checking what the inbound endpoints receive, before anything is
 * stored: a payment confirmation's JSON, a WeChat-style reply's JSON, a Kannel MO's
 * and a delivery report's query values. Pure functions (no I/O), each with a
 * libFuzzer target (fuzz/fuzz_hooks.c). A failure writes one sentence naming the
 * field into 'why'.
 */
#ifndef CB_BOT_HOOKS_H
#define CB_BOT_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"

typedef struct hook_payment {
    char receipt[65];
    char id_number[19]; /* valid and normalised (core/idcard.h) */
    int64_t amount_fen; /* > 0 */
    char channel[41];   /* "" when not given */
    char paid_at[41];   /* "" when not given */
    char name[64];      /* the payer's name, "" when not given */
} hook_payment_t;

/* {"receipt", "id_number", "amount_fen", "channel"?, "paid_at"?, "name"?}. CB_EINVAL
 * with 'why'. */
CB_NODISCARD int hook_payment_parse(const char *body, size_t len, cb_date_t today,
                                    hook_payment_t *out, char *why, size_t whylen);

typedef struct hook_reply {
    char msg_id[129];
    char phone[24]; /* normalised mobile number (core/phone.h) */
    char text[1025];
} hook_reply_t;

/* A reply's three values, as a Kannel MO query or a WeChat body gives them (NULL
 * when absent). CB_EINVAL with 'why'. */
CB_NODISCARD int hook_reply_check(const char *msg_id, const char *from, const char *text,
                                  hook_reply_t *out, char *why, size_t whylen);

/* {"msg_id", "from", "text"}. CB_EINVAL with 'why'. */
CB_NODISCARD int hook_wechat_parse(const char *body, size_t len, hook_reply_t *out, char *why,
                                   size_t whylen);

typedef struct hook_dlr {
    int64_t outbox_id;
    int event;      /* Kannel's %d: 1 delivered, 2 failed, 4 buffered, 8 SMSC ok, 16 SMSC failed */
    int final;      /* 1, 2 or 16 */
    int delivered;  /* 1 */
    char error[160]; /* "DLR 2: <the SMSC's text>" for a failure */
} hook_dlr_t;

/* A delivery report's id, status and reply (%A) query values. CB_EINVAL with 'why'. */
CB_NODISCARD int hook_dlr_parse(const char *id, const char *status, const char *reply,
                                hook_dlr_t *out, char *why, size_t whylen);

#endif
