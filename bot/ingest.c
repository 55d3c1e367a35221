/* SPDX-License-Identifier: MIT */
#include "bot/ingest.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/payment.h"
#include "bot/reply.h"
#include "bot/wechat_bind.h"
#include "core/clock.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/money.h"
#include "store/store.h"
#include "store/store_outbox.h"
#include "templates/msgctx.h"

typedef struct job {
    ingest_kind_t kind;
    char *receipt, *id_number, *channel, *paid_at, *name, *error;
    char *msg_id, *sender, *text; /* INGEST_REPLY; the channel is in 'channel' */
    char *gateway_id;             /* INGEST_DLR without an outbox id */
    char *account;                /* INGEST_WECHAT */
    int more;                     /* a push's fact but its last: answered by the last */
    char *ack;                    /* the last of a push: what to answer after the commit */
    int64_t amount_fen, outbox_id;
    int delivered;
    httpd_req_t *req;
    /* the result, answered after the commit */
    unsigned status;
    char *answer;
    int changed; /* a matched payment: 'change' says what */
    status_change_t change;
    struct job *next;
} job_t;

struct ingest {
    ingest_cfg_t cfg;
    store_t *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job_t *head, *tail;
    int stop;
    tplset_t *next_tpl; /* set by ingest_set_templates, taken at a batch start */
    /* What a payment does (bot/payment.h); its thank-you context lives for one batch.
     * Writer thread only. */
    pay_env_t pay;
};

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void job_free(job_t *j)
{
    free(j->receipt);
    free(j->id_number);
    free(j->channel);
    free(j->paid_at);
    free(j->name);
    free(j->error);
    free(j->msg_id);
    free(j->sender);
    free(j->text);
    free(j->answer);
    free(j->gateway_id);
    free(j->account);
    free(j->ack);
    free(j);
}

static void answer_json(job_t *j, unsigned status, const char *key, const char *value,
                        const char *problem)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, key, value);
    if (problem != NULL && *problem)
        cJSON_AddStringToObject(o, "problem", problem);
    free(j->answer);
    j->answer = cJSON_PrintUnformatted(o);
    j->status = status;
    cJSON_Delete(o);
}

/* 200 {"status":"late","rule":"late_enrolment","cover_from":"2024-11-04"}: recorded as a
 * late enrolment, never as a window payment. */
static void answer_late(job_t *j, const pay_result_t *r)
{
    cJSON *o = cJSON_CreateObject();
    char d[11];

    date_format(r->cover_from, d);
    cJSON_AddStringToObject(o, "status", "late");
    cJSON_AddStringToObject(o, "rule", r->late);
    cJSON_AddStringToObject(o, "cover_from", d);
    free(j->answer);
    j->answer = cJSON_PrintUnformatted(o);
    j->status = 200;
    cJSON_Delete(o);
}

/* pay_confirm's progress notice: the change goes to the listener after the commit. */
static void note_change(void *ud, const status_change_t *c)
{
    job_t *j = ud;
    j->changed = 1;
    j->change = *c;
}

static int apply_payment(ingest_t *in, job_t *j, int64_t now)
{
    static const metrics_pay_t m[] = {
        [PAY_MATCHED] = MP_MATCHED, [PAY_UNMATCHED] = MP_UNMATCHED, [PAY_REPLAY] = MP_REPLAY,
        [PAY_CONFLICT] = MP_CONFLICT, [PAY_LATE] = MP_LATE, [PAY_REFUSED] = MP_REFUSED};
    pay_in_t p = {.receipt = j->receipt, .id_number = j->id_number,
                  .amount_fen = j->amount_fen, .channel = j->channel, .paid_at = j->paid_at,
                  .name = j->name, .source = "hook:payments"};
    pay_result_t r;
    int rc;

    in->pay.tpl = in->cfg.tpl;
    in->pay.notice_ud = j; /* note_change: this job changed a status */
    rc = pay_confirm(&in->pay, &p, now, &r);

    if (rc < 0)
        return rc;
    metrics_payment(in->cfg.metrics, m[r.outcome]);
    switch (r.outcome) {
    case PAY_MATCHED:
        answer_json(j, 200, "status", "matched", NULL);
        break;
    case PAY_LATE: answer_late(j, &r); break;
    case PAY_REFUSED: answer_json(j, 422, "error", r.problem, NULL); break;
    case PAY_REPLAY: answer_json(j, 200, "status", "replay", r.problem); break;
    case PAY_UNMATCHED: answer_json(j, 422, "status", "unmatched", r.problem); break;
    case PAY_CONFLICT: answer_json(j, 409, "error", r.problem, NULL); break;
    }
    return CB_OK;
}

