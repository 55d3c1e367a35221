/* SPDX-License-Identifier: MIT */
#include "import/csvin.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mem.h"

#define BUF_SIZE (1u << 20)          /* read size; a line longer than this is too long anyway */
#define DETECT_BYTES (256u * 1024u)  /* how much of the start decides the encoding */
/* CSV_REPALL_NL: every CR or LF outside quotes reaches on_row, even before a row. */
#define CSV_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL)

enum enc { ENC_UTF8, ENC_UTF8_BOM, ENC_GB18030 };

struct csvin {
    int fd;
    enum enc enc;
    char eol;             /* '\n' (LF or CRLF), or '\r' in a CR-only file */
    iconv_t cd;           /* GB18030 -> UTF-8, only for ENC_GB18030 */
    char *buf;            /* raw bytes read from the file */
    size_t start, end;    /* unread window of buf */
    int eof;
    uint64_t consumed, total;
    size_t line;
    char *conv;           /* a GB18030 line converted to UTF-8 */
    size_t conv_cap;
    struct csv_parser csv;
    /* fields of the current row, as offsets into 'fbuf' while parsing */
    char *fbuf;
    size_t flen, fcap;
    size_t *foff, *fsize;
    const char **fptr;
    size_t nf, fcapn;
    /* a line end libcsv met inside a line (outside quotes): the first one */
    int stray;
    size_t stray_field;
    uint32_t stray_cp;
};

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The 'len' bytes at 's' hold a C0 control or DEL: eight bytes at a time with the
 * bit hacks "hasless" (a byte below 0x20) and "haszero" (of w ^ 0x7F..: a DEL),
 * both exact for a word as a whole, whatever its bytes. */
static int has_control(const unsigned char *s, size_t len)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t acc = 0, w, del;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        del = w ^ (0x7F * ones);
        acc |= ((w - 0x20 * ones) & ~w) | ((del - ones) & ~del);
    }
    for (; i < len; i++)
        acc |= s[i] < 0x20 || s[i] == 0x7F ? highs : 0;
    return (acc & highs) != 0;
}

/*
 * Well-formed UTF-8 (Unicode 3.9 table 3-7: no overlong forms, surrogates or code
 * points above U+10FFFF), as utf8proc_iterate accepts it; ASCII runs are skipped
 * eight bytes at a time. Every line is checked, and calling utf8proc for each
 * character was a tenth of the reader thread's work. (Compared with utf8proc on
 * twenty million random byte strings: the same answer every time.)
 * Returns -1 when malformed, else 1 when the text holds a character that
 * csvin_field_bad looks for (a C0 control, DEL, a C1 control or U+FEFF), else 0.
 * C1 controls and U+FEFF are seen in this pass, C0 controls and DEL in a word-wise
 * one before it (a tenth more instructions for the reader thread, callgrind).
 */
static int scan_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int suspect = has_control(p, len);

    while (p < end) {
        unsigned char c = *p;
        size_t left = (size_t)(end - p);
        if (c < 0x80) {
            uint64_t w;
            while (left >= 8) {
                memcpy(&w, p, 8);
                if (w & 0x8080808080808080ull)
                    break;
                p += 8;
                left -= 8;
            }
            while (p < end && *p < 0x80)
                p++;
            continue;
        }
        if (c < 0xC2 || c > 0xF4)
            return -1;
        if (c < 0xE0) {
            if (left < 2 || !is_cont(p[1]))
                return -1;
            suspect |= c == 0xC2 && p[1] < 0xA0; /* U+0080..U+009F */
            p += 2;
        } else if (c < 0xF0) {
            if (left < 3 || !is_cont(p[1]) || !is_cont(p[2]) || (c == 0xE0 && p[1] < 0xA0) ||
                (c == 0xED && p[1] > 0x9F))
                return -1;
            suspect |= c == 0xEF && p[1] == 0xBB && p[2] == 0xBF; /* U+FEFF */
            p += 3;
        } else {
            if (left < 4 || !is_cont(p[1]) || !is_cont(p[2]) || !is_cont(p[3]) ||
                (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
                return -1;
            p += 4;
        }
    }
    return suspect;
}

int csvin_field_bad(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] == 0x7F) {
            *cp = p[i];
            return 1;
        }
        if (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] < 0xA0) {
            *cp = p[i + 1];
            return 1;
        }
        if (p[i] == 0xEF && i + 2 < len && p[i + 1] == 0xBB && p[i + 2] == 0xBF) {
            *cp = 0xFEFF;
            return 1;
        }
    }
    return 0;
}

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    }
    return 1;
}

static int fill(csvin_t *in)
{
    ssize_t n;

    if (in->start > 0) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    while (!in->eof && in->end < BUF_SIZE) {
        n = read(in->fd, in->buf + in->end, BUF_SIZE - in->end);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return CB_EIO;
        if (n == 0)
            in->eof = 1;
        in->end += (size_t)n;
    }
    return CB_OK;
}

