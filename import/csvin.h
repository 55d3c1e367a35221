/* SPDX-License-Identifier: MIT */
/*
 * csvin.h - streaming CSV input for the importers.
 *
 * Roster files never hold a newline inside a field, so the file is split into
 * lines first and each line is parsed on its own by libcsv in strict mode: a quote
 * left open breaks only its own line. The encoding is found from the start of the
 * file: UTF-8 (with or without BOM), or GB18030/GBK as Excel in China writes it,
 * which is converted to UTF-8 with iconv line by line. A line that is not valid in
 * the file's encoding is reported as a bad row, not a fatal error.
 *
 * Threading: a csvin_t is used from one thread.
 */
#ifndef CB_IMPORT_CSVIN_H
#define CB_IMPORT_CSVIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

typedef struct csvin csvin_t;

/* Why a line could not be split into fields. */
typedef enum csvin_bad {
    CSVIN_OK = 0,
    CSVIN_EENCODING, /* not valid UTF-8 (or GB18030 in a GB18030 file) */
    CSVIN_EQUOTE,    /* broken quoting: a stray or unclosed quote */
    CSVIN_ETOOLONG   /* the line exceeds CSVIN_MAX_LINE bytes */
} csvin_bad_t;

#define CSVIN_MAX_LINE 65536

typedef struct csvin_row {
    size_t line;              /* 1-based line number in the file */
    csvin_bad_t bad;          /* CSVIN_OK when the fields below are valid */
    size_t bad_field;         /* CSVIN_EQUOTE: index of the field where quoting broke */
    size_t nfields;
    const char *const *field; /* UTF-8, NUL-terminated, surrounding blanks removed */
    const size_t *len;        /* byte length of each field */
} csvin_row_t;

/* Open 'path' ("-" for standard input) and detect its encoding. */
CB_NODISCARD int csvin_open(const char *path, csvin_t **out, char *err, size_t errlen);

/*
 * The next non-blank line: 1 with 'row' filled (borrowed until the next call), 0 at
 * the end of the file, or CB_EIO when reading fails.
 */
CB_NODISCARD int csvin_next(csvin_t *in, csvin_row_t *row);

/* "UTF-8", "UTF-8 (BOM)" or "GB18030". */
const char *csvin_encoding(const csvin_t *in);

/* Bytes consumed so far and the file's size (0 when unknown, e.g. a pipe). */
void csvin_progress(const csvin_t *in, uint64_t *done, uint64_t *total);

void csvin_close(csvin_t *in); /* NULL is a no-op */

#endif
