/* SPDX-License-Identifier: MIT */
#include "store/store_survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"

int store_survey_add(store_t *st, const char *name, const char *definition, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_SURVEY_INSERT];
    char *old = NULL;
    int rc;

    store__bind_text(s, 1, name, -1);
    store__bind_text(s, 2, definition, -1);
    sqlite3_bind_int64(s, 3, now);
    rc = store__exec(st, s);
    if (rc < 0)
        return rc;
    if (sqlite3_changes(st->db) > 0)
        return 1;
    rc = store_survey_get(st, name, &old);
    if (rc == CB_OK && strcmp(old, definition) != 0) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "a survey named '%s' exists with another definition", name);
        rc = CB_EEXIST;
    }
    free(old);
    return rc;
}

int store_survey_get(store_t *st, const char *name, char **definition)
{
    sqlite3_stmt *s = st->stmt[ST_SURVEY_GET];
    int rc;

    *definition = NULL;
    store__bind_text(s, 1, name, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *definition = xstrdup(store__col(s, 0));
    store__done(s);
    if (rc == SQLITE_ROW)
        return CB_OK;
    if (rc != SQLITE_DONE)
        return store__fail(st, rc);
    snprintf(st->errmsg, sizeof st->errmsg, "no survey named '%s'", name);
    return CB_ENOTFOUND;
}

int store_survey_answer(store_t *st, const char *survey, int64_t person_id, int step, int choice,
                        const char *text, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_ANSWER_INSERT];
    int rc;

    store__bind_text(s, 1, survey, -1);
    sqlite3_bind_int64(s, 2, person_id);
    sqlite3_bind_int(s, 3, step);
    sqlite3_bind_int(s, 4, choice);
    store__bind_text(s, 5, text, -1);
    sqlite3_bind_int64(s, 6, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) > 0;
}

typedef struct visit {
    int (*fn)(void *ud, const store_answer_count_t *c);
    void *ud;
} visit_t;

static int count_row(void *ud, sqlite3_stmt *s)
{
    const visit_t *v = ud;
    store_answer_count_t c = {
        .step = sqlite3_column_int(s, 0),
        .area_id = sqlite3_column_int64(s, 1),
        .choice = sqlite3_column_int(s, 2),
        .n = sqlite3_column_int64(s, 3),
    };
    return v->fn(v->ud, &c);
}

int store_survey_counts(store_t *st, const char *survey,
                        int (*fn)(void *ud, const store_answer_count_t *c), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_ANSWER_COUNTS];
    visit_t v = {fn, ud};

    store__bind_text(s, 1, survey, -1);
    return store__each(st, s, count_row, &v);
}

int store_survey_respondents(store_t *st, const char *survey, int64_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_ANSWER_RESPONDENTS];
    int rc;

    store__bind_text(s, 1, survey, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    store__done(s);
    return rc == SQLITE_ROW ? CB_OK : store__fail(st, rc);
}
