/* SPDX-License-Identifier: MIT */
/*
 * serve.c - 'canbao serve': the long-running service. Inbound HTTP (serve_routes.c),
 * the group-commit writer (ingest.c), the outbox dispatcher and, with an "mqtt"
 * section, the progress feed (progress_feed.c), each on its own thread; main waits for signals: SIGTERM/SIGINT stop cleanly (stop accepting,
 * finish in-flight requests and sends, close the database), SIGHUP reloads the
 * channels, routes, dispatch settings and templates from the config file.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs/progress_feed.h"
#include "app/cli.h"
#include "app/config.h"
#include "bot/routes.h"
#include "jobs/serve_jobs.h"
#include "core/err.h"
#include "core/log.h"
#include "jobs/dispatch.h"
#include "store/store_lock.h"
#include "templates/tplset.h"

/* The dispatcher thread and what it owns; rebuilt on SIGHUP. */
typedef struct sender {
    const char *db;
    cb_clock_t *clock; /* the campaign clock (quiet hours, caps, due times) */
    app_config_t cfg;
    store_t *st;
    pthread_t thread;
    volatile sig_atomic_t stop;
    int running;
} sender_t;

static void *send_loop(void *arg)
{
    sender_t *s = arg;
    dispatch_stats_t stats = {0};

    while (!s->stop) {
        dispatch_t *d = dispatch_create(s->st, s->cfg.http, s->cfg.routes, s->cfg.nroutes,
                                        &s->cfg.dispatch);
        int rc = dispatch_run(d, 0, &s->stop, &stats);
        dispatch_destroy(d);
        if (rc >= 0)
            break;
        /* A database failure (a full disk, a lock held past the busy timeout): start
         * again in a second rather than leave the outbox unsent until a restart. Rows
         * it had claimed come back when their lease runs out. */
        log_write(LL_ERROR, "serve", "dispatcher stopped on a database failure, again in 1 s: %s",
                  store_errmsg(s->st));
        for (int i = 0; i < 10 && !s->stop; i++) {
            struct timespec pause = {0, 100 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    log_write(LL_INFO, "serve", "dispatcher stopped: sent %llu, retried %llu, failed %llu",
              (unsigned long long)stats.sent, (unsigned long long)stats.retried,
              (unsigned long long)stats.failed);
    return NULL;
}

/* Start the dispatcher on 'cfg' (taken over on success, freed by sender_stop; left
 * to the caller on failure). */
static int sender_start(sender_t *s, app_config_t *cfg, char *err, size_t errlen)
{
    int rc = store_open(s->db, &s->st, err, errlen);

    if (rc < 0)
        return rc; /* 'cfg' stays the caller's */
    s->cfg = *cfg;
    memset(cfg, 0, sizeof *cfg);
    s->cfg.dispatch.now = clock_now_cb;
    s->cfg.dispatch.now_ud = s->clock;
    s->stop = 0;
    if (pthread_create(&s->thread, NULL, send_loop, s) != 0) {
        snprintf(err, errlen, "cannot start the dispatcher thread");
        store_close(s->st);
        *cfg = s->cfg;
        memset(&s->cfg, 0, sizeof s->cfg);
        return CB_ENOMEM;
    }
    s->running = 1;
    return CB_OK;
}

static void sender_stop(sender_t *s)
{
    if (!s->running)
        return;
    s->stop = 1;
    pthread_join(s->thread, NULL);
    store_close(s->st);
    s->st = NULL;
    app_config_free(&s->cfg);
    s->running = 0;
}

static void usage(FILE *fp)
{
    fputs("usage: canbao serve [--config FILE] [--speed N]\n\n"
          "Run the service: inbound HTTP (payment confirmations, Kannel delivery reports,\n"
          "the read-only API, /healthz, /metrics), the outbox dispatcher, the scheduled jobs\n"
          "(reminder rules, grid workers' lists, reports at the times of the config's \"jobs\"\n"
          "section) and, when the config has an \"mqtt\" section, progress on the MQTT bus\n"
          "(docs/mqtt.md). Settings are in the config file's \"serve\" section\n"
          "(docs/config.md); default 127.0.0.1:8080.\n"
          "SIGTERM/SIGINT stop cleanly; SIGHUP reloads channels, routes, dispatch settings,\n"
          "jobs and templates (the serve section needs a restart).\n\n"
          "  --speed N  run the campaign clock N times faster than real time from --now\n"
          "             (rehearsals and tests: 86400 makes a campaign day last a second)\n",
          fp);
}

/* The templates of the reply route (answers, thank-yous), or NULL with 'err'. */
static tplset_t *load_templates(const app_config_t *cfg, char *err, size_t errlen)
{
    tplset_t *set = NULL;
    return app_config_reply_templates(cfg, &set, err, errlen) < 0 ? NULL : set;
}

/* A resident's WeChat pushes are answered on the first wechat_mp channel's route. */
static void wechat_route(const app_config_t *boot, ingest_cfg_t *ic)
{
    for (size_t i = 0; i < boot->nchans && ic->wechat_route == NULL; i++) {
        const dispatch_route_t *w = NULL;
        if (strcmp(channel_type(boot->chans[i]), "wechat_mp") == 0)
            w = app_config_route(boot, channel_name(boot->chans[i]));
        if (w != NULL) {
            ic->wechat_route = w->name;
            ic->wechat_kind = w->kind;
        }
    }
}

/* Everything the daemon runs, started in order by serve_start, stopped by serve_stop. */
typedef struct daemon {
    const cli_t *cli;
    const char *config;       /* the config file, NULL: the embedded default */
    cb_clock_t clock;
    server_t srv;             /* the HTTP side (bot/routes.h) */
    sender_t snd;             /* the dispatcher */
    serve_jobs_t *sj;         /* the scheduler */
    serve_jobs_cfg_t jc;
    app_config_t boot, jcfg;  /* the settings at start; the scheduler's (reloaded) */
    policy_t *pol;
    long long campaign;
    httpd_t *http;
    progress_feed_t *feed;
    int lock;                 /* the single-daemon lock's descriptor (store_lock.h) */
} daemon_t;

static void fail(const char *err)
{
    fprintf(stderr, "canbao serve: %s\n", err);
}

/* The writer: payments, reports and replies, answered after their commit. */
static int start_writer(daemon_t *d, char *err, size_t errlen)
{
    tplset_t *set = load_templates(&d->boot, err, errlen);
    const dispatch_route_t *route = app_config_route(&d->boot, d->boot.serve.reply_route);
    ingest_cfg_t ic = {.db = d->cli->db, .pol = d->pol, .campaign = d->campaign, .tpl = set,
                       .reply_route = d->boot.serve.reply_route,
                       .optout_kind = route ? route->kind : "sms",
                       .max_segments = d->boot.max_segments, .metrics = d->srv.metrics,
                       .on_changes = d->feed ? progress_feed_note : NULL,
                       .changes_ud = d->feed, .clock = &d->clock};

    wechat_route(&d->boot, &ic);
    if (set == NULL || ingest_start(&ic, &d->srv.ingest, err, errlen) < 0) {
        tplset_destroy(set);
        return CB_EINVAL;
    }
    return CB_OK;
}

static int start_http(daemon_t *d, char *err, size_t errlen)
{
    const serve_cfg_t *sv = &d->boot.serve;
    httpd_opts_t ho = {.addr = sv->addr, .port = sv->port, .max_body = (size_t)sv->max_body,
                       .max_connections = (unsigned)sv->max_connections,
                       .max_per_address = (unsigned)sv->max_per_address,
                       .timeout_s = (unsigned)sv->timeout_s,
                       .deadline_s = (unsigned)sv->deadline_s, .max_header_bytes = 16384,
                       .done = serve_done};
    int rc = httpd_start(&ho, serve_handle, &d->srv, &d->http, err, errlen);

    if (rc < 0)
        return rc;
    printf("listening on %s:%d\n", sv->addr, httpd_port(d->http));
    fflush(stdout);
    log_write(LL_INFO, "serve", "listening on %s:%d", sv->addr, httpd_port(d->http));
    return CB_OK;
}

/* Open the campaign and start every thread: feed, writer, dispatcher, scheduler, HTTP. */
static int serve_start(daemon_t *d, char *err, size_t errlen)
{
    app_config_t first;
    int rc;

    if (cli_open_campaign(d->cli, &d->srv.reader, &d->pol, &d->campaign) != 0)
        return CB_EIO;
    clock_init(&d->clock, d->cli->now, d->clock.speed);
    d->srv = (server_t){.clock = &d->clock, .serve = &d->boot.serve, .chans = d->boot.chans,
                        .nchans = d->boot.nchans, .pol = d->pol, .campaign = d->campaign,
                        .reader = d->srv.reader, .metrics = metrics_create()};
    if (d->boot.mqtt.enabled) {
        progress_feed_cfg_t fc = {.db = d->cli->db, .pol = d->pol, .campaign = d->campaign,
                                  .today = d->cli->today, .clock = &d->clock,
                                  .mqtt = &d->boot.mqtt};
        if ((rc = progress_feed_start(&fc, &d->feed, err, errlen)) < 0)
            return rc;
    }
    if ((rc = start_writer(d, err, errlen)) < 0)
        return rc;
    d->snd.db = d->cli->db;
    d->snd.clock = &d->clock;
    rc = app_config_load(d->config, d->cli->db, &first, err, errlen);
    if (rc >= 0)
        rc = sender_start(&d->snd, &first, err, errlen);
    app_config_free(&first);
    if (rc < 0)
        return rc;
    d->jc = (serve_jobs_cfg_t){.db = d->cli->db, .pol = d->pol, .campaign = d->campaign,
                               .clock = &d->clock};
    if ((rc = app_config_load(d->config, d->cli->db, &d->jcfg, err, errlen)) < 0 ||
        (rc = serve_jobs_start(&d->jc, &d->jcfg.jobs, &d->sj, err, errlen)) < 0)
        return rc;
    return start_http(d, err, errlen);
}

/* SIGHUP: channels, routes, dispatch settings, jobs and templates from the file again;
 * a file that does not load leaves the old settings. CB_OK, or a negative CB_E* when
 * the dispatcher could not be restarted (the daemon stops). */
static int serve_reload(daemon_t *d)
{
    app_config_t next;
    tplset_t *set;
    char err[1024];

    log_write(LL_INFO, "serve", "reloading the config and templates");
    if (app_config_load(d->config, d->cli->db, &next, err, sizeof err) < 0 ||
        (set = load_templates(&next, err, sizeof err)) == NULL) {
        log_write(LL_ERROR, "serve", "reload failed, the old settings stay: %s", err);
        app_config_free(&next);
        return CB_OK;
    }
    sender_stop(&d->snd);
    /* Opening the database can meet a busy moment: try for a while. */
    for (int tries = 0; sender_start(&d->snd, &next, err, sizeof err) < 0; tries++) {
        struct timespec pause = {0, 200 * 1000 * 1000};
        log_write(LL_ERROR, "serve", "the dispatcher failed to start: %s", err);
        if (tries == 25) {
            app_config_free(&next);
            tplset_destroy(set);
            return CB_EIO;
        }
        nanosleep(&pause, NULL);
    }
    ingest_set_templates(d->srv.ingest, set);
    serve_jobs_stop(d->sj);
    d->sj = NULL;
    app_config_free(&d->jcfg);
    if (app_config_load(d->config, d->cli->db, &d->jcfg, err, sizeof err) < 0 ||
        serve_jobs_start(&d->jc, &d->jcfg.jobs, &d->sj, err, sizeof err) < 0)
        log_write(LL_ERROR, "serve", "the scheduler did not restart: %s", err);
    return CB_OK;
}

/* Stop accepting, let in-flight requests reach the writer, answer them, stop the rest;
 * the lock goes last, after every connection is closed. */
static void serve_stop(daemon_t *d)
{
    struct timespec grace = {0, 200 * 1000 * 1000};

    d->srv.closing = 1;
    if (d->http != NULL)
        httpd_quiesce(d->http);
    nanosleep(&grace, NULL);
    ingest_stop(d->srv.ingest);
    progress_feed_stop(d->feed);
    httpd_stop(d->http);
    serve_jobs_stop(d->sj);
    app_config_free(&d->jcfg);
    sender_stop(&d->snd);
    metrics_destroy(d->srv.metrics);
    store_close(d->srv.reader);
    policy_destroy(d->pol);
    app_config_free(&d->boot);
    store_unlock_daemon(d->lock);
}

int cli_serve(const cli_t *c, int argc, char **argv)
{
    daemon_t d = {.cli = c, .config = getenv("CANBAO_CONFIG"), .lock = -1};
    int64_t speed = 1;
    const cli_opt_t opts[] = {{"--config", CLI_STR, &d.config, 0, 0},
                              {"--speed", CLI_COUNT, &speed, 1, 10000000},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    char err[1024];
    sigset_t sigs;
    int sig = 0, code = cli_parse("serve", argc, argv, opts, NULL, 0, NULL, usage);

    if (code >= 0)
        return code;
    if (d.config != NULL && *d.config == '\0')
        d.config = NULL;
    d.clock.speed = speed;
    /* Signals go to main only: block them before any thread starts. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (app_config_load(d.config, c->db, &d.boot, err, sizeof err) < 0 ||
        /* One daemon per database, held until the last connection is closed. */
        store_lock_daemon(c->db, &d.lock, err, sizeof err) < 0) {
        fail(err);
        app_config_free(&d.boot);
        return EXIT_FATAL;
    }
    code = EXIT_FATAL;
    err[0] = '\0';
    if (serve_start(&d, err, sizeof err) < 0) {
        if (err[0] != '\0')
            fail(err);
    } else {
        for (;;) {
            if (sigwait(&sigs, &sig) != 0)
                continue;
            if (sig != SIGHUP || serve_reload(&d) < 0)
                break;
        }
        log_write(LL_INFO, "serve", "stopping on signal %d", sig);
        code = sig == SIGHUP ? EXIT_FATAL : EXIT_OK;
    }
    serve_stop(&d);
    return code;
}
