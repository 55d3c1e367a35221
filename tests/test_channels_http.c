/* SPDX-License-Identifier: MIT */
/*
 * test_channels_http.c - httpc and a channel over real HTTP on 127.0.0.1 against a
 * libmicrohttpd server started inside each test (ephemeral port): keep-alive reuse
 * counted server-side, one callback per request, POST bodies, Retry-After, the body
 * cap, header lines that would inject headers or a request (refused, nothing sent),
 * a timeout, destroy with requests in flight, Kannel end to end, and the
 * channels of examples/config-local.json.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "channels/channel.h"
#include "core/compiler.h"
#include "core/err.h"
#include "net/httpc.h"

/* The server's view, guarded by 'mu' (MHD answers on its own thread). */
typedef struct server {
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    int connections; /* TCP connections accepted */
    int requests;
    int evil;        /* requests that carried an X-Evil header */
    char idem[128];  /* the last Idempotency-Key */
    char text[256]; /* sendsms: decoded 'text', 'to', 'dlr-url', 'coding' */
    char to[32];
    char dlr[128];
    char coding[8];
} server_t;

static server_t srv;

typedef struct upload {
    char buf[1024];
    size_t len;
} upload_t;

static void copy_arg(struct MHD_Connection *c, const char *k, char *out, size_t outlen)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);

    snprintf(out, outlen, "%s", v != NULL ? v : "");
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *body,
                             size_t len, const char *retry_after)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    if (retry_after != NULL)
        MHD_add_response_header(r, "Retry-After", retry_after);
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls)
{
    server_t *s = cls;
    upload_t *u = *con_cls;

    (void)method;
    (void)version;
    if (u == NULL) {
        *con_cls = calloc(1, sizeof *u);
        return MHD_YES;
    }
    if (*data_size > 0) {
        size_t n = *data_size < sizeof u->buf - u->len ? *data_size : sizeof u->buf - u->len;

        memcpy(u->buf + u->len, data, n);
        u->len += n;
        *data_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&s->mu);
    s->requests++;
    s->evil += MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Evil") != NULL;
    {
        const char *k = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");

        snprintf(s->idem, sizeof s->idem, "%s", k != NULL ? k : "");
    }
    if (strcmp(url, "/cgi-bin/sendsms") == 0) {
        copy_arg(c, "text", s->text, sizeof s->text);
        copy_arg(c, "to", s->to, sizeof s->to);
        copy_arg(c, "dlr-url", s->dlr, sizeof s->dlr);
        copy_arg(c, "coding", s->coding, sizeof s->coding);
    }
    pthread_mutex_unlock(&s->mu);
    if (strcmp(url, "/cgi-bin/sendsms") == 0)
        return reply(c, 202, "0: Accepted for delivery", 24, NULL);
    if (strcmp(url, "/echo") == 0)
        return reply(c, 200, u->buf, u->len, NULL);
    if (strcmp(url, "/busy") == 0)
        return reply(c, 429, "slow down", 9, "7");
    if (strcmp(url, "/big") == 0) {
        static char big[70000];

        memset(big, 'x', sizeof big);
        return reply(c, 200, big, sizeof big, NULL);
    }
    return reply(c, 200, "ok", 2, NULL);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    server_t *s = cls;

    (void)c;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&s->mu);
    s->connections++;
    pthread_mutex_unlock(&s->mu);
}

static void server_start(void)
{
    struct sockaddr_in sin;
    socklen_t sl = sizeof sin;
    const union MHD_DaemonInfo *info;

    memset(&srv, 0, sizeof srv);
    pthread_mutex_init(&srv.mu, NULL);
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    srv.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, &srv,
                             MHD_OPTION_SOCK_ADDR, &sin, MHD_OPTION_NOTIFY_COMPLETED, completed,
                             NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv,
                             MHD_OPTION_END);
    ck_assert_ptr_nonnull(srv.d);
    info = MHD_get_daemon_info(srv.d, MHD_DAEMON_INFO_LISTEN_FD);
    ck_assert_int_eq(getsockname(info->listen_fd, (struct sockaddr *)&sin, &sl), 0);
    srv.port = ntohs(sin.sin_port);
}

