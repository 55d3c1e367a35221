/* SPDX-License-Identifier: MIT */
/*
 * buf.h - a growable byte buffer with an upper bound: request bodies, rendered text,
 * metrics pages, files read whole. The bytes are always NUL-terminated, so text can
 * be used as a C string; an append that would pass the bound adds nothing and marks
 * the buffer full, so a hostile input costs at most 'max' bytes.
 *
 * Memory: the buffer owns b->p; buf_free releases it, buf_take hands it over.
 * Zero-initialised (cb_buf_t b = {0}) is an empty, unbounded buffer.
 */
#ifndef CB_CORE_BUF_H
#define CB_CORE_BUF_H

#include <stddef.h>

#include "core/compiler.h"

typedef struct cb_buf {
    char *p;      /* the bytes and a NUL; NULL until something is added */
    size_t len;   /* bytes held, the NUL not counted */
    size_t cap;   /* bytes allocated */
    size_t max;   /* the bound on len (0: none) */
    int full;     /* an append was refused for the bound */
} cb_buf_t;

/* An empty buffer bounded to 'max' bytes (0: unbounded). */
void buf_init(cb_buf_t *b, size_t max);

/* Append 'n' bytes; CB_OK, or CB_ETOOBIG (nothing added, b->full set) past the bound.
 * A bounded buffer's user checks the result or b->full once at the end; an unbounded
 * one cannot fail (allocation failure aborts, core/mem.h). */
int buf_add(cb_buf_t *b, const void *data, size_t n);

/* Append formatted text, as buf_add. */
int buf_printf(cb_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The bytes (NUL-terminated; "" when empty), owned by the caller; the buffer is empty. */
char *buf_take(cb_buf_t *b);

void buf_free(cb_buf_t *b);

#endif
