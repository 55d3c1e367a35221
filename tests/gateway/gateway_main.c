/* SPDX-License-Identifier: MIT */
/*
 * cb_test_gateway: the server. Routes requests to the checks in gateway_check.c, injects
 * faults (POST /control), counts (GET /stats) and writes one JSON line per accepted message
 * to --log. Listens on 127.0.0.1 only. See README.md "Test peers" for the options.
 */
#include "tests/gateway/gateway.h"

#include "core/compiler.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum ep { EP_WECOM, EP_DINGTALK, EP_WEBHOOK, EP_SMS, EP_SINK, EP_MO, EP_DLR, EP_CONTROL, EP_STATS,
          EP_COUNT };
static const char *const ep_name[EP_COUNT] = {"wecom", "dingtalk", "webhook", "sms", "sink",
                                              "mo",    "dlr",      "control", "stats"};
#define EP_FAULTABLE(e) ((e) <= EP_DLR)

static const struct {
    const char *path;
    const char *methods; /* space separated */
    enum ep ep;
} routes[] = {
    {"/wecom/send", "POST", EP_WECOM}, {"/dingtalk/send", "POST", EP_DINGTALK},
    {"/webhook", "POST", EP_WEBHOOK},  {"/sms", "POST", EP_SMS},
    {"/sink", "GET POST", EP_SINK},    {"/mo", "GET", EP_MO},
    {"/dlr", "GET", EP_DLR},           {"/control", "GET POST", EP_CONTROL},
    {"/stats", "GET", EP_STATS},
};

enum mode { M_OK, M_SLOW, M_5XX, M_429, M_DROP, M_FLAKY, M_COUNT };
static const char *const mode_name[M_COUNT] = {"ok", "slow", "5xx", "429", "drop", "flaky"};

struct counters {
    atomic_ulong requests, accepted, rejected, faulted, duplicates;
};

enum phase { PH_NEW, PH_BODY, PH_DELAYED };

struct req {
    char *uri; /* raw request target, query included */
    int ep;    /* enum ep, -1 = no route, -2 = wrong method */
    enum phase phase;
    int too_big;
    char *body;
    size_t len, cap;
    double due; /* slow mode: when to answer */
    struct MHD_Connection *conn;
    struct req *next;
};

struct gw {
    struct gw_ctx ctx;
    struct MHD_Response *sink_resp;
    FILE *log;
    pthread_mutex_t log_lock;
    atomic_int mode, delay_ms, fail_every, retry_after;
    atomic_ulong fault_seq, sms_seq, connections;
    struct counters c[EP_COUNT];
    pthread_mutex_t seen_lock; /* hashes of dedupe ids seen (open addressing, 0 = free) */
    uint64_t *seen;
    size_t seen_cap, seen_n;
    pthread_mutex_t dl_lock; /* suspended (slow) requests, sorted by due time */
    pthread_cond_t dl_cond;
    struct req *dl_head;
    int quitting;
};

static int parse_mode(const char *s)
{
    for (int m = 0; m < M_COUNT; m++)
        if (strcmp(s, mode_name[m]) == 0)
            return m;
    return -1;
}

/* Returns 1 when ep:id was seen before, and remembers it. */
static int seen_before(struct gw *gw, int ep, const char *id)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)ep;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h |= 1;
    pthread_mutex_lock(&gw->seen_lock);
    if (2 * (gw->seen_n + 1) > gw->seen_cap) {
        size_t cap = gw->seen_cap ? 2 * gw->seen_cap : 1024;
        uint64_t *t = calloc(cap, sizeof *t);
        for (size_t i = 0; t && i < gw->seen_cap; i++) {
            size_t j = gw->seen[i] % cap;
            while (gw->seen[i] && t[j])
                j = (j + 1) % cap;
            t[j] = gw->seen[i];
        }
        if (t) {
            free(gw->seen);
            gw->seen = t;
            gw->seen_cap = cap;
        }
    }
    size_t j = h % gw->seen_cap;
    while (gw->seen[j] && gw->seen[j] != h)
        j = (j + 1) % gw->seen_cap;
    int dup = gw->seen[j] == h;
    if (!dup && gw->seen_n + 1 < gw->seen_cap) {
        gw->seen[j] = h;
        gw->seen_n++;
    }
    pthread_mutex_unlock(&gw->seen_lock);
    return dup;
}

