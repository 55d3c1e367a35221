/* SPDX-License-Identifier: MIT */
/* tpl_ctx.c - rendering contexts: names to strings, booleans and lists of contexts. */
#include "templates/tpl.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/mem.h"
#include "templates/tpl_internal.h"

tpl_ctx_t *tpl_ctx_create(void)
{
    return xcalloc(1, sizeof(tpl_ctx_t));
}

/* Free what 'v' holds (not its name). */
static void var_clear(tpl_var_t *v)
{
    for (size_t i = 0; i < v->nitems; i++) {
        tpl_ctx_t *item = v->items[i];

        item->parent = NULL;
        tpl_ctx_destroy(item);
    }
    free(v->items);
    free(v->value);
    v->items = NULL;
    v->nitems = v->cap = 0;
    v->value = NULL;
    v->on = 0;
}

void tpl_ctx_destroy(tpl_ctx_t *ctx)
{
    if (ctx == NULL)
        return;
    assert(ctx->parent == NULL);
    for (size_t i = 0; i < ctx->nvars; i++) {
        var_clear(&ctx->vars[i]);
        free(ctx->vars[i].name);
    }
    free(ctx->vars);
    free(ctx);
}

/* The index of the variable named by the 'len' bytes at 'name', or ctx->nvars. */
static size_t var_index(const tpl_ctx_t *ctx, const char *name, size_t len)
{
    size_t i = 0;

    while (i < ctx->nvars &&
           !(strncmp(ctx->vars[i].name, name, len) == 0 && ctx->vars[i].name[len] == '\0'))
        i++;
    return i;
}

const tpl_var_t *tpl__own(const tpl_ctx_t *ctx, const char *name, size_t len)
{
    size_t i = var_index(ctx, name, len);

    return i < ctx->nvars ? &ctx->vars[i] : NULL;
}

int tpl__truthy(const tpl_var_t *v)
{
    switch (v->kind) {
    case TPL_V_STRING:
    case TPL_V_PERSONAL: return v->value != NULL && v->value[0] != '\0';
    case TPL_V_BOOL: return v->on;
    case TPL_V_LIST: return v->nitems > 0;
    }
    return 0;
}

/* The variable 'name' of 'ctx', emptied and set to 'kind' (created when absent). */
static tpl_var_t *var_reset(tpl_ctx_t *ctx, const char *name, tpl_vkind_t kind)
{
    size_t i = var_index(ctx, name, strlen(name));
    tpl_var_t *v;

    if (i < ctx->nvars) {
        v = &ctx->vars[i];
        var_clear(v);
    } else {
        if (ctx->nvars == ctx->cap) {
            ctx->cap = ctx->cap ? ctx->cap * 2 : 16;
            ctx->vars = xrealloc(ctx->vars, ctx->cap * sizeof ctx->vars[0]);
        }
        v = &ctx->vars[ctx->nvars++];
        memset(v, 0, sizeof *v);
        v->name = xstrdup(name);
    }
    v->kind = kind;
    return v;
}

void tpl_ctx_set(tpl_ctx_t *ctx, const char *name, const char *value)
{
    char *copy = xstrdup(value); /* first: 'value' may be the string being replaced */

    var_reset(ctx, name, TPL_V_STRING)->value = copy;
}

void tpl_ctx_setf(tpl_ctx_t *ctx, const char *name, const char *fmt, ...)
{
    va_list ap;
    char small[128], *s = small;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        small[0] = '\0';
    } else if ((size_t)n >= sizeof small) {
        s = xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        if (vsnprintf(s, (size_t)n + 1, fmt, ap) < 0)
            s[0] = '\0';
        va_end(ap);
    }
    tpl_ctx_set(ctx, name, s);
    if (s != small)
        free(s);
}

void tpl_ctx_set_personal(tpl_ctx_t *ctx, const char *name, const char *value, mask_kind_t kind)
{
    char *copy = xstrdup(value); /* first: 'value' may be the string being replaced */
    tpl_var_t *v = var_reset(ctx, name, TPL_V_PERSONAL);

    v->value = copy;
    v->mask = kind;
}

void tpl_ctx_set_bool(tpl_ctx_t *ctx, const char *name, int on)
{
    var_reset(ctx, name, TPL_V_BOOL)->on = on != 0;
}

tpl_ctx_t *tpl_ctx_push(tpl_ctx_t *ctx, const char *list)
{
    size_t i = var_index(ctx, list, strlen(list));
    tpl_var_t *v;
    tpl_ctx_t *item;

    if (i < ctx->nvars && ctx->vars[i].kind == TPL_V_LIST)
        v = &ctx->vars[i];
    else
        v = var_reset(ctx, list, TPL_V_LIST);
    if (v->nitems == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->items = xrealloc(v->items, v->cap * sizeof v->items[0]);
    }
    item = tpl_ctx_create();
    item->parent = ctx;
    v->items[v->nitems++] = item;
    return item;
}

const char *tpl_ctx_get(const tpl_ctx_t *ctx, const char *name)
{
    size_t len = strlen(name);

    for (; ctx != NULL; ctx = ctx->parent) {
        const tpl_var_t *v = tpl__own(ctx, name, len);

        if (v != NULL)
            return v->kind == TPL_V_STRING || v->kind == TPL_V_PERSONAL ? v->value : NULL;
    }
    return NULL;
}

/* Add the string values of 'ctx' that 'o' does not have yet (inner contexts first). */
static void json_add(cJSON *o, const tpl_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->nvars; i++) {
        const tpl_var_t *v = &ctx->vars[i];
        char *masked;
        size_t n;

        if ((v->kind != TPL_V_STRING && v->kind != TPL_V_PERSONAL) ||
            cJSON_GetObjectItemCaseSensitive(o, v->name) != NULL)
            continue;
        n = v->value != NULL ? strlen(v->value) : 0;
        if (v->kind == TPL_V_STRING || n == 0) {
            cJSON_AddStringToObject(o, v->name, v->value != NULL ? v->value : "");
            continue;
        }
        masked = xmalloc(n + 1); /* a masked form is never longer than the value */
        mask_apply(v->mask, v->value, masked, n + 1);
        cJSON_AddStringToObject(o, v->name, masked);
        free(masked);
    }
}

char *tpl_ctx_json(const tpl_ctx_t *ctx)
{
    cJSON *o = cJSON_CreateObject();
    char *s, *copy;

    for (const tpl_ctx_t *c = ctx; c != NULL; c = c->parent)
        json_add(o, c);
    s = cJSON_PrintUnformatted(o);
    copy = xstrdup(s != NULL ? s : "{}");
    cJSON_free(s);
    cJSON_Delete(o);
    return copy;
}
