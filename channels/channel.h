/* SPDX-License-Identifier: MIT */
/*
 * channel.h - every outbound transport behind one interface: SMS through Kannel or a
 * generic HTTP SMS API, WeCom and DingTalk group robots, a signed JSON webhook and a
 * JSON-lines file for demos and dry runs. A channel formats a message, sends it
 * through the shared HTTP client and reports one classified result per message.
 * The option reference for every type is docs/channels.md.
 *
 * Threading: a channel is used from the thread that runs its httpc_t; results are
 * delivered from inside httpc_run() on that thread.
 */
#ifndef CB_CHANNELS_CHANNEL_H
#define CB_CHANNELS_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/compiler.h"
#include "net/httpc.h"

typedef enum ch_outcome {
    CH_ACCEPTED, /* the gateway took it */
    CH_TEMPFAIL, /* worth retrying later (5xx, 429, timeout, throttled robot) */
    CH_PERMFAIL  /* never retry as is (4xx, bad number, too long, bad robot key) */
} ch_outcome_t;

/* APP: an application's messages to named members (WeCom, DingTalk userids);
 * WECHAT: an Official Account's messages to residents (openids). */
typedef enum ch_kind {
    CH_KIND_SMS, CH_KIND_ROBOT, CH_KIND_WEBHOOK, CH_KIND_FILE, CH_KIND_APP, CH_KIND_WECHAT
} ch_kind_t;

/* A message to send. Borrowed by channel_send, which copies what it keeps. */
typedef struct ch_msg {
    int64_t id;       /* caller's message id (outbox row), echoed in the result */
    const char *to;   /* phone number (SMS), mobile to @mention (robot) or NULL */
    const char *text; /* rendered body, UTF-8, WITHOUT signature/opt-out suffix */
    const char *key;  /* idempotency key: Idempotency-Key header or a body field
                         where the gateway takes one; may be NULL */
    int markdown;     /* robots: send as markdown instead of text */
    /* Cloud SMS channels (aliyun_sms, tencent_sms) send the provider's template, not
     * 'text': the canbao template name and its variables as a JSON object of strings
     * (outbox.vars, written when the message was queued). NULL for the others. */
    const char *tpl;
    const char *vars;
} ch_msg_t;

/*
 * The inbound side: a provider's call to the daemon (a delivery report, a resident's
 * reply), parsed by the driver of the provider's type into neutral events that bot/
 * persists. Borrowed for the call.
 */
typedef struct ch_inbound {
    const char *what; /* what the call is, per type: see channel_inbound */
    /* A query (or form) value of the call, NULL when absent. */
    const char *(*param)(void *ud, const char *name);
    void *param_ud;
    const char *body; /* the request body, "" for a GET */
    size_t body_len;
    const char *secret; /* what the provider signs its calls with (WeChat's token), or NULL */
} ch_inbound_t;

#define CH_EVENT_ID_MAX   64
#define CH_EVENT_TEXT_MAX 1024

#define CH_ACCOUNT_MAX    64 /* an app account: a WeChat openid */

/* CH_EV_OPTOUT: the sender (an app account) refused the channel (WeChat unsubscribe). */
typedef enum ch_event_kind { CH_EV_DELIVERY, CH_EV_REPLY, CH_EV_OPTOUT } ch_event_kind_t;

typedef struct ch_event {
    ch_event_kind_t kind;
    /* CH_EV_DELIVERY: the outbox row the report is about (or 0, and msg_id the
     * provider's id of the message: the row's gateway_id), and what it says */
    int64_t outbox_id;
    int final;        /* the last word on the message (else acknowledged, no change) */
    int delivered;    /* final and delivered */
    char error[160];  /* "DLR 2: <the SMSC's text>" for a failure */
    /* CH_EV_REPLY: the provider's message id, the normalised sender, the text */
    char msg_id[CH_EVENT_ID_MAX + 1];
    char from[24];
    char text[CH_EVENT_TEXT_MAX + 1];
    /* CH_EV_REPLY from an app account instead of a phone (from ""), CH_EV_OPTOUT: the
     * sender's account (a WeChat openid); bot/ finds the person bound to it. */
    char account[CH_ACCOUNT_MAX + 1];
} ch_event_t;

