/* SPDX-License-Identifier: MIT */
/*
 * ident.h - the character sets of values that arrive from outside (payment receipts,
 * message ids, delivery-report row numbers, free text) and end up in outbox keys,
 * HTTP headers, the database and logs. Defined once here; every inbound hook checks
 * with these. Pure functions; safe anywhere.
 *
 *   identifier  1 to 'max' (at most IDENT_MAX) bytes of A-Z a-z 0-9 . _ : -
 *               (tax-bureau receipt numbers, Kannel's %I UUIDs, WeChat's numeric
 *               MsgId of up to 20 digits)
 *   number      1 to 19 ASCII digits, no sign or blank, at most INT64_MAX
 *   text        valid UTF-8 (no overlong forms, surrogates or code points above
 *               U+10FFFF) without control characters: no C0 (NUL included), DEL or
 *               C1 (U+0080..U+009F); IDENT_TEXT_LINES also allows tab, LF and CR
 */
#ifndef CB_CORE_IDENT_H
#define CB_CORE_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

/* The longest identifier any hook accepts (a receipt, a message id). */
#define IDENT_MAX 64
/* The characters of an identifier besides letters and digits. */
#define IDENT_PUNCT "._:-"

/*
 * The 'len' bytes at 's' (NULL: missing) as an identifier of 1..'max' bytes.
 * CB_OK, or CB_EINVAL with a reason that names no field in 'why' ("missing",
 * "longer than 64 characters", "contains a control character", "contains '/'
 * (allowed: A-Z a-z 0-9 . _ : -)", ...).
 */
CB_NODISCARD int ident_check(const char *s, size_t len, size_t max, char *why, size_t whylen);

/* The 'len' bytes at 's' as a number (see above) into *out. CB_EINVAL with the
 * reason ("must be digits only", "too large", ...) in 'why'. */
CB_NODISCARD int ident_number(const char *s, size_t len, int64_t *out, char *why, size_t whylen);

enum { IDENT_TEXT_LINE = 0, IDENT_TEXT_LINES = 1 };

/* The 'len' bytes at 's' as text of at most 'max' bytes; 'lines' is one of
 * IDENT_TEXT_*. CB_EINVAL with the reason ("not valid UTF-8", "contains a control
 * character", "longer than 40 bytes") in 'why'. */
CB_NODISCARD int ident_text(const char *s, size_t len, size_t max, int lines, char *why,
                            size_t whylen);

/* What a named value may hold, for ident_field. */
typedef enum ident_kind {
    IDENT_ID,    /* an identifier (ident_check) */
    IDENT_LINE,  /* one line of text (ident_text, IDENT_TEXT_LINE) */
    IDENT_LINES  /* text that may hold line breaks and tabs (IDENT_TEXT_LINES) */
} ident_kind_t;

/* Check the 'len' bytes at 's' (NULL: missing) as a value of kind 'k' of at most 'max'
 * bytes; on failure CB_EINVAL with "<name>: <reason>" in 'why'. */
CB_NODISCARD int ident_field(const char *name, ident_kind_t k, const char *s, size_t len,
                             size_t max, char *why, size_t whylen);

/* ident_number of the C string 's' (NULL: missing), "<name>: <reason>" on failure. */
CB_NODISCARD int ident_field_number(const char *name, const char *s, int64_t *out, char *why,
                                    size_t whylen);

#endif
