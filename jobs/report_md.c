/* SPDX-License-Identifier: MIT */
/* report_md.c - the daily_report template's variables from a report's figures. */
#include "jobs/report_md.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/policy_rules.h"
#include "core/progress_json.h"
#include "core/status.h"
#include "templates/msgctx.h"

static void set_pct(tpl_ctx_t *ctx, const char *name, double v)
{
    if (v >= 0)
        tpl_ctx_setf(ctx, name, "%.1f%%", v * 100.0);
    else
        tpl_ctx_set(ctx, name, "-");
}

static void set_num(tpl_ctx_t *ctx, const char *name, int64_t v)
{
    tpl_ctx_setf(ctx, name, "%lld", (long long)v);
}

static void area_name(const progress_row_t *r, int with_town, char *buf, size_t n)
{
    if (r->village == NULL)
        snprintf(buf, n, "%s", r->township);
    else
        snprintf(buf, n, "%s%s", with_town ? r->township : "", r->village);
}

/* One list item: rank, area, paid, target, progress, change ("" on a first
 * report), gap (people short of today's pace, "" when on pace), special,
 * special_covered. */
static void push_line(tpl_ctx_t *ctx, const char *list, const report_line_t *l, int rank,
                      int with_town)
{
    tpl_ctx_t *it = tpl_ctx_push(ctx, list);
    const progress_row_t *r = &l->row;
    char name[256];

    area_name(r, with_town, name, sizeof name);
    tpl_ctx_set(it, "area", name);
    tpl_ctx_setf(it, "rank", "%d", rank);
    set_num(it, "paid", r->by_status[PS_PAID]);
    if (r->target >= 0)
        set_num(it, "target", r->target);
    else
        tpl_ctx_set(it, "target", "-");
    set_pct(it, "progress", r->progress);
    if (l->has_prev && r->progress >= 0 && l->prev_progress >= 0)
        tpl_ctx_setf(it, "change", "%+lld人，%+.1f个百分点", (long long)l->paid_delta,
                     l->points_delta);
    else if (l->has_prev)
        tpl_ctx_setf(it, "change", "%+lld人", (long long)l->paid_delta);
    else
        tpl_ctx_set(it, "change", "");
    if (l->behind)
        set_num(it, "gap", l->pace_needed - r->by_status[PS_PAID]);
    else
        tpl_ctx_set(it, "gap", "");
    set_num(it, "special", r->special);
    set_num(it, "special_covered", r->special_covered);
}

static double key(const report_line_t *l)
{
    return l->row.progress >= 0 ? l->row.progress : l->row.coverage;
}

