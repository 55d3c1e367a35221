/* SPDX-License-Identifier: MIT */
/* store_tune.c - per-connection settings: page cache, checkpoint size, durability of
 * commits, how to wait for another connection's write lock; a full disk. */
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <time.h>

#include "core/err.h"

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

/* The size of the volume holding the database in MiB (0: unknown, or in memory). */
static long long volume_mib(store_t *st)
{
    const char *path = sqlite3_db_filename(st->db, "main");
    struct statvfs v;

    if (path == NULL || *path == '\0' || statvfs(path, &v) != 0)
        return 0;
    return (long long)v.f_blocks * (long long)v.f_frsize / (1024 * 1024);
}

static void pragma_int(store_t *st, const char *name, long long value)
{
    sqlite3_stmt *s = NULL;
    char sql[80];

    snprintf(sql, sizeof sql, "PRAGMA %s = %lld", name, value);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK)
        sqlite3_step(s);
    sqlite3_finalize(s);
}

void store_wal_mib(store_t *st, int mib)
{
    sqlite3_stmt *s = NULL;
    long long page = 4096, pages, vol = volume_mib(st);

    if (sqlite3_prepare_v2(st->db, "PRAGMA page_size", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
        page = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    pages = mib > 0 ? (long long)mib * 1024 * 1024 / page : 1000; /* SQLite's default */
    /* On a small volume such a log could take the whole disk, and then no checkpoint
     * could grow the database to empty it: a 16th of the volume at most (3 MiB of a
     * 48 MB one). */
    if (vol > 0 && pages * page > vol * 1024 * 1024 / 16)
        pages = vol * 1024 * 1024 / 16 / page > 0 ? vol * 1024 * 1024 / 16 / page : 1;
    pragma_int(st, "wal_autocheckpoint", pages);
    /* Once checkpointed and reset, a log that grew past this (a long transaction, a
     * checkpoint held up by a reader) is cut back rather than kept at its largest. */
    pragma_int(st, "journal_size_limit", pages * page);
}

int store_out_of_space(const store_t *st)
{
    int ext = sqlite3_extended_errcode(st->db);

    return (ext & 0xff) == SQLITE_FULL ||
           ((ext & 0xff) == SQLITE_IOERR && sqlite3_system_errno(st->db) == ENOSPC);
}

int store_wal_truncate(store_t *st)
{
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

    return rc == SQLITE_OK ? CB_OK : store__fail(st, rc);
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
