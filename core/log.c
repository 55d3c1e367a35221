/* SPDX-License-Identifier: MIT */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* Process-wide, written only by main before threads start (STYLE R17). */
static log_level_t min_level = LL_WARN;

void log_set_level(log_level_t lvl)
{
    min_level = lvl;
}

int log_enabled(log_level_t lvl)
{
    return lvl >= min_level;
}

void log_write(log_level_t lvl, const char *comp, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error", "off"};
    char ts[32];
    struct tm tm;
    time_t now = time(NULL);
    va_list ap;

    if (!log_enabled(lvl))
        return;
    if (gmtime_r(&now, &tm) == NULL || strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        ts[0] = '\0';
    fprintf(stderr, "ts=%s level=%s comp=%s msg=\"", ts, names[lvl], comp);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\"\n", stderr);
}
