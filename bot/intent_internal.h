/* SPDX-License-Identifier: MIT */
/*
 * intent_internal.h - shared by the files of the intent parser (and its tests):
 * normalisation and the word-search helpers the rules are written with.
 * Pure functions; safe from any thread.
 */
#ifndef CB_BOT_INTENT_INTERNAL_H
#define CB_BOT_INTENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Room for the normalised form of an INTENT_MAX_INPUT reply: NFKC can make a
 * character longer (㍿ is 株式会社); what does not fit is cut off. */
#define INTENT__NORM_CAP 4096

/*
 * Normalise 'len' bytes of UTF-8 into 'out' ('cap' bytes, NUL-terminated): NFKC
 * (full-width digits and letters, circled numbers), traditional characters made
 * simplified (a table of common ones); letters (in their case) and digits are kept, spaces, controls, marks, emoji and symbols dropped, punctuation
 * becomes one ',' between clauses and a question mark '?'. No leading mark and no
 * trailing ','. CB_EPARSE for invalid UTF-8, CB_ENOMEM when utf8proc runs out.
 */
int intent__normalise(const char *utf8, size_t len, char *out, size_t cap);

/* The simplified form of 'cp' when the table knows it as traditional, else 'cp'. */
int32_t intent__simplify(int32_t cp);

/* Copy the first bytes of the 'len' bytes of valid UTF-8 at 's' that fit into
 * 'dst' ('cap' >= 1 bytes with the NUL), never cutting a character. */
void intent__copy(char *dst, size_t cap, const char *s, size_t len);

/* The first occurrence of 'kw' lying wholly in [b, e), or NULL. */
const char *intent__find(const char *b, const char *e, const char *kw);

/* The earliest occurrence in [b, e) of any word of the NULL-terminated 'kw';
 * its index goes to *which (may be NULL). NULL when none occurs. */
const char *intent__find_any(const char *b, const char *e, const char *const *kw,
                             size_t *which);

/* When the text at 'p' starts with words of 'kw', the end of the longest of
 * them; else NULL. */
const char *intent__starts(const char *p, const char *const *kw);

/* The start of the window of up to 'n' characters before 'p' in 's', stopping
 * after a clause mark (',' or '?'). */
const char *intent__back(const char *s, const char *p, int n);

/* The start of the next character after 'p' (p must not be at the NUL). */
const char *intent__next(const char *p);

#endif
