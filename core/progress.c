/* SPDX-License-Identifier: MIT */
#include "core/progress.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

typedef struct day_list {
    progress_day_t *v;
    size_t n, cap;
} day_list_t;

typedef struct node {
    int64_t id, parent;
    int level;
    char *name;
    size_t parent_ix; /* index in nodes, or SIZE_MAX for a township */
    int64_t own_target;
    progress_row_t own; /* counts added for this area itself */
    progress_row_t row; /* own plus the descendants', after roll_up */
    day_list_t own_days; /* payment days added for this area itself */
    day_list_t days;     /* own plus the descendants', cumulative, after roll_up */
} node_t;

struct progress {
    node_t *nodes;
    size_t n, cap;
    progress_row_t *out;
    size_t nout;
    day_list_t county_days; /* the whole county's, cumulative, after roll_up */
    int any_days;           /* progress_add_paid_on was called */
    int rolled; /* counts and targets have been rolled up */
};

progress_t *progress_create(void)
{
    return xcalloc(1, sizeof(progress_t));
}

void progress_destroy(progress_t *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->nodes[i].name);
        free(p->nodes[i].own_days.v);
        free(p->nodes[i].days.v);
    }
    free(p->county_days.v);
    free(p->nodes);
    free(p->out);
    free(p);
}

/* Areas are few (thousands): a linear search from the end is fast enough, since
 * children usually follow their parent. */
static node_t *find(progress_t *p, int64_t id, size_t *ix)
{
    for (size_t i = p->n; i-- > 0;) {
        if (p->nodes[i].id == id) {
            if (ix != NULL)
                *ix = i;
            return &p->nodes[i];
        }
    }
    return NULL;
}

void progress_add_area(progress_t *p, int64_t id, int64_t parent, int level, const char *name)
{
    node_t *nd;
    size_t pix = SIZE_MAX;

    if (parent != 0 && find(p, parent, &pix) == NULL)
        return; /* orphan: cannot happen with the store's foreign keys */
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->nodes = xrealloc(p->nodes, p->cap * sizeof *p->nodes);
    }
    nd = &p->nodes[p->n++];
    memset(nd, 0, sizeof *nd);
    nd->id = id;
    nd->parent = parent;
    nd->level = level;
    nd->name = xstrdup(name);
    nd->parent_ix = pix;
    nd->own_target = -1;
    p->rolled = 0;
}

void progress_add_count(progress_t *p, int64_t area_id, person_status_t status, int special,
                        int64_t n)
{
    node_t *nd = find(p, area_id, NULL);

    if (nd == NULL || (unsigned)status >= PS__COUNT)
        return;
    nd->own.by_status[status] += n;
    /* Special groups count the living only, as 'registered' does. */
    if (special && status != PS_DECEASED)
        nd->own.special += n;
    if (special && status_is_covered(status))
        nd->own.special_covered += n;
    p->rolled = 0;
}

void progress_set_target(progress_t *p, int64_t area_id, int64_t target)
{
    node_t *nd = find(p, area_id, NULL);
    if (nd != NULL)
        nd->own_target = target;
    p->rolled = 0;
}

static void day_push(day_list_t *l, cb_date_t day, int64_t n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (progress_day_t){.day = day, .paid = n};
}

void progress_add_paid_on(progress_t *p, int64_t area_id, cb_date_t day, int64_t n)
{
    node_t *nd = find(p, area_id, NULL);

    if (nd == NULL)
        return;
    day_push(&nd->own_days, day < 0 ? 0 : day, n);
    p->any_days = 1;
    p->rolled = 0;
}

int64_t progress_row_paid_asof(const progress_row_t *r, cb_date_t day)
{
    int64_t paid = 0;

    if (r->paid_days == NULL)
        return r->by_status[PS_PAID];
    for (size_t i = 0; i < r->npaid_days && r->paid_days[i].day <= day; i++)
        paid = r->paid_days[i].paid;
    return paid;
}

static int day_cmp(const void *a, const void *b)
{
    const progress_day_t *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* Sort by day, merge equal days and make the counts cumulative. */
static void day_cumulate(day_list_t *l)
{
    size_t k = 0;
    int64_t sum = 0;

    if (l->n > 0)
        qsort(l->v, l->n, sizeof *l->v, day_cmp);
    for (size_t i = 0; i < l->n; i++) {
        sum += l->v[i].paid;
        if (k > 0 && l->v[k - 1].day == l->v[i].day)
            l->v[k - 1].paid = sum;
        else
            l->v[k++] = (progress_day_t){.day = l->v[i].day, .paid = sum};
    }
    l->n = k;
}

/* Each area's payment days hold its own and its descendants', as do the county's. */
static void roll_up_days(progress_t *p)
{
    p->county_days.n = 0;
    for (size_t i = 0; i < p->n; i++)
        p->nodes[i].days.n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const day_list_t *own = &p->nodes[i].own_days;
        for (size_t k = 0; k < own->n; k++) {
            for (size_t a = i; a != SIZE_MAX; a = p->nodes[a].parent_ix)
                day_push(&p->nodes[a].days, own->v[k].day, own->v[k].paid);
            day_push(&p->county_days, own->v[k].day, own->v[k].paid);
        }
    }
    day_cumulate(&p->county_days);
    for (size_t i = 0; i < p->n; i++) {
        node_t *nd = &p->nodes[i];
        day_cumulate(&nd->days);
        nd->row.paid_days = p->any_days ? nd->days.v : NULL;
        nd->row.npaid_days = nd->days.n;
    }
}

