/* SPDX-License-Identifier: MIT */
/*
 * fold.h - text that is ASCII by nature (ID numbers, phones) as people type it in
 * China: full-width digits and letters, '＋', '－' and the ideographic space from a
 * Chinese input method are folded to ASCII by their Unicode compatibility
 * decomposition (the mapping NFKC applies, through utf8proc), so "４３０５２４…" reads
 * as "430524…". Positions and counts are in characters, never bytes.
 * Pure functions; safe anywhere.
 */
#ifndef CB_CORE_FOLD_H
#define CB_CORE_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

typedef struct fold_result {
    size_t chars;   /* characters kept (folded blanks at both ends are dropped) */
    size_t bad_pos; /* 1-based position of the first kept character with no ASCII form, or 0 */
    int32_t bad_cp; /* that character */
} fold_result_t;

/*
 * Fold the 'len' bytes of UTF-8 at 's' into 'out': ASCII stays, a character whose
 * compatibility decomposition is one ASCII character becomes it, any other is
 * written as '?' and named in r->bad_pos. Spaces (ASCII or folded) at both ends
 * are dropped. At most cap - 1 bytes and a NUL are written (cap > 0); r->chars
 * counts every kept character. Returns CB_OK, or CB_EPARSE when 's' is not valid
 * UTF-8 (then 'out' and 'r' are unspecified).
 */
CB_NODISCARD int fold_ascii(const char *s, size_t len, char *out, size_t cap, fold_result_t *r);

/* A character for a message: "'号'" when it is a printable character, "U+0085"
 * otherwise (controls, format characters, unassigned). 'out' takes 16 bytes. */
void fold_char_name(int32_t cp, char *out, size_t outlen);

#endif
