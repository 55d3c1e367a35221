/* SPDX-License-Identifier: MIT */
#include "core/jsoncfg.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

const char *jsoncfg_unknown(const cJSON *o, const char *const *known)
{
    const cJSON *it;

    if (!cJSON_IsObject(o))
        return NULL;
    cJSON_ArrayForEach(it, o)
    {
        size_t k = 0;
        while (known[k] != NULL && strcmp(known[k], it->string) != 0)
            k++;
        if (known[k] == NULL)
            return it->string;
    }
    return NULL;
}

int jsoncfg_int(const cJSON *o, const char *sect, const char *key, int lo, int hi, int *out,
                char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (v == NULL)
        return CB_OK;
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
        v->valuedouble != (double)(int)v->valuedouble) {
        snprintf(err, errlen, "%s.%s: must be a whole number from %d to %d", sect, key, lo, hi);
        return CB_ECONFIG;
    }
    *out = v->valueint;
    return CB_OK;
}
