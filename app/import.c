/* SPDX-License-Identifier: MIT */
#include "app/import.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app/csvin.h"
#include "core/err.h"
#include "core/mem.h"

#define BATCH_ROWS 50000 /* rows per transaction */

typedef struct reporter {
    FILE *fp;
    char path[4096];
} reporter_t;

size_t import_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void csv_cell(FILE *fp, const char *s, int last)
{
    csv_fwrite(fp, s, strlen(s));
    fputc(last ? '\n' : ',', fp);
}

static int report_row(reporter_t *r, size_t line, const char *column, const char *reason,
                      const char *id_masked)
{
    char num[24];

    if (r->fp == NULL) {
        r->fp = fopen(r->path, "w");
        if (r->fp == NULL)
            return CB_EIO;
        fputs("line,column,reason,id_number\n", r->fp);
    }
    snprintf(num, sizeof num, "%zu", line);
    csv_cell(r->fp, num, 0);
    csv_cell(r->fp, column, 0);
    csv_cell(r->fp, reason, 0);
    csv_cell(r->fp, id_masked, 1);
    return CB_OK;
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

/* Map header cells to the kind's columns: map[col] = index of the cell, or -1. */
static int map_header(const import_kind_t *k, const csvin_row_t *h, long *map, char *err,
                      size_t errlen)
{
    for (size_t c = 0; c < k->ncols; c++) {
        map[c] = -1;
        for (size_t i = 0; i < h->nfields && map[c] < 0; i++) {
            for (const char *const *n = k->cols[c].names; *n != NULL; n++) {
                if (header_is(h->field[i], h->len[i], *n)) {
                    map[c] = (long)i;
                    break;
                }
            }
        }
        if (map[c] < 0 && k->cols[c].required) {
            snprintf(err, errlen, "line %zu: the header has no '%s' column (%s)", h->line,
                     k->cols[c].key, k->cols[c].names[0]);
            return CB_EPARSE;
        }
    }
    return CB_OK;
}

static void meter(int tty, const csvin_t *in, uint64_t rows, double t0, int final)
{
    uint64_t done, total;
    double el = now_s() - t0;
    int pct;

    if (!tty)
        return;
    csvin_progress(in, &done, &total);
    pct = total ? (int)(done * 100 / total) : 0;
    fprintf(stderr, "\r[%-30.*s] %3d%%  %llu rows  %.0f rows/s ", pct * 30 / 100,
            "##############################", pct, (unsigned long long)rows,
            el > 0 ? (double)rows / el : 0.0);
    if (final)
        fputc('\n', stderr);
}

/* Check one data row's shape and lengths, then hand it to the kind. */
static int one_row(const import_kind_t *k, const long *map, const unsigned char *given,
                   size_t header_n, const csvin_row_t *row, const char **v, size_t *vl,
                   import_reject_t *rej)
{
    static const char *const bad_text[] = {
        "", "not valid UTF-8 (a GBK/GB18030 row in a UTF-8 file?)",
        "broken quoting (a stray or unclosed quote)", "line longer than 65536 bytes"};
    import_fields_t f = {row->line, v, vl, given};

    memset(rej, 0, sizeof *rej);
    rej->col = -1;
    if (row->bad != CSVIN_OK) {
        snprintf(rej->reason, sizeof rej->reason, "%s", bad_text[row->bad]);
        if (row->bad == CSVIN_EQUOTE) {
            for (size_t c = 0; c < k->ncols; c++) {
                if (map[c] == (long)row->bad_field)
                    rej->col = (int)c;
            }
        }
        return IMPORT_REJECTED;
    }
    if (row->nfields != header_n) {
        snprintf(rej->reason, sizeof rej->reason, "%zu fields, the header has %zu",
                 row->nfields, header_n);
        return IMPORT_REJECTED;
    }
    for (size_t c = 0; c < k->ncols; c++) {
        size_t chars;
        v[c] = map[c] >= 0 ? row->field[map[c]] : "";
        vl[c] = map[c] >= 0 ? row->len[map[c]] : 0;
        chars = vl[c] > k->cols[c].max_chars ? import_chars(v[c], vl[c]) : 0;
        if (chars > k->cols[c].max_chars) {
            rej->col = (int)c;
            snprintf(rej->reason, sizeof rej->reason, "%zu characters, at most %zu", chars,
                     k->cols[c].max_chars);
            return IMPORT_REJECTED;
        }
    }
    return k->row(k->ud, &f, rej);
}

int import_run(store_t *st, const import_kind_t *k, const char *path, const char *report,
               int tty, import_summary_t *sum, char *err, size_t errlen)
{
    csvin_t *in = NULL;
    csvin_row_t row;
    reporter_t rep = {0};
    long *map = xcalloc(k->ncols, sizeof *map);
    unsigned char *given = xcalloc(k->ncols, 1);
    const char **v = xcalloc(k->ncols, sizeof *v);
    size_t *vl = xcalloc(k->ncols, sizeof *vl), header_n = 0, in_batch = 0;
    uint64_t rows = 0;
    double t0 = now_s(), last_draw = 0;
    int rc;

    memset(sum, 0, sizeof *sum);
    snprintf(rep.path, sizeof rep.path, "%s%s", report ? report : path,
             report ? "" : ".rejected.csv");
    if (strcmp(path, "-") == 0 && report == NULL)
        snprintf(rep.path, sizeof rep.path, "%s", "rejected.csv");
    rc = csvin_open(path, &in, err, errlen);
    if (rc < 0)
        goto out;
    rc = csvin_next(in, &row);
    if (rc <= 0 || row.bad != CSVIN_OK) {
        snprintf(err, errlen, "%s: %s", path,
                 rc < 0 ? "cannot be read" : rc == 0 ? "empty file" : "unreadable header line");
        rc = rc < 0 ? rc : CB_EPARSE;
        goto out;
    }
    header_n = row.nfields;
    rc = map_header(k, &row, map, err, errlen);
    if (rc < 0)
        goto out;
    for (size_t c = 0; c < k->ncols; c++)
        given[c] = map[c] >= 0;
    rc = store_begin(st);
    while (rc >= 0 && (rc = csvin_next(in, &row)) > 0) {
        import_reject_t rej;
        int outcome = one_row(k, map, given, header_n, &row, v, vl, &rej);
        if (outcome < 0) {
            rc = outcome;
            snprintf(err, errlen, "line %zu: %s: %s", row.line, cb_strerror(rc),
                     store_errmsg(st));
            break;
        }
        rows++;
        switch (outcome) {
        case IMPORT_INSERTED: sum->imported++; break;
        case IMPORT_UPDATED: sum->updated++; break;
        case IMPORT_UNCHANGED: sum->unchanged++; break;
        default:
            sum->rejected++;
            if (report_row(&rep, row.line, rej.col >= 0 ? k->cols[rej.col].key : "*",
                           rej.reason, rej.id_masked) < 0) {
                snprintf(err, errlen, "%s: cannot write the report", rep.path);
                rc = CB_EIO;
            }
        }
        if (rc >= 0 && ++in_batch == BATCH_ROWS) {
            in_batch = 0;
            rc = store_commit(st);
            if (rc >= 0)
                rc = store_begin(st);
            if (now_s() - last_draw > 0.2) {
                meter(tty, in, rows, t0, 0);
                last_draw = now_s();
            }
        }
    }
    if (rc >= 0)
        rc = store_commit(st);
    if (rc < 0) {
        if (err[0] == '\0')
            snprintf(err, errlen, "%s: %s", cb_strerror(rc), store_errmsg(st));
        store_rollback(st);
    }
    meter(tty, in, rows, t0, 1);
out:
    sum->seconds = now_s() - t0;
    if (rep.fp != NULL) {
        if (fclose(rep.fp) != 0 && rc >= 0) {
            snprintf(err, errlen, "%s: cannot write the report", rep.path);
            rc = CB_EIO;
        }
        snprintf(sum->report, sizeof sum->report, "%s", rep.path);
    } else if (report == NULL && rc >= 0 && strcmp(path, "-") != 0) {
        unlink(rep.path); /* a report of an earlier run of this file is stale now */
    }
    csvin_close(in);
    free(map);
    free(given);
    free(v);
    free(vl);
    return rc < 0 ? rc : CB_OK;
}

void import_print_summary(FILE *fp, const char *what, const import_summary_t *s)
{
    uint64_t total = s->imported + s->updated + s->unchanged + s->rejected;
    fprintf(fp, "%s: imported %llu, updated %llu, unchanged %llu, rejected %llu (%llu rows in %.2f s",
            what, (unsigned long long)s->imported, (unsigned long long)s->updated,
            (unsigned long long)s->unchanged, (unsigned long long)s->rejected,
            (unsigned long long)total, s->seconds);
    if (s->seconds > 0)
        fprintf(fp, ", %.0f rows/s", (double)total / s->seconds);
    fprintf(fp, ")%s%s\n", s->rejected ? "; rejected rows are listed in " : "",
            s->rejected ? s->report : "");
}
