/* SPDX-License-Identifier: MIT */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/schema.h"
#include "store/store_internal.h"

/* For status 'unpaid' (?2) of ?1: not someone with a matter a worker must settle first
 * (a pending waiver; an open claim of a death or of cover elsewhere), so reminders
 * stop while it is pending. The w.state <> 'withdrawn' lets waiver_live serve. */
#define UNPAID_SETTLED                                                                        \
    "(?2 <> 'unpaid' OR (NOT EXISTS (SELECT 1 FROM waiver w WHERE w.campaign_id = ?1 "      \
    "AND w.person_id = p.id AND w.state <> 'withdrawn' AND w.state = 'pending') "           \
    "AND NOT EXISTS (SELECT 1 FROM claim c WHERE c.campaign_id = ?1 AND c.person_id = p.id " \
    "AND c.state = 'open' AND c.kind <> 'paid')))"

/* The SQL of every statement, indexed by enum store_stmt. */
static const char *const stmt_sql[ST__COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_CAMPAIGN_INSERT] =
        "INSERT INTO campaign(year, county, policy, created_at) VALUES (?1, ?2, ?3, ?4)",
    [ST_CAMPAIGN_CURRENT] = "SELECT id, policy FROM campaign ORDER BY year DESC LIMIT 1",
    [ST_AREA_FIND] = "SELECT id FROM area WHERE ifnull(parent_id, 0) = ?1 AND name = ?2",
    [ST_AREA_INSERT] = "INSERT INTO area(parent_id, level, name) VALUES (nullif(?1, 0), ?2, ?3)",
    [ST_AREA_ALL] = "SELECT id, ifnull(parent_id, 0), level, name FROM area ORDER BY id",
    [ST_TARGET_UPSERT] =
        "INSERT INTO target(campaign_id, area_id, target, registered) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(campaign_id, area_id) DO UPDATE SET target = excluded.target, "
        "registered = excluded.registered",
    [ST_TARGET_ALL] = "SELECT area_id, target, ifnull(registered, -1) FROM target "
                      "WHERE campaign_id = ?1",
    /* Not an upsert with RETURNING: that opens an ephemeral table per call and
     * cost a fifth of a roster import. Insert, and look up only when it existed. */
    [ST_HOUSEHOLD_INSERT] = "INSERT OR IGNORE INTO household(code) VALUES (?1)",
    [ST_HOUSEHOLD_FIND] = "SELECT id FROM household WHERE code = ?1",
    [ST_HOUSEHOLD_MAX_ID] = "SELECT ifnull(max(id), 0) FROM household",
    [ST_PERSON_FIND] =
        "SELECT p.id, p.name, p.phone, h.code, p.relation, p.area_id, p.birth_date, "
        "e.status, e.categories FROM person p LEFT JOIN household h ON h.id = p.household_id "
        "LEFT JOIN enrolment e ON e.person_id = p.id AND e.campaign_id = ?2 WHERE p.key = ?1",
    [ST_PERSON_ID] = "SELECT id FROM person WHERE key = ?1",
    [ST_PERSON_MAX_ID] = "SELECT ifnull(max(id), 0) FROM person",
    [ST_PERSON_UPDATE] =
        "UPDATE person SET name = ?2, phone = ?3, household_id = ?4, relation = ?5, "
        "area_id = ?6, birth_date = ?7, updated_at = ?8 WHERE id = ?1",
    [ST_ENROL_UPSERT] =
        "INSERT INTO enrolment(campaign_id, person_id, status, categories, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(campaign_id, person_id) DO UPDATE SET "
        "status = excluded.status, categories = excluded.categories, "
        "updated_at = excluded.updated_at",
    [ST_ENROL_SET_STATUS] = "UPDATE enrolment SET status = ?3, updated_at = ?4 "
                            "WHERE campaign_id = ?1 AND person_id = ?2",
    [ST_ENROL_SET_CATS] = "UPDATE enrolment SET categories = ?3, updated_at = ?4 "
                          "WHERE campaign_id = ?1 AND person_id = ?2",
    [ST_TARGET_GET] = "SELECT target, ifnull(registered, -1) FROM target "
                      "WHERE campaign_id = ?1 AND area_id = ?2",
    [ST_AUDIT_INSERT] = "INSERT INTO audit(at, campaign_id, person_id, field, old, new, source) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_STATUS_COUNTS] =
        "SELECT p.area_id, e.status, e.categories <> '', count(*) FROM enrolment e "
        "JOIN person p ON p.id = e.person_id WHERE e.campaign_id = ?1 "
        "GROUP BY p.area_id, e.status, e.categories <> ''",
    [ST_PAYMENT_INSERT] =
        "INSERT INTO payment(receipt, campaign_id, person_id, id_number, amount_fen, channel, "
        "paid_at, source, problem, received_at, name) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [ST_PAYMENT_FIND] = "SELECT id_number, amount_fen, problem FROM payment WHERE receipt = ?1",
    [ST_RESIDENT_GET] =
        "SELECT p.id, p.id_number, p.name, p.phone, h.code, p.relation, p.area_id, "
        "p.birth_date, e.status, e.categories FROM person p "
        "LEFT JOIN household h ON h.id = p.household_id "
        "LEFT JOIN enrolment e ON e.person_id = p.id AND e.campaign_id = ?2 WHERE p.key = ?1",
    [ST_OUTBOX_INSERT] =
        "INSERT INTO outbox(key, campaign_id, person_id, route, class, recipient, template, text, "
        "status, next_at, created_at, vars) VALUES (?1, nullif(?2, 0), nullif(?3, 0), ?4, ?5, ?6, "
        "?7, ?8, 'queued', ?9, ?10, ?11) ON CONFLICT(key) DO NOTHING",
    /* Due rows of either kind, oldest first; 'sending' ones only once their lease ran out. */
    [ST_OUTBOX_CLAIM] =
        "UPDATE outbox SET status = 'sending', next_at = ?2, attempts = attempts + 1 "
        "WHERE id IN (SELECT id FROM outbox WHERE status IN ('queued', 'sending') "
        "AND next_at <= ?1 ORDER BY next_at, id LIMIT ?3) "
        "RETURNING id, ifnull(person_id, 0), ifnull(campaign_id, 0), class, attempts, key, route, "
        "recipient, template, text, ifnull(channels_tried, ''), vars",
    /* Only while 'sending': a delivery report that came first is never undone. */
    [ST_OUTBOX_RECORD] =
        "UPDATE outbox SET status = ?2, next_at = ifnull(?3, next_at), channel = ?4, "
        "channels_tried = ifnull(?5, channels_tried), gateway_id = ?6, parts = ?7, error = ?8, "
        "attempts = attempts - ?9, "
        "sent_at = CASE WHEN ?2 = 'sent' THEN ?10 ELSE sent_at END, "
        "done_at = CASE WHEN ?2 = 'failed' THEN ?10 ELSE done_at END, poll_at = nullif(?11, 0) "
        "WHERE id = ?1 AND status = 'sending'",
    [ST_OUTBOX_DELIVERY] =
        "UPDATE outbox SET status = ?2, error = ?3, done_at = ?4, poll_at = NULL, "
        "sent_at = ifnull(sent_at, ?4) WHERE id = ?1 AND status IN ('sending', 'sent')",
    /* A report naming the provider's id of the message (Tencent's SerialNo). */
    [ST_OUTBOX_DELIVERY_GW] =
        "UPDATE outbox SET status = ?2, error = ?3, done_at = ?4, poll_at = NULL "
        "WHERE gateway_id = ?1 AND status = 'sent'",
    [ST_OUTBOX_SENT_SINCE] =
        "SELECT count(*) FROM outbox WHERE recipient = ?1 AND sent_at >= ?2 "
        "AND class = 'reminder' AND status IN ('sent', 'delivered')",
    [ST_OUTBOX_LIST] =
        "SELECT id, ifnull(person_id, 0), next_at, created_at, ifnull(sent_at, 0), attempts, "
        "ifnull(parts, 0), key, route, class, recipient, template, text, status, "
        "ifnull(channel, ''), ifnull(channels_tried, ''), ifnull(gateway_id, ''), "
        "ifnull(error, '') FROM outbox WHERE ?1 = '' OR status = ?1 ORDER BY id DESC LIMIT ?2",
    [ST_OUTBOX_COUNTS] =
        "SELECT status, ifnull(channel, ''), count(*) FROM outbox GROUP BY 1, 2 ORDER BY 1, 2",
    [ST_OPTOUT_ADD] = "INSERT INTO optout(kind, recipient, at, source) VALUES (?1, ?2, ?3, ?4) "
                      "ON CONFLICT(kind, recipient) DO NOTHING",
    [ST_OPTOUT_HAS] = "SELECT 1 FROM optout WHERE kind = ?1 AND recipient = ?2",
    [ST_PEOPLE_EACH] =
        "SELECT p.id, p.area_id, p.key, p.id_number, p.name, p.phone, h.code, e.status, "
        "e.categories FROM enrolment e JOIN person p ON p.id = e.person_id "
        "LEFT JOIN household h ON h.id = p.household_id "
        "WHERE e.campaign_id = ?1 AND e.status <> 'deceased' AND (?2 = '' OR e.status = ?2) "
        "AND " UNPAID_SETTLED " ORDER BY p.phone IS NULL, p.phone, p.id",
    /* Nested work inside a caller's transaction (store_nest_begin). */
    [ST_SAVEPOINT] = "SAVEPOINT nest",
    [ST_RELEASE] = "RELEASE nest",
    [ST_ROLLBACK_TO] = "ROLLBACK TO nest",
    [ST_AREA_GET] = "SELECT ifnull(parent_id, 0), level, name FROM area WHERE id = ?1",
    /* The same columns as ST_PEOPLE_EACH: one reader serves both. */
    [ST_PEOPLE_BY_PHONE] =
        "SELECT p.id, p.area_id, p.key, p.id_number, p.name, p.phone, h.code, e.status, "
        "e.categories FROM person p JOIN enrolment e ON e.person_id = p.id "
        "AND e.campaign_id = ?1 LEFT JOIN household h ON h.id = p.household_id "
        "WHERE p.phone = ?2 AND e.status <> 'deceased' ORDER BY p.id",
    /* People by their birth or lapse date (store_people_dated): the anchor is column 9. */
    [ST_PEOPLE_DATED] =
        "SELECT p.id, p.area_id, p.key, p.id_number, p.name, p.phone, h.code, e.status, "
        "e.categories, a.day FROM ("
        "  SELECT id AS pid, birth_date AS day FROM person WHERE ?3 = 'birth' "
        "    AND birth_date BETWEEN ?4 AND ?5 "
        "  UNION ALL SELECT person_id, lapse_date FROM lapse WHERE ?3 = 'lapse' "
        "    AND campaign_id = ?1 AND lapse_date BETWEEN ?4 AND ?5) a "
        "JOIN person p ON p.id = a.pid JOIN enrolment e ON e.person_id = p.id "
        "AND e.campaign_id = ?1 LEFT JOIN household h ON h.id = p.household_id "
        "WHERE e.status <> 'deceased' AND (?2 = '' OR e.status = ?2) AND " UNPAID_SETTLED
        " ORDER BY p.phone IS NULL, p.phone, p.id",
    [ST_JOB_LAST] = "SELECT ifnull(max(due_at), 0) FROM job_run WHERE job = ?1",
    [ST_JOB_START] = "INSERT INTO job_run(job, due_at, started_at) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT(job, due_at) DO NOTHING",
    [ST_JOB_FINISH] = "UPDATE job_run SET ended_at = ?2, queued = ?3, summary = ?4, error = ?5 "
                      "WHERE id = ?1",
    [ST_JOB_LIST] = "SELECT id, job, due_at, started_at, ifnull(ended_at, 0), queued, summary, "
                    "error FROM job_run ORDER BY id DESC LIMIT ?1",
    /* By outbox_sent: '+' keeps the planner off the status index. */
    [ST_OUTBOX_SENT_EACH] = "SELECT recipient FROM outbox WHERE sent_at >= ?2 AND sent_at <= ?3 "
                            "AND class = ?1 AND (+status = 'sent' OR +status = 'delivered')",
    [ST_INBOUND_INSERT] =
        "INSERT INTO inbound(msg_id, channel, sender, text, received_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(msg_id) DO NOTHING",
    [ST_INBOUND_GET] = "SELECT ifnull(person_id, 0), ifnull(intent, '') FROM inbound "
                       "WHERE msg_id = ?1",
    [ST_INBOUND_SET] = "UPDATE inbound SET person_id = nullif(?2, 0), intent = ?3 WHERE msg_id = ?1",
    [ST_HANDOFF_INSERT] = "INSERT INTO handoff(person_id, msg_id, text, created_at) "
                          "VALUES (nullif(?1, 0), ?2, ?3, ?4)",
    [ST_HANDOFF_LIST] =
        "SELECT h.id, ifnull(h.person_id, 0), ifnull(p.area_id, 0), ifnull(i.sender, ''), "
        "h.text, h.created_at FROM handoff h LEFT JOIN inbound i ON i.msg_id = h.msg_id "
        "LEFT JOIN person p ON p.id = h.person_id WHERE h.resolved_at IS NULL ORDER BY h.id",
    [ST_CLAIM_FIND_OPEN] = "SELECT id FROM claim WHERE campaign_id = ?1 AND person_id = ?2 "
                           "AND kind = ?3 AND state = 'open'",
    [ST_CLAIM_INSERT] =
        "INSERT INTO claim(campaign_id, person_id, kind, receipt, text, state, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6)",
    [ST_CLAIM_UPDATE] = "UPDATE claim SET receipt = ifnull(?2, receipt), text = ?3 WHERE id = ?1",
    [ST_CLAIM_LIST] =
        "SELECT c.id, c.person_id, p.area_id, c.kind, ifnull(c.receipt, ''), ifnull(c.text, ''), "
        "c.state, c.created_at, p.id_number, p.name FROM claim c "
        "JOIN person p ON p.id = c.person_id "
        "WHERE c.campaign_id = ?1 AND (?2 = '' OR c.state = ?2) ORDER BY c.id",
    /* Only an open claim is resolved: a second verdict changes nothing. */
    [ST_CLAIM_RESOLVE] =
        "UPDATE claim SET state = ?2, resolved_by = ?3, resolved_at = ?4 "
        "WHERE id = ?1 AND campaign_id = ?5 AND state = 'open' RETURNING person_id, kind, "
        "(SELECT e.status FROM enrolment e WHERE e.campaign_id = ?5 "
        "AND e.person_id = claim.person_id)",
    /* A 'paid' claim no receipt has settled: the open one first. */
    [ST_CLAIM_FOR_PAYMENT] =
        "SELECT id, state = 'open' FROM claim WHERE campaign_id = ?1 AND person_id = ?2 "
        "AND kind = 'paid' AND payment_id IS NULL AND state <> 'rejected' "
        "ORDER BY state = 'open' DESC, id DESC LIMIT 1",
    [ST_CLAIM_SETTLE] =
        "UPDATE claim SET payment_id = ?2, resolved_by = CASE WHEN state = 'open' THEN ?3 "
        "ELSE resolved_by END, resolved_at = CASE WHEN state = 'open' THEN ?4 "
        "ELSE resolved_at END, state = 'verified' WHERE id = ?1",
    [ST_CONV_BY_PHONE] =
        "SELECT c.person_id, c.state, ifnull(c.survey, ''), c.step, c.expires_at "
        "FROM conversation c JOIN person p ON p.id = c.person_id WHERE c.campaign_id = ?1 "
        "AND p.phone = ?2 AND c.expires_at > ?3 ORDER BY c.expires_at DESC LIMIT 1",
    [ST_CONV_SET] =
        "INSERT INTO conversation(person_id, campaign_id, state, survey, step, expires_at) "
        "VALUES (?1, ?2, ?3, nullif(?4, ''), ?5, ?6) ON CONFLICT(person_id, campaign_id) "
        "DO UPDATE SET state = excluded.state, survey = excluded.survey, step = excluded.step, "
        "expires_at = excluded.expires_at",
    [ST_CONV_END] = "DELETE FROM conversation WHERE person_id = ?1 AND campaign_id = ?2",
    [ST_CONV_END_PHONE] = "DELETE FROM conversation WHERE campaign_id = ?1 AND person_id IN "
                          "(SELECT id FROM person WHERE phone = ?2)",
    [ST_SURVEY_INSERT] = "INSERT INTO survey(name, definition, started_at) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT(name) DO NOTHING",
    [ST_SURVEY_GET] = "SELECT definition FROM survey WHERE name = ?1",
    [ST_ANSWER_INSERT] =
        "INSERT INTO survey_answer(survey, person_id, step, choice, text, at) "
        "VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6) ON CONFLICT DO NOTHING",
    [ST_ANSWER_COUNTS] =
        "SELECT a.step, p.area_id, ifnull(a.choice, 0), count(*) FROM survey_answer a "
        "JOIN person p ON p.id = a.person_id WHERE a.survey = ?1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    [ST_ANSWER_RESPONDENTS] = "SELECT count(DISTINCT person_id) FROM survey_answer WHERE survey = ?1",
    [ST_WAIVER_FIND] = "SELECT id, state FROM waiver WHERE campaign_id = ?1 AND person_id = ?2 "
                       "AND state <> 'withdrawn'",
    [ST_WAIVER_INSERT] =
        "INSERT INTO waiver(campaign_id, person_id, reason, reason_text, state, requested_at) "
        "VALUES (?1, ?2, nullif(?3, 0), ?4, 'pending', ?5)",
    [ST_WAIVER_UPDATE] = "UPDATE waiver SET reason = nullif(?2, 0), reason_text = ?3 "
                         "WHERE id = ?1 AND state = 'pending'",
    [ST_WAIVER_CONFIRM] =
        "UPDATE waiver SET state = 'confirmed', confirmed_by = ?3, confirmed_at = ?4 "
        "WHERE campaign_id = ?1 AND person_id = ?2 AND state = 'pending'",
    [ST_WAIVER_LIST] =
        "SELECT w.id, w.person_id, p.area_id, p.name, p.id_number, ifnull(w.reason, 0), "
        "ifnull(w.reason_text, ''), w.state, w.requested_at, ifnull(w.confirmed_by, ''), "
        "ifnull(w.confirmed_at, 0) FROM waiver w JOIN person p ON p.id = w.person_id "
        "WHERE w.campaign_id = ?1 AND (?2 = '' OR w.state = ?2) ORDER BY p.area_id, w.id",
    /* The phone index as migration 3 creates it; dropped during bulk loads. */
    [ST_PHONE_INDEX_DROP] = "DROP INDEX IF EXISTS person_phone",
    [ST_PHONE_INDEX_CREATE] =
        "CREATE INDEX IF NOT EXISTS person_phone ON person(phone) WHERE phone IS NOT NULL",
    /* The area index as migration 6 creates it; dropped during bulk loads too. */
    [ST_AREA_INDEX_DROP] = "DROP INDEX IF EXISTS person_area",
    [ST_AREA_INDEX_CREATE] = "CREATE INDEX IF NOT EXISTS person_area ON person(area_id)",
    /* Progress report snapshots (store_report.h). */
    [ST_REPORT_ON] = "SELECT id FROM report WHERE campaign_id = ?1 AND day = ?2 "
                     "ORDER BY id LIMIT 1",
    [ST_REPORT_BEFORE] = "SELECT id, day FROM report WHERE campaign_id = ?1 AND day < ?2 "
                         "ORDER BY day DESC, id DESC LIMIT 1",
    [ST_REPORT_AREAS] = "SELECT area_id, registered, target, paid, covered, unpaid, "
                        "ifnull(rank, 0) FROM report_area WHERE report_id = ?1 ORDER BY area_id",
    [ST_REPORT_INSERT] = "INSERT INTO report(campaign_id, day, at) VALUES (?1, ?2, ?3)",
    [ST_REPORT_AREA_INSERT] =
        "INSERT INTO report_area(report_id, area_id, registered, target, paid, covered, "
        "unpaid, rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    /* A reader's snapshot: deferred, so it never takes the write lock. */
    [ST_READ_BEGIN] = "BEGIN DEFERRED",
    [ST_PAYMENT_MAX_ID] = "SELECT ifnull(max(id), 0) FROM payment",
};

