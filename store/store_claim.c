/* SPDX-License-Identifier: MIT */
#include "store/store_claim.h"

#include <stdio.h>

#include "core/err.h"
#include "store/store_internal.h"

int store_claim_add(store_t *st, int64_t campaign, int64_t person_id, const char *kind,
                    const char *receipt, const char *text, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_CLAIM_FIND_OPEN];
    int64_t id = 0;
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    store__bind_text(s, 3, kind, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(s, 0);
    store__done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__fail(st, rc);
    if (id != 0) {
        s = st->stmt[ST_CLAIM_UPDATE];
        sqlite3_bind_int64(s, 1, id);
        store__bind_text(s, 2, receipt, -1);
        store__bind_text(s, 3, text, -1);
        rc = store__exec(st, s);
        return rc < 0 ? rc : 0;
    }
    s = st->stmt[ST_CLAIM_INSERT];
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    store__bind_text(s, 3, kind, -1);
    store__bind_text(s, 4, receipt, -1);
    store__bind_text(s, 5, text, -1);
    sqlite3_bind_int64(s, 6, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : 1;
}

typedef struct visit {
    int (*fn)(void *ud, const store_claim_row_t *c);
    void *ud;
} visit_t;

static int claim_row(void *ud, sqlite3_stmt *s)
{
    const visit_t *v = ud;
    store_claim_row_t c = {
        .id = sqlite3_column_int64(s, 0),
        .person_id = sqlite3_column_int64(s, 1),
        .area_id = sqlite3_column_int64(s, 2),
        .kind = store__col(s, 3),
        .receipt = store__col(s, 4),
        .text = store__col(s, 5),
        .state = store__col(s, 6),
        .created_at = sqlite3_column_int64(s, 7),
        .id_number = store__col(s, 8),
        .name = store__col(s, 9),
    };
    return v->fn(v->ud, &c);
}

int store_claims_each(store_t *st, int64_t campaign, const char *state,
                      int (*fn)(void *ud, const store_claim_row_t *c), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_CLAIM_LIST];
    visit_t v = {fn, ud};

    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, state ? state : "", -1);
    return store__each(st, s, claim_row, &v);
}

int store_claim_resolve(store_t *st, int64_t campaign, int64_t id, const char *state,
                        const char *by, int64_t now, int64_t *person_id, char kind[24],
                        char status[24])
{
    sqlite3_stmt *s = st->stmt[ST_CLAIM_RESOLVE];
    int rc;

    sqlite3_bind_int64(s, 1, id);
    store__bind_text(s, 2, state, -1);
    store__bind_text(s, 3, by, -1);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, campaign);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_text(s, 1), *v = sqlite3_column_text(s, 2);
        *person_id = sqlite3_column_int64(s, 0);
        snprintf(kind, 24, "%s", k ? (const char *)k : "");
        snprintf(status, 24, "%s", v ? (const char *)v : "");
        rc = sqlite3_step(s);
        store__done(s);
        return rc == SQLITE_DONE ? 1 : store__fail(st, rc);
    }
    store__done(s);
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int store_claim_for_payment(store_t *st, int64_t campaign, int64_t person_id, int64_t *id,
                            int *open)
{
    sqlite3_stmt *s = st->stmt[ST_CLAIM_FOR_PAYMENT];
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        *open = sqlite3_column_int(s, 1);
    }
    store__done(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int store_claim_settle(store_t *st, int64_t id, int64_t payment_id, const char *by, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_CLAIM_SETTLE];

    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, payment_id);
    store__bind_text(s, 3, by, -1);
    sqlite3_bind_int64(s, 4, now);
    return store__exec(st, s);
}
