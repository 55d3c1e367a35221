/* SPDX-License-Identifier: MIT */
#include "store/store_people.h"

#include "core/err.h"
#include "store/store_internal.h"

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

int store_people_each(store_t *st, int64_t campaign, const char *status,
                      int (*fn)(void *ud, const store_person_row_t *p), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_PEOPLE_EACH];
    int rc, stop = 0;

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, status ? status : "", -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_person_row_t p = {
            .id = sqlite3_column_int64(s, 0),
            .area_id = sqlite3_column_int64(s, 1),
            .key = sqlite3_column_int64(s, 2),
            .id_number = col(s, 3),
            .name = col(s, 4),
            .phone = col(s, 5),
            .household = col(s, 6),
            .status = col(s, 7),
            .categories = col(s, 8),
        };
        stop = fn(ud, &p);
        if (stop != 0)
            break;
    }
    store__done(s);
    if (stop != 0)
        return stop;
    return rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}
