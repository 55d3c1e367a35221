/* SPDX-License-Identifier: MIT */
#include "net/httpd.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/mem.h"
#include "net/httpd_guard.h"

/* Connections the guard has shut down stay in libmicrohttpd's table until its thread
 * reads their end: room for them above max_connections. */
#define CLOSING_ROOM 64

struct httpd {
    struct MHD_Daemon *d;
    guard_t *guard;
    httpd_handler_fn *handler;
    httpd_done_fn *done;
    void *ud;
    size_t max_body;
    int port;
};

enum { REQ_READING, REQ_HANDLED };

struct httpd_req {
    httpd_t *h;
    struct MHD_Connection *conn;
    pthread_mutex_t mu;
    int state, too_big, deferred, suspended, answered;
    char *method, *path;
    char *body;
    size_t len, cap;
    double started;
    /* the answer */
    unsigned status;
    char *ctype, *resp;
    size_t resp_len;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum MHD_Result queue(httpd_req_t *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->resp_len, r->resp, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ret;

    r->resp = NULL; /* MHD owns it now */
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
    ret = MHD_queue_response(r->conn, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void append(httpd_req_t *r, const char *data, size_t n)
{
    if (r->too_big || r->len + n > r->h->max_body) {
        r->too_big = 1;
        return;
    }
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->body = xrealloc(r->body, r->cap);
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_len, void **state)
{
    httpd_t *h = cls;
    httpd_req_t *r = *state;
    enum MHD_Result ret;

    (void)version;
    if (r == NULL) {
        r = xcalloc(1, sizeof *r);
        pthread_mutex_init(&r->mu, NULL);
        r->h = h;
        r->conn = conn;
        r->method = xstrdup(method);
        r->path = xstrdup(url);
        r->body = xmalloc(1);
        r->body[0] = '\0';
        r->cap = 1;
        r->started = mono();
        *state = r;
        return MHD_YES;
    }
    if (*upload_len > 0) {
        append(r, upload, *upload_len);
        *upload_len = 0;
        return MHD_YES;
    }
    if (r->state == REQ_READING) {
        r->state = REQ_HANDLED;
        guard_read(h->guard, conn);
        if (r->too_big)
            httpd_error(r, 413, "request body too large");
        else
            h->handler(h->ud, r);
    }
    pthread_mutex_lock(&r->mu);
    if (r->answered) {
        ret = queue(r);
    } else {
        /* Deferred and not answered yet: park the connection until it is. */
        r->suspended = 1;
        MHD_suspend_connection(conn);
        ret = MHD_YES;
    }
    pthread_mutex_unlock(&r->mu);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
                         enum MHD_RequestTerminationCode why)
{
    httpd_t *h = cls;
    httpd_req_t *r = *state;

    (void)why;
    guard_answered(h->guard, conn);
    if (r == NULL)
        return;
    if (h->done != NULL && r->answered)
        h->done(h->ud, r->path, r->status, mono() - r->started);
    pthread_mutex_destroy(&r->mu);
    free(r->method);
    free(r->path);
    free(r->body);
    free(r->ctype);
    free(r->resp);
    free(r);
    *state = NULL;
}

/* The polling mode. Not MHD_USE_EPOLL: libmicrohttpd 0.9.75 drains epoll 128 events
 * at a time and calls epoll_wait again, with the blocking timeout, after every full
 * batch, then handles the batches. When a multiple of 128 connections are ready
 * together (with the default limit of 512, always, once every slot is busy) the
 * thread sleeps in that extra epoll_wait until some other event or the idle timeout,
 * with the ready requests unanswered: 128 or 256 busy keep-alive clients brought
 * 80,000 requests/s down to a few hundred, and 520 clients left it stuck after they
 * left. poll(2) looks at every descriptor each round and has no such batch. */
#define HTTPD_FLAGS (MHD_USE_POLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME)

static struct MHD_Daemon *start_mhd(httpd_t *h, const httpd_opts_t *o,
                                    const struct sockaddr_in *sin)
{
    unsigned max = o->max_connections ? o->max_connections : 512;

    return MHD_start_daemon(
        HTTPD_FLAGS, 0, guard_accept, h->guard, on_access, h, MHD_OPTION_SOCK_ADDR, sin,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_NOTIFY_CONNECTION,
        guard_notify, h->guard, MHD_OPTION_CONNECTION_LIMIT, max + CLOSING_ROOM,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_address,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s ? o->timeout_s : 10),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(o->max_header_bytes ? o->max_header_bytes : 16384), MHD_OPTION_END);
}

int httpd_start(const httpd_opts_t *o, httpd_handler_fn *handler, void *ud, httpd_t **out,
                char *err, size_t errlen)
{
    httpd_t *h = xcalloc(1, sizeof *h);
    struct sockaddr_in sin = {0};
    const union MHD_DaemonInfo *info;

    *out = NULL;
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->addr ? o->addr : "127.0.0.1", &sin.sin_addr) != 1) {
        snprintf(err, errlen, "listen address '%s' is not an IPv4 address", o->addr);
        free(h);
        return CB_EINVAL;
    }
    h->handler = handler;
    h->done = o->done;
    h->ud = ud;
    h->max_body = o->max_body ? o->max_body : 65536;
    h->guard = guard_create(o->max_connections ? o->max_connections : 512,
                            (o->deadline_s ? o->deadline_s : 10) * 1000);
    if (h->guard == NULL) {
        snprintf(err, errlen, "cannot start the connection sweeper thread");
        free(h);
        return CB_ENOMEM;
    }
    h->d = start_mhd(h, o, &sin);
    if (h->d == NULL) {
        snprintf(err, errlen, "cannot listen on %s:%d", o->addr ? o->addr : "127.0.0.1",
                 o->port);
        guard_destroy(h->guard);
        free(h);
        return CB_EIO;
    }
    info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : o->port;
    *out = h;
    return CB_OK;
}

