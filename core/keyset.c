/* SPDX-License-Identifier: MIT */
#include "core/keyset.h"

#include <stdlib.h>

#include "core/mem.h"

struct keyset {
    int64_t *keys;   /* 0 marks an empty slot */
    uint32_t *lines;
    size_t cap, n;   /* cap is a power of two */
};

keyset_t *keyset_create(size_t expected)
{
    keyset_t *ks = xcalloc(1, sizeof *ks);
    ks->cap = 1024;
    while (ks->cap / 4 * 3 < expected && ks->cap < ((size_t)1 << 30))
        ks->cap *= 2;
    ks->keys = xcalloc(ks->cap, sizeof *ks->keys);
    ks->lines = xcalloc(ks->cap, sizeof *ks->lines);
    return ks;
}

void keyset_destroy(keyset_t *ks)
{
    if (ks == NULL)
        return;
    free(ks->keys);
    free(ks->lines);
    free(ks);
}

static size_t slot(const keyset_t *ks, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull; /* Fibonacci hashing */
    size_t i = (size_t)(h >> 20) & (ks->cap - 1);
    while (ks->keys[i] != 0 && ks->keys[i] != key)
        i = (i + 1) & (ks->cap - 1);
    return i;
}

static void grow(keyset_t *ks)
{
    int64_t *keys = ks->keys;
    uint32_t *lines = ks->lines;
    size_t cap = ks->cap;

    ks->cap *= 2;
    ks->keys = xcalloc(ks->cap, sizeof *ks->keys);
    ks->lines = xcalloc(ks->cap, sizeof *ks->lines);
    for (size_t i = 0; i < cap; i++) {
        if (keys[i] != 0) {
            size_t j = slot(ks, keys[i]);
            ks->keys[j] = keys[i];
            ks->lines[j] = lines[i];
        }
    }
    free(keys);
    free(lines);
}

size_t keyset_add(keyset_t *ks, int64_t key, size_t line)
{
    size_t i;

    if ((ks->n + 1) * 4 > ks->cap * 3)
        grow(ks);
    i = slot(ks, key);
    if (ks->keys[i] == key)
        return ks->lines[i] ? ks->lines[i] : 1;
    ks->keys[i] = key;
    ks->lines[i] = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    ks->n++;
    return 0;
}
