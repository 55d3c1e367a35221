/* SPDX-License-Identifier: MIT */
/* job_report.c - the progress report job: figures, markdown to the leaders' group,
 * CSV, snapshot; once a day. */
#include "jobs/job_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/report_load.h"
#include "jobs/report_data.h"
#include "jobs/report_md.h"
#include "core/err.h"
#include "core/log.h"
#include "core/safetext.h"
#include "core/status.h"
#include "store/store_outbox.h"
#include "store/store_paydate.h"
#include "store/store_report.h"
#include "templates/tplset.h"

/* Create 'dir' and its missing parents (mode 0750). */
static int mkdir_p(const char *dir)
{
    char p[4200];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof p)
        return CB_EINVAL;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        p[i] = '\0';
        if (mkdir(p, 0750) != 0 && errno != EEXIST)
            return CB_EIO;
        p[i] = i == n ? '\0' : '/';
    }
    return CB_OK;
}

/* Weekly reports run from report_weekly_from until report_daily_from (month * 100
 * + day), daily ones the rest of the year (December into the extension). */
static int weekly(const jobs_config_t *j, cb_date_t today)
{
    int y, m, d, md;

    date_to_ymd(today, &y, &m, &d);
    md = m * 100 + d;
    if (j->report_weekly_from <= j->report_daily_from)
        return md >= j->report_weekly_from && md < j->report_daily_from;
    return md >= j->report_weekly_from || md < j->report_daily_from;
}

typedef struct run {
    const job_env_t *env;
    job_result_t *res;
    job_report_out_t *out;
    char day[11];
    char md_tmp[4210], csv_tmp[4210];
    progress_t *prog;
    report_data_t data;
    store_report_area_t *prev;
    size_t nprev;
    char *text;
} run_t;

static int fail(run_t *r, int rc, const char *what, const char *detail)
{
    snprintf(r->res->summary, sizeof r->res->summary, "report %s: %.200s: %.250s", r->day, what,
             detail != NULL ? detail : cb_strerror(rc));
    return rc;
}

/* The figures against the latest earlier report, and the message text. */
static int compute(run_t *r, const tplset_t *set)
{
    const job_env_t *env = r->env;
    char prev_day[11] = "";
    int64_t prev_id = 0;
    tpl_ctx_t *ctx;
    int rc = report_load_progress(env->st, env->campaign, r->prog);

    if (rc >= 0)
        rc = store_report_before(env->st, env->campaign, r->day, &prev_id, prev_day);
    if (rc == 1)
        rc = store_report_areas(env->st, prev_id, &r->prev, &r->nprev);
    if (rc < 0)
        return fail(r, rc, "reading the store", store_errmsg(env->st));
    report_data_build(r->prog, env->pol, env->today, r->prev, r->nprev,
                      prev_id != 0 ? prev_day : NULL, &r->data);
    if (store_late_count(env->st, env->campaign, &r->data.late) < 0)
        return fail(r, CB_EIO, "reading the store", store_errmsg(env->st));
    ctx = report_md_ctx(&r->data, env->pol, weekly(env->cfg, env->today));
    r->text = tpl_render(tplset_get(set, "daily_report"), ctx);
    tpl_ctx_destroy(ctx);
    return CB_OK;
}

/* Write the markdown and the CSV beside their final names; renamed after commit. */
static int write_files(run_t *r)
{
    FILE *fp;
    int rc;

    fp = fopen(r->md_tmp, "w");
    if (fp == NULL)
        return fail(r, CB_EIO, r->md_tmp, strerror(errno));
    safetext_fputs_lines(r->text, fp); /* area names: no control characters in the file */
    fputc('\n', fp);
    rc = ferror(fp) ? CB_EIO : CB_OK;
    if (fclose(fp) != 0 || rc < 0)
        return fail(r, CB_EIO, r->md_tmp, "write failed");
    fp = fopen(r->csv_tmp, "w");
    if (fp == NULL)
        return fail(r, CB_EIO, r->csv_tmp, strerror(errno));
    rc = report_data_csv(&r->data, fp);
    if (fclose(fp) != 0 || rc < 0)
        return fail(r, CB_EIO, r->csv_tmp, "write failed");
    return CB_OK;
}

