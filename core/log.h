/* SPDX-License-Identifier: MIT */
/*
 * log.h - one logger: one logfmt line per event on stderr.
 * Never pass personal data unmasked (see core/mask.h). The level is process-wide
 * and set once by main before any thread starts.
 */
#ifndef CB_CORE_LOG_H
#define CB_CORE_LOG_H

#include "core/compiler.h"

typedef enum log_level { LL_DEBUG, LL_INFO, LL_WARN, LL_ERROR, LL_OFF } log_level_t;

void log_set_level(log_level_t lvl);
int log_enabled(log_level_t lvl);
/* 'comp' is a dotted component name ("store", "import.roster"). */
void log_write(log_level_t lvl, const char *comp, const char *fmt, ...) CB_PRINTF(3, 4);

#define log_debug(comp, ...) \
    do { if (log_enabled(LL_DEBUG)) log_write(LL_DEBUG, comp, __VA_ARGS__); } while (0)
#define log_info(comp, ...) \
    do { if (log_enabled(LL_INFO)) log_write(LL_INFO, comp, __VA_ARGS__); } while (0)
#define log_warn(comp, ...) \
    do { if (log_enabled(LL_WARN)) log_write(LL_WARN, comp, __VA_ARGS__); } while (0)
#define log_error(comp, ...) \
    do { if (log_enabled(LL_ERROR)) log_write(LL_ERROR, comp, __VA_ARGS__); } while (0)

#endif
