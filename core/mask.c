/* SPDX-License-Identifier: MIT */
#include "core/mask.h"

#include <string.h>

/* Copy s[0..len) keeping 'head' leading and 'tail' trailing bytes, '*' between. */
static void keep_ends(const char *s, size_t head, size_t tail, char *out, size_t outlen)
{
    size_t len = strlen(s), o = 0;

    if (outlen == 0)
        return;
    if (head + tail > len) {
        head = len / 3;
        tail = len / 3;
    }
    for (size_t i = 0; i < len && o + 1 < outlen; i++)
        out[o++] = (i < head || i >= len - tail) ? s[i] : '*';
    out[o] = '\0';
}

void mask_id(const char *id, char *out, size_t outlen)
{
    keep_ends(id ? id : "", 6, 4, out, outlen);
}

void mask_phone(const char *phone, char *out, size_t outlen)
{
    keep_ends(phone ? phone : "", 3, 4, out, outlen);
}

void mask_name(const char *name, char *out, size_t outlen)
{
    size_t o = 0, i = 0;

    if (outlen == 0)
        return;
    out[0] = '\0';
    if (name == NULL || name[0] == '\0')
        return;
    /* First code point as is: a lead byte plus its continuation bytes. */
    do {
        if (o + 1 < outlen)
            out[o++] = name[i];
        i++;
    } while (name[i] != '\0' && ((unsigned char)name[i] & 0xC0) == 0x80);
    for (; name[i] != '\0'; i++) {
        if (((unsigned char)name[i] & 0xC0) != 0x80 && o + 1 < outlen)
            out[o++] = '*';
    }
    out[o] = '\0';
}

void mask_apply(mask_kind_t kind, const char *s, char *out, size_t outlen)
{
    switch (kind) {
    case MASK_ID: mask_id(s, out, outlen); break;
    case MASK_PHONE: mask_phone(s, out, outlen); break;
    case MASK_NAME: mask_name(s, out, outlen); break;
    }
}
