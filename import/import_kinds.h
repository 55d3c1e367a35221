/* SPDX-License-Identifier: MIT */
/* import_kinds.h - the runners behind import_file (import_kinds.c has the table by
 * name; internal to import/). Each is import_run with its kind's columns and row
 * handler, in its own file (import_roster.c, import_lists.c: subsidies and targets,
 * import_payments.c, import_workers.c, import_lapses.c, import_openids.c). */
#ifndef CB_IMPORT_IMPORT_KINDS_H
#define CB_IMPORT_IMPORT_KINDS_H

#include "import/import_roster.h"
#include "store/store_roster.h"

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

int import_roster_run(const import_env_t *env, const char *path, const char *report, int tty,
                      import_summary_t *sum, char *err, size_t errlen);
int import_subsidies_run(const import_env_t *env, int category, const char *path,
                         const char *report, int tty, import_summary_t *sum, char *err,
                         size_t errlen);
int import_targets_run(const import_env_t *env, const char *path, const char *report, int tty,
                       import_summary_t *sum, char *err, size_t errlen);
int import_payments_run(const import_env_t *env, const char *path, const char *report, int tty,
                        import_summary_t *sum, char *err, size_t errlen);
int import_workers_run(const import_env_t *env, const char *path, const char *report, int tty,
                       import_summary_t *sum, char *err, size_t errlen);

int import_openids_run(const import_env_t *env, const char *path, const char *report, int tty,
                       import_summary_t *sum, char *err, size_t errlen);
int import_flags_run(const import_env_t *env, const char *flag, const char *path,
                     const char *report, int tty, import_summary_t *sum, char *err, size_t errlen);
int import_lapses_run(const import_env_t *env, const char *path, const char *report, int tty,
                      import_summary_t *sum, char *err, size_t errlen);

/* The enrolled roster person a department list's row names (ID number in column
 * 'idcol', the roster's name in 'namecol'): IMPORT_PENDING with *r (free it with
 * store_resident_free), IMPORT_REJECTED with 'rej' filled, or a negative CB_E*. */
int import_list_person(const import_env_t *env, const import_fields_t *f, int idcol,
                       int namecol, import_reject_t *rej, store_resident_t *r);

/* Fill 'rej' and return IMPORT_REJECTED. */
int import_reject(import_reject_t *rej, int col, const char *reason);

#endif
