/* SPDX-License-Identifier: MIT */
/*
 * job_remind.c - the reminder rules of the policy (core/remind.h), run once a day.
 *
 * A calendar rule (window, milestones) that is due today, or was due on a day the
 * job missed since its previous run, queues its reminder once, for its latest
 * occurrence. A personal rule (birth, lapse) reminds the people whose date plus
 * one of the rule's offsets falls in the days since the previous run (at most a
 * week back). Everything goes through jobs/broadcast.h: one message per phone,
 * the person's own amount, the household's members named together. Caps, quiet
 * hours and opt-outs are the dispatcher's and always apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/broadcast.h"
#include "jobs/jobs.h"
#include "core/catset.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/money.h"
#include "core/remind.h"
#include "store/store_outbox.h"
#include "templates/msgctx.h"

#define CATCH_UP_DAYS 7 /* how far back personal rules look after a gap */

typedef struct remind {
    const job_env_t *env;
    job_result_t *res;
    char *err;
    size_t errlen;
} remind_t;

/* own_deadline / window_days / cover_text of a personal rule (msgctx_late_window). */
typedef struct dated_vars {
    const policy_t *pol;
    const char *from; /* "birth" or "lapse" */
} dated_vars_t;

static void dated_vars(void *ud, tpl_ctx_t *ctx, const char *anchor)
{
    const dated_vars_t *v = ud;
    cb_date_t d = 0;

    if (anchor == NULL || date_parse(anchor, strlen(anchor), &d) < 0)
        d = 0;
    msgctx_late_window(ctx, v->pol, v->from, d);
}

typedef struct milestone_vars {
    const policy_t *pol;
    size_t which;
} milestone_vars_t;

static void milestone_vars(void *ud, tpl_ctx_t *ctx, const char *anchor)
{
    const milestone_vars_t *v = ud;
    const policy_milestone_t *ms = policy_milestone(v->pol, v->which);
    const char *label = policy_milestone_label(v->pol, v->which);
    int y, m, d;

    (void)anchor;
    date_to_ymd(ms->date, &y, &m, &d);
    tpl_ctx_setf(ctx, "milestone_date", "%d月%d日", m, d);
    tpl_ctx_setf(ctx, "milestone_percent", "%d", ms->percent);
    tpl_ctx_set(ctx, "milestone", label != NULL ? label : "");
}

/* Walk the rule's people into 'b' and queue; counts go into the result. */
static int run_calendar(remind_t *rm, const policy_reminder_t *r, bcast_t *b, cb_date_t after)
{
    const job_env_t *env = rm->env;
    milestone_vars_t mv = {env->pol, 0};
    cb_date_t day = remind_latest_due(env->pol, r, after, env->today, &mv.which);
    char dbuf[11];
    int rc;

    if (day == 0)
        return CB_OK;
    date_format(day, dbuf);
    b->key_day = dbuf;
    if (r->from == REM_MILESTONE) {
        b->vars = milestone_vars;
        b->vars_ud = &mv;
    }
    rc = store_people_each(env->st, env->campaign, segment_status(b->seg), bcast_person, b);
    if (rc >= 0)
        rc = bcast_flush(b);
    return rc;
}

static int run_personal(remind_t *rm, const policy_reminder_t *r, bcast_t *b, cb_date_t after)
{
    const job_env_t *env = rm->env;
    dated_vars_t dv = {env->pol, r->from == REM_BIRTH ? "birth" : "lapse"};
    char key[160], from[11], to[11], today[11];
    const char *base = b->key;
    int rc = CB_OK;

    if (env->today - after > CATCH_UP_DAYS)
        after = env->today - CATCH_UP_DAYS;
    date_format(env->today, today);
    b->key_day = today;
    b->vars = dated_vars;
    b->vars_ud = &dv;
    for (size_t k = 0; k < r->ndays && rc >= 0; k++) {
        date_format(after + 1 - r->days[k], from);
        date_format(env->today - r->days[k], to);
        snprintf(key, sizeof key, "%s:%d", base, r->days[k]);
        b->key = key;
        rc = store_people_dated(env->st, env->campaign, segment_status(b->seg),
                                r->from == REM_BIRTH ? "birth" : "lapse", from, to, bcast_person,
                                b);
        if (rc >= 0)
            rc = bcast_flush(b);
    }
    b->key = base;
    return rc;
}

/* Counting the unpaid people a department pays for, per category. */
typedef struct dept_count {
    const policy_t *pol;
    uint64_t *unpaid; /* by category index */
} dept_count_t;

static int count_dept(void *ud, const store_person_row_t *p)
{
    dept_count_t *dc = ud;
    policy_owed_t owed;

    if (p->categories[0] == '\0')
        return 0;
    owed = catset_owed(dc->pol, p->categories);
    if (owed.payer == POL_PAYER_DEPARTMENT && owed.category >= 0)
        dc->unpaid[owed.category]++;
    return 0;
}

/* to = "departments": each paying department's contact hears how many of its
 * people are still unpaid (nothing when none are). */
