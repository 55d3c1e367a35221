/* SPDX-License-Identifier: MIT */
/* tpl_check.h - helpers shared by the Check programs of templates/. */
#ifndef CB_TESTS_TPL_CHECK_H
#define CB_TESTS_TPL_CHECK_H

#include <stddef.h>

#include "templates/tpl.h"

/* Rendering 'src' with 'ctx' gives exactly 'want'. */
void expect_render(const char *src, const tpl_ctx_t *ctx, const char *want);
/* 'a' then 'b' (both freed); the caller frees the result. */
char *cat(char *a, char *b);
/* 'n' copies of 's'; the caller frees it. */
char *rep(const char *s, size_t n);

#endif
