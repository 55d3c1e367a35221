/* SPDX-License-Identifier: MIT */
/*
 * utf8.h - the UTF-8 questions canbao asks of text, answered on utf8proc: is it valid,
 * how many characters, how wide on a terminal, where to cut it without splitting a
 * character. Valid means what utf8proc accepts: no overlong forms, surrogates or code
 * points above U+10FFFF. Pure; safe anywhere.
 */
#ifndef CB_CORE_UTF8_H
#define CB_CORE_UTF8_H

#include <stddef.h>

/* 1 when the 'len' bytes at 's' are valid UTF-8 (NUL bytes are characters). */
int utf8_valid(const char *s, size_t len);

/* The characters (code points) of the 'len' bytes at 's', or -1 when not valid UTF-8:
 * what a length message counts ("18 characters"). */
long utf8_chars(const char *s, size_t len);

/* The terminal columns of valid UTF-8 (CJK characters take two); counts up to the
 * first invalid byte. */
size_t utf8_width(const char *s, size_t len);

/* The longest prefix of the 'len' bytes at 's' that is at most 'max' bytes and does not
 * end inside a character (a cut before a continuation byte moves back). */
size_t utf8_cut(const char *s, size_t len, size_t max);

#endif
