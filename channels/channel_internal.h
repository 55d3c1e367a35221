/* SPDX-License-Identifier: MIT */
/*
 * channel_internal.h - the driver vtable and the helpers drivers share. Only
 * channels/ and its tests include this.
 *
 * A driver is one drv_<type>.c exporting one const channel_ops_t, listed in the
 * registry in channel.c. HTTP drivers are split into pure halves that tests call
 * directly: build() turns a message into a request, classify() turns a response
 * into a verdict; channel.c does the sending in between.
 */
#ifndef CB_CHANNELS_CHANNEL_INTERNAL_H
#define CB_CHANNELS_CHANNEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"
#include "core/smsseg.h"
#include "core/compiler.h"

/* Option types: a string, a secret string (also accepted as <key>_env), an
 * integer, a number, a boolean, an object. */
typedef enum chan_opt_type {
    CHO_STR, CHO_SECRET, CHO_INT, CHO_NUM, CHO_BOOL, CHO_OBJ
} chan_opt_type_t;

typedef struct chan_opt {
    const char *key;
    chan_opt_type_t type;
    int required;
} chan_opt_t;

/* A request built by a driver; every pointer is owned (chan__req_cleanup frees). */
#define CHAN_REQ_MAXHDR 8
typedef struct chan_req {
    const char *method; /* static "GET" or "POST" */
    char *url;
    char *body;
    size_t body_len;
    char *hdr[CHAN_REQ_MAXHDR + 1]; /* NULL-terminated */
    size_t nhdr;
} chan_req_t;

/* What a response means, filled by classify(). */
typedef struct chan_verdict {
    ch_outcome_t outcome;
    int retry_after_s;
    int parts;             /* >0 overrides the parts computed when sending */
    char error[200];       /* failures: the reason */
    char gateway_id[128];  /* accepted: the gateway's id, "" when none */
} chan_verdict_t;

typedef struct channel_ops {
    const char *type;        /* the "type" config value */
    ch_kind_t kind;
    const chan_opt_t *opts;  /* the driver's options, { NULL } terminated */
    double default_rate;     /* messages per second */
    int default_burst;

    /* MUST. Read the validated options into ch->priv (and ch->signature,
     * ch->optout). On failure write the reason with chan__fail; channel.c then
     * calls destroy() when ch->priv is set. Never blocks. */
    int (*create)(channel_t *ch, const cJSON *cfg, char *err, size_t errlen);
    /* MAY be NULL. Free ch->priv. */
    void (*destroy)(void *priv);

    /* HTTP drivers MUST set build and classify and leave send NULL.
     * build: fill 'req' for 'm' at wall time 'now_ms', or return CB_EREJECTED with
     * the reason in v->error (and v->parts) to fail the message without sending.
     * '*parts' is the billed part count to report (SMS) or 0. Pure. */
    int (*build)(const channel_t *ch, const ch_msg_t *m, int64_t now_ms, chan_req_t *req,
                 int *parts, chan_verdict_t *v);
    /* classify: what 'resp' means. Pure. */
    void (*classify)(const channel_t *ch, const httpc_resp_t *resp, chan_verdict_t *v);

    /* Drivers without HTTP set send instead: same contract as channel_send. */
    int (*send)(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud);

    /* MAY be NULL: the provider's calls to the daemon, as channel_inbound. Pure. */
    int (*inbound)(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                   size_t acklen, char *why, size_t whylen);
} channel_ops_t;

typedef struct chan_pending chan_pending_t;

/* chan_tplmap.c: a cloud SMS channel's canbao template -> provider template map. */
typedef struct chan_tpl {
    char *name;     /* the canbao template ("remind_periodic") */
    char *code;     /* the provider's template (SMS_123456789, 1110) */
    char *content;  /* its approved text, with ${x} or {N} */
    size_t nparams;
    char **pname;   /* provider parameter names ("1", "2", ... when positional) */
    char **var;     /* the canbao variable filling each */
} chan_tpl_t;

typedef struct chan_tplmap {
    chan_tpl_t *t;
    size_t n;
} chan_tplmap_t;

struct channel {
    const channel_ops_t *ops;
    httpc_t *http;
    char *name;
    double rate;
    int burst;
    long timeout_ms;
    char *signature;               /* decorate(): before the text, or NULL */
    char *optout;                  /* decorate(): after the text, or NULL */
    sms_rule_t sms_rule;           /* how an SMS channel's gateway splits a text */
    int max_parts;                 /* the most SMS parts the gateway takes, 0: no limit */
    int64_t (*now_ms)(void);       /* wall clock in ms; tests replace it */
    chan_tplmap_t *tplmap;         /* cloud SMS: the template map, else NULL */
    char *callback_secret;         /* cloud SMS: ?secret= of the provider's pushes */
    chan_pending_t *pending;       /* in flight (doubly linked) */
    chan_pending_t *spare;         /* free list */
    size_t npending;
    void *priv;                    /* the driver's */
};

extern const channel_ops_t channel_kannel_ops;
/* drv_kannel_in.c: Kannel's dlr-url and get-url calls. */
int kannel_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                   size_t acklen, char *why, size_t whylen);
extern const channel_ops_t channel_http_sms_ops;
extern const channel_ops_t channel_aliyun_sms_ops;
extern const channel_ops_t channel_tencent_sms_ops;
/* drv_cloud_in.c: the Aliyun and Tencent report and reply pushes. */
int aliyun_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                   size_t acklen, char *why, size_t whylen);
int tencent_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                    size_t acklen, char *why, size_t whylen);
extern const channel_ops_t channel_wecom_ops;
extern const channel_ops_t channel_dingtalk_ops;
extern const channel_ops_t channel_webhook_ops;
extern const channel_ops_t channel_file_ops;

