/* SPDX-License-Identifier: MIT */
#include "store/store_roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"

int store_area_get(store_t *st, int64_t parent, int level, const char *name, size_t len,
                   int create, int64_t *id)
{
    sqlite3_stmt *s = st->stmt[ST_AREA_FIND];
    int rc;

    sqlite3_bind_int64(s, 1, parent);
    store__bind_text(s, 2, name, (int)len);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    store__done(s);
    if (rc == SQLITE_ROW)
        return CB_OK;
    if (rc != SQLITE_DONE)
        return store__fail(st, rc);
    if (!create)
        return CB_ENOTFOUND;
    s = st->stmt[ST_AREA_INSERT];
    sqlite3_bind_int64(s, 1, parent);
    sqlite3_bind_int(s, 2, level);
    store__bind_text(s, 3, name, (int)len);
    rc = store__exec(st, s);
    if (rc == CB_OK)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_areas(store_t *st, store_area_t **out, size_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_AREA_ALL];
    store_area_t *a = NULL;
    size_t len = 0, cap = 0;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            a = xrealloc(a, cap * sizeof *a);
        }
        a[len].id = sqlite3_column_int64(s, 0);
        a[len].parent = sqlite3_column_int64(s, 1);
        a[len].level = sqlite3_column_int(s, 2);
        a[len].name = xstrdup((const char *)sqlite3_column_text(s, 3));
        len++;
    }
    store__done(s);
    if (rc != SQLITE_DONE) {
        store_areas_free(a, len);
        return store__fail(st, rc);
    }
    *out = a;
    *n = len;
    return CB_OK;
}

void store_areas_free(store_area_t *areas, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(areas[i].name);
    free(areas);
}

int store_target_set(store_t *st, int64_t campaign, int64_t area, int64_t target,
                     int64_t registered)
{
    sqlite3_stmt *s = st->stmt[ST_TARGET_UPSERT];

    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, area);
    sqlite3_bind_int64(s, 3, target);
    if (registered >= 0)
        sqlite3_bind_int64(s, 4, registered);
    return store__exec(st, s);
}

int store_targets(store_t *st, int64_t campaign, store_target_t **out, size_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_TARGET_ALL];
    store_target_t *t = NULL;
    size_t len = 0, cap = 0;
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 32;
            t = xrealloc(t, cap * sizeof *t);
        }
        t[len].area_id = sqlite3_column_int64(s, 0);
        t[len].target = sqlite3_column_int64(s, 1);
        t[len].registered = sqlite3_column_int64(s, 2);
        len++;
    }
    store__done(s);
    if (rc != SQLITE_DONE) {
        free(t);
        return store__fail(st, rc);
    }
    *out = t;
    *n = len;
    return CB_OK;
}

int store__household_id(store_t *st, const char *code, int64_t *id)
{
    sqlite3_stmt *s;
    int rc;

    *id = 0;
    if (code == NULL)
        return CB_OK;
    if (st->hh_code != NULL && strcmp(st->hh_code, code) == 0) {
        *id = st->hh_id;
        return CB_OK;
    }
    s = st->stmt[ST_HOUSEHOLD_INSERT];
    store__bind_text(s, 1, code, -1);
    rc = store__exec(st, s);
    if (rc < 0)
        return rc;
    if (sqlite3_changes(st->db) == 1) {
        *id = sqlite3_last_insert_rowid(st->db);
    } else {
        s = st->stmt[ST_HOUSEHOLD_FIND];
        store__bind_text(s, 1, code, -1);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *id = sqlite3_column_int64(s, 0);
        store__done(s);
        if (rc != SQLITE_ROW)
            return store__fail(st, rc);
    }
    free(st->hh_code);
    st->hh_code = xstrdup(code);
    st->hh_id = *id;
    return CB_OK;
}

static int audit(store_t *st, int64_t campaign, int64_t person, const char *field,
                 const char *old, const char *new_, const char *source, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_AUDIT_INSERT];

    sqlite3_bind_int64(s, 1, now);
    if (campaign > 0)
        sqlite3_bind_int64(s, 2, campaign);
    sqlite3_bind_int64(s, 3, person);
    store__bind_text(s, 4, field, -1);
    store__bind_text(s, 5, old, -1);
    store__bind_text(s, 6, new_, -1);
    store__bind_text(s, 7, source, -1);
    return store__exec(st, s);
}

