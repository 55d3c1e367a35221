/* SPDX-License-Identifier: MIT */
/* import_fixture.c - helpers of the import tests: files, a fresh database per test
 * with one campaign, imports that must succeed, and SQL through a second connection. */
#include "tests/import_fixture.h"

#include <check.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/date.h"
#include "core/err.h"
#include "core/idcard.h"

/* The whole file as a NUL-terminated string; the caller frees it. */
char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(fp != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    ck_assert_int_ge(n, 0);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    if (len != NULL)
        *len = (size_t)n;
    return buf;
}

void spew(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");

    ck_assert_msg(fp != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), fp), strlen(text));
    ck_assert_int_eq(fclose(fp), 0);
}

/* Split one CSV line (no line end) in place: quoted fields with "" escapes.
 * Returns the number of fields (at most 'max'). */
size_t csv_split(char *s, char **f, size_t max)
{
    char *out = s;
    size_t n = 0;

    while (n < max) {
        char *start = out;
        if (*s == '"') {
            s++;
            while (*s != '\0') {
                if (*s == '"') {
                    if (s[1] != '"') {
                        s++;
                        break;
                    }
                    s++;
                }
                *out++ = *s++;
            }
        }
        while (*s != ',' && *s != '\0')
            *out++ = *s++;
        f[n++] = start;
        if (*s != ',') {
            *out = '\0';
            break;
        }
        s++;
        *out++ = '\0';
    }
    return n;
}

/* Read the next line of 'fp' without its line end into *line (getline's buffer). */
int next_line(FILE *fp, char **line, size_t *cap)
{
    ssize_t n = getline(line, cap, fp);

    if (n < 0)
        return 0;
    while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
        (*line)[--n] = '\0';
    return 1;
}

/* Every test works in a directory under 'base_dir', which the unchecked fixture
 * makes before the (forked) tests run and removes after them: a failing test exits
 * before its own cleanup and still leaves nothing behind. */
static char base_dir[64];

void base_setup(void)
{
    snprintf(base_dir, sizeof base_dir, "/tmp/cb-test-import-XXXXXX");
    if (mkdtemp(base_dir) == NULL) {
        perror("mkdtemp");
        exit(EXIT_FAILURE);
    }
}

void base_teardown(void)
{
    rm_tree(base_dir);
}