static void write_log(struct gw *gw, int ep, cJSON *fields, int duplicate)
{
    cJSON *line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "endpoint", ep_name[ep]);
    cJSON_AddNumberToObject(line, "time", gw_now());
    while (fields->child) {
        cJSON *it = cJSON_DetachItemViaPointer(fields, fields->child);
        cJSON_AddItemToObject(line, it->string, it);
    }
    if (duplicate)
        cJSON_AddBoolToObject(line, "duplicate", 1);
    char *s = cJSON_PrintUnformatted(line);
    if (s && gw->log) {
        pthread_mutex_lock(&gw->log_lock);
        fprintf(gw->log, "%s\n", s);
        fflush(gw->log);
        pthread_mutex_unlock(&gw->log_lock);
    }
    free(s);
    cJSON_Delete(line);
}

static enum MHD_Result send_json(struct MHD_Connection *conn, unsigned status, const char *body,
                                 int retry_after)
{
    char ra[16];
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    if (retry_after >= 0) {
        snprintf(ra, sizeof ra, "%d", retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_obj(struct MHD_Connection *conn, unsigned status, cJSON *obj)
{
    char *s = cJSON_PrintUnformatted(obj);
    enum MHD_Result ret = s ? send_json(conn, status, s, -1) : MHD_NO;
    free(s);
    cJSON_Delete(obj);
    return ret;
}

static cJSON *settings(struct gw *gw)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "mode", mode_name[atomic_load(&gw->mode)]);
    cJSON_AddNumberToObject(o, "delay_ms", atomic_load(&gw->delay_ms));
    cJSON_AddNumberToObject(o, "fail_every", atomic_load(&gw->fail_every));
    cJSON_AddNumberToObject(o, "retry_after", atomic_load(&gw->retry_after));
    return o;
}

/* POST /control {"mode":..,"delay_ms":N,"fail_every":N,"retry_after":S}: given fields
 * replace the current ones; the flaky counter restarts. */
static enum MHD_Result control(struct gw *gw, struct MHD_Connection *conn, const struct req *rq)
{
    if (rq->len) {
        cJSON *doc = cJSON_ParseWithLength(rq->body, rq->len);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(doc, "mode");
        const char *const nums[] = {"delay_ms", "fail_every", "retry_after"};
        atomic_int *dst[] = {&gw->delay_ms, &gw->fail_every, &gw->retry_after};
        int mode = cJSON_IsString(m) ? parse_mode(m->valuestring) : m ? -1 : atomic_load(&gw->mode);
        int bad = !cJSON_IsObject(doc) || mode < 0;
        for (int i = 0; i < 3; i++) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, nums[i]);
            bad |= n && (!cJSON_IsNumber(n) || n->valuedouble < (i == 1) || n->valuedouble > 1e7);
        }
        if (bad) {
            cJSON_Delete(doc);
            return send_json(conn, 400, "{\"error\":\"bad control request\"}", -1);
        }
        for (int i = 0; i < 3; i++) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, nums[i]);
            if (n)
                atomic_store(dst[i], n->valueint);
        }
        atomic_store(&gw->mode, mode);
        atomic_store(&gw->fault_seq, 0);
        cJSON_Delete(doc);
    }
    return send_obj(conn, 200, settings(gw));
}

static enum MHD_Result stats(struct gw *gw, struct MHD_Connection *conn)
{
    static const char *const names[] = {"requests", "accepted", "rejected", "faulted",
                                        "duplicates"};
    cJSON *o = settings(gw);
    cJSON_AddNumberToObject(o, "connections", (double)atomic_load(&gw->connections));
    cJSON *eps = cJSON_AddObjectToObject(o, "endpoints");
    for (int e = 0; e < EP_COUNT; e++) {
        atomic_ulong *v[] = {&gw->c[e].requests, &gw->c[e].accepted, &gw->c[e].rejected,
                             &gw->c[e].faulted, &gw->c[e].duplicates};
        cJSON *one = cJSON_AddObjectToObject(eps, ep_name[e]);
        for (int i = 0; i < 5; i++)
            cJSON_AddNumberToObject(one, names[i], (double)atomic_load(v[i]));
    }
    return send_obj(conn, 200, o);
}