/* Queue the message and save the snapshot (inside the open transaction). */
static int record(run_t *r, int *queued)
{
    const job_env_t *env = r->env;
    const jobs_config_t *j = env->cfg;
    char key[32];
    store_report_area_t *rows;
    size_t n;
    int64_t id;
    int rc;

    snprintf(key, sizeof key, "report:%s", r->day);
    outbox_new_t m = {.key = key, .campaign_id = env->campaign, .route = j->report_route,
                      .klass = OB_NOTICE, .recipient = j->report_to,
                      .template_name = "daily_report", .text = r->text,
                      .not_before = env->now};
    rc = store_outbox_enqueue(env->st, &m, env->now);
    if (rc < 0)
        return fail(r, rc, "queueing", store_errmsg(env->st));
    *queued = rc;
    report_data_snapshot(&r->data, &rows, &n);
    rc = store_report_save(env->st, env->campaign, r->day, env->now, rows, n, &id);
    free(rows);
    return rc < 0 ? fail(r, rc, "saving the snapshot", store_errmsg(env->st)) : CB_OK;
}

static int make(run_t *r, const char *dir)
{
    const job_env_t *env = r->env;
    const dispatch_route_t *route = jobs_route(env->cfg, env->cfg->report_route);
    tplset_t *set = NULL;
    char err[512];
    int64_t id;
    int rc, queued = 0;

    if (route == NULL || route->nchans == 0)
        return fail(r, CB_ECONFIG, "jobs.report_route", "no such route or it has no channel");
    rc = jobs_route_templates(env->cfg, route, &set, NULL, err, sizeof err);
    if (rc < 0)
        return fail(r, rc, "templates", err);
    rc = store_begin(env->st);
    if (rc >= 0)
        rc = store_report_on(env->st, env->campaign, r->day, &id);
    if (rc == 1) {
        store_rollback(env->st);
        tplset_destroy(set);
        snprintf(r->res->summary, sizeof r->res->summary,
                 "report %s: made before, nothing new", r->day);
        return CB_OK;
    }
    if (rc < 0) {
        store_rollback(env->st);
        tplset_destroy(set);
        return fail(r, rc, "reading the store", store_errmsg(env->st));
    }
    rc = mkdir_p(dir) < 0 ? fail(r, CB_EIO, dir, strerror(errno)) : CB_OK;
    if (rc >= 0)
        rc = compute(r, set);
    tplset_destroy(set);
    if (rc >= 0)
        rc = write_files(r);
    if (rc >= 0)
        rc = record(r, &queued);
    if (rc >= 0 && (rc = store_commit(env->st)) < 0)
        fail(r, rc, "commit", store_errmsg(env->st));
    if (rc < 0) {
        store_rollback(env->st);
        unlink(r->md_tmp);
        unlink(r->csv_tmp);
        return rc;
    }
    if (rename(r->md_tmp, r->out->md) != 0 || rename(r->csv_tmp, r->out->csv) != 0)
        return fail(r, CB_EIO, r->out->md, strerror(errno));
    r->out->fresh = 1;
    r->res->queued += (uint64_t)queued;
    snprintf(r->res->summary, sizeof r->res->summary,
             "report %s: %lld of %lld paid, %zu areas, %s%s; queued %d to %.64s on route %.64s",
             r->day, (long long)r->data.total.row.by_status[PS_PAID],
             (long long)r->data.total.row.target, r->data.n,
             r->data.prev_day[0] ? "compared with " : "the first report",
             r->data.prev_day, queued, env->cfg->report_to, env->cfg->report_route);
    return CB_OK;
}

int job_report_run(const job_env_t *env, const char *out_dir, job_report_out_t *out,
                   job_result_t *res)
{
    job_report_out_t own;
    run_t r = {.env = env, .res = res, .out = out != NULL ? out : &own};
    char dir[4200];
    int rc;

    memset(r.out, 0, sizeof *r.out);
    date_format(env->today, r.day);
    if (snprintf(dir, sizeof dir, "%s/reports",
                 out_dir != NULL ? out_dir : env->cfg->out_dir) >= (int)sizeof dir - 32) {
        snprintf(res->summary, sizeof res->summary,
                 "report %s: the output folder's name is too long", r.day);
        return CB_ETOOBIG;
    }
    if (snprintf(r.out->md, sizeof r.out->md, "%s/report-%s.md", dir, r.day) < 0 ||
        snprintf(r.out->csv, sizeof r.out->csv, "%s/report-%s.csv", dir, r.day) < 0 ||
        snprintf(r.md_tmp, sizeof r.md_tmp, "%s.tmp", r.out->md) < 0 ||
        snprintf(r.csv_tmp, sizeof r.csv_tmp, "%s.tmp", r.out->csv) < 0)
        return CB_EINVAL;
    r.prog = progress_create();
    rc = make(&r, dir);
    if (rc < 0)
        log_error("report", "%s", res->summary);
    else
        log_info("report", "%s", res->summary);
    free(r.text);
    free(r.prev);
    report_data_free(&r.data);
    progress_destroy(r.prog);
    return rc;
}

int job_report(const job_env_t *env, job_result_t *res)
{
    return job_report_run(env, NULL, NULL, res);
}
