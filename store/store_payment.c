/* SPDX-License-Identifier: MIT */
#include "store/store_payment.h"

#include <stdio.h>

#include "core/err.h"
#include "store/store_internal.h"

int store_payment_add(store_t *st, int64_t campaign, const store_payment_t *p, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_PAYMENT_INSERT];

    store__bind_text(s, 1, p->receipt, -1);
    sqlite3_bind_int64(s, 2, campaign);
    if (p->person_id > 0)
        sqlite3_bind_int64(s, 3, p->person_id);
    store__bind_text(s, 4, p->id_number, -1);
    sqlite3_bind_int64(s, 5, p->amount_fen);
    store__bind_text(s, 6, p->channel, -1);
    store__bind_text(s, 7, p->paid_at, -1);
    store__bind_text(s, 8, p->source, -1);
    store__bind_text(s, 9, p->problem, -1);
    sqlite3_bind_int64(s, 10, now);
    store__bind_text(s, 11, p->name, -1);
    return store__exec(st, s);
}

int store_payment_find(store_t *st, const char *receipt, char *id_number, int64_t *amount_fen,
                       char *problem, size_t problen)
{
    sqlite3_stmt *s = st->stmt[ST_PAYMENT_FIND];
    int rc;

    store__bind_text(s, 1, receipt, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(id_number, 19, "%s", (const char *)sqlite3_column_text(s, 0));
        *amount_fen = sqlite3_column_int64(s, 1);
        snprintf(problem, problen, "%s",
                 sqlite3_column_type(s, 2) == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(s, 2));
    }
    store__done(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int64_t store_payment_last_id(store_t *st)
{
    return (int64_t)sqlite3_last_insert_rowid(st->db);
}

int store_payment_max_id(store_t *st, int64_t *id)
{
    sqlite3_stmt *s = st->stmt[ST_PAYMENT_MAX_ID];
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    store__done(s);
    return rc == SQLITE_ROW ? CB_OK : store__fail(st, rc);
}
