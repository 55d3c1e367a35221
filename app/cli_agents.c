/* SPDX-License-Identifier: MIT */
/*
 * cli_agents.c - 'canbao pay-agents': the collection agents' pay per village, per
 * grid worker and for the county, from the policy's agent_pay and targets.
 *
 * A village's pay = per_person_fen x paid + the task bonus. The task is reached when
 * coverage ((paid + covered elsewhere) / registered) meets the coverage target and
 * the special groups' coverage meets theirs (no special person: met). Reached: the
 * whole reward. Short of the coverage target alone: the reward less
 * penalty_per_point_fen for every started point below it, never below 0. Short of
 * the special groups' target: no bonus (those are to be covered in full). The
 * county's pay is the sum of its villages'; a worker's the sum of the villages in
 * their scopes (group and household scopes are not villages and earn nothing here).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "core/money.h"
#include "core/policy.h"
#include "core/policy_rules.h"
#include "core/progress.h"
#include "store/report_load.h"
#include "store/store.h"
#include "store/store_worker.h"

typedef struct agent_figs {
    int reached;          /* both targets met */
    int64_t points_short; /* whole coverage points below the target, rounded up */
    int64_t per_person_fen, bonus_fen, pay_fen;
} agent_figs_t;

typedef struct agents_ctx {
    store_t *st;
    const progress_row_t *villages;
    size_t nvillages;
    const agent_figs_t *figs; /* one per village */
    cJSON *workers;           /* NULL: print */
    int failed;
} agents_ctx_t;

/* The figures of row 'r' ('pay_fen' of the total row is replaced by the caller). */
static agent_figs_t agent_figs(const progress_row_t *r, const policy_targets_t *t,
                               const policy_agent_pay_t *a)
{
    agent_figs_t f = {.per_person_fen = a->per_person_fen * r->by_status[PS_PAID]};
    int64_t want = (int64_t)t->coverage_percent * r->registered, have = r->covered * 100;
    int special_ok = r->special == 0 || r->special_covered * 100 >=
                                            (int64_t)t->special_percent * r->special;

    if (r->registered > 0 && have < want)
        f.points_short = (want - have + r->registered - 1) / r->registered;
    f.reached = r->registered > 0 && f.points_short == 0 && special_ok;
    if (r->registered > 0 && special_ok) {
        f.bonus_fen = a->reward_fen - a->penalty_per_point_fen * f.points_short;
        f.bonus_fen = f.bonus_fen < 0 ? 0 : f.bonus_fen;
    }
    f.pay_fen = f.per_person_fen + f.bonus_fen;
    return f;
}

static void add_yuan(cJSON *o, const char *name, int64_t fen)
{
    char y[24];

    money_format(fen, y);
    cJSON_AddStringToObject(o, name, y);
}

static cJSON *row_json(const progress_row_t *r, const agent_figs_t *f)
{
    cJSON *o = cJSON_CreateObject();

    if (r->township != NULL)
        cJSON_AddStringToObject(o, "township", r->township);
    if (r->village != NULL)
        cJSON_AddStringToObject(o, "village", r->village);
    cJSON_AddNumberToObject(o, "registered", (double)r->registered);
    if (r->target >= 0)
        cJSON_AddNumberToObject(o, "target", (double)r->target);
    cJSON_AddNumberToObject(o, "paid", (double)r->by_status[PS_PAID]);
    cJSON_AddNumberToObject(o, "covered", (double)r->covered);
    cJSON_AddNumberToObject(o, "coverage", r->coverage < 0 ? 0 : r->coverage);
    if (r->special_coverage >= 0)
        cJSON_AddNumberToObject(o, "special_coverage", r->special_coverage);
    cJSON_AddBoolToObject(o, "reached", f->reached);
    cJSON_AddNumberToObject(o, "points_short", (double)f->points_short);
    cJSON_AddNumberToObject(o, "per_person_fen", (double)f->per_person_fen);
    cJSON_AddNumberToObject(o, "bonus_fen", (double)f->bonus_fen);
    cJSON_AddNumberToObject(o, "pay_fen", (double)f->pay_fen);
    add_yuan(o, "pay_yuan", f->pay_fen);
    return o;
}

