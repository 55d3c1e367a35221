/* SPDX-License-Identifier: MIT */
/*
 * store_outbox.h - the outbox: every outbound message is a row before any gateway
 * sees it, keyed by an idempotency key (a second enqueue with the same key is a
 * no-op), and opt-outs by route kind and recipient.
 *
 * Life of a row: queued -> sending (claimed with a lease) -> sent -> delivered,
 * or failed. A sending row whose lease expired (the dispatcher died) is claimed
 * again like a queued one and re-sent with the same key.
 * Strings handed in are copied by SQLite; strings handed out are the caller's.
 */
#ifndef CB_STORE_STORE_OUTBOX_H
#define CB_STORE_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

typedef enum outbox_class {
    OB_REMINDER, /* a reminder to a resident: caps and quiet hours apply */
    OB_REPLY,    /* an answer to a resident (thanks, acknowledgement): quiet hours apply */
    OB_NOTICE    /* to workers and leaders: neither applies */
} outbox_class_t;

typedef struct outbox_new {
    const char *key;       /* idempotency key, e.g. "remind:2024:1234:weekly:2023-11-20" */
    int64_t campaign_id;   /* 0: none */
    int64_t person_id;     /* 0: not a resident (a worker, a group) */
    const char *route;     /* "sms", "robot", "webhook" or a channel's name */
    outbox_class_t klass;
    const char *recipient; /* phone, robot mention, or "" for a whole group */
    const char *template_name;
    const char *text;      /* rendered body, without signature or opt-out suffix */
    const char *vars;      /* the template's variables as a JSON object of strings
                              (tpl_ctx_json), for the channels that send the provider's
                              template instead of text; NULL: none */
    int64_t not_before;    /* earliest send time (unix s) */
} outbox_new_t;

/* 1 when queued, 0 when a row with that key exists already (nothing changed). */
CB_NODISCARD int store_outbox_enqueue(store_t *st, const outbox_new_t *m, int64_t now);

typedef struct outbox_msg {
    int64_t id, person_id, campaign_id;
    outbox_class_t klass;
    int attempts; /* including this one */
    char *key, *route, *recipient, *template_name, *text;
    char *vars;           /* NULL or the JSON object queued with the message */
    char *channels_tried; /* "" or the channels that failed before, ',' separated */
} outbox_msg_t;

/*
 * Claim up to 'max' rows due at 'now' (queued, or sending with an expired lease),
 * oldest first: they become 'sending' with a lease until now + lease_s and one more
 * attempt. *out is the caller's to free with store_outbox_msgs_free (NULL, 0 when
 * nothing is due).
 */
CB_NODISCARD int store_outbox_claim(store_t *st, int64_t now, int lease_s, size_t max,
                                    outbox_msg_t **out, size_t *n);
void store_outbox_msgs_free(outbox_msg_t *m, size_t n);
/* Free the strings of one message (not the message itself). */
void store_outbox_msg_clear(outbox_msg_t *m);

typedef enum outbox_outcome {
    OB_SENT,   /* the gateway accepted it */
    OB_RETRY,  /* a temporary failure: queued again for 'next_at' */
    OB_DEFER,  /* not attempted (quiet hours, a cap): queued for 'next_at', the
                * attempt is given back */
    OB_FAILED  /* permanent */
} outbox_outcome_t;

typedef struct outbox_result {
    int64_t id;
    outbox_outcome_t outcome;
    int64_t at;              /* when it happened */
    int64_t next_at;         /* OB_RETRY, OB_DEFER */
    const char *channel;     /* the channel used, or NULL */
    const char *channels_tried; /* updated failover record, or NULL to keep */
    const char *gateway_id;  /* OB_SENT, may be NULL */
    const char *error;       /* OB_RETRY, OB_DEFER, OB_FAILED */
    int parts;               /* SMS parts, 0 otherwise */
    int64_t poll_at;         /* OB_SENT on a channel that is polled: when to ask first
                                (store_outbox_poll_claim); 0: never */
} outbox_result_t;

/* Record 'n' results in one transaction (the caller must not hold one open). */
CB_NODISCARD int store_outbox_record(store_t *st, const outbox_result_t *r, size_t n);

/* A delivery report: 'ok' moves a sent row to delivered, else to failed with
 * 'error'. Returns 1 when the row changed, 0 when it is unknown or final already. */
CB_NODISCARD int store_outbox_delivery(store_t *st, int64_t id, int ok, const char *error,
                                       int64_t now);

/* The same for a report naming the provider's id of a sent message (gateway_id). */
CB_NODISCARD int store_outbox_delivery_gw(store_t *st, const char *gateway_id, int ok,
                                          const char *error, int64_t now);

/* A sent row to ask the provider about (channel_poll). */
typedef struct outbox_poll {
    int64_t id;
    int polls; /* questions asked, this one included */
    char *channel, *recipient, *gateway_id;
} outbox_poll_t;

/*
 * Claim up to 'max' sent rows whose question is due at 'now' (poll_at), oldest due
 * first: each gets one more poll and its poll_at moves to now + lease_s, so a
 * dispatcher that dies asks again later. *out is the caller's to free with
 * store_outbox_polls_free (NULL, 0 when none is due).
 */
CB_NODISCARD int store_outbox_poll_claim(store_t *st, int64_t now, int lease_s, size_t max,
                                         outbox_poll_t **out, size_t *n);
void store_outbox_polls_free(outbox_poll_t *p, size_t n);

/* The provider did not know yet (or the question failed, 'error', may be NULL): ask
 * the sent row 'id' again at 'at', or never (at 0: it stays sent, with 'error'). */
CB_NODISCARD int store_outbox_poll_later(store_t *st, int64_t id, int64_t at, const char *error);

/* SMS reminders sent (or being sent) to 'recipient' since 'since': for caps. */
CB_NODISCARD int store_outbox_sent_since(store_t *st, const char *recipient, int64_t since,
                                         int64_t *count);

/* Call fn with the recipient of every row of class 'klass' ("reminder", ...) sent
 * (or delivered) in [from, to]; fn returns 0 to go on. */
CB_NODISCARD int store_outbox_sent_each(store_t *st, const char *klass, int64_t from, int64_t to,
                                        int (*fn)(void *ud, const char *recipient), void *ud);

/* Opt-outs by route kind ("sms", "robot") and recipient. add: 1 when new, 0 when
 * already there. has: 1 or 0. */
CB_NODISCARD int store_optout_add(store_t *st, const char *kind, const char *recipient,
                                  const char *source, int64_t now);
CB_NODISCARD int store_optout_has(store_t *st, const char *kind, const char *recipient);

/* Rows for display, newest first, optionally of one status ("" or NULL: all). The
 * callback gets each row's columns; stop early by returning nonzero. */
typedef struct outbox_row {
    int64_t id, person_id, next_at, created_at, sent_at;
    int attempts, parts;
    const char *key, *route, *klass, *recipient, *template_name, *text, *status, *channel,
        *channels_tried, *gateway_id, *error;
} outbox_row_t;
CB_NODISCARD int store_outbox_list(store_t *st, const char *status, size_t limit,
                                   int (*fn)(void *ud, const outbox_row_t *r), void *ud);

/* How many rows per status and channel: fn(ud, status, channel or "", count). */
CB_NODISCARD int store_outbox_counts(store_t *st,
                                     void (*fn)(void *ud, const char *status,
                                                const char *channel, int64_t n),
                                     void *ud);

#endif
