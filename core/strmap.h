/* SPDX-License-Identifier: MIT */
/*
 * strmap.h - a small string -> int64 map (chained hashing) for caches such as
 * area names -> area ids. Keys are copied. Used from one thread.
 */
#ifndef CB_CORE_STRMAP_H
#define CB_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap_t;

strmap_t *strmap_create(void);
void strmap_destroy(strmap_t *m); /* NULL is a no-op */
/* 1 and *val set when the 'len' bytes at 'key' are in the map, else 0. */
int strmap_get(const strmap_t *m, const char *key, size_t len, int64_t *val);
/* Insert or replace. */
void strmap_put(strmap_t *m, const char *key, size_t len, int64_t val);

#endif
