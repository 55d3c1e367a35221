/* SPDX-License-Identifier: MIT */
/*
 * dispatch_bench.c - bench/dispatch: N queued messages through the dispatcher to a
 * loopback sink over signed webhooks, every result durably recorded. Prints
 * messages/s; bench/dispatch.sh compares it with wrk against the same sink.
 *
 * usage: cb_bench_dispatch DB URL [N] [CONCURRENCY [CHANNEL_JSON INFLIGHT]]
 *
 * With CHANNEL_JSON (a file holding one channel's configuration named "hook", e.g. an
 * aliyun_sms or tencent_sms channel, bench/cloudsms.sh) the messages go through that
 * channel instead, as template remind_periodic with one set of variables, with up to
 * INFLIGHT messages in flight (the dispatcher's concurrency; CONCURRENCY stays the
 * number of HTTP connections). It then also prints the requests the channel made.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "jobs/dispatch.h"
#include "store/store.h"
#include "store/store_outbox.h"

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void counts(void *ud, const char *status, const char *channel, int64_t n)
{
    (void)channel;
    if (strcmp(status, "sent") == 0)
        *(int64_t *)ud += n;
}

/* The channel: a signed webhook to 'url', or the configuration in file 'path'. */
static int make_channel(httpc_t *http, const char *url, const char *path, channel_t **ch,
                        char *err, size_t errlen)
{
    char json[4096];
    cJSON *o;
    int rc;

    if (path != NULL) {
        FILE *f = fopen(path, "r");
        size_t n = f != NULL ? fread(json, 1, sizeof json - 1, f) : 0;
        if (f != NULL)
            fclose(f);
        json[n] = '\0';
    } else {
        snprintf(json, sizeof json,
                 "{\"name\":\"hook\",\"type\":\"webhook\",\"url\":\"%s\",\"secret\":\"bench\","
                 "\"rate\":1000000,\"burst\":100000}", url);
    }
    o = cJSON_Parse(json);
    rc = channel_create(http, o, ch, err, errlen);
    cJSON_Delete(o);
    return rc;
}

int main(int argc, char **argv)
{
    const char *db, *url, *chan_file = argc > 5 ? argv[5] : NULL;
    long n = 100000, conc = 64, inflight = argc > 6 ? strtol(argv[6], NULL, 10) : 0;
    store_t *st = NULL;
    httpc_t *http = NULL;
    channel_t *ch = NULL;
    char err[512], key[48], to[32];
    static char route_name[] = "hook";
    dispatch_cfg_t cfg;
    dispatch_stats_t stats = {0};
    dispatch_t *d;
    double t0, t1, t2;
    int64_t sent = 0;

    if (argc < 3) {
        fputs("usage: cb_bench_dispatch DB URL [N] [CONCURRENCY]\n", stderr);
        return 2;
    }
    db = argv[1];
    url = argv[2];
    if (argc > 3)
        n = strtol(argv[3], NULL, 10);
    if (argc > 4)
        conc = strtol(argv[4], NULL, 10);
    unlink(db);
    if (httpc_global_init() < 0 || store_open(db, &st, err, sizeof err) < 0 ||
        httpc_create((int)conc, (int)conc, &http) < 0) {
        fprintf(stderr, "cb_bench_dispatch: %s\n", err);
        return 2;
    }
    if (make_channel(http, url, chan_file, &ch, err, sizeof err) < 0) {
        fprintf(stderr, "cb_bench_dispatch: %s\n", err);
        return 2;
    }

    t0 = mono();
    if (store_begin(st) < 0)
        return 2;
    for (long i = 0; i < n; i++) {
        snprintf(key, sizeof key, "bench:%ld", i);
        snprintf(to, sizeof to, "138%08ld", i);
        outbox_new_t m = {.key = key, .route = "hook", .klass = OB_NOTICE, .recipient = to,
                          .template_name = "remind_periodic",
                          .text = "张**您好，您2024年度城乡居民医保个人缴费380元尚未缴纳，"
                                  "12月31日截止（还有41天）。",
                          .vars = "{\"county\":\"冷市\",\"deadline\":\"12月31日\"}"};
        if (store_outbox_enqueue(st, &m, (int64_t)time(NULL)) != 1)
            return 2;
    }
    if (store_commit(st) < 0)
        return 2;
    t1 = mono();

    dispatch_cfg_defaults(&cfg);
    cfg.concurrency = (int)(inflight > 0 ? inflight : conc);
    cfg.claim = 2048;
    cfg.flush_every = 2048;
    {
        channel_t *chans[1] = {ch};
        dispatch_route_t route = {route_name, chans, 1, "webhook", 0};
        d = dispatch_create(st, http, &route, 1, &cfg);
        if (dispatch_run(d, 1, NULL, &stats) < 0) {
            fprintf(stderr, "cb_bench_dispatch: %s\n", store_errmsg(st));
            return 2;
        }
        dispatch_destroy(d);
    }
    t2 = mono();
    if (store_outbox_counts(st, counts, &sent) < 0)
        return 2;
    printf("enqueue_s=%.2f dispatch_s=%.2f sent=%lld failed=%llu retried=%llu msgs_per_s=%.0f\n",
           t1 - t0, t2 - t1, (long long)sent, (unsigned long long)stats.failed,
           (unsigned long long)stats.retried, (double)sent / (t2 - t1));
    httpc_destroy(http);
    channel_destroy(ch);
    store_close(st);
    httpc_global_cleanup();
    return sent == n ? 0 : 1;
}
