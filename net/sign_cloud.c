/* SPDX-License-Identifier: MIT */
/* sign_cloud.c - Aliyun ACS3 and Tencent TC3 request signatures (sign_cloud.h). */
#include "net/sign_cloud.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "net/sign.h"

void sign_sha256_hex(const char *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int n = 32;

    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1)
        abort(); /* only on allocation failure inside OpenSSL */
    sign_hex(md, sizeof md, hex);
}

/* A growing string. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf_t;

static void put(sbuf_t *b, const char *s)
{
    size_t n = strlen(s);

    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

void sign_acs3(const char *secret, const char *method, const char *uri, const char *query,
               const sign_hdr_t *hdrs, size_t nhdrs, const char *body, size_t len,
               char sig[65], char *signed_names, size_t nameslen)
{
    sbuf_t cr = {0}, names = {0};
    char hash[65], sts[17 + 65];
    unsigned char mac[32];

    put(&cr, method);
    put(&cr, "\n");
    put(&cr, uri);
    put(&cr, "\n");
    put(&cr, query);
    put(&cr, "\n");
    for (size_t i = 0; i < nhdrs; i++) {
        put(&cr, hdrs[i].name);
        put(&cr, ":");
        put(&cr, hdrs[i].value);
        put(&cr, "\n");
        put(&names, i > 0 ? ";" : "");
        put(&names, hdrs[i].name);
    }
    put(&cr, "\n");
    put(&cr, names.p != NULL ? names.p : "");
    put(&cr, "\n");
    sign_sha256_hex(body, len, hash);
    put(&cr, hash);
    sign_sha256_hex(cr.p, cr.len, hash);
    snprintf(sts, sizeof sts, "ACS3-HMAC-SHA256\n%s", hash);
    sign_hmac_sha256(secret, strlen(secret), sts, strlen(sts), mac);
    sign_hex(mac, sizeof mac, sig);
    if (signed_names != NULL && nameslen > 0)
        snprintf(signed_names, nameslen, "%s", names.p != NULL ? names.p : "");
    free(cr.p);
    free(names.p);
}

void sign_tc3(const char *secret_key, const char *service, const char *host,
              const char *ctype, int64_t ts, const char *body, size_t len, char sig[65],
              char *scope, size_t scopelen)
{
    time_t t = (time_t)ts;
    struct tm tm;
    char date[16], hash[65], sc[96], *cr, *sts, *key;
    unsigned char k1[32], k2[32], k3[32], mac[32];
    size_t n;

    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    snprintf(sc, sizeof sc, "%s/%s/tc3_request", date, service);
    sign_sha256_hex(body, len, hash);
    n = strlen(ctype) + strlen(host) + 128;
    cr = xmalloc(n);
    snprintf(cr, n, "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s", ctype,
             host, hash);
    sign_sha256_hex(cr, strlen(cr), hash);
    n = strlen(sc) + 128;
    sts = xmalloc(n);
    snprintf(sts, n, "TC3-HMAC-SHA256\n%lld\n%s\n%s", (long long)ts, sc, hash);
    n = strlen(secret_key) + 4;
    key = xmalloc(n);
    snprintf(key, n, "TC3%s", secret_key);
    sign_hmac_sha256(key, strlen(key), date, strlen(date), k1);
    sign_hmac_sha256((const char *)k1, 32, service, strlen(service), k2);
    sign_hmac_sha256((const char *)k2, 32, "tc3_request", 11, k3);
    sign_hmac_sha256((const char *)k3, 32, sts, strlen(sts), mac);
    sign_hex(mac, sizeof mac, sig);
    if (scope != NULL && scopelen > 0)
        snprintf(scope, scopelen, "%s", sc);
    free(cr);
    free(sts);
    free(key);
}
