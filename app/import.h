/* SPDX-License-Identifier: MIT */
/*
 * import.h - the one import loop every CSV import shares (roster, subsidies,
 * targets, payments): it finds the columns by name from the header, checks field
 * lengths, hands each row to the kind's handler inside batched transactions, writes
 * every rejected row to a report CSV (line, column, reason), shows a progress bar
 * on a terminal and counts the outcome.
 * Threading: one thread.
 */
#ifndef CB_APP_IMPORT_H
#define CB_APP_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/compiler.h"
#include "store/store.h"

/* A column the kind understands: its names as headers write them. */
typedef struct import_col {
    const char *key;                 /* English name, used in reports */
    const char *const *names;        /* accepted header names, NULL-terminated */
    int required;                    /* the header must have it */
    size_t max_chars;                /* longest accepted value, in characters */
} import_col_t;

/* What a handler says of one row. */
enum { IMPORT_INSERTED, IMPORT_UPDATED, IMPORT_UNCHANGED, IMPORT_REJECTED };

typedef struct import_reject {
    int col;           /* index into the kind's columns, or -1 for the whole row */
    char reason[256];
    char id_masked[24]; /* masked ID number, when known */
} import_reject_t;

/* One data row by the kind's column index: v[i] is "" when empty or absent;
 * given[i] says whether the header has column i at all. */
typedef struct import_fields {
    size_t line;
    const char *const *v;
    const size_t *len;
    const unsigned char *given;
} import_fields_t;

typedef struct import_kind {
    const char *what; /* "roster", "subsidies", ... */
    const import_col_t *cols;
    size_t ncols;
    /* Handle a row: an IMPORT_* outcome, or a negative CB_E* that stops the import
     * (a database failure). On IMPORT_REJECTED 'rej' says why. */
    int (*row)(void *ud, const import_fields_t *f, import_reject_t *rej);
    void *ud;
} import_kind_t;

typedef struct import_summary {
    uint64_t imported, updated, unchanged, rejected;
    double seconds;
    char report[4096]; /* path of the report CSV, "" when nothing was rejected */
} import_summary_t;

/*
 * Import 'path' as 'kind' into 'st'. 'report' is the report CSV's path (NULL:
 * PATH.rejected.csv beside the input). 'tty' draws a progress bar on stderr.
 * Returns CB_OK (rows may still be rejected: see the summary), or a negative
 * CB_E* with 'err' set when the file cannot be read, lacks a required column, or
 * the database fails (the current batch is rolled back; earlier ones stay).
 */
CB_NODISCARD int import_run(store_t *st, const import_kind_t *kind, const char *path,
                            const char *report, int tty, import_summary_t *sum, char *err,
                            size_t errlen);

/* Print the one-line summary ("imported N, updated N, ..."). */
void import_print_summary(FILE *fp, const char *what, const import_summary_t *sum);

/* Number of UTF-8 characters in the 'len' bytes at 's'. */
size_t import_chars(const char *s, size_t len);

#endif