static enum MHD_Result answer(struct gw *gw, struct MHD_Connection *conn, struct req *rq)
{
    if (rq->ep == EP_SINK) {
        atomic_fetch_add(&gw->c[EP_SINK].accepted, 1);
        return MHD_queue_response(conn, 200, gw->sink_resp);
    }
    const char *q = strchr(rq->uri, '?');
    struct gw_request in = {
        .query = q ? q + 1 : "",
        .body = rq->body ? rq->body : "",
        .len = rq->len,
        .auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
        .ts = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Canbao-Timestamp"),
        .sig = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Canbao-Signature"),
        .idem = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key"),
    };
    struct gw_verdict v = {0};

    switch (rq->ep) {
    case EP_CONTROL: return control(gw, conn, rq);
    case EP_STATS: return stats(gw, conn);
    case EP_WECOM: gw_check_wecom(&gw->ctx, &in, &v); break;
    case EP_DINGTALK: gw_check_dingtalk(&gw->ctx, &in, &v); break;
    case EP_WEBHOOK: gw_check_webhook(&gw->ctx, &in, &v); break;
    case EP_SMS: gw_check_sms(&gw->ctx, &in, &v, atomic_fetch_add(&gw->sms_seq, 1) + 1); break;
    default: gw_check_callback(&in, &v); break;
    }
    atomic_fetch_add(v.log ? &gw->c[rq->ep].accepted : &gw->c[rq->ep].rejected, 1);
    if (v.log) {
        int dup = v.dedupe && seen_before(gw, rq->ep, v.dedupe);
        if (dup)
            atomic_fetch_add(&gw->c[rq->ep].duplicates, 1);
        write_log(gw, rq->ep, v.log, dup);
    }
    enum MHD_Result ret = v.body ? send_json(conn, v.status, v.body, -1) : MHD_NO;
    free(v.body);
    cJSON_Delete(v.log);
    return ret;
}

/* Slow mode: suspend the connection; delay_main resumes it when due. 0 when shutting down. */
static int delay(struct gw *gw, struct req *rq)
{
    pthread_mutex_lock(&gw->dl_lock);
    if (gw->quitting) {
        pthread_mutex_unlock(&gw->dl_lock);
        return 0;
    }
    MHD_suspend_connection(rq->conn);
    rq->due = gw_now() + atomic_load(&gw->delay_ms) / 1000.0;
    struct req **p = &gw->dl_head;
    while (*p && (*p)->due <= rq->due)
        p = &(*p)->next;
    rq->next = *p;
    *p = rq;
    pthread_cond_signal(&gw->dl_cond);
    pthread_mutex_unlock(&gw->dl_lock);
    return 1;
}

static void *delay_main(void *arg)
{
    struct gw *gw = arg;
    pthread_mutex_lock(&gw->dl_lock);
    while (!gw->quitting || gw->dl_head) {
        struct req *r = gw->dl_head;
        if (!r) {
            pthread_cond_wait(&gw->dl_cond, &gw->dl_lock);
        } else if (gw->quitting || r->due <= gw_now()) {
            gw->dl_head = r->next;
            pthread_mutex_unlock(&gw->dl_lock);
            MHD_resume_connection(r->conn); /* the handler is called again and answers */
            pthread_mutex_lock(&gw->dl_lock);
        } else {
            struct timespec ts = {(time_t)r->due, (long)((r->due - (double)(time_t)r->due) * 1e9)};
            pthread_cond_timedwait(&gw->dl_cond, &gw->dl_lock, &ts);
        }
    }
    pthread_mutex_unlock(&gw->dl_lock);
    return NULL;
}

/* The fault configured by /control, applied once the whole request is in. Returns 1 when
 * it handled the request (*ret set). */
