/* SPDX-License-Identifier: MIT */
/*
 * chan_batch.c - several messages in one provider call, for drivers with
 * ops->batch_max > 1 (Aliyun SendBatchSms, Tencent SendSms with a PhoneNumberSet).
 *
 * A channel holds up to BATCH_OPEN open batches, one a key: messages whose
 * batch_key is equal (same provider template; Tencent: same parameters too) join
 * theirs, in order, so interleaved templates (single and household reminders) still
 * share requests. A batch goes out when it is full, when a new key needs its place
 * (the oldest goes), or on channel_flush (the dispatcher calls it after each round,
 * so a partly filled batch never waits long).
 * The answer is split by classify_batch into one verdict a message, and every
 * message gets its own result through its own callback, as if it had gone alone.
 * A batch of one goes through the driver's ordinary build and classify.
 */
#include "channels/channel_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

typedef struct batch_item {
    ch_msg_t msg;     /* its strings point into copy[] */
    char *copy[5];    /* to, text, key, tpl, vars (owned) */
    int parts;
    ch_done_fn *done;
    void *ud;
    char to[24];      /* masked, for the log line */
} batch_item_t;

#define BATCH_OPEN 8

struct chan_batch {
    chan_batch_t *next; /* the channel's open batches, oldest first */
    channel_t *ch;
    char *key;
    size_t n;
    batch_item_t *item; /* ops->batch_max of them */
};

static char *dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static void item_clear(batch_item_t *it)
{
    for (size_t i = 0; i < 5; i++)
        free(it->copy[i]);
    memset(it, 0, sizeof *it);
}

static void batch_destroy(chan_batch_t *b)
{
    for (size_t i = 0; i < b->n; i++)
        item_clear(&b->item[i]);
    free(b->item);
    free(b->key);
    free(b);
}

void chan__batch_free(channel_t *ch)
{
    while (ch->batch != NULL) {
        chan_batch_t *b = ch->batch;
        ch->batch = b->next;
        batch_destroy(b);
    }
}

/* Every message of 'b' gets v[i] (one verdict for all when 'same'); frees 'b'. */
static void batch_report(chan_batch_t *b, const chan_verdict_t *v, int same)
{
    channel_t *ch = b->ch;

    ch->nbatched -= b->n;
    for (size_t i = 0; i < b->n; i++) {
        batch_item_t *it = &b->item[i];
        chan__report(ch, it->msg.id, it->to, it->parts, same ? v : &v[i], it->done, it->ud);
    }
    batch_destroy(b);
}

static void on_batch_done(void *ud, const httpc_resp_t *resp)
{
    chan_batch_t *b = ud;
    channel_t *ch = b->ch;
    const ch_msg_t **m = xcalloc(b->n, sizeof *m);
    chan_verdict_t *v = xcalloc(b->n, sizeof *v);

    for (size_t i = 0; i < b->n; i++)
        m[i] = &b->item[i].msg;
    if (b->n == 1)
        ch->ops->classify(ch, resp, &v[0]);
    else
        ch->ops->classify_batch(ch, resp, m, b->n, v);
    free(m);
    batch_report(b, v, 0);
    free(v);
}

/* Build and start the request of 'b' (taken from the channel). */
static void batch_start(chan_batch_t *b)
{
    channel_t *ch = b->ch;
    const ch_msg_t **m = xcalloc(b->n, sizeof *m);
    chan_req_t req;
    chan_verdict_t v;
    httpc_req_t hr;
    int rc, parts = 0;

    memset(&req, 0, sizeof req);
    memset(&v, 0, sizeof v);
    for (size_t i = 0; i < b->n; i++)
        m[i] = &b->item[i].msg;
    if (b->n == 1)
        rc = ch->ops->build(ch, m[0], ch->now_ms(), &req, &parts, &v);
    else
        rc = ch->ops->build_batch(ch, m, b->n, ch->now_ms(), &req);
    free(m);
    if (rc == CB_OK) {
        hr = (httpc_req_t){.method = req.method, .url = req.url,
                           .headers = (const char *const *)req.hdr, .body = req.body,
                           .body_len = req.body_len, .timeout_ms = ch->timeout_ms};
        rc = httpc_start(ch->http, &hr, on_batch_done, b);
    }
    chan__req_cleanup(&req);
    if (rc == CB_OK)
        return;
    if (rc == CB_EREJECTED)
        v.outcome = CH_PERMFAIL;
    else
        chan__verdict(&v, CH_TEMPFAIL, "the request could not be started: %s",
                      cb_strerror(rc));
    batch_report(b, &v, 1);
}

/* Take 'b' out of the channel's open batches and send it. */
static void batch_send(channel_t *ch, chan_batch_t *b)
{
    chan_batch_t **pp = &ch->batch;

    while (*pp != b)
        pp = &(*pp)->next;
    *pp = b->next;
    b->next = NULL;
    batch_start(b);
}

void chan__batch_flush(channel_t *ch)
{
    while (ch->batch != NULL)
        batch_send(ch, ch->batch);
}

/* The open batch of 'key' (taken, or freed), a new one when there is none. */
static chan_batch_t *batch_for(channel_t *ch, char *key)
{
    chan_batch_t *b, **tail = &ch->batch;
    size_t open = 0;

    for (b = ch->batch; b != NULL; b = b->next, open++) {
        if (strcmp(b->key, key) == 0) {
            free(key);
            return b;
        }
    }
    if (open >= BATCH_OPEN)
        batch_send(ch, ch->batch);
    while (*tail != NULL)
        tail = &(*tail)->next;
    b = xcalloc(1, sizeof *b);
    b->ch = ch;
    b->item = xcalloc((size_t)ch->ops->batch_max, sizeof *b->item);
    b->key = key;
    *tail = b;
    return b;
}

int chan__batch_add(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud)
{
    chan_verdict_t v;
    char *key = NULL, to[24];
    int parts = 0;
    batch_item_t *it;
    chan_batch_t *b;

    memset(&v, 0, sizeof v);
    chan__mask(m->to, to, sizeof to);
    if (ch->ops->batch_key(ch, m, &key, &parts, &v) < 0) {
        v.outcome = CH_PERMFAIL;
        chan__report(ch, m->id, to, parts, &v, done, ud);
        return CB_OK;
    }
    b = batch_for(ch, key);
    it = &b->item[b->n++];
    it->copy[0] = dup_or_null(m->to);
    it->copy[1] = xstrdup(m->text);
    it->copy[2] = dup_or_null(m->key);
    it->copy[3] = dup_or_null(m->tpl);
    it->copy[4] = dup_or_null(m->vars);
    it->msg = (ch_msg_t){.id = m->id, .to = it->copy[0], .text = it->copy[1],
                         .key = it->copy[2], .markdown = m->markdown,
                         .tpl = it->copy[3], .vars = it->copy[4]};
    it->parts = parts;
    it->done = done;
    it->ud = ud;
    memcpy(it->to, to, sizeof to);
    ch->nbatched++;
    if (b->n == (size_t)ch->ops->batch_max)
        batch_send(ch, b);
    return CB_OK;
}
