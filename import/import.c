/* SPDX-License-Identifier: MIT */
#include "import/import.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "import/csvin.h"
#include "import/import_pipe.h"
#include "core/clock.h"
#include "import/import_shape.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/privfile.h"

#define BATCH_ROWS 50000 /* rows per transaction */

typedef struct reporter {
    FILE *fp;
    char path[4096];
} reporter_t;

/* Copy 's' into 'out' (n > 0) with what csvin_field_bad looks for written out:
 * a C0 control or DEL as \xHH, a C1 control or U+FEFF as \uXXXX. No control byte
 * of a hostile row reaches the report (a terminal or a spreadsheet shows it). */
static void report_escape(const char *s, char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t used = 0;

    for (; *p != '\0' && used + 7 < n; p++) {
        if (*p < 0x20 || *p == 0x7F) {
            used += (size_t)snprintf(out + used, n - used, "\\x%02X", *p);
        } else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0) {
            used += (size_t)snprintf(out + used, n - used, "\\u%04X", p[1]);
            p++;
        } else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            used += (size_t)snprintf(out + used, n - used, "\\uFEFF");
            p += 2;
        } else {
            out[used++] = (char)*p;
        }
    }
    out[used] = '\0';
}

static void csv_cell(FILE *fp, const char *s, int last)
{
    char esc[1024];

    report_escape(s, esc, sizeof esc);
    csv_fwrite(fp, esc, strlen(esc));
    fputc(last ? '\n' : ',', fp);
}

