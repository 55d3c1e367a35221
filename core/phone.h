/* SPDX-License-Identifier: MIT */
/*
 * phone.h - mainland China mobile numbers, the only numbers canbao can text.
 * Pure functions; safe anywhere.
 */
#ifndef CB_CORE_PHONE_H
#define CB_CORE_PHONE_H

#include <stddef.h>

#include "core/compiler.h"

#define PHONE_LEN 11

/*
 * Normalise the 'len' bytes at 's' (full-width digits, '＋', '－' and spaces folded
 * to ASCII first: fold.h): spaces and '-' are dropped, and a leading
 * "+86", "0086" or "86" before 11 digits is removed. The result must be 11
 * digits starting 1[3-9]. Returns 0 and writes the digits and a NUL into 'out'
 * (PHONE_LEN + 1 bytes), or CB_EPARSE with a sentence in 'why' (may be NULL),
 * e.g. "contains the letter 'O'" or "0730-8423329 looks like a landline".
 */
CB_NODISCARD int phone_normalise(const char *s, size_t len, char *out, char *why, size_t whylen);

#endif
