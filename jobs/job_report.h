/* SPDX-License-Identifier: MIT */
/*
 * job_report.h - the progress report job (job_report in jobs/jobs.h) with the
 * choices 'canbao report' makes: the output folder and where the files went.
 *
 * A run on a day makes that day's report once: it computes the figures (per
 * township and village, jobs/report_data.h), renders the daily_report template for
 * the leaders' group, queues it in the outbox (route cfg->report_route,
 * recipient cfg->report_to, class notice, key "report:YYYY-MM-DD"), writes
 * OUT/reports/report-YYYY-MM-DD.md and .csv, and saves the snapshot the next
 * report compares against, all in one transaction. A later run on the same day
 * finds the snapshot and changes nothing (no outbox row, no snapshot, no file).
 */
#ifndef CB_JOBS_JOB_REPORT_H
#define CB_JOBS_JOB_REPORT_H

#include "jobs/jobs.h"
#include "core/compiler.h"

typedef struct job_report_out {
    char md[4200];  /* the markdown file of the day's report */
    char csv[4200]; /* its CSV */
    int fresh;      /* 1: this run made them; 0: the day's report existed already */
} job_report_out_t;

/* job_report with the files under 'out_dir' (NULL: env->cfg->out_dir); 'out'
 * (may be NULL) gets the paths. CB_OK, or a negative CB_E* with res->summary
 * saying why (nothing is left behind). */
CB_NODISCARD int job_report_run(const job_env_t *env, const char *out_dir, job_report_out_t *out,
                                job_result_t *res);

#endif
