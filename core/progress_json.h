/* SPDX-License-Identifier: MIT */
/*
 * progress_json.h - one progress row as JSON, the shape 'status --json', the daemon's
 * 'GET /api/progress' and the MQTT progress topics share, and the milestone states
 * it reports.
 */
#ifndef CB_CORE_PROGRESS_JSON_H
#define CB_CORE_PROGRESS_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/progress.h"

/* State of milestone 'm' for a row: "met", "missed", "due" or "no target";
 * *needed is the paid count the milestone asks for (-1 without a target). A milestone
 * whose day has passed is judged on the payments dated on or before it (a township
 * that missed it stays "missed" after later payments). */
const char *progress_milestone_state(const progress_row_t *r, const policy_milestone_t *m,
                                     cb_date_t today, int64_t *needed);

/* {"township","village","group" (those above the row's level), "registered", "target",
 * one count per status, "covered_elsewhere", "progress", "coverage", "special",
 * "special_covered", "special_coverage", "rank", "milestones":[...]}. The caller
 * frees it with cJSON_Delete. */
cJSON *progress_row_json(const progress_row_t *r, const policy_t *pol, cb_date_t today);

#endif
