/* SPDX-License-Identifier: MIT */
#include "store/store_waiver.h"

#include <string.h>

#include "core/err.h"
#include "store/store_internal.h"

int store_waiver_request(store_t *st, int64_t campaign, int64_t person_id, int reason,
                         const char *reason_text, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_WAIVER_FIND];
    int64_t id = 0;
    int pending = 0, rc;

    if (reason < 0 || reason > WAIVER_REASON_MAX)
        return CB_EINVAL;
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(s, 0);
        pending = strcmp(store__col(s, 1), "pending") == 0;
    }
    store__done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__fail(st, rc);
    if (id != 0) {
        if (!pending)
            return 0;
        s = st->stmt[ST_WAIVER_UPDATE];
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, reason);
        store__bind_text(s, 3, reason_text, -1);
        rc = store__exec(st, s);
        return rc < 0 ? rc : 0;
    }
    s = st->stmt[ST_WAIVER_INSERT];
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    sqlite3_bind_int(s, 3, reason);
    store__bind_text(s, 4, reason_text, -1);
    sqlite3_bind_int64(s, 5, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : 1;
}

int store_waiver_confirm(store_t *st, int64_t campaign, int64_t person_id, const char *by,
                         int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_WAIVER_CONFIRM];
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    store__bind_text(s, 3, by, -1);
    sqlite3_bind_int64(s, 4, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) > 0;
}

typedef struct visit {
    int (*fn)(void *ud, const store_waiver_row_t *w);
    void *ud;
} visit_t;

static int waiver_row(void *ud, sqlite3_stmt *s)
{
    const visit_t *v = ud;
    store_waiver_row_t w = {
        .id = sqlite3_column_int64(s, 0),
        .person_id = sqlite3_column_int64(s, 1),
        .area_id = sqlite3_column_int64(s, 2),
        .name = store__col(s, 3),
        .id_number = store__col(s, 4),
        .reason = sqlite3_column_int(s, 5),
        .reason_text = store__col(s, 6),
        .state = store__col(s, 7),
        .requested_at = sqlite3_column_int64(s, 8),
        .confirmed_by = store__col(s, 9),
        .confirmed_at = sqlite3_column_int64(s, 10),
    };
    return v->fn(v->ud, &w);
}

int store_waivers_each(store_t *st, int64_t campaign, const char *state,
                       int (*fn)(void *ud, const store_waiver_row_t *w), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_WAIVER_LIST];
    visit_t v = {fn, ud};

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, state ? state : "", -1);
    return store__each(st, s, waiver_row, &v);
}
