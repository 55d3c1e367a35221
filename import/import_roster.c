/* SPDX-License-Identifier: MIT */
/* import_roster.c - the roster import: one person a row. */
#include "import/import_roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import_kinds.h"
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

/* Township, village and group are at most 30, 30 and 20 characters of at most 4
 * bytes; an area path joins them with two separators. */
#define AREA_KEY_MAX (4 * (30 + 30 + 20) + 2)

/*
 * The roster is a two-stage kind: roster_check runs on import_run's reader thread
 * and touches only 'seen'; roster_apply runs on the calling thread with the store
 * and touches the rest.
 */
typedef struct roster {
    const import_env_t *env;
    keyset_t *seen;          /* check: ID numbers seen in this file, with their lines */
    strmap_t *areas;         /* apply: area paths -> ids */
    store_person_t *persons; /* apply: the batch's rows as the store takes them */
    unsigned char *outcome;
    size_t cap;
    char key[AREA_KEY_MAX];      /* apply: an area path */
    char last_key[AREA_KEY_MAX]; /* apply: the last path looked up, and its id */
    size_t last_klen;
    int64_t last_id;
} roster_t;

/* A checked row: strings are copies in the batch's arena, or NULL when empty. */
typedef struct roster_rec {
    int64_t key;
    const char *name, *household, *relation, *categories, *status;
    const char *area[3]; /* township, village, group ("" when none) */
    size_t area_len[3];
    char id[IDCARD_LEN + 1], phone[PHONE_LEN + 1], birth[11];
} roster_rec_t;

/* The id of an area path, created and cached on first sight. Rows of one group or
 * village come together, so the last path is checked before the map. */
static int area_id(roster_t *r, const roster_rec_t *rec, int64_t *id)
{
    size_t klen = 0, prefix[3] = {0};
    int64_t parent = 0;
    int levels = 0, rc;

    for (; levels < 3 && rec->area_len[levels] > 0; levels++) {
        size_t n = rec->area_len[levels];
        if (klen + n + 1 > sizeof r->key)
            return CB_ETOOBIG;
        if (klen > 0)
            r->key[klen++] = '\x1f';
        memcpy(r->key + klen, rec->area[levels], n);
        klen += n;
        prefix[levels] = klen;
    }
    if (klen > 0 && klen == r->last_klen && memcmp(r->key, r->last_key, klen) == 0) {
        *id = r->last_id;
        return CB_OK;
    }
    for (int lvl = 0; lvl < levels; lvl++) {
        if (!strmap_get(r->areas, r->key, prefix[lvl], id)) {
            rc = store_area_get(r->env->st, parent, lvl + 1, rec->area[lvl], rec->area_len[lvl],
                                1, id);
            if (rc < 0)
                return rc;
            strmap_put(r->areas, r->key, prefix[lvl], *id);
        }
        parent = *id;
    }
    memcpy(r->last_key, r->key, klen);
    r->last_klen = klen;
    r->last_id = *id;
    return CB_OK;
}

static const char *copy_or_null(import_arena_t *a, const import_fields_t *f, int col)
{
    return f->len[col] ? import_arena_copy(a, f->v[col], f->len[col]) : NULL;
}

/* "YYYY-MM-DD" from a checked ID number's digits 7-14 (date_format of idcard_birth,
 * without the round trip through a day number). */
static void birth_from_id(const char *id, char out[11])
{
    memcpy(out, id + 6, 4);
    out[4] = '-';
    memcpy(out + 5, id + 10, 2);
    out[7] = '-';
    memcpy(out + 8, id + 12, 2);
    out[10] = '\0';
}

