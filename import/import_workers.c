/* SPDX-License-Identifier: MIT */
/*
 * import_workers.c - grid workers and the areas they answer for, one row per scope:
 * a row with a village only is the village (包村), with a group the group (包组),
 * with a household code that household (包户). A worker may have many rows.
 *
 * Re-importing replaces a worker's scopes: the scopes of every worker the file
 * names become exactly the file's accepted rows for them (removed at the end, in
 * one transaction, once the whole file has been read). Workers the file does not
 * name keep theirs. A row is "imported" when it adds a new worker or a scope to a
 * worker new in this file, "updated" when it changes a worker's name, phone, route
 * or WeCom / DingTalk userid or adds a scope, "unchanged" otherwise. The userids
 * and route are identifiers (core/ident.h); the route may name any channel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_kinds.h"
#include "core/err.h"
#include "core/ident.h"
#include "core/mem.h"
#include "core/phone.h"
#include "store/store_roster.h"
#include "store/store_worker.h"

enum {
    W_CODE, W_NAME, W_PHONE, W_TOWNSHIP, W_VILLAGE, W_GROUP, W_HOUSEHOLD, W_ROUTE, W_WECOM,
    W_DINGTALK, W_N
};

static const import_col_t worker_cols[W_N] = {
    [W_CODE] = {"code", NAMES("工号", "编号", "网格员编号", "code", "worker", "worker_code"), 1,
                32},
    [W_NAME] = {"name", NAMES("姓名", "name"), 1, 30},
    [W_PHONE] = {"phone", NAMES("手机", "手机号", "电话", "联系电话", "phone"), 0, 20},
    [W_TOWNSHIP] = {"township", NAMES("乡镇", "镇", "township"), 1, 30},
    [W_VILLAGE] = {"village", NAMES("村/社区", "村", "社区", "village"), 1, 30},
    [W_GROUP] = {"group", NAMES("组", "村民小组", "group"), 0, 30},
    [W_HOUSEHOLD] = {"household", NAMES("户号", "household", "household_id"), 0, 40},
    [W_ROUTE] = {"route", NAMES("渠道", "route"), 0, 32},
    [W_WECOM] = {"wecom_userid", NAMES("企业微信账号", "企业微信", "wecom_userid"), 0, 64},
    [W_DINGTALK] = {"dingtalk_userid", NAMES("钉钉账号", "钉钉", "dingtalk_userid"), 0, 64},
};

typedef struct scope {
    int64_t area, household;
} scope_t;

/* A worker the file names, and the scopes its accepted rows give it. */
typedef struct seen {
    int64_t id;
    int created;
    scope_t *scopes;
    size_t n, cap;
} seen_t;

typedef struct workers {
    const import_env_t *env;
    seen_t *seen;
    size_t n, cap;
} workers_t;

static seen_t *seen_get(workers_t *w, int64_t id, int created)
{
    for (size_t i = 0; i < w->n; i++) {
        if (w->seen[i].id == id)
            return &w->seen[i];
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->seen = xrealloc(w->seen, w->cap * sizeof *w->seen);
    }
    w->seen[w->n] = (seen_t){.id = id, .created = created};
    return &w->seen[w->n++];
}

static void seen_add(seen_t *s, scope_t sc)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->scopes = xrealloc(s->scopes, s->cap * sizeof *s->scopes);
    }
    s->scopes[s->n++] = sc;
}

/* Reject naming the unknown area. */
static int unknown(import_reject_t *rej, int col, const char *what, const char *name)
{
    char why[200];

    snprintf(why, sizeof why, "unknown %s '%s'", what, name);
    return import_reject(rej, col, why);
}

/* The row's scope, or a rejection naming what is wrong. */
static int row_scope(const import_env_t *env, const import_fields_t *f, scope_t *sc,
                     import_reject_t *rej)
{
    int64_t town = 0, village = 0, group = 0, hh = 0;
    int rc;

    rc = store_area_get(env->st, 0, AREA_TOWNSHIP, f->v[W_TOWNSHIP], f->len[W_TOWNSHIP], 0, &town);
    if (rc == CB_ENOTFOUND)
        return unknown(rej, W_TOWNSHIP, "township", f->v[W_TOWNSHIP]);
    if (rc >= 0)
        rc = store_area_get(env->st, town, AREA_VILLAGE, f->v[W_VILLAGE], f->len[W_VILLAGE], 0,
                            &village);
    if (rc == CB_ENOTFOUND)
        return unknown(rej, W_VILLAGE, "village", f->v[W_VILLAGE]);
    if (rc >= 0 && f->len[W_GROUP] > 0)
        rc = store_area_get(env->st, village, AREA_GROUP, f->v[W_GROUP], f->len[W_GROUP], 0,
                            &group);
    if (rc == CB_ENOTFOUND)
        return unknown(rej, W_GROUP, "group", f->v[W_GROUP]);
    if (rc >= 0 && f->len[W_HOUSEHOLD] > 0) {
        rc = store_household_find(env->st, f->v[W_HOUSEHOLD], f->len[W_HOUSEHOLD], &hh);
        if (rc == CB_ENOTFOUND)
            return unknown(rej, W_HOUSEHOLD, "household", f->v[W_HOUSEHOLD]);
        if (rc >= 0)
            rc = store_household_in_area(env->st, hh, group ? group : village);
        if (rc == 0) {
            char why[200];
            snprintf(why, sizeof why, "household '%s' is not in %s", f->v[W_HOUSEHOLD],
                     group ? f->v[W_GROUP] : f->v[W_VILLAGE]);
            return import_reject(rej, W_HOUSEHOLD, why);
        }
    }
    if (rc < 0)
        return rc;
    *sc = hh ? (scope_t){0, hh} : (scope_t){group ? group : village, 0};
    return IMPORT_PENDING;
}