/* Stop the server; its counters are then stable. */
static void server_stop(void)
{
    MHD_stop_daemon(srv.d);
    srv.d = NULL;
}

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run until nothing is in flight, failing after 'max_ms'. */
static void run_idle(httpc_t *c, int64_t max_ms)
{
    int64_t end = mono_ms() + max_ms;

    while (httpc_inflight(c) > 0 && mono_ms() < end)
        ck_assert_int_ge(httpc_run(c, 100), 0);
    ck_assert_uint_eq(httpc_inflight(c), 0);
}

typedef struct got {
    int calls;
    long status;
    char body[128];
    size_t body_len;
    char error[128];
    char retry_after[16];
} got_t;

static void on_done(void *ud, const httpc_resp_t *r)
{
    got_t *g = ud;

    g->calls++;
    g->status = r->status;
    g->body_len = r->body_len;
    snprintf(g->body, sizeof g->body, "%s", r->body);
    snprintf(g->error, sizeof g->error, "%s", r->error != NULL ? r->error : "");
    snprintf(g->retry_after, sizeof g->retry_after, "%s",
             r->retry_after != NULL ? r->retry_after : "");
}

#define NREQ 200
#define CONC 4

START_TEST(test_keepalive)
{
    static got_t got[NREQ];
    httpc_t *c;
    char url[64];

    server_start();
    ck_assert_int_eq(httpc_create(CONC, CONC, &c), CB_OK);
    for (int i = 0; i < NREQ; i++) {
        httpc_req_t r = {.method = "GET", .url = url};

        snprintf(url, sizeof url, "http://127.0.0.1:%d/ok?i=%d", srv.port, i);
        ck_assert_int_eq(httpc_start(c, &r, on_done, &got[i]), CB_OK);
    }
    ck_assert_uint_eq(httpc_inflight(c), NREQ);
    run_idle(c, 20000);
    for (int i = 0; i < NREQ; i++) {
        ck_assert_msg(got[i].calls == 1, "request %d called back %d times", i, got[i].calls);
        ck_assert_int_eq(got[i].status, 200);
        ck_assert_str_eq(got[i].body, "ok");
        ck_assert_str_eq(got[i].error, "");
    }
    ck_assert_int_eq(httpc_run(c, 0), 0); /* nothing more, no second callback */
    for (int i = 0; i < NREQ; i++)
        ck_assert_int_eq(got[i].calls, 1);
    httpc_destroy(c);
    server_stop();
    ck_assert_int_eq(srv.requests, NREQ);
    ck_assert_int_ge(srv.connections, 1);
    ck_assert_msg(srv.connections <= CONC, "%d connections for %d requests", srv.connections,
                  NREQ);
}
END_TEST

/* A POST body arrives intact; Retry-After and the status come back; the body cap. */
START_TEST(test_post_and_limits)
{
    const char *hdrs[] = {"Content-Type: application/json", "X-Test: 1", NULL};
    const char body[] = "{\"text\":\"缴费提醒\"}";
    got_t echo = {0}, busy = {0}, big = {0};
    char u1[64], u2[64], u3[64];
    httpc_t *c;

    server_start();
    snprintf(u1, sizeof u1, "http://127.0.0.1:%d/echo", srv.port);
    snprintf(u2, sizeof u2, "http://127.0.0.1:%d/busy", srv.port);
    snprintf(u3, sizeof u3, "http://127.0.0.1:%d/big", srv.port);
    ck_assert_int_eq(httpc_create(2, 0, &c), CB_OK);
    {
        httpc_req_t r1 = {"POST", u1, hdrs, body, sizeof body - 1, 0};
        httpc_req_t r2 = {"GET", u2, NULL, NULL, 0, 0};
        httpc_req_t r3 = {"GET", u3, NULL, NULL, 0, 0};
        httpc_req_t bad = {"PUT", u1, NULL, NULL, 0, 0};

        ck_assert_int_eq(httpc_start(c, &r1, on_done, &echo), CB_OK);
        ck_assert_int_eq(httpc_start(c, &r2, on_done, &busy), CB_OK);
        ck_assert_int_eq(httpc_start(c, &r3, on_done, &big), CB_OK);
        ck_assert_int_eq(httpc_start(c, &bad, on_done, &big), CB_EINVAL);
    }
    run_idle(c, 10000);
    ck_assert_int_eq(echo.calls, 1);
    ck_assert_int_eq(echo.status, 200);
    ck_assert_str_eq(echo.body, body);
    ck_assert_uint_eq(echo.body_len, sizeof body - 1);
    ck_assert_int_eq(busy.status, 429);
    ck_assert_str_eq(busy.retry_after, "7");
    ck_assert_str_eq(busy.body, "slow down");
    ck_assert_int_eq(big.calls, 1);
    ck_assert_str_eq(big.error, "response body over 64 KiB");
    httpc_destroy(c);
    server_stop();
}
END_TEST

