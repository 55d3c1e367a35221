/* SPDX-License-Identifier: MIT */
/* tplset.c - the named templates: compiled defaults, a deployment's overrides, the
 * load-time check. */
#include "templates/tplset.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/smsseg.h"
#include "templates/tplset_internal.h"

#define MAX_FILE ((size_t)64 * 1024)

typedef struct spec {
    const char *name;
    int sms; /* resident-facing SMS: length-checked */
    tplset_kind_t kind;
} spec_t;

static const spec_t specs[] = {{"window_open", 1, TPLSET_RESIDENT},
                               {"remind_periodic", 1, TPLSET_RESIDENT},
                               {"deadline_near", 1, TPLSET_RESIDENT},
                               {"last_day", 1, TPLSET_RESIDENT},
                               {"household_reminder", 1, TPLSET_HOUSEHOLD},
                               {"payment_thanks", 1, TPLSET_THANKS},
                               {"waiver_ack", 1, TPLSET_RESIDENT},
                               {"survey_question", 1, TPLSET_SURVEY},
                               {"survey_thanks", 1, TPLSET_RESIDENT},
                               {"waiver_reason_question", 1, TPLSET_RESIDENT},
                               {"claim_ack", 1, TPLSET_REPLY},
                               {"optout_ack", 1, TPLSET_RESIDENT},
                               {"answer_amount", 1, TPLSET_REPLY},
                               {"answer_channels", 1, TPLSET_REPLY},
                               {"answer_deadline", 1, TPLSET_REPLY},
                               {"answer_subsidy", 1, TPLSET_REPLY},
                               {"answer_status", 1, TPLSET_REPLY},
                               {"answer_newborn", 1, TPLSET_REPLY},
                               {"deceased_ack", 1, TPLSET_REPLY},
                               {"worker_todo", 0, TPLSET_TODO},
                               {"daily_report", 0, TPLSET_REPORT},
                               {"milestone_near", 1, TPLSET_MILESTONE},
                               {"newborn_reminder", 1, TPLSET_DATED},
                               {"lapse_reminder", 1, TPLSET_DATED},
                               {"department_notice", 1, TPLSET_DEPARTMENT}};

#define NSPECS (sizeof specs / sizeof specs[0])

struct tplset {
    tpl_t *tpls[NSPECS]; /* by spec */
};

static void errf(char *err, size_t errlen, const char *fmt, ...) CB_PRINTF(3, 4);
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    if (vsnprintf(err, errlen, fmt, ap) < 0)
        err[0] = '\0';
    va_end(ap);
}

/* The spec named by the 'len' bytes at 'name', or -1. */
static int spec_index(const char *name, size_t len)
{
    for (size_t i = 0; i < NSPECS; i++) {
        if (strncmp(specs[i].name, name, len) == 0 && specs[i].name[len] == '\0')
            return (int)i;
    }
    return -1;
}

/* Compile a file's text: CRLF counts as LF, one final line end is dropped. */
static int compile(const char *label, const char *text, size_t len, tpl_t **out, char *err,
                   size_t errlen)
{
    char *s = xmalloc(len + 1);
    size_t n = 0;
    int rc;

    for (size_t i = 0; i < len; i++) {
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
            s[n++] = text[i];
    }
    if (n > 0 && s[n - 1] == '\n')
        n--;
    rc = tpl_parse(label, s, n, out, err, errlen);
    free(s);
    return rc;
}

static int load_defaults(tplset_t *set, char *err, size_t errlen)
{
    for (size_t i = 0; i < NSPECS; i++) {
        const tplset_file_t *f = NULL;
        char label[64];
        int rc;

        for (size_t k = 0; k < tplset__ndefaults && f == NULL; k++) {
            if (strcmp(tplset__defaults[k].name, specs[i].name) == 0)
                f = &tplset__defaults[k];
        }
        if (f == NULL) { /* a build without templates/defaults/NAME.txt */
            errf(err, errlen, "%s.txt: no default template was built in", specs[i].name);
            return CB_ECONFIG;
        }
        snprintf(label, sizeof label, "%s.txt", f->name);
        rc = compile(label, f->text, f->len, &set->tpls[i], err, errlen);
        if (rc < 0)
            return rc;
    }
    return CB_OK;
}