static int run_departments(remind_t *rm, const policy_reminder_t *r,
                           const dispatch_route_t *route, const tplset_t *set, cb_date_t after)
{
    const job_env_t *env = rm->env;
    size_t ncats = policy_ncategories(env->pol);
    cb_date_t day = remind_latest_due(env->pol, r, after, env->today, NULL);
    dept_count_t dc = {env->pol, NULL};
    char key[256], dbuf[11], total[24];
    int rc;

    if (day == 0)
        return CB_OK;
    dc.unpaid = xcalloc(ncats ? ncats : 1, sizeof *dc.unpaid);
    rc = store_people_each(env->st, env->campaign, "unpaid", count_dept, &dc);
    date_format(day, dbuf);
    for (size_t i = 0; rc >= 0 && i < ncats; i++) {
        const policy_category_t *cat = policy_category(env->pol, i);
        tpl_ctx_t *ctx;
        char *text;
        if (dc.unpaid[i] == 0 || cat->contact_phone == NULL)
            continue;
        ctx = tpl_ctx_create();
        msgctx_campaign(ctx, env->pol, env->today);
        tpl_ctx_set(ctx, "contact", cat->contact != NULL ? cat->contact : cat->name);
        tpl_ctx_set(ctx, "category", cat->name);
        tpl_ctx_setf(ctx, "unpaid_count", "%llu", (unsigned long long)dc.unpaid[i]);
        money_format_yuan(policy_fee_fen(env->pol) * (int64_t)dc.unpaid[i], total);
        tpl_ctx_set(ctx, "total_yuan", total);
        text = tpl_render(tplset_get(set, r->tpl), ctx);
        tpl_ctx_destroy(ctx);
        snprintf(key, sizeof key, "remind:%s:%s:%s", r->name, cat->name, dbuf);
        outbox_new_t m = {.key = key, .campaign_id = env->campaign, .route = route->name,
                          .klass = OB_NOTICE, .recipient = cat->contact_phone,
                          .template_name = r->tpl, .text = text};
        rc = store_outbox_enqueue(env->st, &m, env->now);
        if (rc > 0)
            rm->res->queued++;
        free(text);
    }
    free(dc.unpaid);
    return rc < 0 ? rc : CB_OK;
}

static int run_rule(remind_t *rm, const policy_reminder_t *r, size_t i, cb_date_t after)
{
    const job_env_t *env = rm->env;
    const dispatch_route_t *route = jobs_route(env->cfg, r->route);
    tplset_t *set = NULL;
    segment_t *seg = NULL;
    bcast_t b = {0};
    char key[160];
    int rc;

    if (route == NULL || route->nchans == 0) {
        snprintf(rm->err, rm->errlen, "reminders[%zu] (%s): no route '%s' in the config", i,
                 r->name, r->route);
        return CB_ECONFIG;
    }
    rc = jobs_route_templates(env->cfg, route, &set, NULL, rm->err, rm->errlen);
    if (rc >= 0 && tplset_get(set, r->tpl) == NULL) {
        snprintf(rm->err, rm->errlen, "reminders[%zu] (%s): no template '%s'", i, r->name,
                 r->tpl);
        rc = CB_ECONFIG;
    }
    if (rc >= 0 && strcmp(r->to, "departments") == 0) {
        rc = run_departments(rm, r, route, set, after);
        tplset_destroy(set);
        return rc;
    }
    if (rc >= 0) {
        char why[256];
        rc = segment_parse(r->to, env->st, env->pol, env->campaign, &seg, why, sizeof why);
        if (rc < 0)
            snprintf(rm->err, rm->errlen, "reminders[%zu] (%s): to: %s", i, r->name, why);
    }
    if (rc >= 0) {
        snprintf(key, sizeof key, "remind:%s", r->name);
        b = (bcast_t){.st = env->st, .pol = env->pol, .campaign = env->campaign, .route = route,
                      .set = set, .tpl = r->tpl, .key = key, .seg = seg, .today = env->today,
                      .now = env->now};
        rc = remind_is_personal(r) ? run_personal(rm, r, &b, after)
                                   : run_calendar(rm, r, &b, after);
        rm->res->queued += b.queued;
        if (b.queued > 0 || b.existed > 0) {
            size_t len = strlen(rm->res->summary);
            snprintf(rm->res->summary + len, sizeof rm->res->summary - len, "%s%s %llu",
                     len ? ", " : "", r->name, (unsigned long long)b.queued);
        }
    }
    bcast_free(&b);
    segment_destroy(seg);
    tplset_destroy(set);
    return rc;
}

int job_remind(const job_env_t *env, job_result_t *res)
{
    char err[512] = "";
    remind_t rm = {env, res, err, sizeof err};
    /* The days since the previous run; a first run, or a second the same day, looks
     * at today only (keys make a repeat queue nothing). */
    cb_date_t after = env->since > 0 ? clock_day(env->since) : env->today - 1;
    int rc;

    if (after >= env->today)
        after = env->today - 1;

    /* A transaction per rule: the write lock is released between rules (the
     * daemon's payment writer waits for it); keys make a rerun after a failure
     * queue only what is missing. A rule that fails (a template or route the config
     * lacks) does not keep the others from going out: the run reports the first
     * failure after trying them all. */
    int first = CB_OK;
    char failed[512] = "";

    for (size_t i = 0; i < policy_nreminders(env->pol); i++) {
        err[0] = '\0';
        rc = store_begin(env->st);
        if (rc >= 0)
            rc = run_rule(&rm, policy_reminder(env->pol, i), i, after);
        if (rc >= 0)
            rc = store_commit(env->st);
        if (rc < 0) {
            store_rollback(env->st);
            if (err[0] == '\0')
                snprintf(err, sizeof err, "%s: %s", cb_strerror(rc), store_errmsg(env->st));
            if (first == CB_OK) {
                first = rc;
                snprintf(failed, sizeof failed, "%s", err);
            }
        }
    }
    if (first < 0) {
        size_t len = strlen(res->summary);
        snprintf(res->summary + len, sizeof res->summary - len, "%sfailed: %s",
                 len ? "; " : "", failed);
        return first;
    }
    if (res->summary[0] == '\0')
        snprintf(res->summary, sizeof res->summary, "no rule due");
    return CB_OK;
}
