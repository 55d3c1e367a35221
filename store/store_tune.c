/* SPDX-License-Identifier: MIT */
/* store_tune.c - per-connection settings: page cache, checkpoint size, durability of
 * commits, how to wait for another connection's write lock. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "store/store.h"
#include "store/store_internal.h"

void store_cache_mib(store_t *st, int mib)
{
    sqlite3_stmt *s = NULL;
    char sql[48];

    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", mib * 1024);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK)
        sqlite3_step(s);
    sqlite3_finalize(s);
}

void store_wal_mib(store_t *st, int mib)
{
    sqlite3_stmt *s = NULL;
    long long pages = 1000; /* SQLITE_DEFAULT_WAL_AUTOCHECKPOINT */
    char sql[64];

    if (mib > 0 && sqlite3_prepare_v2(st->db, "PRAGMA page_size", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
        pages = (long long)mib * 1024 * 1024 / sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %lld", pages);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK)
        sqlite3_step(s);
    sqlite3_finalize(s);
}

/* sqlite3_busy_handler callback: 'n' waits so far, 0.1 ms each; 'ud' is the most
 * waits (an integer, not a pointer). */
static int busy_poll(void *ud, int n)
{
    struct timespec step = {0, 100 * 1000};

    if (n >= (int)(intptr_t)ud)
        return 0;
    nanosleep(&step, NULL);
    return 1;
}

void store_busy_poll(store_t *st, int ms)
{
    sqlite3_busy_handler(st->db, busy_poll, (void *)(intptr_t)(ms > 0 ? ms * 10 : 50000));
}

void store_synchronous_full(store_t *st)
{
    sqlite3_stmt *s = NULL;

    if (sqlite3_prepare_v2(st->db, "PRAGMA synchronous = FULL", -1, &s, NULL) == SQLITE_OK)
        sqlite3_step(s);
    sqlite3_finalize(s);
}
