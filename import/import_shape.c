/* SPDX-License-Identifier: MIT */
/* import_shape.c - the checks of import_run that need no database: the header's
 * columns, and each row's shape and characters (app/import_shape.h). */
#include "import/import_shape.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

size_t import_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Header cell matches a name: ASCII letters case-insensitive (never the bytes of
 * UTF-8 sequences, which must match exactly), inner blanks ignored. */
static int header_is(const char *cell, size_t len, const char *name)
{
    size_t j = 0, n = strlen(name);
    for (size_t i = 0; i < len; i++) {
        if (cell[i] == ' ' || cell[i] == '\t')
            continue;
        if (j >= n || ascii_lower(cell[i]) != ascii_lower(name[j]))
            return 0;
        j++;
    }
    return j == n;
}

/* Why a field with the character 'cp' (from csvin_field_bad) is refused. */
static void bad_char_reason(uint32_t cp, char *out, size_t n)
{
    if (cp == 0xFEFF)
        snprintf(out, n, "contains U+FEFF (a byte order mark or zero-width no-break space)");
    else
        snprintf(out, n, "contains a control character U+%04X", (unsigned)cp);
}

/* The kind's column read from header cell 'field', or -1. */
static int column_of(const import_kind_t *k, const long *map, size_t field)
{
    for (size_t c = 0; c < k->ncols; c++) {
        if (map[c] == (long)field)
            return (int)c;
    }
    return -1;
}

void import__row_reason(const csvin_row_t *row, char *out, size_t n)
{
    static const char *const bad_text[] = {
        "", "not valid UTF-8 (a GBK/GB18030 row in a UTF-8 file?)",
        "broken quoting (a stray or unclosed quote)", "line longer than 65536 bytes", ""};

    if (row->bad == CSVIN_ECONTROL)
        bad_char_reason(row->bad_cp, out, n);
    else
        snprintf(out, n, "%s", bad_text[row->bad]);
}

/* Header cell 'i' is one of column c's names. */
static int header_names(const import_kind_t *k, size_t c, const csvin_row_t *h, size_t i)
{
    for (const char *const *n = k->cols[c].names; *n != NULL; n++) {
        if (header_is(h->field[i], h->len[i], *n))
            return 1;
    }
    return 0;
}

int import__map_header(const import_kind_t *k, const csvin_row_t *h, long *map, char *err,
                      size_t errlen)
{
    char why[96];
    uint32_t cp;

    for (size_t i = 0; h->suspect && i < h->nfields; i++) {
        if (csvin_field_bad(h->field[i], h->len[i], &cp)) {
            bad_char_reason(cp, why, sizeof why);
            snprintf(err, errlen, "line %zu: the header's column %zu %s", h->line, i + 1, why);
            return CB_EPARSE;
        }
    }
    for (size_t c = 0; c < k->ncols; c++) {
        map[c] = -1;
        for (size_t i = 0; i < h->nfields; i++) {
            if (!header_names(k, c, h, i))
                continue;
            if (map[c] >= 0) {
                snprintf(err, errlen,
                         "line %zu: the header has two '%s' columns: %s (column %ld) and %s "
                         "(column %zu)",
                         h->line, k->cols[c].key, h->field[map[c]], map[c] + 1, h->field[i],
                         i + 1);
                return CB_EPARSE;
            }
            map[c] = (long)i;
        }
        if (map[c] < 0 && k->cols[c].required) {
            snprintf(err, errlen, "line %zu: the header has no '%s' column (%s)", h->line,
                     k->cols[c].key, k->cols[c].names[0]);
            return CB_EPARSE;
        }
    }
    return CB_OK;
}

int import__shape(const import_kind_t *k, const long *map, size_t header_n,
                  const csvin_row_t *row, const char **v, size_t *vl, import_reject_t *rej)
{
    memset(rej, 0, sizeof *rej);
    rej->col = -1;
    if (row->bad != CSVIN_OK) {
        import__row_reason(row, rej->reason, sizeof rej->reason);
        if (row->bad == CSVIN_EQUOTE || row->bad == CSVIN_ECONTROL)
            rej->col = column_of(k, map, row->bad_field);
        return IMPORT_REJECTED;
    }
    if (row->nfields != header_n) {
        snprintf(rej->reason, sizeof rej->reason, "%zu fields, the header has %zu",
                 row->nfields, header_n);
        return IMPORT_REJECTED;
    }
    for (size_t c = 0; c < k->ncols; c++) {
        size_t chars;
        uint32_t cp;
        v[c] = map[c] >= 0 ? row->field[map[c]] : "";
        vl[c] = map[c] >= 0 ? row->len[map[c]] : 0;
        /* Only a row csvin marked can hold a control character or U+FEFF. */
        if (row->suspect && csvin_field_bad(v[c], vl[c], &cp)) {
            rej->col = (int)c;
            bad_char_reason(cp, rej->reason, sizeof rej->reason);
            return IMPORT_REJECTED;
        }
        chars = vl[c] > k->cols[c].max_chars ? import_chars(v[c], vl[c]) : 0;
        if (chars > k->cols[c].max_chars) {
            rej->col = (int)c;
            snprintf(rej->reason, sizeof rej->reason, "%zu characters, at most %zu", chars,
                     k->cols[c].max_chars);
            return IMPORT_REJECTED;
        }
    }
    return IMPORT_PENDING;
}
