/* SPDX-License-Identifier: MIT */
/* store_todo.c - the facts of grid workers' to-do lists, as two prepared queries. */
#include "store/store_todo.h"

#include "core/err.h"
#include "store/store_internal.h"

/* ?1 campaign, ?2 worker. 'mine': the unpaid people the worker answers for; 'hh' their
 * households; 'mem' every living member of those households (phones, claims, waivers
 * and handoffs are the household's, whoever of them is unpaid). */
static const char households_sql[] =
    "WITH mine AS ("
    "  SELECT p.household_id AS hh, e.categories AS cats"
    "  FROM enrolment e JOIN person p ON p.id = e.person_id JOIN area a ON a.id = p.area_id"
    "  WHERE e.campaign_id = ?1 AND e.status = 'unpaid' AND p.household_id IS NOT NULL"
    "    AND " STORE__OWNS("?2") "),"
    " hh AS (SELECT hh, count(*) AS unpaid, sum(cats <> '') AS special FROM mine GROUP BY hh),"
    " mem AS (SELECT q.id, q.household_id AS hh, nullif(q.phone, '') AS phone"
    "  FROM person q JOIN enrolment e ON e.person_id = q.id AND e.campaign_id = ?1"
    "  WHERE q.household_id IN (SELECT hh FROM hh) AND e.status <> 'deceased')"
    " SELECT h.hh, d.code, h.unpaid, h.special,"
    "  (SELECT count(*) FROM mem m WHERE m.hh = h.hh AND m.phone IS NOT NULL),"
    "  (SELECT count(*) FROM mem m WHERE m.hh = h.hh AND m.phone IS NOT NULL"
    "    AND NOT EXISTS (SELECT 1 FROM optout o WHERE o.recipient = m.phone)"
    "    AND ifnull((SELECT ob.status FROM outbox ob WHERE ob.recipient = m.phone"
    "                ORDER BY ob.id DESC LIMIT 1), '') <> 'failed'),"
    "  (SELECT count(*) FROM claim c JOIN mem m ON m.id = c.person_id"
    "    WHERE m.hh = h.hh AND c.campaign_id = ?1 AND c.state = 'open'),"
    "  (SELECT count(*) FROM waiver w JOIN mem m ON m.id = w.person_id"
    "    WHERE m.hh = h.hh AND w.campaign_id = ?1 AND w.state = 'pending'),"
    "  (SELECT count(*) FROM handoff f JOIN mem m ON m.id = f.person_id"
    "    WHERE m.hh = h.hh AND f.resolved_at IS NULL),"
    "  ifnull((SELECT max(ob.sent_at) FROM outbox ob JOIN mem m ON ob.recipient = m.phone"
    "    WHERE m.hh = h.hh), 0),"
    "  ifnull(v.at, 0), ifnull(v.day, ''), ifnull(v.outcome, '')"
    " FROM hh h JOIN household d ON d.id = h.hh"
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
    sqlite3_finalize(s);
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
