/* SPDX-License-Identifier: MIT */
/*
 * store_persons.c - store_persons_put: many roster persons at once.
 *
 * A first import of a county's roster writes about a million new people. One
 * INSERT per person and one per enrolment spent much of SQLite's time in the
 * statement machinery (step, reset, bindings, opening cursors on every table and
 * index for every row); here new people go STORE__PUT_ROWS at a time into one
 * multi-row INSERT into person and one into enrolment.
 *
 * New rows get explicit ids from max(id) + 1 on, in the order given, so each
 * enrolment is bound to its person's id without reading it back. The households
 * of a chunk's new people are created the same way: a roster lists a household's
 * members together, so a chunk of 64 people holds about 20 households, and one
 * INSERT per household cost a sixth of the writer's instructions.
 *
 * Both inserts are INSERT OR IGNORE. A plain multi-row INSERT can fail half-way
 * (NOT NULL, CHECK, UNIQUE), so SQLite writes a statement journal for it, copying
 * the first version of every page it touches; with OR IGNORE it cannot fail, and a
 * row it skipped shows in the change count. Such a row is either already stored
 * (then it takes the update path, as store_person_upsert does) or was refused by a
 * constraint, which is an error: the import validated the row, so that is a bug.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"
#include "store/store_roster.h"

#define PERSON_INTO                                                                            \
    "person(id, key, id_number, name, phone, household_id, relation, area_id, birth_date, "    \
    "updated_at)"
#define PERSON_NCOLS 10
#define ENROL_INTO "enrolment(campaign_id, person_id, status, categories, updated_at)"
#define ENROL_NCOLS 5

/* Marks a row of a chunk whose outcome is not known yet. */
#define PENDING 0xff

/* Prepare "INSERT OR IGNORE INTO 'into' VALUES (?, ...), ..." for 'rows' rows of
 * 'ncols' values. Only placeholders are generated: every value is bound. */
static int prepare_insert(store_t *st, const char *into, int ncols, int rows,
                          sqlite3_stmt **out)
{
    size_t cap = strlen(into) + 40 + (size_t)rows * ((size_t)ncols * 2 + 3), n;
    char *sql = xmalloc(cap);
    int rc;

    n = (size_t)snprintf(sql, cap, "INSERT OR IGNORE INTO %s VALUES ", into);
    for (int r = 0; r < rows; r++) {
        sql[n++] = r ? ',' : ' ';
        sql[n++] = '(';
        for (int c = 0; c < ncols; c++) {
            sql[n++] = c ? ',' : '?';
            if (c)
                sql[n++] = '?';
        }
        sql[n++] = ')';
    }
    sql[n] = '\0';
    rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    free(sql);
    return rc == SQLITE_OK ? CB_OK : store__fail(st, rc);
}

/* The statements in st->put: one row and STORE__PUT_ROWS rows of person and of
 * enrolment, and 1, 2, 4, ... STORE__PUT_ROWS rows of household (a chunk's new
 * households are written in pieces of those sizes). */
enum { PUT_PERSON_1, PUT_PERSON_N, PUT_ENROL_1, PUT_ENROL_N, PUT_HOUSEHOLD_1 };
#define HOUSEHOLD_INTO "household(id, code)"

_Static_assert(PUT_HOUSEHOLD_1 + 7 == STORE__PUT_STMTS && 1 << 6 == STORE__PUT_ROWS,
               "household pieces of 1 to STORE__PUT_ROWS rows");

static int prepare_all(store_t *st)
{
    int rc = CB_OK;

    for (int i = 0; i < STORE__PUT_STMTS && rc == CB_OK; i++) {
        const char *into = HOUSEHOLD_INTO;
        int ncols = 2, rows;
        if (st->put[i] != NULL)
            continue;
        if (i < PUT_HOUSEHOLD_1) {
            into = i < PUT_ENROL_1 ? PERSON_INTO : ENROL_INTO;
            ncols = i < PUT_ENROL_1 ? PERSON_NCOLS : ENROL_NCOLS;
            rows = i == PUT_PERSON_N || i == PUT_ENROL_N ? STORE__PUT_ROWS : 1;
        } else {
            rows = 1 << (i - PUT_HOUSEHOLD_1);
        }
        rc = prepare_insert(st, into, ncols, rows, &st->put[i]);
    }
    return rc;
}

