/* SPDX-License-Identifier: MIT */
/*
 * tpl.c - compiling a template into a flat list of nodes and rendering it.
 *
 * A section node's body is the nodes up to its 'end' index, so rendering is one
 * recursive walk over the array and the compiled form is a single allocation
 * pointing into a private copy of the source.
 */
#include "templates/tpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/utf8.h"
#include "templates/tpl_internal.h"

#define MAX_DEPTH 16 /* nested sections */

typedef enum ntype { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED } ntype_t;

typedef struct node {
    ntype_t type;
    int line;
    const char *s; /* the text, or the tag's name; points into tpl->src */
    size_t len;
    size_t end; /* N_SECTION, N_INVERTED: the index after the body */
} node_t;

struct tpl {
    char *name;
    char *src;
    node_t *nodes;
    size_t n, cap;
};

typedef struct parser {
    tpl_t *t;
    size_t len;
    size_t text_start; /* where the text not yet emitted begins */
    size_t line_pos;   /* lines are counted up to here */
    int line;          /* the line at 'line_pos' */
    size_t open[MAX_DEPTH];
    int depth;
    char *err;
    size_t errlen;
} parser_t;

/* Write "NAME:LINE: <message>" into p->err; returns CB_EPARSE. */
static int fail(const parser_t *p, int line, const char *fmt, ...) CB_PRINTF(3, 4);
static int fail(const parser_t *p, int line, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (p->err == NULL || p->errlen == 0)
        return CB_EPARSE;
    n = snprintf(p->err, p->errlen, "%s:%d: ", p->t->name, line);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_start(ap, fmt);
        if (vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap) < 0)
            p->err[n] = '\0';
        va_end(ap);
    }
    return CB_EPARSE;
}

/* The line 'pos' is on (positions only move forward). */
static int line_at(parser_t *p, size_t pos)
{
    for (; p->line_pos < pos; p->line_pos++)
        p->line += p->t->src[p->line_pos] == '\n';
    return p->line;
}

static size_t add_node(parser_t *p, ntype_t type, int line, const char *s, size_t len)
{
    tpl_t *t = p->t;

    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->nodes = xrealloc(t->nodes, t->cap * sizeof t->nodes[0]);
    }
    t->nodes[t->n] = (node_t){.type = type, .line = line, .s = s, .len = len};
    return t->n++;
}

static void add_text(parser_t *p, size_t from, size_t to)
{
    if (to > from)
        add_node(p, N_TEXT, 0, p->t->src + from, to - from);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Whether the tag at [at, end) stands alone on its line; then *line_start is where
 * the line begins and *next where the following line does. */
static int standalone(const parser_t *p, size_t at, size_t end, size_t *line_start, size_t *next)
{
    const char *s = p->t->src;

    while (at > 0 && s[at - 1] != '\n') {
        if (!is_blank(s[at - 1]))
            return 0;
        at--;
    }
    while (end < p->len && is_blank(s[end]))
        end++;
    if (end < p->len && s[end] == '\r' && end + 1 < p->len && s[end + 1] == '\n')
        end++;
    if (end < p->len && s[end] != '\n')
        return 0;
    *line_start = at;
    *next = end < p->len ? end + 1 : end;
    return 1;
}

static size_t find(const char *s, size_t from, size_t len, const char *what)
{
    size_t w = strlen(what);

    for (size_t i = from; i + w <= len; i++) {
        if (memcmp(s + i, what, w) == 0)
            return i;
    }
    return len;
}

/* Tag names: ASCII letters, digits and '_'. */
static int valid_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];

        if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return len > 0;
}

/* How many of the 'len' bytes at 's' to quote in a message: at most 60, whole characters. */
static size_t shown(const char *s, size_t len)
{
    if (len <= 60)
        return len;
    return utf8_cut(s, len, 60);
}