static void pct(char *buf, size_t n, double v)
{
    if (v < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.1f%%", v * 100);
}

static void row_print(const progress_row_t *r, const agent_figs_t *f)
{
    char name[160], target[24] = "-", cov[16], spec[16], pp[24], bonus[24], pay[24];

    snprintf(name, sizeof name, "%s%s%s", r->township ? r->township : "total",
             r->village ? " " : "", r->village ? r->village : "");
    if (r->target >= 0)
        snprintf(target, sizeof target, "%lld", (long long)r->target);
    pct(cov, sizeof cov, r->coverage);
    pct(spec, sizeof spec, r->special_coverage);
    money_format(f->per_person_fen, pp);
    money_format(f->bonus_fen, bonus);
    money_format(f->pay_fen, pay);
    cli_print_padded(name, 28);
    printf(" %8lld %8s %8lld %7s %7s %4s %11s %9s %11s\n", (long long)r->registered, target,
           (long long)r->by_status[PS_PAID], cov, spec, f->reached ? "yes" : "no", pp, bonus,
           pay);
}

typedef struct worker_sum {
    const agents_ctx_t *ctx;
    int64_t villages, paid, pay_fen;
} worker_sum_t;

static int worker_village(void *ud, int64_t area_id)
{
    worker_sum_t *w = ud;

    for (size_t i = 0; i < w->ctx->nvillages; i++)
        if (w->ctx->villages[i].area_id == area_id) {
            w->villages++;
            w->paid += w->ctx->villages[i].by_status[PS_PAID];
            w->pay_fen += w->ctx->figs[i].pay_fen;
        }
    return 0;
}

static int worker_row(void *ud, const store_worker_t *wk)
{
    agents_ctx_t *ctx = ud;
    worker_sum_t w = {.ctx = ctx};
    char pay[24];

    if (store_worker_villages(ctx->st, wk->id, worker_village, &w) < 0) {
        ctx->failed = 1;
        return 1;
    }
    if (ctx->workers != NULL) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", wk->code);
        cJSON_AddStringToObject(o, "name", wk->name);
        cJSON_AddNumberToObject(o, "villages", (double)w.villages);
        cJSON_AddNumberToObject(o, "paid", (double)w.paid);
        cJSON_AddNumberToObject(o, "pay_fen", (double)w.pay_fen);
        add_yuan(o, "pay_yuan", w.pay_fen);
        cJSON_AddItemToArray(ctx->workers, o);
        return 0;
    }
    money_format(w.pay_fen, pay);
    printf("%-10s ", wk->code);
    cli_print_padded(wk->name, 12);
    printf(" %8lld %8lld %11s\n", (long long)w.villages, (long long)w.paid, pay);
    return 0;
}

static void pay_usage(FILE *fp)
{
    fputs("usage: canbao [--db FILE] pay-agents [--json]\n"
          "The collection agents' pay per village (the policy's agent_pay): per person paid,\n"
          "plus the task bonus when coverage and the special groups' coverage meet the\n"
          "targets, less a deduction per started point of coverage below the target (never\n"
          "below 0; no bonus while the special groups fall short); the county total and\n"
          "each grid worker's villages summed.\n", fp);
}

static void print_header(const policy_t *pol, const policy_targets_t *t,
                         const policy_agent_pay_t *a)
{
    char pp[24], rw[24], pen[24];

    money_format(a->per_person_fen, pp);
    money_format(a->reward_fen, rw);
    money_format(a->penalty_per_point_fen, pen);
    printf("%s %d agents' pay: %s yuan per person paid, %s for the task (coverage %d%%, "
           "special groups %d%%), %s less per point below\n%-28s %8s %8s %8s %7s %7s %4s "
           "%11s %9s %11s\n",
           policy_county(pol), policy_year(pol), pp, rw, t->coverage_percent,
           t->special_percent, pen, "village", "register", "target", "paid", "cover", "special",
           "task", "per person", "bonus", "pay");
}

