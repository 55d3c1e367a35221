/* SPDX-License-Identifier: MIT */
#include "core/mask.h"

#include <string.h>

#include "core/mem.h"

enum { MASK_NUM_MAX = 24 }; /* an ID number, a phone or their masked forms, with NUL */

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

/* One digit at 's', ASCII or full-width (U+FF10-U+FF19): its length in bytes, 0
 * for none; the ASCII digit in *d. */
static size_t digit_at(const char *s, char *d)
{
    const unsigned char *u = (const unsigned char *)s;

    if (u[0] >= '0' && u[0] <= '9') {
        *d = (char)u[0];
        return 1;
    }
    if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
        *d = (char)('0' + (u[2] - 0x90));
        return 3;
    }
    return 0;
}

/* 'X', 'x', or full-width 'Ｘ' / 'ｘ': its length in bytes, 0 for none. */
static size_t x_at(const char *s)
{
    if (*s == 'X' || *s == 'x')
        return 1;
    return strncmp(s, "\xEF\xBC\xB8", 3) == 0 || strncmp(s, "\xEF\xBD\x98", 3) == 0 ? 3 : 0;
}

/* A separator between digits: ' ', '-' or full-width '－'. */
static size_t sep_at(const char *s)
{
    if (*s == ' ' || *s == '-')
        return 1;
    return strncmp(s, "\xEF\xBC\x8D", 3) == 0 ? 3 : 0;
}

/* Exactly 'want' digits at 's' (the last may be X when 'x_last'), single separators
 * between them, and no digit right after: the ASCII characters and a NUL into 'd',
 * the end into *end. 0 when the text is no such run. */
static int take(const char *s, size_t want, int x_last, char *d, const char **end)
{
    const char *p = s;
    char c;

    for (size_t n = 0; n < want; n++) {
        size_t l = digit_at(p, &d[n]);

        if (l == 0 && x_last && n + 1 == want && (l = x_at(p)) > 0)
            d[n] = 'X';
        if (l == 0)
            return 0;
        p += l;
        l = sep_at(p);
        if (n + 1 < want && l > 0 && (digit_at(p + l, &c) > 0 || x_at(p + l) > 0))
            p += l;
    }
    if (digit_at(p, &c) > 0)
        return 0;
    d[want] = '\0';
    *end = p;
    return 1;
}

/* An ID number's shape: a province digit 1-8 and a birth date that could be one
 * (YYYYMMDD from 19xx or 20xx, or YYMMDD for the 15-digit numbers). */
static int id_like(const char *d, int year_digits)
{
    const char *md = d + 6 + year_digits;
    int month = (md[0] - '0') * 10 + (md[1] - '0'), day = (md[2] - '0') * 10 + (md[3] - '0');

    if (d[0] < '1' || d[0] > '8')
        return 0;
    if (year_digits == 4 && strncmp(d + 6, "19", 2) != 0 && strncmp(d + 6, "20", 2) != 0)
        return 0;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* The digits 'want' (ASCII) at 's', ASCII or full-width: their length in bytes, or 0. */
static size_t digits_are(const char *s, const char *want)
{
    size_t n = 0, l;
    char c;

    for (; *want != '\0'; want++, n += l) {
        l = digit_at(s + n, &c);
        if (l == 0 || c != *want)
            return 0;
    }
    return n;
}

/* A country code before a mobile number: "+86", "0086" or "86" (full-width too),
 * with a separator after it. Its length in bytes, 0 for none. */
static size_t prefix_at(const char *s)
{
    size_t n = *s == '+' ? 1 : strncmp(s, "\xEF\xBC\x8B", 3) == 0 ? 3 : 0, l;

    l = digits_are(s + n, n > 0 ? "86" : "0086");
    if (l == 0 && n == 0)
        l = digits_are(s, "86");
    if (l == 0)
        return 0;
    return n + l + sep_at(s + n + l);
}

/* A personal number starting at 's': its kind, the length of a country code to
 * keep in *pre, its ASCII characters in 'd' and its end in *end. */
static int personal_at(const char *s, mask_kind_t *kind, size_t *pre, char *d, const char **end)
{
    *kind = MASK_ID;
    *pre = 0;
    if ((take(s, 18, 1, d, end) && id_like(d, 4)) || (take(s, 15, 0, d, end) && id_like(d, 2)))
        return 1;
    *kind = MASK_PHONE;
    *pre = prefix_at(s);
    if (*pre > 0 && take(s + *pre, 11, 0, d, end) && d[0] == '1' && d[1] >= '3')
        return 1;
    *pre = 0;
    return take(s, 11, 0, d, end) && d[0] == '1' && d[1] >= '3';
}

/* Append s[0..n) to out[0..*o) as far as it fits with a NUL. */
static void emit(char *out, size_t outlen, size_t *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && *o + 1 < outlen; i++)
        out[(*o)++] = s[i];
}

void mask_text(const char *s, char *out, size_t outlen)
{
    const char *p = s != NULL ? s : "", *end;
    size_t o = 0, pre, l;
    int after_digit = 0;
    mask_kind_t kind;
    char d[MASK_NUM_MAX], m[MASK_NUM_MAX], c;

    if (outlen == 0)
        return;
    while (*p != '\0') {
        if (!after_digit && personal_at(p, &kind, &pre, d, &end)) {
            emit(out, outlen, &o, p, pre);
            mask_apply(kind, d, m, sizeof m);
            emit(out, outlen, &o, m, strlen(m));
            p = end;
            continue;
        }
        l = digit_at(p, &c);
        after_digit = l > 0;
        emit(out, outlen, &o, p, l > 0 ? l : 1);
        p += l > 0 ? l : 1;
    }
    out[o] = '\0';
}

char *mask_text_dup(const char *s)
{
    char *out;

    if (s == NULL)
        return NULL;
    out = xmalloc(strlen(s) + 1);
    mask_text(s, out, strlen(s) + 1);
    return out;
}