static bot_env_t env_of(const ingest_t *in, int64_t now, const char *route, const char *kind)
{
    return (bot_env_t){.st = in->st, .pol = in->cfg.pol, .campaign = in->cfg.campaign,
                       .tpl = in->cfg.tpl, .today = clock_day(now), .now = now,
                       .reply_route = route, .optout_kind = kind,
                       .max_segments = in->cfg.max_segments};
}

/* A WeChat push: answered "success" by its ack (ingest_submit_many). */
static int apply_wechat(ingest_t *in, job_t *j, int64_t now)
{
    bot_env_t env = env_of(in, now, in->cfg.wechat_route, in->cfg.wechat_kind);
    int rc = CB_OK;

    if (env.reply_route != NULL)
        rc = j->text != NULL ? wechat_text(&env, j->msg_id, j->account, j->text)
                             : wechat_unsubscribe(&env, j->account);
    answer_json(j, 200, "status", "recorded", NULL);
    return rc;
}

static int apply_reply(ingest_t *in, job_t *j, int64_t now)
{
    bot_env_t env = env_of(in, now, in->cfg.reply_route, in->cfg.optout_kind);
    bot_inbound_t msg = {j->msg_id, j->channel, j->sender, j->text};
    bot_outcome_t out;
    int rc = bot_handle(&env, &msg, &out);

    if (rc < 0)
        return rc;
    if (strcmp(j->channel, "kannel") == 0) {
        /* Kannel would send a body back as an SMS: the answer goes through the outbox. */
        free(j->answer);
        j->answer = xstrdup("");
        j->status = 200;
    } else {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "intent", intent_name(out.intent));
        cJSON_AddBoolToObject(o, "replay", out.replay);
        cJSON_AddBoolToObject(o, "answered", out.replied);
        free(j->answer);
        j->answer = cJSON_PrintUnformatted(o);
        j->status = 200;
        cJSON_Delete(o);
    }
    return CB_OK;
}

static int apply(ingest_t *in, job_t *j, int64_t now)
{
    int rc;

    if (j->kind == INGEST_PAYMENT)
        return apply_payment(in, j, now);
    if (j->kind == INGEST_REPLY)
        return apply_reply(in, j, now);
    if (j->kind == INGEST_WECHAT)
        return apply_wechat(in, j, now);
    rc = j->outbox_id > 0
             ? store_outbox_delivery(in->st, j->outbox_id, j->delivered, j->error, now)
             : store_outbox_delivery_gw(in->st, j->gateway_id, j->delivered, j->error, now);
    if (rc < 0)
        return rc;
    answer_json(j, 200, "status", rc == 1 ? "recorded" : "unchanged", NULL);
    return CB_OK;
}

/* Tell the listener what the committed batch 'list' changed. */
static void report_changes(ingest_t *in, const job_t *list)
{
    status_change_t buf[64];
    size_t n = 0;

    for (const job_t *j = list; in->cfg.on_changes != NULL && j != NULL; j = j->next) {
        if (!j->changed)
            continue;
        buf[n++] = j->change;
        if (n == sizeof buf / sizeof buf[0]) {
            in->cfg.on_changes(in->cfg.changes_ud, buf, n);
            n = 0;
        }
    }
    if (n > 0)
        in->cfg.on_changes(in->cfg.changes_ud, buf, n);
}

