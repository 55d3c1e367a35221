/* SPDX-License-Identifier: MIT */
/*
 * wx_xml.h - a reader for the one XML shape the WeChat server sends: a flat
 * <xml><Tag><![CDATA[value]]></Tag><Tag>123</Tag>...</xml> (drv_wechat_mp_in.c says
 * exactly what is accepted). Only channels/ and its tests include this. Pure.
 */
#ifndef CB_CHANNELS_WX_XML_H
#define CB_CHANNELS_WX_XML_H

#include <stddef.h>

#include "core/compiler.h"

#define WX_FIELDS    24
#define WX_TAG_MAX   32
#define WX_VALUE_MAX 2048
#define WX_BODY_MAX  (WX_FIELDS * (WX_VALUE_MAX + 2 * WX_TAG_MAX + 32))

typedef struct wx_xml {
    size_t n;
    struct {
        char tag[WX_TAG_MAX + 1];
        const char *value; /* into buf, NUL-terminated */
    } f[WX_FIELDS];
    char buf[WX_FIELDS * (WX_VALUE_MAX + 1)];
    size_t used;
} wx_xml_t;

/* Read 'len' bytes at 's' into *x. CB_OK, or CB_EINVAL with the reason and where
 * ("xml: byte 12: expected '<'") in 'why'. A value may hold any bytes but NUL; the
 * caller checks what it uses with core/ident.h. */
CB_NODISCARD int wx_xml_read(const char *s, size_t len, wx_xml_t *x, char *why, size_t whylen);
/* The value of 'tag', or NULL. */
const char *wx_xml_get(const wx_xml_t *x, const char *tag);

/* hex(sha1(sorted token, timestamp, nonce joined)) into hex[41]: WeChat's signature. */
CB_NODISCARD int wx_signature(const char *token, const char *timestamp, const char *nonce,
                              char hex[41]);

#endif
