/* SPDX-License-Identifier: MIT */
#include "store/store_inbound.h"

#include <stdio.h>

#include "core/err.h"
#include "store/store_internal.h"

int store_inbound_add(store_t *st, const char *msg_id, const char *channel, const char *sender,
                      const char *text, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_INBOUND_INSERT];
    int rc;

    store__bind_text(s, 1, msg_id, -1);
    store__bind_text(s, 2, channel, -1);
    store__bind_text(s, 3, sender, -1);
    store__bind_text(s, 4, text, -1);
    sqlite3_bind_int64(s, 5, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) > 0;
}

int store_inbound_get(store_t *st, const char *msg_id, int64_t *person_id, char *intent,
                      size_t len)
{
    sqlite3_stmt *s = st->stmt[ST_INBOUND_GET];
    int rc;

    store__bind_text(s, 1, msg_id, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *person_id = sqlite3_column_int64(s, 0);
        snprintf(intent, len, "%s", store__col(s, 1));
    }
    store__done(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int store_inbound_set(store_t *st, const char *msg_id, int64_t person_id, const char *intent)
{
    sqlite3_stmt *s = st->stmt[ST_INBOUND_SET];

    store__bind_text(s, 1, msg_id, -1);
    sqlite3_bind_int64(s, 2, person_id);
    store__bind_text(s, 3, intent, -1);
    return store__exec(st, s);
}

int store_handoff_add(store_t *st, int64_t person_id, const char *msg_id, const char *text,
                      int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_HANDOFF_INSERT];

    sqlite3_bind_int64(s, 1, person_id);
    store__bind_text(s, 2, msg_id, -1);
    store__bind_text(s, 3, text, -1);
    sqlite3_bind_int64(s, 4, now);
    return store__exec(st, s);
}

typedef struct visit {
    int (*fn)(void *ud, const store_handoff_row_t *h);
    void *ud;
} visit_t;

static int handoff_row(void *ud, sqlite3_stmt *s)
{
    const visit_t *v = ud;
    store_handoff_row_t h = {
        .id = sqlite3_column_int64(s, 0),
        .person_id = sqlite3_column_int64(s, 1),
        .area_id = sqlite3_column_int64(s, 2),
        .sender = store__col(s, 3),
        .text = store__col(s, 4),
        .created_at = sqlite3_column_int64(s, 5),
    };
    return v->fn(v->ud, &h);
}

int store_handoffs_open(store_t *st, int (*fn)(void *ud, const store_handoff_row_t *h), void *ud)
{
    visit_t v = {fn, ud};

    return store__each(st, st->stmt[ST_HANDOFF_LIST], handoff_row, &v);
}

int store_handoff_resolve(store_t *st, int64_t id, const char *by, int64_t now)
{
    static const char sql[] = "UPDATE handoff SET resolved_at = ?2, resolved_by = ?3"
                              " WHERE id = ?1 AND resolved_at IS NULL";
    int rc = store__write_iit(st, sql, id, now, by);
    return rc < 0 ? rc : rc > 0;
}