/* Print or (json) build the villages, the total and the workers. */
static int pay_report(agents_ctx_t *ctx, const policy_t *pol, const progress_row_t *total,
                      int json)
{
    static const policy_targets_t none = {.coverage_percent = 0, .special_percent = 0};
    const policy_targets_t *t = policy_targets(pol) ? policy_targets(pol) : &none;
    const policy_agent_pay_t *a = policy_agent_pay(pol);
    agent_figs_t *figs = calloc(ctx->nvillages + 1, sizeof *figs), tf;
    cJSON *o = json ? cJSON_CreateObject() : NULL, *arr = json ? cJSON_CreateArray() : NULL;
    int64_t sum = 0;

    if (figs == NULL) {
        cJSON_Delete(o);
        cJSON_Delete(arr);
        return -1;
    }
    if (!json)
        print_header(pol, t, a);
    for (size_t i = 0; i < ctx->nvillages; i++) {
        figs[i] = agent_figs(&ctx->villages[i], t, a);
        sum += figs[i].pay_fen;
        if (json)
            cJSON_AddItemToArray(arr, row_json(&ctx->villages[i], &figs[i]));
        else
            row_print(&ctx->villages[i], &figs[i]);
    }
    tf = agent_figs(total, t, a);
    tf.pay_fen = sum; /* the county pays its villages' agents */
    tf.bonus_fen = sum - tf.per_person_fen;
    ctx->figs = figs;
    if (json) {
        cJSON_AddStringToObject(o, "county", policy_county(pol));
        cJSON_AddNumberToObject(o, "year", policy_year(pol));
        cJSON_AddItemToObject(o, "villages", arr);
        cJSON_AddItemToObject(o, "total", row_json(total, &tf));
        ctx->workers = cJSON_AddArrayToObject(o, "workers");
    } else {
        row_print(total, &tf);
        printf("\n%-10s %-12s %8s %8s %11s\n", "worker", "name", "villages", "paid", "pay");
    }
    if (store_workers_each(ctx->st, worker_row, ctx) < 0)
        ctx->failed = 1;
    if (json && !ctx->failed)
        cli_print_json(o);
    else
        cJSON_Delete(o);
    free(figs);
    return ctx->failed ? -1 : 0;
}

int cli_pay_agents(const cli_t *c, int argc, char **argv)
{
    int json = 0, code = EXIT_FATAL;
    const cli_opt_t opts[] = {{.name = "--json", .kind = CLI_FLAG, .dst = &json},
                              {.name = NULL, .kind = CLI_FLAG, .dst = NULL}};
    int parsed = cli_parse("pay-agents", argc, argv, opts, NULL, 0, NULL, pay_usage);
    store_t *st = NULL;
    policy_t *pol = NULL;
    progress_t *p = NULL;
    long long campaign;

    if (parsed >= 0)
        return parsed;
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    if (policy_agent_pay(pol) == NULL) {
        printf("the %s %d policy sets no agent_pay: no agents' pay to work out\n",
               policy_county(pol), policy_year(pol));
        code = EXIT_OK;
        goto out;
    }
    p = progress_create();
    if (report_load_progress(st, campaign, p) < 0) {
        fprintf(stderr, "canbao: pay-agents: %s\n", store_errmsg(st));
        goto out;
    }
    {
        size_t n, nt;
        const progress_row_t *v = progress_rows(p, 2, &n);
        agents_ctx_t ctx = {.st = st, .villages = v, .nvillages = n};
        const progress_row_t *total;

        /* progress_rows borrows until the next call: copy the villages first */
        progress_row_t *copy = malloc((n + 1) * sizeof *copy);
        if (copy == NULL)
            goto out;
        memcpy(copy, v, n * sizeof *copy);
        ctx.villages = copy;
        total = progress_rows(p, 0, &nt);
        if (pay_report(&ctx, pol, total, json) < 0)
            fprintf(stderr, "canbao: pay-agents: %s\n", store_errmsg(st));
        else
            code = EXIT_OK;
        free(copy);
    }
out:
    progress_destroy(p);
    store_close(st);
    policy_destroy(pol);
    return code;
}
