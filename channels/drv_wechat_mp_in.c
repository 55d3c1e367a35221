/* SPDX-License-Identifier: MIT */
/*
 * drv_wechat_mp_in.c - what the WeChat server calls on an Official Account's server
 * URL (PROTOCOLS.md 5), with ?signature=&timestamp=&nonce= on every call:
 *
 *   verify  GET ...&echostr=E: the URL check; answered with E itself.
 *   push    POST, a flat XML message or event. TEMPLATESENDJOBFINISH (MsgID = the
 *           msgid template/send answered, Status success / failed:user block /
 *           failed: system failed) is a final delivery event for that gateway id.
 *           MsgType text (MsgId, Content) is a reply from the openid FromUserName
 *           (CH_EV_REPLY with 'account'); Event unsubscribe a CH_EV_OPTOUT for it.
 *           Other messages and events are acknowledged and carry nothing.
 *
 * signature = hex(sha1(the three of token, timestamp, nonce sorted and joined)),
 * token = in->secret; compared in constant time. The answer to a push is "success"
 * (WeChat then neither retries nor shows the user an error).
 *
 * The body is hostile input: wx_xml_read accepts only
 *   <xml> (<Tag>value</Tag>)* </xml>
 * with blanks between elements, Tag [A-Za-z0-9_]{1,32}, value a CDATA section or
 * plain text without '<' and '&', at most WX_FIELDS fields, each value at most
 * WX_VALUE_MAX bytes, no tag twice, nothing after </xml>. Pure: no I/O
 * (fuzz/fuzz_wechat_mp.c runs it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "channels/channel_internal.h"
#include "channels/wx_xml.h"
#include "core/err.h"
#include "core/ident.h"

#define WX_STATUS_MAX 80

static const char *param(const ch_inbound_t *in, const char *name)
{
    return in->param != NULL ? in->param(in->param_ud, name) : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int wx_signature(const char *token, const char *timestamp, const char *nonce, char hex[41])
{
    const char *v[3] = {token, timestamp, nonce};
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx;

    if (token == NULL || timestamp == NULL || nonce == NULL)
        return CB_EINVAL;
    qsort(v, 3, sizeof v[0], cmp_str);
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1 ||
        EVP_DigestUpdate(ctx, v[0], strlen(v[0])) != 1 ||
        EVP_DigestUpdate(ctx, v[1], strlen(v[1])) != 1 ||
        EVP_DigestUpdate(ctx, v[2], strlen(v[2])) != 1 ||
        EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 20) {
        EVP_MD_CTX_free(ctx);
        return CB_ENOMEM;
    }
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return CB_OK;
}

static int signed_ok(const ch_inbound_t *in, char *why, size_t whylen)
{
    const char *sig = param(in, "signature"), *ts = param(in, "timestamp");
    const char *nonce = param(in, "nonce");
    char want[41];

    if (in->secret == NULL || in->secret[0] == '\0' || sig == NULL || strlen(sig) != 40 ||
        ident_field("timestamp", IDENT_ID, ts, ts ? strlen(ts) : 0, 20, why, whylen) < 0 ||
        ident_field("nonce", IDENT_ID, nonce, nonce ? strlen(nonce) : 0, IDENT_MAX, why,
                    whylen) < 0 ||
        wx_signature(in->secret, ts, nonce, want) < 0 || CRYPTO_memcmp(want, sig, 40) != 0) {
        snprintf(why, whylen, "signature: missing or not WeChat's");
        return 0;
    }
    return 1;
}

/* TEMPLATESENDJOBFINISH as a delivery event for the gateway id MsgID. */
static int job_finish(const wx_xml_t *x, ch_event_t *ev, char *why, size_t whylen)
{
    const char *id = wx_xml_get(x, "MsgID"), *status = wx_xml_get(x, "Status");

    if (ident_field("MsgID", IDENT_ID, id, id ? strlen(id) : 0, CH_EVENT_ID_MAX, why,
                    whylen) < 0 ||
        ident_field("Status", IDENT_LINE, status, status ? strlen(status) : 0, WX_STATUS_MAX,
                    why, whylen) < 0)
        return CB_EINVAL;
    ev->kind = CH_EV_DELIVERY;
    ev->outbox_id = 0;
    memcpy(ev->msg_id, id, strlen(id) + 1);
    ev->final = 1;
    ev->delivered = strcmp(status, "success") == 0;
    if (!ev->delivered)
        snprintf(ev->error, sizeof ev->error, "WeChat: %s", status);
    return CB_OK;
}

static int push(const ch_inbound_t *in, ch_event_t *ev, int *has, char *why, size_t whylen)
{
    wx_xml_t x;
    const char *type, *event;

    if (wx_xml_read(in->body, in->body_len, &x, why, whylen) < 0)
        return CB_EINVAL;
    type = wx_xml_get(&x, "MsgType");
    event = wx_xml_get(&x, "Event");
    if (type == NULL || wx_xml_get(&x, "FromUserName") == NULL) {
        snprintf(why, whylen, "MsgType and FromUserName are required");
        return CB_EINVAL;
    }
    *has = 0;
    if (strcmp(type, "event") == 0 && event != NULL &&
        strcmp(event, "TEMPLATESENDJOBFINISH") == 0) {
        *has = 1;
        return job_finish(&x, ev, why, whylen);
    }
    if (strcmp(type, "text") == 0 ||
        (strcmp(type, "event") == 0 && event != NULL && strcmp(event, "unsubscribe") == 0)) {
        *has = 1;
        return channel_account_event(wx_xml_get(&x, "MsgId"), wx_xml_get(&x, "FromUserName"),
                                     strcmp(type, "text") != 0 ? NULL
                                     : wx_xml_get(&x, "Content") ? wx_xml_get(&x, "Content")
                                                                 : "",
                                     ev, why, whylen);
    }
    return CB_OK;
}

int wechat_mp_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                      size_t acklen, char *why, size_t whylen)
{
    ch_event_t ev;
    int has = 0, rc;

    memset(&ev, 0, sizeof ev);
    if (!signed_ok(in, why, whylen))
        return CH_INBOUND_UNSIGNED;
    if (strcmp(in->what, "verify") == 0) {
        const char *e = param(in, "echostr");

        rc = ident_field("echostr", IDENT_ID, e, e ? strlen(e) : 0, IDENT_MAX, why, whylen);
        if (rc == CB_OK)
            snprintf(ack, acklen, "%s", e);
        return rc;
    }
    if (strcmp(in->what, "push") != 0) {
        snprintf(why, whylen, "WeChat calls only verify and push");
        return CB_EINVAL;
    }
    rc = push(in, &ev, &has, why, whylen);
    if (rc == CB_OK) {
        snprintf(ack, acklen, "success");
        if (has)
            each(ud, &ev);
    }
    return rc;
}
