/* SPDX-License-Identifier: MIT */
#include "store/store_outbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "store/store_internal.h"
#include "store/store_wechat.h"

static const char *const class_name[] = {"reminder", "reply", "notice"};

static outbox_class_t class_parse(const char *s)
{
    for (int i = 0; i < 3; i++) {
        if (s != NULL && strcmp(s, class_name[i]) == 0)
            return (outbox_class_t)i;
    }
    return OB_NOTICE;
}

int store_outbox_enqueue(store_t *st, const outbox_new_t *m, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_INSERT];
    int rc;

    store__bind_text(s, 1, m->key, -1);
    sqlite3_bind_int64(s, 2, m->campaign_id);
    sqlite3_bind_int64(s, 3, m->person_id);
    store__bind_text(s, 4, m->route, -1);
    store__bind_text(s, 5, class_name[m->klass], -1);
    store__bind_text(s, 6, m->recipient ? m->recipient : "", -1);
    store__bind_text(s, 7, m->template_name, -1);
    store__bind_text(s, 8, m->text, -1);
    sqlite3_bind_int64(s, 9, m->not_before > 0 ? m->not_before : now);
    sqlite3_bind_int64(s, 10, now);
    store__bind_text(s, 11, m->vars, -1);
    rc = store__exec(st, s);
    if (rc < 0)
        return rc;
    return sqlite3_changes(st->db) == 1;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return xstrdup(t ? (const char *)t : "");
}

int store_outbox_claim(store_t *st, int64_t now, int lease_s, size_t max, outbox_msg_t **out,
                       size_t *n)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_CLAIM];
    outbox_msg_t *m = NULL;
    size_t len = 0, cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, now + lease_s);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        outbox_msg_t *o;
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            m = xrealloc(m, cap * sizeof *m);
        }
        o = &m[len++];
        o->id = sqlite3_column_int64(s, 0);
        o->person_id = sqlite3_column_int64(s, 1);
        o->campaign_id = sqlite3_column_int64(s, 2);
        o->klass = class_parse((const char *)sqlite3_column_text(s, 3));
        o->attempts = sqlite3_column_int(s, 4);
        o->key = col_dup(s, 5);
        o->route = col_dup(s, 6);
        o->recipient = col_dup(s, 7);
        o->template_name = col_dup(s, 8);
        o->text = col_dup(s, 9);
        o->channels_tried = col_dup(s, 10);
        o->vars = sqlite3_column_type(s, 11) == SQLITE_NULL ? NULL : col_dup(s, 11);
    }
    store__done(s);
    if (rc != SQLITE_DONE) {
        store_outbox_msgs_free(m, len);
        return store__fail(st, rc);
    }
    *out = m;
    *n = len;
    return CB_OK;
}

void store_outbox_msg_clear(outbox_msg_t *m)
{
    free(m->key);
    free(m->route);
    free(m->recipient);
    free(m->template_name);
    free(m->text);
    free(m->channels_tried);
    free(m->vars);
    memset(m, 0, sizeof *m);
}

void store_outbox_msgs_free(outbox_msg_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_outbox_msg_clear(&m[i]);
    free(m);
}

static int record_one(store_t *st, const outbox_result_t *r)
{
    static const char *const status[] = {
        [OB_SENT] = "sent", [OB_RETRY] = "queued", [OB_DEFER] = "queued", [OB_FAILED] = "failed"};
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_RECORD];

    sqlite3_bind_int64(s, 1, r->id);
    store__bind_text(s, 2, status[r->outcome], -1);
    if (r->outcome == OB_RETRY || r->outcome == OB_DEFER)
        sqlite3_bind_int64(s, 3, r->next_at);
    store__bind_text(s, 4, r->channel, -1);
    store__bind_text(s, 5, r->channels_tried, -1);
    store__bind_text(s, 6, r->gateway_id, -1);
    if (r->parts > 0)
        sqlite3_bind_int(s, 7, r->parts);
    store__bind_text(s, 8, r->outcome == OB_SENT ? NULL : r->error, -1);
    sqlite3_bind_int(s, 9, r->outcome == OB_DEFER);
    sqlite3_bind_int64(s, 10, r->at);
    sqlite3_bind_int64(s, 11, r->outcome == OB_SENT ? r->poll_at : 0);
    return store__exec(st, s);
}

