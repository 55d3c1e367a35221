/* SPDX-License-Identifier: MIT */
/*
 * safetext.h - outside text (what residents typed, roster names, gateway error
 * strings) made safe for a terminal, a log line, a text file, JSON or a CSV cell.
 *
 * One rule, for every output point: valid UTF-8 stays as it is, except
 *   - C0 controls (U+0000-U+001F) and DEL become "\xHH" ("\x1b", "\x07", "\x0a"),
 *   - C1 controls (U+0080-U+009F), the bidi controls (U+061C, U+200E, U+200F,
 *     U+202A-U+202E, U+2066-U+2069) and the line/paragraph separators (U+2028,
 *     U+2029) become "\uHHHH" ("\u202e"),
 *   - each byte that is not part of valid UTF-8 (stray continuation bytes,
 *     overlong forms, surrogates, truncated sequences) becomes "\xHH".
 * Hex digits are lower case. A backslash is left alone: the escapes are for the
 * reader, not reversible. The "lines" variants keep '\n' and '\t' (multi-line
 * text such as a rendered report); everything else escapes them too, so a text
 * can neither start a new row of a listing nor move the cursor.
 *
 * Masking personal data inside free text is core/mask.h's mask_text; callers
 * mask first, then escape.
 * Pure functions apart from the FILE writers; no global state; thread-safe.
 */
#ifndef CB_CORE_SAFETEXT_H
#define CB_CORE_SAFETEXT_H

#include <stddef.h>
#include <stdio.h>

#include "core/compiler.h"

/* What the "lines" and "quoted" variants keep or add. */
enum safetext_flags {
    SAFETEXT_LINES = 1, /* keep '\n' and '\t' (multi-line text: a report, a sheet) */
    SAFETEXT_QUOTE = 2  /* '"' becomes '\"' (a value inside quotes: logfmt) */
};

/* Escape the 'n' bytes at 's' by the rule above and 'flags' into 'dst' ('cap'
 * bytes, NUL-terminated when cap > 0; cut at an escape or character boundary when
 * too small). Returns the length the whole result has (without the NUL), as
 * snprintf does: at most 4 * n. */
size_t safetext_escape(const char *s, size_t n, int flags, char *dst, size_t cap);
/* safetext_escape with no flags: one line for a terminal. */
size_t safetext_term(const char *s, size_t n, char *dst, size_t cap);

/* The NUL-terminated 's' escaped as a new string (free()); NULL gives NULL. */
char *safetext_dup(const char *s);

/* Write the NUL-terminated 's' escaped to 'fp' (NULL writes nothing). */
void safetext_fputs(const char *s, FILE *fp);
/* The same, keeping '\n' and '\t'. */
void safetext_fputs_lines(const char *s, FILE *fp);

/* printf to 'fp' with the whole formatted text escaped, except one '\n' that ends
 * it: use one call per output line. For listings whose fields come from outside. */
void safetext_printf(FILE *fp, const char *fmt, ...) CB_PRINTF(2, 3);

/*
 * Text printed by cJSON (cJSON_Print / cJSON_PrintUnformatted) made safe: cJSON
 * escapes C0 controls, '"' and '\\' but passes DEL, C1 and bidi controls raw and
 * copies invalid UTF-8 bytes into its output (which is then no JSON). Here DEL,
 * C1, bidi and separator characters become "\u00HH"/"\uHHHH" escapes (the same
 * text to a JSON reader, no raw control in the file) and each invalid byte
 * becomes "\ufffd" (U+FFFD, the replacement character), so the result is valid
 * UTF-8 JSON. Such bytes occur only inside cJSON's string literals, where the
 * escapes are legal. Returns a malloc'ed string (free()), NULL for NULL.
 */
char *safetext_json(const char *json);

/*
 * One CSV cell of outside text, then ',' or (last) '\n': escaped as above (no raw
 * control byte, so no line break, inside a cell), quoted with doubled quotes when
 * it holds ',' or '"'. A cell starting with '=', '+', '-' or '@' gets a leading
 * apostrophe and quotes (=1+1 -> "'=1+1"), so that Excel and WPS show it as text
 * instead of running it as a formula (CSV injection). For text cells: write
 * numbers that may be negative directly.
 */
void safetext_csv_cell(FILE *fp, const char *s, int last);
/* The same, always in quotes (the style of libcsv's csv_fwrite). */
void safetext_csv_quoted(FILE *fp, const char *s, int last);

#endif
