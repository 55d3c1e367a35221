/* SPDX-License-Identifier: MIT */
/* store_worker.c - grid workers, their scopes, visits and to-do list positions. */
#include "store/store_worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_claim.h"
#include "store/store_internal.h"
#include "store/store_waiver.h"

/* Prepare 'sql', bind 'n' integers, step once: 1 with *out the first column of a
 * row, 0 when there is none, or a store failure. */
static int one_int(store_t *st, const char *sql, const int64_t *args, int n, int64_t *out)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(s, i + 1, args[i]);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (out != NULL)
            *out = sqlite3_column_int64(s, 0);
        rc = 1;
    } else {
        rc = rc == SQLITE_DONE ? 0 : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

/* Run 's' to its end and release it. */
static int run_once(store_t *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);

    rc = rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
    store__done(s);
    return rc;
}

void store_worker_free(store_worker_t *w)
{
    if (w == NULL)
        return;
    free(w->code);
    free(w->name);
    free(w->phone);
    free(w->route);
    free(w->wecom_userid);
    free(w->dingtalk_userid);
    memset(w, 0, sizeof *w);
}

/* A worker row's strings, borrowed from the statement until it steps. */
typedef struct worker_view {
    int64_t id;
    const char *code, *name, *phone, *route, *wecom, *dingtalk;
} worker_view_t;

static void worker_from_row(sqlite3_stmt *s, worker_view_t *w)
{
    w->id = sqlite3_column_int64(s, 0);
    w->code = store__col(s, 1);
    w->name = store__col(s, 2);
    w->phone = store__col(s, 3);
    w->route = store__col(s, 4);
    w->wecom = store__col(s, 5);
    w->dingtalk = store__col(s, 6);
}

/* Copy a row into an owned worker. */
static void worker_copy(const worker_view_t *v, store_worker_t *w)
{
    w->id = v->id;
    w->code = xstrdup(v->code);
    w->name = xstrdup(v->name);
    w->phone = xstrdup(v->phone);
    w->route = xstrdup(v->route);
    w->wecom_userid = xstrdup(v->wecom);
    w->dingtalk_userid = xstrdup(v->dingtalk);
}

#define WORKER_COLS                                                                      \
    "SELECT id, code, name, ifnull(phone, ''), ifnull(route, ''), ifnull(wecom_userid, ''),"  \
    " ifnull(dingtalk_userid, '') FROM worker "

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* 1 when the stored worker already says what 'in' says. */
static int worker_same(const store_worker_t *old, const store_worker_in_t *in)
{
    return strcmp(old->name, in->name) == 0 && strcmp(old->phone, or_empty(in->phone)) == 0 &&
           strcmp(old->route, or_empty(in->route)) == 0 &&
           strcmp(old->wecom_userid, or_empty(in->wecom_userid)) == 0 &&
           strcmp(old->dingtalk_userid, or_empty(in->dingtalk_userid)) == 0;
}

int store_worker_put(store_t *st, const store_worker_in_t *in, int64_t now, int64_t *id)
{
    store_worker_t old = {0};
    sqlite3_stmt *s;
    int rc = store_worker_get(st, in->code, &old), same, existed = rc == CB_OK;

    *id = 0;
    if (rc == CB_OK) {
        *id = old.id;
        same = worker_same(&old, in);
        store_worker_free(&old);
        if (same)
            return STORE_UNCHANGED;
        rc = store__prepare(st, "UPDATE worker SET name = ?2, phone = nullif(?3, ''),"
                                " route = nullif(?4, ''), updated_at = ?5,"
                                " wecom_userid = nullif(?6, ''), dingtalk_userid = nullif(?7, '')"
                                " WHERE id = ?1", &s);
        if (rc < 0)
            return rc;
        sqlite3_bind_int64(s, 1, *id);
    } else if (rc == CB_ENOTFOUND) {
        rc = store__prepare(st, "INSERT INTO worker(code, name, phone, route, updated_at,"
                                " wecom_userid, dingtalk_userid) VALUES (?1, ?2, nullif(?3, ''),"
                                " nullif(?4, ''), ?5, nullif(?6, ''), nullif(?7, ''))", &s);
        if (rc < 0)
            return rc;
        store__bind_text(s, 1, in->code, -1);
    } else {
        return rc;
    }
    store__bind_text(s, 2, in->name, -1);
    store__bind_text(s, 3, or_empty(in->phone), -1);
    store__bind_text(s, 4, or_empty(in->route), -1);
    sqlite3_bind_int64(s, 5, now);
    store__bind_text(s, 6, or_empty(in->wecom_userid), -1);
    store__bind_text(s, 7, or_empty(in->dingtalk_userid), -1);
    rc = run_once(st, s);
    if (rc < 0)
        return rc;
    if (existed)
        return STORE_UPDATED;
    *id = sqlite3_last_insert_rowid(st->db);
    return STORE_INSERTED;
}

int store_worker_scopes_clear(store_t *st, int64_t id)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "DELETE FROM worker_scope WHERE worker_id = ?1", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    return run_once(st, s);
}

