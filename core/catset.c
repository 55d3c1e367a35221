/* SPDX-License-Identifier: MIT */
#include "core/catset.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Length of a separator at s (0 when none). */
static size_t separator(const char *s, size_t left)
{
    static const char *const seps[] = {";", ",", "/", "|", "；", "，", "、"};
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t n = strlen(seps[i]);
        if (n <= left && memcmp(s, seps[i], n) == 0)
            return n;
    }
    return 0;
}

int catset_parse(const policy_t *pol, const char *s, size_t len, uint64_t *mask, char *why,
                 size_t whylen)
{
    size_t i = 0;

    *mask = 0;
    while (i < len) {
        size_t start = i, end, sep = 0;
        int ix;
        while (i < len && (sep = separator(s + i, len - i)) == 0)
            i++;
        end = i;
        i += sep;
        while (start < end && (s[start] == ' ' || s[start] == '\t'))
            start++;
        while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        if (end == start)
            continue;
        ix = policy_category_find(pol, s + start, end - start);
        if (ix < 0 || ix >= 64) {
            if (why != NULL)
                snprintf(why, whylen, "unknown category '%.*s' (not in the policy)",
                         (int)(end - start > 60 ? 60 : end - start), s + start);
            return CB_EPARSE;
        }
        *mask |= 1ull << ix;
    }
    return CB_OK;
}

void catset_format(const policy_t *pol, uint64_t mask, char *buf, size_t buflen)
{
    size_t o = 0;

    if (buflen == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < policy_ncategories(pol) && i < 64; i++) {
        if (mask & (1ull << i)) {
            int n = snprintf(buf + o, buflen - o, "%s%s", o ? ";" : "",
                             policy_category(pol, i)->name);
            if (n < 0 || (size_t)n >= buflen - o)
                return;
            o += (size_t)n;
        }
    }
}

size_t catset_indices(uint64_t mask, int *idx)
{
    size_t n = 0;
    for (int i = 0; i < 64; i++) {
        if (mask & (1ull << i))
            idx[n++] = i;
    }
    return n;
}

size_t catset_read(const policy_t *pol, const char *text, int *idx)
{
    uint64_t mask = 0;

    if (text == NULL || catset_parse(pol, text, strlen(text), &mask, NULL, 0) < 0)
        mask = 0;
    return catset_indices(mask, idx);
}

policy_owed_t catset_owed(const policy_t *pol, const char *text)
{
    int idx[64];
    size_t n = catset_read(pol, text, idx);

    return policy_owed(pol, idx, n);
}
