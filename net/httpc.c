/* SPDX-License-Identifier: MIT */
/*
 * httpc.c - libcurl multi client. A transfer ('xfer') owns the copies of one
 * request and a response buffer; finished xfers go to a free list with their easy
 * handle and buffers, so a steady stream of requests allocates almost nothing.
 * Connections live in the multi handle's cache and are reused across easy handles.
 */
#include "net/httpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/err.h"
#include "core/mem.h"

typedef struct xfer {
    struct xfer *next; /* queue, free list */
    struct xfer *prev; /* active list only */
    CURL *easy; /* NULL until first put on the wire */
    int post;
    long timeout_ms;
    char *url;
    size_t url_cap;
    char *body;
    size_t body_cap, body_len;
    struct curl_slist *headers;
    char *resp; /* always NUL-terminated */
    size_t resp_cap, resp_len;
    int too_big;
    char retry_after[64];
    int has_retry_after;
    char errbuf[CURL_ERROR_SIZE]; /* also the reason of a refused request */
    int refused;
    httpc_done_fn *done;
    void *ud;
} xfer_t;

struct httpc {
    CURLM *multi;
    int max_active;
    int nactive;
    size_t inflight;
    xfer_t *active;              /* on the wire (doubly linked) */
    xfer_t *queue, *queue_tail;  /* waiting for a slot (FIFO) */
    xfer_t *failed;              /* could not be put on the wire; called back by httpc_run */
    xfer_t *spare;               /* free list */
    int nspare;
    void *ext;                   /* httpc_set_ext */
    void (*ext_release)(void *ext);
};

static const char *const expect_off = "Expect:"; /* no 100-continue round trip */

static void grow(char **buf, size_t *cap, size_t need)
{
    size_t n = *cap ? *cap : 256;

    if (need <= *cap)
        return;
    while (n < need)
        n *= 2;
    *buf = xrealloc(*buf, n);
    *cap = n;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    xfer_t *x = ud;
    size_t n = size * nmemb;

    if (x->resp_len + n > HTTPC_MAX_BODY) {
        x->too_big = 1;
        return 0; /* a short count aborts the transfer (CURLE_WRITE_ERROR) */
    }
    grow(&x->resp, &x->resp_cap, x->resp_len + n + 1);
    memcpy(x->resp + x->resp_len, ptr, n);
    x->resp_len += n;
    x->resp[x->resp_len] = '\0';
    return n;
}

/* Keeps Retry-After of the last response (a status line starts a new one). */
static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    static const char name[] = "retry-after:";
    xfer_t *x = ud;
    size_t n = size * nmemb, len = n;

    if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        x->has_retry_after = 0;
        x->resp_len = 0;
        return n;
    }
    if (n <= sizeof name - 1 || strncasecmp(ptr, name, sizeof name - 1) != 0)
        return n;
    ptr += sizeof name - 1;
    len -= sizeof name - 1;
    while (len > 0 && (*ptr == ' ' || *ptr == '\t')) {
        ptr++;
        len--;
    }
    while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n' || ptr[len - 1] == ' '))
        len--;
    if (len >= sizeof x->retry_after)
        len = sizeof x->retry_after - 1;
    memcpy(x->retry_after, ptr, len);
    x->retry_after[len] = '\0';
    x->has_retry_after = 1;
    return n;
}

/* Options that never change for an easy handle are set once. */
static CURL *make_easy(xfer_t *x)
{
    CURL *e = curl_easy_init();

    if (e == NULL)
        return NULL;
    if (curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_WRITEDATA, x) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_HEADERDATA, x) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PRIVATE, x) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK) {
        curl_easy_cleanup(e);
        return NULL;
    }
    return e;
}

static void xfer_free(xfer_t *x)
{
    if (x == NULL)
        return;
    curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->headers);
    free(x->url);
    free(x->body);
    free(x->resp);
    free(x);
}

/* Back to the free list (bounded: beyond twice the concurrency, free it). */
static void xfer_release(httpc_t *c, xfer_t *x)
{
    curl_slist_free_all(x->headers);
    x->headers = NULL;
    x->done = NULL;
    x->ud = NULL;
    x->refused = 0;
    if (c->nspare >= 2 * c->max_active) {
        xfer_free(x);
        return;
    }
    x->next = c->spare;
    c->spare = x;
    c->nspare++;
}

int httpc_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? CB_OK : CB_ENOMEM;
}

void httpc_global_cleanup(void)
{
    curl_global_cleanup();
}

int httpc_create(int max_concurrency, int max_host_connections, httpc_t **out)
{
    httpc_t *c;

    *out = NULL;
    if (max_concurrency < 1 || max_host_connections < 0)
        return CB_EINVAL;
    c = xcalloc(1, sizeof *c);
    c->max_active = max_concurrency;
    c->multi = curl_multi_init();
    if (c->multi == NULL ||
        curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)max_concurrency) !=
            CURLM_OK ||
        curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)max_host_connections) !=
            CURLM_OK ||
        curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)max_concurrency) != CURLM_OK) {
        httpc_destroy(c);
        return CB_ENOMEM;
    }
    *out = c;
    return CB_OK;
}

