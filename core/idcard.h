/* SPDX-License-Identifier: MIT */
/*
 * idcard.h - the 18-character resident identity number of GB 11643-1999:
 * 6-digit region code, 8-digit birth date, 3-digit sequence (odd = male) and a
 * check character by ISO 7064 MOD 11-2 (0-9 or X).
 * Pure functions, no allocation; safe anywhere.
 */
#ifndef CB_CORE_IDCARD_H
#define CB_CORE_IDCARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"

#define IDCARD_LEN 18

/* Why a number was rejected. IDCARD_OK is 0. */
typedef enum idcard_status {
    IDCARD_OK = 0,
    IDCARD_ELENGTH, /* not 18 characters */
    IDCARD_ECHAR,   /* a non-digit in the first 17, or a last character not 0-9/X/x */
    IDCARD_EREGION, /* the first two digits are no province code, or the region shape is wrong */
    IDCARD_EDATE,   /* the birth date is no real calendar date, or before 1900 */
    IDCARD_EFUTURE, /* the birth date lies after 'today' */
    IDCARD_ECHECK   /* the check character does not match */
} idcard_status_t;

/*
 * Check the 'len' bytes at 's' (no surrounding blanks: the caller trims).
 * Full-width digits and X (UTF-8, folded to ASCII as NFKC does: see fold.h) are
 * accepted, and full-width spaces around the number dropped; lengths and
 * positions in the reasons count characters ("19 characters, expected 18").
 * 'today' bounds the birth date (pass INT32_MAX to skip that test).
 * On IDCARD_OK writes the normalised number (ASCII, lower-case x made X) and a
 * NUL into 'norm' (IDCARD_LEN + 1 bytes). On failure writes one English sentence
 * naming the reason into 'why' (may be NULL), e.g.
 * "check character is 0, expected 4" or "birth date 19900231 is not a real date".
 */
idcard_status_t idcard_check(const char *s, size_t len, cb_date_t today, char *norm,
                             char *why, size_t whylen);

/* The check character ('0'..'9' or 'X') for the 17 digits at 'id17'. */
char idcard_check_char(const char *id17);

/*
 * A valid number as an integer key: the first 17 digits read as a decimal number.
 * The check character is a function of them, so the key is unique and the number
 * can be rebuilt from it. 'norm' must have passed idcard_check.
 */
int64_t idcard_key(const char *norm);

/* Rebuild the normalised number (with NUL) from a key. */
void idcard_from_key(int64_t key, char norm[IDCARD_LEN + 1]);

/* Birth date of a valid number. */
cb_date_t idcard_birth(const char *norm);

/* 1 when the sequence number is odd (male), 0 otherwise. */
int idcard_is_male(const char *norm);

#endif
