/* SPDX-License-Identifier: MIT */
#include "core/num.h"

#include "core/err.h"

int num_parse_count(const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    size_t digits = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == ',' && digits > 0)
            continue;
        if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - 9) / 10)
            return CB_EPARSE;
        v = v * 10 + (s[i] - '0');
        digits++;
    }
    if (digits == 0)
        return CB_EPARSE;
    *out = v;
    return CB_OK;
}
