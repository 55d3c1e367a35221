/* SPDX-License-Identifier: MIT */
/*
 * import_roster.h - the import kinds: roster, subsidy lists, task tables (targets)
 * and tax-bureau payment exports. Each builds an import_kind_t for import_run.
 * Threading: one thread.
 */
#ifndef CB_IMPORT_IMPORT_ROSTER_H
#define CB_IMPORT_IMPORT_ROSTER_H

#include <stdint.h>

#include "import/import.h"
#include "core/compiler.h"
#include "core/date.h"
#include "core/policy.h"
#include "bot/payment.h"
#include "store/store.h"

/* What every import kind needs. Borrowed for the import's life. */
typedef struct import_env {
    store_t *st;
    const policy_t *pol;
    int64_t campaign;
    cb_date_t today; /* bounds birth dates */
    int64_t now;     /* Unix time written to audit rows */
    const char *source; /* "import:roster:FILE", ... */
    pay_env_t *pay;     /* payments: what a confirmation does (bot/payment.h); NULL: the
                         * status and audit only, no thank-you */
} import_env_t;

/*
 * Run one import kind over 'path': kind is "roster", "subsidies", "targets" or
 * "payments"; 'category' names the category for "subsidies" (else NULL).
 * As import_run otherwise; CB_EINVAL with 'err' set for an unknown kind or category.
 */
CB_NODISCARD int import_file(const import_env_t *env, const char *kind, const char *category,
                             const char *path, const char *report, int tty,
                             import_summary_t *sum, char *err, size_t errlen);

#endif
