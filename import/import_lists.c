/* SPDX-License-Identifier: MIT */
/* import_lists.c - a department's subsidy list and the task table (targets);
 * import_file, which picks the kind. */
#include <stdio.h>
#include <string.h>

#include "import/import_kinds.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/num.h"
#include "core/policy_rules.h"
#include "store/store_roster.h"

/* ---- subsidies: ID number and name of the people a department subsidises ---- */

enum { S_ID, S_NAME, S_N };

static const import_col_t subsidy_cols[S_N] = {
    [S_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [S_NAME] = {"name", NAMES("姓名", "name"), 1, 30},
};

typedef struct subsidy {
    const import_env_t *env;
    int category;
} subsidy_t;

int import_list_person(const import_env_t *env, const import_fields_t *f, int idcol,
                       int namecol, import_reject_t *rej, store_resident_t *r)
{
    char id[IDCARD_LEN + 1], why[160];
    int rc;

    if (idcard_check(f->v[idcol], f->len[idcol], env->today, id, why, sizeof why) != IDCARD_OK)
        return import_reject(rej, idcol, f->len[idcol] ? why : "missing");
    mask_id(id, rej->id_masked, sizeof rej->id_masked);
    rc = store_resident_get(env->st, env->campaign, idcard_key(id), r);
    if (rc == CB_ENOTFOUND)
        return import_reject(rej, idcol, "not on the roster");
    if (rc < 0)
        return rc;
    if (f->len[namecol] != 0 && /* an optional name column may be empty */
        (strlen(r->name) != f->len[namecol] ||
         memcmp(r->name, f->v[namecol], f->len[namecol]) != 0))
        rc = import_reject(rej, namecol, "does not match the roster's name for this ID number: "
                                         "not applied");
    else if (r->status == NULL)
        rc = import_reject(rej, idcol, "not enrolled in this campaign");
    else
        return IMPORT_PENDING;
    store_resident_free(r);
    return rc;
}

/* 1 when the importer's day is past the policy's subsidy cut-off (平利: a name dated
 * after 9月30日 counts for the next year), with the rejection's reason in 'why'. */
static int after_cutoff(const import_env_t *env, char *why, size_t len)
{
    cb_date_t cutoff = policy_subsidy_cutoff(env->pol);
    int y, m, d;

    if (cutoff == 0 || env->today <= cutoff)
        return 0;
    date_to_ymd(cutoff, &y, &m, &d);
    snprintf(why, len, "listed after the subsidy cut-off %02d-%02d: counts for next year", m, d);
    return 1;
}

static int subsidy_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const subsidy_t *sb = ud;
    const import_env_t *env = sb->env;
    char why[160], cats[512];
    store_resident_t r;
    uint64_t mask;
    int rc = import_list_person(env, f, S_ID, S_NAME, rej, &r);

    if (rc != IMPORT_PENDING)
        return rc;
    if (catset_parse(env->pol, r.categories, strlen(r.categories), &mask, why, sizeof why) < 0) {
        rc = import_reject(rej, S_ID, why); /* the stored categories predate a policy change */
    } else if (mask & (1ull << sb->category)) {
        rc = IMPORT_UNCHANGED;
    } else if (after_cutoff(env, why, sizeof why)) {
        rc = import_reject(rej, S_ID, why); /* nothing applied: next year's list */
    } else {
        catset_format(env->pol, mask | (1ull << sb->category), cats, sizeof cats);
        rc = store_categories_set(env->st, env->campaign, r.id, r.categories, cats, env->source,
                                  env->now);
        if (rc >= 0)
            rc = IMPORT_UPDATED;
    }
    store_resident_free(&r);
    return rc;
}

int import_subsidies_run(const import_env_t *env, int category, const char *path,
                         const char *report, int tty, import_summary_t *sum, char *err,
                         size_t errlen)
{
    subsidy_t sb = {env, category};
    import_kind_t kind = {.what = "subsidies", .cols = subsidy_cols, .ncols = S_N,
                          .row = subsidy_row, .ud = &sb};
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}

/* ---- targets: the task table, per township or village ---- */

enum { T_TOWNSHIP, T_VILLAGE, T_TARGET, T_REGISTERED, T_N };

static const import_col_t target_cols[T_N] = {
    [T_TOWNSHIP] = {"township", NAMES("乡镇", "镇", "单位", "township"), 1, 30},
    [T_VILLAGE] = {"village", NAMES("村/社区", "村名", "村", "社区", "village"), 0, 30},
    [T_TARGET] = {"target", NAMES("任务数", "目标任务数", "target"), 1, 12},
    [T_REGISTERED] = {"registered", NAMES("实际人数", "登记人数", "registered"), 0, 12},
};

static int target_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const import_env_t *env = ud;
    int64_t area = 0, target, registered = -1, old_t, old_r;
    int rc, found;

    if (f->len[T_TOWNSHIP] == 0)
        return import_reject(rej, T_TOWNSHIP, "missing");
    if (num_parse_count(f->v[T_TARGET], f->len[T_TARGET], &target) < 0)
        return import_reject(rej, T_TARGET, "not a whole number of people");
    if (f->len[T_REGISTERED] > 0 &&
        num_parse_count(f->v[T_REGISTERED], f->len[T_REGISTERED], &registered) < 0)
        return import_reject(rej, T_REGISTERED, "not a whole number of people");
    rc = store_area_get(env->st, 0, AREA_TOWNSHIP, f->v[T_TOWNSHIP], f->len[T_TOWNSHIP], 1, &area);
    if (rc >= 0 && f->len[T_VILLAGE] > 0)
        rc = store_area_get(env->st, area, AREA_VILLAGE, f->v[T_VILLAGE], f->len[T_VILLAGE], 1,
                            &area);
    if (rc >= 0)
        rc = store_target_get(env->st, env->campaign, area, &old_t, &old_r);
    if (rc < 0)
        return rc;
    found = rc;
    if (found && old_t == target && old_r == registered)
        return IMPORT_UNCHANGED;
    rc = store_target_set(env->st, env->campaign, area, target, registered);
    if (rc < 0)
        return rc;
    return found ? IMPORT_UPDATED : IMPORT_INSERTED;
}

int import_targets_run(const import_env_t *env, const char *path, const char *report, int tty,
                       import_summary_t *sum, char *err, size_t errlen)
{
    import_kind_t kind = {.what = "targets", .cols = target_cols, .ncols = T_N,
                          .row = target_row, .ud = (void *)(uintptr_t)env};
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}
