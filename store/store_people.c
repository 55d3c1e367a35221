/* SPDX-License-Identifier: MIT */
#include "store/store_people.h"

#include <string.h>

#include "core/err.h"
#include "store/store_internal.h"

typedef struct visit {
    int (*fn)(void *ud, const store_person_row_t *p);
    void *ud;
} visit_t;

/* One row of ST_PEOPLE_EACH's columns (ST_PEOPLE_BY_PHONE has the same). */
static int row(void *ud, sqlite3_stmt *s)
{
    const visit_t *v = ud;
    store_person_row_t p = {
        .id = sqlite3_column_int64(s, 0),
        .area_id = sqlite3_column_int64(s, 1),
        .key = sqlite3_column_int64(s, 2),
        .id_number = store__col(s, 3),
        .name = store__col(s, 4),
        .phone = store__col(s, 5),
        .household = store__col(s, 6),
        .status = store__col(s, 7),
        .categories = store__col(s, 8),
        .anchor = sqlite3_column_count(s) > 9 ? store__col(s, 9) : NULL,
    };
    return v->fn(v->ud, &p);
}

int store_people_each(store_t *st, int64_t campaign, const char *status,
                      int (*fn)(void *ud, const store_person_row_t *p), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_PEOPLE_EACH];
    visit_t v = {fn, ud};

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, status ? status : "", -1);
    return store__each(st, s, row, &v);
}

int store_people_by_phone(store_t *st, int64_t campaign, const char *phone,
                          int (*fn)(void *ud, const store_person_row_t *p), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_PEOPLE_BY_PHONE];
    visit_t v = {fn, ud};

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, phone, -1);
    return store__each(st, s, row, &v);
}

int store_people_dated(store_t *st, int64_t campaign, const char *status, const char *what,
                       const char *from, const char *to,
                       int (*fn)(void *ud, const store_person_row_t *p), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_PEOPLE_DATED];
    visit_t v = {fn, ud};

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, status ? status : "", -1);
    store__bind_text(s, 3, what, -1);
    store__bind_text(s, 4, from, -1);
    store__bind_text(s, 5, to, -1);
    return store__each(st, s, row, &v);
}

int store_lapse_set(store_t *st, int64_t campaign, int64_t person_id, const char *day)
{
    static const char get_sql[] =
        "SELECT lapse_date FROM lapse WHERE campaign_id = ?1 AND person_id = ?2";
    static const char put_sql[] =
        "INSERT INTO lapse(campaign_id, person_id, lapse_date) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(campaign_id, person_id) DO UPDATE SET lapse_date = excluded.lapse_date";
    sqlite3_stmt *s;
    int rc = store__prepare(st, get_sql, &s), had = 0, same = 0;

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        had = 1;
        same = strcmp(store__col(s, 0), day) == 0;
    }
    store__done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__fail(st, rc);
    if (same)
        return 0;
    rc = store__write_iit(st, put_sql, campaign, person_id, day);
    return rc < 0 ? rc : had ? 2 : 1;
}