/* RFC 9110 token characters besides letters and digits. */
static const char tchar[] = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "abcdefghijklmnopqrstuvwxyz";

/* 0 when header line 'h' may be sent, else 1 and why not in 'why' (the name only:
 * the value is what cannot be trusted). */
static int header_refused(const char *h, char *why, size_t whylen)
{
    size_t n = strspn(h, tchar);

    if (n == 0 || h[n] != ':') {
        snprintf(why, whylen, "a header line is not 'Name: value' (it starts '%.*s'): "
                              "request refused, nothing sent", (int)(n > 40 ? 40 : n), h);
        return 1;
    }
    for (const unsigned char *p = (const unsigned char *)h + n + 1; *p != '\0'; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            snprintf(why, whylen, "header %.*s: the value holds CR, LF or another control "
                                  "character: request refused, nothing sent",
                     (int)(n > 64 ? 64 : n), h);
            return 1;
        }
    }
    return 0;
}

/* 0 when 'req' may be sent, else 1 and why not in 'why'. */
static int req_refused(const httpc_req_t *req, char *why, size_t whylen)
{
    for (const unsigned char *p = (const unsigned char *)req->url; *p != '\0'; p++) {
        if (*p <= 0x20 || *p == 0x7f) {
            snprintf(why, whylen, "the URL holds a space or a control character: "
                                  "request refused, nothing sent");
            return 1;
        }
    }
    for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
        if (header_refused(req->headers[i], why, whylen))
            return 1;
    return 0;
}

/* Copy 'req' into a spare (or new) xfer; no network, no curl calls but slist. */
static int xfer_fill(xfer_t *x, const httpc_req_t *req)
{
    size_t ulen = strlen(req->url);

    grow(&x->url, &x->url_cap, ulen + 1);
    memcpy(x->url, req->url, ulen + 1);
    x->post = strcmp(req->method, "POST") == 0;
    x->body_len = x->post ? req->body_len : 0;
    grow(&x->body, &x->body_cap, x->body_len + 1);
    if (x->body_len > 0)
        memcpy(x->body, req->body, x->body_len);
    x->body[x->body_len] = '\0';
    x->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : HTTPC_DEFAULT_TIMEOUT_MS;
    for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
        struct curl_slist *l = curl_slist_append(x->headers, req->headers[i]);

        if (l == NULL)
            return CB_ENOMEM;
        x->headers = l;
    }
    if (x->post) {
        struct curl_slist *l = curl_slist_append(x->headers, expect_off);

        if (l == NULL)
            return CB_ENOMEM;
        x->headers = l;
    }
    return CB_OK;
}

/* Forget the last response of a reused xfer. */
static void resp_reset(xfer_t *x)
{
    x->resp_len = 0;
    x->too_big = 0;
    x->has_retry_after = 0;
    x->errbuf[0] = '\0';
    grow(&x->resp, &x->resp_cap, 1);
    x->resp[0] = '\0';
}

/* Set the per-request options and hand the xfer to the multi handle. */
static int xfer_launch(httpc_t *c, xfer_t *x)
{
    int bad = 0;

    if (x->easy == NULL)
        x->easy = make_easy(x);
    if (x->easy == NULL)
        return CB_ENOMEM;
    resp_reset(x);
    bad |= curl_easy_setopt(x->easy, CURLOPT_URL, x->url) != CURLE_OK;
    bad |= curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers) != CURLE_OK;
    bad |= curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, x->timeout_ms) != CURLE_OK;
    if (x->post) {
        bad |= curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body) != CURLE_OK;
        bad |= curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len) !=
               CURLE_OK;
    } else {
        bad |= curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L) != CURLE_OK;
    }
    if (bad)
        return CB_EINVAL;
    if (curl_multi_add_handle(c->multi, x->easy) != CURLM_OK)
        return CB_ENOMEM;
    x->prev = NULL;
    x->next = c->active;
    if (c->active != NULL)
        c->active->prev = x;
    c->active = x;
    c->nactive++;
    return CB_OK;
}

static void unlink_active(httpc_t *c, xfer_t *x)
{
    if (x->prev != NULL)
        x->prev->next = x->next;
    else
        c->active = x->next;
    if (x->next != NULL)
        x->next->prev = x->prev;
    x->next = x->prev = NULL;
    c->nactive--;
}