/* The largest id stored by statement 'which' (0 when none). */
static int max_id(store_t *st, enum store_stmt which, int64_t *max)
{
    sqlite3_stmt *s = st->stmt[which];
    int rc = sqlite3_step(s);

    *max = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    store__done(s);
    return rc == SQLITE_ROW ? CB_OK : store__fail(st, rc);
}

/* Step a multi-row insert: the number of rows written, or a negative CB_E*. */
static long step_insert(store_t *st, sqlite3_stmt *s)
{
    int rc = store__exec(st, s);
    return rc < 0 ? rc : (long)sqlite3_changes(st->db);
}

/* Create the households codes[0..k) with ids *next_id on, in pieces of 1, 2, 4,
 * ... rows; ids[i] is each one's id. A piece that skipped a code (stored already,
 * or twice in the chunk) has its codes looked up. */
static int create_households(store_t *st, const char *const *codes, size_t k, int64_t *next_id,
                             int64_t *ids)
{
    size_t at = 0;

    for (int piece = 6; piece >= 0; piece--) {
        size_t n = (size_t)1 << piece;
        sqlite3_stmt *s = st->put[PUT_HOUSEHOLD_1 + piece];
        long written;
        if (!(k & n))
            continue;
        for (size_t j = 0; j < n; j++) {
            ids[at + j] = (*next_id)++;
            sqlite3_bind_int64(s, (int)j * 2 + 1, ids[at + j]);
            store__bind_text(s, (int)j * 2 + 2, codes[at + j], -1);
        }
        written = step_insert(st, s);
        if (written < 0)
            return (int)written;
        for (size_t j = 0; written != (long)n && j < n; j++) {
            int rc;
            s = st->stmt[ST_HOUSEHOLD_FIND];
            store__bind_text(s, 1, codes[at + j], -1);
            rc = sqlite3_step(s);
            ids[at + j] = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
            store__done(s);
            if (rc != SQLITE_ROW)
                return store__fail(st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc);
        }
        at += n;
    }
    return CB_OK;
}

/* hh[j] := the household id of p[idx[j]] (0 without one), creating the missing
 * households. A household's members come one after another in a roster, so a row
 * usually shares its predecessor's household, or the one last looked up. */
static int household_ids(store_t *st, const store_person_t *p, const size_t *idx, size_t m,
                         int64_t *hh)
{
    const char *codes[STORE__PUT_ROWS], *prev = NULL;
    size_t at[STORE__PUT_ROWS], k = 0;
    int64_t ids[STORE__PUT_ROWS] = {0}, next_id;
    int rc;

    for (size_t j = 0; j < m; j++) {
        const char *code = p[idx[j]].household;
        hh[j] = 0;
        if (code == NULL) {
            prev = NULL;
            continue;
        }
        if (prev != NULL && strcmp(code, prev) == 0)
            hh[j] = -1; /* as the row before */
        else if (st->hh_code != NULL && strcmp(code, st->hh_code) == 0)
            hh[j] = st->hh_id;
        else {
            codes[k] = code;
            at[k++] = j;
        }
        prev = code;
    }
    if (k > 0) {
        rc = max_id(st, ST_HOUSEHOLD_MAX_ID, &next_id);
        next_id++;
        if (rc == CB_OK)
            rc = create_households(st, codes, k, &next_id, ids);
        if (rc < 0)
            return rc;
        for (size_t i = 0; i < k; i++)
            hh[at[i]] = ids[i];
    }
    for (size_t j = 0; j < m; j++) {
        if (j > 0 && hh[j] == -1)
            hh[j] = hh[j - 1];
    }
    /* The last household seen goes on to the next chunk. */
    for (size_t j = m; j-- > 0;) {
        if (hh[j] > 0) {
            if (st->hh_code == NULL || strcmp(st->hh_code, p[idx[j]].household) != 0) {
                free(st->hh_code);
                st->hh_code = xstrdup(p[idx[j]].household);
            }
            st->hh_id = hh[j];
            break;
        }
    }
    return CB_OK;
}