/* Villages best first (ties: more paid first, then area order). */
static int by_progress(const void *a, const void *b)
{
    const report_line_t *x = *(const report_line_t *const *)a;
    const report_line_t *y = *(const report_line_t *const *)b;

    if (key(x) != key(y))
        return key(x) > key(y) ? -1 : 1;
    if (x->row.by_status[PS_PAID] != y->row.by_status[PS_PAID])
        return x->row.by_status[PS_PAID] > y->row.by_status[PS_PAID] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* 'list' gets up to REPORT_MD_LISTED of the 'n' villages (worst first) that 'pick'
 * selects; 'count' how many there are ("" for none), 'more' the rest ("" for none). */
static void push_some(tpl_ctx_t *ctx, const report_line_t *const *v, size_t n, int with_town,
                      int (*pick)(const report_line_t *), const char *list, const char *count,
                      const char *more)
{
    size_t k = 0;

    tpl_ctx_set(ctx, list, "");
    for (size_t i = n; i-- > 0;) {
        if (!pick(v[i]))
            continue;
        if (k < REPORT_MD_LISTED)
            push_line(ctx, list, v[i], (int)i + 1, with_town);
        k++;
    }
    if (k > 0)
        tpl_ctx_setf(ctx, count, "%zu", k);
    else
        tpl_ctx_set(ctx, count, "");
    if (k > REPORT_MD_LISTED)
        tpl_ctx_setf(ctx, more, "%zu", k - REPORT_MD_LISTED);
    else
        tpl_ctx_set(ctx, more, "");
}

static int pick_behind(const report_line_t *l)
{
    return l->behind;
}

static int pick_special(const report_line_t *l)
{
    return l->row.special_covered < l->row.special;
}

/* Totals, change, milestone and special groups of the whole area. */
static void totals(tpl_ctx_t *ctx, const report_data_t *d)
{
    const report_line_t *t = &d->total;
    const progress_row_t *r = &t->row;
    cb_date_t prev;
    int m, dd, y;

    set_num(ctx, "paid", r->by_status[PS_PAID]);
    if (r->target >= 0)
        set_num(ctx, "target", r->target);
    else
        tpl_ctx_set(ctx, "target", "-");
    set_num(ctx, "unpaid", r->by_status[PS_UNPAID]);
    if (d->late > 0)
        set_num(ctx, "late_count", d->late);
    else
        tpl_ctx_set(ctx, "late_count", "");
    set_pct(ctx, "progress", r->progress);
    set_pct(ctx, "coverage", r->coverage);
    tpl_ctx_set_bool(ctx, "first", d->prev_day[0] == '\0');
    tpl_ctx_set(ctx, "since", "");
    if (d->prev_day[0] != '\0' && date_parse(d->prev_day, strlen(d->prev_day), &prev) == CB_OK) {
        date_to_ymd(prev, &y, &m, &dd);
        tpl_ctx_setf(ctx, "since", "%d月%d日", m, dd);
    }
    tpl_ctx_setf(ctx, "paid_delta", "%+lld", (long long)t->paid_delta);
    tpl_ctx_setf(ctx, "points_delta", "%+.1f", t->points_delta);
    tpl_ctx_set(ctx, "milestone", "");
    if (r->target > 0) {
        date_to_ymd(d->pace.next.date, &y, &m, &dd);
        if (d->pace.label != NULL)
            tpl_ctx_set(ctx, "milestone", d->pace.label);
        else
            tpl_ctx_setf(ctx, "milestone", "%d月%d日前完成%d%%", m, dd, d->pace.next.percent);
    }
    set_pct(ctx, "pace", d->pace.expected);
    tpl_ctx_set_bool(ctx, "on_pace", !t->behind);
    set_num(ctx, "gap", t->behind ? t->pace_needed - r->by_status[PS_PAID] : 0);
    tpl_ctx_set_bool(ctx, "has_special", r->special > 0);
    set_num(ctx, "special", r->special);
    set_num(ctx, "special_covered", r->special_covered);
    set_pct(ctx, "special_coverage", r->special_coverage);
}

/* Townships ranked last twice in a row, with what the policy says happens to them. */
static void last_twice(tpl_ctx_t *ctx, const report_data_t *d, const policy_t *pol)
{
    const char *action = policy_last_twice(pol);

    tpl_ctx_set(ctx, "last_twice", "");
    for (size_t i = 0; i < d->n; i++) {
        if (d->lines[i].last_twice) {
            tpl_ctx_t *it = tpl_ctx_push(ctx, "last_twice");
            tpl_ctx_set(it, "area", d->lines[i].row.township);
            tpl_ctx_set(it, "action", action != NULL ? action : "");
        }
    }
}

/* The milestones already passed that the whole area missed, named with the paid
 * count they asked for and the count paid by their day. */
static void missed(tpl_ctx_t *ctx, const report_data_t *d, const policy_t *pol)
{
    tpl_ctx_set(ctx, "missed", "");
    for (size_t i = 0; i < policy_nmilestones(pol); i++) {
        const policy_milestone_t *m = policy_milestone(pol, i);
        const char *label = policy_milestone_label(pol, i);
        int64_t needed;
        int y, mo, dd;
        tpl_ctx_t *it;

        if (strcmp(progress_milestone_state(&d->total.row, m, d->today, &needed), "missed") != 0)
            continue;
        it = tpl_ctx_push(ctx, "missed");
        date_to_ymd(m->date, &y, &mo, &dd);
        tpl_ctx_setf(it, "date", "%d月%d日", mo, dd);
        if (label != NULL)
            tpl_ctx_set(it, "label", label);
        else
            tpl_ctx_setf(it, "label", "%d月%d日前完成%d%%", mo, dd, m->percent);
        set_num(it, "needed", needed);
        set_num(it, "paid", progress_row_paid_asof(&d->total.row, m->date));
    }
}

/* The areas the lists rank: villages, or the townships when only they have targets. */
static size_t detail_lines(const report_data_t *d, const report_line_t **v)
{
    size_t nv = 0;
    int level = d->by_town ? 1 : 2;

    for (size_t i = 0; i < d->n; i++)
        if (d->lines[i].row.level == level)
            v[nv++] = &d->lines[i];
    qsort(v, nv, sizeof *v, by_progress);
    return nv;
}

tpl_ctx_t *report_md_ctx(const report_data_t *d, const policy_t *pol, int weekly)
{
    tpl_ctx_t *ctx = tpl_ctx_create();
    const report_line_t **v = xcalloc(d->n + 1, sizeof *v);
    size_t nv = 0, nt = 0, top, bottom;
    int with_town;

    msgctx_campaign(ctx, pol, d->today);
    tpl_ctx_set(ctx, "period", weekly ? "周报" : "日报");
    totals(ctx, d);
    missed(ctx, d, pol);
    last_twice(ctx, d, pol);
    tpl_ctx_set(ctx, "areas", "");
    for (size_t i = 0; i < d->n; i++)
        if (d->lines[i].row.level == 1)
            v[nv++] = &d->lines[i];
    qsort(v, nv, sizeof *v, by_progress);
    for (size_t i = 0; i < nv; i++)
        push_line(ctx, "areas", v[i], v[i]->row.rank, 0);
    nt = nv;
    nv = detail_lines(d, v);
    with_town = nt > 1 && !d->by_town;
    tpl_ctx_set_bool(ctx, "towns", nt > 1);
    tpl_ctx_set(ctx, "unit", d->by_town ? "乡镇" : "村");
    /* By township the town list is the ranking: no top and bottom lists beside it. */
    top = d->by_town && nt > 1 ? 0 : nv < REPORT_MD_TOP ? nv : REPORT_MD_TOP;
    bottom = top == 0 ? 0 : nv - top < REPORT_MD_TOP ? nv - top : REPORT_MD_TOP;
    tpl_ctx_set(ctx, "top", "");
    tpl_ctx_set(ctx, "bottom", "");
    tpl_ctx_set_bool(ctx, "has_top", top > 0);
    tpl_ctx_set_bool(ctx, "has_bottom", bottom > 0);
    for (size_t i = 0; i < top; i++)
        push_line(ctx, "top", v[i], (int)i + 1, with_town);
    for (size_t i = nv - bottom; i < nv; i++)
        push_line(ctx, "bottom", v[i], (int)i + 1, with_town);
    push_some(ctx, v, nv, with_town, pick_behind, "behind", "behind_count", "behind_more");
    push_some(ctx, v, nv, with_town, pick_special, "special_gaps", "special_gap_count",
              "special_more");
    free(v);
    return ctx;
}
