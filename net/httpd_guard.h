/* SPDX-License-Identifier: MIT */
/*
 * httpd_guard.h - the connection table behind httpd.c (internal to net/): how many
 * connections are open, since when each one waits for its request, and a sweeper
 * thread that closes a connection whose request (headers and body) has not arrived
 * within the deadline of its accept or of the connection's previous answer.
 * libmicrohttpd's own timeout counts from the last byte received, so a client sending
 * a byte a second would hold its slot for ever; this deadline does not move.
 *
 * At the connection limit a new connection takes the slot of a connection waiting for
 * its request: one from an address that holds at least two more connections than the
 * newcomer's (so a crowd from a few addresses cannot keep anyone else out), or the
 * newcomer's own address's connection that has waited longest, if that was at least
 * GUARD_EVICT_MIN_MS (idle keep-alive connections do not lock their owner out). With
 * no such connection the newcomer is refused (closed at once) rather than left in the
 * listen queue.
 *
 * A connection is closed by shutdown(2) of its socket: libmicrohttpd then reads the
 * end of the stream on its own thread and closes the connection normally. The record
 * (and so the descriptor it names) is removed under the table's mutex in the CLOSED
 * notification, which libmicrohttpd makes before it closes the descriptor, so a
 * shutdown never reaches a descriptor number that was closed and reused.
 *
 * Threading: guard_accept, guard_notify, guard_read and guard_answered run on the
 * libmicrohttpd thread; the sweeper on its own; all of them take the table's mutex.
 */
#ifndef CB_NET_HTTPD_GUARD_H
#define CB_NET_HTTPD_GUARD_H

#include <microhttpd.h>

#include "core/compiler.h"

/* How long a connection must have waited for its request before a newcomer from the
 * same address may take its slot at the limit. */
#define GUARD_EVICT_MIN_MS 1000

typedef struct guard guard_t;

/* 'max_open' connections at most; 'deadline_ms' for each request. Starts the
 * sweeper; NULL when the thread cannot start. */
CB_NODISCARD guard_t *guard_create(unsigned max_open, unsigned deadline_ms);
/* Stop the sweeper (before MHD_stop_daemon), then guard_destroy after it. */
void guard_stop(guard_t *g);
void guard_destroy(guard_t *g);

/* MHD_OPTION_ACCEPT_POLICY: room for one more connection? ('cls' is the guard) */
enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* MHD_OPTION_NOTIFY_CONNECTION: a connection opened or closed. */
void guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                  enum MHD_ConnectionNotificationCode code);
/* The connection's request is read in full: no deadline while it is answered. */
void guard_read(guard_t *g, struct MHD_Connection *conn);
/* Its answer went out: the deadline of the next request starts now. */
void guard_answered(guard_t *g, struct MHD_Connection *conn);

#endif
