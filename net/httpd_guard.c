/* SPDX-License-Identifier: MIT */
#include "net/httpd_guard.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "core/log.h"
#include "core/mem.h"

/* How often the sweeper looks at the table. */
#define SWEEP_MS 200
/* The sweeper's log line comes at most this often. */
#define REPORT_MS 10000

enum { GC_READING, GC_ANSWERING };

/* One client address and how many of the table's open connections are its. */
typedef struct gaddr {
    uint32_t ip;     /* IPv4, network order (0: another family) */
    unsigned open;   /* its connections not being closed */
    unsigned refs;   /* records pointing here, closing ones too */
} gaddr_t;

typedef struct gconn {
    int fd;
    int state;       /* GC_READING: waiting for (the rest of) a request */
    int closing;     /* shut down by the guard, not counted as open */
    int64_t since;   /* GC_READING: when the wait began (ms, monotonic) */
    gaddr_t *addr;
    struct gconn *prev, *next;
} gconn_t;

/* What the table holds and has done. */
typedef struct guard_counts {
    unsigned open;                /* connections in the table, not being closed */
    unsigned long long refused;   /* closed at accept: the table was full */
    unsigned long long evicted;   /* closed to make room for a new connection */
    unsigned long long expired;   /* closed at the request deadline */
} guard_counts_t;

struct guard {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t sweeper;
    int stop, running;
    unsigned max_open;
    int64_t deadline_ms;
    gconn_t *head;
    guard_counts_t n;
    unsigned long long reported_refused, reported_evicted, reported_expired;
    int64_t reported_at;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t ipv4_of(const struct sockaddr *sa)
{
    return sa != NULL && sa->sa_family == AF_INET ? ((const struct sockaddr_in *)sa)->sin_addr.s_addr
                                                  : 0;
}

/* The address record of 'ip' in the table, or NULL (the caller holds the mutex). */
static gaddr_t *find_addr(const guard_t *g, uint32_t ip)
{
    for (const gconn_t *c = g->head; c != NULL; c = c->next)
        if (c->addr->ip == ip)
            return c->addr;
    return NULL;
}

/* Close 'c' through its socket (the caller holds the mutex). */
static void close_conn(guard_t *g, gconn_t *c)
{
    shutdown(c->fd, SHUT_RDWR);
    c->closing = 1;
    c->addr->open--;
    g->n.open--;
}

/* Whose slot a new connection from an address holding 'mine' connections may take:
 * the connection waiting longest for a request among those of an address holding at
 * least two more than 'mine' (the table stays fair between addresses, so a
 * newcomer is never kept out by a crowd from elsewhere), or among the address's own
 * connections that have waited GUARD_EVICT_MIN_MS (a pool of idle keep-alive
 * connections does not lock its owner out). NULL: refuse the newcomer. */
static gconn_t *victim(const guard_t *g, uint32_t ip, unsigned mine, int64_t now)
{
    gconn_t *best = NULL;

    for (gconn_t *c = g->head; c != NULL; c = c->next) {
        if (c->closing || c->state != GC_READING)
            continue;
        if ((c->addr->open > mine + 1 ||
             (c->addr->ip == ip && now - c->since >= GUARD_EVICT_MIN_MS)) &&
            (best == NULL || c->since < best->since))
            best = c;
    }
    return best;
}

enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    guard_t *g = cls;
    enum MHD_Result ok = MHD_YES;

    (void)addrlen;
    pthread_mutex_lock(&g->mu);
    if (g->n.open >= g->max_open) {
        uint32_t ip = ipv4_of(addr);
        const gaddr_t *a = find_addr(g, ip);
        gconn_t *v = victim(g, ip, a != NULL ? a->open : 0, now_ms());
        if (v != NULL) {
            close_conn(g, v);
            g->n.evicted++;
        } else {
            g->n.refused++;
            ok = MHD_NO;
        }
    }
    pthread_mutex_unlock(&g->mu);
    return ok;
}

void guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                  enum MHD_ConnectionNotificationCode code)
{
    guard_t *g = cls;
    gconn_t *c = *socket_context;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *peer =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        uint32_t ip = ipv4_of(peer != NULL ? peer->client_addr : NULL);
        c = xcalloc(1, sizeof *c);
        c->fd = fd != NULL ? fd->connect_fd : -1;
        c->state = GC_READING;
        c->since = now_ms();
        pthread_mutex_lock(&g->mu);
        c->addr = find_addr(g, ip);
        if (c->addr == NULL) {
            c->addr = xcalloc(1, sizeof *c->addr);
            c->addr->ip = ip;
        }
        c->addr->open++;
        c->addr->refs++;
        c->next = g->head;
        if (g->head != NULL)
            g->head->prev = c;
        g->head = c;
        g->n.open++;
        pthread_mutex_unlock(&g->mu);
        *socket_context = c;
        return;
    }
    if (c == NULL)
        return;
    pthread_mutex_lock(&g->mu);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    if (!c->closing) {
        c->addr->open--;
        g->n.open--;
    }
    if (--c->addr->refs == 0)
        free(c->addr);
    pthread_mutex_unlock(&g->mu);
    free(c);
    *socket_context = NULL;
}

static gconn_t *record_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *i =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i != NULL ? i->socket_context : NULL;
}

static void set_state(guard_t *g, struct MHD_Connection *conn, int state)
{
    gconn_t *c = record_of(conn);

    if (c == NULL)
        return;
    pthread_mutex_lock(&g->mu);
    c->state = state;
    c->since = now_ms();
    pthread_mutex_unlock(&g->mu);
}

void guard_read(guard_t *g, struct MHD_Connection *conn)
{
    set_state(g, conn, GC_ANSWERING);
}

void guard_answered(guard_t *g, struct MHD_Connection *conn)
{
    set_state(g, conn, GC_READING);
}

/* One pass over the table (the caller holds the mutex); logs now and then. */
static void sweep(guard_t *g)
{
    int64_t now = now_ms();

    for (gconn_t *c = g->head; c != NULL; c = c->next)
        if (!c->closing && c->state == GC_READING && now - c->since >= g->deadline_ms) {
            close_conn(g, c);
            g->n.expired++;
        }
    if (now - g->reported_at >= REPORT_MS &&
        (g->n.expired != g->reported_expired || g->n.evicted != g->reported_evicted ||
         g->n.refused != g->reported_refused)) {
        log_write(LL_WARN, "httpd",
                  "connections closed in the last %llds: %llu past the request deadline, "
                  "%llu to make room, %llu refused at the limit of %u",
                  (long long)((now - g->reported_at) / 1000),
                  g->n.expired - g->reported_expired, g->n.evicted - g->reported_evicted,
                  g->n.refused - g->reported_refused, g->max_open);
        g->reported_expired = g->n.expired;
        g->reported_evicted = g->n.evicted;
        g->reported_refused = g->n.refused;
        g->reported_at = now;
    }
}

static void *sweeper(void *arg)
{
    guard_t *g = arg;

    pthread_mutex_lock(&g->mu);
    while (!g->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SWEEP_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (pthread_cond_timedwait(&g->cv, &g->mu, &until) == ETIMEDOUT)
            sweep(g);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

guard_t *guard_create(unsigned max_open, unsigned deadline_ms)
{
    guard_t *g = xcalloc(1, sizeof *g);
    pthread_condattr_t ca;

    g->max_open = max_open;
    g->deadline_ms = deadline_ms;
    g->reported_at = now_ms();
    pthread_mutex_init(&g->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&g->sweeper, NULL, sweeper, g) != 0) {
        guard_destroy(g);
        return NULL;
    }
    g->running = 1;
    return g;
}

void guard_stop(guard_t *g)
{
    if (g == NULL || !g->running)
        return;
    pthread_mutex_lock(&g->mu);
    g->stop = 1;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->sweeper, NULL);
    g->running = 0;
}

void guard_destroy(guard_t *g)
{
    if (g == NULL)
        return;
    guard_stop(g);
    while (g->head != NULL) { /* none once the daemon is stopped */
        gconn_t *c = g->head;
        g->head = c->next;
        if (--c->addr->refs == 0)
            free(c->addr);
        free(c);
    }
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}