static int worker_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    workers_t *w = ud;
    const import_env_t *env = w->env;
    const char *route = f->v[W_ROUTE];
    char phone[PHONE_LEN + 1] = "", why[160];
    scope_t sc = {0, 0};
    seen_t *s;
    int64_t id;
    int rc, put;

    if (f->len[W_CODE] == 0)
        return import_reject(rej, W_CODE, "missing");
    if (f->len[W_NAME] == 0)
        return import_reject(rej, W_NAME, "missing");
    if (f->len[W_PHONE] > 0 &&
        phone_normalise(f->v[W_PHONE], f->len[W_PHONE], phone, why, sizeof why) < 0)
        return import_reject(rej, W_PHONE, why);
    if (*route != '\0' && ident_check(route, f->len[W_ROUTE], 32, why, sizeof why) < 0)
        return import_reject(rej, W_ROUTE, "must be sms, robot or a channel's name (or empty)");
    for (int c = W_WECOM; c <= W_DINGTALK; c++) {
        if (f->len[c] > 0 && ident_check(f->v[c], f->len[c], 64, why, sizeof why) < 0)
            return import_reject(rej, c, why);
    }
    if (f->len[W_TOWNSHIP] == 0 || f->len[W_VILLAGE] == 0)
        return import_reject(rej, f->len[W_TOWNSHIP] ? W_VILLAGE : W_TOWNSHIP, "missing");
    rc = row_scope(env, f, &sc, rej);
    if (rc != IMPORT_PENDING)
        return rc;
    store_worker_in_t in = {.code = f->v[W_CODE], .name = f->v[W_NAME], .phone = phone,
                            .route = route, .wecom_userid = f->v[W_WECOM],
                            .dingtalk_userid = f->v[W_DINGTALK]};
    put = store_worker_put(env->st, &in, env->now, &id);
    if (put < 0)
        return put;
    s = seen_get(w, id, put == STORE_INSERTED);
    seen_add(s, sc);
    rc = store_worker_scope_add(env->st, id, sc.area, sc.household);
    if (rc < 0)
        return rc;
    if (s->created && (put == STORE_INSERTED || rc == 1))
        return IMPORT_INSERTED;
    return put == STORE_UPDATED || rc == 1 ? IMPORT_UPDATED : IMPORT_UNCHANGED;
}

/* Every worker the file named keeps exactly the scopes of its accepted rows. */
static int replace_scopes(const workers_t *w)
{
    store_t *st = w->env->st;
    int rc = store_begin(st);

    for (size_t i = 0; rc >= 0 && i < w->n; i++) {
        const seen_t *s = &w->seen[i];
        rc = store_worker_scopes_clear(st, s->id);
        for (size_t k = 0; rc >= 0 && k < s->n; k++)
            rc = store_worker_scope_add(st, s->id, s->scopes[k].area, s->scopes[k].household);
    }
    if (rc >= 0)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

int import_workers_run(const import_env_t *env, const char *path, const char *report, int tty,
                       import_summary_t *sum, char *err, size_t errlen)
{
    workers_t w = {.env = env};
    import_kind_t kind = {.what = "workers", .cols = worker_cols, .ncols = W_N,
                          .row = worker_row, .ud = &w};
    int rc = import_run(env->st, &kind, path, report, tty, sum, err, errlen);

    if (rc >= 0) {
        rc = replace_scopes(&w);
        if (rc < 0)
            snprintf(err, errlen, "replacing the workers' scopes: %s: %s", cb_strerror(rc),
                     store_errmsg(env->st));
    }
    for (size_t i = 0; i < w.n; i++)
        free(w.seen[i].scopes);
    free(w.seen);
    return rc;
}
