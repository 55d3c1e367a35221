/* SPDX-License-Identifier: MIT */
#include "store/store_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"

/* Step 's' (bound by the caller) for at most one row: 1 with its first column in
 * *id (and its second, text, in 'day' when not NULL), 0 when it has none. */
static int one_report(store_t *st, sqlite3_stmt *s, int64_t *id, char day[11])
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        if (day != NULL)
            snprintf(day, 11, "%s", store__col(s, 1));
    }
    store__done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__fail(st, rc);
    return rc == SQLITE_ROW;
}

int store_report_on(store_t *st, int64_t campaign, const char *day, int64_t *id)
{
    sqlite3_stmt *s = st->stmt[ST_REPORT_ON];

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, day, -1);
    return one_report(st, s, id, NULL);
}

int store_report_before(store_t *st, int64_t campaign, const char *day, int64_t *id,
                        char prev_day[11])
{
    sqlite3_stmt *s = st->stmt[ST_REPORT_BEFORE];

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, day, -1);
    return one_report(st, s, id, prev_day);
}

typedef struct areas {
    store_report_area_t *v;
    size_t n, cap;
} areas_t;

static int area_row(void *ud, sqlite3_stmt *s)
{
    areas_t *a = ud;
    store_report_area_t *r;

    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    r = &a->v[a->n++];
    r->area_id = sqlite3_column_int64(s, 0);
    r->registered = sqlite3_column_int64(s, 1);
    r->target = sqlite3_column_int64(s, 2);
    r->paid = sqlite3_column_int64(s, 3);
    r->covered = sqlite3_column_int64(s, 4);
    r->unpaid = sqlite3_column_int64(s, 5);
    r->rank = sqlite3_column_int(s, 6);
    return 0;
}

int store_report_areas(store_t *st, int64_t id, store_report_area_t **out, size_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_REPORT_AREAS];
    areas_t a = {0};
    int rc;

    sqlite3_bind_int64(s, 1, id);
    rc = store__each(st, s, area_row, &a);
    if (rc < 0) {
        free(a.v);
        a.v = NULL;
        a.n = 0;
    }
    *out = a.v;
    *n = a.n;
    return rc < 0 ? rc : CB_OK;
}

int store_report_save(store_t *st, int64_t campaign, const char *day, int64_t at,
                      const store_report_area_t *rows, size_t n, int64_t *id)
{
    sqlite3_stmt *s = st->stmt[ST_REPORT_INSERT];
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, day, -1);
    sqlite3_bind_int64(s, 3, at);
    rc = store__exec(st, s);
    if (rc < 0)
        return rc;
    *id = sqlite3_last_insert_rowid(st->db);
    s = st->stmt[ST_REPORT_AREA_INSERT];
    for (size_t i = 0; i < n && rc >= 0; i++) {
        sqlite3_bind_int64(s, 1, *id);
        sqlite3_bind_int64(s, 2, rows[i].area_id);
        sqlite3_bind_int64(s, 3, rows[i].registered);
        sqlite3_bind_int64(s, 4, rows[i].target);
        sqlite3_bind_int64(s, 5, rows[i].paid);
        sqlite3_bind_int64(s, 6, rows[i].covered);
        sqlite3_bind_int64(s, 7, rows[i].unpaid);
        sqlite3_bind_int(s, 8, rows[i].rank);
        rc = store__exec(st, s);
    }
    return rc < 0 ? rc : CB_OK;
}