static int report_row(reporter_t *r, size_t line, const char *column, const char *reason,
                      const char *id_masked)
{
    char num[24];

    if (r->fp == NULL) {
        r->fp = privfile_open(r->path); /* it names people: mode 0600 */
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

static void meter(int tty, uint64_t done, uint64_t total, uint64_t rows, double t0, int final)
{
    double el = clock_mono_s() - t0;
    int pct;

    if (!tty)
        return;
    pct = total ? (int)(done * 100 / total) : 0;
    fprintf(stderr, "\r[%-30.*s] %3d%%  %llu rows  %.0f rows/s ", pct * 30 / 100,
            "##############################", pct, (unsigned long long)rows,
            el > 0 ? (double)rows / el : 0.0);
    if (final)
        fputc('\n', stderr);
}

/* Where the loops keep their state. */
typedef struct run {
    store_t *st;
    const import_kind_t *k;
    csvin_t *in;
    long *map;
    unsigned char *given;
    size_t header_n;
    int tty;
    reporter_t rep;
    import_summary_t *sum;
    uint64_t rows;
    size_t in_tx; /* rows since the transaction began */
    double t0, last_draw;
    char *err;
    size_t errlen;
} run_t;

/* Count one outcome; a rejected row goes to the report. */
static int tally(run_t *r, int outcome, size_t line, const import_reject_t *rej)
{
    r->rows++;
    switch (outcome) {
    case IMPORT_INSERTED: r->sum->imported++; break;
    case IMPORT_UPDATED: r->sum->updated++; break;
    case IMPORT_UNCHANGED: r->sum->unchanged++; break;
    default:
        r->sum->rejected++;
        if (report_row(&r->rep, line, rej->col >= 0 ? r->k->cols[rej->col].key : "*",
                       rej->reason, rej->id_masked) < 0) {
            snprintf(r->err, r->errlen, "%s: cannot write the report", r->rep.path);
            return CB_EIO;
        }
    }
    return CB_OK;
}

/* After 'n' more rows: commit once a transaction holds BATCH_ROWS, and redraw the
 * progress bar now and then. */
static int advance(run_t *r, size_t n, uint64_t done, uint64_t total)
{
    int rc = CB_OK;

    r->in_tx += n;
    if (r->in_tx < BATCH_ROWS)
        return CB_OK;
    r->in_tx = 0;
    rc = store_commit(r->st);
    if (rc >= 0)
        rc = store_begin(r->st);
    if (clock_mono_s() - r->last_draw > 0.2) {
        meter(r->tty, done, total, r->rows, r->t0, 0);
        r->last_draw = clock_mono_s();
    }
    return rc;
}

/* One-stage kinds: read, check and store each row in turn. */
static int loop_rows(run_t *r)
{
    const import_kind_t *k = r->k;
    const char **v = xcalloc(k->ncols, sizeof *v);
    size_t *vl = xcalloc(k->ncols, sizeof *vl);
    uint64_t done = 0, total = 0;
    csvin_row_t row;
    int rc = CB_OK;

    while (rc >= 0 && (rc = csvin_next(r->in, &row)) > 0) {
        import_reject_t rej;
        import_fields_t f = {row.line, v, vl, r->given};
        int outcome = import__shape(k, r->map, r->header_n, &row, v, vl, &rej);
        if (outcome == IMPORT_PENDING)
            outcome = k->row(k->ud, &f, &rej);
        if (outcome < 0) {
            rc = outcome;
            snprintf(r->err, r->errlen, "line %zu: %s: %s", row.line, cb_strerror(rc),
                     store_errmsg(r->st));
            break;
        }
        rc = tally(r, outcome, row.line, &rej);
        csvin_progress(r->in, &done, &total);
        if (rc >= 0)
            rc = advance(r, 1, done, total);
    }
    free(v);
    free(vl);
    return rc;
}

/* Two-stage kinds: a reader thread checks rows in batches; here each batch is
 * applied, its rows counted and its rejected rows reported, in file order. */
static int loop_batches(run_t *r)
{
    const import_kind_t *k = r->k;
    import_source_t src = {.in = r->in, .k = k, .map = r->map, .given = r->given,
                           .header_n = r->header_n};
    import_pipe_t *pipe = NULL;
    int rc = import_pipe_start(&src, &pipe), end = 0;

    if (rc < 0)
        snprintf(r->err, r->errlen, "cannot start the reader thread");
    while (rc >= 0 && !end) {
        import_batch_t *b = import_pipe_next(pipe);
        size_t rej = 0;
        if (b->nitems > 0) {
            rc = k->apply(k->ud, b->items, b->nitems);
            if (rc < 0)
                snprintf(r->err, r->errlen, "lines %zu-%zu: %s: %s", b->first_line,
                         b->last_line, cb_strerror(rc), store_errmsg(r->st));
        }
        /* Items and rejected rows are each in file order: merge them by line. */
        for (size_t i = 0; rc >= 0 && i < b->nitems; i++) {
            while (rc >= 0 && rej < b->nrejected && b->rejected[rej].line < b->items[i].line) {
                rc = tally(r, IMPORT_REJECTED, b->rejected[rej].line, &b->rejected[rej].rej);
                rej++;
            }
            if (rc >= 0 && (b->items[i].outcome < IMPORT_INSERTED ||
                            b->items[i].outcome > IMPORT_UNCHANGED)) {
                snprintf(r->err, r->errlen, "line %zu: no outcome (a bug)", b->items[i].line);
                rc = CB_ESTATE;
            }
            if (rc >= 0)
                rc = tally(r, b->items[i].outcome, b->items[i].line, NULL);
        }
        for (; rc >= 0 && rej < b->nrejected; rej++)
            rc = tally(r, IMPORT_REJECTED, b->rejected[rej].line, &b->rejected[rej].rej);
        end = b->end;
        if (rc >= 0 && b->rc < 0) {
            rc = b->rc;
            snprintf(r->err, r->errlen, "%s", b->err);
        }
        if (rc >= 0 && !end)
            rc = advance(r, b->nrows, b->done, b->total);
        import_pipe_done(pipe, b);
    }
    import_pipe_stop(pipe);
    return rc;
}

int import_run(store_t *st, const import_kind_t *k, const char *path, const char *report,
               int tty, import_summary_t *sum, char *err, size_t errlen)
{
    csvin_row_t row;
    run_t r = {.st = st, .k = k, .tty = tty, .sum = sum, .err = err, .errlen = errlen};
    uint64_t done = 0, total = 0;
    int rc;

    memset(sum, 0, sizeof *sum);
    r.t0 = clock_mono_s();
    r.map = xcalloc(k->ncols, sizeof *r.map);
    r.given = xcalloc(k->ncols, 1);
    snprintf(r.rep.path, sizeof r.rep.path, "%s%s", report ? report : path,
             report ? "" : ".rejected.csv");
    if (strcmp(path, "-") == 0 && report == NULL)
        snprintf(r.rep.path, sizeof r.rep.path, "%s", "rejected.csv");
    rc = csvin_open(path, &r.in, err, errlen);
    if (rc < 0)
        goto out;
    rc = csvin_next(r.in, &row);
    if (rc <= 0 || row.bad != CSVIN_OK) {
        char why[128] = "";
        if (rc > 0)
            import__row_reason(&row, why, sizeof why);
        snprintf(err, errlen, "%s: %s%s", path,
                 rc < 0 ? "cannot be read" : rc == 0 ? "empty file" : "unreadable header line: ",
                 why);
        rc = rc < 0 ? rc : CB_EPARSE;
        goto out;
    }
    r.header_n = row.nfields;
    rc = import__map_header(k, &row, r.map, err, errlen);
    if (rc < 0)
        goto out;
    for (size_t c = 0; c < k->ncols; c++)
        r.given[c] = r.map[c] >= 0;
    rc = store_begin(st);
    if (rc >= 0)
        rc = k->check != NULL ? loop_batches(&r) : loop_rows(&r);
    if (rc >= 0 && r.rows == 0) {
        /* Most likely an export that went wrong: say so rather than "imported 0". */
        snprintf(err, errlen, "%s: the header is there but no data rows", path);
        rc = CB_EPARSE;
    }
    if (rc >= 0)
        rc = store_commit(st);
    if (rc < 0) {
        if (err[0] == '\0')
            snprintf(err, errlen, "%s: %s", cb_strerror(rc), store_errmsg(st));
        store_rollback(st);
    }
    csvin_progress(r.in, &done, &total);
    meter(tty, done, total, r.rows, r.t0, 1);
out:
    sum->seconds = clock_mono_s() - r.t0;
    if (r.rep.fp != NULL) {
        if (fclose(r.rep.fp) != 0 && rc >= 0) {
            snprintf(err, errlen, "%s: cannot write the report", r.rep.path);
            rc = CB_EIO;
        }
        snprintf(sum->report, sizeof sum->report, "%s", r.rep.path);
    } else if (report == NULL && rc >= 0 && strcmp(path, "-") != 0) {
        unlink(r.rep.path); /* a report of an earlier run of this file is stale now */
    }
    csvin_close(r.in);
    free(r.map);
    free(r.given);
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
