/* SPDX-License-Identifier: MIT */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

void buf_init(cb_buf_t *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

/* Room for 'n' more bytes and the NUL. */
static int reserve(cb_buf_t *b, size_t n)
{
    size_t need;

    if ((b->max > 0 && n > b->max - b->len) || n > (size_t)-1 / 2 - b->len) {
        b->full = 1;
        return CB_ETOOBIG;
    }
    need = b->len + n + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    return CB_OK;
}

int buf_add(cb_buf_t *b, const void *data, size_t n)
{
    int rc = reserve(b, n);

    if (rc < 0)
        return rc;
    if (n > 0)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return CB_OK;
}

int buf_printf(cb_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    int rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CB_EINVAL;
    rc = reserve(b, (size_t)n);
    if (rc < 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return CB_OK;
}

char *buf_take(cb_buf_t *b)
{
    char *p = b->p != NULL ? b->p : xstrdup("");
    size_t max = b->max;

    buf_init(b, max);
    return p;
}

void buf_free(cb_buf_t *b)
{
    free(b->p);
    buf_init(b, b->max);
}