static int results;
static ch_result_t res;
static char res_error[128];

static void on_result(void *ud, const ch_result_t *r)
{
    (void)ud;
    results++;
    res = *r;
    snprintf(res_error, sizeof res_error, "%s", r->error != NULL ? r->error : "");
}

/* A channel on 'c' from the config printf'd from 'fmt' (the test server's port). */
static channel_t *channel_on(httpc_t *c, const char *fmt, ...) CB_PRINTF(2, 3);
static channel_t *channel_on(httpc_t *c, const char *fmt, ...)
{
    char text[512], err[256];
    channel_t *ch = NULL;
    cJSON *cfg;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cfg = cJSON_Parse(text);
    ck_assert_ptr_nonnull(cfg);
    ck_assert_msg(channel_create(c, cfg, &ch, err, sizeof err) == CB_OK, "%s", err);
    cJSON_Delete(cfg);
    return ch;
}

/* Header lines with CR or LF (an idempotency key made from a hostile receipt) are
 * refused: called back as refused, and nothing reaches the server, neither the
 * injected header nor a smuggled second request, nor the rest of that request. */
START_TEST(test_header_injection)
{
    const char *evil[] = {"Idempotency-Key: thanks:R1\r\nX-Evil: 1", NULL};
    const char *smuggle[] = {"Idempotency-Key: k\r\n\r\nGET /smuggled HTTP/1.1\r\nX-Evil: 1",
                             NULL};
    const char *bare_lf[] = {"X-Ok: 1", "Idempotency-Key: k\nX-Evil: 1", NULL};
    const char *no_name[] = {": v", NULL};
    const char *good[] = {"Idempotency-Key: thanks:R1", "X-Tab: a\tb", NULL};
    got_t g[6] = {{0}};
    char url[64], bad_url[96];
    httpc_t *c;

    server_start();
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", srv.port);
    snprintf(bad_url, sizeof bad_url, "http://127.0.0.1:%d/echo?k=1\r\nX-Evil: 1", srv.port);
    ck_assert_int_eq(httpc_create(2, 2, &c), CB_OK);
    {
        httpc_req_t r[6] = {
            {.method = "POST", .url = url, .headers = evil, .body = "{}", .body_len = 2},
            {.method = "GET", .url = url, .headers = smuggle},
            {.method = "GET", .url = url, .headers = bare_lf},
            {.method = "GET", .url = url, .headers = no_name},
            {.method = "GET", .url = bad_url},
            {.method = "GET", .url = url, .headers = good},
        };

        for (int i = 0; i < 6; i++)
            ck_assert_int_eq(httpc_start(c, &r[i], on_done, &g[i]), CB_OK);
    }
    ck_assert_int_eq(g[0].calls, 0); /* called back from httpc_run, not httpc_start */
    run_idle(c, 10000);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(g[i].calls, 1);
        ck_assert_int_eq(g[i].status, 0);
        ck_assert_msg(strstr(g[i].error, "request refused, nothing sent") != NULL, "%d: %s", i,
                      g[i].error);
        ck_assert_ptr_null(strstr(g[i].error, "Evil")); /* the value is not quoted */
    }
    ck_assert_str_eq(g[0].error, "header Idempotency-Key: the value holds CR, LF or another "
                                 "control character: request refused, nothing sent");
    ck_assert_int_eq(g[5].calls, 1);
    ck_assert_int_eq(g[5].status, 200);
    httpc_destroy(c);
    server_stop();
    ck_assert_int_eq(srv.evil, 0);
    ck_assert_int_eq(srv.requests, 1); /* the good one only */
    ck_assert_str_eq(srv.idem, "thanks:R1");
}
END_TEST

