/* SPDX-License-Identifier: MIT */
/*
 * store_lock.h - one daemon per database: 'canbao serve' holds an exclusive flock(2)
 * on a descriptor of the database file for its whole life, and a second one refuses
 * to start. Other commands (import, send, status...) do not take it: they share the
 * database through SQLite's own locks as before.
 *
 * Why flock on the database itself rather than a pid file: the lock goes with the
 * process (a crash or kill -9 releases it, no stale file to clean up) and it names
 * the database whatever path or link it was reached by (flock locks the inode).
 *
 * The descriptor must stay open until every SQLite connection of the process to that
 * database is closed, and be closed only then: closing any descriptor of a file drops
 * all of the process's POSIX (fcntl) locks on it, and SQLite's locks are POSIX locks
 * (store.c's create_private says the same). flock locks are separate from POSIX locks
 * on local Linux file systems, so holding it does not disturb SQLite's locking; on NFS
 * Linux emulates flock with POSIX locks and it would, but SQLite's WAL mode does not
 * work on NFS anyway (it needs shared memory on one host).
 */
#ifndef CB_STORE_STORE_LOCK_H
#define CB_STORE_STORE_LOCK_H

#include <stddef.h>

#include "core/compiler.h"

/* Take the daemon lock of the database at 'path'; *fd holds it (-1 when the file does
 * not exist yet or is ":memory:": nothing to lock, opening it will say why). CB_EBUSY
 * when another process holds it, with 'err' naming the database and, where
 * /proc/locks tells, that process's pid. */
CB_NODISCARD int store_lock_daemon(const char *path, int *fd, char *err, size_t errlen);
/* Release it: only after every connection to the database is closed. -1: no-op. */
void store_unlock_daemon(int fd);

#endif