/* Everything about a row that needs no database. */
static int check_row(roster_t *r, const import_fields_t *f, roster_rec_t *rec, import_arena_t *a,
                     import_reject_t *rej)
{
    static const int area_cols[3] = {C_TOWNSHIP, C_VILLAGE, C_GROUP};
    const import_env_t *env = r->env;
    char why[160], cats[512];
    uint64_t mask = 0;
    size_t first;

    if (idcard_check(f->v[C_ID], f->len[C_ID], env->today, rec->id, why, sizeof why) !=
        IDCARD_OK)
        return import_reject(rej, C_ID, f->len[C_ID] ? why : "missing");
    rec->key = idcard_key(rec->id);
    first = keyset_add(r->seen, rec->key, f->line);
    if (first != 0) {
        snprintf(why, sizeof why, "duplicate: the same ID number is on line %zu", first);
        return import_reject(rej, C_ID, why);
    }
    if (f->len[C_NAME] == 0)
        return import_reject(rej, C_NAME, "missing");
    if (f->len[C_PHONE] > 0 &&
        phone_normalise(f->v[C_PHONE], f->len[C_PHONE], rec->phone, why, sizeof why) < 0)
        return import_reject(rej, C_PHONE, why);
    if (f->len[C_TOWNSHIP] == 0)
        return import_reject(rej, C_TOWNSHIP, "missing");
    if (f->len[C_VILLAGE] == 0)
        return import_reject(rej, C_VILLAGE, "missing");
    if (catset_parse(env->pol, f->v[C_CATEGORY], f->len[C_CATEGORY], &mask, why, sizeof why) < 0)
        return import_reject(rej, C_CATEGORY, why);
    birth_from_id(rec->id, rec->birth);
    /* The usual case, the very text of the ID number's date, needs no parsing. */
    if (f->len[C_BIRTH] > 0 &&
        !(f->len[C_BIRTH] == 10 && memcmp(f->v[C_BIRTH], rec->birth, 10) == 0)) {
        cb_date_t d;
        if (date_parse(f->v[C_BIRTH], f->len[C_BIRTH], &d) < 0)
            return import_reject(rej, C_BIRTH, "not a date (YYYY-MM-DD)");
        if (d != idcard_birth(rec->id)) {
            snprintf(why, sizeof why, "differs from the ID number's birth date %s", rec->birth);
            return import_reject(rej, C_BIRTH, why);
        }
    }
    if (f->len[C_STATUS] > 0) {
        int s = status_parse_roster(f->v[C_STATUS], f->len[C_STATUS]);
        if (s < 0)
            return import_reject(rej, C_STATUS, "unknown status (use unpaid, paid, employee_insured, "
                                         "insured_elsewhere or deceased)");
        rec->status = status_name((person_status_t)s);
    }
    /* Without a category column the roster says nothing about categories: keep
     * what is stored (e.g. applied from a department's list). */
    if (f->given[C_CATEGORY]) {
        catset_format(env->pol, mask, cats, sizeof cats);
        rec->categories = import_arena_copy(a, cats, strlen(cats));
    }
    rec->name = import_arena_copy(a, f->v[C_NAME], f->len[C_NAME]);
    rec->household = copy_or_null(a, f, C_HOUSEHOLD);
    rec->relation = copy_or_null(a, f, C_RELATION);
    for (int lvl = 0; lvl < 3; lvl++) {
        rec->area_len[lvl] = f->len[area_cols[lvl]];
        rec->area[lvl] = import_arena_copy(a, f->v[area_cols[lvl]], rec->area_len[lvl]);
    }
    return IMPORT_PENDING;
}

/* On the reader thread. A rejected row with a valid ID number shows it masked. */
static int roster_check(void *ud, const import_fields_t *f, void *out, import_arena_t *a,
                        import_reject_t *rej)
{
    roster_rec_t *rec = out;
    int outcome = check_row(ud, f, rec, a, rej);

    if (outcome == IMPORT_REJECTED && rec->key != 0)
        mask_id(rec->id, rej->id_masked, sizeof rej->id_masked);
    return outcome;
}