/* The webhook channel with such a key: a permanent failure naming the header. */
START_TEST(test_webhook_refused)
{
    ch_msg_t m = {.id = 9, .to = NULL, .text = "hi", .key = "thanks:R1\r\nX-Evil: 1"};
    httpc_t *c;
    channel_t *ch;

    server_start();
    ck_assert_int_eq(httpc_create(2, 2, &c), CB_OK);
    ch = channel_on(c, "{\"name\":\"w\",\"type\":\"webhook\","
                       "\"url\":\"http://127.0.0.1:%d/in\",\"secret\":\"s\"}",
                    srv.port);
    results = 0;
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    run_idle(c, 10000);
    ck_assert_int_eq(results, 1);
    ck_assert_int_eq(res.outcome, CH_PERMFAIL);
    ck_assert_ptr_nonnull(strstr(res_error, "header Idempotency-Key"));
    m.key = "thanks:R1";
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    run_idle(c, 10000);
    ck_assert_int_eq(results, 2);
    ck_assert_int_eq(res.outcome, CH_ACCEPTED);
    httpc_destroy(c);
    channel_destroy(ch);
    server_stop();
    ck_assert_int_eq(srv.requests, 1);
    ck_assert_int_eq(srv.evil, 0);
    ck_assert_str_eq(srv.idem, "thanks:R1");
}
END_TEST