int store__fail(store_t *st, int rc)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s", sqlite3_errmsg(st->db));
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return CB_OK;
    case SQLITE_NOMEM: return CB_ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return CB_EBUSY;
    case SQLITE_CONSTRAINT: return CB_EEXIST;
    case SQLITE_NOTFOUND: return CB_ENOTFOUND;
    case SQLITE_TOOBIG: return CB_ETOOBIG;
    default: return CB_EIO;
    }
}

void store__done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

int store__exec(store_t *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    int out = rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
    store__done(s);
    return out;
}

int store__each(store_t *st, sqlite3_stmt *s, int (*row)(void *ud, sqlite3_stmt *s), void *ud)
{
    int rc, stop = 0;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        stop = row(ud, s);
        if (stop != 0)
            break;
    }
    store__done(s);
    if (stop != 0)
        return stop;
    return rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}

const char *store__col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

int store__bind_text(sqlite3_stmt *s, int i, const char *txt, int len)
{
    if (txt == NULL)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, txt, len, SQLITE_STATIC);
}

/* Create the file 0600 before SQLite does, so it never exists with wider rights.
 * Only a new file is opened here: closing any descriptor of a database drops every
 * POSIX lock this process holds on it, and another connection of the process (the
 * daemon has three) would then look unlocked to other processes, which may delete
 * its WAL (sqlite.org/howtocorrupt.html 2.2). */
