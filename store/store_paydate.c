/* SPDX-License-Identifier: MIT */
#include "store/store_paydate.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"

int store_payment_dated(store_t *st, int64_t payment_id, cb_date_t paid_on, const char *late,
                        cb_date_t cover_from)
{
    static const char sql[] =
        "UPDATE payment SET paid_on = ?2, late = ?3, cover_from = ?4 WHERE id = ?1";
    char day[11], cover[11];
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    date_format(paid_on, day);
    date_format(cover_from, cover);
    sqlite3_bind_int64(s, 1, payment_id);
    store__bind_text(s, 2, day, -1);
    store__bind_text(s, 3, late, -1);
    store__bind_text(s, 4, cover_from != 0 ? cover : NULL, -1);
    return store__exec(st, s);
}

int store_flag_has(store_t *st, int64_t campaign, int64_t person_id, const char *flag)
{
    static const char sql[] =
        "SELECT 1 FROM person_flag WHERE campaign_id = ?1 AND person_id = ?2 AND flag = ?3";
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    store__bind_text(s, 3, flag, -1);
    rc = sqlite3_step(s);
    store__done(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int store_flag_people(store_t *st, int64_t campaign, const char *flag, int64_t **ids,
                      size_t *n)
{
    static const char sql[] = "SELECT person_id FROM person_flag WHERE campaign_id = ?1 "
                              "AND flag = ?2 ORDER BY person_id";
    sqlite3_stmt *s;
    int64_t *v = NULL;
    size_t len = 0, cap = 0;
    int rc = store__prepare(st, sql, &s);

    *ids = NULL;
    *n = 0;
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, flag, -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[len++] = sqlite3_column_int64(s, 0);
    }
    store__done(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return store__fail(st, rc);
    }
    *ids = v;
    *n = len;
    return CB_OK;
}

int store_flag_set(store_t *st, int64_t campaign, int64_t person_id, const char *flag)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO person_flag(campaign_id, person_id, flag) VALUES (?1, ?2, ?3)";
    return store__write_iit(st, sql, campaign, person_id, flag);
}

int store_lapse_get(store_t *st, int64_t campaign, int64_t person_id, cb_date_t *out)
{
    static const char sql[] = "SELECT lapse_date FROM lapse WHERE campaign_id = ?1 AND person_id = ?2";
    sqlite3_stmt *s;
    const char *d;
    int rc = store__prepare(st, sql, &s);

    *out = 0;
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    rc = sqlite3_step(s);
    d = rc == SQLITE_ROW ? store__col(s, 0) : NULL;
    if (d != NULL && date_parse(d, strlen(d), out) < 0)
        *out = 0;
    store__done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}

int store_late_count(store_t *st, int64_t campaign, int64_t *n)
{
    static const char sql[] =
        "SELECT count(DISTINCT y.person_id) FROM payment y JOIN enrolment e "
        "ON e.campaign_id = y.campaign_id AND e.person_id = y.person_id "
        "WHERE y.campaign_id = ?1 AND y.late IS NOT NULL AND y.problem IS NULL "
        "AND e.status = 'paid'";
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    *n = 0;
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    store__done(s);
    return rc == SQLITE_ROW ? CB_OK : store__fail(st, rc);
}
