/* SPDX-License-Identifier: MIT */
/* store_internal.h - shared between the files of store/ only. */
#ifndef CB_STORE_STORE_INTERNAL_H
#define CB_STORE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"
#include "store/store_roster.h"

/* Every prepared statement, by name. The SQL is in store.c's table. */
enum store_stmt {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_CAMPAIGN_INSERT,
    ST_CAMPAIGN_CURRENT,
    ST_AREA_FIND,
    ST_AREA_INSERT,
    ST_AREA_ALL,
    ST_TARGET_UPSERT,
    ST_TARGET_ALL,
    ST_HOUSEHOLD_INSERT,
    ST_HOUSEHOLD_FIND,
    ST_HOUSEHOLD_MAX_ID,
    ST_PERSON_FIND,
    ST_PERSON_ID,
    ST_PERSON_MAX_ID,
    ST_PERSON_UPDATE,
    ST_ENROL_UPSERT,
    ST_ENROL_SET_STATUS,
    ST_ENROL_SET_CATS,
    ST_TARGET_GET,
    ST_AUDIT_INSERT,
    ST_STATUS_COUNTS,
    ST_PAYMENT_INSERT,
    ST_PAYMENT_FIND,
    ST_RESIDENT_GET,
    ST_OUTBOX_INSERT,
    ST_OUTBOX_CLAIM,
    ST_OUTBOX_RECORD,
    ST_OUTBOX_DELIVERY,
    ST_OUTBOX_DELIVERY_GW,
    ST_OUTBOX_SENT_SINCE,
    ST_OUTBOX_LIST,
    ST_OUTBOX_COUNTS,
    ST_OPTOUT_ADD,
    ST_OPTOUT_HAS,
    ST_PEOPLE_EACH,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_AREA_GET,
    ST_PEOPLE_BY_PHONE,
    ST_PEOPLE_DATED,
    ST_JOB_LAST,
    ST_JOB_START,
    ST_JOB_FINISH,
    ST_JOB_LIST,
    ST_OUTBOX_SENT_EACH,
    ST_INBOUND_INSERT,
    ST_INBOUND_GET,
    ST_INBOUND_SET,
    ST_HANDOFF_INSERT,
    ST_HANDOFF_LIST,
    ST_CLAIM_FIND_OPEN,
    ST_CLAIM_INSERT,
    ST_CLAIM_UPDATE,
    ST_CLAIM_LIST,
    ST_CLAIM_RESOLVE,
    ST_CLAIM_FOR_PAYMENT,
    ST_CLAIM_SETTLE,
    ST_CONV_BY_PHONE,
    ST_CONV_SET,
    ST_CONV_END,
    ST_CONV_END_PHONE,
    ST_SURVEY_INSERT,
    ST_SURVEY_GET,
    ST_ANSWER_INSERT,
    ST_ANSWER_COUNTS,
    ST_ANSWER_RESPONDENTS,
    ST_WAIVER_FIND,
    ST_WAIVER_INSERT,
    ST_WAIVER_UPDATE,
    ST_WAIVER_CONFIRM,
    ST_WAIVER_LIST,
    ST_PHONE_INDEX_DROP,
    ST_PHONE_INDEX_CREATE,
    ST_AREA_INDEX_DROP,
    ST_AREA_INDEX_CREATE,
    ST_REPORT_ON,
    ST_REPORT_BEFORE,
    ST_REPORT_AREAS,
    ST_REPORT_INSERT,
    ST_REPORT_AREA_INSERT,
    ST_READ_BEGIN,
    ST_PAYMENT_MAX_ID,
    ST__COUNT
};

/* Rows of one multi-row insert in store_persons_put, and how many such
 * statements it keeps (see store_persons.c). */
#define STORE__PUT_ROWS 64
#define STORE__PUT_STMTS 11

typedef struct store_profile store_profile_t;

#define STORE__CACHED 64 /* statements store__prepare keeps per connection */