int httpd_port(const httpd_t *h)
{
    return h->port;
}

void httpd_quiesce(httpd_t *h)
{
    MHD_socket s = MHD_quiesce_daemon(h->d);
    (void)s; /* MHD keeps owning the listening socket and closes it on stop */
}

void httpd_stop(httpd_t *h)
{
    if (h == NULL)
        return;
    guard_stop(h->guard);
    MHD_stop_daemon(h->d);
    guard_destroy(h->guard);
    free(h);
}

const char *httpd_method(const httpd_req_t *r)
{
    return r->method;
}

const char *httpd_path(const httpd_req_t *r)
{
    return r->path;
}

const char *httpd_header(const httpd_req_t *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *httpd_query(const httpd_req_t *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result nul_in(void *cls, enum MHD_ValueKind kind, const char *key,
                              size_t key_size, const char *value, size_t value_size)
{
    int *found = cls;

    (void)kind;
    if ((key != NULL && strlen(key) != key_size) ||
        (value != NULL && strlen(value) != value_size)) {
        *found = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

int httpd_query_has_nul(const httpd_req_t *r)
{
    int found = 0;

    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, nul_in, &found);
    return found;
}

const char *httpd_body(const httpd_req_t *r, size_t *len)
{
    if (len != NULL)
        *len = r->len;
    return r->body;
}

void httpd_defer(httpd_req_t *r)
{
    r->deferred = 1;
}

void httpd_respond(httpd_req_t *r, unsigned status, const char *content_type, const char *body,
                   size_t len)
{
    char *copy = xmalloc(len + 1);

    memcpy(copy, body, len);
    copy[len] = '\0';
    pthread_mutex_lock(&r->mu);
    r->status = status;
    r->ctype = xstrdup(content_type ? content_type : "application/json");
    r->resp = copy;
    r->resp_len = len;
    r->answered = 1;
    if (r->suspended) {
        r->suspended = 0;
        MHD_resume_connection(r->conn);
    }
    pthread_mutex_unlock(&r->mu);
}

void httpd_error(httpd_req_t *r, unsigned status, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    char *s;

    cJSON_AddStringToObject(o, "error", message);
    s = cJSON_PrintUnformatted(o);
    httpd_respond(r, status, "application/json", s, strlen(s));
    free(s);
    cJSON_Delete(o);
}
