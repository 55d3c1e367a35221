/* SPDX-License-Identifier: MIT */
/* num.h - strict integer parsing (no atoi, no sscanf). Pure. */
#ifndef CB_CORE_NUM_H
#define CB_CORE_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

/* Parse the 'len' bytes at 's' as a non-negative decimal integer (thousands commas
 * allowed, e.g. "31,473"). CB_EPARSE for anything else or an overflow. */
CB_NODISCARD int num_parse_count(const char *s, size_t len, int64_t *out);

#endif