/* Handle the tag 'sigil' + name [name, name + nlen) found on 'line'. */
static int add_tag(parser_t *p, char sigil, int line, const char *name, size_t nlen)
{
    const node_t *top;

    switch (sigil) {
    case '!': return CB_OK;
    case '#':
    case '^':
        if (p->depth == MAX_DEPTH)
            return fail(p, line, "sections nested deeper than %d", MAX_DEPTH);
        p->open[p->depth++] = add_node(p, sigil == '#' ? N_SECTION : N_INVERTED, line, name, nlen);
        return CB_OK;
    case '/':
        if (p->depth == 0)
            return fail(p, line, "'{{/%.*s}}' closes no open section", (int)nlen, name);
        top = &p->t->nodes[p->open[p->depth - 1]];
        if (top->len != nlen || memcmp(top->s, name, nlen) != 0)
            return fail(p, line, "'{{/%.*s}}' does not close section '%.*s' opened on line %d",
                        (int)nlen, name, (int)top->len, top->s, top->line);
        p->t->nodes[p->open[--p->depth]].end = p->t->n;
        return CB_OK;
    default: add_node(p, sigil == '&' ? N_RAW : N_VAR, line, name, nlen); return CB_OK;
    }
}

/* Parse the tag starting at 'at' ("{{"); *pos becomes the first byte after it. */
static int parse_tag(parser_t *p, size_t at, size_t *pos)
{
    const char *s = p->t->src;
    int line = line_at(p, at);
    size_t i = at + 2, close, end, name, nlen, ls, next;
    char sigil = 0;
    int triple = i < p->len && s[i] == '{';

    if (triple) {
        sigil = '&';
        i++;
    } else if (i < p->len && s[i] != '\0' && strchr("#^/!&", s[i]) != NULL) {
        sigil = s[i++];
    }
    close = find(s, i, p->len, triple ? "}}}" : "}}");
    if (close == p->len)
        return fail(p, line, triple ? "'{{{' is never closed with '}}}'" : "'{{' is never closed");
    end = close + (triple ? 3 : 2);
    name = i;
    nlen = close - i;
    if (sigil != '!') {
        while (nlen > 0 && is_blank(s[name])) {
            name++;
            nlen--;
        }
        while (nlen > 0 && is_blank(s[name + nlen - 1]))
            nlen--;
        if (!valid_name(s + name, nlen))
            return fail(p, line, "unknown tag '%.*s'", (int)shown(s + at, end - at), s + at);
    }
    if (sigil != 0 && sigil != '&' && standalone(p, at, end, &ls, &next)) {
        add_text(p, p->text_start, ls);
        *pos = next;
    } else {
        add_text(p, p->text_start, at);
        *pos = end;
    }
    p->text_start = *pos;
    return add_tag(p, sigil, line, s + name, nlen);
}

/* Templates are UTF-8 without NUL bytes: the rendered text is a C string. */
static int check_text(parser_t *p)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)p->t->src;
    size_t i = 0;

    while (i < p->len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(p->len - i), &cp);

        if (n <= 0)
            return fail(p, line_at(p, i), "not valid UTF-8");
        if (cp == 0)
            return fail(p, line_at(p, i), "NUL byte");
        i += (size_t)n;
    }
    return CB_OK;
}

int tpl_parse(const char *name, const char *src, size_t len, tpl_t **out, char *err, size_t errlen)
{
    tpl_t *t = xcalloc(1, sizeof *t);
    parser_t p = {.t = t, .len = len, .line = 1, .err = err, .errlen = errlen};
    size_t pos = 0;
    int rc;

    *out = NULL;
    t->name = xstrdup(name);
    t->src = xmalloc(len + 1);
    memcpy(t->src, src, len);
    t->src[len] = '\0';
    rc = check_text(&p);
    p.line_pos = 0;
    p.line = 1;
    while (rc == CB_OK) {
        size_t at = find(t->src, pos, len, "{{");

        if (at == len) {
            add_text(&p, p.text_start, len);
            break;
        }
        rc = parse_tag(&p, at, &pos);
    }
    if (rc == CB_OK && p.depth > 0) {
        const node_t *top = &t->nodes[p.open[p.depth - 1]];

        rc = fail(&p, top->line, "section '%.*s' is never closed", (int)top->len, top->s);
    }
    if (rc < 0) {
        tpl_destroy(t);
        return rc;
    }
    *out = t;
    return CB_OK;
}

