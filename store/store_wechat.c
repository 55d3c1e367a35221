/* SPDX-License-Identifier: MIT */
#include "store/store_wechat.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "store/store_internal.h"
#include "store/store_roster.h"

/* The one text column of the first row of 's' into 'out'; CB_ENOTFOUND without one. */
static int first_text(store_t *st, sqlite3_stmt *s, char *out, size_t outlen)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW) {
        snprintf(out, outlen, "%s", store__col(s, 0));
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

int store_wechat_bind(store_t *st, int64_t person_id, const char *openid, const char *source,
                      int64_t now)
{
    char old[WECHAT_OPENID_MAX + 1] = "";
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT openid FROM wechat_bind WHERE person_id = ?1", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = first_text(st, s, old, sizeof old);
    if (rc == CB_OK && strcmp(old, openid) == 0)
        return STORE_UNCHANGED;
    if (rc < 0 && rc != CB_ENOTFOUND)
        return rc;
    rc = store__prepare(st, "DELETE FROM wechat_bind WHERE openid = ?1 AND person_id <> ?2", &s);
    if (rc < 0)
        return rc;
    store__bind_text(s, 1, openid, -1);
    sqlite3_bind_int64(s, 2, person_id);
    rc = sqlite3_step(s);
    store__done(s);
    if (rc != SQLITE_DONE)
        return store__fail(st, rc);
    rc = store__prepare(st, "INSERT INTO wechat_bind(person_id, openid, source, at)"
                            " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(person_id) DO UPDATE SET"
                            " openid = excluded.openid, source = excluded.source, at = excluded.at",
                        &s);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store__bind_text(s, 2, openid, -1);
    store__bind_text(s, 3, source, -1);
    sqlite3_bind_int64(s, 4, now);
    rc = sqlite3_step(s);
    store__done(s);
    if (rc != SQLITE_DONE)
        return store__fail(st, rc);
    return old[0] != '\0' ? STORE_UPDATED : STORE_INSERTED;
}

int store_wechat_openid(store_t *st, int64_t person_id, const char *phone, char *out,
                        size_t outlen)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT openid FROM wechat_bind WHERE person_id = ?1"
                                " UNION ALL SELECT b.openid FROM person p JOIN wechat_bind b"
                                " ON b.person_id = p.id WHERE p.phone = ?2 AND ?2 <> ''"
                                " UNION ALL SELECT ?2 WHERE ?1 = 0 AND ?2 GLOB '*[^0-9+]*'"
                                " LIMIT 1", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, person_id);
    store__bind_text(s, 2, phone != NULL ? phone : "", -1);
    return first_text(st, s, out, outlen);
}

int store_outbox_by_gateway(store_t *st, const char *gateway_id, int64_t *id)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT id FROM outbox WHERE gateway_id = ?1"
                                " ORDER BY id DESC LIMIT 1", &s);

    if (rc < 0)
        return rc;
    store__bind_text(s, 1, gateway_id, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

int store_wechat_person(store_t *st, const char *openid, int64_t *person_id, char *phone,
                        size_t phonelen)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT b.person_id, ifnull(p.phone, '') FROM wechat_bind b"
                                " JOIN person p ON p.id = b.person_id WHERE b.openid = ?1", &s);

    if (rc < 0)
        return rc;
    store__bind_text(s, 1, openid, -1);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *person_id = sqlite3_column_int64(s, 0);
        snprintf(phone, phonelen, "%s", store__col(s, 1));
        rc = CB_OK;
    } else {
        rc = rc == SQLITE_DONE ? CB_ENOTFOUND : store__fail(st, rc);
    }
    store__done(s);
    return rc;
}

int store_wechat_match(store_t *st, int64_t campaign, const char *suffix, int *n,
                       int64_t *person_id, int *bound)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "SELECT p.id, EXISTS (SELECT 1 FROM wechat_bind b"
                                " WHERE b.person_id = p.id) FROM person p JOIN enrolment e"
                                " ON e.person_id = p.id AND e.campaign_id = ?1"
                                " WHERE substr(p.id_number, -6) = substr(?2, -6)"
                                " AND substr(p.id_number, -length(?2)) = ?2"
                                " AND e.status IN ('unpaid', 'paid') ORDER BY p.id LIMIT 2", &s);

    *n = 0;
    *person_id = 0;
    *bound = 0;
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, campaign);
    store__bind_text(s, 2, suffix, -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((*n)++ == 0) {
            *person_id = sqlite3_column_int64(s, 0);
            *bound = sqlite3_column_int(s, 1);
        }
    }
    store__done(s);
    return rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}
