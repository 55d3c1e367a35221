/* SPDX-License-Identifier: MIT */
/*
 * fuzz_csv.c - libFuzzer target for the CSV reader of the imports (app/csvin.h)
 * and the row checks that need no database (import__shape, then the ID number and
 * phone checks of core/): any bytes as a file, read through a memfd as csvin reads
 * any file. Beyond the sanitizers it checks the contract:
 *   - csvin_next gives rows with rising line numbers, then 0 (never an error);
 *   - a split row's fields are NUL-terminated at their length and valid UTF-8;
 *   - a row csvin did not mark 'suspect' has no field csvin_field_bad objects to
 *     (the fast path's shortcut may never miss a control character or U+FEFF);
 *   - import__shape accepts no field with such a character or longer than its
 *     column allows, and gives every rejection a reason and a column in range;
 *   - an accepted ID number or phone comes out as ASCII of the right shape.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <utf8proc.h>

#include "import/csvin.h"
#include "import/import.h"
#include "import/import_shape.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/phone.h"
#include "fuzz/fuzz.h"

enum { C_ID, C_PHONE, C_NAME, C_N };

static const import_col_t cols[C_N] = {
    [C_ID] = {"id_number", (const char *const[]){"身份证号", "id", NULL}, 1, 18},
    [C_PHONE] = {"phone", (const char *const[]){"手机号", "phone", NULL}, 0, 20},
    [C_NAME] = {"name", (const char *const[]){"姓名", "name", NULL}, 1, 30},
};
static const import_kind_t kind = {.what = "fuzz", .cols = cols, .ncols = C_N};

static int valid_utf8(const char *s, size_t len)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t i = 0, n = (utf8proc_ssize_t)len;

    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, n - i, &cp);
        if (k <= 0)
            return 0;
        i += k;
    }
    return 1;
}

static void check_row(const csvin_row_t *row)
{
    uint32_t cp;

    if (row->bad != CSVIN_OK) {
        CHECK(row->bad <= CSVIN_ECONTROL);
        CHECK(row->bad != CSVIN_ECONTROL || row->bad_cp == '\r' || row->bad_cp == '\n');
        return;
    }
    CHECK(row->nfields > 0);
    for (size_t i = 0; i < row->nfields; i++) {
        CHECK(row->field[i][row->len[i]] == '\0');
        CHECK(valid_utf8(row->field[i], row->len[i]));
        if (!row->suspect)
            CHECK(!csvin_field_bad(row->field[i], row->len[i], &cp));
    }
}

/* The header's map: by name when import__map_header takes it, else fields 0, 1
 * and 2 in order (so that rows are checked whatever the header). */
static void map_header(const csvin_row_t *h, long *map)
{
    char err[512] = "";

    if (import__map_header(&kind, h, map, err, sizeof err) == 0) {
        for (size_t c = 0; c < C_N; c++)
            CHECK(map[c] >= -1 && map[c] < (long)h->nfields && (map[c] >= 0 || !cols[c].required));
        return;
    }
    CHECK(err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL);
    for (size_t c = 0; c < C_N; c++)
        map[c] = c < h->nfields ? (long)c : -1;
}

/* The kind's checks on a data row. */
static void check_shape(const csvin_row_t *row, const long *map, size_t header_n,
                        cb_date_t today)
{
    const char *v[C_N];
    size_t vl[C_N];
    import_reject_t rej;
    char id[IDCARD_LEN + 1], phone[PHONE_LEN + 1], why[160];
    uint32_t cp;

    if (import__shape(&kind, map, header_n, row, v, vl, &rej) != IMPORT_PENDING) {
        CHECK(rej.reason[0] != '\0');
        CHECK(rej.col >= -1 && rej.col < C_N);
        CHECK(memchr(rej.reason, '\0', sizeof rej.reason) != NULL);
        return;
    }
    for (size_t c = 0; c < C_N; c++) {
        CHECK(!csvin_field_bad(v[c], vl[c], &cp));
        CHECK(import_chars(v[c], vl[c]) <= cols[c].max_chars);
    }
    if (idcard_check(v[C_ID], vl[C_ID], today, id, why, sizeof why) == IDCARD_OK) {
        CHECK(strlen(id) == IDCARD_LEN);
        for (size_t i = 0; i < IDCARD_LEN; i++)
            CHECK((id[i] >= '0' && id[i] <= '9') || (i == IDCARD_LEN - 1 && id[i] == 'X'));
    } else {
        CHECK(why[0] != '\0' && valid_utf8(why, strlen(why)));
    }
    if (phone_normalise(v[C_PHONE], vl[C_PHONE], phone, why, sizeof why) == 0)
        CHECK(strlen(phone) == PHONE_LEN && phone[0] == '1');
    else
        CHECK(why[0] != '\0' && valid_utf8(why, strlen(why)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[256];
    csvin_t *in = NULL;
    csvin_row_t row;
    size_t last = 0, header_n = 0;
    long map[C_N];
    cb_date_t today = 0;
    int fd, rc;

    if (size > 256 * 1024 || date_from_ymd(2024, 12, 31, &today) != 0)
        return 0;
    fd = memfd_create("fuzz_csv", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    rc = csvin_open(path, &in, err, sizeof err);
    CHECK(rc == 0);
    while ((rc = csvin_next(in, &row)) == 1) {
        CHECK(row.line > last);
        last = row.line;
        check_row(&row);
        if (header_n == 0 && row.bad == CSVIN_OK) {
            header_n = row.nfields;
            map_header(&row, map);
        } else if (header_n > 0) {
            check_shape(&row, map, header_n, today);
        }
    }
    CHECK(rc == 0);
    csvin_close(in);
    close(fd);
    return 0;
}
