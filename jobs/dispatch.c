/* SPDX-License-Identifier: MIT */
#include "jobs/dispatch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mask.h"
#include "core/mem.h"
#include "core/strmap.h"
#include "jobs/dispatch_poll.h"
#include "jobs/pace.h"
#include "store/store_outbox.h"
#include "store/store_wechat.h"

/* A rate limit that would hold a message longer than this defers it instead, so
 * claimed rows never outlive their lease in memory. */
#define HOLD_MAX_S 1.0

/* One claimed message, from its claim until its result is written. */
typedef struct job {
    outbox_msg_t m;
    struct dispatch *d;
    const dispatch_route_t *route;
    channel_t *chan;       /* the channel it went out on, or NULL */
    char *tried, *error, *gateway_id;
    int parts, counted;    /* counted: in d->recent until flushed */
    struct job *next;
} job_t;

/* Pacing state of one channel. */
typedef struct chan_state {
    channel_t *chan;
    bucket_t bucket;
    breaker_t breaker;
} chan_state_t;

struct dispatch {
    store_t *st;
    httpc_t *http;
    const dispatch_route_t *routes;
    size_t nroutes;
    dispatch_cfg_t cfg;
    chan_state_t *chs;
    size_t nchs;
    poller_t *poll; /* questions to the channels that are polled (dispatch_poll.h) */
    job_t *head, *tail; /* claimed, not yet sent */
    size_t npending, inflight;
    outbox_result_t *res; /* results waiting to be written, with their jobs */
    job_t **resjob;
    size_t nres, capres;
    strmap_t *recent; /* recipient -> reminders sent by this run and not yet written */
    dispatch_stats_t stats;
    uint64_t rng;
    double last_flush;
    double hold_s; /* the shortest wait for tokens in the last pump */
};

static int64_t now_s(const dispatch_t *d)
{
    return d->cfg.now ? d->cfg.now(d->cfg.now_ud) : (int64_t)time(NULL);
}

