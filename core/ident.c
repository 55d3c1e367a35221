/* SPDX-License-Identifier: MIT */
#include "core/ident.h"

#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "core/err.h"

static int fail(char *why, size_t whylen, const char *reason)
{
    snprintf(why, whylen, "%s", reason);
    return CB_EINVAL;
}

int ident_check(const char *s, size_t len, size_t max, char *why, size_t whylen)
{
    if (max > IDENT_MAX)
        max = IDENT_MAX;
    if (s == NULL || len == 0)
        return fail(why, whylen, "missing");
    if (len > max) {
        snprintf(why, whylen, "longer than %zu characters", max);
        return CB_EINVAL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            (c != '\0' && strchr(IDENT_PUNCT, c) != NULL))
            continue;
        if (c < 0x20 || c == 0x7f)
            return fail(why, whylen, "contains a control character");
        if (c >= 0x80)
            return fail(why, whylen, "contains a non-ASCII character (allowed: A-Z a-z 0-9 . _ : -)");
        snprintf(why, whylen, "contains '%c' (allowed: A-Z a-z 0-9 . _ : -)", c);
        return CB_EINVAL;
    }
    return CB_OK;
}

int ident_number(const char *s, size_t len, int64_t *out, char *why, size_t whylen)
{
    int64_t v = 0;

    *out = 0;
    if (s == NULL || len == 0)
        return fail(why, whylen, "missing");
    for (size_t i = 0; i < len; i++) {
        int d = s[i] - '0';

        if (s[i] < '0' || s[i] > '9')
            return fail(why, whylen, "must be digits only");
        if (v > (INT64_MAX - d) / 10)
            return fail(why, whylen, "too large");
        v = v * 10 + d;
    }
    *out = v;
    return CB_OK;
}

int ident_text(const char *s, size_t len, size_t max, int lines, char *why, size_t whylen)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;

    if (s == NULL)
        return fail(why, whylen, "missing");
    if (len > max) {
        snprintf(why, whylen, "longer than %zu bytes", max);
        return CB_EINVAL;
    }
    while (len > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u, (utf8proc_ssize_t)len, &cp);

        if (n <= 0)
            return fail(why, whylen, "not valid UTF-8");
        if ((cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) &&
            !(lines && (cp == '\t' || cp == '\n' || cp == '\r')))
            return fail(why, whylen, "contains a control character");
        u += n;
        len -= (size_t)n;
    }
    return CB_OK;
}

int ident_field(const char *name, ident_kind_t k, const char *s, size_t len, size_t max,
                char *why, size_t whylen)
{
    char reason[160];
    int rc;

    if (k == IDENT_ID)
        rc = ident_check(s, len, max, reason, sizeof reason);
    else
        rc = ident_text(s, len, max, k == IDENT_LINES ? IDENT_TEXT_LINES : IDENT_TEXT_LINE,
                        reason, sizeof reason);
    if (rc < 0)
        snprintf(why, whylen, "%s: %s", name, reason);
    return rc;
}

int ident_field_number(const char *name, const char *s, int64_t *out, char *why, size_t whylen)
{
    char reason[80];

    if (ident_number(s, s ? strlen(s) : 0, out, reason, sizeof reason) < 0) {
        snprintf(why, whylen, "%s: %s", name, reason);
        return CB_EINVAL;
    }
    return CB_OK;
}
