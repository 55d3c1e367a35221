/* SPDX-License-Identifier: MIT */
/*
 * sign_cloud.h - the two Chinese cloud SMS providers' request signatures, pure
 * functions of their inputs (PROTOCOLS.md 6; docs/channels.md "aliyun_sms",
 * "tencent_sms"). tests/test_channels.c checks both against the providers' own
 * documented examples.
 *
 * Aliyun V3 (ACS3-HMAC-SHA256, "V3 请求体&签名机制"):
 *   CanonicalRequest = METHOD \n URI \n CanonicalQuery \n CanonicalHeaders \n
 *                      SignedHeaders \n hex(sha256(body))
 *   with every x-acs-* header, host and content-type (when sent) lower-cased, sorted,
 *   "name:value\n" each; StringToSign = "ACS3-HMAC-SHA256\n" + hex(sha256(CR));
 *   Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign));
 *   Authorization: ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=S
 * Tencent (TC3-HMAC-SHA256, "签名方法 v3"):
 *   CanonicalRequest = "POST\n/\n\ncontent-type:CT\nhost:HOST\n\ncontent-type;host\n"
 *                      + hex(sha256(body));
 *   StringToSign = "TC3-HMAC-SHA256\n" + ts + "\n" + date/service/tc3_request + "\n"
 *                  + hex(sha256(CR)), date the UTC day of ts;
 *   key = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request");
 *   Authorization: TC3-HMAC-SHA256 Credential=ID/SCOPE, SignedHeaders=content-type;host,
 *   Signature=hex(HMAC(key, StringToSign))
 */
#ifndef CB_NET_SIGN_CLOUD_H
#define CB_NET_SIGN_CLOUD_H

#include <stddef.h>
#include <stdint.h>

/* hex(sha256(data)) into hex[65]. */
void sign_sha256_hex(const char *data, size_t len, char hex[65]);

/* One header that takes part in an Aliyun signature: the name lower-case. */
typedef struct sign_hdr {
    const char *name;
    const char *value;
} sign_hdr_t;

/* The Aliyun V3 signature (hex into sig[65]) of a request: 'query' the canonical
 * query string (already sorted and RFC 3986 encoded; "" for none), 'hdrs' the signed
 * headers sorted by name (x-acs-content-sha256 among them), 'body' the payload.
 * 'signed_names' (may be NULL) gets "host;x-acs-action;..." for the Authorization. */
void sign_acs3(const char *secret, const char *method, const char *uri, const char *query,
               const sign_hdr_t *hdrs, size_t nhdrs, const char *body, size_t len,
               char sig[65], char *signed_names, size_t nameslen);

/* The Tencent TC3 signature (hex into sig[65]) of a POST of 'body' with content
 * type 'ctype' to 'host' for 'service' ("sms") at unix time 'ts'. 'scope' (may be
 * NULL) gets "YYYY-MM-DD/service/tc3_request" (at least 64 bytes). */
void sign_tc3(const char *secret_key, const char *service, const char *host,
              const char *ctype, int64_t ts, const char *body, size_t len, char sig[65],
              char *scope, size_t scopelen);

#endif
