/* SPDX-License-Identifier: MIT */
#include "store/store_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"

/* Step the bound statement 's', growing *out by 'size' bytes a row and letting
 * 'fill' read the row into it. */
static int collect(store_t *st, sqlite3_stmt *s, size_t size,
                   void (*fill)(sqlite3_stmt *s, void *row), void **out, size_t *n)
{
    char *c = NULL;
    size_t len = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 256;
            c = xrealloc(c, cap * size);
        }
        fill(s, c + len++ * size);
    }
    store__done(s);
    if (rc != SQLITE_DONE) {
        free(c);
        return store__fail(st, rc);
    }
    *out = c;
    *n = len;
    return CB_OK;
}

static void count_row(sqlite3_stmt *s, void *row)
{
    store_count_t *c = row;

    c->area_id = sqlite3_column_int64(s, 0);
    snprintf(c->status, sizeof c->status, "%s", (const char *)sqlite3_column_text(s, 1));
    c->special = sqlite3_column_int(s, 2);
    c->n = sqlite3_column_int64(s, 3);
}

int store_status_counts(store_t *st, int64_t campaign, store_count_t **out, size_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_STATUS_COUNTS];
    void *rows = NULL;
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    rc = collect(st, s, sizeof **out, count_row, &rows, n);
    *out = rows;
    return rc;
}

static void paid_day_row(sqlite3_stmt *s, void *row)
{
    store_paid_day_t *c = row;
    const char *d = store__col(s, 1);

    *c = (store_paid_day_t){.area_id = sqlite3_column_int64(s, 0), .n = sqlite3_column_int64(s, 2)};
    if (d != NULL && date_parse(d, strlen(d), &c->day) < 0)
        c->day = 0;
}

int store_paid_days(store_t *st, int64_t campaign, store_paid_day_t **out, size_t *n)
{
    static const char sql[] =
        "SELECT p.area_id, (SELECT min(y.paid_on) FROM payment y WHERE y.person_id = e.person_id "
        "AND y.campaign_id = e.campaign_id AND y.problem IS NULL) AS d, count(*) "
        "FROM enrolment e JOIN person p ON p.id = e.person_id "
        "WHERE e.campaign_id = ?1 AND e.status = 'paid' GROUP BY p.area_id, d";
    sqlite3_stmt *s;
    void *rows = NULL;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    rc = collect(st, s, sizeof **out, paid_day_row, &rows, n);
    *out = rows;
    return rc;
}
