/* SPDX-License-Identifier: MIT */
/*
 * store.h - SQLite persistence: the schema and its migrations, transactions and the
 * connection. The roster, payments and progress live in store_roster.h,
 * store_payment.h and store_status.h; all SQL of canbao lives in store/.
 *
 * Threading: a store_t wraps one sqlite3 connection and is used from one thread.
 * Every statement is prepared once and bound; no SQL is built from input.
 */
#ifndef CB_STORE_STORE_H
#define CB_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

typedef struct store store_t;

/* The schema version store_open migrates to. */
#define STORE_SCHEMA_VERSION 3

/*
 * Open (creating it with mode 0600 if needed) and migrate the database at 'path'
 * (":memory:" for tests). Turns on WAL, foreign keys and a busy timeout.
 * On failure *out is NULL and 'err' (may be NULL) holds the reason.
 */
CB_NODISCARD int store_open(const char *path, store_t **out, char *err, size_t errlen);

/* Finalize every statement and close. NULL is a no-op. */
void store_close(store_t *st);

/* The detail of the last failure on 'st'; borrowed until the next call. */
const char *store_errmsg(const store_t *st);

CB_NODISCARD int store_begin(store_t *st);
CB_NODISCARD int store_commit(store_t *st);
/* Open a read transaction (BEGIN DEFERRED: no write lock): every read until
 * store_commit sees one snapshot. */
CB_NODISCARD int store_read_begin(store_t *st);
/* 1 inside a transaction (store_begin or store_read_begin), else 0. */
int store_in_tx(const store_t *st);
/* Roll back an open transaction; a no-op when none is open. */
void store_rollback(store_t *st);

/* Sync the WAL on every commit (the default, NORMAL, syncs at checkpoints only): for
 * connections whose commits are promised to callers as durable. */
void store_synchronous_full(store_t *st);

/*
 * Work that must be atomic whether or not the caller holds a transaction: without
 * one, begin (BEGIN IMMEDIATE) and commit; inside one, a savepoint that a rollback
 * undoes alone, leaving the caller's earlier work in place. *outer remembers which;
 * pass it to the matching commit or rollback.
 */
CB_NODISCARD int store_nest_begin(store_t *st, int *outer);
CB_NODISCARD int store_nest_commit(store_t *st, int outer);
void store_nest_rollback(store_t *st, int outer);

/*
 * Bulk loading (a roster import): begin drops the indexes only lookups need (the
 * phone index of inbound replies), end builds them again. One sort at the end costs
 * a small part of a million random index inserts (0.9 s against 5 s for 1M persons).
 * Meanwhile a reply's sender is found by a table scan. store_open builds them again
 * when a load died in between. Call outside a transaction.
 */
CB_NODISCARD int store_bulk_begin(store_t *st);
CB_NODISCARD int store_bulk_end(store_t *st);

/* Use up to 'mib' MiB of page cache (bulk imports); the default is SQLite's. */
void store_cache_mib(store_t *st, int mib);

/* Let the write-ahead log grow to about 'mib' MiB before a commit copies it into
 * the database (0: SQLite's default of 1000 pages), but never past a 16th of the
 * volume the database is on; a log reset after a checkpoint is cut back to that size.
 * Best effort, like the above. */
void store_wal_mib(store_t *st, int mib);

/* 1 when the last failure on 'st' was for want of disk space (SQLITE_FULL, or an I/O
 * error with ENOSPC); ask before anything else runs on 'st', a rollback included. */
int store_out_of_space(const store_t *st);
/* Copy the whole write-ahead log into the database and truncate it to nothing
 * (waiting for readers as the busy handler says): what frees the disk when the log
 * filled it. CB_OK, or the failure (the disk may still be too full to grow the
 * database). */
CB_NODISCARD int store_wal_truncate(store_t *st);

/* Wait for another connection's write lock in short steps (0.1 ms) rather than
 * SQLite's default 1, 2, 5, 10... ms sleeps, giving up after 'ms' or more (0:
 * 5000, as store_open's busy timeout): for a connection whose every transaction
 * others wait on (the daemon's writer). */
void store_busy_poll(store_t *st, int ms);

/*
 * Enforce foreign keys (on, as store_open leaves it) or not (off) on this
 * connection. Only outside a transaction: CB_ESTATE inside one (SQLite would
 * ignore the change there). A bulk writer that creates every parent row itself in
 * the same transactions may turn them off to spare a lookup per reference; it
 * must turn them on again, also when it fails.
 */
CB_NODISCARD int store_foreign_keys(store_t *st, int on);

/* Campaigns: one per coverage year, with the policy text it was created with. */
CB_NODISCARD int store_campaign_create(store_t *st, int year, const char *county,
                                       const char *policy_json, int64_t now, int64_t *id);
/* The campaign of the latest coverage year. *policy_json is the caller's to free().
 * CB_ENOTFOUND when the database has no campaign (not initialised). */
CB_NODISCARD int store_campaign_current(store_t *st, int64_t *id, char **policy_json);

#endif
