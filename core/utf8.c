/* SPDX-License-Identifier: MIT */
#include "core/utf8.h"

#include <utf8proc.h>

/* The code points of 's' (adding their terminal widths to *width when it is not NULL),
 * or -1 at the first invalid sequence. */
static long walk(const char *s, size_t len, size_t *width)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    long n = 0;

    while (len > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u, (utf8proc_ssize_t)len, &cp);

        if (k <= 0)
            return -1;
        if (width != NULL)
            *width += (size_t)utf8proc_charwidth(cp);
        u += k;
        len -= (size_t)k;
        n++;
    }
    return n;
}

int utf8_valid(const char *s, size_t len)
{
    return walk(s, len, NULL) >= 0;
}

long utf8_chars(const char *s, size_t len)
{
    return walk(s, len, NULL);
}

size_t utf8_width(const char *s, size_t len)
{
    size_t w = 0;
    (void)walk(s, len, &w);
    return w;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
    size_t n = len <= max ? len : max;

    if (n < len)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return n;
}