/* Run the write 'sql' (for store__prepare) with ?1 = a, ?2 = b, ?3 = text: the rows
 * it changed, or store__fail's code. */
int store__write_iit(store_t *st, const char *sql, int64_t a, int64_t b, const char *text);

/* CANBAO_SQL_PROFILE: time per statement, printed at close (store_profile.c). */
void store__profile_start(store_t *st);
void store__profile_end(store_t *st);

struct store {
    sqlite3 *db; /* opened SQLITE_OPEN_NOMUTEX: one thread per connection */
    store_profile_t *profile; /* NULL unless CANBAO_SQL_PROFILE is set */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cached[STORE__CACHED]; /* store__prepare's statements */
    sqlite3_stmt *stmt[ST__COUNT];
    int in_tx;
    /* The household last looked up: roster rows of one household come together. */
    char *hh_code;
    int64_t hh_id;
    /* store_persons_put (store_persons.c): its multi-row inserts, prepared on
     * first use, and whether the last chunk held mostly stored people (then it
     * looks them up before inserting). */
    sqlite3_stmt *put[STORE__PUT_STMTS];
    int put_find_first;
    char errmsg[256];
};

/* The id of the household 'code', created when missing (NULL code: 0). */
int store__household_id(store_t *st, const char *code, int64_t *id);
/* Update the stored person with p->key as store_person_upsert does (STORE_UPDATED
 * or STORE_UNCHANGED, with audit rows); CB_ENOTFOUND when the key is not stored. */
int store__person_update(store_t *st, int64_t campaign, const store_person_t *p,
                         const char *source, int64_t now);

/* Keep sqlite3's message for 'rc' and map it to a CB_E* code. */
int store__fail(store_t *st, int rc);
/* Reset and clear bindings of a statement after use. */
void store__done(sqlite3_stmt *s);
/* Step a statement expected to finish with SQLITE_DONE; resets it. */
int store__exec(store_t *st, sqlite3_stmt *s);
/* Step 's' to its end calling row(ud, s) for each row; a nonzero from row stops and
 * is returned as is. Resets 's'. */
int store__each(store_t *st, sqlite3_stmt *s, int (*row)(void *ud, sqlite3_stmt *s), void *ud);
/* A text column, "" for NULL; borrowed until the statement steps or resets. */
const char *store__col(sqlite3_stmt *s, int i);
/* Bind 'len' bytes as text, NULL when s is NULL. SQLITE_STATIC: callers reset before returning. */
int store__bind_text(sqlite3_stmt *s, int i, const char *txt, int len);

/* The statement for 'sql' (statements outside the table above), prepared on first
 * use and kept by the connection, keyed by the address of 'sql': pass a string
 * literal or a static array. The caller releases it with store__done (never
 * sqlite3_finalize); it is finalized with the connection. CB_OK, or store__fail's
 * code. */
int store__prepare(store_t *st, const char *sql, sqlite3_stmt **s);

/* SQL: does worker W answer for person p (whose area row is a)? The most specific
 * scope wins: a household scope, then the person's group, then the village
 * (store_worker.h). W is an SQL expression, e.g. "?2". */
#define STORE__OWNS(W)                                                                    \
    "(EXISTS (SELECT 1 FROM worker_scope s WHERE s.worker_id = " W                         \
    "   AND s.household_id = p.household_id)"                                             \
    " OR (NOT EXISTS (SELECT 1 FROM worker_scope s WHERE s.household_id = p.household_id)" \
    "  AND (EXISTS (SELECT 1 FROM worker_scope s WHERE s.worker_id = " W                   \
    "        AND s.area_id = p.area_id)"                                                  \
    "   OR (a.level = 3 AND NOT EXISTS (SELECT 1 FROM worker_scope s"                     \
    "        WHERE s.area_id = p.area_id)"                                                \
    "     AND EXISTS (SELECT 1 FROM worker_scope s WHERE s.worker_id = " W                 \
    "        AND s.area_id = a.parent_id)))))"

#endif
