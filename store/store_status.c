/* SPDX-License-Identifier: MIT */
#include "store/store_status.h"

#include <stdio.h>
#include <stdlib.h>

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