/* Store a batch of checked rows: on the calling thread. */
static int roster_apply(void *ud, import_item_t *items, size_t n)
{
    roster_t *r = ud;
    const import_env_t *env = r->env;
    int rc;

    if (n > r->cap) {
        r->cap = n;
        r->persons = xrealloc(r->persons, n * sizeof *r->persons);
        r->outcome = xrealloc(r->outcome, n);
    }
    for (size_t i = 0; i < n; i++) {
        const roster_rec_t *rec = items[i].rec;
        store_person_t *p = &r->persons[i];
        rc = area_id(r, rec, &p->area_id);
        if (rc < 0)
            return rc;
        p->key = rec->key;
        p->id_number = rec->id;
        p->name = rec->name;
        p->phone = rec->phone[0] ? rec->phone : NULL;
        p->household = rec->household;
        p->relation = rec->relation;
        p->birth_date = rec->birth;
        p->status = rec->status;
        p->categories = rec->categories;
    }
    rc = store_persons_put(env->st, env->campaign, r->persons, n, env->source, env->now,
                           r->outcome);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        items[i].outcome = r->outcome[i] == STORE_INSERTED  ? IMPORT_INSERTED
                           : r->outcome[i] == STORE_UPDATED ? IMPORT_UPDATED
                                                            : IMPORT_UNCHANGED;
    return CB_OK;
}

int import_roster_run(const import_env_t *env, const char *path, const char *report, int tty,
                      import_summary_t *sum, char *err, size_t errlen)
{
    struct stat sb;
    /* Rosters take about 100 bytes a row: sizing the set of seen ID numbers up front
     * spares the moment of growing, when old and new tables are both held. */
    size_t expected = stat(path, &sb) == 0 ? (size_t)sb.st_size / 90 : 0;
    roster_t r = {.env = env, .seen = keyset_create(expected), .areas = strmap_create()};
    import_kind_t kind = {.what = "roster", .cols = roster_cols, .ncols = C_N,
                          .check = roster_check, .apply = roster_apply,
                          .rec_size = sizeof(roster_rec_t), .ud = &r};
    int rc;

    /* A bigger page cache keeps the person index in memory during a large import. */
    store_cache_mib(env->st, 16);
    /* Checkpoint after about 64 MiB of log rather than SQLite's 1000 pages: every
     * transaction of a large import rewrites most of the random-order key index,
     * and copying it into the database after every commit cost a checkpoint's
     * reads, writes and two fsyncs each time (37 fsyncs for 1M rows, 13 now; the
     * import took about a tenth less time; 96 MiB gained nothing more). */
    store_wal_mib(env->st, 64);
    /*
     * Foreign keys off for the import: checking them cost SQLite a parent lookup
     * per reference (household, area, campaign, person), a quarter of its time.
     * Nothing here can dangle: every reference the import writes points at a row
     * it found or created in the same transaction (areas and households are
     * looked up or inserted right before use, enrolments name the persons just
     * inserted, the campaign is the current one), and a failed transaction rolls
     * back together with the caches that remembered its new rows (the household
     * cache in store/; the area cache is dropped with the failed import).
     * test_import_batch and test_import_rows run PRAGMA foreign_key_check after
     * their imports.
     */
    rc = store_foreign_keys(env->st, 0);
    if (rc >= 0)
        rc = store_bulk_begin(env->st);
    if (rc < 0)
        snprintf(err, errlen, "%s", store_errmsg(env->st));
    else
        rc = import_run(env->st, &kind, path, report, tty, sum, err, errlen);
    if (store_foreign_keys(env->st, 1) < 0 && rc >= 0) {
        snprintf(err, errlen, "%s", store_errmsg(env->st));
        rc = CB_EIO;
    }
    store_wal_mib(env->st, 0);
    /* The index sort takes as much memory as the page cache may: give it back first. */
    store_cache_mib(env->st, 2);
    if (store_bulk_end(env->st) < 0 && rc >= 0) {
        snprintf(err, errlen, "rebuilding the phone index: %s", store_errmsg(env->st));
        rc = CB_EIO;
    }
    keyset_destroy(r.seen);
    strmap_destroy(r.areas);
    free(r.persons);
    free(r.outcome);
    return rc;
}
