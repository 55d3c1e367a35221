/* SPDX-License-Identifier: MIT */
#include "core/safetext.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/mem.h"

enum { ST_JSON = 0x100 }; /* internal: the escape forms of safetext_json */

/* Where escaped text goes: a FILE, or a buffer that keeps the first bytes that fit
 * (whole pieces only) and counts them all. */
typedef struct sink {
    FILE *fp;
    char *dst;
    size_t cap, used, len;
    int full;
} sink_t;

static void put(sink_t *k, const char *p, size_t n)
{
    k->len += n;
    if (k->fp != NULL) {
        fwrite(p, 1, n, k->fp);
    } else if (!k->full && k->used + n < k->cap) {
        memcpy(k->dst + k->used, p, n);
        k->used += n;
    } else {
        k->full = 1;
    }
}

/* The characters that are escaped although they are valid UTF-8. */
static int is_control(int32_t cp, int flags)
{
    if (cp < 0x20) {
        if (flags & ST_JSON) /* cJSON escaped them; what is left is its layout */
            return cp != '\n' && cp != '\t' && cp != '\r';
        return !((flags & SAFETEXT_LINES) && (cp == '\n' || cp == '\t'));
    }
    if (cp == '"')
        return (flags & SAFETEXT_QUOTE) != 0;
    return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
           cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

/* The escape of code point 'cp', or (cp < 0) of the invalid byte 'byte'. */
static void put_escape(sink_t *k, int32_t cp, unsigned char byte, int flags)
{
    char e[16];

    if (cp == '"')
        snprintf(e, sizeof e, "\\\"");
    else if (flags & ST_JSON)
        snprintf(e, sizeof e, "\\u%04x", cp < 0 ? 0xfffdu : (unsigned)cp);
    else if (cp < 0 || cp < 0x80)
        snprintf(e, sizeof e, "\\x%02x", cp < 0 ? byte : (unsigned)cp);
    else
        snprintf(e, sizeof e, "\\u%04x", (unsigned)cp);
    put(k, e, strlen(e));
}

static void escape(sink_t *k, const char *s, size_t n, int flags)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    size_t i = 0, plain = 0; /* s[plain..i) is text to copy as it is */

    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);

        if (len > 0 && !is_control(cp, flags)) {
            i += (size_t)len;
            continue;
        }
        put(k, s + plain, i - plain);
        put_escape(k, len > 0 ? cp : -1, u[i], flags);
        i += len > 0 ? (size_t)len : 1;
        plain = i;
    }
    put(k, s + plain, i - plain);
}

size_t safetext_escape(const char *s, size_t n, int flags, char *dst, size_t cap)
{
    sink_t k = {.dst = dst, .cap = cap};

    escape(&k, s != NULL ? s : "", s != NULL ? n : 0, flags & (SAFETEXT_LINES | SAFETEXT_QUOTE));
    if (cap > 0)
        dst[k.used] = '\0';
    return k.len;
}

size_t safetext_term(const char *s, size_t n, char *dst, size_t cap)
{
    return safetext_escape(s, n, 0, dst, cap);
}

char *safetext_dup(const char *s)
{
    size_t n, len;
    char *out;

    if (s == NULL)
        return NULL;
    n = strlen(s);
    len = safetext_term(s, n, NULL, 0);
    out = xmalloc(len + 1);
    safetext_term(s, n, out, len + 1);
    return out;
}

void safetext_fputs(const char *s, FILE *fp)
{
    sink_t k = {.fp = fp};

    if (s != NULL)
        escape(&k, s, strlen(s), 0);
}

void safetext_fputs_lines(const char *s, FILE *fp)
{
    sink_t k = {.fp = fp};

    if (s != NULL)
        escape(&k, s, strlen(s), SAFETEXT_LINES);
}

void safetext_printf(FILE *fp, const char *fmt, ...)
{
    char small[512], *p = small;
    sink_t k = {.fp = fp};
    va_list ap, again;
    int n;

    va_start(ap, fmt);
    va_copy(again, ap);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small) {
        p = xmalloc((size_t)n + 1);
        n = vsnprintf(p, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    if (n > 0) {
        int nl = p[n - 1] == '\n';

        escape(&k, p, (size_t)n - (size_t)nl, 0);
        if (nl)
            fputc('\n', fp);
    }
    if (p != small)
        free(p);
}

char *safetext_json(const char *json)
{
    sink_t k = {0};
    size_t n;

    if (json == NULL)
        return NULL;
    n = strlen(json);
    escape(&k, json, n, ST_JSON); /* measure */
    k = (sink_t){.dst = xmalloc(k.len + 1), .cap = k.len + 1};
    escape(&k, json, n, ST_JSON);
    k.dst[k.used] = '\0';
    return k.dst;
}

static void csv_cell(FILE *fp, const char *s, int quote, int last)
{
    char *cell = safetext_dup(s != NULL ? s : "");
    int formula = cell[0] != '\0' && strchr("=+-@", cell[0]) != NULL;

    if (quote || formula || strpbrk(cell, ",\"") != NULL) {
        fputs(formula ? "\"'" : "\"", fp);
        for (const char *c = cell; *c != '\0'; c++) {
            if (*c == '"')
                fputc('"', fp);
            fputc(*c, fp);
        }
        fputc('"', fp);
    } else {
        fputs(cell, fp);
    }
    fputc(last ? '\n' : ',', fp);
    free(cell);
}

void safetext_csv_cell(FILE *fp, const char *s, int last)
{
    csv_cell(fp, s, 0, last);
}

void safetext_csv_quoted(FILE *fp, const char *s, int last)
{
    csv_cell(fp, s, 1, last);
}
