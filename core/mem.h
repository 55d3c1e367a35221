/* SPDX-License-Identifier: MIT */
/*
 * mem.h - allocation that never returns NULL: on exhaustion it prints and aborts
 * (the daemon cannot do anything useful without memory, and checking every malloc
 * multiplies untested paths). Threading: safe anywhere.
 */
#ifndef CB_CORE_MEM_H
#define CB_CORE_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Copy of 's' (NULL gives NULL); the caller frees it. */
char *xstrdup(const char *s);
/* Copy of the first 'n' bytes of 's', NUL-terminated; the caller frees it. */
char *xstrndup(const char *s, size_t n);

#endif
