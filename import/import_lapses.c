/* SPDX-License-Identifier: MIT */
/*
 * import_lapses.c - 'canbao import lapses FILE': the medical-insurance bureau's list
 * of people whose employee insurance ended (ID number, name, the day it ended). Their
 * 90-day late window counts from that day: the policy's reminder rules with
 * "from": "lapse" remind them inside it. A name that does not match the roster is
 * reported, not applied; a new date for a person replaces the old one (audited as
 * an update).
 */
#include <string.h>

#include "import/import_kinds.h"
#include "core/date.h"
#include "core/err.h"
#include "store/store_people.h"

enum { L_ID, L_NAME, L_DATE, L_N };

static const import_col_t lapse_cols[L_N] = {
    [L_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [L_NAME] = {"name", NAMES("姓名", "name"), 1, 30},
    [L_DATE] = {"lapse_date", NAMES("停保日期", "终止日期", "职工医保终止日期", "lapse_date"), 1, 10},
};

static int lapse_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const import_env_t *env = ud;
    store_resident_t r;
    cb_date_t d;
    char day[11];
    int rc;

    if (date_parse(f->v[L_DATE], f->len[L_DATE], &d) < 0)
        return import_reject(rej, L_DATE, f->len[L_DATE] ? "not a date (YYYY-MM-DD)" : "missing");
    if (d > env->today)
        return import_reject(rej, L_DATE, "in the future");
    rc = import_list_person(env, f, L_ID, L_NAME, rej, &r);
    if (rc != IMPORT_PENDING)
        return rc;
    date_format(d, day);
    rc = store_lapse_set(env->st, env->campaign, r.id, day);
    store_resident_free(&r);
    if (rc < 0)
        return rc;
    return rc == 0 ? IMPORT_UNCHANGED : rc == 1 ? IMPORT_INSERTED : IMPORT_UPDATED;
}

int import_lapses_run(const import_env_t *env, const char *path, const char *report, int tty,
                      import_summary_t *sum, char *err, size_t errlen)
{
    import_env_t e = *env;
    import_kind_t kind = {.what = "lapses", .cols = lapse_cols, .ncols = L_N, .row = lapse_row,
                          .ud = &e};
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}
