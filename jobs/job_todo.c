/* SPDX-License-Identifier: MIT */
/*
 * job_todo.c - the daily job: for every grid worker, the ranked to-do list
 * (jobs/todo.h) as files under cfg->out_dir/todo/YYYY-MM-DD/<code>.{csv,html}
 * (mode 0600: they hold phone numbers), the list's positions remembered for the
 * worker's replies (store_todo_item_put), and the first TODO_SHORT households as
 * the worker_todo message, queued to the worker's phone on the worker's route
 * (else jobs.todo_route) with the key "todo:<code>:<day>": a second run the same
 * day rewrites the files and queues nothing. On a route led by a wecom_app or
 * dingtalk_work channel the message goes to the worker's userid in that app instead
 * of the phone. A worker without that address gets the files only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs/jobs.h"
#include "jobs/todo_sheet.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mask.h"
#include "store/store_outbox.h"
#include "store/store_worker.h"

#define TODO_SHORT 5 /* households in the message; the files have jobs.todo_max */

typedef struct run {
    const job_env_t *env;
    const tplset_t *set;
    char dir[4200];
    uint64_t workers, listed, queued, existed, no_phone, files;
    int rc;
} run_t;

/* mkdir -p 'path' with mode 0700 for what it creates. */
static int mkdirs(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        int bad = mkdir(path, 0700) != 0 && errno != EEXIST;
        *p = c;
        if (bad)
            return CB_EIO;
        if (c == '\0')
            return CB_OK;
    }
}

/* A worker's code as a file name: letters, digits, '-', '_' and UTF-8 kept. */
static void file_name(const char *code, char *out, size_t n)
{
    size_t i = 0;

    for (; *code && i + 1 < n; code++) {
        unsigned char c = (unsigned char)*code;
        int ok = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                 (c >= 'a' && c <= 'z') || c == '-' || c == '_';
        out[i++] = ok ? (char)c : '_';
    }
    out[i] = '\0';
}

/* Write DIR/NAME.EXT through a temporary file, mode 0600. */
static int write_one(const char *dir, const char *name, const char *ext, const todo_sheet_t *s,
                     int (*writer)(const todo_sheet_t *s, FILE *fp))
{
    char path[4400], tmp[4410];
    FILE *fp;
    int fd, rc;

    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
        if (fd >= 0)
            close(fd);
        return CB_EIO;
    }
    rc = writer(s, fp);
    if (fclose(fp) != 0)
        rc = CB_EIO;
    if (rc >= 0 && rename(tmp, path) != 0)
        rc = CB_EIO;
    if (rc < 0)
        unlink(tmp);
    return rc;
}

/* The most parts the message may take on 'route': its strictest SMS channel's limit
 * (the channel's max_parts, else jobs.max_segments); 0 when no channel is SMS. And
 * whether every channel is a group robot (markdown). */
static int route_limit(const jobs_config_t *cfg, const dispatch_route_t *route, int *robots)
{
    int limit = 0;

    *robots = route != NULL && route->nchans > 0;
    for (size_t i = 0; route != NULL && i < route->nchans; i++) {
        ch_kind_t kind = channel_kind(route->chans[i]);
        int max = channel_max_parts(route->chans[i]);

        *robots &= kind == CH_KIND_ROBOT;
        if (kind != CH_KIND_SMS)
            continue;
        if (max <= 0)
            max = cfg->max_segments > 0 ? cfg->max_segments : 1;
        if (limit == 0 || max < limit)
            limit = max;
    }
    return limit;
}

/* The parts 'text' costs on the route's costliest SMS channel (channel_render). */
static int text_parts(const dispatch_route_t *route, const char *text)
{
    int most = 0;

    for (size_t i = 0; i < route->nchans; i++) {
        int parts = 0;
        free(channel_render(route->chans[i], text, &parts));
        if (parts > most)
            most = parts;
    }
    return most;
}

/* The worker_todo message for 's' on route 'name': markdown on robot routes; on SMS
 * the list is cut (one household at a time, the count of the rest stays) until the
 * text fits the route's part limit. */
static char *todo_text(run_t *r, const todo_sheet_t *s, const char *name)
{
    const job_env_t *env = r->env;
    const dispatch_route_t *route = jobs_route(env->cfg, name);
    int robots, limit = route_limit(env->cfg, route, &robots);
    unsigned how = (robots ? TODO_MSG_MARKDOWN : 0) | (limit > 0 ? TODO_MSG_BRIEF : 0);

    for (size_t listed = TODO_SHORT;; listed--) {
        tpl_ctx_t *ctx = todo_sheet_ctx(s, env->pol, env->today, listed, how);
        char *text = tpl_render(tplset_get(r->set, "worker_todo"), ctx);

        tpl_ctx_destroy(ctx);
        if (limit == 0 || text_parts(route, text) <= limit)
            return text;
        if (listed == 0) {
            log_warn("todo", "worker_todo needs more than %d SMS parts on route %s even "
                             "without households", limit, name);
            return text;
        }
        free(text);
    }
}

/* Where the worker's message goes on 'route': the worker's userid in the app whose
 * channel leads the route (wecom_app, dingtalk_work), else the phone. */
static const char *recipient_of(const job_env_t *env, const store_worker_t *w,
                                const char *route)
{
    const dispatch_route_t *r = jobs_route(env->cfg, route);
    const char *type = r != NULL && r->nchans > 0 ? channel_type(r->chans[0]) : "";

    if (strcmp(type, "wecom_app") == 0)
        return w->wecom_userid;
    if (strcmp(type, "dingtalk_work") == 0)
        return w->dingtalk_userid;
    return w->phone;
}

