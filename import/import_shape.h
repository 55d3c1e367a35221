/* SPDX-License-Identifier: MIT */
/*
 * import_shape.h - internal to app/import*.c (and fuzz_csv): the checks of an
 * import that need neither the database nor the kind's handler, so both loops of
 * import_run (and the reader thread) run the same ones. Pure functions.
 */
#ifndef CB_IMPORT_IMPORT_SHAPE_H
#define CB_IMPORT_IMPORT_SHAPE_H

#include <stddef.h>

#include "import/csvin.h"
#include "import/import.h"
#include "core/compiler.h"

/* Map the header's cells to the kind's columns: map[col] = index of the cell, or
 * -1. CB_EPARSE with 'err' set when a cell holds a control character or U+FEFF, a
 * column is named twice (two 身份证号, or 身份证号 and id_number) or a required
 * column is missing. */
CB_NODISCARD int import__map_header(const import_kind_t *k, const csvin_row_t *h, long *map,
                                    char *err, size_t errlen);

/* Check a data row's shape (field count, encoding, quoting, control characters
 * and U+FEFF in the columns the kind reads, lengths) and map its fields to the
 * kind's columns: IMPORT_PENDING with v/vl set, or IMPORT_REJECTED with 'rej'
 * filled (rej is cleared first either way). */
int import__shape(const import_kind_t *k, const long *map, size_t header_n,
                  const csvin_row_t *row, const char **v, size_t *vl, import_reject_t *rej);

/* Why csvin could not split a line (row->bad set), as a report's reason. */
void import__row_reason(const csvin_row_t *row, char *out, size_t n);

#endif