int store_outbox_record(store_t *st, const outbox_result_t *r, size_t n)
{
    int rc = store_begin(st);

    for (size_t i = 0; i < n && rc >= 0; i++)
        rc = record_one(st, &r[i]);
    if (rc >= 0)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

int store_outbox_delivery(store_t *st, int64_t id, int ok, const char *error, int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_DELIVERY];
    int rc;

    sqlite3_bind_int64(s, 1, id);
    store__bind_text(s, 2, ok ? "delivered" : "failed", -1);
    store__bind_text(s, 3, ok ? NULL : error, -1);
    sqlite3_bind_int64(s, 4, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) == 1;
}

int store_outbox_delivery_gw(store_t *st, const char *gateway_id, int ok, const char *error,
                             int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_DELIVERY_GW];
    int rc;

    store__bind_text(s, 1, gateway_id, -1);
    store__bind_text(s, 2, ok ? "delivered" : "failed", -1);
    store__bind_text(s, 3, ok ? NULL : error, -1);
    sqlite3_bind_int64(s, 4, now);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) >= 1;
}

/* Step a one-row, one-integer query; 'found' says whether there was a row. */
static int query_int(store_t *st, sqlite3_stmt *s, int64_t *v, int *found)
{
    int rc = sqlite3_step(s);

    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(s, 0);
    store__done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}

/* store_wechat.h: the binding answers to an openid not bound (bot/wechat_bind.c). */
int store_wechat_attempts(store_t *st, const char *openid, int64_t since, int64_t *n)
{
    sqlite3_stmt *s;
    int found, rc = store__prepare(st, "SELECT count(*) FROM outbox WHERE recipient = ?1"
                                       " AND person_id IS NULL AND template = 'wechat_bind'"
                                       " AND created_at >= ?2", &s);

    *n = 0;
    if (rc < 0)
        return rc;
    store__bind_text(s, 1, openid, -1);
    sqlite3_bind_int64(s, 2, since);
    return query_int(st, s, n, &found);
}

int store_outbox_sent_since(store_t *st, const char *recipient, int64_t since, int64_t *count)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_SENT_SINCE];
    int found;

    *count = 0;
    store__bind_text(s, 1, recipient, -1);
    sqlite3_bind_int64(s, 2, since);
    return query_int(st, s, count, &found);
}

int store_optout_add(store_t *st, const char *kind, const char *recipient, const char *source,
                     int64_t now)
{
    sqlite3_stmt *s = st->stmt[ST_OPTOUT_ADD];
    int rc;

    store__bind_text(s, 1, kind, -1);
    store__bind_text(s, 2, recipient, -1);
    sqlite3_bind_int64(s, 3, now);
    store__bind_text(s, 4, source, -1);
    rc = store__exec(st, s);
    return rc < 0 ? rc : sqlite3_changes(st->db) == 1;
}

int store_optout_has(store_t *st, const char *kind, const char *recipient)
{
    sqlite3_stmt *s = st->stmt[ST_OPTOUT_HAS];
    int64_t v = 0;
    int found, rc;

    store__bind_text(s, 1, kind, -1);
    store__bind_text(s, 2, recipient, -1);
    rc = query_int(st, s, &v, &found);
    return rc < 0 ? rc : found;
}