static int queue(run_t *r, const store_worker_t *w, const todo_sheet_t *s)
{
    const job_env_t *env = r->env;
    const char *route = w->route[0] ? w->route : env->cfg->todo_route;
    const char *to = recipient_of(env, w, route);
    char *text, key[160];
    int rc;

    if (to[0] == '\0') {
        r->no_phone++;
        return CB_OK;
    }
    text = todo_text(r, s, route);
    snprintf(key, sizeof key, "todo:%s:%s", w->code, s->day);
    outbox_new_t m = {.key = key, .campaign_id = env->campaign, .route = route,
                      .klass = OB_NOTICE, .recipient = to, .template_name = "worker_todo",
                      .text = text};
    rc = store_outbox_enqueue(env->st, &m, env->now);
    free(text);
    if (rc >= 0) {
        r->queued += rc == 1;
        r->existed += rc == 0;
    }
    return rc < 0 ? rc : CB_OK;
}

static int one_worker(void *ud, const store_worker_t *w)
{
    run_t *r = ud;
    const job_env_t *env = r->env;
    todo_sheet_t s;
    char name[256], phone[24];
    int rc;

    rc = todo_sheet_build(env->st, env->pol, env->campaign, w, env->today, env->now,
                          (size_t)env->cfg->todo_max, &s);
    for (size_t i = 0; rc >= 0 && i < s.n; i++)
        rc = store_todo_item_put(env->st, w->id, s.day, s.rows[i].pos,
                                 s.rows[i].e->household_id);
    if (rc >= 0)
        rc = queue(r, w, &s);
    file_name(w->code, name, sizeof name);
    if (rc >= 0) {
        rc = write_one(r->dir, name, "csv", &s, todo_write_csv);
        if (rc >= 0)
            rc = write_one(r->dir, name, "html", &s, todo_write_html);
        if (rc < 0)
            log_warn("todo", "worker %s: cannot write %s/%s.*", w->code, r->dir, name);
        r->files += rc >= 0;
    }
    if (rc >= 0) {
        r->workers++;
        r->listed += s.n;
        mask_phone(w->phone, phone, sizeof phone);
        log_info("todo", "worker %s phone=%s households=%zu listed=%zu", w->code, phone,
                 s.households, s.n);
        if (!env->quiet)
            printf("  %s %s: %zu households, %d unpaid, %zu listed\n", w->code, w->name,
                   s.households, s.unpaid, s.n);
    }
    todo_sheet_free(&s);
    r->rc = rc;
    return rc < 0 ? 1 : 0;
}

int job_todo(const job_env_t *env, job_result_t *res)
{
    return todo_job_run(env, NULL, res);
}

/* The one worker 'code' through one_worker; CB_ENOTFOUND when unknown. */
static int only(run_t *r, const char *code)
{
    store_worker_t w;
    int rc = store_worker_get(r->env->st, code, &w);

    if (rc < 0)
        return rc;
    rc = one_worker(r, &w);
    store_worker_free(&w);
    return rc;
}

int todo_job_run(const job_env_t *env, const char *worker, job_result_t *res)
{
    const dispatch_route_t *route = jobs_route(env->cfg, env->cfg->todo_route);
    tplset_t *set = NULL;
    run_t r = {.env = env};
    char day[11], err[512];
    int rc;

    memset(res, 0, sizeof *res);
    date_format(env->today, day);
    if (route == NULL || route->nchans == 0) {
        snprintf(res->summary, sizeof res->summary, "todo: no route or channel '%s'",
                 env->cfg->todo_route);
        return CB_ECONFIG;
    }
    rc = jobs_route_templates(env->cfg, route, &set, NULL, err, sizeof err);
    if (rc < 0) {
        snprintf(res->summary, sizeof res->summary, "todo: templates: %.400s", err);
        return rc;
    }
    r.set = set;
    snprintf(r.dir, sizeof r.dir, "%s/todo/%s", env->cfg->out_dir, day);
    if (mkdirs(r.dir) < 0) {
        snprintf(res->summary, sizeof res->summary, "todo: cannot create %.300s: %s", r.dir,
                 strerror(errno));
        tplset_destroy(set);
        return CB_EIO;
    }
    rc = store_begin(env->st);
    if (rc >= 0) {
        rc = worker ? only(&r, worker) : store_workers_each(env->st, one_worker, &r);
        if (rc == 1)
            rc = r.rc;
    }
    if (rc >= 0)
        rc = store_commit(env->st);
    if (rc < 0) {
        store_rollback(env->st);
        snprintf(res->summary, sizeof res->summary, "todo %s: failed: %s: %s", day,
                 cb_strerror(rc), store_errmsg(env->st));
    } else {
        res->queued = r.queued;
        snprintf(res->summary, sizeof res->summary,
                 "todo %s: %llu workers, %llu households listed, %llu lists queued "
                 "(%llu before), %llu workers without a phone or userid; files in %.250s",
                 day, (unsigned long long)r.workers, (unsigned long long)r.listed,
                 (unsigned long long)r.queued, (unsigned long long)r.existed,
                 (unsigned long long)r.no_phone, r.dir);
    }
    tplset_destroy(set);
    return rc < 0 ? rc : CB_OK;
}