static int fault(struct gw *gw, struct req *rq, enum MHD_Result *ret)
{
    int mode = atomic_load(&gw->mode);
    int every = atomic_load(&gw->fail_every);
    if (mode == M_OK || (mode == M_SLOW && !delay(gw, rq)))
        return 0;
    if (mode == M_FLAKY && (atomic_fetch_add(&gw->fault_seq, 1) + 1) % (unsigned long)every != 0)
        return 0;
    if (mode == M_SLOW) {
        *ret = MHD_YES; /* suspended; answered normally once resumed */
        return 1;
    }
    atomic_fetch_add(&gw->c[rq->ep].faulted, 1);
    if (mode == M_429)
        *ret = send_json(rq->conn, 429, "{\"errcode\":45009,\"errmsg\":\"too many requests\"}",
                         atomic_load(&gw->retry_after));
    else if (mode == M_DROP)
        *ret = MHD_NO; /* MHD closes the connection without an answer */
    else
        *ret = send_json(rq->conn, 503, "{\"errcode\":-1,\"errmsg\":\"unavailable\"}", -1);
    return 1;
}

static int route(const char *url, const char *method)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(url, routes[i].path) != 0)
            continue;
        size_t n = strlen(method);
        for (const char *m = routes[i].methods; (m = strstr(m, method)); m += n)
            if ((m[n] == ' ' || m[n] == '\0') && (m == routes[i].methods || m[-1] == ' '))
                return (int)routes[i].ep;
        return -2;
    }
    return -1;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct gw *gw = cls;
    struct req *rq = *con_cls;
    enum MHD_Result ret;
    (void)version;
    if (!rq)
        return MHD_NO;
    if (rq->phase == PH_NEW) {
        rq->ep = route(url, method);
        rq->conn = conn;
        rq->phase = PH_BODY;
        if (rq->ep >= 0)
            atomic_fetch_add(&gw->c[rq->ep].requests, 1);
        /* Answering now, before MHD has seen the end of the request, would close the
         * connection: every answer waits for the next call. */
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->len + *upload_size > GW_BODY_MAX) {
            rq->too_big = 1;
        } else {
            if (rq->len + *upload_size + 1 > rq->cap) {
                size_t cap = rq->cap ? rq->cap : 1024;
                while (cap < rq->len + *upload_size + 1)
                    cap *= 2;
                char *b = realloc(rq->body, cap);
                if (!b)
                    return MHD_NO;
                rq->body = b;
                rq->cap = cap;
            }
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->ep == -1)
        return send_json(conn, 404, "{\"error\":\"no such endpoint\"}", -1);
    if (rq->ep == -2)
        return send_json(conn, 405, "{\"error\":\"method not allowed\"}", -1);
    if (rq->too_big) {
        atomic_fetch_add(&gw->c[rq->ep].rejected, 1);
        return send_json(conn, 413, "{\"error\":\"body over 64 KiB\"}", -1);
    }
    if (rq->phase == PH_BODY && EP_FAULTABLE(rq->ep)) {
        rq->phase = PH_DELAYED;
        if (fault(gw, rq, &ret))
            return ret;
    }
    return answer(gw, conn, rq);
}

static void *uri_logged(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct req *rq = calloc(1, sizeof *rq);
    (void)cls;
    (void)conn;
    if (rq && !(rq->uri = strdup(uri))) {
        free(rq);
        rq = NULL;
    }
    return rq;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    struct req *rq = *con_cls;
    (void)cls;
    (void)conn;
    (void)why;
    if (rq) {
        free(rq->uri);
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
                             enum MHD_ConnectionNotificationCode toe)
{
    struct gw *gw = cls;
    (void)conn;
    (void)socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&gw->connections, 1);
}

/* MHD's error log, less the line every drop-mode answer causes. */
static void mhd_log(void *cls, const char *fmt, va_list ap) CB_PRINTF(2, 0);
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    (void)cls;
    vsnprintf(line, sizeof line, fmt, ap);
    if (!strstr(line, "Application reported internal error"))
        fprintf(stderr, "cb_test_gateway: %s", line);
}

static const char usage[] =
    "usage: cb_test_gateway [--port N] [--secret S] [--log FILE] [--pidfile FILE]\n"
    "         [--mode ok|slow|5xx|429|drop|flaky] [--delay-ms N] [--fail-every N]\n"
    "         [--retry-after S] [--robot-limit] [--sms-auth] [--threads N]\n"
    "Prints port=N first; stops on SIGTERM or SIGINT.\n";

