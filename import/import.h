/* SPDX-License-Identifier: MIT */
/*
 * import.h - the one import loop every CSV import shares (roster, subsidies,
 * targets, payments): it finds the columns by name from the header, checks field
 * lengths, hands each row to the kind's handler inside batched transactions, writes
 * every rejected row to a report CSV (line, column, reason), shows a progress bar
 * on a terminal and counts the outcome.
 *
 * A kind either handles a whole row at once ('row'), or splits the work in two
 * ('check' and 'apply'): 'check' parses and validates a row without the database,
 * on a reader thread that import_run starts, while the calling thread applies the
 * checked rows of earlier batches to the store. The roster uses the split: its
 * validation and SQLite's writing then run on two cores at once.
 *
 * Threading: import_run is called on the thread that owns the store and returns
 * on it; a kind with 'check' gets one reader thread for the duration of the call.
 */
#ifndef CB_IMPORT_IMPORT_H
#define CB_IMPORT_IMPORT_H

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

/* What a handler says of one row; IMPORT_PENDING is check's "valid: apply it". */
enum { IMPORT_INSERTED, IMPORT_UPDATED, IMPORT_UNCHANGED, IMPORT_REJECTED, IMPORT_PENDING };

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

/* Where 'check' keeps copies of a row's strings: they live until the batch the
 * row travels in has been applied. Owned by import_run. */
typedef struct import_arena import_arena_t;

/* Copy the 'len' bytes at 's' into 'a' with a NUL after them. Never fails (the
 * allocator aborts on exhaustion). */
const char *import_arena_copy(import_arena_t *a, const char *s, size_t len);

/* A row that passed 'check', as 'apply' receives it. */
typedef struct import_item {
    size_t line;
    void *rec;   /* the kind's record, rec_size bytes, as check filled it */
    int outcome; /* apply sets IMPORT_INSERTED, IMPORT_UPDATED or IMPORT_UNCHANGED */
} import_item_t;

typedef struct import_kind {
    const char *what; /* "roster", "subsidies", ... */
    const import_col_t *cols;
    size_t ncols;
    /* One-stage kinds: handle a row, returning an IMPORT_* outcome or a negative
     * CB_E* that stops the import (a database failure). On IMPORT_REJECTED 'rej'
     * says why. NULL when the kind has 'check' and 'apply'. */
    int (*row)(void *ud, const import_fields_t *f, import_reject_t *rej);
    /* Two-stage kinds. 'check' runs on the reader thread and MUST NOT touch the
     * store nor any state 'apply' uses: it fills 'rec' (rec_size bytes, zeroed),
     * copying the strings it keeps into 'a' (the fields are borrowed for the call),
     * and returns IMPORT_PENDING, or IMPORT_REJECTED with 'rej' filled. Rows can
     * only be rejected here: whatever needs no database belongs in check.
     * 'apply' runs on the calling thread, inside the import's transaction, with
     * the checked rows of one batch in file order; it sets each item's outcome
     * and returns CB_OK, or a negative CB_E* that stops the import. */
    int (*check)(void *ud, const import_fields_t *f, void *rec, import_arena_t *a,
                 import_reject_t *rej);
    int (*apply)(void *ud, import_item_t *items, size_t n);
    size_t rec_size;
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
 * CB_E* with 'err' set when the file cannot be read, its header lacks a required
 * column, names a column twice or holds a control character, it has no data row
 * after the header (CB_EPARSE), or the database fails (the current batch is
 * rolled back; earlier ones stay). A row with a control character or U+FEFF in a
 * column the kind reads is rejected (csvin_field_bad). The report is created
 * mode 0600 (an existing one is narrowed), its cells with control characters
 * escaped (\xHH, \uXXXX).
 */
CB_NODISCARD int import_run(store_t *st, const import_kind_t *kind, const char *path,
                            const char *report, int tty, import_summary_t *sum, char *err,
                            size_t errlen);

/* Print the one-line summary ("imported N, updated N, ..."). */
void import_print_summary(FILE *fp, const char *what, const import_summary_t *sum);

/* Number of UTF-8 characters in the 'len' bytes at 's'. */
size_t import_chars(const char *s, size_t len);

#endif
