/* SPDX-License-Identifier: MIT */
/*
 * sign.h - HMAC-SHA256 signing of webhook bodies, both ways: canbao signs what it
 * sends (channels/webhook, http_sms) and checks what it receives (the payment and
 * WeChat hooks) with one scheme:
 *   X-Canbao-Timestamp: <unix seconds>
 *   X-Canbao-Signature: v1=<hex(HMAC-SHA256(secret, timestamp + "." + raw body))>
 * (several comma-separated v1= values are accepted, for secret rotation).
 */
#ifndef CB_NET_SIGN_H
#define CB_NET_SIGN_H

#include <stddef.h>
#include <stdint.h>

/* HMAC-SHA256 of 'msg' with 'key' into out[32]. */
void sign_hmac_sha256(const char *key, size_t keylen, const char *msg, size_t msglen,
                      unsigned char out[32]);
/* Lower-case hex of 'n' bytes into 'out' (2n + 1 bytes). */
void sign_hex(const unsigned char *in, size_t n, char *out);
/* hex(HMAC-SHA256(secret, ts + "." + body)) into hex[65]. */
void sign_body(const char *secret, const char *ts, const char *body, size_t len, char hex[65]);

typedef enum sign_check {
    SIGN_OK, SIGN_MISSING, SIGN_BAD_TIMESTAMP, SIGN_EXPIRED, SIGN_MISMATCH
} sign_check_t;

/* Check the two headers' values (either may be NULL) against 'body' at 'now',
 * allowing 'skew_s' seconds either way. Constant-time comparison. */
sign_check_t sign_verify(const char *secret, const char *ts_header, const char *sig_header,
                         const char *body, size_t len, int64_t now, int skew_s);
/* A short reason for a failed check, for the 401 answer. */
const char *sign_reason(sign_check_t c);

#endif
