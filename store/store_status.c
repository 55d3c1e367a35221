/* SPDX-License-Identifier: MIT */
#include "store/store_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"

int store_status_counts(store_t *st, int64_t campaign, store_count_t **out, size_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_STATUS_COUNTS];
    store_count_t *c = NULL;
    size_t len = 0, cap = 0;
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 256;
            c = xrealloc(c, cap * sizeof *c);
        }
        c[len].area_id = sqlite3_column_int64(s, 0);
        snprintf(c[len].status, sizeof c[len].status, "%s", (const char *)sqlite3_column_text(s, 1));
        c[len].special = sqlite3_column_int(s, 2);
        c[len].n = sqlite3_column_int64(s, 3);
        len++;
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

int store_paid_days(store_t *st, int64_t campaign, store_paid_day_t **out, size_t *n)
{
    static const char sql[] =
        "SELECT p.area_id, (SELECT min(y.paid_on) FROM payment y WHERE y.person_id = e.person_id "
        "AND y.campaign_id = e.campaign_id AND y.problem IS NULL) AS d, count(*) "
        "FROM enrolment e JOIN person p ON p.id = e.person_id "
        "WHERE e.campaign_id = ?1 AND e.status = 'paid' GROUP BY p.area_id, d";
    store_paid_day_t *c = NULL;
    size_t len = 0, cap = 0;
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *d = store__col(s, 1);
        if (len == cap) {
            cap = cap ? cap * 2 : 256;
            c = xrealloc(c, cap * sizeof *c);
        }
        c[len] = (store_paid_day_t){.area_id = sqlite3_column_int64(s, 0),
                                    .n = sqlite3_column_int64(s, 2)};
        if (d != NULL && date_parse(d, strlen(d), &c[len].day) < 0)
            c[len].day = 0;
        len++;
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
