/* SPDX-License-Identifier: MIT */
/* store_todo.c - the facts of grid workers' to-do lists, as two prepared queries. */
#include "store/store_todo.h"

#include "core/err.h"
#include "store/store_internal.h"

/* ?1 campaign, ?2 worker. 'mine': the unpaid people the worker answers for; 'hh' their
 * households; 'mem' every living member of those households (phones, claims, waivers
 * and handoffs are the household's, whoever of them is unpaid). */
static const char households_sql[] =
    /* The worker's people by the precedence of STORE__OWNS, set-wise: 'direct' the
     * worker's own villages and groups; 'areas' those and the groups of those villages
     * that have no worker of their own; 'near' the people there (by person_area)
     * whose household no worker holds (包户), and the people of the households the
     * worker holds (by person_household); 'mine' the unpaid among them. */
    "WITH direct AS (SELECT area_id AS id FROM worker_scope"
    "  WHERE worker_id = ?2 AND area_id IS NOT NULL),"
    " areas AS (SELECT id FROM direct"
    "  UNION SELECT g.id FROM direct d JOIN area g ON g.parent_id = d.id WHERE g.level = 3"
    "   AND NOT EXISTS (SELECT 1 FROM worker_scope s WHERE s.area_id = g.id)),"
    " near AS (SELECT p.id AS pid, p.household_id AS hh FROM areas x"
    "   JOIN person p ON p.area_id = x.id WHERE p.household_id IS NOT NULL"
    "   AND NOT EXISTS (SELECT 1 FROM worker_scope s WHERE s.household_id = p.household_id)"
    "  UNION SELECT p.id, p.household_id FROM worker_scope s"
    "   JOIN person p ON p.household_id = s.household_id WHERE s.worker_id = ?2),"
    " mine AS (SELECT n.hh, e.categories AS cats FROM near n"
    "  JOIN enrolment e ON e.person_id = n.pid AND e.campaign_id = ?1"
    "  WHERE e.status = 'unpaid'),"
    " hh AS (SELECT hh, count(*) AS unpaid, sum(cats <> '') AS special FROM mine GROUP BY hh),"
    " mem AS (SELECT q.id, q.household_id AS hh, nullif(q.phone, '') AS phone"
    "  FROM hh CROSS JOIN person q ON q.household_id = hh.hh" /* CROSS: in this order */
    "  CROSS JOIN enrolment e ON e.person_id = q.id AND e.campaign_id = ?1"
    "  WHERE e.status <> 'deceased')"
    /* Phones nobody reaches: opted out, or their last message failed (few: found
     * from the failures' side). Claims, waivers and handoffs are few too: counted
     * from their side per household. The newest message sent is one index probe per
     * member. */
    ", dead AS (SELECT recipient FROM optout WHERE kind IN ('sms', 'robot')"
    "  UNION SELECT o.recipient FROM outbox o WHERE o.status = 'failed'"
    "   AND NOT EXISTS (SELECT 1 FROM outbox n WHERE n.recipient = o.recipient"
    "                   AND n.id > o.id)),"
    " facts AS (SELECT m.hh, m.phone IS NOT NULL AS has_phone,"
    "  m.phone IS NOT NULL AND m.phone NOT IN (SELECT recipient FROM dead) AS reach,"
    "  (SELECT max(ob.sent_at) FROM outbox ob WHERE ob.recipient = m.phone) AS last_sent"
    "  FROM mem m),"
    " waits AS (SELECT m.hh, sum(x.claim) AS claims, sum(x.waiver) AS waivers,"
    "  sum(x.handoff) AS handoffs FROM ("
    "   SELECT c.person_id AS pid, 1 AS claim, 0 AS waiver, 0 AS handoff FROM claim c"
    "    WHERE c.campaign_id = ?1 AND c.state = 'open'"
    "   UNION ALL SELECT w.person_id, 0, 1, 0 FROM waiver w"
    "    WHERE w.campaign_id = ?1 AND w.state = 'pending'"
    "   UNION ALL SELECT f.person_id, 0, 0, 1 FROM handoff f"
    "    WHERE f.resolved_at IS NULL AND f.person_id IS NOT NULL) x"
    "  JOIN mem m ON m.id = x.pid GROUP BY m.hh),"
    " agg AS (SELECT f.hh, sum(f.has_phone) AS phones, sum(f.reach) AS reach,"
    "  ifnull(w.claims, 0) AS claims, ifnull(w.waivers, 0) AS waivers,"
    "  ifnull(w.handoffs, 0) AS handoffs, max(f.last_sent) AS last_sent"
    "  FROM facts f LEFT JOIN waits w ON w.hh = f.hh GROUP BY f.hh)"
    " SELECT h.hh, d.code, h.unpaid, h.special, a.phones, a.reach, a.claims, a.waivers,"
    "  a.handoffs, ifnull(a.last_sent, 0),"
    "  ifnull(v.at, 0), ifnull(v.day, ''), ifnull(v.outcome, '')"
    " FROM hh h JOIN agg a ON a.hh = h.hh JOIN household d ON d.id = h.hh"
    " LEFT JOIN visit v ON v.id = (SELECT id FROM visit WHERE household_id = h.hh"
    "   AND campaign_id = ?1 ORDER BY at DESC, id DESC LIMIT 1)"
    " ORDER BY d.code";

