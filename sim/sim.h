/* SPDX-License-Identifier: MIT */
/*
 * sim.h - what 'canbao simulate' shares between setting up the county
 * (app/cli_simulate.c) and running its days (sim_run.c).
 */
#ifndef CB_SIM_SIM_H
#define CB_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "bot/payment.h"
#include "jobs/jobs_config.h"
#include "sim/sim_model.h"
#include "core/date.h"
#include "core/policy.h"
#include "store/store.h"

/* The phases of a day whose time sim_run measures. */
enum {
    SIM_T_TODO, SIM_T_REMIND, SIM_T_REPORT, SIM_T_DISPATCH, SIM_T_SENT, SIM_T_MODEL,
    SIM_T_VISITS, SIM_T_CURVE, SIM_T__COUNT
};

typedef struct sim {
    /* set up by cli_simulate.c */
    store_t *st;
    const policy_t *pol;
    int64_t campaign;
    const jobs_config_t *cfg;  /* the jobs' config: routes, templates, output folder */
    httpc_t *http;             /* the dispatcher's HTTP client */
    const dispatch_cfg_t *dispatch;
    sim_model_t *model;
    pay_env_t pay;         /* what a resident's payment does (thank-you included) */
    int visits_per_worker; /* households a worker visits a day */
    int quiet;             /* print nothing while running */
    /* the curve: progress per series (villages, or townships when there are many) at
     * the end of each week; filled by sim_run */
    size_t nseries;
    int64_t *series_area; /* area ids */
    char **series_name;
    int series_level;     /* 1 township, 2 village */
    cb_date_t *days;
    double *values;       /* [point][series], grown by sim_run */
    size_t npoints, cappoints;
    /* where the time went, seconds by phase */
    double seconds[SIM_T__COUNT];
    /* what happened */
    uint64_t payments, waivers, covered, visits, reminders, notices, job_runs;
} sim_t;

/* Run the campaign from the day before the window opens to 'last' (inclusive). */
CB_NODISCARD int sim_run(sim_t *s, cb_date_t last, char *err, size_t errlen);

#endif
