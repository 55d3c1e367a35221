/* SPDX-License-Identifier: MIT */
/*
 * tpl.h - message templates: a Mustache subset, compiled once, rendered many times.
 *
 * Syntax (tag names are ASCII letters, digits and '_', blanks inside the braces are
 * ignored; there is no HTML escaping, the texts are SMS and markdown):
 *
 *   {{name}}               the value of 'name'; personal data is masked (see below);
 *                          a name no context defines renders as nothing
 *   {{&name}} {{{name}}}   the value unmasked: the template asks for it explicitly
 *   {{#name}}...{{/name}}  a list: the body once per item, with the item's context
 *                          on top; any other truthy value: the body once
 *   {{^name}}...{{/name}}  the body once when 'name' is falsy (unset, "", false, an
 *                          empty list)
 *   {{! comment }}         nothing; may span lines
 *
 * Partials, delimiter changes and dotted names are not supported ("unknown tag").
 * A section, inverted-section, closing or comment tag alone on its line (blanks
 * aside) takes the whole line with it, as in Mustache, so markdown lists can put
 * {{#items}} and {{/items}} on lines of their own.
 *
 * Personal data: a value set with tpl_ctx_set_personal() renders masked through
 * core/mask.h ("张**", "138****5678", "430623********1234") in {{name}}; only
 * {{&name}} or {{{name}}} renders it in full. Plain values render the same either way.
 *
 * Threading: a tpl_t is immutable after tpl_parse() and may be rendered from any
 * number of threads at once; a tpl_ctx_t belongs to one thread.
 */
#ifndef CB_TEMPLATES_TPL_H
#define CB_TEMPLATES_TPL_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/mask.h"

/*
 * A context: names to values (a string, a personal string with its mask kind, a
 * boolean, or a list of child contexts). Rendering looks a name up in the innermost
 * context first (a list item), then outwards; the bottom context falls back to its
 * parents. Names and values are copied; setting a name again replaces its value.
 */
typedef struct tpl_ctx tpl_ctx_t;

/* A new empty root context; the caller destroys it with tpl_ctx_destroy. */
tpl_ctx_t *tpl_ctx_create(void);
/* Free a root context and every list item below it. NULL is a no-op. Items from
 * tpl_ctx_push are owned by their parent and must not be passed here. */
void tpl_ctx_destroy(tpl_ctx_t *ctx);

/* A string; NULL and "" are defined but falsy. */
void tpl_ctx_set(tpl_ctx_t *ctx, const char *name, const char *value);
/* A string formatted with printf rules. */
void tpl_ctx_setf(tpl_ctx_t *ctx, const char *name, const char *fmt, ...) CB_PRINTF(3, 4);
/* Personal data ("" or NULL: falsy): masked as 'kind' unless the tag asks with '&'. */
void tpl_ctx_set_personal(tpl_ctx_t *ctx, const char *name, const char *value, mask_kind_t kind);
/* A boolean for sections; it renders as nothing in {{name}}. */
void tpl_ctx_set_bool(tpl_ctx_t *ctx, const char *name, int on);
/* Append an empty item to the list 'list' (created, or replacing a non-list value of
 * that name) and return it for filling. The item is owned by 'ctx' and lives until
 * 'ctx' is destroyed or 'list' is set again; its parent is 'ctx'. */
tpl_ctx_t *tpl_ctx_push(tpl_ctx_t *ctx, const char *list);
/* The string as set (unmasked), looking in 'ctx' then its parents; NULL when no
 * context defines 'name', the value is NULL, or it is a boolean or a list.
 * Borrowed: valid until 'name' is set again or the context is destroyed. */
const char *tpl_ctx_get(const tpl_ctx_t *ctx, const char *name);

/*
 * The string values of 'ctx' and its parents as a JSON object of strings
 * ({"name":"张**","fee_yuan":"380",...}; an inner value hides an outer one of the same
 * name), personal data masked as {{name}} renders it; booleans and lists are left
 * out. What the outbox keeps for channels that send the provider's template instead
 * of the text (docs/channels.md "Templates, not text"). The caller frees it.
 */
char *tpl_ctx_json(const tpl_ctx_t *ctx);

typedef struct tpl tpl_t;

/*
 * Compile 'len' bytes of UTF-8 at 'src'. On success CB_OK and *out (destroy it with
 * tpl_destroy). On failure *out is NULL and:
 *   CB_EPARSE  a syntax error; 'err' (may be NULL) gets "NAME:LINE: reason", e.g.
 *              "remind_periodic.txt:3: section 'subsidised' is never closed"
 *              (reasons: a section never closed, a close tag that does not match,
 *              an unknown tag, '{{' never closed, nesting deeper than 16, a NUL byte,
 *              invalid UTF-8).
 * 'name' (not NULL: a file name, used in messages and by tpl_name) and 'src' are
 * copied.
 */
CB_NODISCARD int tpl_parse(const char *name, const char *src, size_t len, tpl_t **out, char *err,
                           size_t errlen);

/* NULL is a no-op. */
void tpl_destroy(tpl_t *t);

/* The name given to tpl_parse; borrowed, lives as long as 't'. */
const char *tpl_name(const tpl_t *t);

/* Render with 'ctx' (NULL: an empty context). The caller frees the UTF-8 result. */
char *tpl_render(const tpl_t *t, const tpl_ctx_t *ctx);

/*
 * As tpl_render, but a tag whose name no context on the way defines is an error:
 * CB_ENOTFOUND, *out NULL and 'err' "NAME:LINE: unknown variable 'x'". Tags inside
 * sections that are skipped are not checked. Used at load time to catch typos.
 */
CB_NODISCARD int tpl_render_strict(const tpl_t *t, const tpl_ctx_t *ctx, char **out, char *err,
                                   size_t errlen);

#endif