static int create_private(const char *path, char *err, size_t errlen)
{
    int fd;

    if (strcmp(path, ":memory:") == 0)
        return CB_OK;
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return CB_OK;
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    close(fd);
    return CB_OK;
}

static int migrate(store_t *st)
{
    sqlite3_stmt *s = NULL;
    int version = 0, rc;

    rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return store__fail(st, rc);
    if (version > (int)schema_count()) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "database schema version %d is newer than this canbao (%zu)", version,
                 schema_count());
        return CB_ESTATE;
    }
    for (size_t i = (size_t)version; i < schema_count(); i++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %zu", i + 1);
        rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(st->db, schema_migration(i), NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            int out = store__fail(st, rc);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return out;
        }
    }
    return CB_OK;
}

int store_open(const char *path, store_t **out, char *err, size_t errlen)
{
    store_t *st = xcalloc(1, sizeof *st);
    char dummy[8];
    int rc;

    if (err == NULL) {
        err = dummy;
        errlen = sizeof dummy;
    }
    *out = NULL;
    rc = create_private(path, err, errlen);
    if (rc < 0) {
        free(st);
        return rc;
    }
    rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        store__profile_start(st);
    /* A new database gets 16 KiB pages (SQLite's default is 4 KiB): a county's
     * roster holds about a million people, and with bigger pages its B-trees are
     * shallower and a bulk import touches, logs and checkpoints fewer pages (a
     * 1M-row roster import took about a fifth less time, 8 KiB gained less and
     * 32 KiB no more). The pragma does nothing to an existing database. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db,
                          "PRAGMA page_size = 16384;"
                          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = store__fail(st, rc);
        goto fail;
    }
    rc = migrate(st);
    if (rc < 0)
        goto fail;
    for (int i = 0; i < ST__COUNT; i++) {
        int src = sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                     &st->stmt[i], NULL);
        if (src != SQLITE_OK) {
            rc = store__fail(st, src);
            goto fail;
        }
    }
    /* A bulk load that died left the indexes out: build them again. */
    rc = store__exec(st, st->stmt[ST_PHONE_INDEX_CREATE]);
    if (rc >= 0)
        rc = store__exec(st, st->stmt[ST_AREA_INDEX_CREATE]);
    if (rc < 0)
        goto fail;
    *out = st;
    return CB_OK;
fail:
    snprintf(err, errlen, "%s: %s", path, st->errmsg);
    store_close(st);
    return rc;
}

