/* SPDX-License-Identifier: MIT */
/*
 * import_fixture.h - what the import tests share: reading and writing files, a
 * fresh database per test with one campaign, imports that must succeed, and SQL
 * run through a second, read-only connection. Failures are Check assertions.
 * Threading: test processes, one thread.
 */
#ifndef CB_TESTS_IMPORT_FIXTURE_H
#define CB_TESTS_IMPORT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "import/import.h"
#include "import/import_roster.h"
#include "core/idcard.h"
#include "core/policy.h"
#include "store/store.h"
#include "store/store_roster.h"

#define NOW 1733000000 /* written to audit rows */

/* The whole file as a NUL-terminated string; the caller frees it. */
char *slurp(const char *path, size_t *len);
/* Write 'text' to 'path'. */
void spew(const char *path, const char *text);
/* Split one CSV line (no line end) in place: quoted fields with "" escapes.
 * Returns the number of fields (at most 'max'). */
size_t csv_split(char *s, char **f, size_t max);
/* Read the next line of 'fp' without its line end into *line (getline's buffer). */
int next_line(FILE *fp, char **line, size_t *cap);

/* The unchecked fixture: a base directory for the tests of one TCase. */
void base_setup(void);
void base_teardown(void);
/* A fresh directory under the base directory. */
void test_dir(char *dir, size_t n);
/* Remove a directory and everything in it. */
void rm_tree(const char *dir);

/* A fresh database in a temporary directory with one campaign. */
typedef struct db {
    char dir[96];
    char path[128];
    char source[256];
    store_t *st;
    policy_t *pol;
    import_env_t env;
} db_t;

/* Create the database with the campaign of examples/'policy_file'; today is
 * 2024-12-31. */
void db_open(db_t *d, const char *policy_file);
void db_close(db_t *d);
/* A path inside the test's directory. */
const char *tmp_path(const db_t *d, const char *name, char *buf, size_t n);

/* Import 'path' as 'kind'; the audit source is "import:KIND:BASENAME" as the CLI
 * writes it. Asserts the import itself succeeded. */
void import_ok(db_t *d, const char *kind, const char *category, const char *path,
               const char *report, import_summary_t *sum);
void expect_sum(const import_summary_t *s, uint64_t imported, uint64_t updated,
                uint64_t unchanged, uint64_t rejected);

/* Run 'sql' (with an optional text parameter ?1) on the database file through a
 * second, read-only connection; the rows as "a|b|c\n", NULL written as "NULL". */
void sql_rows(const db_t *d, const char *sql, const char *param, char *out, size_t n);
long long sql_count(const db_t *d, const char *sql);

/* The stored resident with the normalised ID number 'id' (asserted to exist). */
void resident(const db_t *d, const char *id, store_resident_t *r);
int resident_exists(const db_t *d, const char *id);
void expect_status(const db_t *d, const char *id, const char *status);

/* ---- synthetic rosters (English header, 11 columns) ---- */

/* The ID number of synthetic person i: valid, distinct for i < 900,000 (region
 * 430923, born 1950-01-01 plus i / 900 days). */
void person_id(size_t i, char id[IDCARD_LEN + 1]);
/* One roster row (no line end) for person i with the phone 'phone'; household
 * i / 3, group i % 5 + 1, status unpaid, birth date column empty. */
void person_row(size_t i, const char *phone, char *out, size_t n);
void default_phone(size_t i, char *out, size_t n);
/* Write a roster of persons from..to-1 (every 'step'th) to 'path'; lines[k], when
 * not NULL, replaces data row k (0-based, the file's line k + 2). */
void write_roster(const char *path, size_t from, size_t to, size_t step,
                  const char *const *lines, size_t nlines);
/* The report's rows: line numbers and columns, at most 'max'. */
size_t read_report(const char *path, size_t *lines, char (*cols)[32], size_t max);
/* write_roster of persons 0..total-1 as 'name' in d's directory, import_ok with a
 * report, and read_report: the number of rejected rows reported. */
size_t import_roster_rows(db_t *d, const char *name, const char *const *lines, size_t nlines,
                          size_t total, import_summary_t *sum, size_t *rep_lines,
                          char (*rep_cols)[32], size_t max);

/* Nothing dangles: foreign_key_check finds no row, every person is enrolled. */
void expect_references_sound(const db_t *d);
/* Foreign keys are enforced on d's connection: a target of an area that does not
 * exist fails at commit. */
void expect_foreign_keys_on(db_t *d);

#endif