/* Write the person rows of p[idx[0..m)] with ids base..base+m-1 (INSERT OR IGNORE: a
 * row whose key is stored is skipped); the number written, or a negative CB_E*. */
static long insert_persons(store_t *st, const store_person_t *p, const size_t *idx, size_t m,
                           int64_t base, int64_t now)
{
    int64_t hh[STORE__PUT_ROWS];
    sqlite3_stmt *s = st->put[m == STORE__PUT_ROWS ? PUT_PERSON_N : PUT_PERSON_1];
    long written = 0, n;
    int rc = household_ids(st, p, idx, m, hh);

    for (size_t j = 0; j < m && rc == CB_OK; j++) {
        const store_person_t *q = &p[idx[j]];
        int at = m == STORE__PUT_ROWS ? (int)j * PERSON_NCOLS : 0;
        sqlite3_bind_int64(s, at + 1, base + (int64_t)j);
        sqlite3_bind_int64(s, at + 2, q->key);
        store__bind_text(s, at + 3, q->id_number, -1);
        store__bind_text(s, at + 4, q->name, -1);
        store__bind_text(s, at + 5, q->phone, -1);
        if (hh[j] > 0)
            sqlite3_bind_int64(s, at + 6, hh[j]);
        store__bind_text(s, at + 7, q->relation, -1);
        sqlite3_bind_int64(s, at + 8, q->area_id);
        store__bind_text(s, at + 9, q->birth_date, -1);
        sqlite3_bind_int64(s, at + 10, now);
        if (m != STORE__PUT_ROWS) {
            n = step_insert(st, s);
            rc = n < 0 ? (int)n : CB_OK;
            written += n > 0 ? n : 0;
        }
    }
    if (rc == CB_OK && m == STORE__PUT_ROWS) {
        n = step_insert(st, s);
        rc = n < 0 ? (int)n : CB_OK;
        written = n;
    }
    return rc < 0 ? rc : written;
}

/* Mark outcome[idx[j]] STORE_INSERTED for each row insert_persons wrote: all of them
 * when 'written' is m, else each looked up by its key. */
static int mark_written(store_t *st, const store_person_t *p, const size_t *idx, size_t m,
                        int64_t base, long written, unsigned char *outcome)
{
    for (size_t j = 0; j < m; j++) {
        int64_t id = base + (int64_t)j;
        if (written != (long)m) {
            sqlite3_stmt *f = st->stmt[ST_PERSON_ID];
            int rc;
            sqlite3_bind_int64(f, 1, p[idx[j]].key);
            rc = sqlite3_step(f);
            id = rc == SQLITE_ROW ? sqlite3_column_int64(f, 0) : 0;
            store__done(f);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return store__fail(st, rc);
            if (id == 0) {
                snprintf(st->errmsg, sizeof st->errmsg,
                         "a person row was refused by a constraint of the person table");
                return CB_ESTATE;
            }
        }
        if (id == base + (int64_t)j)
            outcome[idx[j]] = STORE_INSERTED;
    }
    return CB_OK;
}

/* The enrolments of the rows marked inserted, in the same order: one statement when
 * all were written. */
