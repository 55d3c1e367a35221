/* SPDX-License-Identifier: MIT */
/*
 * jobs_config.h - what the scheduled jobs need to know, and nothing more: the config
 * file's "jobs" section (when each job runs, where its output goes) and, borrowed from
 * the deployment config, the routes its messages go on and the template folder.
 * Times are minutes after midnight, China time, on the campaign clock.
 */
#ifndef CB_JOBS_JOBS_CONFIG_H
#define CB_JOBS_JOBS_CONFIG_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/compiler.h"
#include "jobs/dispatch.h"
#include "templates/tplset.h"

typedef struct jobs_config {
    int remind_at;          /* reminder rules (default 09:30) */
    int todo_at;            /* grid workers' to-do lists (default 07:30) */
    int report_at;          /* progress reports (default 17:30) */
    int report_weekday;     /* weekly reports on this day, 1 Monday .. 7 Sunday (default 1) */
    int report_weekly_from; /* month * 100 + day: weekly reports from (default 1001) */
    int report_daily_from;  /* month * 100 + day: daily reports from (default 1201) */
    char *todo_route;       /* the route of the workers' short lists (default "sms") */
    char *report_route;     /* the route of reports to the leaders (default "robot") */
    char *report_to;        /* the recipient on report_route (default "leaders") */
    char *out_dir;          /* to-do lists and reports as files (default DB.out beside the db) */
    int todo_max;           /* households on one worker's list (default 30) */
    /* Borrowed from the deployment config, which outlives every job run. */
    const dispatch_route_t *routes;
    size_t nroutes;
    const char *templates_dir; /* NULL: the built-in templates only */
    int max_segments;          /* longest resident SMS, in parts */
} jobs_config_t;

/* Fill 'j' from the section 'o' (NULL: all defaults); 'db' places the default output
 * folder. 'err' names the field on failure. The borrowed fields are left NULL/0 for
 * the caller. Free with jobs_config_free. */
CB_NODISCARD int jobs_config_parse(jobs_config_t *j, const cJSON *o, const char *db, char *err,
                                   size_t errlen);
void jobs_config_free(jobs_config_t *j);

/* The route named 'name', or NULL. */
const dispatch_route_t *jobs_route(const jobs_config_t *j, const char *name);

/* Load the templates (templates_dir over the defaults) for messages on 'route' (with at
 * least one channel): SMS templates must fit max_segments with what the route's first
 * channel adds (signature, opt-out suffix: their characters go to *extra_chars when it
 * is not NULL). tplset_load's results; free *out with tplset_destroy. */
CB_NODISCARD int jobs_route_templates(const jobs_config_t *j, const dispatch_route_t *route,
                                      tplset_t **out, int *extra_chars, char *err,
                                      size_t errlen);

/* The cloud SMS channels among 'chans' send a provider template per canbao template:
 * every SMS template must be mapped, and every canbao variable a mapping names must be
 * one the template's messages carry. CB_ECONFIG naming the channel and both
 * templates; text channels pass. */
CB_NODISCARD int jobs_check_template_maps(channel_t *const *chans, size_t n, char *err,
                                          size_t errlen);

#endif
