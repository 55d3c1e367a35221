/* SPDX-License-Identifier: MIT */
#include "store/store_conv.h"

#include <stdio.h>

#include "core/err.h"
#include "store/store_internal.h"

int store_conv_by_phone(store_t *st, int64_t campaign, const char *phone, int64_t now,
                        store_conv_t *out)
{
    sqlite3_stmt *s = st->stmt[ST_CONV_BY_PHONE];
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, phone, -1);
    sqlite3_bind_int64(s, 3, now);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->person_id = sqlite3_column_int64(s, 0);
        snprintf(out->state, sizeof out->state, "%s", store__col(s, 1));
        snprintf(out->survey, sizeof out->survey, "%s", store__col(s, 2));
        out->step = sqlite3_column_int(s, 3);
        out->expires_at = sqlite3_column_int64(s, 4);
    }
    store__done(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int store_conv_set(store_t *st, int64_t campaign, const store_conv_t *c)
{
    sqlite3_stmt *s = st->stmt[ST_CONV_SET];

    sqlite3_bind_int64(s, 1, c->person_id);
    sqlite3_bind_int64(s, 2, campaign);
    store__bind_text(s, 3, c->state, -1);
    store__bind_text(s, 4, c->survey, -1);
    sqlite3_bind_int(s, 5, c->step);
    sqlite3_bind_int64(s, 6, c->expires_at);
    return store__exec(st, s);
}

int store_conv_end(store_t *st, int64_t campaign, int64_t person_id)
{
    sqlite3_stmt *s = st->stmt[ST_CONV_END];

    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int64(s, 2, campaign);
    return store__exec(st, s);
}

int store_conv_end_phone(store_t *st, int64_t campaign, const char *phone)
{
    sqlite3_stmt *s = st->stmt[ST_CONV_END_PHONE];

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, phone, -1);
    return store__exec(st, s);
}
