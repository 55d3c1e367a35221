/* SPDX-License-Identifier: MIT */
/*
 * report_data.h - the figures of one progress report (jobs/job_report.c): per
 * township and village the progress row as 'canbao status' shows it
 * (core/progress.h), its change since the previous report's snapshot, its next
 * milestone and whether it is on pace (core/onpace.h); and the CSV of them.
 *
 * A report_data_t borrows the area names of the progress_t it was built from:
 * destroy the data first. One thread.
 */
#ifndef CB_JOBS_REPORT_DATA_H
#define CB_JOBS_REPORT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/compiler.h"
#include "core/onpace.h"
#include "core/policy.h"
#include "core/progress.h"
#include "store/store_report.h"

typedef struct report_line {
    progress_row_t row;          /* as progress_rows gives it; rank among its siblings */
    int has_prev;                /* the previous report had this area */
    int64_t prev_paid;
    double prev_progress;        /* -1 without a previous figure or target */
    int64_t paid_delta;          /* paid now - paid then (0 without a previous report) */
    double points_delta;         /* progress change in percentage points (0 when unknown) */
    const char *milestone_state; /* of the pace's next milestone: "met", "due", "missed",
                                  * "no target" (progress_milestone_state) */
    int64_t milestone_needed;    /* paid count that milestone asks for, -1 without a target */
    int64_t pace_needed;         /* paid count expected today (onpace_needed), -1 likewise */
    int behind;                  /* below the pace (onpace_behind) */
    int prev_rank;               /* its rank in the previous report, 0 without one */
    int last_twice;              /* a township ranked last in this and the previous report */
} report_line_t;

typedef struct report_data {
    cb_date_t today;
    char prev_day[11];    /* the previous report's day, "" when this is the first */
    onpace_t pace;
    report_line_t total;  /* the county (or town) as a whole */
    report_line_t *lines; /* each township followed by its villages, in area order */
    size_t n;
    int64_t late;         /* paid persons who enrolled late (store_late_count) */
    int by_town;          /* the task table sets targets on townships only (平利, 华容) */
} report_data_t;

/* Build the report of 'p' (loaded with report_load_progress) on 'today' against the
 * previous report's 'nprev' rows 'prev' of day 'prev_day' (NULL, 0, NULL for the
 * first report). Free with report_data_free. */
void report_data_build(progress_t *p, const policy_t *pol, cb_date_t today,
                       const store_report_area_t *prev, size_t nprev, const char *prev_day,
                       report_data_t *out);
void report_data_free(report_data_t *d);

/* The snapshot to save (one row per township and village): *rows is the caller's to
 * free(). */
void report_data_snapshot(const report_data_t *d, store_report_area_t **rows, size_t *n);

/* Write the CSV (UTF-8, a header row, one row per township and village) to 'fp';
 * CB_EIO when writing fails. */
CB_NODISCARD int report_data_csv(const report_data_t *d, FILE *fp);

#endif