static int insert_enrolments(store_t *st, int64_t campaign, const store_person_t *p,
                             const size_t *idx, size_t m, int64_t base, int64_t now,
                             const unsigned char *outcome)
{
    size_t inserted = 0;
    sqlite3_stmt *s;
    long written = 0, n;

    for (size_t j = 0; j < m; j++)
        inserted += outcome[idx[j]] == STORE_INSERTED;
    s = st->put[inserted == STORE__PUT_ROWS ? PUT_ENROL_N : PUT_ENROL_1];
    for (size_t j = 0, r = 0; j < m; j++) {
        const store_person_t *q = &p[idx[j]];
        int at;
        if (outcome[idx[j]] != STORE_INSERTED)
            continue;
        at = inserted == STORE__PUT_ROWS ? (int)r++ * ENROL_NCOLS : 0;
        sqlite3_bind_int64(s, at + 1, campaign);
        sqlite3_bind_int64(s, at + 2, base + (int64_t)j);
        store__bind_text(s, at + 3, q->status ? q->status : "unpaid", -1);
        store__bind_text(s, at + 4, q->categories ? q->categories : "", -1);
        sqlite3_bind_int64(s, at + 5, now);
        if (inserted != STORE__PUT_ROWS) {
            n = step_insert(st, s);
            if (n < 0)
                return (int)n;
            written += n;
        }
    }
    if (inserted == STORE__PUT_ROWS) {
        n = step_insert(st, s);
        if (n < 0)
            return (int)n;
        written = n;
    }
    if (written != (long)inserted) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "an enrolment row was refused by a constraint of the enrolment table");
        return CB_ESTATE;
    }
    return CB_OK;
}

/* Insert p[idx[0..m)] as new people with ids *next_id on (advanced past them).
 * outcome[idx[j]] becomes STORE_INSERTED for each row written; a row skipped
 * because its key is stored keeps PENDING. */
static int insert_new(store_t *st, int64_t campaign, const store_person_t *p,
                      const size_t *idx, size_t m, int64_t now, int64_t *next_id,
                      unsigned char *outcome)
{
    int64_t base = *next_id;
    long written;
    int rc;

    *next_id += (int64_t)m;
    written = insert_persons(st, p, idx, m, base, now);
    if (written < 0)
        return (int)written;
    rc = mark_written(st, p, idx, m, base, written, outcome);
    if (rc < 0)
        return rc;
    return insert_enrolments(st, campaign, p, idx, m, base, now, outcome);
}

/* Up to STORE__PUT_ROWS persons. */
static int put_chunk(store_t *st, int64_t campaign, const store_person_t *p, size_t k,
                     const char *source, int64_t now, int64_t *next_id, unsigned char *outcome)
{
    size_t idx[STORE__PUT_ROWS], m = 0, stored = 0;
    int rc;

    /* After a chunk of mostly stored people (a re-import) look each one up first:
     * trying to insert them would only be wasted work. */
    for (size_t i = 0; i < k; i++) {
        outcome[i] = PENDING;
        if (st->put_find_first) {
            rc = store__person_update(st, campaign, &p[i], source, now);
            if (rc >= 0) {
                outcome[i] = (unsigned char)rc;
                stored++;
                continue;
            }
            if (rc != CB_ENOTFOUND)
                return rc;
        }
        idx[m++] = i;
    }
    if (m > 0) {
        rc = insert_new(st, campaign, p, idx, m, now, next_id, outcome);
        if (rc < 0)
            return rc;
    }
    /* Rows the insert skipped: stored already. */
    for (size_t j = 0; j < m; j++) {
        if (outcome[idx[j]] != PENDING)
            continue;
        rc = store__person_update(st, campaign, &p[idx[j]], source, now);
        if (rc == CB_ENOTFOUND)
            rc = store__fail(st, SQLITE_CORRUPT);
        if (rc < 0)
            return rc;
        outcome[idx[j]] = (unsigned char)rc;
        stored++;
    }
    st->put_find_first = stored * 2 > k;
    return CB_OK;
}

int store_persons_put(store_t *st, int64_t campaign, const store_person_t *p, size_t n,
                      const char *source, int64_t now, unsigned char *outcome)
{
    int64_t next_id = 0;
    int rc = prepare_all(st);

    if (rc == CB_OK)
        rc = max_id(st, ST_PERSON_MAX_ID, &next_id);
    next_id++;
    for (size_t at = 0; at < n && rc == CB_OK; at += STORE__PUT_ROWS) {
        size_t k = n - at < STORE__PUT_ROWS ? n - at : STORE__PUT_ROWS;
        rc = put_chunk(st, campaign, p + at, k, source, now, &next_id, outcome + at);
    }
    return rc;
}
