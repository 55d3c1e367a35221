/* SPDX-License-Identifier: MIT */
/* import_roster.c - the roster import: one person a row. */
#include "app/import_roster.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/import_kinds.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/keyset.h"
#include "core/mask.h"
#include "core/mem.h"
#include "core/phone.h"
#include "core/status.h"
#include "core/strmap.h"
#include "store/store_roster.h"

enum { C_NAME, C_ID, C_PHONE, C_HOUSEHOLD, C_RELATION, C_TOWNSHIP, C_VILLAGE, C_GROUP,
       C_CATEGORY, C_BIRTH, C_STATUS, C_N };

static const import_col_t roster_cols[C_N] = {
    [C_NAME] = {"name", NAMES("姓名", "name"), 1, 30},
    [C_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [C_PHONE] = {"phone", NAMES("手机号", "手机号码", "联系电话", "电话", "phone", "mobile"), 0, 20},
    [C_HOUSEHOLD] = {"household", NAMES("户号", "household", "household_id"), 0, 32},
    [C_RELATION] = {"relation", NAMES("与户主关系", "关系", "relation"), 0, 10},
    [C_TOWNSHIP] = {"township", NAMES("乡镇", "乡镇(街道)", "乡镇（街道）", "镇", "township"), 1, 30},
    [C_VILLAGE] = {"village", NAMES("村/社区", "村（社区）", "村(社区)", "村", "社区", "village"), 1, 30},
    [C_GROUP] = {"group", NAMES("组", "村民小组", "group"), 0, 20},
    [C_CATEGORY] = {"category", NAMES("类别", "资助类别", "category", "categories"), 0, 60},
    [C_BIRTH] = {"birth_date", NAMES("出生日期", "birth_date", "birthday"), 0, 10},
    [C_STATUS] = {"status", NAMES("状态", "参保状态", "status"), 0, 20},
};

typedef struct roster {
    const import_env_t *env;
    keyset_t *seen;
    strmap_t *areas;
    char key[256];
} roster_t;

/* The id of an area path, created and cached on first sight. */
static int area_id(roster_t *r, const import_fields_t *f, int64_t *id)
{
    static const int cols[3] = {C_TOWNSHIP, C_VILLAGE, C_GROUP};
    size_t klen = 0;
    int64_t parent = 0;
    int rc;

    for (int lvl = 0; lvl < 3; lvl++) {
        size_t n = f->len[cols[lvl]];
        if (n == 0)
            break; /* no group: the person belongs to the village */
        if (klen + n + 1 > sizeof r->key)
            return CB_ETOOBIG;
        if (klen > 0)
            r->key[klen++] = '\x1f';
        memcpy(r->key + klen, f->v[cols[lvl]], n);
        klen += n;
        if (!strmap_get(r->areas, r->key, klen, id)) {
            rc = store_area_get(r->env->st, parent, lvl + 1, f->v[cols[lvl]], n, 1, id);
            if (rc < 0)
                return rc;
            strmap_put(r->areas, r->key, klen, *id);
        }
        parent = *id;
    }
    return CB_OK;
}

static int roster_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    roster_t *r = ud;
    const import_env_t *env = r->env;
    char id[IDCARD_LEN + 1], phone[PHONE_LEN + 1], why[160], cats[512], birth[11];
    store_person_t p = {0};
    uint64_t mask = 0;
    size_t first;
    int rc;

    if (idcard_check(f->v[C_ID], f->len[C_ID], env->today, id, why, sizeof why) != IDCARD_OK)
        return import_reject(rej, C_ID, f->len[C_ID] ? why : "missing");
    mask_id(id, rej->id_masked, sizeof rej->id_masked);
    p.key = idcard_key(id);
    first = keyset_add(r->seen, p.key, f->line);
    if (first != 0) {
        snprintf(why, sizeof why, "duplicate: the same ID number is on line %zu", first);
        return import_reject(rej, C_ID, why);
    }
    if (f->len[C_NAME] == 0)
        return import_reject(rej, C_NAME, "missing");
    if (f->len[C_PHONE] > 0) {
        if (phone_normalise(f->v[C_PHONE], f->len[C_PHONE], phone, why, sizeof why) < 0)
            return import_reject(rej, C_PHONE, why);
        p.phone = phone;
    }
    if (f->len[C_TOWNSHIP] == 0)
        return import_reject(rej, C_TOWNSHIP, "missing");
    if (f->len[C_VILLAGE] == 0)
        return import_reject(rej, C_VILLAGE, "missing");
    if (catset_parse(env->pol, f->v[C_CATEGORY], f->len[C_CATEGORY], &mask, why, sizeof why) < 0)
        return import_reject(rej, C_CATEGORY, why);
    catset_format(env->pol, mask, cats, sizeof cats);
    date_format(idcard_birth(id), birth);
    if (f->len[C_BIRTH] > 0) {
        cb_date_t d;
        if (date_parse(f->v[C_BIRTH], f->len[C_BIRTH], &d) < 0)
            return import_reject(rej, C_BIRTH, "not a date (YYYY-MM-DD)");
        if (d != idcard_birth(id)) {
            snprintf(why, sizeof why, "differs from the ID number's birth date %s", birth);
            return import_reject(rej, C_BIRTH, why);
        }
    }
    if (f->len[C_STATUS] > 0) {
        int s = status_parse_roster(f->v[C_STATUS], f->len[C_STATUS]);
        if (s < 0)
            return import_reject(rej, C_STATUS, "unknown status (use unpaid, paid, employee_insured, "
                                         "insured_elsewhere or deceased)");
        p.status = status_name((person_status_t)s);
    }
    rc = area_id(r, f, &p.area_id);
    if (rc < 0)
        return rc;
    p.id_number = id;
    p.name = f->v[C_NAME];
    p.household = f->len[C_HOUSEHOLD] ? f->v[C_HOUSEHOLD] : NULL;
    p.relation = f->len[C_RELATION] ? f->v[C_RELATION] : NULL;
    p.birth_date = birth;
    /* Without a category column the roster says nothing about categories: keep
     * what is stored (e.g. applied from a department's list). */
    p.categories = f->given[C_CATEGORY] ? cats : NULL;
    rc = store_person_upsert(env->st, env->campaign, &p, env->source, env->now);
    if (rc < 0)
        return rc;
    return rc == STORE_INSERTED ? IMPORT_INSERTED
           : rc == STORE_UPDATED ? IMPORT_UPDATED
                                 : IMPORT_UNCHANGED;
}

