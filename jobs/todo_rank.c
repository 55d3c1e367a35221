/* SPDX-License-Identifier: MIT */
/* todo_rank.c - a grid worker's households in the order of todo.h, with reasons. */
#include "jobs/todo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_todo.h"

typedef struct ranker {
    todo_list_t *l;
    size_t cap;
    cb_date_t day;
    int64_t now;
} ranker_t;

static const struct {
    unsigned bit;
    const char *code, *text;
} reasons[] = {
    {TODO_R_SPECIAL, "special", "特殊群体未缴"},
    {TODO_R_NO_PHONE, "no_phone", "无人留电话"},
    {TODO_R_UNREACHABLE, "unreachable", "电话联系不上"},
    {TODO_R_CLAIM, "claim", "待核实缴费声明"},
    {TODO_R_WAIVER, "waiver", "放弃参保确认书待签"},
    {TODO_R_HANDOFF, "handoff", "有回复待处理"},
    {TODO_R_PROMISED, "promised", "承诺缴费仍未缴"},
    {TODO_R_AWAY, "away", "上次走访外出"},
    {TODO_R_REFUSED, "refused", "上次走访拒缴"},
    {TODO_R_RESTING, "resting", "近期已走访"},
    {TODO_R_NEVER, "never_contacted", "从未联系"},
    {TODO_R_UNPAID, "unpaid", "未缴费"},
};

/* A figure for the reasons that have one ("2人"), else "". */
static void figure(const todo_entry_t *e, unsigned bit, char *out, size_t n)
{
    int k = bit == TODO_R_SPECIAL ? e->special
            : bit == TODO_R_CLAIM ? e->claims
            : bit == TODO_R_WAIVER ? e->waivers
            : bit == TODO_R_HANDOFF ? e->handoffs
            : bit == TODO_R_UNPAID ? e->unpaid : 0;
    out[0] = '\0';
    if (k > 0)
        snprintf(out, n, "%d%s", k, bit == TODO_R_HANDOFF ? "条" : "人");
    if (bit == TODO_R_RESTING && e->rest_until != 0) {
        int y, m, d;
        date_to_ymd(e->rest_until, &y, &m, &d);
        snprintf(out, n, "（%d月%d日再访）", m, d);
    }
}

void todo_reasons(const todo_entry_t *e, int text, char *out, size_t n)
{
    size_t len = 0;

    if (n == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0] && len < n; i++) {
        char fig[48];
        int w;

        if (!(e->reasons & reasons[i].bit))
            continue;
        if (text)
            figure(e, reasons[i].bit, fig, sizeof fig);
        w = snprintf(out + len, n - len, "%s%s%s", len ? (text ? "；" : ",") : "",
                     text ? reasons[i].text : reasons[i].code, text ? fig : "");
        if (w < 0)
            break;
        len += (size_t)w;
    }
    if (len >= n)
        out[n - 1] = '\0';
}

/* Days the household rests after a visit with 'outcome', and the reason it then
 * carries; 0 for outcomes that do not rest. */
static int rest_days(const char *outcome, unsigned *reason)
{
    if (strcmp(outcome, "promised") == 0) {
        *reason = TODO_R_PROMISED;
        return TODO_REST_PROMISED;
    }
    if (strcmp(outcome, "away") == 0) {
        *reason = TODO_R_AWAY;
        return TODO_REST_AWAY;
    }
    if (strcmp(outcome, "refused") == 0) {
        *reason = TODO_R_REFUSED;
        return TODO_REST_REFUSED;
    }
    *reason = 0;
    return 0;
}

static void classify(todo_entry_t *e, const store_todo_hh_t *h, cb_date_t day)
{
    cb_date_t visited;
    unsigned after = 0, waiting;
    int rest = rest_days(h->visit_outcome, &after);

    if (h->special > 0)
        e->reasons |= TODO_R_SPECIAL;
    if (h->phones == 0)
        e->reasons |= TODO_R_NO_PHONE;
    else if (h->reachable == 0)
        e->reasons |= TODO_R_UNREACHABLE;
    if (h->claims > 0)
        e->reasons |= TODO_R_CLAIM;
    if (h->waivers > 0)
        e->reasons |= TODO_R_WAIVER;
    if (h->handoffs > 0)
        e->reasons |= TODO_R_HANDOFF;
    if (e->last_contact == 0)
        e->reasons |= TODO_R_NEVER;
    e->reasons |= TODO_R_UNPAID;
    if (rest > 0 && date_parse(h->visit_day, strlen(h->visit_day), &visited) == CB_OK) {
        e->reasons |= after;
        if (day < visited + rest) {
            e->reasons |= TODO_R_RESTING;
            e->rest_until = visited + rest;
        }
    }
    waiting = e->reasons & (TODO_R_CLAIM | TODO_R_WAIVER | TODO_R_HANDOFF);
    if (waiting)
        e->tier = TODO_WAITING_TIER; /* what residents said comes first */
    else if (e->reasons & TODO_R_RESTING)
        e->tier = TODO_RESTING_TIER;
    else if (e->reasons & TODO_R_SPECIAL)
        e->tier = TODO_SPECIAL_TIER;
    else if (e->reasons & (TODO_R_NO_PHONE | TODO_R_UNREACHABLE))
        e->tier = TODO_UNREACHABLE_TIER;
    else
        e->tier = TODO_OTHER_TIER;
}

static int add(void *ud, const store_todo_hh_t *h)
{
    ranker_t *r = ud;
    todo_entry_t *e;

    if (r->l->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->l->v = xrealloc(r->l->v, r->cap * sizeof *r->l->v);
    }
    e = &r->l->v[r->l->n++];
    memset(e, 0, sizeof *e);
    e->household_id = h->household_id;
    snprintf(e->code, sizeof e->code, "%s", h->code);
    e->unpaid = h->unpaid;
    e->special = h->special;
    e->claims = h->claims;
    e->waivers = h->waivers;
    e->handoffs = h->handoffs;
    /* Contacts after the clock (a rehearsal replaying days) do not count yet. */
    e->last_contact = h->last_sent <= r->now ? h->last_sent : 0;
    if (h->visit_at <= r->now && h->visit_at > e->last_contact)
        e->last_contact = h->visit_at;
    snprintf(e->visit_day, sizeof e->visit_day, "%s", h->visit_day);
    snprintf(e->visit_outcome, sizeof e->visit_outcome, "%s", h->visit_outcome);
    classify(e, h, r->day);
    return 0;
}

static int cmp(const void *pa, const void *pb)
{
    const todo_entry_t *a = pa, *b = pb;

    if (a->tier != b->tier)
        return a->tier < b->tier ? -1 : 1;
    if (a->unpaid != b->unpaid)
        return a->unpaid > b->unpaid ? -1 : 1;
    if (a->last_contact != b->last_contact)
        return a->last_contact < b->last_contact ? -1 : 1;
    return strcmp(a->code, b->code);
}

int todo_rank(store_t *st, int64_t campaign, int64_t worker_id, cb_date_t day, int64_t now,
              todo_list_t *out)
{
    ranker_t r = {out, 0, day, now};
    int rc;

    memset(out, 0, sizeof *out);
    rc = store_todo_households(st, campaign, worker_id, add, &r);
    if (rc < 0) {
        todo_list_free(out);
        return rc;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp);
    return CB_OK;
}

void todo_list_free(todo_list_t *l)
{
    if (l == NULL)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
