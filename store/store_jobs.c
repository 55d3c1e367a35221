/* SPDX-License-Identifier: MIT */
#include "store/store_jobs.h"

#include "core/err.h"
#include "store/store_internal.h"

int store_job_last(store_t *st, const char *job, int64_t *due_at)
{
    sqlite3_stmt *s = st->stmt[ST_JOB_LAST];
    int rc;

    store__bind_text(s, 1, job, -1);
    rc = sqlite3_step(s);
    *due_at = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    store__done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}

int store_job_start(store_t *st, const char *job, int64_t due_at, int64_t started, int64_t *id)
{
    sqlite3_stmt *s = st->stmt[ST_JOB_START];
    int rc;

    store__bind_text(s, 1, job, -1);
    sqlite3_bind_int64(s, 2, due_at);
    sqlite3_bind_int64(s, 3, started);
    rc = store__exec(st, s);
    if (rc < 0)
        return rc;
    if (sqlite3_changes(st->db) == 0)
        return 0;
    *id = sqlite3_last_insert_rowid(st->db);
    return 1;
}

int store_job_finish(store_t *st, int64_t id, int64_t ended, uint64_t queued, const char *summary,
                     const char *error)
{
    sqlite3_stmt *s = st->stmt[ST_JOB_FINISH];

    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, ended);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)queued);
    store__bind_text(s, 4, summary, -1);
    store__bind_text(s, 5, error, -1);
    return store__exec(st, s);
}

typedef struct visit {
    int (*fn)(void *ud, const store_job_row_t *r);
    void *ud;
} visit_t;

static int row(void *ud, sqlite3_stmt *s)
{
    const visit_t *v = ud;
    store_job_row_t r = {
        .id = sqlite3_column_int64(s, 0),
        .job = store__col(s, 1),
        .due_at = sqlite3_column_int64(s, 2),
        .started_at = sqlite3_column_int64(s, 3),
        .ended_at = sqlite3_column_int64(s, 4),
        .queued = (uint64_t)sqlite3_column_int64(s, 5),
        .summary = store__col(s, 6),
        .error = store__col(s, 7),
    };
    return v->fn(v->ud, &r);
}

int store_job_list(store_t *st, int limit, int (*fn)(void *ud, const store_job_row_t *r),
                   void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_JOB_LIST];
    visit_t v = {fn, ud};

    sqlite3_bind_int(s, 1, limit);
    return store__each(st, s, row, &v);
}
