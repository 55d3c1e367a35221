/* SPDX-License-Identifier: MIT */
#include "core/idcard.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/fold.h"

/* ISO 7064 MOD 11-2 weights of the first 17 digits (2^(17-i) mod 11). */
static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";
/* 1900-01-01 as a cb_date_t: no earlier birth date is accepted. */
static const cb_date_t first_birth = -25567;

/* The two-digit province codes of GB/T 2260, plus 71 (Taiwan), 81 and 82 (Hong Kong, Macao). */
static int is_province(int code)
{
    return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
           (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
           code == 71 || code == 81 || code == 82;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The value of the 'n' digits at 's' (already checked to be digits). */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static idcard_status_t reject(idcard_status_t st, char *why, size_t whylen, const char *fmt, ...)
    CB_PRINTF(4, 5);

static idcard_status_t reject(idcard_status_t st, char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || whylen == 0)
        return st;
    va_start(ap, fmt);
    if (vsnprintf(why, whylen, fmt, ap) < 0)
        why[0] = '\0';
    va_end(ap);
    return st;
}

/* Name the bad character 'c' at 1-based 'pos' ("'A' at position 5 is not a digit"). */
static idcard_status_t bad_char(char c, size_t pos, const char *expected, char *why, size_t whylen)
{
    unsigned char u = (unsigned char)c;

    if (u > 0x20 && u < 0x7f)
        return reject(IDCARD_ECHAR, why, whylen, "'%c' at position %zu is not %s", c, pos,
                      expected);
    return reject(IDCARD_ECHAR, why, whylen, "byte 0x%02X at position %zu is not %s", u, pos,
                  expected);
}

static idcard_status_t check_birth(const char *s, cb_date_t today, char *why, size_t whylen)
{
    int y = digits_value(s + 6, 4), m = digits_value(s + 10, 2), d = digits_value(s + 12, 2);
    cb_date_t birth;
    char buf[11];

    /* date.h covers 1800..2200; earlier years are "before 1900" whatever the day. */
    if (y < 1800)
        return reject(IDCARD_EDATE, why, whylen, "birth date %.8s is before 1900-01-01", s + 6);
    if (date_from_ymd(y, m, d, &birth) < 0)
        return reject(IDCARD_EDATE, why, whylen, "birth date %.8s is not a real date", s + 6);
    if (birth < first_birth)
        return reject(IDCARD_EDATE, why, whylen, "birth date %.8s is before 1900-01-01", s + 6);
    if (birth > today) {
        date_format(today, buf);
        return reject(IDCARD_EFUTURE, why, whylen, "birth date %.8s is after today, %s", s + 6,
                      buf);
    }
    return IDCARD_OK;
}

char idcard_check_char(const char *id17)
{
    int sum = 0;

    for (int i = 0; i < 17; i++)
        sum += (id17[i] - '0') * weights[i];
    return check_chars[sum % 11];
}

/* The checks of an ASCII number (any bytes; 'len' counts them). */
static idcard_status_t check_ascii(const char *s, size_t len, cb_date_t today, char *norm,
                                   char *why, size_t whylen)
{
    idcard_status_t st;
    char last, want;

    if (len != IDCARD_LEN)
        return reject(IDCARD_ELENGTH, why, whylen, "%zu character%s, expected %d", len,
                      len == 1 ? "" : "s", IDCARD_LEN);
    for (size_t i = 0; i < IDCARD_LEN - 1; i++) {
        if (!is_digit(s[i]))
            return bad_char(s[i], i + 1, "a digit", why, whylen);
    }
    last = s[IDCARD_LEN - 1];
    if (last == 'x')
        last = 'X';
    if (!is_digit(last) && last != 'X')
        return bad_char(last, IDCARD_LEN, "a digit or X", why, whylen);
    if (!is_province(digits_value(s, 2)))
        return reject(IDCARD_EREGION, why, whylen, "region code %.6s: %.2s is no province code", s,
                      s);
    st = check_birth(s, today, why, whylen);
    if (st != IDCARD_OK)
        return st;
    want = idcard_check_char(s);
    if (last != want)
        return reject(IDCARD_ECHECK, why, whylen, "check character is %c, expected %c", last, want);
    if (norm != NULL) {
        memcpy(norm, s, IDCARD_LEN - 1);
        norm[IDCARD_LEN - 1] = last;
        norm[IDCARD_LEN] = '\0';
    }
    return IDCARD_OK;
}

idcard_status_t idcard_check(const char *s, size_t len, cb_date_t today, char *norm, char *why,
                             size_t whylen)
{
    idcard_status_t st = check_ascii(s, len, today, norm, why, whylen);
    char folded[IDCARD_LEN + 2], name[16];
    fold_result_t f;
    size_t i = 0;

    /* A byte above 0x7F fails as a length or a character: only then look again. */
    if (st != IDCARD_ELENGTH && st != IDCARD_ECHAR)
        return st;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    /* Full-width digits and X (a Chinese input method's) read as ASCII; counts and
     * positions are in characters. Bytes that are no UTF-8 are named as bytes. */
    if (i == len || fold_ascii(s, len, folded, sizeof folded, &f) != CB_OK)
        return st;
    if (f.chars != IDCARD_LEN)
        return reject(IDCARD_ELENGTH, why, whylen, "%zu character%s, expected %d", f.chars,
                      f.chars == 1 ? "" : "s", IDCARD_LEN);
    if (f.bad_pos != 0) {
        fold_char_name(f.bad_cp, name, sizeof name);
        return reject(IDCARD_ECHAR, why, whylen, "%s at position %zu is not %s", name, f.bad_pos,
                      f.bad_pos == IDCARD_LEN ? "a digit or X" : "a digit");
    }
    return check_ascii(folded, IDCARD_LEN, today, norm, why, whylen);
}

int64_t idcard_key(const char *norm)
{
    int64_t key = 0;

    for (int i = 0; i < IDCARD_LEN - 1; i++)
        key = key * 10 + (norm[i] - '0');
    return key;
}

void idcard_from_key(int64_t key, char norm[IDCARD_LEN + 1])
{
    for (int i = IDCARD_LEN - 2; i >= 0; i--) {
        norm[i] = (char)('0' + key % 10);
        key /= 10;
    }
    norm[IDCARD_LEN - 1] = idcard_check_char(norm);
    norm[IDCARD_LEN] = '\0';
}

cb_date_t idcard_birth(const char *norm)
{
    cb_date_t d = 0;

    if (date_from_ymd(digits_value(norm + 6, 4), digits_value(norm + 10, 2),
                      digits_value(norm + 12, 2), &d) < 0)
        return 0; /* not a checked number: the contract was broken */
    return d;
}

int idcard_is_male(const char *norm)
{
    return (norm[16] - '0') % 2;
}
