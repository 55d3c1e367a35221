/* SPDX-License-Identifier: MIT */
/* tpl_check.c - helpers shared by the Check programs of templates/. */
#include "tpl_check.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* Rendering 'src' with 'ctx' gives exactly 'want'. */
void expect_render(const char *src, const tpl_ctx_t *ctx, const char *want)
{
    tpl_t *t = NULL;
    char err[256] = "", *got;

    ck_assert_msg(tpl_parse("t.txt", src, strlen(src), &t, err, sizeof err) == CB_OK, "%s", err);
    got = tpl_render(t, ctx);
    ck_assert_str_eq(got, want);
    free(got);
    tpl_destroy(t);
}

/* 'a' then 'b' (both freed); the caller frees the result. */
char *cat(char *a, char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *r = malloc(la + lb + 1);

    ck_assert_ptr_nonnull(r);
    memcpy(r, a, la);
    memcpy(r + la, b, lb + 1);
    free(a);
    free(b);
    return r;
}

/* 'n' copies of 's'; the caller frees it. */
char *rep(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *r = malloc(len * n + 1);

    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < n; i++)
        memcpy(r + i * len, s, len);
    r[len * n] = '\0';
    return r;
}
