/* SPDX-License-Identifier: MIT */
/*
 * report_md.h - the variables of the daily_report template (the progress report
 * to the leaders' group robot, markdown) from a report's figures. The template's
 * variables are listed in templates/tplset.h; the lists are kept short for a phone:
 * the top and bottom villages, the villages behind pace and the villages whose
 * special groups are not all covered (at most REPORT_MD_LISTED each, the rest
 * counted). One thread.
 */
#ifndef CB_JOBS_REPORT_MD_H
#define CB_JOBS_REPORT_MD_H

#include "jobs/report_data.h"
#include "core/policy.h"
#include "templates/tpl.h"

#define REPORT_MD_TOP 3     /* villages in the top and in the bottom list */
#define REPORT_MD_LISTED 10 /* villages listed behind pace, or with special groups to go */

/* A new context with the campaign variables and the report's; 'weekly' titles it a
 * weekly report (周报) rather than a daily one (日报). The caller destroys it with
 * tpl_ctx_destroy. */
tpl_ctx_t *report_md_ctx(const report_data_t *d, const policy_t *pol, int weekly);

#endif