/* A listening socket that never answers: the request times out. */
static int silent_socket(int *port)
{
    struct sockaddr_in sin;
    socklen_t sl = sizeof sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    ck_assert_int_eq(listen(fd, 16), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    *port = ntohs(sin.sin_port);
    return fd;
}

START_TEST(test_timeout_and_destroy)
{
    got_t slow = {0}, dropped = {0};
    char url[64];
    int port, fd = silent_socket(&port);
    httpc_t *c;
    int64_t t0;

    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    ck_assert_int_eq(httpc_create(2, 2, &c), CB_OK);
    {
        httpc_req_t r = {"GET", url, NULL, NULL, 0, 300};

        ck_assert_int_eq(httpc_start(c, &r, on_done, &slow), CB_OK);
    }
    t0 = mono_ms();
    run_idle(c, 5000);
    ck_assert_int_ge(mono_ms() - t0, 250);
    ck_assert_int_eq(slow.calls, 1);
    ck_assert_int_eq(slow.status, 0);
    ck_assert_ptr_nonnull(strstr(slow.error, "timed out"));
    /* Destroy with one request on the wire and one queued: no callbacks, no leaks. */
    {
        httpc_req_t r = {"GET", url, NULL, NULL, 0, 0};

        ck_assert_int_eq(httpc_start(c, &r, on_done, &dropped), CB_OK);
        ck_assert_int_eq(httpc_start(c, &r, on_done, &dropped), CB_OK);
        ck_assert_int_eq(httpc_start(c, &r, on_done, &dropped), CB_OK);
    }
    ck_assert_int_eq(httpc_run(c, 50), 3);
    httpc_destroy(c);
    ck_assert_int_eq(dropped.calls, 0);
    close(fd);
}
END_TEST


/* Kannel through httpc: the server decodes exactly the decorated text. */
START_TEST(test_kannel_end_to_end)
{
    ch_msg_t m = {.id = 7, .to = "13800138000", .text = "请于12月31日前缴费 & 查询"};
    httpc_t *c;
    channel_t *ch;

    server_start();
    ck_assert_int_eq(httpc_create(4, 4, &c), CB_OK);
    ch = channel_on(c, "{\"name\":\"sms\",\"type\":\"kannel\","
                       "\"url\":\"http://127.0.0.1:%d/cgi-bin/sendsms\",\"username\":\"u\","
                       "\"password\":\"p\",\"max_parts\":3,\"signature\":\"【医保】\","
                       "\"dlr_url\":\"http://127.0.0.1:8080/dlr?id={id}&s=%%d\"}",
                    srv.port);
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    ck_assert_int_eq(results, 0); /* asynchronous */
    ck_assert_uint_eq(channel_inflight(ch), 1);
    run_idle(c, 10000);
    ck_assert_int_eq(results, 1);
    ck_assert_int_eq(res.outcome, CH_ACCEPTED);
    ck_assert_int_eq(res.id, 7);
    ck_assert_int_eq(res.parts, 1);
    ck_assert_str_eq(res_error, "");
    ck_assert_uint_eq(channel_inflight(ch), 0);
    server_stop();
    ck_assert_str_eq(srv.text, "【医保】请于12月31日前缴费 & 查询");
    ck_assert_str_eq(srv.to, "13800138000");
    ck_assert_str_eq(srv.coding, "2");
    ck_assert_str_eq(srv.dlr, "http://127.0.0.1:8080/dlr?id=7&s=%d");
    /* The server is gone: a transport error is temporary. */
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    run_idle(c, 10000);
    ck_assert_int_eq(results, 2);
    ck_assert_int_eq(res.outcome, CH_TEMPFAIL);
    ck_assert_str_ne(res_error, "");
    /* Destroying the client with a send in flight, then the channel: no leak. */
    ck_assert_int_eq(channel_send(ch, &m, on_result, NULL), CB_OK);
    httpc_destroy(c);
    channel_destroy(ch);
    ck_assert_int_eq(results, 2);
}
END_TEST

/* examples/config-local.json creates every channel it names. */
START_TEST(test_example_config)
{
    char path[] = "/tmp/cb-chan-XXXXXX", err[256];
    httpc_t *http;
    char *text;
    long n;
    FILE *fp = fopen(CB_EXAMPLES "/config-local.json", "rb");
    cJSON *root, *chans, *c;
    int count = 0;

    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(httpc_create(2, 2, &http), CB_OK);
    ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    rewind(fp);
    text = calloc(1, (size_t)n + 1);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    root = cJSON_Parse(text);
    free(text);
    ck_assert_ptr_nonnull(root);
    ck_assert_ptr_nonnull(mkdtemp(path));
    ck_assert_int_eq(chdir(path), 0); /* the file channel's relative path lands here */
    ck_assert_int_eq(setenv("CANBAO_KANNEL_PASSWORD", "x", 1), 0);
    chans = cJSON_GetObjectItemCaseSensitive(root, "channels");
    cJSON_ArrayForEach(c, chans)
    {
        channel_t *ch = NULL;

        ck_assert_msg(channel_create(http, c, &ch, err, sizeof err) == CB_OK, "%s", err);
        channel_destroy(ch);
        count++;
    }
    ck_assert_int_eq(count, 2);
    cJSON_Delete(root);
    unlink("canbao-dryrun.jsonl");
    ck_assert_int_eq(chdir("/"), 0);
    ck_assert_int_eq(rmdir(path), 0);
    httpc_destroy(http);
}
END_TEST

static Suite *http_suite(void)
{
    Suite *s = suite_create("channels_http");
    TCase *tc = tcase_create("loopback");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_keepalive);
    tcase_add_test(tc, test_post_and_limits);
    tcase_add_test(tc, test_header_injection);
    tcase_add_test(tc, test_webhook_refused);
    tcase_add_test(tc, test_timeout_and_destroy);
    tcase_add_test(tc, test_kannel_end_to_end);
    tcase_add_test(tc, test_example_config);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return EXIT_FAILURE;
    sr = srunner_create(http_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    curl_global_cleanup();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
