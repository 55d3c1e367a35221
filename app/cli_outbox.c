/* SPDX-License-Identifier: MIT */
/* cli_outbox.c - 'canbao dispatch' (drain the outbox through the channels) and
 * 'canbao outbox' (show it). */
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cli.h"
#include "app/config.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mask.h"
#include "core/safetext.h"
#include "jobs/dispatch.h"
#include "store/store_outbox.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void dispatch_usage(FILE *fp)
{
    fputs("usage: canbao dispatch [--once] [--config FILE]\n\n"
          "Send what the outbox holds through the configured channels: rate limits per\n"
          "channel, quiet hours and caps for residents, retries with backoff, failover to\n"
          "the next channel of a route, a circuit breaker per channel. Every result is\n"
          "recorded; a row left 'sending' by a killed dispatcher is sent again, with the\n"
          "same idempotency key, once its lease expires.\n\n"
          "  --once         stop when nothing is due (default: run until SIGINT/SIGTERM)\n"
          "  --config FILE  deployment config (default $CANBAO_CONFIG, else the file\n"
          "                 channel writing DB.messages.jsonl)\n", fp);
}

int cli_dispatch(const cli_t *c, int argc, char **argv)
{
    const char *config = NULL;
    int once = 0, rc, code;
    char err[1024];
    app_config_t cfg;
    store_t *st = NULL;
    dispatch_t *d;
    dispatch_stats_t stats = {0};
    cb_clock_t clk; /* the campaign clock: --now plus the time since start */
    struct sigaction sa;

    code = cli_once_config(argc, argv, "dispatch", dispatch_usage, &once, &config);
    if (code >= 0)
        return code;
    if (app_config_load(config, c->db, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "canbao dispatch: %s\n", err);
        app_config_free(&cfg);
        return EXIT_FATAL;
    }
    if (store_open(c->db, &st, err, sizeof err) < 0) {
        fprintf(stderr, "canbao dispatch: %s\n", err);
        app_config_free(&cfg);
        return EXIT_FATAL;
    }
    clock_init(&clk, c->now, 1);
    cfg.dispatch.now = clock_now_cb;
    cfg.dispatch.now_ud = &clk;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = dispatch_create(st, cfg.http, cfg.routes, cfg.nroutes, &cfg.dispatch);
    rc = dispatch_run(d, once, &stop_flag, &stats);
    dispatch_destroy(d);
    if (rc < 0)
        fprintf(stderr, "canbao dispatch: %s: %s\n", cb_strerror(rc), store_errmsg(st));
    printf("dispatch: sent %llu, retried %llu (failovers %llu), deferred %llu, failed %llu\n",
           (unsigned long long)stats.sent, (unsigned long long)stats.retried,
           (unsigned long long)stats.failovers, (unsigned long long)stats.deferred,
           (unsigned long long)stats.failed);
    store_close(st);
    app_config_free(&cfg);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}

typedef struct lister {
    int json;
    cJSON *rows;
} lister_t;

static int print_row(void *ud, const outbox_row_t *r)
{
    lister_t *l = ud;
    char to[32], *error = mask_text_dup(r->error); /* a gateway's words: may echo a number */

    if (r->recipient[0] >= '0' && r->recipient[0] <= '9')
        mask_phone(r->recipient, to, sizeof to);
    else
        snprintf(to, sizeof to, "%s", r->recipient);
    if (l->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddStringToObject(o, "key", r->key);
        cJSON_AddStringToObject(o, "status", r->status);
        cJSON_AddStringToObject(o, "route", r->route);
        cJSON_AddStringToObject(o, "class", r->klass);
        cJSON_AddStringToObject(o, "recipient", to);
        cJSON_AddStringToObject(o, "template", r->template_name);
        cJSON_AddStringToObject(o, "channel", r->channel);
        cJSON_AddStringToObject(o, "channels_tried", r->channels_tried);
        cJSON_AddNumberToObject(o, "attempts", r->attempts);
        cJSON_AddNumberToObject(o, "parts", r->parts);
        cJSON_AddStringToObject(o, "gateway_id", r->gateway_id);
        cJSON_AddStringToObject(o, "error", error);
        cJSON_AddNumberToObject(o, "next_at", (double)r->next_at);
        cJSON_AddNumberToObject(o, "sent_at", (double)r->sent_at);
        cJSON_AddItemToArray(l->rows, o);
    } else {
        safetext_printf(stdout, "%8lld  %-9s %-14s %-18s %-8s %2d  %s%s%s\n", (long long)r->id,
                        r->status, to, r->template_name, r->channel[0] ? r->channel : r->route,
                        r->attempts, r->key, error[0] ? "  error: " : "", error);
    }
    free(error);
    return 0;
}

static void print_count(void *ud, const char *status, const char *channel, int64_t n)
{
    cJSON *counts = ud;
    if (counts != NULL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "status", status);
        cJSON_AddStringToObject(o, "channel", channel);
        cJSON_AddNumberToObject(o, "count", (double)n);
        cJSON_AddItemToArray(counts, o);
    } else {
        printf("  %-10s %-16s %lld\n", status, channel[0] ? channel : "-", (long long)n);
    }
}

static void outbox_usage(FILE *fp)
{
    fputs("usage: canbao outbox [--status S] [--limit N] [--json]\n\n"
          "Counts per status and channel, then the newest rows (recipients, and ID and phone\n"
          "numbers in gateways' errors, masked; control characters shown as \\x1b).\n"
          "  --status S   queued, sending, sent, delivered or failed\n"
          "  --limit N    rows to list (default 20; 0 for all)\n", fp);
}

int cli_outbox(const cli_t *c, int argc, char **argv)
{
    const char *status = NULL;
    long limit = 20;
    lister_t l = {0};
    store_t *st = NULL;
    cJSON *root = NULL, *counts = NULL;
    char err[512];
    int rc;

    {
        int64_t n = limit;
        const cli_opt_t opts[] = {{"--status", CLI_STR, &status, 0, 0},
                                  {"--limit", CLI_COUNT, &n, 0, 1000000},
                                  {"--json", CLI_FLAG, &l.json, 0, 0},
                                  {NULL, CLI_FLAG, NULL, 0, 0}};
        int code = cli_parse("outbox", argc, argv, opts, NULL, 0, NULL, outbox_usage);
        if (code >= 0)
            return code;
        limit = (long)n;
    }
    if (store_open(c->db, &st, err, sizeof err) < 0) {
        fprintf(stderr, "canbao outbox: %s\n", err);
        return EXIT_FATAL;
    }
    if (l.json) {
        root = cJSON_CreateObject();
        counts = cJSON_AddArrayToObject(root, "counts");
        l.rows = cJSON_AddArrayToObject(root, "rows");
    } else {
        printf("outbox by status and channel:\n");
    }
    rc = store_outbox_counts(st, print_count, counts);
    if (rc >= 0 && !l.json)
        printf("\n%8s  %-9s %-14s %-18s %-8s %2s  %s\n", "id", "status", "recipient", "template",
               "channel", "n", "key");
    if (rc >= 0)
        rc = store_outbox_list(st, status, (size_t)limit, print_row, &l);
    if (rc < 0)
        fprintf(stderr, "canbao outbox: %s\n", store_errmsg(st));
    if (rc >= 0 && l.json)
        cli_print_json(root);
    else
        cJSON_Delete(root);
    store_close(st);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}
