/* SPDX-License-Identifier: MIT */
#include "core/fold.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "core/err.h"

/* The ASCII form of 'cp' (itself when ASCII), or -1. */
static int ascii_form(int32_t cp)
{
    utf8proc_int32_t d[4];
    utf8proc_ssize_t n;

    if (cp < 0x80)
        return (int)cp;
    n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, NULL);
    return n == 1 && d[0] < 0x80 ? (int)d[0] : -1;
}

int fold_ascii(const char *s, size_t len, char *out, size_t cap, fold_result_t *r)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t i = 0, n = (utf8proc_ssize_t)len;
    size_t used = 0, kept_used = 0, kept_chars = 0;

    memset(r, 0, sizeof *r);
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, n - i, &cp);
        int a;
        if (k <= 0)
            return CB_EPARSE;
        i += k;
        a = ascii_form(cp);
        if (a == ' ' && r->chars == 0)
            continue; /* leading blank */
        r->chars++;
        if (a < 0 && r->bad_pos == 0) {
            r->bad_pos = r->chars;
            r->bad_cp = cp;
        }
        if (used + 1 < cap)
            out[used++] = a < 0 ? '?' : (char)a;
        if (a != ' ') {
            kept_used = used;
            kept_chars = r->chars;
        }
    }
    r->chars = kept_chars; /* without the trailing blanks */
    out[kept_used] = '\0';
    return CB_OK;
}

void fold_char_name(int32_t cp, char *out, size_t outlen)
{
    utf8proc_uint8_t enc[4];
    utf8proc_category_t cat = utf8proc_category(cp);
    utf8proc_ssize_t n;

    if (cp > 0x20 && cp != 0x7F && cat != UTF8PROC_CATEGORY_CN && cat < UTF8PROC_CATEGORY_ZS) {
        n = utf8proc_encode_char(cp, enc);
        snprintf(out, outlen, "'%.*s'", (int)n, (const char *)enc);
    } else {
        snprintf(out, outlen, "U+%04X", (unsigned)cp);
    }
}