int import_roster_run(const import_env_t *env, const char *path, const char *report, int tty,
                      import_summary_t *sum, char *err, size_t errlen)
{
    struct stat sb;
    /* Rosters take about 100 bytes a row: sizing the set of seen ID numbers up front
     * spares the moment of growing, when old and new tables are both held. */
    size_t expected = stat(path, &sb) == 0 ? (size_t)sb.st_size / 90 : 0;
    roster_t r = {env, keyset_create(expected), strmap_create(), {0}};
    import_kind_t kind = {"roster", roster_cols, C_N, roster_row, &r};
    int rc;

    /* A bigger page cache keeps the person index in memory during a large import. */
    store_cache_mib(env->st, 16);
    rc = store_bulk_begin(env->st);
    if (rc < 0)
        snprintf(err, errlen, "%s", store_errmsg(env->st));
    else
        rc = import_run(env->st, &kind, path, report, tty, sum, err, errlen);
    /* The index sort takes as much memory as the page cache may: give it back first. */
    store_cache_mib(env->st, 2);
    if (store_bulk_end(env->st) < 0 && rc >= 0) {
        snprintf(err, errlen, "rebuilding the phone index: %s", store_errmsg(env->st));
        rc = CB_EIO;
    }
    keyset_destroy(r.seen);
    strmap_destroy(r.areas);
    return rc;
}
