/* SPDX-License-Identifier: MIT */
/* report_data.c - a progress report's figures: progress rows, change since the
 * previous report, milestone pace, and their CSV. */
#include "jobs/report_data.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/progress_json.h"
#include "core/safetext.h"
#include "core/status.h"

static double ratio(int64_t a, int64_t b)
{
    return b > 0 ? (double)a / (double)b : -1.0;
}

/* Fill the derived fields of 'l' (l->row set) against 'prev' (NULL: none). */
static void derive(report_line_t *l, const report_data_t *d, const store_report_area_t *prev)
{
    int64_t paid = l->row.by_status[PS_PAID];

    l->prev_progress = -1.0;
    if (prev != NULL) {
        l->has_prev = 1;
        l->prev_rank = prev->rank;
        l->prev_paid = prev->paid;
        l->paid_delta = paid - prev->paid;
        l->prev_progress = ratio(prev->paid, prev->target);
        if (l->prev_progress >= 0 && l->row.progress >= 0)
            l->points_delta = (l->row.progress - l->prev_progress) * 100.0;
    }
    l->milestone_state =
        progress_milestone_state(&l->row, &d->pace.next, d->today, &l->milestone_needed);
    l->pace_needed = onpace_needed(&d->pace, &l->row);
    l->behind = onpace_behind(&d->pace, &l->row);
}

static const store_report_area_t *find_prev(const store_report_area_t *prev, size_t n,
                                            int64_t area)
{
    for (size_t i = 0; i < n; i++)
        if (prev[i].area_id == area)
            return &prev[i];
    return NULL;
}

/* Which townships were last twice in a row (among more than one), and whether the
 * targets are set on townships only. */
static void mark_towns(report_data_t *d)
{
    int last = 0, prev_last = 0, towns = 0, village_target = 0;

    for (size_t i = 0; i < d->n; i++) {
        const report_line_t *l = &d->lines[i];
        if (l->row.level == 2) {
            village_target |= l->row.target >= 0 && l->row.target != 0;
            continue;
        }
        towns++;
        last = l->row.rank > last ? l->row.rank : last;
        prev_last = l->prev_rank > prev_last ? l->prev_rank : prev_last;
    }
    d->by_town = !village_target && d->total.row.target > 0;
    for (size_t i = 0; i < d->n && towns > 1; i++) {
        report_line_t *l = &d->lines[i];
        l->last_twice = l->row.level == 1 && l->has_prev && l->row.rank == last &&
                        l->prev_rank == prev_last;
    }
}

void report_data_build(progress_t *p, const policy_t *pol, cb_date_t today,
                       const store_report_area_t *prev, size_t nprev, const char *prev_day,
                       report_data_t *out)
{
    const progress_row_t *rows;
    progress_row_t *towns, *villages;
    size_t nt, nv, k = 0;
    store_report_area_t prev_total = {0};
    int any_target = 0;

    memset(out, 0, sizeof *out);
    out->today = today;
    out->pace = onpace_at(pol, today);
    snprintf(out->prev_day, sizeof out->prev_day, "%s", prev_day ? prev_day : "");
    rows = progress_rows(p, 1, &nt);
    towns = xcalloc(nt + 1, sizeof *towns);
    memcpy(towns, rows, nt * sizeof *rows);
    rows = progress_rows(p, 2, &nv);
    villages = xcalloc(nv + 1, sizeof *villages);
    memcpy(villages, rows, nv * sizeof *rows);
    out->lines = xcalloc(nt + nv + 1, sizeof *out->lines);
    for (size_t t = 0; t < nt; t++) {
        const store_report_area_t *pr = find_prev(prev, nprev, towns[t].area_id);
        out->lines[k].row = towns[t];
        derive(&out->lines[k++], out, pr);
        if (pr != NULL) {
            prev_total.paid += pr->paid;
            prev_total.target += pr->target >= 0 ? pr->target : 0;
            any_target |= pr->target >= 0;
        }
        for (size_t v = 0; v < nv; v++) {
            if (villages[v].parent_id != towns[t].area_id)
                continue;
            out->lines[k].row = villages[v];
            derive(&out->lines[k++], out, find_prev(prev, nprev, villages[v].area_id));
        }
    }
    out->n = k;
    rows = progress_rows(p, 0, &nt);
    out->total.row = rows[0];
    prev_total.target = any_target ? prev_total.target : -1;
    derive(&out->total, out, nprev > 0 ? &prev_total : NULL);
    mark_towns(out);
    free(towns);
    free(villages);
}