int store_worker_scope_add(store_t *st, int64_t id, int64_t area_id, int64_t household_id)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "INSERT OR IGNORE INTO worker_scope(worker_id, area_id,"
                                " household_id) VALUES (?1, nullif(?2, 0), nullif(?3, 0))", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, area_id);
    sqlite3_bind_int64(s, 3, area_id != 0 ? 0 : household_id);
    rc = run_once(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) > 0;
}

/* The first worker row of 'sql' with the text parameter 'key', copied to *out. */
static int worker_one(store_t *st, const char *sql, const char *key, store_worker_t *out)
{
    sqlite3_stmt *s;
    worker_view_t v;
    int rc = store__prepare(st, sql, &s);

    memset(out, 0, sizeof *out);
    if (rc < 0)
        return rc;
    store__bind_text(s, 1, key, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        worker_from_row(s, &v);
        worker_copy(&v, out);
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

int store_worker_get(store_t *st, const char *code, store_worker_t *out)
{
    return worker_one(st, WORKER_COLS "WHERE code = ?1", code, out);
}

int store_worker_by_phone(store_t *st, const char *phone, store_worker_t *out)
{
    return worker_one(st, WORKER_COLS "WHERE phone = ?1 ORDER BY code LIMIT 1", phone, out);
}

typedef struct each_ud {
    int (*fn)(void *ud, const store_worker_t *w);
    void *ud;
} each_ud_t;

static int worker_row(void *ud, sqlite3_stmt *s)
{
    const each_ud_t *e = ud;
    worker_view_t v;
    store_worker_t w;
    int rc;

    worker_from_row(s, &v);
    worker_copy(&v, &w);
    rc = e->fn(e->ud, &w);
    store_worker_free(&w);
    return rc;
}

int store_workers_each(store_t *st, int (*fn)(void *ud, const store_worker_t *w), void *ud)
{
    each_ud_t e = {fn, ud};
    sqlite3_stmt *s;
    int rc = store__prepare(st, WORKER_COLS "ORDER BY code", &s);

    if (rc < 0)
        return rc;
    rc = store__each(st, s, worker_row, &e);
    store__done(s);
    return rc;
}

typedef struct village_ud {
    int (*fn)(void *ud, int64_t area_id);
    void *ud;
} village_ud_t;

static int village_row(void *ud, sqlite3_stmt *s)
{
    const village_ud_t *v = ud;

    return v->fn(v->ud, sqlite3_column_int64(s, 0));
}

int store_worker_villages(store_t *st, int64_t id, int (*fn)(void *ud, int64_t area_id),
                          void *ud)
{
    static const char sql[] = "SELECT a.id FROM worker_scope s JOIN area a ON a.id = s.area_id"
                              " WHERE s.worker_id = ?1 AND a.level = 2 ORDER BY a.id";
    village_ud_t v = {.fn = fn, .ud = ud};
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = store__each(st, s, village_row, &v);
    store__done(s);
    return rc;
}

int store_worker_owns(store_t *st, int64_t id, int64_t household_id)
{
    const int64_t args[2] = {household_id, id};

    return one_int(st, "SELECT 1 FROM person p JOIN area a ON a.id = p.area_id"
                       " WHERE p.household_id = ?1 AND " STORE__OWNS("?2") " LIMIT 1",
                   args, 2, NULL);
}

int store_household_find(store_t *st, const char *code, size_t len, int64_t *id)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT id FROM household WHERE code = ?1", &s);

    if (rc < 0)
        return rc;
    store__bind_text(s, 1, code, (int)len);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

int store_household_code(store_t *st, int64_t id, char *code, size_t len)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT code FROM household WHERE id = ?1", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(code, len, "%s", store__col(s, 0));
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

int store_household_in_area(store_t *st, int64_t household_id, int64_t area_id)
{
    const int64_t args[2] = {household_id, area_id};

    return one_int(st, "SELECT 1 FROM person p JOIN area a ON a.id = p.area_id"
                       " WHERE p.household_id = ?1 AND (a.id = ?2 OR a.parent_id = ?2) LIMIT 1",
                   args, 2, NULL);
}

static const char *const outcome_names[VISIT__COUNT] = {
    "paid", "promised", "waived", "away", "refused", "deceased", "insured_elsewhere"};

const char *visit_outcome_name(visit_outcome_t o)
{
    return (unsigned)o < VISIT__COUNT ? outcome_names[o] : NULL;
}

/* The claim kind a visit outcome opens, or NULL (a waiver, or nothing). */
static const char *claim_kind(visit_outcome_t outcome)
{
    switch (outcome) {
    case VISIT_PAID: return "paid";
    case VISIT_DECEASED: return "deceased";
    case VISIT_INSURED_ELSEWHERE: return "other_place";
    default: return NULL;
    }
}

/* The household's unpaid members into ids[64]; with 'note' set, only those whose name
 * the note contains when it contains any. The count, or negative. */
static int unpaid_members(store_t *st, int64_t campaign, int64_t household_id,
                          const char *note, int64_t ids[64])
{
    sqlite3_stmt *s;
    int n = 0, rc = store__prepare(st, "SELECT p.id FROM person p JOIN enrolment e"
                                       " ON e.person_id = p.id AND e.campaign_id = ?2"
                                       " WHERE p.household_id = ?1 AND e.status = 'unpaid'"
                                       " AND (?3 = '' OR NOT EXISTS (SELECT 1 FROM person q"
                                       " JOIN enrolment f ON f.person_id = q.id"
                                       " AND f.campaign_id = ?2 WHERE q.household_id = ?1"
                                       " AND f.status = 'unpaid' AND q.name <> ''"
                                       " AND instr(?3, q.name) > 0) OR instr(?3, p.name) > 0)"
                                       " ORDER BY p.id LIMIT 64", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, household_id);
    sqlite3_bind_int64(s, 2, campaign);
    store__bind_text(s, 3, note ? note : "", -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(s, 0);
    rc = rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
    store__done(s);
    return rc < 0 ? rc : n;
}

/* A claim or a waiver for every unpaid member of the household (a death or insurance
 * elsewhere: the members the note names, when it names any). */
static int follow_up(store_t *st, int64_t campaign, int64_t household_id,
                     visit_outcome_t outcome, const char *note, int64_t now, int *members)
{
    const char *kind = claim_kind(outcome), *text = note && *note ? note : "走访登记";
    int named = outcome == VISIT_DECEASED || outcome == VISIT_INSURED_ELSEWHERE;
    int64_t ids[64];
    int n = unpaid_members(st, campaign, household_id, named ? note : NULL, ids), rc = n;

    for (int i = 0; rc >= 0 && i < n; i++) {
        if (kind != NULL)
            rc = store_claim_add(st, campaign, ids[i], kind, NULL, text, now);
        else
            rc = store_waiver_request(st, campaign, ids[i], 4, text, now);
    }
    if (members != NULL)
        *members = n;
    return rc < 0 ? rc : CB_OK;
}

int store_visit_add(store_t *st, int64_t campaign, int64_t household_id, int64_t worker_id,
                    visit_outcome_t outcome, const char *note, const char *day, int64_t now,
                    int *members)
{
    sqlite3_stmt *s;
    int rc;

    if (visit_outcome_name(outcome) == NULL)
        return CB_EINVAL;
    if (members != NULL)
        *members = 0;
    rc = store__prepare(st, "INSERT INTO visit(campaign_id, household_id, worker_id, outcome,"
                            " note, day, at) VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), ?6, ?7)", &s);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    sqlite3_bind_int64(s, 2, household_id);
    sqlite3_bind_int64(s, 3, worker_id);
    store__bind_text(s, 4, visit_outcome_name(outcome), -1);
    store__bind_text(s, 5, note, -1);
    store__bind_text(s, 6, day, -1);
    sqlite3_bind_int64(s, 7, now);
    rc = run_once(st, s);
    if (rc >= 0 && (claim_kind(outcome) != NULL || outcome == VISIT_WAIVED))
        rc = follow_up(st, campaign, household_id, outcome, note, now, members);
    if (rc >= 0 && outcome != VISIT_AWAY) {
        /* The worker talked to the household: its replies the bot did not
         * understand are answered. */
        rc = store__prepare(st, "UPDATE handoff SET resolved_at = ?2, resolved_by ="
                                " (SELECT 'visit:' || code FROM worker WHERE id = ?3)"
                                " WHERE resolved_at IS NULL AND person_id IN"
                                " (SELECT id FROM person WHERE household_id = ?1)", &s);
        if (rc >= 0) {
            sqlite3_bind_int64(s, 1, household_id);
            sqlite3_bind_int64(s, 2, now);
            sqlite3_bind_int64(s, 3, worker_id);
            rc = run_once(st, s);
        }
    }
    return rc;
}

int store_todo_item_put(store_t *st, int64_t worker_id, const char *day, int pos,
                        int64_t household_id)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "INSERT OR IGNORE INTO todo_item(worker_id, day, pos,"
                                " household_id) VALUES (?1, ?2, ?3, ?4)", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, worker_id);
    store__bind_text(s, 2, day, -1);
    sqlite3_bind_int(s, 3, pos);
    sqlite3_bind_int64(s, 4, household_id);
    rc = run_once(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) > 0;
}

int store_todo_item_get(store_t *st, int64_t worker_id, const char *day, int pos,
                        int64_t *household_id, char *list_day)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT household_id, day FROM todo_item WHERE worker_id = ?1"
                                " AND pos = ?3 AND day = (SELECT max(day) FROM todo_item"
                                " WHERE worker_id = ?1 AND day <= ?2)", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, worker_id);
    store__bind_text(s, 2, day, -1);
    sqlite3_bind_int(s, 3, pos);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *household_id = sqlite3_column_int64(s, 0);
        if (list_day != NULL)
            snprintf(list_day, 11, "%s", store__col(s, 1));
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}