typedef void ch_event_fn(void *ud, const ch_event_t *ev);

/* channel_inbound's answer when 'in' fails the provider's signature (in->secret). */
#define CH_INBOUND_UNSIGNED CB_EREJECTED

/*
 * Parse 'in', a call for a channel of type 'type' ("kannel": 'what' "dlr" or "mo";
 * "aliyun_sms": "report" or "mo"; "tencent_sms": "status" or "reply"): 'each' gets every event
 * it holds (a provider may push several in one call), and 'ack' what to answer the
 * provider with ("" for an empty 200). CB_OK; CB_EINVAL with 'why' naming the field
 * and nothing passed to 'each' when any of it is malformed; CH_INBOUND_UNSIGNED when
 * the signature is wrong or missing; CB_ENOTFOUND when the type has no inbound side.
 */
CB_NODISCARD int channel_inbound(const char *type, const ch_inbound_t *in, ch_event_fn *each,
                                 void *ud, char *ack, size_t acklen, char *why, size_t whylen);

/* A reply event from its three values (NULL when absent): 'id_name' names the id in
 * 'why' ("id", "msg_id"); the id is an identifier, the sender a mobile number
 * (normalised), the text valid UTF-8 without control characters but line breaks.
 * Every driver's inbound side and bot's own reply hook use it. CB_EINVAL with 'why'. */
CB_NODISCARD int channel_reply_event(const char *id_name, const char *msg_id, const char *from,
                                     const char *text, ch_event_t *ev, char *why,
                                     size_t whylen);

/* The same for a message from an app account (a WeChat openid: an identifier of at
 * most CH_ACCOUNT_MAX bytes) instead of a phone; CH_EV_OPTOUT when 'text' is NULL. */
CB_NODISCARD int channel_account_event(const char *msg_id, const char *account,
                                       const char *text, ch_event_t *ev, char *why,
                                       size_t whylen);

/* The outcome of one message. Borrowed: valid only during the callback. */
typedef struct ch_result {
    int64_t id;
    ch_outcome_t outcome;
    const char *gateway_id; /* accepted: the gateway's message id, or NULL */
    const char *error;      /* failures: the reason ("HTTP 503", "errcode 45009: ...",
                               "text needs 4 parts, limit 3"); NULL when accepted */
    int retry_after_s;      /* from 429 Retry-After or robot throttling, else 0 */
    int parts;              /* SMS parts billed as far as the channel knows (0 otherwise) */
    int optout;             /* permanent: the recipient refused this channel (a WeChat
                               user who unsubscribed): record an opt-out as for STOP */
} ch_result_t;

typedef void ch_done_fn(void *ud, const ch_result_t *r);

typedef struct channel channel_t;

/*
 * Create a channel from its configuration object, e.g.
 * {"name":"sms","type":"kannel","url":"...","username":"...","password_env":"..."}.
 * Any secret option x may be given as x_env, naming an environment variable.
 * Unknown or missing options, wrong types and unset variables are CB_ECONFIG with
 * "channel 'NAME': ..." in 'err' (may be NULL). 'http' is borrowed and must outlive
 * the channel; it may be NULL for types that send no HTTP ("file"). 'cfg' is only
 * read during the call. On failure *out is NULL.
 */
CB_NODISCARD int channel_create(httpc_t *http, const cJSON *cfg, channel_t **out, char *err,
                                size_t errlen);

/* The configured name and type; borrowed for the channel's lifetime. */
const char *channel_name(const channel_t *ch);
const char *channel_type(const channel_t *ch);
ch_kind_t channel_kind(const channel_t *ch);

