/* SPDX-License-Identifier: MIT */
/* todo_sheet.c - a ranked to-do list with its members, and its message context. */
#include "jobs/todo_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catset.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mask.h"
#include "core/mem.h"
#include "core/money.h"
#include "store/store_roster.h"
#include "store/store_todo.h"
#include "templates/msgctx.h"

typedef struct members {
    const policy_t *pol;
    todo_row_t *row;
    size_t cap;
    int64_t area_id; /* of the first member: the row's place */
} members_t;

static int add_member(void *ud, const store_todo_member_t *p)
{
    members_t *ms = ud;
    todo_row_t *r = ms->row;
    todo_member_t *m;
    policy_owed_t owed;

    if (r->nm == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 4;
        r->m = xrealloc(r->m, ms->cap * sizeof *r->m);
    }
    m = &r->m[r->nm++];
    memset(m, 0, sizeof *m);
    if (ms->area_id == 0)
        ms->area_id = p->area_id;
    snprintf(m->name, sizeof m->name, "%s", p->name);
    mask_id(p->id_number, m->id_masked, sizeof m->id_masked);
    snprintf(m->phone, sizeof m->phone, "%s", p->phone);
    snprintf(m->relation, sizeof m->relation, "%s", p->relation);
    owed = catset_owed(ms->pol, p->categories);
    if (owed.category >= 0)
        snprintf(m->category, sizeof m->category, "%s",
                 policy_category(ms->pol, (size_t)owed.category)->name);
    money_format_yuan(owed.pay_now_fen, m->amount);
    return 0;
}

/* One thing a member said, appended to the row's 'said': who, what, the text (its
 * personal numbers masked, cut at 60 bytes on a character). */
static int add_said(void *ud, const store_todo_said_t *w)
{
    static const struct {
        const char *what, *words;
    } say[] = {{"claim:paid", "说已缴费"},          {"claim:employee", "说有职工医保"},
               {"claim:unit", "说单位已参保"},      {"claim:other_place", "说在外地参保"},
               {"claim:school", "说在学校参保"},    {"claim:deceased", "报告已去世"},
               {"waiver", "要放弃参保"},            {"handoff", "回复"}};
    todo_row_t *r = ud;
    const char *words = "说";
    char *text = mask_text_dup(w->text);
    size_t len = strlen(r->said), cut = strlen(text);

    for (size_t i = 0; i < sizeof say / sizeof say[0]; i++) {
        if (strcmp(say[i].what, w->what) == 0)
            words = say[i].words;
    }
    if (cut > 60) {
        cut = 60;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    snprintf(r->said + len, sizeof r->said - len, "%s%s%s%s%.*s%s", len ? "；" : "", w->name,
             words, cut ? "：" : "", (int)cut, text, cut < strlen(text) ? "…" : "");
    free(text);
    return 0;
}

/* Append the row's village to the sheet's area unless it is there already. */
static void add_area(todo_sheet_t *s, const todo_row_t *r)
{
    char place[300];
    size_t len = strlen(s->area);

    snprintf(place, sizeof place, "%s%s", r->township, r->village);
    if (place[0] == '\0' || strstr(s->area, place) != NULL)
        return;
    snprintf(s->area + len, sizeof s->area - len, "%s%s", len ? "、" : "", place);
}

static int fill_row(store_t *st, const policy_t *pol, int64_t campaign, todo_sheet_t *s,
                    size_t i)
{
    todo_row_t *r = &s->rows[i];
    members_t ms = {pol, r, 0, 0};
    int rc;

    r->e = &s->list.v[i];
    r->pos = (int)i + 1;
    todo_reasons(r->e, 1, r->reasons, sizeof r->reasons);
    todo_reasons(r->e, 0, r->codes, sizeof r->codes);
    if (r->e->last_contact != 0)
        date_format(clock_day(r->e->last_contact), r->last_contact);
    rc = store_todo_members(st, campaign, s->w->id, r->e->household_id, add_member, &ms);
    if (rc >= 0 && (r->e->reasons & (TODO_R_CLAIM | TODO_R_WAIVER | TODO_R_HANDOFF)))
        rc = store_todo_said(st, campaign, r->e->household_id, add_said, r);
    if (rc >= 0 && ms.area_id != 0)
        rc = store_area_names(st, ms.area_id, r->township, r->village, r->group,
                              sizeof r->township);
    if (rc >= 0)
        add_area(s, r);
    return rc;
}

int todo_sheet_build(store_t *st, const policy_t *pol, int64_t campaign, const store_worker_t *w,
                     cb_date_t day, int64_t now, size_t max, todo_sheet_t *out)
{
    int rc;

    memset(out, 0, sizeof *out);
    out->w = w;
    date_format(day, out->day);
    rc = todo_rank(st, campaign, w->id, day, now, &out->list);
    if (rc < 0)
        return rc;
    out->households = out->list.n;
    for (size_t i = 0; i < out->list.n; i++)
        out->unpaid += out->list.v[i].unpaid;
    out->n = out->list.n < max ? out->list.n : max;
    out->rows = xcalloc(out->n ? out->n : 1, sizeof *out->rows);
    for (size_t i = 0; rc >= 0 && i < out->n; i++)
        rc = fill_row(st, pol, campaign, out, i);
    return rc < 0 ? rc : CB_OK;
}

void todo_sheet_free(todo_sheet_t *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; s->rows != NULL && i < s->n; i++)
        free(s->rows[i].m);
    free(s->rows);
    todo_list_free(&s->list);
    memset(s, 0, sizeof *s);
}

tpl_ctx_t *todo_sheet_ctx(const todo_sheet_t *s, const policy_t *pol, cb_date_t today,
                          size_t listed, unsigned how)
{
    tpl_ctx_t *ctx = tpl_ctx_create();

    msgctx_campaign(ctx, pol, today);
    tpl_ctx_set_bool(ctx, "markdown", (how & TODO_MSG_MARKDOWN) != 0);
    tpl_ctx_set(ctx, "worker", s->w->name);
    tpl_ctx_set(ctx, "area", s->area);
    tpl_ctx_setf(ctx, "household_count", "%zu", s->households);
    tpl_ctx_setf(ctx, "unpaid_count", "%d", s->unpaid);
    if (listed > s->n)
        listed = s->n;
    for (size_t i = 0; i < listed; i++) {
        const todo_row_t *r = &s->rows[i];
        tpl_ctx_t *item = tpl_ctx_push(ctx, "households");

        tpl_ctx_setf(item, "pos", "%d", r->pos);
        tpl_ctx_set(item, "code", r->e->code);
        tpl_ctx_set(item, "name", r->nm ? r->m[0].name : "");
        tpl_ctx_set_bool(item, "more", r->nm > 1);
        tpl_ctx_setf(item, "members", "%zu", r->nm);
        if (!(how & TODO_MSG_BRIEF)) {
            tpl_ctx_set(item, "reason", r->reasons);
        } else {
            char first[512];
            const char *cut = strstr(r->reasons, "；");
            snprintf(first, sizeof first, "%.*s",
                     cut ? (int)(cut - r->reasons) : (int)strlen(r->reasons), r->reasons);
            tpl_ctx_set(item, "reason", first);
        }
    }
    if (s->households > listed)
        tpl_ctx_setf(ctx, "others", "%zu", s->households - listed);
    else
        tpl_ctx_set(ctx, "others", "");
    return ctx;
}
