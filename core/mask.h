/* SPDX-License-Identifier: MIT */
/*
 * mask.h - masked forms of personal data (PIPL) for logs, reports and screens:
 * ID numbers keep the region code and the last 4 characters, phones the first 3
 * and last 4 digits, names their first character.
 * Pure functions writing into the caller's buffer (always NUL-terminated,
 * truncated to fit). Safe anywhere.
 */
#ifndef CB_CORE_MASK_H
#define CB_CORE_MASK_H

#include <stddef.h>

/* "430623199001011234" -> "430623********1234"; shorter input keeps less. */
void mask_id(const char *id, char *out, size_t outlen);
/* "13812345678" -> "138****5678"; empty stays empty. */
void mask_phone(const char *phone, char *out, size_t outlen);
/* "张三丰" -> "张**" (one '*' per further character, UTF-8 aware). */
void mask_name(const char *name, char *out, size_t outlen);

/* The kinds of personal data above, for code that carries the kind as a value. */
typedef enum mask_kind { MASK_ID, MASK_PHONE, MASK_NAME } mask_kind_t;

/* mask_id, mask_phone or mask_name by 'kind'. The output is never longer than the
 * input, so strlen(s) + 1 bytes always hold it. */
void mask_apply(mask_kind_t kind, const char *s, char *out, size_t outlen);

/*
 * Personal numbers inside free text (a reply, a note, a gateway's error) masked:
 * every run that looks like an ID number (17 digits and a digit or X, or the old
 * 15 digits, with a plausible birth date) as mask_id does, and every mainland
 * mobile number (11 digits 1[3-9]..., also after +86, 0086 or 86) as mask_phone
 * does: "身份证430524199001011234 电话138 1234 5678" -> "身份证430524********1234
 * 电话138****5678". Digits may be full-width (０-９, Ｘ) and separated by single
 * spaces or dashes; a masked number is written in ASCII without its separators.
 * A run is a number only when no digit touches it on either side, so longer
 * numbers, short receipts and amounts stay as they are. Everything else is copied
 * as it is (invalid UTF-8 too: escaping is core/safetext.h's). The output is never
 * longer than the input, so strlen(s) + 1 bytes always hold it.
 */
void mask_text(const char *s, char *out, size_t outlen);
/* mask_text into a new string (free()); NULL gives NULL. */
char *mask_text_dup(const char *s);

#endif
