/* SPDX-License-Identifier: MIT */
/* store_recon.c - the facts of reconciliation, as two queries. */
#include "store/store_recon.h"

#include "core/err.h"
#include "store/store_internal.h"

/* ?1 campaign, ?2 the window's last day. */
static const char payments_sql[] =
    "SELECT y.id, ifnull(y.person_id, 0), ifnull(p.area_id, 0), y.amount_fen, y.receipt,"
    " y.id_number, ifnull(y.channel, ''), ifnull(y.paid_at, ''), ifnull(y.problem, ''),"
    " ifnull(y.name, ''), ifnull(p.name, ''), ifnull(e.status, ''), ifnull(e.categories, ''),"
    " ifnull((SELECT group_concat(c.kind) FROM claim c WHERE c.campaign_id = ?1"
    "   AND c.person_id = y.person_id AND c.state = 'verified'), ''),"
    " EXISTS (SELECT 1 FROM claim c WHERE c.person_id = y.person_id AND c.payment_id = y.id)"
    " FROM payment y LEFT JOIN person p ON p.id = y.person_id"
    " LEFT JOIN enrolment e ON e.campaign_id = ?1 AND e.person_id = y.person_id"
    " WHERE y.campaign_id = ?1 AND (y.problem IS NOT NULL"
    "  OR (y.name IS NOT NULL AND trim(y.name) <> p.name)"
    "  OR e.status IN ('employee_insured', 'insured_elsewhere', 'deceased')"
    "  OR substr(replace(y.paid_at, '/', '-'), 1, 10) > ?2)"
    " ORDER BY y.id";

static const char subsidised_sql[] =
    "SELECT p.id, p.area_id, ifnull((SELECT sum(y.amount_fen) FROM payment y"
    "   WHERE y.person_id = p.id AND y.campaign_id = ?1 AND y.problem IS NULL), 0),"
    " p.id_number, p.name, e.status, e.categories"
    " FROM enrolment e JOIN person p ON p.id = e.person_id"
    " WHERE e.campaign_id = ?1 AND e.categories <> '' AND e.status <> 'deceased'"
    " ORDER BY p.id";

typedef struct pay_ud {
    int (*fn)(void *ud, const store_recon_pay_t *p);
    void *ud;
} pay_ud_t;

static int pay_row(void *ud, sqlite3_stmt *s)
{
    const pay_ud_t *u = ud;
    store_recon_pay_t p = {
        .id = sqlite3_column_int64(s, 0),
        .person_id = sqlite3_column_int64(s, 1),
        .area_id = sqlite3_column_int64(s, 2),
        .amount_fen = sqlite3_column_int64(s, 3),
        .receipt = store__col(s, 4),
        .id_number = store__col(s, 5),
        .channel = store__col(s, 6),
        .paid_at = store__col(s, 7),
        .problem = store__col(s, 8),
        .payer_name = store__col(s, 9),
        .name = store__col(s, 10),
        .status = store__col(s, 11),
        .categories = store__col(s, 12),
        .verified_claims = store__col(s, 13),
        .settled_claim = sqlite3_column_int(s, 14),
    };
    return u->fn(u->ud, &p);
}

int store_recon_payments(store_t *st, int64_t campaign, const char *window_end,
                         int (*fn)(void *ud, const store_recon_pay_t *p), void *ud)
{
    pay_ud_t u = {fn, ud};
    sqlite3_stmt *s;
    int rc = store__prepare(st, payments_sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, window_end, -1);
    rc = store__each(st, s, pay_row, &u);
    store__done(s);
    return rc;
}

typedef struct person_ud {
    int (*fn)(void *ud, const store_recon_person_t *p);
    void *ud;
} person_ud_t;

static int person_row(void *ud, sqlite3_stmt *s)
{
    const person_ud_t *u = ud;
    store_recon_person_t p = {
        .id = sqlite3_column_int64(s, 0),
        .area_id = sqlite3_column_int64(s, 1),
        .paid_fen = sqlite3_column_int64(s, 2),
        .id_number = store__col(s, 3),
        .name = store__col(s, 4),
        .status = store__col(s, 5),
        .categories = store__col(s, 6),
    };
    return u->fn(u->ud, &p);
}

int store_recon_subsidised(store_t *st, int64_t campaign,
                           int (*fn)(void *ud, const store_recon_person_t *p), void *ud)
{
    person_ud_t u = {fn, ud};
    sqlite3_stmt *s;
    int rc = store__prepare(st, subsidised_sql, &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    rc = store__each(st, s, person_row, &u);
    store__done(s);
    return rc;
}