int main(int argc, char **argv)
{
    static struct gw gw = {.ctx.secret = "canbao-test-secret"};
    const char *log_path = NULL, *pidfile = NULL;
    unsigned port = 0, threads = 2;
    int mode = M_OK, delay_ms = 1000, every = 2, retry = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (strcmp(a, "--robot-limit") == 0)
            gw.ctx.limiter.on = 1, takes = 0;
        else if (strcmp(a, "--sms-auth") == 0)
            gw.ctx.sms_auth = 1, takes = 0;
        else if (!val)
            takes = -1;
        else if (strcmp(a, "--port") == 0)
            port = (unsigned)strtoul(val, NULL, 10);
        else if (strcmp(a, "--secret") == 0)
            gw.ctx.secret = val;
        else if (strcmp(a, "--log") == 0)
            log_path = val;
        else if (strcmp(a, "--pidfile") == 0)
            pidfile = val;
        else if (strcmp(a, "--mode") == 0)
            takes = (mode = parse_mode(val)) < 0 ? -1 : 1;
        else if (strcmp(a, "--delay-ms") == 0)
            delay_ms = atoi(val);
        else if (strcmp(a, "--fail-every") == 0)
            every = atoi(val) > 0 ? atoi(val) : 1;
        else if (strcmp(a, "--retry-after") == 0)
            retry = atoi(val);
        else if (strcmp(a, "--threads") == 0)
            threads = (unsigned)strtoul(val, NULL, 10);
        else
            takes = -1;
        if (takes < 0) {
            fputs(usage, stderr);
            return strcmp(a, "--help") == 0 ? 0 : 2;
        }
        i += takes;
    }
    atomic_store(&gw.mode, mode);
    atomic_store(&gw.delay_ms, delay_ms);
    atomic_store(&gw.fail_every, every);
    atomic_store(&gw.retry_after, retry);
    pthread_mutex_init(&gw.ctx.limiter.lock, NULL);
    pthread_mutex_init(&gw.log_lock, NULL);
    pthread_mutex_init(&gw.seen_lock, NULL);
    pthread_mutex_init(&gw.dl_lock, NULL);
    pthread_cond_init(&gw.dl_cond, NULL);
    if (log_path && !(gw.log = fopen(log_path, "a"))) {
        fprintf(stderr, "cb_test_gateway: %s: %s\n", log_path, strerror(errno));
        return 2;
    }

    /* Signals go to sigwait below: block them before any thread starts. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    static const char sink_body[] = "{\"errcode\":0}";
    gw.sink_resp = MHD_create_response_from_buffer(sizeof sink_body - 1, (void *)(uintptr_t)sink_body,
                                                   MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(gw.sink_resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    pthread_t delayer;
    pthread_create(&delayer, NULL, delay_main, &gw);

    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, handle, &gw, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u, MHD_OPTION_URI_LOG_CALLBACK, uri_logged, &gw,
        MHD_OPTION_NOTIFY_COMPLETED, completed, &gw, MHD_OPTION_NOTIFY_CONNECTION,
        connection_event, &gw, MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        1024u, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        fprintf(stderr, "cb_test_gateway: cannot listen on 127.0.0.1:%u\n", port);
        return 1;
    }
    printf("port=%u\n", (unsigned)info->port);
    fflush(stdout);
    FILE *pf = pidfile ? fopen(pidfile, "w") : NULL;
    if (pf) {
        fprintf(pf, "%ld\n", (long)getpid());
        fclose(pf);
    }

    int sig = 0;
    sigwait(&stop, &sig);
    pthread_mutex_lock(&gw.dl_lock);
    gw.quitting = 1; /* delay_main resumes every suspended request and ends */
    pthread_cond_signal(&gw.dl_cond);
    pthread_mutex_unlock(&gw.dl_lock);
    pthread_join(delayer, NULL);
    MHD_stop_daemon(d);
    MHD_destroy_response(gw.sink_resp);
    if (gw.log)
        fclose(gw.log);
    if (pidfile)
        unlink(pidfile);
    free(gw.seen);
    return 0;
}
