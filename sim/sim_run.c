/* SPDX-License-Identifier: MIT */
/*
 * sim_run.c - the days of 'canbao simulate'. Each virtual day, on the campaign
 * clock: the scheduled jobs at their times (to-do lists 07:30, reminders 09:30,
 * reports 17:30 by default), the dispatcher after each, the residents' decisions
 * (the model is told which phones a reminder reached), the grid workers' visits
 * from the top of their to-do lists, and at the end of each week a point of the
 * progress curve. Everything goes through the same code the daemon runs.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs/jobs.h"
#include "store/report_load.h"
#include "sim/sim.h"
#include "bot/payment.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mem.h"
#include "jobs/dispatch.h"
#include "jobs/sched.h"
#include "store/store_outbox.h"
#include "store/store_roster.h"
#include "store/store_waiver.h"
#include "store/store_worker.h"

typedef struct day {
    sim_t *s;
    cb_date_t day;
    int64_t now;
    const char *channel;
    int rc;
} day_t;

static int dispatch_at(sim_t *s, int64_t now)
{
    cb_clock_t clk;
    dispatch_cfg_t dc = *s->dispatch;
    volatile sig_atomic_t stop = 0;
    dispatch_stats_t stats = {0};
    dispatch_t *d;
    int rc;

    double t0 = clock_mono_s();

    clock_init(&clk, now, 1);
    dc.now = clock_now_cb;
    dc.now_ud = &clk;
    d = dispatch_create(s->st, s->http, s->cfg->routes, s->cfg->nroutes, &dc);
    rc = dispatch_run(d, 1, &stop, &stats);
    dispatch_destroy(d);
    s->seconds[SIM_T_DISPATCH] += clock_mono_s() - t0;
    return rc;
}

static int jobs_at(sim_t *s, cb_date_t day, int minute, int phase)
{
    int64_t now = clock_at(day, minute);
    job_env_t env = {.st = s->st, .pol = s->pol, .campaign = s->campaign, .cfg = s->cfg,
                     .now = now, .today = day, .quiet = 1};
    unsigned ran = 0;
    double t0 = clock_mono_s();
    int rc = jobs_run_due(&env, &ran);

    s->seconds[phase] += clock_mono_s() - t0;
    s->job_runs += ran;
    if (rc >= 0 && ran > 0)
        rc = dispatch_at(s, now + 60);
    return rc;
}

static int reminded(void *ud, const char *recipient)
{
    day_t *d = ud;
    sim_model_reminded(d->s->model, recipient, d->day);
    d->s->reminders++;
    return 0;
}

/* Apply one resident's act to the store (the model's callback). */
static void apply(void *ud, int64_t person, const char *id_number, int64_t owed, sim_act_t act)
{
    day_t *d = ud;
    sim_t *s = d->s;
    int rc = CB_OK;

    if (d->rc < 0)
        return;
    if (act == SIM_PAY && owed > 0) {
        char receipt[48], paid_at[11];
        pay_result_t r;
        pay_in_t p = {.receipt = receipt, .id_number = id_number, .amount_fen = owed,
                      .channel = d->channel, .paid_at = paid_at, .source = "simulate"};
        snprintf(receipt, sizeof receipt, "SIM%lld", (long long)person);
        date_format(d->day, paid_at);
        rc = pay_confirm(&s->pay, &p, d->now, &r);
        s->payments += rc >= 0 && (r.outcome == PAY_MATCHED || r.outcome == PAY_LATE);
    } else if (act == SIM_PAY) { /* nothing to pay: the department pays in bulk */
        rc = store_status_set(s->st, s->campaign, person, "unpaid", "paid",
                              "simulate:department", d->now);
        s->payments += rc >= 0;
    } else if (act == SIM_WAIVE) {
        rc = store_waiver_request(s->st, s->campaign, person, 3, NULL, d->now);
        if (rc >= 0)
            rc = store_waiver_confirm(s->st, s->campaign, person, "simulate", d->now);
        if (rc >= 0)
            rc = store_status_set(s->st, s->campaign, person, "unpaid", "waived",
                                  "simulate:waiver", d->now);
        s->waivers += rc >= 0;
    } else if (act == SIM_COVERED) {
        rc = store_status_set(s->st, s->campaign, person, "unpaid", "insured_elsewhere",
                              "simulate:visit", d->now);
        s->covered += rc >= 0;
    }
    if (rc < 0)
        d->rc = rc;
}

typedef struct workers {
    int64_t *id;
    size_t n, cap;
} workers_t;

static int add_worker(void *ud, const store_worker_t *w)
{
    workers_t *ws = ud;
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 64;
        ws->id = xrealloc(ws->id, ws->cap * sizeof *ws->id);
    }
    ws->id[ws->n++] = w->id;
    return 0;
}

static const visit_outcome_t outcome_of[] = {
    [SIM_PAY] = VISIT_PAID, [SIM_WAIVE] = VISIT_WAIVED, [SIM_COVERED] = VISIT_PAID,
    [SIM_PROMISE] = VISIT_PROMISED, [SIM_REFUSE] = VISIT_REFUSED, [SIM_NOT_HOME] = VISIT_AWAY};