/* xorshift64*: jitter only, never security. */
static double rnd(dispatch_t *d)
{
    d->rng ^= d->rng >> 12;
    d->rng ^= d->rng << 25;
    d->rng ^= d->rng >> 27;
    return (double)((d->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static chan_state_t *state_of(dispatch_t *d, const channel_t *c)
{
    for (size_t i = 0; i < d->nchs; i++) {
        if (d->chs[i].chan == c)
            return &d->chs[i];
    }
    return NULL;
}

dispatch_t *dispatch_create(store_t *st, httpc_t *http, const dispatch_route_t *routes,
                            size_t nroutes, const dispatch_cfg_t *cfg)
{
    dispatch_t *d = xcalloc(1, sizeof *d);
    double t = clock_mono_s();

    d->st = st;
    d->http = http;
    d->routes = routes;
    d->nroutes = nroutes;
    d->cfg = *cfg;
    d->recent = strmap_create();
    d->rng = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ULL ^ (uint64_t)getpid() ^ 1;
    d->poll = poller_create(st, &d->cfg);
    for (size_t r = 0; r < nroutes; r++) {
        for (size_t i = 0; i < routes[r].nchans; i++) {
            channel_t *c = routes[r].chans[i];
            chan_state_t *s;
            if (state_of(d, c) != NULL)
                continue;
            d->chs = xrealloc(d->chs, (d->nchs + 1) * sizeof *d->chs);
            s = &d->chs[d->nchs++];
            s->chan = c;
            bucket_init(&s->bucket, channel_rate(c), channel_burst(c), t);
            breaker_init(&s->breaker, cfg->breaker_threshold, cfg->breaker_cooldown_s);
            poller_add(d->poll, c);
        }
    }
    d->last_flush = t;
    return d;
}

static void job_free(job_t *j)
{
    store_outbox_msg_clear(&j->m);
    free(j->tried);
    free(j->error);
    free(j->gateway_id);
    free(j);
}

void dispatch_destroy(dispatch_t *d)
{
    if (d == NULL)
        return;
    while (d->head != NULL) {
        job_t *j = d->head;
        d->head = j->next;
        job_free(j);
    }
    for (size_t i = 0; i < d->nres; i++)
        job_free(d->resjob[i]);
    free(d->res);
    free(d->resjob);
    free(d->chs);
    poller_destroy(d->poll);
    strmap_destroy(d->recent);
    free(d);
}

static const dispatch_route_t *route_of(const dispatch_t *d, const char *name)
{
    return dispatch_route_find(d->routes, d->nroutes, name);
}

static void recent_add(dispatch_t *d, const char *recipient, int64_t delta)
{
    int64_t v = 0;
    strmap_get(d->recent, recipient, strlen(recipient), &v);
    strmap_put(d->recent, recipient, strlen(recipient), v + delta);
}

/* Queue the job's result for the next write. */
static void finish(dispatch_t *d, job_t *j, outbox_outcome_t o, int64_t next_at, const char *why)
{
    outbox_result_t *r;

    if (d->nres == d->capres) {
        d->capres = d->capres ? d->capres * 2 : 256;
        d->res = xrealloc(d->res, d->capres * sizeof *d->res);
        d->resjob = xrealloc(d->resjob, d->capres * sizeof *d->resjob);
    }
    if (why != NULL && j->error == NULL)
        j->error = xstrdup(why);
    r = &d->res[d->nres];
    d->resjob[d->nres++] = j;
    memset(r, 0, sizeof *r);
    r->id = j->m.id;
    r->outcome = o;
    r->at = now_s(d);
    r->next_at = next_at;
    r->channel = j->chan ? channel_name(j->chan) : NULL;
    r->channels_tried = j->tried;
    r->gateway_id = j->gateway_id;
    r->error = j->error;
    r->parts = j->parts;
    if (o == OB_SENT && j->chan != NULL)
        r->poll_at = poller_first_at(d->poll, j->chan, r->at);
    switch (o) {
    case OB_SENT: d->stats.sent++; break;
    case OB_RETRY: d->stats.retried++; break;
    case OB_DEFER: d->stats.deferred++; break;
    case OB_FAILED: d->stats.failed++; break;
    }
}

static int flush(dispatch_t *d)
{
    int rc = d->nres ? store_outbox_record(d->st, d->res, d->nres) : CB_OK;

    for (size_t i = 0; i < d->nres; i++) {
        job_t *j = d->resjob[i];
        if (j->counted)
            recent_add(d, j->m.recipient, -1);
        job_free(j);
    }
    d->nres = 0;
    d->last_flush = clock_mono_s();
    if (rc < 0)
        log_write(LL_ERROR, "dispatch", "cannot record results: %s",
                  store_errmsg(d->st));
    return rc;
}

/* Is channel 'name' in the ',' separated list? */
static int tried(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static const char *tried_list(const job_t *j)
{
    return j->tried ? j->tried : j->m.channels_tried;
}

/* The first channel of the route that is up and not tried yet (all tried: start
 * over), or NULL when every one is down. */
static channel_t *pick(dispatch_t *d, job_t *j, double t)
{
    const dispatch_route_t *r = j->route;
    size_t untried = 0;

    for (size_t i = 0; i < r->nchans; i++)
        untried += !tried(tried_list(j), channel_name(r->chans[i]));
    for (size_t i = 0; i < r->nchans; i++) {
        if (untried > 0 && tried(tried_list(j), channel_name(r->chans[i])))
            continue;
        if (breaker_allow(&state_of(d, r->chans[i])->breaker, t))
            return r->chans[i];
    }
    return NULL;
}

static int has_untried(const job_t *j)
{
    for (size_t i = 0; i < j->route->nchans; i++) {
        if (!tried(tried_list(j), channel_name(j->route->chans[i])))
            return 1;
    }
    return 0;
}

static void on_done(void *ud, const ch_result_t *r)
{
    job_t *j = ud;
    dispatch_t *d = j->d;
    chan_state_t *s = state_of(d, j->chan);
    double t = clock_mono_s();
    char why[320];

    d->inflight--;
    j->parts = r->parts;
    if (r->parts > 1)
        bucket_charge(&s->bucket, r->parts - 1); /* one token a part, as the channel sent */
    if (r->outcome == CH_ACCEPTED) {
        breaker_success(&s->breaker);
        j->gateway_id = r->gateway_id ? xstrdup(r->gateway_id) : NULL;
        finish(d, j, OB_SENT, 0, NULL);
        return;
    }
    if (r->outcome == CH_PERMFAIL) {
        breaker_success(&s->breaker); /* the gateway is up: it refused this message */
        if (r->optout && store_optout_add(d->st, j->route->kind, j->m.recipient, "channel",
                                          now_s(d)) < 0)
            log_write(LL_ERROR, "dispatch", "cannot record an opt-out: %s",
                      store_errmsg(d->st));
        finish(d, j, OB_FAILED, 0, r->error ? r->error : "permanent failure");
        return;
    }
    breaker_failure(&s->breaker, t);
    {
        const char *old = tried_list(j);
        size_t n = strlen(old) + strlen(channel_name(j->chan)) + 2;
        char *list = xmalloc(n);
        snprintf(list, n, "%s%s%s", old, *old ? "," : "", channel_name(j->chan));
        free(j->tried);
        j->tried = list;
    }
    if (j->m.attempts >= d->cfg.max_attempts) {
        snprintf(why, sizeof why, "gave up after %d attempts: %s", j->m.attempts,
                 r->error ? r->error : "temporary failure");
        finish(d, j, OB_FAILED, 0, why);
    } else if (has_untried(j)) {
        d->stats.failovers++;
        finish(d, j, OB_RETRY, now_s(d), r->error ? r->error : "temporary failure");
    } else {
        double delay = backoff_delay(j->m.attempts, d->cfg.backoff_base_s, d->cfg.backoff_cap_s,
                                     rnd(d), r->retry_after_s);
        finish(d, j, OB_RETRY, now_s(d) + (int64_t)ceil(delay),
               r->error ? r->error : "temporary failure");
    }
}

enum { TRY_SENT, TRY_HOLD, TRY_DONE, TRY_ERROR };

/* Checks that need the store: opt-out and caps. TRY_DONE when the job got a result. */
static int screen(dispatch_t *d, job_t *j, int64_t now)
{
    const char *to = j->m.recipient;
    char why[96];
    int rc;

    rc = store_optout_has(d->st, j->route->kind, to);
    if (rc < 0)
        return TRY_ERROR;
    /* The confirmation of an opt-out (bot/reply.h) is the one message it lets through. */
    if (rc == 1 && !(j->m.klass == OB_REPLY && strcmp(j->m.template_name, "optout_ack") == 0)) {
        snprintf(why, sizeof why, "recipient opted out of %s", j->route->kind);
        finish(d, j, OB_FAILED, 0, why);
        return TRY_DONE;
    }
    if (j->m.klass == OB_REMINDER && j->route->resident_sms && *to != '\0') {
        int64_t day = local_day_start(now, d->cfg.utc_offset_s);
        int64_t week = local_week_start(now, d->cfg.utc_offset_s), n_day, n_week, mine = 0;
        strmap_get(d->recent, to, strlen(to), &mine);
        if (store_outbox_sent_since(d->st, to, day, &n_day) < 0 ||
            store_outbox_sent_since(d->st, to, week, &n_week) < 0)
            return TRY_ERROR;
        if (d->cfg.cap_day > 0 && n_day + mine >= d->cfg.cap_day) {
            finish(d, j, OB_DEFER, day + 86400, "daily cap reached");
            return TRY_DONE;
        }
        if (d->cfg.cap_week > 0 && n_week + mine >= d->cfg.cap_week) {
            finish(d, j, OB_DEFER, week + 7 * 86400, "weekly cap reached");
            return TRY_DONE;
        }
    }
    return TRY_SENT;
}

/* The address on channel 'c': a resident's row keeps the phone, and a WeChat
 * channel sends to the openid bound to the person (or to someone with the phone). */
static int address(dispatch_t *d, job_t *j, const channel_t *c, char *buf, size_t len,
                   const char **to)
{
    int rc;

    if (channel_kind(c) != CH_KIND_WECHAT)
        return TRY_SENT;
    rc = store_wechat_openid(d->st, j->m.person_id, j->m.recipient, buf, len);
    if (rc == CB_ENOTFOUND) {
        if (j->counted)
            recent_add(d, j->m.recipient, -1);
        j->counted = 0;
        finish(d, j, OB_FAILED, 0, "no WeChat account bound to the recipient");
        return TRY_DONE;
    }
    if (rc < 0)
        return TRY_ERROR;
    *to = buf;
    return TRY_SENT;
}

static int try_send(dispatch_t *d, job_t *j)
{
    int64_t now = now_s(d);
    double t = clock_mono_s(), wait;
    chan_state_t *s;
    channel_t *c;
    int rc;

    if (j->route == NULL) {
        j->route = route_of(d, j->m.route);
        if (j->route == NULL || j->route->nchans == 0) {
            char why[160];
            snprintf(why, sizeof why, "no route or channel named '%s'", j->m.route);
            finish(d, j, OB_FAILED, 0, why);
            return TRY_DONE;
        }
        if (j->m.klass != OB_NOTICE && j->route->resident_sms) {
            int64_t q = quiet_until(now, d->cfg.quiet_start_min, d->cfg.quiet_end_min,
                                    d->cfg.utc_offset_s);
            if (q > 0) {
                finish(d, j, OB_DEFER, q, "quiet hours");
                return TRY_DONE;
            }
        }
        rc = screen(d, j, now);
        if (rc != TRY_SENT)
            return rc;
    }
    c = pick(d, j, t);
    if (c == NULL) {
        finish(d, j, OB_DEFER, now + (int64_t)ceil(d->cfg.breaker_cooldown_s),
               "every channel of the route is down");
        return TRY_DONE;
    }
    s = state_of(d, c);
    wait = bucket_take(&s->bucket, 1, t); /* the rest of an SMS's parts: on_done */
    if (wait > 0) {
        s->breaker.probing = 0; /* the probe did not go: let the next one try */
        if (wait <= HOLD_MAX_S) {
            if (wait < d->hold_s)
                d->hold_s = wait;
            return TRY_HOLD;
        }
        j->chan = NULL;
        finish(d, j, OB_DEFER, now + (int64_t)ceil(wait), "rate limit");
        return TRY_DONE;
    }
    j->chan = c;
    if (j->m.klass == OB_REMINDER && j->route->resident_sms) {
        recent_add(d, j->m.recipient, 1);
        j->counted = 1;
    }
    {
        char openid[WECHAT_OPENID_MAX + 1];
        ch_msg_t msg = {.id = j->m.id, .to = j->m.recipient, .text = j->m.text,
                        .key = j->m.key, .tpl = j->m.template_name, .vars = j->m.vars};

        rc = address(d, j, c, openid, sizeof openid, &msg.to);
        if (rc != TRY_SENT)
            return rc;
        d->inflight++;
        rc = channel_send(c, &msg, on_done, j);
    }
    if (rc < 0) {
        d->inflight--;
        finish(d, j, OB_RETRY, now + (int64_t)d->cfg.backoff_base_s, cb_strerror(rc));
    }
    return TRY_SENT;
}

/* Send what may go now; returns TRY_HOLD when something waits for tokens. */
static int pump(dispatch_t *d)
{
    job_t **pp = &d->head, *prev = NULL;
    int held = 0;

    while (*pp != NULL && d->inflight < (size_t)d->cfg.concurrency) {
        job_t *j = *pp;
        int rc = try_send(d, j);
        if (rc == TRY_ERROR)
            return TRY_ERROR;
        if (rc == TRY_HOLD) {
            held = 1;
            prev = j;
            pp = &j->next;
            continue;
        }
        *pp = j->next; /* sent or finished: out of the pending list */
        if (d->tail == j)
            d->tail = prev;
        d->npending--;
    }
    return held ? TRY_HOLD : TRY_SENT;
}

static int claim(dispatch_t *d, size_t room, size_t *got)
{
    outbox_msg_t *m;
    size_t n;
    int rc = store_outbox_claim(d->st, now_s(d), d->cfg.lease_s, room, &m, &n);

    *got = n;
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        job_t *j = xcalloc(1, sizeof *j);
        j->m = m[i]; /* takes the strings */
        j->d = d;
        if (d->tail)
            d->tail->next = j;
        else
            d->head = j;
        d->tail = j;
        d->npending++;
    }
    free(m);
    return CB_OK;
}

/* On stop: claimed rows that never went out are due again at once. */
static void give_back(dispatch_t *d)
{
    while (d->head != NULL) {
        job_t *j = d->head;
        d->head = j->next;
        j->next = NULL;
        finish(d, j, OB_DEFER, now_s(d), "dispatcher stopped");
    }
    d->tail = NULL;
    d->npending = 0;
}

/* Messages and polls in flight. */
static size_t busy(const dispatch_t *d)
{
    return d->inflight + poller_inflight(d->poll);
}

int dispatch_run(dispatch_t *d, int once, volatile sig_atomic_t *stop, dispatch_stats_t *stats)
{
    size_t window = (size_t)d->cfg.concurrency * 4;
    int rc = CB_OK, drained = 0;

    memset(&d->stats, 0, sizeof d->stats);
    for (;;) {
        int stopping = stop != NULL && *stop, p;
        if (!stopping && d->npending < window / 2) {
            size_t room = window - d->npending, got;
            if (room > (size_t)d->cfg.claim)
                room = (size_t)d->cfg.claim;
            rc = claim(d, room, &got);
            if (rc < 0)
                break;
            drained = got == 0;
        }
        if (!stopping && busy(d) < (size_t)d->cfg.concurrency) {
            size_t asked; /* polls that are due, in the room sends leave */
            rc = poller_start(d->poll, now_s(d), (size_t)d->cfg.concurrency - busy(d), &asked);
            if (rc < 0)
                break;
            drained = drained && asked == 0;
        }
        d->hold_s = HOLD_MAX_S;
        p = stopping ? TRY_SENT : pump(d);
        for (size_t i = 0; i < d->nchs; i++)
            channel_flush(d->chs[i].chan); /* a partly filled batch goes now */
        if (p == TRY_ERROR) {
            rc = CB_EIO;
            break;
        }
        if (busy(d) > 0) {
            httpc_run(d->http, p == TRY_HOLD ? (int)(d->hold_s * 1000) + 1 : 50);
        } else if (p == TRY_HOLD) {
            /* Only waiting for tokens: sleep until the first are there, not spin. */
            struct timespec ts = {0, (long)(d->hold_s * 1e9) + 1000000};
            nanosleep(&ts, NULL);
        }
        if (d->nres >= (size_t)d->cfg.flush_every ||
            (d->nres > 0 && (d->inflight == 0 || clock_mono_s() - d->last_flush > 0.2))) {
            rc = flush(d);
            if (rc < 0)
                break;
            drained = 0; /* what was written may be due at once (a failover): look again */
        }
        if (busy(d) == 0 && (stopping || (drained && d->npending == 0))) {
            if (stopping || once)
                break;
            struct timespec idle = {0, 200 * 1000 * 1000};
            nanosleep(&idle, NULL); /* idle daemon: look again soon */
        }
    }
    give_back(d);
    while (busy(d) > 0)
        httpc_run(d->http, 100);
    if (flush(d) < 0 && rc >= 0)
        rc = CB_EIO;
    if (stats != NULL) {
        stats->sent += d->stats.sent;
        stats->retried += d->stats.retried;
        stats->deferred += d->stats.deferred;
        stats->failed += d->stats.failed;
        stats->failovers += d->stats.failovers;
    }
    return rc;
}