void tpl_destroy(tpl_t *t)
{
    if (t == NULL)
        return;
    free(t->name);
    free(t->src);
    free(t->nodes);
    free(t);
}

const char *tpl_name(const tpl_t *t)
{
    return t->name;
}

/* Rendering. */

typedef struct render {
    const tpl_t *t;
    const tpl_ctx_t *stack[MAX_DEPTH + 1]; /* the innermost context last */
    int depth;
    cb_buf_t out;
    const node_t *missing; /* the first tag whose name no context defines */
} render_t;

static void put(render_t *r, const char *s, size_t n)
{
    (void)buf_add(&r->out, s, n); /* unbounded: cannot fail */
}

static const tpl_var_t *lookup(render_t *r, const node_t *n)
{
    const tpl_var_t *v = NULL;

    for (int i = r->depth - 1; i >= 0 && v == NULL; i--)
        v = tpl__own(r->stack[i], n->s, n->len);
    for (const tpl_ctx_t *c = r->stack[0]->parent; c != NULL && v == NULL; c = c->parent)
        v = tpl__own(c, n->s, n->len);
    if (v == NULL && r->missing == NULL)
        r->missing = n;
    return v;
}

static void put_value(render_t *r, const tpl_var_t *v, int raw)
{
    size_t n;
    char *masked;

    if ((v->kind != TPL_V_STRING && v->kind != TPL_V_PERSONAL) || v->value == NULL)
        return;
    n = strlen(v->value);
    if (v->kind == TPL_V_STRING || raw) {
        put(r, v->value, n);
        return;
    }
    masked = xmalloc(n + 1); /* a masked form is never longer than the value */
    mask_apply(v->mask, v->value, masked, n + 1);
    put(r, masked, strlen(masked));
    free(masked);
}

static void render_range(render_t *r, size_t from, size_t to)
{
    size_t i = from;

    while (i < to) {
        const node_t *n = &r->t->nodes[i];
        const tpl_var_t *v = n->type == N_TEXT ? NULL : lookup(r, n);

        if (n->type == N_TEXT) {
            put(r, n->s, n->len);
        } else if (n->type == N_VAR || n->type == N_RAW) {
            if (v != NULL)
                put_value(r, v, n->type == N_RAW);
        } else if (n->type == N_INVERTED) {
            if (v == NULL || !tpl__truthy(v))
                render_range(r, i + 1, n->end);
        } else if (v != NULL && v->kind == TPL_V_LIST) {
            for (size_t k = 0; k < v->nitems; k++) {
                r->stack[r->depth++] = v->items[k];
                render_range(r, i + 1, n->end);
                r->depth--;
            }
        } else if (v != NULL && tpl__truthy(v)) {
            render_range(r, i + 1, n->end);
        }
        i = n->type == N_SECTION || n->type == N_INVERTED ? n->end : i + 1;
    }
}

static char *render(const tpl_t *t, const tpl_ctx_t *ctx, const node_t **missing)
{
    static const tpl_ctx_t empty = {NULL, NULL, 0, 0};
    render_t r = {.t = t, .stack = {ctx != NULL ? ctx : &empty}, .depth = 1};

    render_range(&r, 0, t->n);
    *missing = r.missing;
    return buf_take(&r.out);
}

char *tpl_render(const tpl_t *t, const tpl_ctx_t *ctx)
{
    const node_t *missing;

    return render(t, ctx, &missing);
}

int tpl_render_strict(const tpl_t *t, const tpl_ctx_t *ctx, char **out, char *err, size_t errlen)
{
    const node_t *missing;

    *out = render(t, ctx, &missing);
    if (missing == NULL)
        return CB_OK;
    free(*out);
    *out = NULL;
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s:%d: unknown variable '%.*s'", t->name, missing->line,
                 (int)missing->len, missing->s);
    return CB_ENOTFOUND;
}
