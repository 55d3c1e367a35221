/* SPDX-License-Identifier: MIT */
/*
 * chan_cfg.c - channel options: one key table per driver plus the common keys,
 * checked in one place so a typo or a missing key fails at start-up with the
 * channel and field named, and secrets read from the environment.
 */
#include "channels/channel_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

#define ENV_SUFFIX "_env"

/* Keys every channel takes; "timeout_ms" only HTTP ones. */
static const chan_opt_t common_opts[] = {
    {"name", CHO_STR, 1},
    {"type", CHO_STR, 1},
    {"rate", CHO_NUM, 0},
    {"burst", CHO_INT, 0},
    {NULL, CHO_STR, 0},
};
static const chan_opt_t http_opts[] = {
    {"timeout_ms", CHO_INT, 0},
    {NULL, CHO_STR, 0},
};

int chan__fail(const channel_t *ch, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (err == NULL || errlen == 0)
        return CB_ECONFIG;
    n = snprintf(err, errlen, "channel '%s': ", ch->name != NULL ? ch->name : "?");
    if (n >= 0 && (size_t)n < errlen) {
        va_start(ap, fmt);
        if (vsnprintf(err + n, errlen - (size_t)n, fmt, ap) < 0)
            err[n] = '\0';
        va_end(ap);
    }
    return CB_ECONFIG;
}

static const chan_opt_t *find_opt(const chan_opt_t *opts, const char *key, size_t len)
{
    for (size_t i = 0; opts != NULL && opts[i].key != NULL; i++) {
        if (strlen(opts[i].key) == len && memcmp(opts[i].key, key, len) == 0)
            return &opts[i];
    }
    return NULL;
}

static const char *type_name(chan_opt_type_t t)
{
    switch (t) {
    case CHO_STR: return "a string";
    case CHO_SECRET: return "a string";
    case CHO_INT: return "an integer";
    case CHO_NUM: return "a number";
    case CHO_BOOL: return "true or false";
    case CHO_OBJ: return "an object";
    }
    return "?";
}

static int type_ok(const cJSON *v, chan_opt_type_t t)
{
    switch (t) {
    case CHO_STR:
    case CHO_SECRET: return cJSON_IsString(v);
    case CHO_INT:
        return cJSON_IsNumber(v) && v->valuedouble > -1e9 && v->valuedouble < 1e9 &&
               v->valuedouble == (double)(long)v->valuedouble;
    case CHO_NUM: return cJSON_IsNumber(v);
    case CHO_BOOL: return cJSON_IsBool(v);
    case CHO_OBJ: return cJSON_IsObject(v);
    }
    return 0;
}

/* The table entry for 'k' (a key of the config), with *env set for "<secret>_env". */
static const chan_opt_t *lookup(const chan_opt_t *opts, int http, const char *k, int *env)
{
    size_t len = strlen(k), sl = strlen(ENV_SUFFIX);
    const chan_opt_t *o;

    *env = 0;
    o = find_opt(common_opts, k, len);
    if (o == NULL && http)
        o = find_opt(http_opts, k, len);
    if (o == NULL)
        o = find_opt(opts, k, len);
    if (o == NULL && len > sl && strcmp(k + len - sl, ENV_SUFFIX) == 0) {
        o = find_opt(opts, k, len - sl);
        if (o != NULL && o->type != CHO_SECRET)
            o = NULL;
        *env = o != NULL;
    }
    return o;
}

static int check_required(const channel_t *ch, const cJSON *cfg, const chan_opt_t *opts,
                          char *err, size_t errlen)
{
    char envkey[64];

    for (size_t i = 0; opts[i].key != NULL; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, opts[i].key);
        const cJSON *e = NULL;

        if (opts[i].type == CHO_SECRET) {
            snprintf(envkey, sizeof envkey, "%s%s", opts[i].key, ENV_SUFFIX);
            e = cJSON_GetObjectItemCaseSensitive(cfg, envkey);
            if (v != NULL && e != NULL)
                return chan__fail(ch, err, errlen, "give %s or %s, not both", opts[i].key,
                                  envkey);
        }
        if (opts[i].required && v == NULL && e == NULL) {
            if (opts[i].type == CHO_SECRET)
                return chan__fail(ch, err, errlen, "missing option %s (or %s)", opts[i].key,
                                  envkey);
            return chan__fail(ch, err, errlen, "missing option %s", opts[i].key);
        }
    }
    return CB_OK;
}

int chan__check_opts(const channel_t *ch, const cJSON *cfg, const chan_opt_t *opts, int http,
                     char *err, size_t errlen)
{
    for (const cJSON *k = cfg->child; k != NULL; k = k->next) {
        int env;
        const chan_opt_t *o = lookup(opts, http, k->string, &env);

        if (o == NULL)
            return chan__fail(ch, err, errlen, "unknown option %s", k->string);
        for (const cJSON *e = cfg->child; e != k; e = e->next) {
            if (strcmp(e->string, k->string) == 0)
                return chan__fail(ch, err, errlen, "option %s given twice", k->string);
        }
        if (env ? !cJSON_IsString(k) : !type_ok(k, o->type))
            return chan__fail(ch, err, errlen, "option %s must be %s", k->string,
                              type_name(env ? CHO_STR : o->type));
    }
    return check_required(ch, cfg, opts, err, errlen);
}

char *chan__str(const cJSON *cfg, const char *key, const char *def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, key);

    return xstrdup(cJSON_IsString(v) ? v->valuestring : def);
}

int chan__secret(const channel_t *ch, const cJSON *cfg, const char *key, char **out, char *err,
                 size_t errlen)
{
    char envkey[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, key);
    const char *val;

    *out = NULL;
    if (cJSON_IsString(v)) {
        *out = xstrdup(v->valuestring);
        return CB_OK;
    }
    snprintf(envkey, sizeof envkey, "%s%s", key, ENV_SUFFIX);
    v = cJSON_GetObjectItemCaseSensitive(cfg, envkey);
    if (!cJSON_IsString(v))
        return CB_OK;
    val = getenv(v->valuestring);
    if (val == NULL)
        return chan__fail(ch, err, errlen, "environment variable %s (%s) is not set",
                          v->valuestring, envkey);
    *out = xstrdup(val);
    return CB_OK;
}

long chan__int(const cJSON *cfg, const char *key, long def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, key);

    return cJSON_IsNumber(v) ? (long)v->valuedouble : def;
}

int chan__bool(const cJSON *cfg, const char *key, int def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, key);

    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

void chan__read_decor(channel_t *ch, const cJSON *cfg)
{
    ch->signature = chan__str(cfg, "signature", NULL);
    ch->optout = chan__str(cfg, "optout_suffix", NULL);
}

int chan__check_url(const channel_t *ch, const char *url, char *err, size_t errlen)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return chan__fail(ch, err, errlen, "url must start with http:// or https://");
    return CB_OK;
}