void store_close(store_t *st)
{
    if (st == NULL)
        return;
    store__profile_end(st);
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < STORE__CACHED; i++)
        sqlite3_finalize(st->cached[i].stmt);
    for (int i = 0; i < STORE__PUT_STMTS; i++)
        sqlite3_finalize(st->put[i]);
    sqlite3_close(st->db);
    free(st->hh_code);
    free(st);
}

const char *store_errmsg(const store_t *st)
{
    return st->errmsg;
}

int store_begin(store_t *st)
{
    int rc = store__exec(st, st->stmt[ST_BEGIN]);
    if (rc == CB_OK)
        st->in_tx = 1;
    return rc;
}

int store_in_tx(const store_t *st)
{
    return st->in_tx;
}

int store_read_begin(store_t *st)
{
    int rc = store__exec(st, st->stmt[ST_READ_BEGIN]);
    if (rc == CB_OK)
        st->in_tx = 1;
    return rc;
}

int store_commit(store_t *st)
{
    int rc = store__exec(st, st->stmt[ST_COMMIT]);
    if (rc == CB_OK)
        st->in_tx = 0;
    return rc;
}

void store_rollback(store_t *st)
{
    if (!st->in_tx)
        return;
    if (store__exec(st, st->stmt[ST_ROLLBACK]) < 0) {
        /* Already rolled back by SQLite itself (e.g. after a full disk). */
    }
    st->in_tx = 0;
    /* A household inserted in the rolled-back transaction is gone again. */
    free(st->hh_code);
    st->hh_code = NULL;
}

