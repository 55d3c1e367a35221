/* SPDX-License-Identifier: MIT */
/*
 * chan_tplmap.c - the template map of the cloud SMS channels: each canbao template
 * name to the provider's approved template (its code and text) and, per provider
 * parameter, the canbao variable that fills it. Checked when the channel is created:
 * every parameter of the provider's text is mapped and every mapped parameter is in
 * it. Named parameters ${name} (Aliyun, "params" an object) or positional {1}..{n}
 * (Tencent, "params" an array).
 */
#include "channels/channel_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

#define PARAMS_MAX 16
#define NAME_MAX_LEN 64

static void tpl_clear(chan_tpl_t *t)
{
    for (size_t i = 0; i < t->nparams; i++) {
        free(t->pname[i]);
        free(t->var[i]);
    }
    free(t->pname);
    free(t->var);
    free(t->name);
    free(t->code);
    free(t->content);
}

void chan__tplmap_free(chan_tplmap_t *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        tpl_clear(&m->t[i]);
    free(m->t);
    free(m);
}

/* The next placeholder of 'content' from *pos: its name into 'name' ('positional':
 * {N}, else ${x}). 0 at the end; -1 for one that is never closed or too long. */
static int next_param(const char *content, size_t *pos, int positional, char *name)
{
    const char *open = positional ? "{" : "${";
    const char *p = strstr(content + *pos, open), *e;

    if (p == NULL)
        return 0;
    p += strlen(open);
    e = strchr(p, '}');
    if (e == NULL || e == p || (size_t)(e - p) >= NAME_MAX_LEN)
        return -1;
    memcpy(name, p, (size_t)(e - p));
    name[e - p] = '\0';
    *pos = (size_t)(e + 1 - content);
    return 1;
}

static size_t index_of(const chan_tpl_t *t, const char *pname)
{
    size_t i = 0;

    while (i < t->nparams && strcmp(t->pname[i], pname) != 0)
        i++;
    return i;
}

/* Every placeholder of the text is mapped, every mapped parameter is in the text. */
static int check_content(const channel_t *ch, const chan_tpl_t *t, int positional, char *err,
                         size_t errlen)
{
    char name[NAME_MAX_LEN];
    size_t pos = 0, seen = 0;
    int rc;
    unsigned used = 0;

    while ((rc = next_param(t->content, &pos, positional, name)) == 1) {
        size_t i = index_of(t, name);
        if (i == t->nparams)
            return chan__fail(ch, err, errlen,
                              "template %s: provider template %s has parameter %s%s%s, "
                              "which \"params\" does not map",
                              t->name, t->code, positional ? "{" : "${", name, "}");
        used |= 1u << i;
        seen++;
    }
    if (rc < 0)
        return chan__fail(ch, err, errlen, "template %s: a parameter of content is not closed",
                          t->name);
    for (size_t i = 0; i < t->nparams; i++) {
        if (!(used & (1u << i)))
            return chan__fail(ch, err, errlen,
                              "template %s: provider template %s has no parameter %s "
                              "(mapped to canbao variable %s)",
                              t->name, t->code, t->pname[i], t->var[i]);
    }
    return seen > 0 || t->nparams == 0 ? CB_OK : CB_ECONFIG;
}

static int add_param(chan_tpl_t *t, const char *pname, const cJSON *var)
{
    if (!cJSON_IsString(var) || var->valuestring[0] == '\0' || t->nparams == PARAMS_MAX)
        return -1;
    t->pname[t->nparams] = xstrdup(pname);
    t->var[t->nparams] = xstrdup(var->valuestring);
    t->nparams++;
    return 0;
}

static int read_params(const channel_t *ch, chan_tpl_t *t, const cJSON *params, int positional,
                       char *err, size_t errlen)
{
    const cJSON *p;
    char idx[16];

    t->pname = xcalloc(PARAMS_MAX, sizeof *t->pname);
    t->var = xcalloc(PARAMS_MAX, sizeof *t->var);
    if (positional ? !cJSON_IsArray(params) : !cJSON_IsObject(params))
        return chan__fail(ch, err, errlen, "template %s: \"params\" must be %s", t->name,
                          positional ? "an array of canbao variable names ({1}, {2}, ...)"
                                     : "an object: provider parameter -> canbao variable");
    cJSON_ArrayForEach(p, params)
    {
        snprintf(idx, sizeof idx, "%zu", t->nparams + 1);
        if (add_param(t, positional ? idx : p->string, p) < 0)
            return chan__fail(ch, err, errlen,
                              "template %s: each parameter names a canbao variable (at most %d)",
                              t->name, PARAMS_MAX);
    }
    return CB_OK;
}