/* Each worker goes down the list sent to them this morning (store_todo_item_get:
 * the positions of the day's list), visiting the households that still have
 * someone unpaid, as many as they manage in a day. */
static int visit(sim_t *s, day_t *d, const workers_t *ws)
{
    char dbuf[11], lday[11], code[64];
    int rc = CB_OK;

    date_format(d->day, dbuf);
    d->channel = "村组POS机";
    for (size_t w = 0; w < ws->n && rc >= 0; w++) {
        int done = 0;
        for (int pos = 1; rc >= 0 && done < s->visits_per_worker; pos++) {
            int64_t hh = 0;
            int o;
            rc = store_todo_item_get(s->st, ws->id[w], dbuf, pos, &hh, lday);
            if (rc == CB_ENOTFOUND || (rc >= 0 && strcmp(lday, dbuf) != 0)) {
                rc = CB_OK; /* the end of today's list (or no list today) */
                break;
            }
            if (rc >= 0)
                rc = store_household_code(s->st, hh, code, sizeof code);
            if (rc < 0)
                break;
            o = sim_model_visit(s->model, code, d->day, apply, d);
            if (o < 0)
                continue;
            done++;
            s->visits++;
            rc = d->rc;
            if (rc >= 0)
                rc = store_visit_add(s->st, s->campaign, hh, ws->id[w], outcome_of[o], NULL, dbuf,
                                     d->now, NULL);
        }
    }
    return rc;
}

/* A point of the curve: every series' progress now. */
static int snapshot(sim_t *s, cb_date_t day)
{
    progress_t *p = progress_create();
    const progress_row_t *rows;
    size_t n;
    int rc = report_load_progress(s->st, s->campaign, p);

    if (rc >= 0) {
        if (s->npoints == s->cappoints) {
            s->cappoints = s->cappoints ? s->cappoints * 2 : 32;
            s->days = xrealloc(s->days, s->cappoints * sizeof *s->days);
            s->values = xrealloc(s->values, s->cappoints * s->nseries * sizeof *s->values);
        }
        rows = progress_rows(p, s->series_level, &n);
        s->days[s->npoints] = day;
        for (size_t k = 0; k < s->nseries; k++) {
            double v = 0;
            for (size_t i = 0; i < n; i++) {
                if (rows[i].area_id == s->series_area[k])
                    v = rows[i].progress > 0 ? rows[i].progress : 0;
            }
            s->values[s->npoints * s->nseries + k] = v;
        }
        s->npoints++;
    }
    progress_destroy(p);
    return rc;
}

static int one_day(sim_t *s, cb_date_t day, const workers_t *ws)
{
    const jobs_config_t *j = s->cfg;
    day_t d = {.s = s, .day = day, .now = clock_at(day, 14 * 60), .channel = "湘税社保APP"};
    double t;
    int rc = jobs_at(s, day, j->todo_at + 1, SIM_T_TODO);

    if (rc >= 0)
        rc = jobs_at(s, day, j->remind_at + 1, SIM_T_REMIND);
    if (rc >= 0)
        rc = dispatch_at(s, clock_at(day, 10 * 60));
    t = clock_mono_s();
    if (rc >= 0)
        rc = store_outbox_sent_each(s->st, "reminder", clock_at(day, 0), clock_at(day + 1, 0) - 1,
                                    reminded, &d);
    s->seconds[SIM_T_SENT] += clock_mono_s() - t;
    t = clock_mono_s();
    if (rc >= 0)
        rc = store_begin(s->st);
    if (rc >= 0) {
        sim_model_day(s->model, day, apply, &d);
        rc = d.rc;
        d.now = clock_at(day, 15 * 60);
        s->seconds[SIM_T_MODEL] += clock_mono_s() - t;
        t = clock_mono_s();
        if (rc >= 0 && day >= policy_window_start(s->pol))
            rc = visit(s, &d, ws);
        s->seconds[SIM_T_VISITS] += clock_mono_s() - t;
        if (rc >= 0)
            rc = store_commit(s->st);
        else
            store_rollback(s->st);
        pay_env_done(&s->pay); /* tomorrow's thank-yous count tomorrow's days left */
    }
    if (rc >= 0)
        rc = jobs_at(s, day, j->report_at + 1, SIM_T_REPORT);
    return rc;
}

int sim_run(sim_t *s, cb_date_t last, char *err, size_t errlen)
{
    workers_t ws = {0};
    cb_date_t first = policy_window_start(s->pol) - 1;
    int rc = store_workers_each(s->st, add_worker, &ws);

    for (cb_date_t day = first; rc >= 0 && day <= last; day++) {
        rc = one_day(s, day, &ws);
        if (rc >= 0 && (sched_weekday(day) == 7 || day == last || day == first)) {
            double t = clock_mono_s();
            rc = snapshot(s, day);
            s->seconds[SIM_T_CURVE] += clock_mono_s() - t;
        }
        if (!s->quiet && sched_weekday(day) == 7) {
            fprintf(stderr, ".");
            fflush(stderr);
        }
    }
    if (!s->quiet)
        fputc('\n', stderr);
    free(ws.id);
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", cb_strerror(rc), store_errmsg(s->st));
    return rc;
}