static void add_row(progress_row_t *to, const progress_row_t *from)
{
    for (int s = 0; s < PS__COUNT; s++)
        to->by_status[s] += from->by_status[s];
    to->special += from->special;
    to->special_covered += from->special_covered;
}

static double ratio(int64_t a, int64_t b)
{
    return b > 0 ? (double)a / (double)b : -1.0;
}

static void finish(progress_row_t *r)
{
    r->registered = 0;
    for (int s = 0; s < PS__COUNT; s++)
        r->registered += s == PS_DECEASED ? 0 : r->by_status[s];
    r->covered = r->by_status[PS_PAID] + r->by_status[PS_EMPLOYEE_INSURED] +
                 r->by_status[PS_INSURED_ELSEWHERE];
    r->progress = r->target > 0 ? ratio(r->by_status[PS_PAID], r->target) : -1.0;
    r->coverage = ratio(r->covered, r->registered);
    r->special_coverage = ratio(r->special_covered, r->special);
}

/* Sum counts and derived targets bottom-up: children always follow parents. */
static void roll_up(progress_t *p)
{
    int64_t *child_target = xcalloc(p->n ? p->n : 1, sizeof *child_target);
    int *has_child_target = xcalloc(p->n ? p->n : 1, sizeof *has_child_target);

    for (size_t i = 0; i < p->n; i++) {
        node_t *nd = &p->nodes[i];
        memset(&nd->row, 0, sizeof nd->row);
        nd->row.area_id = nd->id;
        nd->row.parent_id = nd->parent;
        nd->row.level = nd->level;
        add_row(&nd->row, &nd->own);
        nd->row.target = nd->own_target;
    }
    for (size_t i = p->n; i-- > 0;) {
        node_t *nd = &p->nodes[i];
        if (nd->row.target < 0 && has_child_target[i])
            nd->row.target = child_target[i];
        if (nd->parent_ix != SIZE_MAX) {
            add_row(&p->nodes[nd->parent_ix].row, &nd->row);
            if (nd->row.target >= 0) {
                child_target[nd->parent_ix] += nd->row.target;
                has_child_target[nd->parent_ix] = 1;
            }
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        node_t *nd = &p->nodes[i];
        const node_t *v = nd->level == 3 ? &p->nodes[nd->parent_ix] : nd;
        const node_t *t = v->level == 2 ? &p->nodes[v->parent_ix] : v;
        nd->row.township = t->name;
        nd->row.village = nd->level >= 2 ? v->name : NULL;
        nd->row.group = nd->level == 3 ? nd->name : NULL;
        finish(&nd->row);
    }
    roll_up_days(p);
    free(child_target);
    free(has_child_target);
    p->rolled = 1;
}

static double rank_key(const progress_row_t *r)
{
    return r->progress >= 0 ? r->progress : r->coverage;
}

/* Rank rows among siblings (same parent): 1 + the number of siblings ahead. */
static void rank_rows(progress_t *p, size_t *ix, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        progress_row_t *r = &p->out[i];
        r->rank = 1;
        for (size_t j = 0; j < n; j++) {
            if (j != i && p->nodes[ix[j]].parent == p->nodes[ix[i]].parent &&
                rank_key(&p->out[j]) > rank_key(r))
                r->rank++;
        }
    }
}

const progress_row_t *progress_rows(progress_t *p, int level, size_t *n)
{
    size_t *ix;

    if (!p->rolled)
        roll_up(p);
    free(p->out);
    p->out = xcalloc(p->n + 1, sizeof *p->out);
    p->nout = 0;
    if (level == 0) {
        progress_row_t *r = &p->out[0];
        int64_t target = 0;
        int any_target = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (p->nodes[i].level != 1)
                continue;
            add_row(r, &p->nodes[i].row);
            if (p->nodes[i].row.target >= 0) {
                target += p->nodes[i].row.target;
                any_target = 1;
            }
        }
        r->target = any_target ? target : -1;
        finish(r);
        r->paid_days = p->any_days ? p->county_days.v : NULL;
        r->npaid_days = p->county_days.n;
        r->rank = 1;
        *n = p->nout = 1;
        return p->out;
    }
    ix = xcalloc(p->n + 1, sizeof *ix);
    for (size_t i = 0; i < p->n; i++) {
        if (p->nodes[i].level == level) {
            ix[p->nout] = i;
            p->out[p->nout++] = p->nodes[i].row;
        }
    }
    rank_rows(p, ix, p->nout);
    free(ix);
    *n = p->nout;
    return p->out;
}
