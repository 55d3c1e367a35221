/* SPDX-License-Identifier: MIT */
/*
 * keyset.h - a set of positive int64 keys, each with the line it was first seen on
 * (open addressing, 12 bytes a slot). Finds duplicate ID numbers within one file.
 * Used from one thread.
 */
#ifndef CB_CORE_KEYSET_H
#define CB_CORE_KEYSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct keyset keyset_t;

/* A set with room for about 'expected' keys before it has to grow (0: small). */
keyset_t *keyset_create(size_t expected);
void keyset_destroy(keyset_t *ks); /* NULL is a no-op */

/* Add 'key' (> 0) first seen on 'line'. Returns 0 when it is new, else the line it
 * was first added with. */
size_t keyset_add(keyset_t *ks, int64_t key, size_t line);

#endif
