/* SPDX-License-Identifier: MIT */
/*
 * tpl_internal.h - the body of tpl_ctx_t, shared by tpl_ctx.c (building contexts)
 * and tpl.c (rendering). Only templates/ includes it.
 * Threading: as tpl.h.
 */
#ifndef CB_TEMPLATES_TPL_INTERNAL_H
#define CB_TEMPLATES_TPL_INTERNAL_H

#include <stddef.h>

#include "templates/tpl.h"

typedef enum tpl_vkind { TPL_V_STRING, TPL_V_PERSONAL, TPL_V_BOOL, TPL_V_LIST } tpl_vkind_t;

typedef struct tpl_var {
    char *name;
    tpl_vkind_t kind;
    mask_kind_t mask;  /* TPL_V_PERSONAL */
    char *value;       /* TPL_V_STRING, TPL_V_PERSONAL; may be NULL */
    int on;            /* TPL_V_BOOL */
    tpl_ctx_t **items; /* TPL_V_LIST: owned */
    size_t nitems, cap;
} tpl_var_t;

struct tpl_ctx {
    const tpl_ctx_t *parent; /* NULL for a root */
    tpl_var_t *vars;
    size_t nvars, cap;
};

/* The variable named by the 'len' bytes at 'name' in 'ctx' itself (not its
 * parents), or NULL. */
const tpl_var_t *tpl__own(const tpl_ctx_t *ctx, const char *name, size_t len);

/* Whether 'v' makes a section render: a non-empty string, true, a non-empty list. */
int tpl__truthy(const tpl_var_t *v);

#endif
