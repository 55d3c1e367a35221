/* SPDX-License-Identifier: MIT */
/*
 * date.h - civil (proleptic Gregorian) dates as a day number, for policy windows,
 * birth dates and milestones. Pure functions; safe anywhere.
 */
#ifndef CB_CORE_DATE_H
#define CB_CORE_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

/* Days since 1970-01-01 (negative before it). */
typedef int32_t cb_date_t;

/* Build a date from year, month (1-12) and day; CB_EINVAL unless it is a real
 * calendar date in years 1800..2200. */
CB_NODISCARD int date_from_ymd(int y, int m, int d, cb_date_t *out);
void date_to_ymd(cb_date_t date, int *y, int *m, int *d);

/* Parse 'len' bytes of "YYYY-MM-DD", "YYYY/M/D" (one- or two-digit month and day,
 * as spreadsheets write them) or "YYYYMMDD". CB_EPARSE when it is none of these
 * shapes, CB_EINVAL when it has the shape but is no real date. */
CB_NODISCARD int date_parse(const char *s, size_t len, cb_date_t *out);

/* Parse 'len' bytes of "H:MM" or "HH:MM" (hours 0..max_hour, minutes 0..59) into
 * minutes after midnight. CB_EPARSE otherwise. */
CB_NODISCARD int date_parse_hhmm(const char *s, size_t len, int max_hour, int *minute);

/* Parse 'len' bytes of "MM-DD" (one or two digits each, a month 1..12 and a day 1..31)
 * into month * 100 + day. CB_EPARSE otherwise. */
CB_NODISCARD int date_parse_mmdd(const char *s, size_t len, int *mmdd);

/* Write "YYYY-MM-DD" and a NUL into 'buf' (11 bytes). */
void date_format(cb_date_t date, char buf[11]);

/* The civil date of Unix time 't' in the UTC offset 'offset_s' (China: +28800). */
cb_date_t date_from_unix(int64_t t, int32_t offset_s);

#endif
