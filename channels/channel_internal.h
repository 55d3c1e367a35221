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
    const char *token;  /* in: the access token (channels with ch->token), borrowed */
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
    int token_expired;     /* the provider refused the access token (40014, 42001):
                              channel.c drops it and sends once more with a new one */
    int optout;            /* the recipient refused the channel (ch_result_t.optout) */
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

    /* MAY be 0/NULL: a provider that takes several numbers in one call (chan_batch.c).
     * batch_max: the most a request holds (>1 turns batching on). batch_key: check 'm'
     * as build does (CB_EREJECTED with 'v') and return in *key (caller frees) what
     * must be equal for messages to share a request, '*parts' as build. build_batch:
     * one request for m[0..n-1] (n >= 2, keys equal, each checked). classify_batch:
     * v[i] for m[i] from the answer. A batch of one goes through build/classify. */
    int batch_max;
    int (*batch_key)(const channel_t *ch, const ch_msg_t *m, char **key, int *parts,
                     chan_verdict_t *v);
    int (*build_batch)(const channel_t *ch, const ch_msg_t *const *m, size_t n, int64_t now_ms,
                       chan_req_t *req);
    void (*classify_batch)(const channel_t *ch, const httpc_resp_t *resp,
                           const ch_msg_t *const *m, size_t n, chan_verdict_t *v);

    /* Drivers without HTTP set send instead: same contract as channel_send. */
    int (*send)(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud);

    /* MAY be NULL: a provider that only queues a send (dingtalk_work) is asked what
     * became of it (channel_poll). poll_build: the request about message 'm' (m->id
     * the outbox row, m->to its recipient, m->key the gateway id, digits). poll_classify:
     * 'v' for the request itself (token_expired as for sends), and when it is
     * accepted 'ev', a delivery event (final 0: the provider does not know yet). Pure. */
    int (*poll_build)(const channel_t *ch, const ch_msg_t *m, chan_req_t *req);
    void (*poll_classify)(const channel_t *ch, const ch_msg_t *m, const httpc_resp_t *resp,
                          chan_verdict_t *v, ch_event_t *ev);

    /* MAY be NULL: the provider's calls to the daemon, as channel_inbound. Pure. */
    int (*inbound)(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                   size_t acklen, char *why, size_t whylen);
} channel_ops_t;

typedef struct chan_pending chan_pending_t;
typedef struct chan_token chan_token_t;
typedef struct chan_batch chan_batch_t;

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
    chan_token_t *token;           /* the access token the API needs, or NULL */
    chan_batch_t *batch;           /* batching drivers: the open batches, or NULL */
    size_t nbatched;               /* messages in batches not answered yet */
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
extern const channel_ops_t channel_wecom_app_ops;
extern const channel_ops_t channel_dingtalk_work_ops;
extern const channel_ops_t channel_wechat_mp_ops;
/* drv_wechat_mp_in.c: the Official Account's pushes (URL check, events). */
int wechat_mp_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                      size_t acklen, char *why, size_t whylen);

/* chan_token.c: access tokens, one cache per httpc_t (the process's), see there. */

/* The shared entry of the credential whose token GET 'url' fetches (the url holds
 * the secret and is never logged; 'label' is what logs say). A reference. */
chan_token_t *chan__token_ref(httpc_t *http, const char *url, const char *label);
/* Drop the reference and the waiters queued by 'owner'. NULL is a no-op. */
void chan__token_unref(chan_token_t *t, const void *owner);
/* The token (NULL with 'fail' set when it could not be had), for a request. */
typedef void chan_token_fn(void *ud, const char *token, const chan_verdict_t *fail);
/* Call fn with the token: at once when one is valid by 'clock', else after the fetch
 * (started here unless one is in flight). 'owner' is for chan__token_unref. */
void chan__token_use(chan_token_t *t, int64_t (*clock)(void), long timeout_ms,
                     const void *owner, chan_token_fn *fn, void *ud);
/* The provider called 'token' expired: forget it unless a newer one replaced it. */
void chan__token_expired(chan_token_t *t, const char *token);
/* How many fetches were started (tests, logs). */
unsigned long chan__token_fetches(const chan_token_t *t);
/* The token endpoints' answer: CB_OK with *token (caller frees) and *expires_in,
 * else negative with the failure in 'v'. Pure. */
int chan__token_parse(const httpc_resp_t *resp, char **token, long *expires_in,
                      chan_verdict_t *v);
/* A driver's create(): GET 'url' (owned by the caller) fetches this channel's token. */
void chan__token_attach(channel_t *ch, const char *url, const char *label);
/* Where an app channel's credential is and how its token URL is made. */
typedef struct chan_app_cred {
    const char *base_default;           /* "https://qyapi.weixin.qq.com" */
    const char *token_path;             /* "/cgi-bin/gettoken?" (query begun) */
    const char *id_key, *id_param;      /* option and query names: "corpid" */
    const char *secret_key, *secret_param;
} chan_app_cred_t;
/* Read "base_url" (into *base, trailing '/' cut; the caller frees), the id and the
 * secret options of 'c' and attach the token they fetch. CB_ECONFIG with 'err'. */
CB_NODISCARD int chan__app_token(channel_t *ch, const cJSON *cfg, const chan_app_cred_t *c,
                                 char **base, char *err, size_t errlen);
/* The app APIs' answer: {"errcode":N,"errmsg":".."}; 0 accepted, 'expired' codes set
 * token_expired, -1 (busy) and 45009 (frequency) temporary, the rest permanent.
 * Returns the parsed body for the driver to read more (cJSON_Delete it), or NULL
 * when chan__classify_http decided or the body is no JSON object. */
cJSON *chan__classify_app(const httpc_resp_t *resp, chan_verdict_t *v);

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
/* drv_cloud_in.c: the gateway id of number 'phone' in Aliyun batch 'biz'
 * ("BizId:phone"), as the batch's delivery reports (no out_id) are matched. */
void chan__batch_gateway_id(const char *biz, const char *phone, char *out, size_t outlen);
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

/* chan_batch.c: batching (ops->batch_max > 1). Add 'm' (copied) to the open batch
 * of its key, sending a batch when it is full or its place is needed; CB_OK (a
 * rejected message is reported at once). */
CB_NODISCARD int chan__batch_add(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud);
/* Send the open batches now (channel_flush). */
void chan__batch_flush(channel_t *ch);
/* Free the open batches without reporting (channel_destroy). */
void chan__batch_free(channel_t *ch);
/* Report one message of a batch (channel.c's report). */
void chan__report(channel_t *ch, int64_t id, const char *to_masked, int parts,
                  const chan_verdict_t *v, ch_done_fn *done, void *ud);

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

/* An account id of the app channels (a WeCom or DingTalk userid, a WeChat openid):
 * 1..CHAN_ACCOUNT_MAX bytes of A-Z a-z 0-9 - _ . @ (so never a '|' or ',' that
 * would name a second recipient). */
#define CHAN_ACCOUNT_MAX 64
int chan__account_ok(const char *to);
/* base + path + the escaped token ("...?access_token=" ends 'path'); caller frees. */
char *chan__url_join(const char *base, const char *path, const char *token);

/* The positive integer member 'key' of the answer 'j' (parsed from resp's body) as
 * the digits it was sent with (a message id of 19 digits survives): 1 with them in
 * 'out', 0 when there is none. */
int chan__json_digits(const httpc_resp_t *resp, const cJSON *j, const char *key, char *out,
                      size_t outlen);

/* Test hook: replace the wall clock of 'ch'. */
void channel__set_clock(channel_t *ch, int64_t (*now_ms)(void));

#endif
