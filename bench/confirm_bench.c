/* SPDX-License-Identifier: MIT */
/*
 * confirm_bench.c - bench/confirm's client: every row of a payment export as a
 * signed POST /hooks/payments, CONCURRENCY at a time over keep-alive connections,
 * then as many GET /healthz the same way, and prints both rates and the answers.
 * With ANSWERS (bench/progress) it writes one line per confirmation answered:
 * "<Unix time, ns precision> <status> <row index>", and skips /healthz.
 *
 * usage: cb_bench_confirm URL SECRET PAYMENTS.csv [CONCURRENCY [ANSWERS]]
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/money.h"
#include "net/httpc.h"
#include "net/sign.h"

typedef struct tally {
    long by_status[6]; /* 2xx..5xx by hundreds, [0] transport errors */
    long done;
    FILE *answers;     /* NULL, or where each answer's time goes */
} tally_t;

typedef struct req { /* one request's context */
    tally_t *t;
    size_t row;
} req_t;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_done(void *ud, const httpc_resp_t *r)
{
    const req_t *q = ud;
    tally_t *t = q->t;
    long k = r->status / 100;
    t->by_status[k >= 2 && k <= 5 ? k : 0]++;
    t->done++;
    if (t->answers != NULL) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        fprintf(t->answers, "%lld.%09ld %ld %zu\n", (long long)ts.tv_sec, ts.tv_nsec, r->status,
                q->row);
    }
}

/* The body of one export line "receipt,id,amount,channel,paid_at", or NULL. */
static char *body_of(char *line)
{
    char *f[5], *save = NULL;
    int64_t fen;
    cJSON *o;
    char *s;

    line[strcspn(line, "\r\n")] = '\0';
    for (int i = 0; i < 5; i++) {
        f[i] = strtok_r(i == 0 ? line : NULL, ",", &save);
        if (f[i] == NULL)
            return NULL;
    }
    if (money_parse_yuan(f[2], strlen(f[2]), &fen) < 0)
        return NULL;
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "receipt", f[0]);
    cJSON_AddStringToObject(o, "id_number", f[1]);
    cJSON_AddNumberToObject(o, "amount_fen", (double)fen);
    cJSON_AddStringToObject(o, "channel", f[3]);
    cJSON_AddStringToObject(o, "paid_at", f[4]);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* Send 'n' requests (bodies[i], or GETs when bodies is NULL), 'conc' at a time. */
static double run(httpc_t *h, const char *url, const char *secret, char **bodies, size_t n,
                  tally_t *t)
{
    double t0 = mono(), dt;
    size_t next = 0;
    req_t *reqs = xcalloc(n ? n : 1, sizeof *reqs);
    FILE *answers = t->answers;

    memset(t, 0, sizeof *t);
    t->answers = answers;
    while ((size_t)t->done < n) {
        while (next < n && httpc_inflight(h) < 256) {
            char ts[24], sig[72], hts[48], hsig[96], hex[65];
            const char *headers[4] = {hts, hsig, "Content-Type: application/json", NULL};
            httpc_req_t rq = {bodies ? "POST" : "GET", url, bodies ? headers : NULL,
                              bodies ? bodies[next] : NULL, bodies ? strlen(bodies[next]) : 0, 0};
            if (bodies != NULL) {
                snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
                sign_body(secret, ts, bodies[next], strlen(bodies[next]), hex);
                snprintf(sig, sizeof sig, "v1=%s", hex);
                snprintf(hts, sizeof hts, "X-Canbao-Timestamp: %s", ts);
                snprintf(hsig, sizeof hsig, "X-Canbao-Signature: %s", sig);
            }
            reqs[next] = (req_t){t, next};
            if (httpc_start(h, &rq, on_done, &reqs[next]) < 0) {
                free(reqs);
                return -1;
            }
            next++;
        }
        httpc_run(h, 100);
    }
    dt = mono() - t0;
    free(reqs);
    return dt;
}

int main(int argc, char **argv)
{
    char url[512], line[1024], **bodies = NULL;
    size_t n = 0, cap = 0;
    int conc = argc > 4 ? atoi(argv[4]) : 64;
    tally_t pay = {{0}, 0, NULL}, health = {{0}, 0, NULL};
    double tp, th;
    httpc_t *h;
    FILE *fp;

    if (argc < 4) {
        fputs("usage: cb_bench_confirm URL SECRET PAYMENTS.csv [CONCURRENCY]\n", stderr);
        return 2;
    }
    fp = fopen(argv[3], "r");
    if (fp == NULL || httpc_global_init() < 0 || httpc_create(conc, conc, &h) < 0)
        return 2;
    if (fgets(line, sizeof line, fp) == NULL) /* header */
        return 2;
    while (fgets(line, sizeof line, fp) != NULL) {
        char *b = body_of(line);
        if (b == NULL)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            bodies = xrealloc(bodies, cap * sizeof *bodies);
        }
        bodies[n++] = b;
    }
    fclose(fp);
    if (argc > 5 && (pay.answers = fopen(argv[5], "w")) == NULL)
        return 2;
    snprintf(url, sizeof url, "%s/hooks/payments", argv[1]);
    tp = run(h, url, argv[2], bodies, n, &pay);
    snprintf(url, sizeof url, "%s/healthz", argv[1]);
    th = pay.answers != NULL ? 0 : run(h, url, NULL, NULL, n, &health);
    if (pay.answers != NULL)
        fclose(pay.answers);
    printf("confirmations=%zu seconds=%.2f per_s=%.0f 2xx=%ld 4xx=%ld 5xx=%ld errors=%ld\n", n, tp,
           (double)n / tp, pay.by_status[2], pay.by_status[4], pay.by_status[5],
           pay.by_status[0]);
    if (th > 0)
        printf("healthz=%zu seconds=%.2f per_s=%.0f errors=%ld\n", n, th, (double)n / th,
               health.by_status[0] + health.by_status[4] + health.by_status[5]);
    for (size_t i = 0; i < n; i++)
        free(bodies[i]);
    free(bodies);
    httpc_destroy(h);
    httpc_global_cleanup();
    return 0;
}
