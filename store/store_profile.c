/* SPDX-License-Identifier: MIT */
/*
 * store_profile.c - with CANBAO_SQL_PROFILE set, each connection counts the time
 * SQLite spends in every statement (sqlite3_trace_v2 SQLITE_TRACE_PROFILE) and
 * prints the ten costliest to stderr when it closes. A developer's tool for
 * finding the slow query; off (and free) otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "store/store_internal.h"

#define SLOTS 512

struct store_profile {
    struct {
        char *text; /* the statement's SQL */
        uint64_t ns, calls;
    } s[SLOTS];
};

static int on_profile(unsigned type, void *ud, void *p, void *x)
{
    store_profile_t *pr = ud;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    size_t h;

    if (type != SQLITE_TRACE_PROFILE || sql == NULL)
        return 0;
    h = 5381;
    for (const char *c = sql; *c; c++)
        h = h * 33 + (unsigned char)*c;
    h %= SLOTS;
    for (size_t k = 0; k < SLOTS; k++, h = (h + 1) % SLOTS) {
        if (pr->s[h].text == NULL)
            pr->s[h].text = xstrdup(sql);
        if (strcmp(pr->s[h].text, sql) == 0) {
            pr->s[h].ns += *(const sqlite3_int64 *)x;
            pr->s[h].calls++;
            return 0;
        }
    }
    return 0;
}

void store__profile_start(store_t *st)
{
    if (getenv("CANBAO_SQL_PROFILE") == NULL)
        return;
    st->profile = xcalloc(1, sizeof *st->profile);
    sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, on_profile, st->profile);
}

void store__profile_end(store_t *st)
{
    store_profile_t *pr = st->profile;

    if (pr == NULL)
        return;
    for (int top = 0; top < 10; top++) {
        size_t best = SLOTS;
        for (size_t i = 0; i < SLOTS; i++) {
            if (pr->s[i].text != NULL && (best == SLOTS || pr->s[i].ns > pr->s[best].ns))
                best = i;
        }
        if (best == SLOTS || pr->s[best].ns == 0)
            break;
        fprintf(stderr, "sql %8.3f s %9llu calls  %.150s\n", (double)pr->s[best].ns / 1e9,
                (unsigned long long)pr->s[best].calls, pr->s[best].text);
        pr->s[best].ns = 0;
    }
    for (size_t i = 0; i < SLOTS; i++)
        free(pr->s[i].text);
    free(pr);
    st->profile = NULL;
}