/* chan_cfg.c: options. Values are those channel.c validated against the table. */

/* Write "channel 'NAME': <message>" into err (may be NULL); returns CB_ECONFIG. */
int chan__fail(const channel_t *ch, char *err, size_t errlen, const char *fmt, ...) CB_PRINTF(4, 5);
/* Check every key of 'cfg' against the common options and 'opts'. */
CB_NODISCARD int chan__check_opts(const channel_t *ch, const cJSON *cfg, const chan_opt_t *opts,
                                  int http, char *err, size_t errlen);
/* A copy of string option 'key', or of 'def' (may be NULL) when absent. */
char *chan__str(const cJSON *cfg, const char *key, const char *def);
/* A secret: 'key' itself or the variable named by 'key'_env. *out is NULL when
 * neither is given; an unset variable is CB_ECONFIG naming it. */
CB_NODISCARD int chan__secret(const channel_t *ch, const cJSON *cfg, const char *key, char **out,
                              char *err, size_t errlen);
long chan__int(const cJSON *cfg, const char *key, long def);
int chan__bool(const cJSON *cfg, const char *key, int def);
/* CB_ECONFIG unless 'url' is http:// or https://. */
CB_NODISCARD int chan__check_url(const channel_t *ch, const char *url, char *err, size_t errlen);
/* Read "signature" and "optout_suffix" into ch. */
void chan__read_decor(channel_t *ch, const cJSON *cfg);

/* chan_tplmap.c. Read option "templates" into ch->tplmap ('positional': Tencent's
 * {1}..{n} with "params" an array, else Aliyun's ${name} with an object). */
CB_NODISCARD int chan__tplmap_read(channel_t *ch, const cJSON *cfg, int positional, char *err,
                                   size_t errlen);
void chan__tplmap_free(chan_tplmap_t *m);
const chan_tpl_t *chan__tplmap_find(const chan_tplmap_t *m, const char *name);
/* The mapping of m->tpl and its parameter values (vals[i], borrowed from *vars, which
 * the caller frees with cJSON_Delete); NULL with a permanent verdict when the message
 * has no mapped template or lacks a variable. */
const chan_tpl_t *chan__tpl_values(const channel_t *ch, const ch_msg_t *m, cJSON **vars,
                                   const char **vals, chan_verdict_t *v);
/* The common part of the cloud SMS drivers' create(): sign_name (the approved
 * signature, shown as 【sign_name】 in part counts) and the template map. */
CB_NODISCARD int chan__cloud_create(channel_t *ch, const cJSON *cfg, int positional, char *err,
                                    size_t errlen);
/* drv_aliyun.c: Aliyun's {"Code":..} answer into 'v'; 0 when 'j' has no Code. */
int chan__aliyun_code(const cJSON *j, chan_verdict_t *v);
/* drv_tencent.c: one SendStatusSet entry into 'v'; the Response of an answer, or
 * NULL with 'v' set for a transport error, a non-2xx or a Response.Error. */
void chan__tencent_status(const cJSON *st, chan_verdict_t *v);
const cJSON *chan__tencent_response(const httpc_resp_t *resp, const cJSON *j,
                                    chan_verdict_t *v);
/* The SMS parts of the provider's text filled with 'vals', signature included. */
int chan__tpl_parts(const channel_t *ch, const chan_tpl_t *t, const char *const *vals,
                    int positional);

/* chan_http.c: request and response helpers. */

void chan__req_cleanup(chan_req_t *req);
/* Append a header line "Name: value". */
void chan__req_header(chan_req_t *req, const char *name, const char *value);
/* Serialize 'body' (unformatted) as the POST body with a JSON content type. */
void chan__req_json(chan_req_t *req, const char *url, const cJSON *body);
/* Add 'value' to 'o' as a string, or null when it is NULL. */
void chan__json_str(cJSON *o, const char *key, const char *value);
/* Add "id": 'id' to 'o' as an exact JSON integer. */
void chan__json_id(cJSON *o, int64_t id);
/* Generic HTTP rules: transport errors, 429, 408 and 5xx are temporary, other
 * non-2xx permanent (with "HTTP <status>" and the first line of the body).
 * Returns 1 when it decided, 0 for a 2xx the driver must read itself. */
int chan__classify_http(const httpc_resp_t *resp, chan_verdict_t *v);
/* Seconds in a Retry-After value (delta seconds or HTTP date), else 0. */
int chan__retry_after(const char *value, int64_t now_s);
/* Write printf text into v->error and set the outcome. */
void chan__verdict(chan_verdict_t *v, ch_outcome_t o, const char *fmt, ...) CB_PRINTF(3, 4);
/* The robots' answer: HTTP 200 with {"errcode":N,"errmsg":".."}. 'throttle' is the
 * errcode meaning "too fast", answered as temporary with 'throttle_s'. */
void chan__classify_errcode(const httpc_resp_t *resp, long throttle, int throttle_s,
                            chan_verdict_t *v);

/* Base64 of 'n' bytes into 'out' (4 * ((n + 2) / 3) + 1 bytes). */
void chan__base64(const unsigned char *in, size_t n, char *out);
/* curl_easy_escape copy that is freed with free(). */
char *chan__escape(const char *s);
/* The mobile masked for logs ("-" for NULL). */
void chan__mask(const char *to, char *out, size_t outlen);

/* Test hook: replace the wall clock of 'ch'. */
void channel__set_clock(channel_t *ch, int64_t (*now_ms)(void));

#endif