/* The disk is full: empty the write-ahead log into the database and truncate it, so
 * the next batch finds the space the log held (or, once someone frees some, room to
 * grow the database). Every request of the failed batch got 503: nothing was
 * promised. Each failed batch tries again. */
static void free_log_space(ingest_t *in)
{
    if (store_wal_truncate(in->st) < 0)
        log_write(LL_ERROR, "ingest", "the disk is full and the log could not be emptied: %s",
                  store_errmsg(in->st));
    else
        log_write(LL_WARN, "ingest", "the disk is full: the log was emptied into the database");
}

/* Apply a batch in one transaction, then answer every request in it. */
static void apply_batch(ingest_t *in, job_t *list)
{
    int64_t now = in->cfg.clock != NULL ? clock_now(in->cfg.clock) : (int64_t)time(NULL);
    int rc = store_begin(in->st);

    for (job_t *j = list; j != NULL && rc >= 0; j = j->next)
        rc = apply(in, j, now);
    pay_env_done(&in->pay);
    if (rc >= 0)
        rc = store_commit(in->st);
    if (rc < 0) {
        int full = store_out_of_space(in->st);
        log_write(LL_ERROR, "ingest", "batch failed: %s", store_errmsg(in->st));
        store_rollback(in->st);
        if (full)
            free_log_space(in);
    } else {
        report_changes(in, list);
    }
    while (list != NULL) {
        job_t *j = list;
        list = j->next;
        if (j->more) { /* the push's last fact answers for all of them */
            job_free(j);
            continue;
        }
        if (j->ack != NULL) {
            free(j->answer);
            j->answer = j->ack;
            j->ack = NULL;
            j->status = 200;
        }
        if (rc < 0)
            answer_json(j, 503, "error", "database failure, try again", NULL);
        httpd_respond(j->req, j->status,
                      j->answer[0] == '{' ? "application/json" : "text/plain; charset=utf-8",
                      j->answer, strlen(j->answer));
        job_free(j);
    }
}

static void *run(void *arg)
{
    ingest_t *in = arg;

    pthread_mutex_lock(&in->mu);
    for (;;) {
        job_t *list, *last;
        tplset_t *old = NULL;
        int n = 1;
        while (in->head == NULL && !in->stop)
            pthread_cond_wait(&in->cv, &in->mu);
        if (in->head == NULL)
            break;
        list = last = in->head;
        while (last->next != NULL && (n < in->cfg.max_batch || last->more)) {
            last = last->next;
            n++;
        }
        if (in->next_tpl != NULL) {
            old = in->cfg.tpl; /* only this thread ever read it */
            in->cfg.tpl = in->next_tpl;
            in->next_tpl = NULL;
        }
        in->head = last->next;
        if (in->head == NULL)
            in->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&in->mu);
        tplset_destroy(old);
        apply_batch(in, list);
        pthread_mutex_lock(&in->mu);
    }
    pthread_mutex_unlock(&in->mu);
    return NULL;
}