static int read_one(const channel_t *ch, const cJSON *o, int positional, chan_tpl_t *t,
                    char *err, size_t errlen)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "code");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(o, "content");
    int rc;

    t->name = xstrdup(o->string);
    if (!cJSON_IsObject(o) || !cJSON_IsString(code) || code->valuestring[0] == '\0' ||
        !cJSON_IsString(content))
        return chan__fail(ch, err, errlen,
                          "template %s: needs \"code\" (the provider's template) and "
                          "\"content\" (its approved text)", t->name);
    for (const cJSON *k = o->child; k != NULL; k = k->next) {
        if (strcmp(k->string, "code") != 0 && strcmp(k->string, "content") != 0 &&
            strcmp(k->string, "params") != 0)
            return chan__fail(ch, err, errlen, "template %s: unknown option %s", t->name,
                              k->string);
    }
    t->code = xstrdup(code->valuestring);
    t->content = xstrdup(content->valuestring);
    rc = read_params(ch, t, cJSON_GetObjectItemCaseSensitive(o, "params"), positional, err,
                     errlen);
    return rc < 0 ? rc : check_content(ch, t, positional, err, errlen);
}

int chan__tplmap_read(channel_t *ch, const cJSON *cfg, int positional, char *err, size_t errlen)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(cfg, "templates");
    chan_tplmap_t *m = xcalloc(1, sizeof *m);
    const cJSON *o;
    int rc = CB_OK;

    ch->tplmap = m;
    m->t = xcalloc((size_t)cJSON_GetArraySize(all) + 1, sizeof *m->t);
    cJSON_ArrayForEach(o, all)
    {
        rc = read_one(ch, o, positional, &m->t[m->n++], err, errlen);
        if (rc < 0)
            return rc;
    }
    if (m->n == 0)
        return chan__fail(ch, err, errlen, "\"templates\" maps no canbao template");
    return CB_OK;
}

const chan_tpl_t *chan__tplmap_find(const chan_tplmap_t *m, const char *name)
{
    for (size_t i = 0; m != NULL && name != NULL && i < m->n; i++) {
        if (strcmp(m->t[i].name, name) == 0)
            return &m->t[i];
    }
    return NULL;
}

const chan_tpl_t *chan__tpl_values(const channel_t *ch, const ch_msg_t *m, cJSON **vars,
                                   const char **vals, chan_verdict_t *v)
{
    const chan_tpl_t *t = chan__tplmap_find(ch->tplmap, m->tpl);

    *vars = NULL;
    if (t == NULL) {
        chan__verdict(v, CH_PERMFAIL, "template %s has no provider template on channel %s",
                      m->tpl != NULL ? m->tpl : "(none)", ch->name);
        return NULL;
    }
    *vars = m->vars != NULL ? cJSON_Parse(m->vars) : NULL;
    for (size_t i = 0; i < t->nparams; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(*vars, t->var[i]);
        if (!cJSON_IsString(x)) {
            chan__verdict(v, CH_PERMFAIL, "template %s: the message has no variable %s (for %s)",
                          t->name, t->var[i], t->pname[i]);
            cJSON_Delete(*vars);
            *vars = NULL;
            return NULL;
        }
        vals[i] = x->valuestring;
    }
    return t;
}

int chan__tpl_parts(const channel_t *ch, const chan_tpl_t *t, const char *const *vals,
                    int positional)
{
    size_t pos = 0, from = 0, len = 0, cap = strlen(t->content) + 1;
    char name[NAME_MAX_LEN], *text = xmalloc(cap), *full;
    int parts;

    for (;;) {
        size_t at = pos;
        int rc = next_param(t->content, &pos, positional, name);
        const char *open = strstr(t->content + at, positional ? "{" : "${");
        size_t cut = rc == 1 ? (size_t)(open - t->content) : strlen(t->content);
        size_t i = rc == 1 ? index_of(t, name) : 0;
        const char *val = rc == 1 && i < t->nparams ? vals[i] : "";
        size_t add = (cut - from) + strlen(val);

        text = xrealloc(text, cap += add);
        memcpy(text + len, t->content + from, cut - from);
        memcpy(text + len + (cut - from), val, strlen(val));
        len += add;
        if (rc != 1)
            break;
        from = pos;
    }
    text[len] = '\0';
    full = channel_render(ch, text, &parts);
    free(full);
    free(text);
    return parts;
}
