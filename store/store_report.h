/* SPDX-License-Identifier: MIT */
/*
 * store_report.h - snapshots of progress reports (jobs/job_report.c): one report
 * row per campaign and day, with the figures of every area it covered, so the next
 * report can say what changed. Threading: as store.h.
 */
#ifndef CB_STORE_STORE_REPORT_H
#define CB_STORE_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* The figures of one area in a report. target is -1 when the area had none. */
typedef struct store_report_area {
    int64_t area_id;
    int64_t registered, target, paid, covered, unpaid;
    int rank;
} store_report_area_t;

/* The report of 'campaign' made on 'day' ("YYYY-MM-DD"): 1 and *id, or 0 when none. */
CB_NODISCARD int store_report_on(store_t *st, int64_t campaign, const char *day, int64_t *id);

/* The latest report of 'campaign' made before 'day': 1 with *id and its day in
 * 'prev_day', or 0 when there is none. */
CB_NODISCARD int store_report_before(store_t *st, int64_t campaign, const char *day, int64_t *id,
                                     char prev_day[11]);

/* The area rows of report 'id' in area order; *out is the caller's to free() (NULL,
 * 0 when it has none). */
CB_NODISCARD int store_report_areas(store_t *st, int64_t id, store_report_area_t **out,
                                    size_t *n);

/* Save a report of 'campaign' made on 'day' at 'at' with its 'n' area rows; *id
 * gets the new report's id. Run it inside the caller's transaction so that the
 * snapshot and what the report queued commit together. */
CB_NODISCARD int store_report_save(store_t *st, int64_t campaign, const char *day, int64_t at,
                                   const store_report_area_t *rows, size_t n, int64_t *id);

#endif
