/* SPDX-License-Identifier: MIT */
/* money.h - amounts in integer fen (1 yuan = 100 fen), never floating point. Pure. */
#ifndef CB_CORE_MONEY_H
#define CB_CORE_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

/* Parse a yuan amount ("380", "380.5", "380.00", "1,020.00") into fen.
 * CB_EPARSE for anything else (negative, more than two decimals, letters). */
CB_NODISCARD int money_parse_yuan(const char *s, size_t len, int64_t *fen);

/* Write "380.00" (yuan with two decimals) into 'buf' (24 bytes). */
void money_format(int64_t fen, char buf[24]);

/* Yuan as people write them in a message: "380" for whole yuan, else "190.50". */
void money_format_yuan(int64_t fen, char buf[24]);

#endif