/* Decide the line end and the encoding from the first DETECT_BYTES. Lines end in
 * LF (or CRLF), unless no LF is there at all but a CR is: an old Mac CSV, whose
 * every CR ends a line. The encoding is GB18030 when more lines with non-ASCII
 * bytes are invalid UTF-8 than valid (a file with a few GBK rows pasted into it
 * stays UTF-8, and those rows are rejected one by one). */
static void detect(csvin_t *in)
{
    const char *p, *end;
    size_t valid = 0, invalid = 0, n;

    if (in->end >= 3 && memcmp(in->buf, "\xEF\xBB\xBF", 3) == 0) {
        in->enc = ENC_UTF8_BOM;
        in->start = 3;
        in->consumed = 3;
    }
    p = in->buf + in->start;
    n = in->end - in->start < DETECT_BYTES ? in->end - in->start : DETECT_BYTES;
    end = p + n;
    in->eol = memchr(p, '\n', n) == NULL && memchr(p, '\r', n) != NULL ? '\r' : '\n';
    if (in->enc == ENC_UTF8_BOM)
        return;
    while (p < end) {
        const char *nl = memchr(p, in->eol, (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (nl == NULL && !in->eof)
            break; /* a partial last line says nothing */
        if (!is_ascii(p, len)) {
            if (scan_utf8(p, len) >= 0)
                valid++;
            else
                invalid++;
        }
        p += len + 1;
    }
    in->enc = invalid > valid ? ENC_GB18030 : ENC_UTF8;
}

int csvin_open(const char *path, csvin_t **out, char *err, size_t errlen)
{
    csvin_t *in = xcalloc(1, sizeof *in);
    struct stat sb;
    int rc;

    *out = NULL;
    in->cd = (iconv_t)-1;
    in->fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        free(in);
        return CB_EIO;
    }
    if (fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode))
        in->total = (uint64_t)sb.st_size;
    in->buf = xmalloc(BUF_SIZE);
    rc = fill(in);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    detect(in);
    if (in->enc == ENC_GB18030) {
        in->cd = iconv_open("UTF-8", "GB18030");
        if (in->cd == (iconv_t)-1) {
            snprintf(err, errlen, "%s: no GB18030 converter: %s", path, strerror(errno));
            rc = CB_EIO;
            goto fail;
        }
    }
    if (csv_init(&in->csv, CSV_OPTS) != 0) {
        snprintf(err, errlen, "%s: cannot start the CSV parser", path);
        rc = CB_ENOMEM;
        goto fail;
    }
    *out = in;
    return CB_OK;
fail:
    if (in->fd > 0)
        close(in->fd);
    if (in->cd != (iconv_t)-1)
        iconv_close(in->cd);
    free(in->buf);
    free(in);
    return rc;
}

static void on_field(void *s, size_t len, void *ud)
{
    csvin_t *in = ud;

    if (in->nf == in->fcapn) {
        in->fcapn = in->fcapn ? in->fcapn * 2 : 16;
        in->foff = xrealloc(in->foff, in->fcapn * sizeof *in->foff);
        in->fsize = xrealloc(in->fsize, in->fcapn * sizeof *in->fsize);
        in->fptr = xrealloc(in->fptr, in->fcapn * sizeof *in->fptr);
    }
    if (in->flen + len + 1 > in->fcap) {
        in->fcap = (in->flen + len + 1) * 2;
        in->fbuf = xrealloc(in->fbuf, in->fcap);
    }
    if (len > 0)
        memcpy(in->fbuf + in->flen, s, len);
    in->fbuf[in->flen + len] = '\0';
    in->foff[in->nf] = in->flen;
    in->fsize[in->nf] = len;
    in->flen += len + 1;
    in->nf++;
}

/* Convert a GB18030 line into in->conv; returns its length or -1 if invalid. */
static long convert(csvin_t *in, const char *s, size_t len)
{
    char *src = (char *)(uintptr_t)s, *dst;
    size_t inleft = len, outleft;

    if (in->conv_cap < len * 2 + 4) {
        in->conv_cap = len * 2 + 4;
        in->conv = xrealloc(in->conv, in->conv_cap);
    }
    dst = in->conv;
    outleft = in->conv_cap;
    iconv(in->cd, NULL, NULL, NULL, NULL);
    if (iconv(in->cd, &src, &inleft, &dst, &outleft) == (size_t)-1)
        return -1;
    return (long)(dst - in->conv);
}

/* libcsv's end of a row: c is the CR or LF that ended it, or -1 at csv_fini.
 * Lines reach libcsv without their line end, so any CR or LF is a stray one. */
