/* SPDX-License-Identifier: MIT */
/*
 * serve_jobs.h - the daemon's scheduler thread: every few seconds it reads the
 * campaign clock and runs the jobs that are due (jobs/jobs.h), on its own database
 * connection and its own copy of the config (reloaded on SIGHUP by restarting it).
 * Internal to jobs/ and the daemon.
 */
#ifndef CB_JOBS_SERVE_JOBS_H
#define CB_JOBS_SERVE_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/jobs_config.h"
#include "core/clock.h"
#include "core/compiler.h"
#include "core/policy.h"

typedef struct serve_jobs serve_jobs_t;

typedef struct serve_jobs_cfg {
    const char *db;
    const policy_t *pol;      /* borrowed */
    int64_t campaign;
    const cb_clock_t *clock;  /* borrowed: the campaign clock */
    int tick_ms;              /* how often to look (default 1000) */
} serve_jobs_cfg_t;

/* Start the thread with 'cfg' (borrowed: it must outlive serve_jobs_stop). */
CB_NODISCARD int serve_jobs_start(const serve_jobs_cfg_t *sc, const jobs_config_t *cfg,
                                  serve_jobs_t **out, char *err, size_t errlen);

/* Stop the thread after the job it runs (if any) ends; NULL is a no-op. */
void serve_jobs_stop(serve_jobs_t *sj);

#endif
