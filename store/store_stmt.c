/* SPDX-License-Identifier: MIT */
/*
 * store_stmt.c - statements outside the table every connection prepares at open:
 * prepared on first use and kept per connection (store__prepare), and a helper
 * for the common small write.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "store/store_internal.h"

int store__prepare(store_t *st, const char *sql, sqlite3_stmt **s)
{
    size_t h = ((uintptr_t)sql >> 3) % STORE__CACHED;
    int rc;

    for (size_t k = 0; k < STORE__CACHED; k++, h = (h + 1) % STORE__CACHED) {
        if (st->cached[h].sql == sql) {
            *s = st->cached[h].stmt;
            store__done(*s); /* in case a caller's error path left it mid-step */
            return CB_OK;
        }
        if (st->cached[h].sql == NULL)
            break;
    }
    rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*s);
        *s = NULL;
        return store__fail(st, rc);
    }
    if (st->cached[h].sql == NULL) { /* else the cache is full: finalized with the rest */
        st->cached[h].sql = sql;
        st->cached[h].stmt = *s;
    } else {
        fprintf(stderr, "canbao: store__prepare: more than %d cached statements\n",
                STORE__CACHED);
        abort(); /* a programming error: raise STORE__CACHED */
    }
    return CB_OK;
}

int store__write_iit(store_t *st, const char *sql, int64_t a, int64_t b, const char *text)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    store__bind_text(s, 3, text, -1);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db);
}
