/* SPDX-License-Identifier: MIT */
/*
 * sim_chart.h - the progress curves of 'canbao simulate' as an SVG line chart: one
 * line per village (progress in % of its target) over the weeks, the milestones as
 * dashed lines. Plain SVG 1.1 with system fonts; names are XML-escaped.
 */
#ifndef CB_SIM_SIM_CHART_H
#define CB_SIM_SIM_CHART_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/date.h"

typedef struct sim_curves {
    size_t nseries, npoints;
    const char *const *names;   /* nseries */
    const cb_date_t *days;      /* npoints: the x axis */
    const double *values;       /* npoints * nseries, row by point: [i * nseries + s] is
                                 * series s on days[i]; progress 0..1+ */
    const double *marks;        /* nmarks horizontal lines (e.g. 0.8), may be NULL */
    const cb_date_t *mark_days; /* the day of each mark (a vertical line), may be NULL */
    size_t nmarks;
    const char *title;
} sim_curves_t;

/* Write the chart to 'path'; CB_EIO with 'err' on failure. */
CB_NODISCARD int sim_chart_write(const sim_curves_t *c, const char *path, char *err,
                                 size_t errlen);

#endif
