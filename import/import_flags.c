/* SPDX-License-Identifier: MIT */
/*
 * import_flags.c - 'canbao import flags FILE --flag NAME': a list of ID numbers
 * (身份证号/id_number, a name optional) whose people get the flag NAME (table
 * person_flag), e.g. the migrant workers a Suizhou-style window extension covers
 * (the policy's extension flag). A flag already held is unchanged; a name that does
 * not match the roster is reported, not applied.
 */
#include <stdio.h>
#include <string.h>

#include "import/import_kinds.h"
#include "core/err.h"
#include "store/store_paydate.h"

enum { F_ID, F_NAME, F_N };

static const import_col_t flag_cols[F_N] = {
    [F_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [F_NAME] = {"name", NAMES("姓名", "name"), 0, 30},
};

typedef struct flag_run {
    const import_env_t *env;
    const char *flag;
} flag_run_t;

static int flag_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const flag_run_t *fr = ud;
    store_resident_t r;
    int rc = import_list_person(fr->env, f, F_ID, F_NAME, rej, &r);

    if (rc != IMPORT_PENDING)
        return rc;
    rc = store_flag_set(fr->env->st, fr->env->campaign, r.id, fr->flag);
    store_resident_free(&r);
    if (rc < 0)
        return rc;
    return rc == 1 ? IMPORT_INSERTED : IMPORT_UNCHANGED;
}

int import_flags_run(const import_env_t *env, const char *flag, const char *path,
                     const char *report, int tty, import_summary_t *sum, char *err, size_t errlen)
{
    flag_run_t fr = {env, flag};
    import_kind_t kind = {.what = "flags", .cols = flag_cols, .ncols = F_N, .row = flag_row,
                          .ud = &fr};

    if (flag == NULL || *flag == '\0' || strlen(flag) > 64) {
        snprintf(err, errlen, "import flags: --flag NAME is required (at most 64 bytes)");
        return CB_EINVAL;
    }
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}
