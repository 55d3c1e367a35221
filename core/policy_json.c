/* SPDX-License-Identifier: MIT */
/*
 * policy_json.c - the value checks policy_parse.c is built from: each reads one key
 * of a cJSON object, validates it and on failure writes "path: reason".
 */
#include "core/policy_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


#include "core/err.h"
#include "core/utf8.h"

/* Write "base.key: <message>" ("key: ..." at the top level, "base: ..." without a key). */
int policy__fail(pol_ctx_t *c, const char *base, const char *key, const char *fmt, ...)
{
    va_list ap;
    int n = 0;

    if (c->err == NULL || c->errlen == 0)
        return CB_ECONFIG;
    if (base[0] != '\0' || key[0] != '\0')
        n = snprintf(c->err, c->errlen, "%s%s%s: ", base, base[0] && key[0] ? "." : "", key);
    if (n >= 0 && (size_t)n < c->errlen) {
        va_start(ap, fmt);
        if (vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap) < 0)
            c->err[n] = '\0';
        va_end(ap);
    }
    return CB_ECONFIG;
}

void policy__path_join(char buf[POL_PATH_LEN], const char *base, const char *key)
{
    snprintf(buf, POL_PATH_LEN, "%s%s%s", base, base[0] ? "." : "", key);
}

void policy__path_index(char buf[POL_PATH_LEN], const char *base, const char *key, size_t i)
{
    snprintf(buf, POL_PATH_LEN, "%s%s%s[%zu]", base, base[0] ? "." : "", key, i);
}

const cJSON *policy__member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* 'obj' must be an object whose keys are all in 'keys', each at most once. */
int policy__check_keys(pol_ctx_t *c, const cJSON *obj, const char *base, const char *const *keys)
{
    if (!cJSON_IsObject(obj))
        return policy__fail(c, base, "", "must be an object");
    for (const cJSON *k = obj->child; k != NULL; k = k->next) {
        size_t i = 0;

        while (keys[i] != NULL && strcmp(keys[i], k->string) != 0)
            i++;
        if (keys[i] == NULL)
            return policy__fail(c, base, k->string, "unknown key");
        for (const cJSON *e = obj->child; e != k; e = e->next) {
            if (strcmp(e->string, k->string) == 0)
                return policy__fail(c, base, k->string, "given twice");
        }
    }
    return CB_OK;
}

int policy__is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* A non-empty UTF-8 string without surrounding blanks (names are matched exactly). */
int policy__string_value(pol_ctx_t *c, const cJSON *v, const char *base, const char *key,
                         const char **out)
{
    size_t len;

    if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
        return policy__fail(c, base, key, "must be a non-empty string");
    len = strlen(v->valuestring);
    if (!utf8_valid(v->valuestring, len))
        return policy__fail(c, base, key, "is not valid UTF-8");
    if (policy__is_blank(v->valuestring[0]) || policy__is_blank(v->valuestring[len - 1]))
        return policy__fail(c, base, key, "must not begin or end with a blank");
    *out = v->valuestring;
    return CB_OK;
}

/* Optional strings leave *out NULL when absent. */
int policy__want_string(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                        int required, const char **out)
{
    const cJSON *v = policy__member(obj, key);

    *out = NULL;
    if (v == NULL)
        return required ? policy__fail(c, base, key, "required") : CB_OK;
    return policy__string_value(c, v, base, key, out);
}

/* Optional integers leave *out as it was (the default) when absent. */
int policy__want_int(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                     int required, int64_t lo, int64_t hi, int64_t *out)
{
    const cJSON *v = policy__member(obj, key);
    double d;

    if (v == NULL)
        return required ? policy__fail(c, base, key, "required") : CB_OK;
    d = v->valuedouble;
    /* The range test comes first: it makes the conversion below defined. */
    if (!cJSON_IsNumber(v) || !(d >= (double)lo && d <= (double)hi) || d != (double)(int64_t)d)
        return policy__fail(c, base, key, "must be an integer from %lld to %lld", (long long)lo,
                            (long long)hi);
    *out = (int64_t)d;
    return CB_OK;
}

int policy__want_date(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                      cb_date_t *out)
{
    const cJSON *v = policy__member(obj, key);
    int rc;

    if (v == NULL)
        return policy__fail(c, base, key, "required");
    if (!cJSON_IsString(v))
        return policy__fail(c, base, key, "must be a date string such as \"2021-09-01\"");
    rc = date_parse(v->valuestring, strlen(v->valuestring), out);
    if (rc == CB_EINVAL)
        return policy__fail(c, base, key, "%s is not a real date", v->valuestring);
    if (rc < 0)
        return policy__fail(c, base, key, "\"%.40s\" is not a date: write YYYY-MM-DD",
                            v->valuestring);
    return CB_OK;
}

/* One of 'names' (its index into *out); 'def' < 0 makes the key required. */
int policy__want_enum(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                      const char *const *names, int def, int *out)
{
    const cJSON *v = policy__member(obj, key);
    char list[128];
    size_t n = 0;

    if (v == NULL) {
        if (def < 0)
            return policy__fail(c, base, key, "required");
        *out = def;
        return CB_OK;
    }
    for (int i = 0; cJSON_IsString(v) && names[i] != NULL; i++) {
        if (strcmp(v->valuestring, names[i]) == 0) {
            *out = i;
            return CB_OK;
        }
    }
    list[0] = '\0';
    for (size_t i = 0; names[i] != NULL && n < sizeof list; i++) {
        int w = snprintf(list + n, sizeof list - n, "%s%s", i > 0 ? ", " : "", names[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (names[1] == NULL)
        return policy__fail(c, base, key, "must be %s", list);
    return policy__fail(c, base, key, "must be one of %s", list);
}

/* An optional (absent: *out NULL) or required object with the keys 'keys'. */
int policy__want_object(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                        const char *const *keys, int required, const cJSON **out)
{
    char at[POL_PATH_LEN];

    *out = policy__member(obj, key);
    if (*out == NULL)
        return required ? policy__fail(c, base, key, "required") : CB_OK;
    policy__path_join(at, base, key);
    return policy__check_keys(c, *out, at, keys);
}

/* An optional (absent: no entries) or required array of at most 'max' entries. */
int policy__want_array(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                       int required, size_t max, const cJSON **out, size_t *n)
{
    *out = policy__member(obj, key);
    *n = 0;
    if (*out == NULL)
        return required ? policy__fail(c, base, key, "required") : CB_OK;
    if (!cJSON_IsArray(*out) || (size_t)cJSON_GetArraySize(*out) > max)
        return policy__fail(c, base, key, "must be an array of at most %zu entries", max);
    *n = (size_t)cJSON_GetArraySize(*out);
    return CB_OK;
}

/* "line L, column C: <what>" for a syntax error at 'at'; CB_EPARSE. */
int policy__syntax_error(pol_ctx_t *c, const char *json, const char *at, const char *what)
{
    size_t line = 1, col = 1;

    /* Columns count characters: UTF-8 continuation bytes do not start one. */
    for (const char *q = json; q < at; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            col++;
        }
    }
    if (c->err != NULL && c->errlen > 0)
        snprintf(c->err, c->errlen, "line %zu, column %zu: %s", line, col, what);
    return CB_EPARSE;
}
