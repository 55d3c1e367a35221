/* SPDX-License-Identifier: MIT */
/* jobs.c - the table of scheduled jobs and running one for a slot. */
#include "jobs/jobs.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "store/store_jobs.h"

static const job_def_t all[] = {
    {"todo", job_todo, "each grid worker's ranked list of households to visit (CSV, HTML, a message)"},
    {"remind", job_remind, "the policy's reminder rules due today (or missed since the last run)"},
    {"report", job_report, "progress per township and village to the leaders' group, and as CSV"},
};

#define NJOBS (sizeof all / sizeof all[0])

const job_def_t *jobs_all(size_t *n)
{
    *n = NJOBS;
    return all;
}

const job_def_t *jobs_find(const char *name)
{
    for (size_t i = 0; i < NJOBS; i++) {
        if (strcmp(all[i].name, name) == 0)
            return &all[i];
    }
    return NULL;
}

void jobs_spec(const job_def_t *job, const jobs_config_t *cfg, sched_spec_t *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(job->name, "todo") == 0) {
        out->at = cfg->todo_at;
    } else if (strcmp(job->name, "report") == 0) {
        out->at = cfg->report_at;
        out->weekday = cfg->report_weekday;
        out->weekly_from = cfg->report_weekly_from;
        out->daily_from = cfg->report_daily_from;
    } else {
        out->at = cfg->remind_at;
    }
}

int jobs_run_slot(const job_def_t *job, const job_env_t *base, int64_t slot, job_result_t *res)
{
    job_env_t env = *base;
    int64_t id = 0;
    int rc;

    memset(res, 0, sizeof *res);
    rc = store_job_last(env.st, job->name, &env.since);
    if (rc >= 0)
        rc = store_job_start(env.st, job->name, slot, env.now, &id);
    if (rc <= 0)
        return rc; /* an error, or the slot ran already */
    rc = job->run(&env, res);
    if (store_job_finish(env.st, id, env.now, res->queued, res->summary,
                         rc < 0 ? res->summary : NULL) < 0)
        log_write(LL_ERROR, "jobs", "%s: cannot record the end of the run: %s", job->name,
                  store_errmsg(env.st));
    if (rc < 0) {
        log_write(LL_ERROR, "jobs", "%s failed: %s", job->name, res->summary);
        return rc;
    }
    log_write(LL_INFO, "jobs", "%s: %s", job->name, res->summary);
    return 1;
}

int jobs_run_due(const job_env_t *env, unsigned *ran)
{
    int rc = CB_OK;

    *ran = 0;
    for (size_t i = 0; i < NJOBS; i++) {
        sched_spec_t spec;
        int64_t slot, last = 0;
        job_result_t res;
        int r;

        jobs_spec(&all[i], env->cfg, &spec);
        slot = sched_prev_slot(&spec, env->now);
        if (slot == 0)
            continue;
        r = store_job_last(env->st, all[i].name, &last);
        /* Catch up once on what was missed while down; a job that never ran starts
         * with today's slot, not with one from before the service existed. */
        if (r >= 0 && (slot <= last || (last == 0 && clock_day(slot) != clock_day(env->now))))
            continue;
        if (r >= 0)
            r = jobs_run_slot(&all[i], env, slot, &res);
        if (r > 0)
            (*ran)++;
        if (r < 0 && rc == CB_OK)
            rc = r; /* go on with the other jobs */
    }
    return rc;
}