int store_outbox_list(store_t *st, const char *status, size_t limit,
                      int (*fn)(void *ud, const outbox_row_t *r), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_LIST];
    int rc;

    store__bind_text(s, 1, status ? status : "", -1);
    sqlite3_bind_int64(s, 2, limit ? (sqlite3_int64)limit : -1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        outbox_row_t r = {
            .id = sqlite3_column_int64(s, 0),
            .person_id = sqlite3_column_int64(s, 1),
            .next_at = sqlite3_column_int64(s, 2),
            .created_at = sqlite3_column_int64(s, 3),
            .sent_at = sqlite3_column_int64(s, 4),
            .attempts = sqlite3_column_int(s, 5),
            .parts = sqlite3_column_int(s, 6),
            .key = store__col(s, 7),
            .route = store__col(s, 8),
            .klass = store__col(s, 9),
            .recipient = store__col(s, 10),
            .template_name = store__col(s, 11),
            .text = store__col(s, 12),
            .status = store__col(s, 13),
            .channel = store__col(s, 14),
            .channels_tried = store__col(s, 15),
            .gateway_id = store__col(s, 16),
            .error = store__col(s, 17),
        };
        if (fn(ud, &r) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    store__done(s);
    return rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}

int store_outbox_counts(store_t *st,
                        void (*fn)(void *ud, const char *status, const char *channel, int64_t n),
                        void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_COUNTS];
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn(ud, store__col(s, 0), store__col(s, 1), sqlite3_column_int64(s, 2));
    store__done(s);
    return rc == SQLITE_DONE ? CB_OK : store__fail(st, rc);
}

typedef struct sent_visit {
    int (*fn)(void *ud, const char *recipient);
    void *ud;
} sent_visit_t;

static int sent_row(void *ud, sqlite3_stmt *s)
{
    const sent_visit_t *v = ud;
    return v->fn(v->ud, store__col(s, 0));
}

int store_outbox_sent_each(store_t *st, const char *klass, int64_t from, int64_t to,
                           int (*fn)(void *ud, const char *recipient), void *ud)
{
    sqlite3_stmt *s = st->stmt[ST_OUTBOX_SENT_EACH];
    sent_visit_t v = {fn, ud};

    store__bind_text(s, 1, klass, -1);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    return store__each(st, s, sent_row, &v);
}

int store_outbox_poll_claim(store_t *st, int64_t now, int lease_s, size_t max,
                            outbox_poll_t **out, size_t *n)
{
    sqlite3_stmt *s;
    outbox_poll_t *p = NULL;
    size_t len = 0, cap = 0;
    int rc = store__prepare(st, "UPDATE outbox SET poll_at = ?2, polls = polls + 1 WHERE id IN"
                                " (SELECT id FROM outbox WHERE poll_at <= ?1 AND +status = 'sent'"
                                " ORDER BY poll_at, id LIMIT ?3)"
                                " RETURNING id, polls, channel, recipient, gateway_id", &s);

    *out = NULL;
    *n = 0;
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, now + lease_s);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        outbox_poll_t *o;
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            p = xrealloc(p, cap * sizeof *p);
        }
        o = &p[len++];
        o->id = sqlite3_column_int64(s, 0);
        o->polls = sqlite3_column_int(s, 1);
        o->channel = col_dup(s, 2);
        o->recipient = col_dup(s, 3);
        o->gateway_id = col_dup(s, 4);
    }
    store__done(s);
    if (rc != SQLITE_DONE) {
        store_outbox_polls_free(p, len);
        return store__fail(st, rc);
    }
    *out = p;
    *n = len;
    return CB_OK;
}

void store_outbox_polls_free(outbox_poll_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].channel);
        free(p[i].recipient);
        free(p[i].gateway_id);
    }
    free(p);
}

int store_outbox_poll_later(store_t *st, int64_t id, int64_t at, const char *error)
{
    sqlite3_stmt *s;
    int rc = store__prepare(st, "UPDATE outbox SET poll_at = nullif(?2, 0), error = ?3"
                                " WHERE id = ?1 AND status = 'sent'", &s);

    if (rc < 0)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, at);
    store__bind_text(s, 3, error, -1);
    return store__exec(st, s);
}