int store_nest_begin(store_t *st, int *outer)
{
    *outer = st->in_tx;
    return st->in_tx ? store__exec(st, st->stmt[ST_SAVEPOINT]) : store_begin(st);
}

int store_nest_commit(store_t *st, int outer)
{
    return outer ? store__exec(st, st->stmt[ST_RELEASE]) : store_commit(st);
}

void store_nest_rollback(store_t *st, int outer)
{
    if (!outer) {
        store_rollback(st);
        return;
    }
    /* ROLLBACK TO keeps the savepoint open: release it too. Failures here mean the
     * whole transaction is gone already, which the caller's commit reports. */
    if (store__exec(st, st->stmt[ST_ROLLBACK_TO]) < 0 ||
        store__exec(st, st->stmt[ST_RELEASE]) < 0) {
    }
}

int store_bulk_begin(store_t *st)
{
    int rc = store__exec(st, st->stmt[ST_PHONE_INDEX_DROP]);
    return rc < 0 ? rc : store__exec(st, st->stmt[ST_AREA_INDEX_DROP]);
}

int store_bulk_end(store_t *st)
{
    int rc = store__exec(st, st->stmt[ST_PHONE_INDEX_CREATE]);
    return rc < 0 ? rc : store__exec(st, st->stmt[ST_AREA_INDEX_CREATE]);
}