/* NULL and "" are the same "none". */
static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Bind the roster fields of ST_PERSON_UPDATE from parameter 'at' on: name, phone,
 * household, relation, area, birth date, time. */
static void bind_fields(sqlite3_stmt *s, int at, const store_person_t *p, int64_t hh,
                        int64_t now)
{
    store__bind_text(s, at, p->name, -1);
    store__bind_text(s, at + 1, p->phone, -1);
    if (hh > 0)
        sqlite3_bind_int64(s, at + 2, hh);
    store__bind_text(s, at + 3, p->relation, -1);
    sqlite3_bind_int64(s, at + 4, p->area_id);
    store__bind_text(s, at + 5, p->birth_date, -1);
    sqlite3_bind_int64(s, at + 6, now);
}

/* The columns of ST_PERSON_FIND, in order, with their audit names. */
enum { F_ID, F_NAME, F_PHONE, F_HOUSEHOLD, F_RELATION, F_AREA, F_BIRTH, F_STATUS, F_CATS, F_N };

static int update_person(store_t *st, int64_t campaign, const store_person_t *p,
                         char *const old[F_N], int has_enrolment, const char *source,
                         int64_t now)
{
    static const char *const field[F_N] = {"id", "name", "phone", "household", "relation",
                                            "area", "birth_date", "status", "categories"};
    const char *status = p->status;
    char area[24];
    const char *new_[F_N];
    int64_t pid = strtoll(old[F_ID], NULL, 10), hh;
    int person_changed = 0, enrol_changed = 0, rc;

    if (status == NULL || (strcmp(status, "unpaid") == 0 && old[F_STATUS] != NULL))
        status = old[F_STATUS] ? old[F_STATUS] : "unpaid";
    snprintf(area, sizeof area, "%lld", (long long)p->area_id);
    new_[F_ID] = old[F_ID];
    new_[F_NAME] = p->name;
    new_[F_PHONE] = p->phone;
    new_[F_HOUSEHOLD] = p->household;
    new_[F_RELATION] = p->relation;
    new_[F_AREA] = area;
    new_[F_BIRTH] = p->birth_date;
    new_[F_STATUS] = status;
    new_[F_CATS] = p->categories ? p->categories : old[F_CATS] ? old[F_CATS] : "";
    for (int f = F_NAME; f < F_N; f++) {
        if (same(old[f], new_[f]) && (f < F_STATUS || has_enrolment))
            continue;
        if (f < F_STATUS)
            person_changed = 1;
        else
            enrol_changed = 1;
        rc = audit(st, campaign, pid, field[f], old[f], new_[f], source, now);
        if (rc < 0)
            return rc;
    }
    if (!person_changed && !enrol_changed)
        return STORE_UNCHANGED;
    if (person_changed) {
        sqlite3_stmt *s = st->stmt[ST_PERSON_UPDATE];
        rc = store__household_id(st, p->household, &hh);
        if (rc < 0)
            return rc;
        sqlite3_bind_int64(s, 1, pid);
        bind_fields(s, 2, p, hh, now);
        rc = store__exec(st, s);
        if (rc < 0)
            return rc;
    }
    if (enrol_changed) {
        sqlite3_stmt *s = st->stmt[ST_ENROL_UPSERT];
        sqlite3_bind_int64(s, 1, campaign);
        sqlite3_bind_int64(s, 2, pid);
        store__bind_text(s, 3, status, -1);
        store__bind_text(s, 4, new_[F_CATS], -1);
        sqlite3_bind_int64(s, 5, now);
        rc = store__exec(st, s);
        if (rc < 0)
            return rc;
    }
    return STORE_UPDATED;
}

int store__person_update(store_t *st, int64_t campaign, const store_person_t *p,
                         const char *source, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_PERSON_FIND];
    char *old[F_N] = {NULL};
    int has_enrolment = 0, rc;

    sqlite3_bind_int64(s, 1, p->key);
    sqlite3_bind_int64(s, 2, campaign);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        for (int f = 0; f < F_N; f++) {
            const unsigned char *t = sqlite3_column_text(s, f);
            old[f] = t ? xstrdup((const char *)t) : NULL;
        }
        has_enrolment = sqlite3_column_type(s, F_STATUS) != SQLITE_NULL;
    }
    store__done(s);
    if (rc == SQLITE_DONE)
        return CB_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return store__fail(st, rc);
    rc = update_person(st, campaign, p, old, has_enrolment, source, now);
    for (int f = 0; f < F_N; f++)
        free(old[f]);
    return rc;
}

