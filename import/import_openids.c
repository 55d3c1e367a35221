/* SPDX-License-Identifier: MIT */
/*
 * import_openids.c - 'canbao import openids FILE': residents' WeChat Official Account
 * openids (身份证号/id_number, openid), e.g. exported from the account's binding page.
 * The wechat_mp channel sends a resident's messages to the bound openid. A person
 * not on the roster or an openid outside A-Z a-z 0-9 - _ (at most 64) is a rejected
 * row; a new openid for a person replaces the old one, an openid given to another
 * person moves to that person.
 */
#include <string.h>

#include "import/import_kinds.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "store/store_wechat.h"

enum { O_ID, O_OPENID, O_N };

static const import_col_t openid_cols[O_N] = {
    [O_ID] = {"id_number", NAMES("身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number",
                                 "person_id", "id"), 1, 18},
    [O_OPENID] = {"openid", NAMES("openid", "OpenID", "微信openid"), 1, WECHAT_OPENID_MAX},
};

static int openid_ok(const char *s, size_t n)
{
    if (n == 0 || n > WECHAT_OPENID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

static int openid_row(void *ud, const import_fields_t *f, import_reject_t *rej)
{
    const import_env_t *env = ud;
    char id[IDCARD_LEN + 1], why[160];
    store_resident_t r;
    int rc;

    if (idcard_check(f->v[O_ID], f->len[O_ID], env->today, id, why, sizeof why) != IDCARD_OK)
        return import_reject(rej, O_ID, f->len[O_ID] ? why : "missing");
    mask_id(id, rej->id_masked, sizeof rej->id_masked);
    if (!openid_ok(f->v[O_OPENID], f->len[O_OPENID]))
        return import_reject(rej, O_OPENID, f->len[O_OPENID] ? "not an openid (A-Z a-z 0-9 - _)"
                                                               : "missing");
    rc = store_resident_get(env->st, env->campaign, idcard_key(id), &r);
    if (rc == CB_ENOTFOUND)
        return import_reject(rej, O_ID, "not on the roster");
    if (rc < 0)
        return rc;
    rc = store_wechat_bind(env->st, r.id, f->v[O_OPENID], "import", env->now);
    store_resident_free(&r);
    if (rc < 0)
        return rc;
    return rc == STORE_INSERTED ? IMPORT_INSERTED
           : rc == STORE_UPDATED ? IMPORT_UPDATED
                                 : IMPORT_UNCHANGED;
}

int import_openids_run(const import_env_t *env, const char *path, const char *report, int tty,
                       import_summary_t *sum, char *err, size_t errlen)
{
    import_env_t e = *env;
    import_kind_t kind = {.what = "openids", .cols = openid_cols, .ncols = O_N,
                          .row = openid_row, .ud = &e};
    return import_run(env->st, &kind, path, report, tty, sum, err, errlen);
}