static const char members_sql[] =
    "SELECT p.id, p.area_id, p.name, p.id_number, ifnull(p.phone, ''), ifnull(p.relation, ''),"
    "  e.categories"
    " FROM person p JOIN enrolment e ON e.person_id = p.id AND e.campaign_id = ?1"
    " JOIN area a ON a.id = p.area_id"
    " WHERE p.household_id = ?3 AND e.status = 'unpaid' AND " STORE__OWNS("?2")
    " ORDER BY p.id";

/* ?1 campaign, ?3 household (?2 unused: query() binds in order). */
static const char said_sql[] =
    "SELECT p.name, 'claim:' || c.kind, ifnull(c.text, ''), c.created_at AS at FROM claim c"
    "  JOIN person p ON p.id = c.person_id WHERE c.campaign_id = ?1 AND c.state = 'open'"
    "  AND p.household_id = ?2"
    " UNION ALL SELECT p.name, 'waiver', ifnull(w.reason_text, ''), w.requested_at FROM waiver w"
    "  JOIN person p ON p.id = w.person_id WHERE w.campaign_id = ?1 AND w.state = 'pending'"
    "  AND p.household_id = ?2"
    " UNION ALL SELECT p.name, 'handoff', h.text, h.created_at FROM handoff h"
    "  JOIN person p ON p.id = h.person_id WHERE h.resolved_at IS NULL AND p.household_id = ?2"
    " ORDER BY at, 1";

typedef struct hh_ud {
    int (*fn)(void *ud, const store_todo_hh_t *h);
    void *ud;
} hh_ud_t;

static int hh_row(void *ud, sqlite3_stmt *s)
{
    const hh_ud_t *u = ud;
    store_todo_hh_t h = {
        .household_id = sqlite3_column_int64(s, 0),
        .code = store__col(s, 1),
        .unpaid = sqlite3_column_int(s, 2),
        .special = sqlite3_column_int(s, 3),
        .phones = sqlite3_column_int(s, 4),
        .reachable = sqlite3_column_int(s, 5),
        .claims = sqlite3_column_int(s, 6),
        .waivers = sqlite3_column_int(s, 7),
        .handoffs = sqlite3_column_int(s, 8),
        .last_sent = sqlite3_column_int64(s, 9),
        .visit_at = sqlite3_column_int64(s, 10),
        .visit_day = store__col(s, 11),
        .visit_outcome = store__col(s, 12),
    };
    return u->fn(u->ud, &h);
}

typedef struct mem_ud {
    int (*fn)(void *ud, const store_todo_member_t *m);
    void *ud;
} mem_ud_t;

static int mem_row(void *ud, sqlite3_stmt *s)
{
    const mem_ud_t *u = ud;
    store_todo_member_t m = {
        .person_id = sqlite3_column_int64(s, 0),
        .area_id = sqlite3_column_int64(s, 1),
        .name = store__col(s, 2),
        .id_number = store__col(s, 3),
        .phone = store__col(s, 4),
        .relation = store__col(s, 5),
        .categories = store__col(s, 6),
    };
    return u->fn(u->ud, &m);
}

/* Prepare 'sql', bind the integers, run it through 'row' and finalize it. */
static int query(store_t *st, const char *sql, const int64_t *args, int n,
                 int (*row)(void *ud, sqlite3_stmt *s), void *ud)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, sql, &s);

    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(s, i + 1, args[i]);
    rc = store__each(st, s, row, ud);
    store__done(s);
    return rc;
}

int store_todo_households(store_t *st, int64_t campaign, int64_t worker_id,
                          int (*fn)(void *ud, const store_todo_hh_t *h), void *ud)
{
    const int64_t args[2] = {campaign, worker_id};
    hh_ud_t u = {fn, ud};

    return query(st, households_sql, args, 2, hh_row, &u);
}

int store_todo_members(store_t *st, int64_t campaign, int64_t worker_id, int64_t household_id,
                       int (*fn)(void *ud, const store_todo_member_t *m), void *ud)
{
    const int64_t args[3] = {campaign, worker_id, household_id};
    mem_ud_t u = {fn, ud};

    return query(st, members_sql, args, 3, mem_row, &u);
}

typedef struct said_ud {
    int (*fn)(void *ud, const store_todo_said_t *s);
    void *ud;
} said_ud_t;

static int said_row(void *ud, sqlite3_stmt *s)
{
    const said_ud_t *u = ud;
    store_todo_said_t r = {store__col(s, 0), store__col(s, 1), store__col(s, 2)};

    return u->fn(u->ud, &r);
}

int store_todo_said(store_t *st, int64_t campaign, int64_t household_id,
                    int (*fn)(void *ud, const store_todo_said_t *s), void *ud)
{
    const int64_t args[2] = {campaign, household_id};
    said_ud_t u = {fn, ud};

    return query(st, said_sql, args, 2, said_row, &u);
}