void report_data_free(report_data_t *d)
{
    free(d->lines);
    memset(d, 0, sizeof *d);
}

void report_data_snapshot(const report_data_t *d, store_report_area_t **rows, size_t *n)
{
    store_report_area_t *r = xcalloc(d->n + 1, sizeof *r);

    for (size_t i = 0; i < d->n; i++) {
        const progress_row_t *p = &d->lines[i].row;
        r[i] = (store_report_area_t){.area_id = p->area_id, .registered = p->registered,
                                     .target = p->target, .paid = p->by_status[PS_PAID],
                                     .covered = p->covered, .unpaid = p->by_status[PS_UNPAID],
                                     .rank = p->rank};
    }
    *rows = r;
    *n = d->n;
}

static void num(FILE *fp, int64_t v)
{
    fprintf(fp, "%lld,", (long long)v);
}

/* A share as a percentage with one decimal, "" when unknown (negative). */
static void pct(FILE *fp, double v, int last)
{
    if (v >= 0)
        fprintf(fp, "%.1f", v * 100.0);
    fputc(last ? '\n' : ',', fp);
}

/* One row; the text cells (area names come from the roster) through safetext. */
static void csv_line(FILE *fp, const report_data_t *d, const report_line_t *l)
{
    const progress_row_t *r = &l->row;
    char ms[11];

    safetext_csv_quoted(fp, r->level == 1 ? "township" : "village", 0);
    safetext_csv_quoted(fp, r->township, 0);
    safetext_csv_quoted(fp, r->village ? r->village : "", 0);
    fprintf(fp, "%d,", r->rank);
    num(fp, r->registered);
    if (r->target >= 0)
        num(fp, r->target);
    else
        fputc(',', fp);
    num(fp, r->by_status[PS_PAID]);
    num(fp, r->by_status[PS_WAIVED]);
    num(fp, r->by_status[PS_EMPLOYEE_INSURED] + r->by_status[PS_INSURED_ELSEWHERE]);
    num(fp, r->by_status[PS_UNPAID]);
    pct(fp, r->progress, 0);
    pct(fp, r->coverage, 0);
    if (l->has_prev) {
        num(fp, l->prev_paid);
        fprintf(fp, "%+lld,", (long long)l->paid_delta);
        if (l->prev_progress >= 0 && r->progress >= 0)
            fprintf(fp, "%+.1f,", l->points_delta);
        else
            fputc(',', fp);
    } else {
        fputs(",,,", fp);
    }
    date_format(d->pace.next.date, ms);
    fprintf(fp, "%s,%d,", ms, d->pace.next.percent);
    if (l->milestone_needed >= 0)
        num(fp, l->milestone_needed);
    else
        fputc(',', fp);
    safetext_csv_quoted(fp, l->milestone_state, 0);
    pct(fp, d->pace.expected, 0);
    if (l->pace_needed >= 0)
        num(fp, l->pace_needed);
    else
        fputc(',', fp);
    safetext_csv_quoted(fp, r->target > 0 ? (l->behind ? "no" : "yes") : "", 0);
    num(fp, r->special);
    num(fp, r->special_covered);
    pct(fp, r->special_coverage, 1);
}

int report_data_csv(const report_data_t *d, FILE *fp)
{
    fputs("level,township,village,rank,registered,target,paid,waived,covered_elsewhere,unpaid,"
          "progress_pct,coverage_pct,prev_paid,paid_delta,progress_delta_points,"
          "next_milestone,milestone_pct,milestone_needed,milestone_state,pace_pct,pace_needed,"
          "on_pace,special,special_covered,special_coverage_pct\n",
          fp);
    for (size_t i = 0; i < d->n; i++)
        csv_line(fp, d, &d->lines[i]);
    return ferror(fp) ? CB_EIO : CB_OK;
}
