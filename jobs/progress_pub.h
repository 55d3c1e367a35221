/* SPDX-License-Identifier: MIT */
/*
 * progress_pub.h - the campaign's progress as MQTT messages (topic scheme and payloads
 * in docs/mqtt.md): for the county, each township and each village a retained
 * "progress" JSON snapshot, a "led" line for cheap LED controllers (UTF-8, or GBK /
 * GB2312 / GB18030 through iconv) and an AWTRIX-style "awtrix" JSON (digits and Latin
 * letters only: AWTRIX fonts have no Chinese).
 *
 * Pure: no I/O, no clock (the caller passes 'today' and the update time).
 */
#ifndef CB_JOBS_PROGRESS_PUB_H
#define CB_JOBS_PROGRESS_PUB_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/progress.h"

typedef struct pub_msg {
    char *topic;
    char *payload; /* 'len' bytes, NUL-terminated as well */
    size_t len;
} pub_msg_t;

typedef struct pub_opts {
    const char *prefix;       /* first topic level (NULL: "canbao") */
    const char *county_code;  /* second topic level (NULL: "county") */
    const char *led_encoding; /* NULL or "utf-8", "gbk", "gb2312", "gb18030" */
    long long updated;        /* Unix time of the figures */
    /* NULL: every area; else only the areas for which want(want_ud, row) is nonzero
     * (the rows are complete: ranks and roll-ups come from every area). */
    int (*want)(void *ud, const progress_row_t *r);
    void *want_ud;
} pub_opts_t;

/* The stable code of an area in topics: "a<id>" (area ids never change). 'buf' holds
 * at least 24 bytes. */
void progress_pub_code(int64_t area_id, char *buf, size_t len);

/* The LED line of a row called 'name' ("南华村 参保 2311/2471 93.5% 第3名"; paid of
 * registered and coverage without a target; no rank for the county), UTF-8. */
void progress_pub_led(const progress_row_t *r, const char *name, char *buf, size_t len);

/* 'in' (UTF-8) converted to 'encoding' ("utf-8" copies). CB_EINVAL for an unknown
 * encoding, CB_EPARSE for text it cannot hold. Free *out. */
CB_NODISCARD int progress_pub_encode(const char *in, const char *encoding, char **out,
                                     size_t *outlen);

/* Every message for 'p' (county first, then townships, then villages; per area
 * progress, led, awtrix). On failure 'err' says why. Free with progress_pub_free. */
CB_NODISCARD int progress_pub_build(progress_t *p, const policy_t *pol, cb_date_t today,
                                    const pub_opts_t *o, pub_msg_t **out, size_t *n, char *err,
                                    size_t errlen);
void progress_pub_free(pub_msg_t *m, size_t n); /* NULL is a no-op */

#endif