/* Configured messages per second (SMS: parts per second); robots default to 20/60. */
double channel_rate(const channel_t *ch);
/* The most SMS parts one message may take on this channel (Kannel's max_parts), 0
 * when the channel sets no limit. */
int channel_max_parts(const channel_t *ch);
/* How many messages may go at once after a quiet spell (token bucket depth). */
int channel_burst(const channel_t *ch);

/*
 * The final text the recipient sees: the configured signature, 'text', then the
 * configured opt-out suffix (channels without them return a plain copy), and through
 * 'parts' (when not NULL) what it costs on this channel: SMS parts as its gateway
 * splits them (Kannel: UCS-2 cut every 67 units; otherwise core/smsseg.h's rule), at
 * least 1; 0 on channels that are not SMS. The one decoration and the one part count
 * of a message: the drivers send what it returns, the dispatcher paces by the parts
 * they report, broadcasts estimate with it. The caller frees the result.
 */
char *channel_render(const channel_t *ch, const char *text, int *parts);

/*
 * Send 'msg' ('msg' and its strings are borrowed for the call). Never blocks on the
 * network. Returns CB_OK and calls 'done' exactly once: from httpc_run() for HTTP
 * channels, or before returning when the outcome is known without the network
 * (the file channel; a text over the channel's part or size limit; a missing or
 * malformed SMS number). A negative CB_E* (CB_EINVAL for a missing text or done)
 * means 'done' is never called for this message.
 */
CB_NODISCARD int channel_send(channel_t *ch, const ch_msg_t *msg, ch_done_fn *done, void *ud);

/*
 * Templated channels: the canbao variables that fill the provider template mapped to
 * canbao template 'tpl' (*vars borrowed for the channel's lifetime). CB_OK;
 * CB_ENOTFOUND when 'tpl' has no mapping; CB_EINVAL when the channel sends text.
 */
CB_NODISCARD int channel_template_vars(const channel_t *ch, const char *tpl,
                                       const char *const **vars, size_t *n);

/* The secret the provider's pushes to this channel carry as ?secret= (option
 * callback_secret of the cloud SMS types), or NULL: their routes then answer 503. */
const char *channel_callback_secret(const channel_t *ch);

/* 1 when what became of a message is learnt by asking the provider (channel_poll:
 * dingtalk_work), 0 when it reports by itself or not at all. */
int channel_can_poll(const channel_t *ch);

/* A poll's answer: 'ev' the delivery event (final 0: not known yet), or NULL with
 * 'error' when the question failed. Borrowed: valid only during the callback. */
typedef void ch_poll_fn(void *ud, const ch_event_t *ev, const char *error);

/*
 * Ask what became of outbox row 'id', sent to 'to' and accepted with 'gateway_id'
 * (borrowed for the call). CB_OK and 'done' exactly once from httpc_run();
 * CB_ENOTFOUND when the channel cannot poll, CB_EINVAL for a gateway id that is not
 * 1..19 digits or a missing 'to' (then 'done' is never called).
 */
CB_NODISCARD int channel_poll(channel_t *ch, int64_t id, const char *to, const char *gateway_id,
                              ch_poll_fn *done, void *ud);

/* Messages sent and not yet called back. */
size_t channel_inflight(const channel_t *ch);

/*
 * Send what a batching channel (aliyun_sms, tencent_sms) holds back in its open
 * batches: messages of one template wait there until their batch is full, its
 * place is needed by a ninth template, or this is called. Callers of channel_send call it once they have
 * queued what they have (the dispatcher: after each round). No-op for the others.
 */
void channel_flush(channel_t *ch);

/*
 * Free the channel. NULL is a no-op. Call it when channel_inflight() is 0 or after
 * httpc_destroy(): a request still in flight on a live httpc_t would call back
 * into freed memory. Results of dropped requests are never reported.
 */
void channel_destroy(channel_t *ch);

#endif