/* A fresh directory under base_dir. */
void test_dir(char *dir, size_t n)
{
    snprintf(dir, n, "%s/t-XXXXXX", base_dir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void db_open(db_t *d, const char *policy_file)
{
    char err[512] = "", ppath[512];
    char *json;
    size_t len;
    int64_t campaign = 0;
    cb_date_t today;

    memset(d, 0, sizeof *d);
    test_dir(d->dir, sizeof d->dir);
    snprintf(d->path, sizeof d->path, "%s/canbao.db", d->dir);
    ck_assert_msg(store_open(d->path, &d->st, err, sizeof err) == CB_OK, "%s", err);
    snprintf(ppath, sizeof ppath, "%s/%s", CB_EXAMPLES, policy_file);
    json = slurp(ppath, &len);
    ck_assert_msg(policy_parse(json, len, &d->pol, err, sizeof err) == CB_OK, "%s", err);
    ck_assert_int_eq(store_campaign_create(d->st, policy_year(d->pol), policy_county(d->pol),
                                           json, NOW, &campaign),
                     CB_OK);
    free(json);
    ck_assert_int_gt(campaign, 0);
    /* The generated rosters hold births up to late 2024. */
    ck_assert_int_eq(date_parse("2024-12-31", 10, &today), CB_OK);
    d->env = (import_env_t){.st = d->st, .pol = d->pol, .campaign = campaign, .today = today,
                            .now = NOW, .source = d->source};
}

void rm_tree(const char *dir)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    struct stat sb;
    char p[512];

    if (dh == NULL)
        return;
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(dh);
    rmdir(dir);
}

void db_close(db_t *d)
{
    store_close(d->st);
    policy_destroy(d->pol);
    rm_tree(d->dir);
}

/* A path inside the test's directory. */
const char *tmp_path(const db_t *d, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", d->dir, name);
    return buf;
}

/* Import 'path' as 'kind'; the audit source is "import:KIND:BASENAME" as the CLI
 * writes it. Asserts the import itself succeeded. */
void import_ok(db_t *d, const char *kind, const char *category, const char *path,
                      const char *report, import_summary_t *sum)
{
    char err[1024] = "", tmp_report[512];
    const char *base = strrchr(path, '/');
    int rc;

    /* Never write a report beside the fixtures in the source tree. */
    if (report == NULL) {
        snprintf(tmp_report, sizeof tmp_report, "%s/report-%s.csv", d->dir, kind);
        report = tmp_report;
    }
    snprintf(d->source, sizeof d->source, "import:%s:%s", kind, base ? base + 1 : path);
    rc = import_file(&d->env, kind, category, path, report, 0, sum, err, sizeof err);
    ck_assert_msg(rc == CB_OK, "import %s %s: %d %s", kind, path, rc, err);
}

void expect_sum(const import_summary_t *s, uint64_t imported, uint64_t updated,
                       uint64_t unchanged, uint64_t rejected)
{
    ck_assert_msg(s->imported == imported && s->updated == updated &&
                      s->unchanged == unchanged && s->rejected == rejected,
                  "imported %llu, updated %llu, unchanged %llu, rejected %llu; expected "
                  "%llu, %llu, %llu, %llu",
                  (unsigned long long)s->imported, (unsigned long long)s->updated,
                  (unsigned long long)s->unchanged, (unsigned long long)s->rejected,
                  (unsigned long long)imported, (unsigned long long)updated,
                  (unsigned long long)unchanged, (unsigned long long)rejected);
}

/* Run 'sql' (with an optional text parameter ?1) on the database file through a
 * second, read-only connection; the rows as "a|b|c\n", NULL written as "NULL". */
void sql_rows(const db_t *d, const char *sql, const char *param, char *out, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    size_t used = 0;
    int rc;

    ck_assert_int_eq(sqlite3_open_v2(d->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    if (param != NULL)
        sqlite3_bind_text(s, 1, param, -1, SQLITE_TRANSIENT);
    out[0] = '\0';
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            const unsigned char *t = sqlite3_column_text(s, c);
            int w = snprintf(out + used, n - used, "%s%s", c ? "|" : "",
                             t ? (const char *)t : "NULL");
            ck_assert(w >= 0 && (size_t)w < n - used);
            used += (size_t)w;
        }
        ck_assert_uint_lt(used + 1, n);
        out[used++] = '\n';
        out[used] = '\0';
    }
    ck_assert_int_eq(rc, SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

long long sql_count(const db_t *d, const char *sql)
{
    char buf[64];

    sql_rows(d, sql, NULL, buf, sizeof buf);
    return strtoll(buf, NULL, 10);
}

/* The stored resident with the normalised ID number 'id'. */
void resident(const db_t *d, const char *id, store_resident_t *r)
{
    int rc = store_resident_get(d->st, d->env.campaign, idcard_key(id), r);
    ck_assert_msg(rc == CB_OK, "%s: %d", id, rc);
}

int resident_exists(const db_t *d, const char *id)
{
    store_resident_t r;
    int rc = store_resident_get(d->st, d->env.campaign, idcard_key(id), &r);

    ck_assert(rc == CB_OK || rc == CB_ENOTFOUND);
    store_resident_free(&r);
    return rc == CB_OK;
}

void expect_status(const db_t *d, const char *id, const char *status)
{
    store_resident_t r;

    resident(d, id, &r);
    ck_assert_msg(r.status != NULL && strcmp(r.status, status) == 0, "%s: status %s, expected %s",
                  id, r.status ? r.status : "(none)", status);
    store_resident_free(&r);
}

/* ---- synthetic rosters ---------------------------------------------------- */

/* The ID number of synthetic person i: valid, distinct for i < 900,000. */
void person_id(size_t i, char id[IDCARD_LEN + 1])
{
    cb_date_t d;
    int y, m, dd;

    ck_assert_int_eq(date_from_ymd(1950, 1, 1, &d), CB_OK);
    date_to_ymd(d + (cb_date_t)(i / 900), &y, &m, &dd);
    snprintf(id, IDCARD_LEN, "430923%04d%02d%02d%03zu", y, m, dd, 100 + i % 900);
    id[17] = idcard_check_char(id);
    id[18] = '\0';
}

/* One synthetic roster row (no line end): person i with the phone 'phone'. */
void person_row(size_t i, const char *phone, char *out, size_t n)
{
    char id[IDCARD_LEN + 1];

    person_id(i, id);
    snprintf(out, n, "%s,人%zu,%s,4309231012%06zu,户主,冷市镇,南华村,%zu组,,unpaid,", id, i,
             phone, i / 3, i % 5 + 1);
}

void default_phone(size_t i, char *out, size_t n)
{
    snprintf(out, n, "138%08zu", i);
}

/* Write a roster of persons from..to-1 (every 'step'th) to 'path'; lines[k], when
 * not NULL, replaces data row k (0-based, the file's line k + 2). */
void write_roster(const char *path, size_t from, size_t to, size_t step,
                         const char *const *lines, size_t nlines)
{
    FILE *fp = fopen(path, "w");
    char row[512], phone[32];
    size_t k = 0;

    ck_assert_ptr_nonnull(fp);
    fputs("person_id,name,phone,household_id,relation,township,village,group,category,status,"
          "birth_date\n",
          fp);
    for (size_t i = from; i < to; i += step, k++) {
        if (k < nlines && lines[k] != NULL) {
            fprintf(fp, "%s\n", lines[k]);
            continue;
        }
        default_phone(i, phone, sizeof phone);
        person_row(i, phone, row, sizeof row);
        fprintf(fp, "%s\n", row);
    }
    ck_assert_int_eq(fclose(fp), 0);
}

/* Nothing dangles: foreign_key_check finds no row, whatever the import turned off. */
void expect_references_sound(const db_t *d)
{
    char rows[1024];

    sql_rows(d, "PRAGMA foreign_key_check", NULL, rows, sizeof rows);
    ck_assert_str_eq(rows, "");
    ck_assert_int_eq(sql_count(d, "SELECT count(*) FROM person p WHERE NOT EXISTS "
                                  "(SELECT 1 FROM enrolment e WHERE e.person_id = p.id)"),
                     0);
}

/* Foreign keys are enforced again on the importing connection: a target of an
 * area that does not exist fails at commit. */
void expect_foreign_keys_on(db_t *d)
{
    ck_assert_int_eq(store_begin(d->st), CB_OK);
    ck_assert_int_eq(store_target_set(d->st, d->env.campaign, 999999, 10, -1), CB_OK);
    ck_assert_int_lt(store_commit(d->st), 0);
    store_rollback(d->st);
}

/* The report's rows: line numbers and columns, at most 'max'. */
size_t read_report(const char *path, size_t *lines, char (*cols)[32], size_t max)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *f[8];
    size_t cap = 0, n = 0;

    ck_assert_ptr_nonnull(fp);
    ck_assert(next_line(fp, &line, &cap));
    ck_assert_str_eq(line, "line,column,reason,id_number");
    while (next_line(fp, &line, &cap)) {
        ck_assert_uint_lt(n, max);
        ck_assert_uint_eq(csv_split(line, f, 8), 4);
        lines[n] = strtoul(f[0], NULL, 10);
        snprintf(cols[n], sizeof cols[n], "%s", f[1]);
        n++;
    }
    free(line);
    fclose(fp);
    return n;
}

size_t import_roster_rows(db_t *d, const char *name, const char *const *lines, size_t nlines,
                          size_t total, import_summary_t *sum, size_t *rep_lines,
                          char (*rep_cols)[32], size_t max)
{
    char path[256], report[300];

    tmp_path(d, name, path, sizeof path);
    snprintf(report, sizeof report, "%s.report.csv", path);
    write_roster(path, 0, total, 1, lines, nlines);
    import_ok(d, "roster", NULL, path, report, sum);
    return sum->rejected ? read_report(report, rep_lines, rep_cols, max) : 0;
}
