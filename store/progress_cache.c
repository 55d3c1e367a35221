/* SPDX-License-Identifier: MIT */
#include "store/progress_cache.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_payment.h"
#include "store/store_roster.h"
#include "store/store_status.h"

typedef int64_t area_counts_t[PS__COUNT][2]; /* [status][special] */

struct progress_cache {
    store_area_t *areas;
    size_t nareas;
    store_target_t *targets;
    size_t ntargets;
    area_counts_t *counts; /* indexed by area id, 'ncounts' entries */
    size_t ncounts;
    store_paid_day_t *days; /* paid persons by first payment day, as loaded */
    size_t ndays;
    int64_t watermark;     /* the highest payment id the snapshot holds */
};

progress_cache_t *progress_cache_create(void)
{
    return xcalloc(1, sizeof(progress_cache_t));
}

static void clear(progress_cache_t *c)
{
    store_areas_free(c->areas, c->nareas);
    free(c->targets);
    free(c->counts);
    free(c->days);
    memset(c, 0, sizeof *c);
}

void progress_cache_destroy(progress_cache_t *c)
{
    if (c == NULL)
        return;
    clear(c);
    free(c);
}

/* The counts of area 'id', or NULL when the cache does not know it. */
static area_counts_t *slot(const progress_cache_t *c, int64_t id)
{
    return id > 0 && (size_t)id < c->ncounts ? &c->counts[id] : NULL;
}

/* Spread the loaded rows over one slot per area id. */
static int place(progress_cache_t *c, const store_count_t *rows, size_t n)
{
    int64_t max = 0;

    for (size_t i = 0; i < c->nareas; i++)
        max = c->areas[i].id > max ? c->areas[i].id : max;
    c->ncounts = (size_t)max + 1;
    c->counts = xcalloc(c->ncounts, sizeof *c->counts);
    for (size_t i = 0; i < n; i++) {
        int s = status_from_name(rows[i].status);
        area_counts_t *a = slot(c, rows[i].area_id);
        if (s < 0 || a == NULL)
            return CB_EPARSE;
        (*a)[s][rows[i].special != 0] += rows[i].n;
    }
    return CB_OK;
}

int progress_cache_load(progress_cache_t *c, store_t *st, int64_t campaign)
{
    progress_cache_t next = {0};
    store_count_t *rows = NULL;
    size_t nrows = 0;
    /* One snapshot: the caller's transaction when it has one (a job reads and
     * writes in one), else a read transaction of our own. */
    int outer = store_in_tx(st), rc = outer ? CB_OK : store_read_begin(st);

    if (rc < 0)
        return rc;
    rc = store_payment_max_id(st, &next.watermark);
    if (rc == CB_OK)
        rc = store_areas(st, &next.areas, &next.nareas);
    if (rc == CB_OK)
        rc = store_status_counts(st, campaign, &rows, &nrows);
    if (rc == CB_OK)
        rc = store_targets(st, campaign, &next.targets, &next.ntargets);
    if (rc == CB_OK)
        rc = store_paid_days(st, campaign, &next.days, &next.ndays);
    if (!outer && rc == CB_OK)
        rc = store_commit(st);
    else if (!outer)
        store_rollback(st);
    if (rc == CB_OK)
        rc = place(&next, rows, nrows);
    free(rows);
    if (rc < 0) {
        clear(&next);
        return rc;
    }
    clear(c);
    *c = next;
    return CB_OK;
}

int progress_cache_apply(progress_cache_t *c, const status_change_t *ch, size_t n)
{
    int unknown = 0;

    for (size_t i = 0; i < n; i++) {
        area_counts_t *a = slot(c, ch[i].area_id);
        int sp = ch[i].special != 0;
        if (ch[i].seq <= c->watermark)
            continue;
        if (a == NULL) {
            unknown = 1;
            continue;
        }
        (*a)[ch[i].from][sp]--;
        (*a)[ch[i].to][sp]++;
    }
    return unknown;
}

void progress_cache_fill(const progress_cache_t *c, progress_t *p)
{
    for (size_t i = 0; i < c->nareas; i++) {
        const store_area_t *a = &c->areas[i];
        progress_add_area(p, a->id, a->parent, a->level, a->name);
    }
    for (size_t id = 1; id < c->ncounts; id++)
        for (int s = 0; s < PS__COUNT; s++)
            for (int sp = 0; sp < 2; sp++)
                if (c->counts[id][s][sp] != 0)
                    progress_add_count(p, (int64_t)id, (person_status_t)s, sp,
                                       c->counts[id][s][sp]);
    for (size_t i = 0; i < c->ntargets; i++)
        progress_set_target(p, c->targets[i].area_id, c->targets[i].target);
    for (size_t i = 0; i < c->ndays; i++)
        progress_add_paid_on(p, c->days[i].area_id, c->days[i].day, c->days[i].n);
}
