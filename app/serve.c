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

int cli_serve(const cli_t *c, int argc, char **argv)
{
    const char *config = getenv("CANBAO_CONFIG");
    server_t srv = {0};
    sender_t snd = {0};
    serve_jobs_t *sj = NULL;
    serve_jobs_cfg_t jc = {0};
    cb_clock_t clock;
    long speed = 1;
    app_config_t boot, jcfg = {0};
    policy_t *pol = NULL;
    long long campaign;
    httpd_t *http = NULL;
    progress_feed_t *feed = NULL;
    char err[1024];
    sigset_t sigs;
    int sig = 0, code = EXIT_FATAL, lock = -1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (strcmp(argv[i], "--speed") == 0 && i + 1 < argc) {
            char *end;
            speed = strtol(argv[++i], &end, 10);
            if (*end != '\0' || speed < 1 || speed > 10000000) {
                fprintf(stderr, "canbao serve: --speed %s: must be a whole number from 1 to "
                                "10000000\n", argv[i]);
                return EXIT_FATAL;
            }
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "canbao serve: unexpected '%s'\n\n", argv[i]);
            usage(stderr);
            return EXIT_FATAL;
        }
    }
    if (config != NULL && *config == '\0')
        config = NULL;
    /* Signals go to main only: block them before any thread starts. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (app_config_load(config, c->db, &boot, err, sizeof err) < 0) {
        fprintf(stderr, "canbao serve: %s\n", err);
        app_config_free(&boot);
        return EXIT_FATAL;
    }
    /* One daemon per database, held until the last connection below is closed. */
    if (store_lock_daemon(c->db, &lock, err, sizeof err) < 0) {
        fprintf(stderr, "canbao serve: %s\n", err);
        app_config_free(&boot);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &srv.reader, &pol, &campaign) != 0)
        goto out;
    clock_init(&clock, c->now, speed);
    srv.clock = &clock;
    srv.serve = &boot.serve;
    srv.chans = boot.chans;
    srv.nchans = boot.nchans;
    srv.pol = pol;
    srv.campaign = campaign;
    srv.metrics = metrics_create();
    if (boot.mqtt.enabled) {
        progress_feed_cfg_t fc = {c->db, pol, campaign, c->today, &clock, &boot.mqtt, 0, 0, 0};
        if (progress_feed_start(&fc, &feed, err, sizeof err) < 0) {
            fprintf(stderr, "canbao serve: %s\n", err);
            goto out;
        }
    }
    {
        tplset_t *set = load_templates(&boot, err, sizeof err);
        const dispatch_route_t *route = app_config_route(&boot, boot.serve.reply_route);
        ingest_cfg_t ic = {c->db, pol, campaign, set, boot.serve.reply_route,
                           route ? route->kind : "sms", boot.max_segments, srv.metrics, 0,
                           feed ? progress_feed_note : NULL, feed, &clock, NULL, NULL};
        wechat_route(&boot, &ic);
        if (set == NULL || ingest_start(&ic, &srv.ingest, err, sizeof err) < 0) {
            fprintf(stderr, "canbao serve: %s\n", err);
            tplset_destroy(set);
            goto out;
        }
    }
    snd.db = c->db;
    snd.clock = &clock;
    {
        app_config_t first;
        int rc = app_config_load(config, c->db, &first, err, sizeof err);
        if (rc >= 0)
            rc = sender_start(&snd, &first, err, sizeof err);
        app_config_free(&first);
        if (rc < 0) {
            fprintf(stderr, "canbao serve: %s\n", err);
            goto out;
        }
    }
    jc = (serve_jobs_cfg_t){.db = c->db, .pol = pol, .campaign = campaign, .clock = &clock};
    if (app_config_load(config, c->db, &jcfg, err, sizeof err) < 0 ||
        serve_jobs_start(&jc, &jcfg.jobs, &sj, err, sizeof err) < 0) {
        fprintf(stderr, "canbao serve: %s\n", err);
        goto out;
    }
    {
        httpd_opts_t ho = {.addr = boot.serve.addr, .port = boot.serve.port,
                           .max_body = (size_t)boot.serve.max_body,
                           .max_connections = (unsigned)boot.serve.max_connections,
                           .max_per_address = (unsigned)boot.serve.max_per_address,
                           .timeout_s = (unsigned)boot.serve.timeout_s,
                           .deadline_s = (unsigned)boot.serve.deadline_s,
                           .max_header_bytes = 16384, .done = serve_done};
        if (httpd_start(&ho, serve_handle, &srv, &http, err, sizeof err) < 0) {
            fprintf(stderr, "canbao serve: %s\n", err);
            goto out;
        }
    }
    printf("listening on %s:%d\n", boot.serve.addr, httpd_port(http));
    fflush(stdout);
    log_write(LL_INFO, "serve", "listening on %s:%d", boot.serve.addr,
              httpd_port(http));
    for (;;) {
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            break;
        log_write(LL_INFO, "serve", "reloading the config and templates");
        {
            app_config_t next;
            tplset_t *set;
            if (app_config_load(config, c->db, &next, err, sizeof err) < 0 ||
                (set = load_templates(&next, err, sizeof err)) == NULL) {
                log_write(LL_ERROR, "serve", "reload failed, the old settings stay: %s", err);
                app_config_free(&next);
                continue;
            }
            sender_stop(&snd);
            /* Opening the database can meet a busy moment: try for a while. */
            for (int tries = 0; sender_start(&snd, &next, err, sizeof err) < 0; tries++) {
                struct timespec pause = {0, 200 * 1000 * 1000};
                log_write(LL_ERROR, "serve", "the dispatcher failed to start: %s", err);
                if (tries == 25) {
                    app_config_free(&next);
                    tplset_destroy(set);
                    goto out;
                }
                nanosleep(&pause, NULL);
            }
            ingest_set_templates(srv.ingest, set);
            serve_jobs_stop(sj);
            sj = NULL;
            app_config_free(&jcfg);
            if (app_config_load(config, c->db, &jcfg, err, sizeof err) < 0 ||
                serve_jobs_start(&jc, &jcfg.jobs, &sj, err, sizeof err) < 0)
                log_write(LL_ERROR, "serve", "the scheduler did not restart: %s", err);
        }
    }
    log_write(LL_INFO, "serve", "stopping on signal %d", sig);
    code = EXIT_OK;
out:
    /* Stop accepting, let in-flight requests reach the writer, answer them, stop. */
    srv.closing = 1;
    if (http != NULL)
        httpd_quiesce(http);
    {
        struct timespec grace = {0, 200 * 1000 * 1000};
        nanosleep(&grace, NULL);
    }
    ingest_stop(srv.ingest);
    progress_feed_stop(feed);
    httpd_stop(http);
    serve_jobs_stop(sj);
    app_config_free(&jcfg);
    sender_stop(&snd);
    metrics_destroy(srv.metrics);
    store_close(srv.reader);
    policy_destroy(pol);
    app_config_free(&boot);
    store_unlock_daemon(lock); /* after every connection above is closed */
    return code;
}
