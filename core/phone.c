/* SPDX-License-Identifier: MIT */
#include "core/phone.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/fold.h"

/* Fail with 'msg', followed by the character 'cp' ("contains the
 * character 'O'", a control character as U+001B); -1 for none. */
static int fail(char *why, size_t whylen, const char *msg, int32_t cp)
{
    char name[16];

    if (why != NULL && whylen > 0) {
        if (cp >= 0) {
            fold_char_name(cp, name, sizeof name);
            snprintf(why, whylen, "%s %s", msg, name);
        } else {
            snprintf(why, whylen, "%s", msg);
        }
    }
    return CB_EPARSE;
}

static int normalise_ascii(const char *s, size_t len, char *out, char *why, size_t whylen)
{
    char d[24];
    size_t n = 0;
    const char *p;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '-')
            continue;
        if (c == '+' && n == 0)
            continue;
        if (c < '0' || c > '9') {
            if ((unsigned char)c >= 0x80)
                return fail(why, whylen, "contains a non-ASCII character", -1);
            return fail(why, whylen, "contains the character", (unsigned char)c);
        }
        if (n + 1 >= sizeof d)
            return fail(why, whylen, "has too many digits for a mobile number", -1);
        d[n++] = c;
    }
    d[n] = '\0';
    p = d;
    if (n == 15 && strncmp(d, "0086", 4) == 0)
        p += 4;
    else if (n == 13 && strncmp(d, "86", 2) == 0)
        p += 2;
    if (d[0] == '0')
        return fail(why, whylen, "looks like a landline (starts with an area code)", -1);
    if (strlen(p) != PHONE_LEN)
        return fail(why, whylen, "is not 11 digits", -1);
    if (p[0] != '1' || p[1] < '3' || p[1] > '9')
        return fail(why, whylen, "is not a mobile number (must start 13-19)", -1);
    memcpy(out, p, PHONE_LEN + 1);
    return 0;
}

int phone_normalise(const char *s, size_t len, char *out, char *why, size_t whylen)
{
    int rc = normalise_ascii(s, len, out, why, whylen);
    char folded[64];
    fold_result_t f;
    size_t i = 0;

    if (rc == 0)
        return rc;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len)
        return rc;
    /* Full-width digits, '＋' and '－' read as ASCII. */
    if (fold_ascii(s, len, folded, sizeof folded, &f) != CB_OK)
        return fail(why, whylen, "contains a non-ASCII character", -1);
    if (f.bad_pos != 0)
        return fail(why, whylen, "contains the character", f.bad_cp);
    if (f.chars >= sizeof folded)
        return fail(why, whylen, "has too many digits for a mobile number", -1);
    return normalise_ascii(folded, f.chars, out, why, whylen);
}
