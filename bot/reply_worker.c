/* SPDX-License-Identifier: MIT */
/*
 * reply_worker.c - a reply from a grid worker's phone that reads as a visit report
 * ("3 已缴", "H001 外出"; bot/worker_reply.h) is recorded as a visit
 * (store_visit_add: a 'paid' visit opens claims to verify, a 'waived' one pending
 * waivers) and acknowledged. A position is the one on the latest list the worker
 * was sent on or before today. A household outside the worker's scope is recorded
 * all the same (workers stand in for each other) and the acknowledgement says so.
 * Anything else from a worker's phone is handled as any resident's reply.
 */
#include <stdio.h>
#include <string.h>

#include "bot/reply_internal.h"
#include "bot/worker_reply.h"
#include "core/err.h"
#include "store/store_worker.h"

/* Find the household the report names; 0 with 'ack' set when there is none. */
static int target(bot_turn_t *t, const store_worker_t *w, const worker_reply_t *r, int64_t *hh,
                  char *code, size_t codelen, char *ack, size_t acklen)
{
    const bot_env_t *env = t->env;
    char day[11];
    int rc;

    date_format(env->today, day);
    if (r->pos > 0) {
        rc = store_todo_item_get(env->st, w->id, day, r->pos, hh, NULL);
        if (rc == CB_ENOTFOUND) {
            snprintf(ack, acklen, "没有找到您名单上的第%d户，请回复名单上的序号或户号，如“3 已缴”。",
                     r->pos);
            return 0;
        }
    } else {
        rc = store_household_find(env->st, r->household, strlen(r->household), hh);
        if (rc == CB_ENOTFOUND) {
            snprintf(ack, acklen, "没有找到户号%s，请核对后重发。", r->household);
            return 0;
        }
    }
    if (rc < 0)
        return rc;
    if (r->pos > 0)
        snprintf(code, codelen, "第%d户", r->pos);
    else
        snprintf(code, codelen, "户号%s", r->household);
    return 1;
}

int bot__worker_report(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    store_worker_t w;
    worker_reply_t r;
    int64_t hh = 0;
    char code[80], ack[400], day[11];
    int rc, members = 0, owns;

    if (worker_reply_parse(t->in->text, strlen(t->in->text), &r) != CB_OK)
        return 0;
    rc = store_worker_by_phone(env->st, t->in->sender, &w);
    if (rc == CB_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    t->primary = -1;
    rc = target(t, &w, &r, &hh, code, sizeof code, ack, sizeof ack);
    if (rc == 1) {
        date_format(env->today, day);
        owns = store_worker_owns(env->st, w.id, hh);
        rc = owns < 0 ? owns
                      : store_visit_add(env->st, env->campaign, hh, w.id, r.outcome, r.note, day,
                                        env->now, &members);
        if (rc >= 0) {
            int len = snprintf(ack, sizeof ack, "已登记走访：%s %s", code,
                               worker_outcome_word(r.outcome));
            if (r.outcome == VISIT_PAID && members > 0)
                len += snprintf(ack + len, sizeof ack - (size_t)len, "，%d人待核实缴费凭证",
                                members);
            else if ((r.outcome == VISIT_DECEASED || r.outcome == VISIT_INSURED_ELSEWHERE) &&
                     members > 0)
                len += snprintf(ack + len, sizeof ack - (size_t)len, "，%d人待核实", members);
            else if (r.outcome == VISIT_WAIVED && members > 0)
                len += snprintf(ack + len, sizeof ack - (size_t)len,
                                "，%d人待签放弃参保确认书", members);
            snprintf(ack + len, sizeof ack - (size_t)len, "%s。",
                     owns ? "" : "（不在您的包保范围，已照常登记）");
            snprintf(t->out->detail, sizeof t->out->detail, "visit by %s: %s", w.code,
                     visit_outcome_name(r.outcome));
        }
    } else if (rc == 0) {
        snprintf(t->out->detail, sizeof t->out->detail, "visit by %s: no such household",
                 w.code);
    }
    if (rc >= 0)
        rc = bot__queue(t, "visit_ack", ack, NULL, 0);
    store_worker_free(&w);
    return rc < 0 ? rc : 1;
}
