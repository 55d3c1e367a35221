/* SPDX-License-Identifier: MIT */
#include "core/money.h"

#include <stdio.h>

#include "core/err.h"

int money_parse_yuan(const char *s, size_t len, int64_t *fen)
{
    int64_t yuan = 0, cents = 0;
    size_t i = 0, int_digits = 0, frac_digits = 0;

    while (i < len && (s[i] == ' '))
        i++;
    for (; i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == ','); i++) {
        if (s[i] == ',')
            continue;
        if (yuan > INT64_MAX / 1000)
            return CB_EPARSE;
        yuan = yuan * 10 + (s[i] - '0');
        int_digits++;
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (++frac_digits > 2)
                return CB_EPARSE;
            cents = cents * 10 + (s[i] - '0');
        }
        if (frac_digits == 1)
            cents *= 10;
    }
    while (i < len && s[i] == ' ')
        i++;
    if (i != len || int_digits == 0)
        return CB_EPARSE;
    *fen = yuan * 100 + cents;
    return CB_OK;
}

void money_format(int64_t fen, char buf[24])
{
    const char *sign = fen < 0 ? "-" : "";
    int64_t a = fen < 0 ? -fen : fen;
    snprintf(buf, 24, "%s%lld.%02lld", sign, (long long)(a / 100), (long long)(a % 100));
}

void money_format_yuan(int64_t fen, char buf[24])
{
    if (fen % 100 == 0)
        snprintf(buf, 24, "%lld", (long long)(fen / 100));
    else
        money_format(fen, buf);
}
