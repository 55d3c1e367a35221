/* SPDX-License-Identifier: MIT */
#include "core/phone.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

static int fail(char *why, size_t whylen, const char *msg, char c)
{
    if (why != NULL && whylen > 0) {
        if (c)
            snprintf(why, whylen, "%s '%c'", msg, c);
        else
            snprintf(why, whylen, "%s", msg);
    }
    return CB_EPARSE;
}

int phone_normalise(const char *s, size_t len, char *out, char *why, size_t whylen)
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
                return fail(why, whylen, "contains a non-ASCII character", 0);
            return fail(why, whylen, "contains the character", c);
        }
        if (n + 1 >= sizeof d)
            return fail(why, whylen, "has too many digits for a mobile number", 0);
        d[n++] = c;
    }
    d[n] = '\0';
    p = d;
    if (n == 15 && strncmp(d, "0086", 4) == 0)
        p += 4;
    else if (n == 13 && strncmp(d, "86", 2) == 0)
        p += 2;
    if (d[0] == '0')
        return fail(why, whylen, "looks like a landline (starts with an area code)", 0);
    if (strlen(p) != PHONE_LEN)
        return fail(why, whylen, "is not 11 digits", 0);
    if (p[0] != '1' || p[1] < '3' || p[1] > '9')
        return fail(why, whylen, "is not a mobile number (must start 13-19)", 0);
    memcpy(out, p, PHONE_LEN + 1);
    return 0;
}