int store_person_upsert(store_t *st, int64_t campaign, const store_person_t *p,
                        const char *source, int64_t now)
{
    unsigned char outcome;
    int rc = store_persons_put(st, campaign, p, 1, source, now, &outcome);

    return rc < 0 ? rc : outcome;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? xstrdup((const char *)t) : NULL;
}

int store_resident_get(store_t *st, int64_t campaign, int64_t key, store_resident_t *out)
{
    sqlite3_stmt *s = st->stmt[ST_RESIDENT_GET];
    int rc;

    memset(out, 0, sizeof *out);
    sqlite3_bind_int64(s, 1, key);
    sqlite3_bind_int64(s, 2, campaign);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        out->id_number = col_dup(s, 1);
        out->name = col_dup(s, 2);
        out->phone = col_dup(s, 3);
        out->household = col_dup(s, 4);
        out->relation = col_dup(s, 5);
        out->area_id = sqlite3_column_int64(s, 6);
        out->birth_date = col_dup(s, 7);
        out->status = col_dup(s, 8);
        out->categories = col_dup(s, 9);
    }
    store__done(s);
    if (rc == SQLITE_ROW)
        return CB_OK;
    return rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
}

void store_resident_free(store_resident_t *r)
{
    if (r == NULL)
        return;
    free(r->id_number);
    free(r->name);
    free(r->phone);
    free(r->household);
    free(r->relation);
    free(r->birth_date);
    free(r->status);
    free(r->categories);
    memset(r, 0, sizeof *r);
}

/* Set one enrolment field through 'stmt' and audit the change. */
static int enrol_set(store_t *st, enum store_stmt which, const char *field, int64_t campaign,
                     int64_t person_id, const char *old, const char *value, const char *source,
                     int64_t now)
{
    sqlite3_stmt *s = st->stmt[which];
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, person_id);
    store__bind_text(s, 3, value, -1);
    sqlite3_bind_int64(s, 4, now);
    rc = store__exec(st, s);
    if (rc == CB_OK && sqlite3_changes(st->db) == 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "person %lld is not enrolled in campaign %lld",
                 (long long)person_id, (long long)campaign);
        rc = CB_ENOTFOUND;
    }
    if (rc == CB_OK)
        rc = audit(st, campaign, person_id, field, old, value, source, now);
    return rc;
}

int store_status_set(store_t *st, int64_t campaign, int64_t person_id, const char *old_status,
                     const char *status, const char *source, int64_t now)
{
    return enrol_set(st, ST_ENROL_SET_STATUS, "status", campaign, person_id, old_status, status,
                     source, now);
}

int store_categories_set(store_t *st, int64_t campaign, int64_t person_id, const char *old,
                         const char *categories, const char *source, int64_t now)
{
    return enrol_set(st, ST_ENROL_SET_CATS, "categories", campaign, person_id, old, categories,
                     source, now);
}

int store_target_get(store_t *st, int64_t campaign, int64_t area, int64_t *target,
                     int64_t *registered)
{
    sqlite3_stmt *s = st->stmt[ST_TARGET_GET];
    int rc;

    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, area);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *target = sqlite3_column_int64(s, 0);
        *registered = sqlite3_column_int64(s, 1);
    }
    store__done(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : store__fail(st, rc);
}

int store_area_names(store_t *st, int64_t area, char *township, char *village, char *group,
                     size_t len)
{
    sqlite3_stmt *s = st->stmt[ST_AREA_GET];
    char *out[3] = {township, village, group};
    int rc = SQLITE_DONE;

    for (int i = 0; i < 3; i++)
        out[i][0] = '\0';
    /* Three levels at most: a group's parent is a village, a village's a township. */
    for (int hop = 0; hop < 3 && area != 0; hop++) {
        int level;

        sqlite3_bind_int64(s, 1, area);
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        area = sqlite3_column_int64(s, 0);
        level = sqlite3_column_int(s, 1);
        if (level >= 1 && level <= 3)
            snprintf(out[level - 1], len, "%s", store__col(s, 2));
        store__done(s);
        rc = SQLITE_DONE;
    }
    store__done(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? CB_OK : store__fail(st, rc);
}
