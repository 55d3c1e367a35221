/* SPDX-License-Identifier: MIT */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/mask.h"
#include "core/safetext.h"

/* Process-wide, written only by main before threads start (STYLE R17). */
static log_level_t min_level = LL_WARN;

enum { LOG_MSG_MAX = 1024 }; /* a longer message is cut */

void log_set_level(log_level_t lvl)
{
    min_level = lvl;
}

int log_enabled(log_level_t lvl)
{
    return lvl >= min_level;
}

/* The message is outside text as often as not (a reply's message id, a gateway's
 * error): personal numbers in it are masked and control characters and quotes
 * escaped (core/safetext.h), so one event stays one line. The line is written in
 * one call, so lines of threads do not interleave. */
void log_write(log_level_t lvl, const char *comp, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error", "off"};
    char ts[32], msg[LOG_MSG_MAX], masked[LOG_MSG_MAX], safe[4 * LOG_MSG_MAX + 1];
    struct tm tm;
    time_t now = time(NULL);
    va_list ap;

    if (!log_enabled(lvl))
        return;
    if (gmtime_r(&now, &tm) == NULL || strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        ts[0] = '\0';
    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
        msg[0] = '\0';
    va_end(ap);
    mask_text(msg, masked, sizeof masked);
    safetext_escape(masked, strlen(masked), SAFETEXT_QUOTE, safe, sizeof safe);
    fprintf(stderr, "ts=%s level=%s comp=%s msg=\"%s\"\n", ts, names[lvl], comp, safe);
}
