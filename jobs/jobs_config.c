/* SPDX-License-Identifier: MIT */
/* jobs_config.c - the "jobs" section (job times, report calendar, routes, files), the
 * routes and their templates. */
#include "jobs/jobs_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels/channel.h"
#include "core/date.h"
#include "core/err.h"
#include "core/jsoncfg.h"
#include "core/mem.h"
#include "core/smsseg.h"

/* "HH:MM" into minutes after midnight; -1 when malformed. */
static int hhmm(const char *s)
{
    int v;
    return date_parse_hhmm(s, strlen(s), 23, &v) == CB_OK ? v : -1;
}

/* "MM-DD" into month * 100 + day; -1 when malformed. */
static int mmdd(const char *s)
{
    int v;
    return date_parse_mmdd(s, strlen(s), &v) == CB_OK ? v : -1;
}

static int str_field(const cJSON *o, const char *key, const char *def, char **out, char *err,
                     size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (v != NULL && (!cJSON_IsString(v) || v->valuestring[0] == '\0')) {
        snprintf(err, errlen, "jobs.%s: must be a non-empty string", key);
        return CB_ECONFIG;
    }
    *out = xstrdup(v != NULL ? v->valuestring : def);
    return CB_OK;
}

/* A string field parsed by 'conv' into *out (left at its default when absent). */
static int conv_field(const cJSON *o, const char *key, int (*conv)(const char *), const char *shape,
                      int *out, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    int x;
    if (v == NULL)
        return CB_OK;
    if (!cJSON_IsString(v) || (x = conv(v->valuestring)) < 0) {
        snprintf(err, errlen, "jobs.%s: must be \"%s\"", key, shape);
        return CB_ECONFIG;
    }
    *out = x;
    return CB_OK;
}

int jobs_config_parse(jobs_config_t *j, const cJSON *o, const char *db, char *err, size_t errlen)
{
    static const char *const known[] = {"remind_at", "todo_at", "report_at", "report_weekday",
                                        "report_weekly_from", "report_daily_from", "todo_route",
                                        "report_route", "report_to", "out_dir", "todo_max", NULL};
    const char *bad;
    char def_dir[4200];
    int rc = CB_OK;

    memset(j, 0, sizeof *j);
    j->remind_at = 9 * 60 + 30;
    j->todo_at = 7 * 60 + 30;
    j->report_at = 17 * 60 + 30;
    j->report_weekday = 1;
    j->report_weekly_from = 1001;
    j->report_daily_from = 1201;
    j->todo_max = 30;
    if (o != NULL && !cJSON_IsObject(o)) {
        snprintf(err, errlen, "jobs: must be an object");
        return CB_ECONFIG;
    }
    if ((bad = jsoncfg_unknown(o, known)) != NULL) {
        snprintf(err, errlen, "jobs.%s: unknown option", bad);
        return CB_ECONFIG;
    }
    snprintf(def_dir, sizeof def_dir, "%s.out", db != NULL ? db : "canbao.db");
    if (rc >= 0) rc = conv_field(o, "remind_at", hhmm, "HH:MM", &j->remind_at, err, errlen);
    if (rc >= 0) rc = conv_field(o, "todo_at", hhmm, "HH:MM", &j->todo_at, err, errlen);
    if (rc >= 0) rc = conv_field(o, "report_at", hhmm, "HH:MM", &j->report_at, err, errlen);
    if (rc >= 0)
        rc = conv_field(o, "report_weekly_from", mmdd, "MM-DD", &j->report_weekly_from, err,
                        errlen);
    if (rc >= 0)
        rc = conv_field(o, "report_daily_from", mmdd, "MM-DD", &j->report_daily_from, err, errlen);
    if (rc >= 0)
        rc = jsoncfg_int(o, "jobs", "report_weekday", 1, 7, &j->report_weekday, err, errlen);
    if (rc >= 0)
        rc = jsoncfg_int(o, "jobs", "todo_max", 1, 10000, &j->todo_max, err, errlen);
    if (rc >= 0) rc = str_field(o, "todo_route", "sms", &j->todo_route, err, errlen);
    if (rc >= 0) rc = str_field(o, "report_route", "robot", &j->report_route, err, errlen);
    if (rc >= 0) rc = str_field(o, "report_to", "leaders", &j->report_to, err, errlen);
    if (rc >= 0) rc = str_field(o, "out_dir", def_dir, &j->out_dir, err, errlen);
    return rc;
}

void jobs_config_free(jobs_config_t *j)
{
    free(j->todo_route);
    free(j->report_route);
    free(j->report_to);
    free(j->out_dir);
    memset(j, 0, sizeof *j);
}

const dispatch_route_t *jobs_route(const jobs_config_t *j, const char *name)
{
    return dispatch_route_find(j->routes, j->nroutes, name);
}

int jobs_route_templates(const jobs_config_t *j, const dispatch_route_t *route, tplset_t **out,
                         int *extra_chars, char *err, size_t errlen)
{
    char *extra = channel_render(route->chans[0], "", NULL);
    tplset_opts_t o = {.max_segments = j->max_segments};
    sms_count_t sc;

    if (sms_count(extra, strlen(extra), &sc) == CB_OK)
        o.sms_extra_chars = (int)sc.chars;
    free(extra);
    if (extra_chars != NULL)
        *extra_chars = o.sms_extra_chars;
    return tplset_load(j->templates_dir, &o, out, err, errlen);
}

/* Every canbao variable channel 'ch' maps for template 'name' is one its messages have. */
static int check_vars(const channel_t *ch, const char *name, const char *const *vars, size_t n,
                      char *err, size_t errlen)
{
    tpl_ctx_t *ctx = NULL;
    int rc = tplset_sample(name, 0, &ctx);

    for (size_t i = 0; rc == CB_OK && i < n; i++) {
        if (tpl_ctx_get(ctx, vars[i]) == NULL) {
            snprintf(err, errlen, "channel '%s': templates.%s maps canbao variable '%s', "
                                  "which canbao template %s does not have",
                     channel_name(ch), name, vars[i], name);
            rc = CB_ECONFIG;
        }
    }
    tpl_ctx_destroy(ctx);
    return rc == CB_ENOTFOUND ? CB_OK : rc;
}

int jobs_check_template_maps(channel_t *const *chans, size_t n, char *err, size_t errlen)
{
    for (size_t c = 0; c < n; c++) {
        const char *name;

        for (size_t i = 0; (name = tplset_name(i)) != NULL; i++) {
            const char *const *vars;
            size_t nv;
            int rc;

            if (tplset_is_sms(name) != 1)
                continue;
            rc = channel_template_vars(chans[c], name, &vars, &nv);
            if (rc == CB_EINVAL)
                break; /* the channel sends text */
            if (rc == CB_ENOTFOUND) {
                snprintf(err, errlen, "channel '%s': canbao template %s has no provider "
                                      "template (add templates.%s)",
                         channel_name(chans[c]), name, name);
                return CB_ECONFIG;
            }
            rc = check_vars(chans[c], name, vars, nv, err, errlen);
            if (rc < 0)
                return rc;
        }
    }
    return CB_OK;
}
