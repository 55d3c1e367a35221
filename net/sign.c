/* SPDX-License-Identifier: MIT */
#include "net/sign.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void sign_hmac_sha256(const char *key, size_t keylen, const char *msg, size_t msglen,
                      unsigned char out[32])
{
    unsigned int n = 32;

    if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, msglen, out, &n) ==
        NULL)
        abort(); /* only on allocation failure inside OpenSSL */
}

void sign_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void sign_body(const char *secret, const char *ts, const char *body, size_t len, char hex[65])
{
    size_t tl = strlen(ts);
    char *msg = xmalloc(tl + 1 + len);
    unsigned char mac[32];

    memcpy(msg, ts, tl);
    msg[tl] = '.';
    memcpy(msg + tl + 1, body, len);
    sign_hmac_sha256(secret, strlen(secret), msg, tl + 1 + len, mac);
    free(msg);
    sign_hex(mac, sizeof mac, hex);
}

sign_check_t sign_verify(const char *secret, const char *ts_header, const char *sig_header,
                         const char *body, size_t len, int64_t now, int skew_s)
{
    char want[65], *end;
    long long ts;
    const char *p;

    if (ts_header == NULL || sig_header == NULL)
        return SIGN_MISSING;
    ts = strtoll(ts_header, &end, 10);
    if (end == ts_header || *end != '\0' || strlen(ts_header) > 12)
        return SIGN_BAD_TIMESTAMP;
    if (ts > now + skew_s || ts < now - skew_s)
        return SIGN_EXPIRED;
    sign_body(secret, ts_header, body, len, want);
    for (p = sig_header; p != NULL && *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n > 0 && *p == ' ') {
            p++;
            n--;
        }
        if (n == 3 + 64 && memcmp(p, "v1=", 3) == 0 && CRYPTO_memcmp(p + 3, want, 64) == 0)
            return SIGN_OK;
        p = e ? e + 1 : NULL;
    }
    return SIGN_MISMATCH;
}

const char *sign_reason(sign_check_t c)
{
    switch (c) {
    case SIGN_OK: return "ok";
    case SIGN_MISSING: return "X-Canbao-Timestamp and X-Canbao-Signature are required";
    case SIGN_BAD_TIMESTAMP: return "X-Canbao-Timestamp is not a unix time";
    case SIGN_EXPIRED: return "X-Canbao-Timestamp is outside the allowed window";
    case SIGN_MISMATCH: return "the signature does not match";
    }
    return "?";
}
