/* SPDX-License-Identifier: MIT */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Howard Hinnant's days_from_civil / civil_from_days, exact for all int32 ranges used. */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dim[m - 1];
}

int date_from_ymd(int y, int m, int d, cb_date_t *out)
{
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return CB_EINVAL;
    *out = days_from_civil(y, m, d);
    return CB_OK;
}

void date_to_ymd(cb_date_t date, int *y, int *m, int *d)
{
    int32_t z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

/* Read 'min'..'max' digits at s[*i]; returns the value or -1. */
static int digits(const char *s, size_t len, size_t *i, int min, int max)
{
    int v = 0, n = 0;
    while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n >= min ? v : -1;
}

int date_parse(const char *s, size_t len, cb_date_t *out)
{
    size_t i = 0;
    int y, m, d;

    if (len == 8 && memchr(s, '-', len) == NULL && memchr(s, '/', len) == NULL) {
        y = digits(s, len, &i, 4, 4);
        m = digits(s, len, &i, 2, 2);
        d = digits(s, len, &i, 2, 2);
    } else {
        char sep;
        y = digits(s, len, &i, 4, 4);
        if (y < 0 || i >= len || (s[i] != '-' && s[i] != '/'))
            return CB_EPARSE;
        sep = s[i++];
        m = digits(s, len, &i, 1, 2);
        if (m < 0 || i >= len || s[i] != sep)
            return CB_EPARSE;
        i++;
        d = digits(s, len, &i, 1, 2);
    }
    if (y < 0 || m < 0 || d < 0 || i != len)
        return CB_EPARSE;
    return date_from_ymd(y, m, d, out);
}

int date_parse_hhmm(const char *s, size_t len, int max_hour, int *minute)
{
    size_t i = 0;
    int h = digits(s, len, &i, 1, 2), m;

    if (h < 0 || i >= len || s[i++] != ':')
        return CB_EPARSE;
    m = digits(s, len, &i, 2, 2);
    if (m < 0 || i != len || h > max_hour || m > 59)
        return CB_EPARSE;
    *minute = h * 60 + m;
    return CB_OK;
}

int date_parse_mmdd(const char *s, size_t len, int *mmdd)
{
    size_t i = 0;
    int m = digits(s, len, &i, 1, 2), d;

    if (m < 0 || i >= len || s[i++] != '-')
        return CB_EPARSE;
    d = digits(s, len, &i, 1, 2);
    if (d < 0 || i != len || m < 1 || m > 12 || d < 1 || d > 31)
        return CB_EPARSE;
    *mmdd = m * 100 + d;
    return CB_OK;
}

void date_format(cb_date_t date, char buf[11])
{
    int y, m, d;
    date_to_ymd(date, &y, &m, &d);
    /* Unsigned, so that GCC can see the fields fit (-Wformat-truncation at -O2). */
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

cb_date_t date_from_unix(int64_t t, int32_t offset_s)
{
    int64_t local = t + offset_s;
    int64_t days = local / 86400;
    if (local % 86400 < 0)
        days--;
    return (cb_date_t)days;
}
