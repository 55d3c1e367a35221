/* SPDX-License-Identifier: MIT */
#include "jobs/progress_feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/progress_cache.h"
#include "channels/mqtt_session.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/progress.h"
#include "jobs/progress_pub.h"
#include "store/store.h"

/* What a row's three messages say, but the update time: equal => nothing to publish. */
typedef struct sig {
    int64_t v[PS__COUNT + 6];
} figures_t;

struct progress_feed {
    progress_feed_cfg_t cfg;
    char *prefix, *county, *encoding;
    store_t *st;
    mqtt_session_t *mq;
    progress_cache_t *cache;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* under 'mu': */
    status_change_t *changes;
    size_t nchanges, capchanges;
    int connected_again, stop;
    /* the thread's own: */
    figures_t *last, *next;  /* per area id (0: the county) what was published / is going */
    unsigned char *have; /* per area id: 'last' holds something */
    size_t nsig;
    cb_date_t last_today;
    int reload; /* count everything again before the next publish */
};

static void on_connect(void *ud)
{
    progress_feed_t *f = ud;

    pthread_mutex_lock(&f->mu);
    f->connected_again = 1;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

void progress_feed_note(void *feed, const status_change_t *c, size_t n)
{
    progress_feed_t *f = feed;

    pthread_mutex_lock(&f->mu);
    if (f->nchanges + n > f->capchanges) {
        f->capchanges = (f->nchanges + n) * 2;
        f->changes = xrealloc(f->changes, f->capchanges * sizeof *f->changes);
    }
    memcpy(f->changes + f->nchanges, c, n * sizeof *c);
    f->nchanges += n;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

/* Wait on the condition variable until monotonic 'until_ms' (< 0: no deadline). */
static void wait_until(progress_feed_t *f, int64_t until_ms)
{
    struct timespec ts;

    if (until_ms < 0) {
        pthread_cond_wait(&f->cv, &f->mu);
        return;
    }
    ts.tv_sec = (time_t)(until_ms / 1000);
    ts.tv_nsec = (long)(until_ms % 1000) * 1000000;
    (void)pthread_cond_timedwait(&f->cv, &f->mu, &ts);
}

static figures_t row_sig(const progress_row_t *r)
{
    figures_t s;
    memset(&s, 0, sizeof s);
    memcpy(s.v, r->by_status, sizeof r->by_status);
    s.v[PS__COUNT] = r->registered;
    s.v[PS__COUNT + 1] = r->target;
    s.v[PS__COUNT + 2] = r->covered;
    s.v[PS__COUNT + 3] = r->special;
    s.v[PS__COUNT + 4] = r->special_covered;
    s.v[PS__COUNT + 5] = r->rank;
    return s;
}

/* progress_pub's filter: the rows whose figures differ from what was published. */
static int want(void *ud, const progress_row_t *r)
{
    progress_feed_t *f = ud;
    size_t id = (size_t)r->area_id;

    if (id >= f->nsig)
        return 0;
    f->next[id] = row_sig(r);
    return !f->have[id] || memcmp(&f->last[id], &f->next[id], sizeof(figures_t)) != 0;
}

/* Room for a signature per area id of 'p'; 'all' forgets what was published. */
static void size_sigs(progress_feed_t *f, progress_t *p, int all)
{
    size_t max = 0, n;

    for (int level = 1; level <= 2; level++) {
        const progress_row_t *rows = progress_rows(p, level, &n);
        for (size_t i = 0; i < n; i++)
            max = (size_t)rows[i].area_id > max ? (size_t)rows[i].area_id : max;
    }
    if (max + 1 > f->nsig) {
        f->last = xrealloc(f->last, (max + 1) * sizeof *f->last);
        f->next = xrealloc(f->next, (max + 1) * sizeof *f->next);
        f->have = xrealloc(f->have, max + 1);
        memset(f->have + f->nsig, 0, max + 1 - f->nsig);
        f->nsig = max + 1;
    }
    if (all)
        memset(f->have, 0, f->nsig);
}

/* Publish the areas whose figures moved; 0 when all went out (or nothing had to), 1
 * when some must wait for the broker. */
static int publish_changed(progress_feed_t *f, int all)
{
    progress_t *p = progress_create();
    /* The campaign clock's day: a daemon running for weeks moves to the next
     * milestone and a new days_left without a restart. */
    int64_t now = f->cfg.clock != NULL ? clock_now(f->cfg.clock) : (int64_t)time(NULL);
    cb_date_t today = f->cfg.clock != NULL ? clock_day(now) : f->cfg.today;
    pub_opts_t po = {.prefix = f->prefix, .county_code = f->county, .led_encoding = f->encoding,
                     .updated = (long long)now, .want = want, .want_ud = f};
    pub_msg_t *msgs = NULL;
    size_t n = 0, sent = 0;
    char err[256];
    int rc;

    progress_cache_fill(f->cache, p);
    if (today != f->last_today)
        all = 1; /* milestones move with the day */
    size_sigs(f, p, all);
    rc = progress_pub_build(p, f->cfg.pol, today, &po, &msgs, &n, err, sizeof err);
    if (rc < 0) {
        log_write(LL_ERROR, "feed", "cannot build the messages: %s", err);
        progress_destroy(p);
        return 0; /* the data will not change its mind: wait for the next change */
    }
    for (; sent < n; sent++)
        if (mqtt_session_publish(f->mq, msgs[sent].topic, msgs[sent].payload, msgs[sent].len) < 0)
            break;
    if (sent == n) {
        /* Every area 'want' was asked about now stands as published. */
        for (int level = 0; level <= 2; level++) {
            size_t nr;
            const progress_row_t *rows = progress_rows(p, level, &nr);
            for (size_t i = 0; i < nr; i++) {
                size_t id = (size_t)rows[i].area_id;
                f->last[id] = f->next[id];
                f->have[id] = 1;
            }
        }
        f->last_today = today;
    }
    log_debug("feed", "published %zu of %zu messages", sent, n);
    progress_pub_free(msgs, n);
    progress_destroy(p);
    return sent == n ? 0 : 1;
}

/* One round: apply the changes, bring the counts up to date, publish what moved.
 * Returns 0, 1 when the round must be tried again, -1 when the changes could not be
 * applied yet (keep them). Called without the mutex. */
static int round_once(progress_feed_t *f, const status_change_t *c, size_t n, int all)
{
    /* Changes arriving while a load is needed are applied after it (the snapshot
     * tells which it holds); a failed load keeps them for the next try. */
    if (!f->reload && progress_cache_apply(f->cache, c, n) != 0)
        f->reload = 1; /* an area the cache does not know: an import added it */
    if (f->reload) {
        if (progress_cache_load(f->cache, f->st, f->cfg.campaign) < 0) {
            log_write(LL_ERROR, "feed", "cannot count progress: %s", store_errmsg(f->st));
            return -1;
        }
        f->reload = 0;
        (void)progress_cache_apply(f->cache, c, n); /* those the snapshot missed */
    }
    if (!mqtt_session_connected(f->mq))
        return 0; /* everything goes out again after the connect */
    if (mqtt_session_unacked(f->mq) > f->cfg.max_unacked)
        return 1; /* the broker is slow: coalesce more */
    return publish_changed(f, all);
}

static void *run(void *arg)
{
    progress_feed_t *f = arg;
    int64_t last_round = -1000000, next_refresh = 0;
    status_change_t *work = NULL;
    size_t capwork = 0;
    size_t nwork = 0;
    int again = 1, all = 1;

    pthread_mutex_lock(&f->mu);
    while (!f->stop) {
        size_t n;
        int64_t now = clock_mono_ms();
        if (f->cfg.refresh_s > 0 && now >= next_refresh) {
            f->reload = again = 1;
            next_refresh = now + (int64_t)f->cfg.refresh_s * 1000;
        }
        if (!again && f->nchanges == 0 && !f->connected_again) {
            wait_until(f, f->cfg.refresh_s > 0 ? next_refresh : -1);
            continue;
        }
        /* Coalesce: no two rounds closer than the interval. */
        if (now < last_round + f->cfg.interval_ms) {
            wait_until(f, last_round + f->cfg.interval_ms);
            continue;
        }
        if (f->connected_again)
            all = 1;
        f->connected_again = 0;
        n = f->nchanges;
        if (capwork < nwork + n) {
            capwork = (nwork + n) * 2;
            work = xrealloc(work, capwork * sizeof *work);
        }
        if (n > 0)
            memcpy(work + nwork, f->changes, n * sizeof *work);
        nwork += n;
        f->nchanges = 0;
        pthread_mutex_unlock(&f->mu);
        last_round = clock_mono_ms();
        again = round_once(f, work, nwork, all);
        if (again >= 0)
            nwork = 0; /* applied */
        if (again == 0)
            all = 0;
        again = again != 0;
        pthread_mutex_lock(&f->mu);
    }
    pthread_mutex_unlock(&f->mu);
    free(work);
    return NULL;
}

static void feed_free(progress_feed_t *f)
{
    mqtt_session_stop(f->mq);
    store_close(f->st);
    progress_cache_destroy(f->cache);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f->changes);
    free(f->last);
    free(f->next);
    free(f->have);
    free(f->prefix);
    free(f->county);
    free(f->encoding);
    free(f);
}

int progress_feed_start(const progress_feed_cfg_t *cfg, progress_feed_t **out, char *err,
                        size_t errlen)
{
    progress_feed_t *f = xcalloc(1, sizeof *f);
    const mqtt_cfg_t *m = cfg->mqtt;
    char status[512], id[64];
    pthread_condattr_t ca;
    int rc;

    *out = NULL;
    f->cfg = *cfg;
    f->cfg.mqtt = NULL;
    if (f->cfg.interval_ms <= 0)
        f->cfg.interval_ms = 250;
    if (f->cfg.refresh_s == 0)
        f->cfg.refresh_s = 60;
    if (f->cfg.max_unacked == 0)
        f->cfg.max_unacked = 5000;
    f->prefix = xstrdup(m->topic_prefix);
    f->county = xstrdup(m->county_code);
    f->encoding = xstrdup(m->led_encoding);
    f->cache = progress_cache_create();
    f->reload = 1;
    pthread_mutex_init(&f->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->cv, &ca);
    pthread_condattr_destroy(&ca);
    rc = store_open(cfg->db, &f->st, err, errlen);
    if (rc < 0) {
        feed_free(f);
        return rc;
    }
    snprintf(status, sizeof status, "%s/%s/status", m->topic_prefix, m->county_code);
    snprintf(id, sizeof id, "canbao-%s-%ld", m->county_code, (long)getpid());
    {
        mqtt_tls_t tls = {.cafile = m->tls_cafile, .capath = m->tls_capath,
                          .certfile = m->tls_certfile, .keyfile = m->tls_keyfile};
        mqtt_session_opts_t mo = {.host = m->host, .port = m->port, .user = m->user,
                                  .password = m->password, .client_id = id,
                                  .status_topic = status, .keepalive_s = 30,
                                  .reconnect_max_s = 5, .tls = m->tls ? &tls : NULL,
                                  .on_connect = on_connect, .ud = f};
        rc = mqtt_session_start(&mo, &f->mq, err, errlen);
    }
    if (rc < 0 || pthread_create(&f->thread, NULL, run, f) != 0) {
        if (rc >= 0)
            snprintf(err, errlen, "cannot start the MQTT publisher thread");
        feed_free(f);
        return rc < 0 ? rc : CB_ENOMEM;
    }
    *out = f;
    return CB_OK;
}

void progress_feed_stop(progress_feed_t *f)
{
    if (f == NULL)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    feed_free(f);
}
