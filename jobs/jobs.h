/* SPDX-License-Identifier: MIT */
/*
 * jobs.h - the campaign's scheduled jobs: reminders by the policy's rules, grid
 * workers' to-do lists, progress reports. 'canbao serve' runs them on the campaign
 * clock (jobs/sched.h decides when), 'canbao run JOB' runs one by hand, and
 * 'canbao simulate' runs them on virtual days.
 *
 * A job reads the store and writes outbox rows (and files under cfg->out_dir);
 * it never sends anything itself. Running a job twice for the same slot queues
 * nothing new: every row it queues has a key naming the job, the recipient and the
 * day. A job runs in its own transaction(s) on env->st, on the caller's thread.
 */
#ifndef CB_JOBS_JOBS_H
#define CB_JOBS_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/jobs_config.h"
#include "core/compiler.h"
#include "core/date.h"
#include "core/policy.h"
#include "jobs/sched.h"
#include "store/store.h"

typedef struct job_env {
    store_t *st;
    const policy_t *pol;
    long long campaign;
    const jobs_config_t *cfg; /* borrowed */
    int64_t now;      /* the campaign clock */
    cb_date_t today;  /* clock_day(now) */
    int64_t since;    /* the previous run's slot (0: never ran), for catching up */
    int quiet;        /* 1: print nothing to stdout (the daemon, simulate) */
} job_env_t;

typedef struct job_result {
    uint64_t queued;     /* outbox rows newly queued */
    char summary[512];   /* one line of what the run did, for the job_run row and logs */
} job_result_t;

typedef int (*job_fn)(const job_env_t *env, job_result_t *res);

typedef struct job_def {
    const char *name;    /* "remind", "todo", "report" */
    job_fn run;
    const char *summary; /* for --help */
} job_def_t;

/* The jobs (each in jobs/job_NAME.c). */
int job_remind(const job_env_t *env, job_result_t *res);
/* The progress report to the leaders' group, with its CSV and snapshot, once a day
 * (jobs/job_report.h says what it writes). */
CB_NODISCARD int job_report(const job_env_t *env, job_result_t *res);
/* The grid workers' to-do lists (jobs/job_todo.c): per worker the ranked list of
 * jobs/todo.h as cfg->out_dir/todo/YYYY-MM-DD/<code>.csv and .html, and its
 * first households as the worker_todo message on the worker's route (else
 * jobs.todo_route), key "todo:<code>:<day>". */
int job_todo(const job_env_t *env, job_result_t *res);

/* The jobs canbao knows, in the order a day runs them; *n gets their number. */
const job_def_t *jobs_all(size_t *n);
/* The job named 'name', or NULL. */
const job_def_t *jobs_find(const char *name);

/* When 'job' is due under the config's jobs section. */
void jobs_spec(const job_def_t *job, const jobs_config_t *cfg, sched_spec_t *out);

/* Run 'job' for 'slot' (a due time, or the time of a run by hand) with env->since
 * set to its previous run's slot, and record the run in job_run: 1 when it ran
 * (*res says what it did), 0 when that slot had run already, or a CB_E* code
 * (the run is recorded with its error). */
CB_NODISCARD int jobs_run_slot(const job_def_t *job, const job_env_t *env, int64_t slot,
                               job_result_t *res);

/* Run every job whose latest slot at or before env->now is newer than its last
 * run (once, however many slots were missed; a job that never ran only for a slot
 * of today); *ran counts them. A failing job does
 * not stop the others: the first error is returned after all have had their turn. */
CB_NODISCARD int jobs_run_due(const job_env_t *env, unsigned *ran);

#endif
