/* SPDX-License-Identifier: MIT */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

typedef struct entry {
    struct entry *next;
    int64_t val;
    size_t len;
    char key[]; /* 'len' bytes */
} entry_t;

struct strmap {
    entry_t **b;
    size_t nb, n;
};

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

strmap_t *strmap_create(void)
{
    strmap_t *m = xcalloc(1, sizeof *m);
    m->nb = 256;
    m->b = xcalloc(m->nb, sizeof *m->b);
    return m;
}

void strmap_destroy(strmap_t *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->nb; i++) {
        entry_t *e = m->b[i];
        while (e != NULL) {
            entry_t *next = e->next;
            free(e);
            e = next;
        }
    }
    free(m->b);
    free(m);
}

static entry_t *find(const strmap_t *m, const char *key, size_t len)
{
    for (entry_t *e = m->b[hash(key, len) & (m->nb - 1)]; e != NULL; e = e->next) {
        if (e->len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
    return NULL;
}

int strmap_get(const strmap_t *m, const char *key, size_t len, int64_t *val)
{
    entry_t *e = find(m, key, len);
    if (e == NULL)
        return 0;
    *val = e->val;
    return 1;
}

static void rehash(strmap_t *m)
{
    size_t nb = m->nb * 4;
    entry_t **b = xcalloc(nb, sizeof *b);

    for (size_t i = 0; i < m->nb; i++) {
        entry_t *e = m->b[i];
        while (e != NULL) {
            entry_t *next = e->next;
            size_t j = hash(e->key, e->len) & (nb - 1);
            e->next = b[j];
            b[j] = e;
            e = next;
        }
    }
    free(m->b);
    m->b = b;
    m->nb = nb;
}

void strmap_put(strmap_t *m, const char *key, size_t len, int64_t val)
{
    entry_t *e = find(m, key, len);
    size_t i;

    if (e != NULL) {
        e->val = val;
        return;
    }
    if (m->n >= m->nb)
        rehash(m);
    e = xmalloc(sizeof *e + len);
    memcpy(e->key, key, len);
    e->len = len;
    e->val = val;
    i = hash(key, len) & (m->nb - 1);
    e->next = m->b[i];
    m->b[i] = e;
    m->n++;
}
