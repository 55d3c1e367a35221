/* SPDX-License-Identifier: MIT */
/* survey.c - survey definitions: parsing and checking, and the question's variables. */
#include "bot/survey.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) CB_PRINTF(3, 4);
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        if (vsnprintf(err, errlen, fmt, ap) < 0)
            err[0] = '\0';
        va_end(ap);
    }
    return CB_ECONFIG;
}

/* Characters (not bytes) of UTF-8 's'. */
static size_t chars(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A string member 'v' of 1..max characters, copied into the arena at *at. */
static int text(const cJSON *v, const char *path, size_t max, char **at, const char **out,
                char *err, size_t errlen)
{
    size_t n;

    if (!cJSON_IsString(v))
        return fail(err, errlen, "%s: must be a string", path);
    n = chars(v->valuestring);
    if (n == 0 || n > max)
        return fail(err, errlen, "%s: must have 1 to %zu characters", path, max);
    if (strpbrk(v->valuestring, "\r\n\t") != NULL)
        return fail(err, errlen, "%s: must be one line", path);
    n = strlen(v->valuestring);
    memcpy(*at, v->valuestring, n + 1);
    *out = *at;
    *at += n + 1;
    return CB_OK;
}

static int check_keys(const cJSON *o, const char *path, const char *const *keys, char *err,
                      size_t errlen)
{
    for (const cJSON *k = o->child; k != NULL; k = k->next) {
        size_t i = 0;

        while (keys[i] != NULL && strcmp(keys[i], k->string) != 0)
            i++;
        if (keys[i] == NULL)
            return fail(err, errlen, "%s%s: unknown key", path, k->string);
    }
    return CB_OK;
}

static int question(const cJSON *q, int i, survey_question_t *out, char **at, char *err,
                    size_t errlen)
{
    static const char *const keys[] = {"text", "choices", NULL};
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(q, "choices");
    char path[64];
    int rc, n;

    snprintf(path, sizeof path, "questions[%d].", i);
    if (!cJSON_IsObject(q))
        return fail(err, errlen, "questions[%d]: must be an object", i);
    rc = check_keys(q, path, keys, err, errlen);
    snprintf(path, sizeof path, "questions[%d].text", i);
    if (rc == CB_OK)
        rc = text(cJSON_GetObjectItemCaseSensitive(q, "text"), path, 60, at, &out->text, err,
                  errlen);
    if (rc < 0 || choices == NULL)
        return rc;
    n = cJSON_IsArray(choices) ? cJSON_GetArraySize(choices) : -1;
    if (n != 0 && (n < 2 || n > SURVEY_MAX_CHOICES))
        return fail(err, errlen, "questions[%d].choices: must be a list of 2 to %d texts", i,
                    SURVEY_MAX_CHOICES);
    for (int k = 0; k < n && rc == CB_OK; k++) {
        snprintf(path, sizeof path, "questions[%d].choices[%d]", i, k);
        rc = text(cJSON_GetArrayItem(choices, k), path, 12, at, &out->choices[k], err, errlen);
    }
    out->nchoices = n;
    return rc;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 63)
        return 0;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int build(const cJSON *root, survey_t *s, char *err, size_t errlen)
{
    static const char *const keys[] = {"name", "title", "expires_hours", "questions", NULL};
    const cJSON *v, *qs = cJSON_GetObjectItemCaseSensitive(root, "questions");
    char *at = s->owned;
    int rc;

    if (!cJSON_IsObject(root))
        return fail(err, errlen, "a survey must be a JSON object");
    rc = check_keys(root, "", keys, err, errlen);
    if (rc < 0)
        return rc;
    v = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(v) || !name_ok(v->valuestring))
        return fail(err, errlen, "name: 1 to 63 letters, digits, '.', '_' or '-'");
    rc = text(v, "name", 63, &at, &s->name, err, errlen);
    v = cJSON_GetObjectItemCaseSensitive(root, "title");
    s->title = "";
    if (rc == CB_OK && v != NULL)
        rc = text(v, "title", 60, &at, &s->title, err, errlen);
    v = cJSON_GetObjectItemCaseSensitive(root, "expires_hours");
    s->expires_hours = SURVEY_DEFAULT_EXPIRES_HOURS;
    if (rc == CB_OK && v != NULL) {
        if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble ||
            v->valueint < 1 || v->valueint > 720)
            return fail(err, errlen, "expires_hours: a whole number of hours, 1 to 720");
        s->expires_hours = v->valueint;
    }
    if (rc < 0)
        return rc;
    s->nquestions = cJSON_IsArray(qs) ? cJSON_GetArraySize(qs) : -1;
    if (s->nquestions < 1 || s->nquestions > SURVEY_MAX_QUESTIONS)
        return fail(err, errlen, "questions: must be a list of 1 to %d questions",
                    SURVEY_MAX_QUESTIONS);
    for (int i = 0; i < s->nquestions && rc == CB_OK; i++)
        rc = question(cJSON_GetArrayItem(qs, i), i, &s->questions[i], &at, err, errlen);
    return rc;
}

int survey_parse(const char *json, size_t len, survey_t **out, char *err, size_t errlen)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    survey_t *s;
    int rc;

    *out = NULL;
    if (root == NULL) {
        fail(err, errlen, "not valid JSON");
        return CB_EPARSE;
    }
    s = xcalloc(1, sizeof *s);
    /* Every kept string is a copy of part of the input: the input's size is enough. */
    s->owned = xmalloc(len + 1);
    rc = build(root, s, err, errlen);
    cJSON_Delete(root);
    if (rc < 0) {
        survey_destroy(s);
        return rc;
    }
    *out = s;
    return CB_OK;
}

void survey_destroy(survey_t *s)
{
    if (s == NULL)
        return;
    free(s->owned);
    free(s);
}

void survey_question_ctx(const survey_t *s, int step, tpl_ctx_t *ctx)
{
    const survey_question_t *q = &s->questions[step];

    tpl_ctx_set(ctx, "question", q->text);
    tpl_ctx_set_bool(ctx, "free_text", q->nchoices == 0);
    /* "" is defined and falsy; the first push below makes it a list. */
    tpl_ctx_set(ctx, "options", "");
    for (int i = 0; i < q->nchoices; i++) {
        tpl_ctx_t *item = tpl_ctx_push(ctx, "options");

        tpl_ctx_setf(item, "key", "%d", i + 1);
        tpl_ctx_set(item, "text", q->choices[i]);
        tpl_ctx_set_bool(item, "first", i == 0);
    }
}
