/* SPDX-License-Identifier: MIT */
/*
 * store_jobs.h - the record of scheduled job runs (table job_run): one row per job
 * and due slot, so a slot runs once however often the daemon restarts.
 * Threading: as store.h.
 */
#ifndef CB_STORE_STORE_JOBS_H
#define CB_STORE_STORE_JOBS_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* The slot of job 'job''s latest run into *due_at (0 when it never ran). */
CB_NODISCARD int store_job_last(store_t *st, const char *job, int64_t *due_at);

/* Record that 'job' starts for slot 'due_at': 1 and *id, or 0 when that slot has
 * a run already (nothing written). Commits on its own (autocommit). */
CB_NODISCARD int store_job_start(store_t *st, const char *job, int64_t due_at, int64_t started,
                                 int64_t *id);

/* Record the end of run 'id': what it queued, its summary, its error (NULL: none). */
CB_NODISCARD int store_job_finish(store_t *st, int64_t id, int64_t ended, uint64_t queued,
                                  const char *summary, const char *error);

typedef struct store_job_row {
    int64_t id, due_at, started_at, ended_at; /* ended_at 0 while running (or crashed) */
    uint64_t queued;
    const char *job, *summary, *error; /* borrowed for the callback; "" when NULL */
} store_job_row_t;

/* The newest 'limit' runs, newest first. fn returns 0 to go on. */
CB_NODISCARD int store_job_list(store_t *st, int limit,
                                int (*fn)(void *ud, const store_job_row_t *r), void *ud);

#endif