static void finish(httpc_t *c, xfer_t *x, CURLcode code, const char *why)
{
    httpc_resp_t r;
    long status = 0;

    if (code == CURLE_OK || code == CURLE_WRITE_ERROR)
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    r.status = status;
    r.body = x->resp != NULL ? x->resp : "";
    r.body_len = x->resp_len;
    r.curl_code = (int)code;
    r.error = NULL;
    if (x->too_big)
        r.error = "response body over 64 KiB";
    else if (why != NULL)
        r.error = why;
    else if (code != CURLE_OK)
        r.error = x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(code);
    r.retry_after = x->has_retry_after ? x->retry_after : NULL;
    r.refused = x->refused;
    c->inflight--;
    x->done(x->ud, &r);
    xfer_release(c, x);
}

/* Put queued requests on the wire while there are free slots. */
static void promote(httpc_t *c)
{
    while (c->queue != NULL && c->nactive < c->max_active) {
        xfer_t *x = c->queue;

        c->queue = x->next;
        if (c->queue == NULL)
            c->queue_tail = NULL;
        x->next = NULL;
        if (xfer_launch(c, x) < 0) {
            /* Called back from httpc_run, never from inside httpc_start. */
            x->next = c->failed;
            c->failed = x;
        }
    }
}

int httpc_start(httpc_t *c, const httpc_req_t *req, httpc_done_fn *done, void *ud)
{
    xfer_t *x;
    int rc;

    if (c == NULL || req == NULL || done == NULL || req->url == NULL || req->method == NULL ||
        (strcmp(req->method, "GET") != 0 && strcmp(req->method, "POST") != 0) ||
        (req->body == NULL && req->body_len > 0))
        return CB_EINVAL;
    x = c->spare;
    if (x != NULL) {
        c->spare = x->next;
        c->nspare--;
    } else {
        x = xcalloc(1, sizeof *x);
    }
    x->next = x->prev = NULL;
    x->done = done;
    x->ud = ud;
    resp_reset(x);
    x->refused = req_refused(req, x->errbuf, sizeof x->errbuf);
    if (x->refused) {
        /* Called back from httpc_run, like a transfer that cannot start. */
        x->next = c->failed;
        c->failed = x;
        c->inflight++;
        return CB_OK;
    }
    rc = xfer_fill(x, req);
    if (rc < 0) {
        xfer_release(c, x);
        return rc;
    }
    if (c->queue_tail != NULL)
        c->queue_tail->next = x;
    else
        c->queue = x;
    c->queue_tail = x;
    c->inflight++;
    promote(c);
    return CB_OK;
}

/* Call back every finished transfer; returns how many finished. */
static int drain(httpc_t *c)
{
    CURLMsg *m;
    int left, n = 0;

    while (c->failed != NULL) {
        xfer_t *x = c->failed;

        c->failed = x->next;
        x->next = NULL;
        if (x->refused)
            finish(c, x, CURLE_BAD_FUNCTION_ARGUMENT, x->errbuf);
        else
            finish(c, x, CURLE_OUT_OF_MEMORY, "cannot start the transfer");
        n++;
    }
    while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
        void *priv = NULL;
        xfer_t *x;
        CURLcode code = m->data.result;

        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
        x = priv;
        curl_multi_remove_handle(c->multi, x->easy);
        unlink_active(c, x);
        finish(c, x, code, NULL);
        n++;
    }
    promote(c);
    return n;
}

int httpc_run(httpc_t *c, int timeout_ms)
{
    int running = 0;

    if (c == NULL)
        return CB_EINVAL;
    if (curl_multi_perform(c->multi, &running) != CURLM_OK)
        return CB_EIO;
    if (drain(c) > 0 || c->nactive == 0)
        return (int)c->inflight;
    if (curl_multi_poll(c->multi, NULL, 0, timeout_ms, NULL) != CURLM_OK)
        return CB_EIO;
    if (curl_multi_perform(c->multi, &running) != CURLM_OK)
        return CB_EIO;
    drain(c);
    return (int)c->inflight;
}

size_t httpc_inflight(const httpc_t *c)
{
    return c != NULL ? c->inflight : 0;
}

static void free_list(xfer_t *x)
{
    while (x != NULL) {
        xfer_t *next = x->next;

        xfer_free(x);
        x = next;
    }
}

void httpc_set_ext(httpc_t *c, void *ext, void (*release)(void *ext))
{
    c->ext = ext;
    c->ext_release = release;
}

void *httpc_ext(const httpc_t *c)
{
    return c->ext;
}

void httpc_destroy(httpc_t *c)
{
    if (c == NULL)
        return;
    for (xfer_t *x = c->active; x != NULL; x = x->next)
        curl_multi_remove_handle(c->multi, x->easy);
    free_list(c->active);
    free_list(c->queue);
    free_list(c->failed);
    free_list(c->spare);
    curl_multi_cleanup(c->multi);
    if (c->ext_release != NULL)
        c->ext_release(c->ext);
    free(c);
}
