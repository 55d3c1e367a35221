/* SPDX-License-Identifier: MIT */
/*
 * csvin.h - streaming CSV input for the importers.
 *
 * Roster files never hold a newline inside a field, so the file is split into
 * lines first and each line is parsed on its own by libcsv in strict mode: a quote
 * left open breaks only its own line. Lines end in LF or CRLF; a file with no LF
 * at its start but a CR (an old Mac CSV) has lines ending in a lone CR. The
 * encoding is found from the start of the file: UTF-8 (with or without BOM), or
 * GB18030/GBK as Excel in China writes it, which is converted to UTF-8 with iconv
 * line by line. A line that is not valid in the file's encoding is reported as a
 * bad row, not a fatal error.
 *
 * Hostile characters: a field may hold a C0 control (NUL, TAB inside it, ESC, BEL,
 * a stray CR or LF, ...), DEL, a C1 control (U+0080..U+009F) or U+FEFF (a byte
 * order mark anywhere but the file's start). csvin marks the rows that may
 * ('suspect', found in the pass that checks UTF-8) and csvin_field_bad names the
 * character, so the importer rejects a row for the columns it reads. A CR or LF
 * outside quotes in a quoted line breaks the row's shape: CSVIN_ECONTROL.
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
    CSVIN_ETOOLONG,  /* the line exceeds CSVIN_MAX_LINE bytes */
    CSVIN_ECONTROL   /* a CR or LF outside quotes inside a line: bad_field, bad_cp */
} csvin_bad_t;

#define CSVIN_MAX_LINE 65536

typedef struct csvin_row {
    size_t line;              /* 1-based line number in the file */
    csvin_bad_t bad;          /* CSVIN_OK when the fields below are valid */
    size_t bad_field;         /* CSVIN_EQUOTE, _ECONTROL: index of the field where it broke */
    uint32_t bad_cp;          /* CSVIN_ECONTROL: the character (0x0D or 0x0A) */
    int suspect;              /* a field may hold what csvin_field_bad finds */
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

/* 1 with *cp set when the 'len' bytes at 's' (UTF-8) hold a C0 control (TAB, CR
 * and LF included), DEL, a C1 control or U+FEFF: the first one; else 0. Pure. */
int csvin_field_bad(const char *s, size_t len, uint32_t *cp);


/* Bytes consumed so far and the file's size (0 when unknown, e.g. a pipe). */
void csvin_progress(const csvin_t *in, uint64_t *done, uint64_t *total);

void csvin_close(csvin_t *in); /* NULL is a no-op */

#endif