int store_foreign_keys(store_t *st, int on)
{
    int rc;

    if (st->in_tx) {
        snprintf(st->errmsg, sizeof st->errmsg, "foreign keys cannot change in a transaction");
        return CB_ESTATE;
    }
    rc = sqlite3_exec(st->db, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                      NULL, NULL, NULL);
    return rc == SQLITE_OK ? CB_OK : store__fail(st, rc);
}

int store_campaign_create(store_t *st, int year, const char *county, const char *policy_json,
                          int64_t now, int64_t *id)
{
    sqlite3_stmt *s = st->stmt[ST_CAMPAIGN_INSERT];
    int rc;

    sqlite3_bind_int(s, 1, year);
    store__bind_text(s, 2, county, -1);
    store__bind_text(s, 3, policy_json, -1);
    sqlite3_bind_int64(s, 4, now);
    rc = store__exec(st, s);
    if (rc == CB_OK && id != NULL)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_campaign_current(store_t *st, int64_t *id, char **policy_json)
{
    sqlite3_stmt *s = st->stmt[ST_CAMPAIGN_CURRENT];
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        *policy_json = xstrdup((const char *)sqlite3_column_text(s, 1));
        rc = CB_OK;
    } else if (rc == SQLITE_DONE) {
        snprintf(st->errmsg, sizeof st->errmsg, "no campaign: run 'canbao init' first");
        rc = CB_ENOTFOUND;
    } else {
        rc = store__fail(st, rc);
    }
    store__done(s);
    return rc;
}
