/* SPDX-License-Identifier: MIT */
/*
 * progress.h - rolls per-area person counts up the area tree (township > village >
 * group) and gives each area its figures: registered, target, paid, waived,
 * covered elsewhere, unpaid, progress (paid / target), coverage ((paid + covered
 * elsewhere) / registered), special groups' coverage and rank among its siblings.
 *
 * Pure computation over what the caller adds; a progress_t is used from one thread.
 */
#ifndef CB_CORE_PROGRESS_H
#define CB_CORE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/status.h"

typedef struct progress progress_t;

/* Persons paid on or before 'day' (cumulative), one entry per payment day. */
typedef struct progress_day {
    cb_date_t day; /* 0: paid without a dated payment (counts on every day) */
    int64_t paid;
} progress_day_t;

typedef struct progress_row {
    int64_t area_id;    /* 0 for the county total */
    int64_t parent_id;  /* 0 for a township and the county total */
    int level;          /* 0 county, 1 township, 2 village, 3 group */
    const char *township, *village, *group; /* borrowed; NULL above the row's level */
    int64_t registered; /* on the roster and alive */
    int64_t target;     /* -1 when no target is known for the area */
    int64_t by_status[PS__COUNT];
    int64_t covered;    /* paid + employee_insured + insured_elsewhere */
    int64_t special;    /* alive persons in a subsidy category */
    int64_t special_covered;
    double progress;    /* paid / target, -1 without a target */
    double coverage;    /* covered / registered, -1 when nobody is registered */
    double special_coverage; /* -1 when there is nobody in a special group */
    int rank;           /* by progress (else coverage) among the areas of the same parent, 1 = best */
    /* The paid count by payment day, in day order (borrowed like the row); NULL when
     * no payment days were added, and progress_row_paid_asof falls back on 'paid'. */
    const progress_day_t *paid_days;
    size_t npaid_days;
} progress_row_t;

progress_t *progress_create(void);
void progress_destroy(progress_t *p); /* NULL is a no-op */

/* Areas must be added parents first. 'name' is copied. */
void progress_add_area(progress_t *p, int64_t id, int64_t parent, int level, const char *name);
/* Add 'n' persons of 'status' (special: in a subsidy category) in area 'area_id'. */
void progress_add_count(progress_t *p, int64_t area_id, person_status_t status, int special,
                        int64_t n);
void progress_set_target(progress_t *p, int64_t area_id, int64_t target);
/* 'n' of the paid persons of area 'area_id' first paid on 'day' (0: undated). */
void progress_add_paid_on(progress_t *p, int64_t area_id, cb_date_t day, int64_t n);

/* How many of the row's persons had paid on or before 'day': the milestones judge
 * payments dated on or before them. Without payment days, the current paid count. */
int64_t progress_row_paid_asof(const progress_row_t *r, cb_date_t day);

/*
 * The rows of 'level' (0: the county total alone), in the order the areas were
 * added. A township or village without its own target takes the sum of its
 * children's targets when any child has one. The array is borrowed until the next
 * call or progress_destroy.
 */
const progress_row_t *progress_rows(progress_t *p, int level, size_t *n);

#endif