/* The file at 'path' into *buf (the caller frees it) and *len. */
static int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    int rc = CB_OK;

    *buf = NULL;
    if (f == NULL) {
        errf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    *buf = xmalloc(MAX_FILE + 1);
    *len = fread(*buf, 1, MAX_FILE + 1, f);
    if (ferror(f)) {
        errf(err, errlen, "%s: %s", path, strerror(errno));
        rc = CB_EIO;
    } else if (*len > MAX_FILE) {
        errf(err, errlen, "%s: larger than %zu KiB", path, MAX_FILE / 1024);
        rc = CB_ETOOBIG;
    }
    fclose(f);
    if (rc < 0) {
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

static int unknown_file(const char *path, char *err, size_t errlen)
{
    char known[640];
    size_t n = 0;

    known[0] = '\0';
    for (size_t i = 0; i < NSPECS && n < sizeof known; i++) {
        int w = snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", specs[i].name);

        if (w < 0)
            break;
        n += (size_t)w;
    }
    errf(err, errlen, "%s: unknown template name (known: %s)", path, known);
    return CB_ECONFIG;
}

/* Replace the defaults by the folder's NAME.txt files. */
static int load_dir(tplset_t *set, const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    int rc = CB_OK;

    if (d == NULL) {
        errf(err, errlen, "%s: %s", dir, strerror(errno));
        return CB_EIO;
    }
    for (const struct dirent *e = readdir(d); e != NULL && rc == CB_OK; e = readdir(d)) {
        size_t len = strlen(e->d_name), plen = strlen(dir) + len + 2;
        char *path, *text = NULL;
        int k = -1;
        size_t tlen = 0;
        tpl_t *t = NULL;

        if (e->d_name[0] == '.')
            continue;
        if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
            k = spec_index(e->d_name, len - 4);
        path = xmalloc(plen);
        snprintf(path, plen, "%s/%s", dir, e->d_name);
        rc = k < 0 ? unknown_file(path, err, errlen) : read_file(path, &text, &tlen, err, errlen);
        if (rc == CB_OK)
            rc = compile(path, text, tlen, &t, err, errlen);
        if (rc == CB_OK) {
            tpl_destroy(set->tpls[k]);
            set->tpls[k] = t;
        }
        free(text);
        free(path);
    }
    closedir(d);
    return rc;
}

int tplset_sms_count(const char *text, int extra_chars, sms_count_t *out)
{
    static const char added[] = "中"; /* what the channel adds counts as Chinese */
    size_t len = strlen(text), n = len;
    char *full;
    int rc;

    if (extra_chars < 0)
        return CB_EINVAL;
    full = xmalloc(len + (size_t)extra_chars * (sizeof added - 1) + 1);
    memcpy(full, text, len);
    for (int i = 0; i < extra_chars; i++, n += sizeof added - 1)
        memcpy(full + n, added, sizeof added - 1);
    rc = sms_count(full, n, out);
    free(full);
    return rc;
}

/* 'text' with the channel's additions must fit the limit. */
static int check_sms(const tpl_t *t, const char *text, const tplset_opts_t *o, char *err,
                     size_t errlen)
{
    sms_count_t c;
    int rc = tplset_sms_count(text, o->sms_extra_chars, &c);

    if (rc < 0) {
        errf(err, errlen, "%s: the rendered text is not valid UTF-8", tpl_name(t));
        return CB_ECONFIG;
    }
    if (strstr(text, "【") != NULL || strstr(text, "】") != NULL) {
        errf(err, errlen, "%s: contains 【 or 】: the SMS channel adds the signature", tpl_name(t));
        return CB_ECONFIG;
    }
    if (c.segments > o->max_segments) {
        errf(err, errlen,
             "%s: %d SMS segments (%zu characters with the %d the channel adds) with the "
             "worst-case sample, at most %d",
             tpl_name(t), c.segments, c.chars, o->sms_extra_chars, o->max_segments);
        return CB_ETOOBIG;
    }
    return CB_OK;
}

/* Render every template with each variant of its sample. */
static int check(const tplset_t *set, const tplset_opts_t *o, char *err, size_t errlen)
{
    for (size_t i = 0; i < NSPECS; i++) {
        for (int v = 0;; v++) {
            tpl_ctx_t *ctx = NULL;
            char *text = NULL;
            int rc = tplset__sample(specs[i].kind, v, &ctx);

            if (rc == CB_ENOTFOUND && v > 0)
                break; /* past the last variant */
            if (rc < 0) {
                errf(err, errlen, "%s: no sample context to check it with", tpl_name(set->tpls[i]));
                return rc;
            }
            rc = tpl_render_strict(set->tpls[i], ctx, &text, err, errlen);
            tpl_ctx_destroy(ctx);
            if (rc == CB_OK && specs[i].sms)
                rc = check_sms(set->tpls[i], text, o, err, errlen);
            free(text);
            if (rc < 0) /* an unknown variable is a configuration error */
                return rc == CB_ENOTFOUND ? CB_ECONFIG : rc;
        }
    }
    return CB_OK;
}

int tplset_load(const char *dir, const tplset_opts_t *opts, tplset_t **out, char *err,
                size_t errlen)
{
    tplset_opts_t o = {TPLSET_DEFAULT_MAX_SEGMENTS, TPLSET_DEFAULT_EXTRA_CHARS};
    tplset_t *set;
    int rc;

    *out = NULL;
    if (opts != NULL)
        o = *opts;
    if (o.max_segments < 1 || o.sms_extra_chars < 0 || o.sms_extra_chars > 1000) {
        errf(err, errlen, "max_segments must be at least 1 and sms_extra_chars 0 to 1000");
        return CB_EINVAL;
    }
    set = xcalloc(1, sizeof *set);
    rc = load_defaults(set, err, errlen);
    if (rc == CB_OK && dir != NULL)
        rc = load_dir(set, dir, err, errlen);
    if (rc == CB_OK)
        rc = check(set, &o, err, errlen);
    if (rc < 0) {
        tplset_destroy(set);
        return rc;
    }
    *out = set;
    return CB_OK;
}

void tplset_destroy(tplset_t *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < NSPECS; i++)
        tpl_destroy(set->tpls[i]);
    free(set);
}

const tpl_t *tplset_get(const tplset_t *set, const char *name)
{
    int k = spec_index(name, strlen(name));

    return k < 0 ? NULL : set->tpls[k];
}

const char *tplset_name(size_t i)
{
    return i < NSPECS ? specs[i].name : NULL;
}

int tplset_is_sms(const char *name)
{
    int k = spec_index(name, strlen(name));

    return k < 0 ? CB_ENOTFOUND : specs[k].sms;
}

int tplset_sample(const char *name, int variant, tpl_ctx_t **out)
{
    int k = spec_index(name, strlen(name));

    *out = NULL;
    return k < 0 ? CB_ENOTFOUND : tplset__sample(specs[k].kind, variant, out);
}