static void on_row(int c, void *ud)
{
    csvin_t *in = ud;

    if (c >= 0 && !in->stray) {
        in->stray = 1;
        in->stray_field = in->nf > 0 ? in->nf - 1 : 0;
        in->stray_cp = (uint32_t)c;
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * Split a line without quotes (nearly every roster line) the way libcsv does,
 * without it: fields end at commas and lose their surrounding blanks (space,
 * tab); a line of blanks alone has no field. libcsv's byte-by-byte state machine
 * with a callback per field was half of the reader thread's work. (Compared with
 * libcsv on five million random lines of a, b, comma, space, tab, NUL and UTF-8
 * bytes: the same fields every time.) A stray CR or LF stays in its field, for
 * csvin_field_bad to find.
 */
static void split_plain(csvin_t *in, const char *s, size_t len)
{
    const char *p = s, *end = s + len;

    while (p < end && is_blank(*p))
        p++;
    if (p == end)
        return;
    for (p = s;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *fs = p, *fe = comma ? comma : end;
        while (fs < fe && is_blank(*fs))
            fs++;
        while (fe > fs && is_blank(fe[-1]))
            fe--;
        on_field((void *)(uintptr_t)fs, (size_t)(fe - fs), in);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
}

/* Split one line into fields; sets row->bad on broken quoting or a line end
 * outside quotes. */
static void split(csvin_t *in, const char *s, size_t len, csvin_row_t *row)
{
    in->nf = 0;
    in->flen = 0;
    in->stray = 0;
    if (memchr(s, '"', len) == NULL) {
        split_plain(in, s, len);
    } else if (csv_parse(&in->csv, s, len, on_field, on_row, in) != len ||
               csv_fini(&in->csv, on_field, on_row, in) != 0) {
        row->bad = CSVIN_EQUOTE;
        row->bad_field = in->nf;
        /* After an error libcsv keeps its state: start it afresh. */
        csv_free(&in->csv);
        if (csv_init(&in->csv, CSV_OPTS) != 0)
            abort(); /* cannot happen: csv_init only fails on a NULL parser */
        return;
    } else if (in->stray) {
        row->bad = CSVIN_ECONTROL;
        row->bad_field = in->stray_field;
        row->bad_cp = in->stray_cp;
        return;
    }
    for (size_t i = 0; i < in->nf; i++)
        in->fptr[i] = in->fbuf + in->foff[i];
    row->nfields = in->nf;
    row->field = in->fptr;
    row->len = in->fsize;
}

int csvin_next(csvin_t *in, csvin_row_t *row)
{
    for (;;) {
        char *p, *nl;
        size_t len;
        int too_long = 0, suspect;

        if (in->start == in->end && in->eof)
            return 0;
        p = in->buf + in->start;
        nl = memchr(p, in->eol, in->end - in->start);
        if (nl == NULL && !in->eof) {
            if (fill(in) < 0)
                return CB_EIO;
            p = in->buf + in->start;
            nl = memchr(p, in->eol, in->end - in->start);
            if (nl == NULL && !in->eof) {
                /* The whole buffer holds no newline: drop the line's bytes up to the next one. */
                too_long = 1;
                while (nl == NULL && !in->eof) {
                    in->consumed += in->end - in->start;
                    in->start = in->end;
                    if (fill(in) < 0)
                        return CB_EIO;
                    nl = memchr(in->buf + in->start, in->eol, in->end - in->start);
                }
                p = in->buf + in->start;
            }
        }
        len = nl ? (size_t)(nl - p) : in->end - in->start;
        in->start += len + (nl ? 1 : 0);
        in->consumed += len + (nl ? 1 : 0);
        in->line++;
        if (len > 0 && p[len - 1] == '\r' && in->eol == '\n')
            len--; /* CRLF */
        memset(row, 0, sizeof *row);
        row->line = in->line;
        if (too_long || len > CSVIN_MAX_LINE) {
            row->bad = CSVIN_ETOOLONG;
            return 1;
        }
        if (len == 0)
            continue;
        if (in->enc == ENC_GB18030) {
            long n = convert(in, p, len);
            if (n < 0) {
                row->bad = CSVIN_EENCODING;
                return 1;
            }
            p = in->conv;
            len = (size_t)n;
        }
        suspect = scan_utf8(p, len); /* iconv's output too: for the controls */
        if (suspect < 0) {
            row->bad = CSVIN_EENCODING;
            return 1;
        }
        row->suspect = suspect;
        split(in, p, len, row);
        if (row->bad == CSVIN_OK && (row->nfields == 0 || (row->nfields == 1 && row->len[0] == 0)))
            continue; /* a line of blanks */
        return 1;
    }
}

void csvin_progress(const csvin_t *in, uint64_t *done, uint64_t *total)
{
    *done = in->consumed;
    *total = in->total;
}

void csvin_close(csvin_t *in)
{
    if (in == NULL)
        return;
    if (in->fd > 0)
        close(in->fd);
    if (in->cd != (iconv_t)-1)
        iconv_close(in->cd);
    csv_free(&in->csv);
    free(in->buf);
    free(in->conv);
    free(in->fbuf);
    free(in->foff);
    free(in->fsize);
    free(in->fptr);
    free(in);
}
