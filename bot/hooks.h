/* SPDX-License-Identifier: MIT */
/*
 * hooks.h - checking what canbao's own inbound endpoints receive, before anything is
 * stored: a payment confirmation's JSON and a WeChat-style reply's JSON (a provider's
 * calls, such as Kannel's MO and delivery reports, are parsed by its channel driver:
 * channel_inbound in channels/channel.h). Pure functions (no I/O), with a libFuzzer
 * target (fuzz/fuzz_hooks.c). A failure writes one sentence naming the field into
 * 'why' ("receipt: contains a control character").
 *
 * What each value may hold (the sets are core/ident.h's):
 *   receipt, msg_id, Kannel's id   an identifier: 1-64 of A-Z a-z 0-9 . _ : -
 *   a delivery report's id         a number: digits only, 1 .. INT64_MAX
 *   id_number, from, channel,      one line of UTF-8 text without control
 *   paid_at, a DLR's reply         characters, then their own checks
 *   text (a reply)                 UTF-8 text; tab, LF and CR the only control
 *                                  characters (handsets send CR LF line breaks)
 * A JSON body must be one object with whitespace only after it, without a NUL (a
 * raw byte or \u0000) anywhere, each known member given once; other members are
 * ignored.
 */
#ifndef CB_BOT_HOOKS_H
#define CB_BOT_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"
#include "core/compiler.h"
#include "core/date.h"
#include "core/ident.h"

/* Longest values, in bytes. */
#define HOOK_RECEIPT_MAX    IDENT_MAX
#define HOOK_MSG_ID_MAX     CH_EVENT_ID_MAX
#define HOOK_ID_NUMBER_MAX  18
#define HOOK_CHANNEL_MAX    40
#define HOOK_PAID_AT_MAX    40
#define HOOK_NAME_MAX       60
#define HOOK_FROM_MAX       24
#define HOOK_TEXT_MAX       CH_EVENT_TEXT_MAX

typedef struct hook_payment {
    char receipt[HOOK_RECEIPT_MAX + 1];
    char id_number[19];                 /* valid and normalised (core/idcard.h) */
    int64_t amount_fen;                 /* > 0 */
    char channel[HOOK_CHANNEL_MAX + 1]; /* "" when not given */
    char paid_at[HOOK_PAID_AT_MAX + 1]; /* "" when not given */
    char name[HOOK_NAME_MAX + 1];       /* the payer's name, "" when not given */
} hook_payment_t;

/* {"receipt", "id_number", "amount_fen", "channel"?, "paid_at"?, "name"?}. CB_EINVAL
 * with 'why'. */
CB_NODISCARD int hook_payment_parse(const char *body, size_t len, cb_date_t today,
                                    hook_payment_t *out, char *why, size_t whylen);

typedef struct hook_reply {
    char msg_id[HOOK_MSG_ID_MAX + 1];
    char phone[24]; /* normalised mobile number (core/phone.h) */
    char text[HOOK_TEXT_MAX + 1];
} hook_reply_t;

/* A reply's three values (NULL when absent; the text may be ""), checked as every
 * reply is (channel_reply_event). 'id_name' names the id in 'why' ("msg_id" for the
 * WeChat hook). CB_EINVAL with 'why'. */
CB_NODISCARD int hook_reply_check(const char *id_name, const char *msg_id, const char *from,
                                  const char *text, hook_reply_t *out, char *why,
                                  size_t whylen);

/* {"msg_id", "from", "text"}. CB_EINVAL with 'why'. */
CB_NODISCARD int hook_wechat_parse(const char *body, size_t len, hook_reply_t *out, char *why,
                                   size_t whylen);

#endif
