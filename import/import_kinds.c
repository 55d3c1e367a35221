/* SPDX-License-Identifier: MIT */
/* import_kinds.c - the import kinds by name (import_file) and what every kind shares. */
#include "import/import_kinds.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

typedef int kind_run_fn(const import_env_t *env, const char *path, const char *report, int tty,
                        import_summary_t *sum, char *err, size_t errlen);

/* Every kind but subsidies, which takes its category. */
static const struct kind {
    const char *name;
    kind_run_fn *run;
} kinds[] = {
    {"roster", import_roster_run},   {"targets", import_targets_run},
    {"payments", import_payments_run}, {"lapses", import_lapses_run},
    {"workers", import_workers_run}, {"openids", import_openids_run},
};

int import_reject(import_reject_t *rej, int col, const char *reason)
{
    rej->col = col;
    snprintf(rej->reason, sizeof rej->reason, "%s", reason);
    return IMPORT_REJECTED;
}

int import_file(const import_env_t *env, const char *kind, const char *category,
                const char *path, const char *report, int tty, import_summary_t *sum, char *err,
                size_t errlen)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(kind, kinds[i].name) == 0)
            return kinds[i].run(env, path, report, tty, sum, err, errlen);
    }
    if (strcmp(kind, "flags") == 0) /* 'category' is the flag's name (--flag NAME) */
        return import_flags_run(env, category, path, report, tty, sum, err, errlen);
    if (strcmp(kind, "subsidies") == 0) {
        int c = category ? policy_category_find(env->pol, category, strlen(category)) : -1;
        if (c < 0 || c >= 64) {
            snprintf(err, errlen, "import subsidies: %s '%s' (see the policy's categories)",
                     category ? "unknown category" : "--category NAME is required",
                     category ? category : "");
            return CB_EINVAL;
        }
        return import_subsidies_run(env, c, path, report, tty, sum, err, errlen);
    }
    snprintf(err, errlen,
             "unknown import kind '%s' (roster, subsidies, targets, payments, workers, lapses,"
             " openids, flags)", kind);
    return CB_EINVAL;
}
