/* SPDX-License-Identifier: MIT */
/*
 * catset.h - a person's set of subsidy categories as a bit mask over the policy's
 * categories (at most 64), read from roster text and written in canonical form:
 * the categories' names in policy order joined by ';'. Pure; safe anywhere.
 */
#ifndef CB_CORE_CATSET_H
#define CB_CORE_CATSET_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/policy.h"

/*
 * Parse the 'len' bytes at 's': names or aliases separated by ';', '；', ',', '，',
 * '、', '/' or '|', blanks around them ignored. Sets *mask; CB_EPARSE with a
 * sentence in 'why' for a name the policy does not know.
 */
CB_NODISCARD int catset_parse(const policy_t *pol, const char *s, size_t len, uint64_t *mask,
                              char *why, size_t whylen);

/* Write the canonical form of 'mask' into 'buf' (truncated to 'buflen'). */
void catset_format(const policy_t *pol, uint64_t mask, char *buf, size_t buflen);

/* The indices in 'mask' into 'idx' (room for 64); returns how many. */
size_t catset_indices(uint64_t mask, int *idx);

/* The indices (into 'idx', room for 64) of the categories in 'text' as the store keeps
 * them; a text the policy cannot read counts as no category. Returns how many. */
size_t catset_read(const policy_t *pol, const char *text, int *idx);

/* What a person with the stored categories 'text' owes under 'pol' (policy_owed of
 * catset_read's categories). */
policy_owed_t catset_owed(const policy_t *pol, const char *text);

#endif
