/* SPDX-License-Identifier: MIT */
/* wx_xml.c - the flat XML of WeChat's pushes, read strictly with every bound checked. */
#include "channels/wx_xml.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

typedef struct rd {
    const char *s;
    size_t len, pos;
    char *why;
    size_t whylen;
} rd_t;

static int fail(rd_t *r, const char *what)
{
    snprintf(r->why, r->whylen, "xml: byte %zu: %s", r->pos, what);
    return CB_EINVAL;
}

static void blanks(rd_t *r)
{
    while (r->pos < r->len && (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
                               r->s[r->pos] == '\n' || r->s[r->pos] == '\r'))
        r->pos++;
}

/* Consume the literal 'lit' when it is next. */
static int take(rd_t *r, const char *lit)
{
    size_t n = strlen(lit);

    if (r->len - r->pos < n || memcmp(r->s + r->pos, lit, n) != 0)
        return 0;
    r->pos += n;
    return 1;
}

static int is_tag_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* A tag name up to '>' into out: after '<' or '</'. */
static int tag_name(rd_t *r, char out[WX_TAG_MAX + 1])
{
    size_t n = 0;

    while (r->pos < r->len && is_tag_char(r->s[r->pos])) {
        if (n == WX_TAG_MAX)
            return fail(r, "tag name too long");
        out[n++] = r->s[r->pos++];
    }
    out[n] = '\0';
    if (n == 0)
        return fail(r, "expected a tag name");
    if (!take(r, ">"))
        return fail(r, "expected '>' (no attributes)");
    return CB_OK;
}

/* The value up to '</': a CDATA section or plain text, copied into x->buf. */
static int value(rd_t *r, wx_xml_t *x, const char **out)
{
    const char *start;
    size_t n;

    if (take(r, "<![CDATA[")) {
        const char *end = NULL;

        start = r->s + r->pos;
        for (size_t i = r->pos; i + 3 <= r->len; i++) {
            if (memcmp(r->s + i, "]]>", 3) == 0) {
                end = r->s + i;
                break;
            }
        }
        if (end == NULL)
            return fail(r, "unterminated CDATA");
        n = (size_t)(end - start);
        r->pos += n + 3;
    } else {
        start = r->s + r->pos;
        while (r->pos < r->len && r->s[r->pos] != '<') {
            if (r->s[r->pos] == '&')
                return fail(r, "entities are not accepted");
            r->pos++;
        }
        n = (size_t)(r->s + r->pos - start);
    }
    if (n > WX_VALUE_MAX)
        return fail(r, "value too long");
    if (memchr(start, '\0', n) != NULL)
        return fail(r, "NUL in a value");
    memcpy(x->buf + x->used, start, n);
    x->buf[x->used + n] = '\0';
    *out = x->buf + x->used;
    x->used += n + 1;
    return CB_OK;
}

static int field(rd_t *r, wx_xml_t *x)
{
    char close[WX_TAG_MAX + 1];
    const char *v = NULL;
    int rc;

    if (x->n == WX_FIELDS)
        return fail(r, "too many fields");
    rc = tag_name(r, x->f[x->n].tag);
    if (rc < 0)
        return rc;
    if (wx_xml_get(x, x->f[x->n].tag) != NULL)
        return fail(r, "a tag given twice");
    rc = value(r, x, &v);
    if (rc < 0)
        return rc;
    if (!take(r, "</"))
        return fail(r, "expected '</' (no nested elements)");
    rc = tag_name(r, close);
    if (rc < 0)
        return rc;
    if (strcmp(close, x->f[x->n].tag) != 0)
        return fail(r, "closing tag does not match");
    x->f[x->n++].value = v;
    return CB_OK;
}

int wx_xml_read(const char *s, size_t len, wx_xml_t *x, char *why, size_t whylen)
{
    rd_t r = {.s = s, .len = len, .pos = 0, .why = why, .whylen = whylen};
    int rc;

    x->n = 0;
    x->used = 0;
    if (s == NULL || len > WX_BODY_MAX)
        return fail(&r, "body missing or too long");
    blanks(&r);
    if (!take(&r, "<xml>"))
        return fail(&r, "expected <xml>");
    for (;;) {
        blanks(&r);
        if (take(&r, "</xml>"))
            break;
        if (!take(&r, "<"))
            return fail(&r, "expected '<'");
        rc = field(&r, x);
        if (rc < 0)
            return rc;
    }
    blanks(&r);
    if (r.pos != len)
        return fail(&r, "bytes after </xml>");
    return CB_OK;
}

const char *wx_xml_get(const wx_xml_t *x, const char *tag)
{
    for (size_t i = 0; i < x->n; i++) {
        if (strcmp(x->f[i].tag, tag) == 0)
            return x->f[i].value;
    }
    return NULL;
}