int ingest_start(const ingest_cfg_t *cfg, ingest_t **out, char *err, size_t errlen)
{
    ingest_t *in = xcalloc(1, sizeof *in);
    int rc;

    *out = NULL;
    in->cfg = *cfg;
    if (in->cfg.max_batch <= 0)
        in->cfg.max_batch = 1024;
    rc = store_open(cfg->db, &in->st, err, errlen);
    if (rc < 0) {
        free(in);
        return rc;
    }
    in->pay = (pay_env_t){.st = in->st, .pol = cfg->pol, .campaign = cfg->campaign,
                          .reply_route = cfg->reply_route, .notice = note_change};
    /* An answer promises the fact is on disk: sync every commit (one per batch). */
    store_synchronous_full(in->st);
    /* Each confirmation touches a person, a payment, audit and outbox pages at
     * random: keep them cached rather than read again (the default is 2 MiB). */
    store_cache_mib(in->st, 32);
    /* Checkpoints copy the log into the database on this thread, inside a commit that
     * every waiting request waits for: fewer and larger ones (a page rewritten many
     * times in the log is copied once); on a small volume smaller (store_wal_mib). */
    store_wal_mib(in->st, 64);
    /* The dispatcher's short transactions must not cost this thread whole ms sleeps;
     * the scheduled jobs write from their own connection, and a county's weekly
     * reminders take seconds: wait for them (the answers wait with it) up to 30 s
     * rather than fail the batch after 5 s. */
    store_busy_poll(in->st, 30000);
    pthread_mutex_init(&in->mu, NULL);
    pthread_cond_init(&in->cv, NULL);
    if (pthread_create(&in->thread, NULL, run, in) != 0) {
        snprintf(err, errlen, "cannot start the writer thread");
        store_close(in->st);
        free(in);
        return CB_ENOMEM;
    }
    *out = in;
    return CB_OK;
}

static job_t *job_of(const ingest_fact_t *f, httpd_req_t *req)
{
    job_t *j = xcalloc(1, sizeof *j);

    j->kind = f->kind;
    j->receipt = dup_or_null(f->receipt);
    j->id_number = dup_or_null(f->id_number);
    j->channel = dup_or_null(f->channel);
    j->paid_at = dup_or_null(f->paid_at);
    j->name = dup_or_null(f->name);
    j->error = dup_or_null(f->error);
    j->amount_fen = f->amount_fen;
    j->outbox_id = f->outbox_id;
    j->delivered = f->delivered;
    j->msg_id = dup_or_null(f->msg_id);
    j->sender = dup_or_null(f->sender);
    j->text = dup_or_null(f->text);
    j->gateway_id = dup_or_null(f->gateway_id);
    j->account = dup_or_null(f->account);
    j->req = req;
    return j;
}

/* Append the list 'first'..'last' to the queue, in one piece. */
static void enqueue(ingest_t *in, job_t *first, job_t *last)
{
    pthread_mutex_lock(&in->mu);
    if (in->tail)
        in->tail->next = first;
    else
        in->head = first;
    in->tail = last;
    pthread_cond_signal(&in->cv);
    pthread_mutex_unlock(&in->mu);
}

void ingest_submit(ingest_t *in, const ingest_fact_t *f, httpd_req_t *req)
{
    job_t *j = job_of(f, req);

    httpd_defer(req);
    enqueue(in, j, j);
}

void ingest_submit_many(ingest_t *in, const ingest_fact_t *f, size_t n, const char *ack,
                        httpd_req_t *req)
{
    job_t *first = NULL, *last = NULL;

    if (n == 0) {
        httpd_respond(req, 200, "application/json", ack, strlen(ack));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        job_t *j = job_of(&f[i], req);

        j->more = i + 1 < n;
        if (last != NULL)
            last->next = j;
        else
            first = j;
        last = j;
    }
    last->ack = xstrdup(ack);
    httpd_defer(req);
    enqueue(in, first, last);
}

void ingest_set_templates(ingest_t *in, tplset_t *tpl)
{
    tplset_t *unused;

    pthread_mutex_lock(&in->mu);
    unused = in->next_tpl; /* a reload the writer never got to */
    in->next_tpl = tpl;
    pthread_mutex_unlock(&in->mu);
    tplset_destroy(unused);
}

void ingest_stop(ingest_t *in)
{
    if (in == NULL)
        return;
    pthread_mutex_lock(&in->mu);
    in->stop = 1;
    pthread_cond_signal(&in->cv);
    pthread_mutex_unlock(&in->mu);
    pthread_join(in->thread, NULL);
    pthread_mutex_destroy(&in->mu);
    pthread_cond_destroy(&in->cv);
    tplset_destroy(in->cfg.tpl);
    tplset_destroy(in->next_tpl);
    store_close(in->st);
    free(in);
}
