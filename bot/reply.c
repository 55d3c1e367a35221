/* SPDX-License-Identifier: MIT */
/*
 * reply.c - bot_handle: record the reply once, find who sent it, build what the
 * parser needs from the open conversation, and hand the intent to its action
 * (reply_act.c), all in one transaction or savepoint.
 */
#include "bot/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/reply_internal.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mask.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/store_inbound.h"
#include "store/store_outbox.h"
#include "store/store_people.h"
#include "store/store_roster.h"
#include "store/store_survey.h"
#include "templates/msgctx.h"

#define MAX_LISTED 3 /* owing members named in one answer */

static int add_member(void *ud, const store_person_row_t *p)
{
    bot_turn_t *t = ud;
    bot_member_t *m;

    if (t->n == BOT_MAX_MEMBERS) {
        log_warn("bot", "msg=%s: more than %d people share the phone; the rest are left out",
                 t->in->msg_id, BOT_MAX_MEMBERS);
        return 1;
    }
    m = &t->m[t->n++];
    m->id = p->id;
    m->area_id = p->area_id;
    snprintf(m->name, sizeof m->name, "%s", p->name);
    snprintf(m->id_number, sizeof m->id_number, "%s", p->id_number);
    snprintf(m->status, sizeof m->status, "%s", p->status);
    m->ncats = catset_read(t->env->pol, p->categories, m->cats);
    m->owing = strcmp(p->status, "unpaid") == 0 &&
               policy_owed(t->env->pol, m->cats, m->ncats).payer == POL_PAYER_RESIDENT;
    return 0;
}

int bot__find_sender(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    int rc = store_people_by_phone(env->st, env->campaign, t->in->sender, add_member, t);

    t->primary = -1;
    if (rc < 0)
        return rc;
    for (size_t i = 0; rc >= 0 && i < t->n; i++)
        rc = store_area_names(env->st, t->m[i].area_id, t->m[i].township, t->m[i].village,
                              t->m[i].group, sizeof t->m[i].township);
    if (rc < 0 || t->n == 0)
        return rc;
    rc = store_conv_by_phone(env->st, env->campaign, t->in->sender, env->now, &t->conv);
    if (rc < 0)
        return rc;
    for (size_t i = 0; rc == 1 && i < t->n; i++) {
        if (t->m[i].id == t->conv.person_id) {
            t->primary = (int)i;
            t->has_conv = 1;
        }
    }
    for (size_t i = 0; t->primary < 0 && i < t->n; i++) {
        if (t->m[i].owing)
            t->primary = (int)i;
    }
    for (size_t i = 0; t->primary < 0 && i < t->n; i++) {
        if (strcmp(t->m[i].status, "unpaid") == 0)
            t->primary = (int)i;
    }
    if (t->primary < 0)
        t->primary = 0;
    return CB_OK;
}

/* The survey of a survey conversation; a survey that cannot be read ends nothing
 * but is as if no question were open. */
static int load_survey(bot_turn_t *t, intent_ctx_t *ctx)
{
    char *def = NULL;
    int rc;

    if (!t->has_conv)
        return CB_OK;
    if (strcmp(t->conv.state, "waiver_reason") == 0) {
        ctx->waiver_pending = 1;
        return CB_OK;
    }
    rc = store_survey_get(t->env->st, t->conv.survey, &def);
    if (rc == CB_ENOTFOUND)
        return CB_OK;
    if (rc == CB_OK && survey_parse(def, strlen(def), &t->survey, NULL, 0) == CB_OK &&
        t->conv.step < t->survey->nquestions) {
        ctx->survey_open = 1;
        ctx->survey_choices = t->survey->questions[t->conv.step].nchoices;
    }
    free(def);
    return rc;
}

tpl_ctx_t *bot__ctx(const bot_turn_t *t)
{
    msg_person_t people[BOT_MAX_MEMBERS], primary = {0};
    size_t owing = 0, p = (size_t)t->primary;
    tpl_ctx_t *ctx;
    int s;

    for (size_t i = 0; i < t->n; i++) {
        const bot_member_t *m = &t->m[i];
        msg_person_t mp = {.name = m->name, .id_number = m->id_number,
                           .phone = t->in->sender, .township = m->township,
                           .village = m->village, .group = m->group, .cats = m->cats,
                           .ncats = m->ncats};

        if (i == p)
            primary = mp;
        if (m->owing)
            people[owing++] = mp;
    }
    ctx = msgctx_resident(t->env->pol, &primary, t->env->today);
    msgctx_household(ctx, t->env->pol, people, owing, MAX_LISTED);
    tpl_ctx_set_bool(ctx, "household", owing > 1);
    s = status_from_name(t->m[p].status);
    tpl_ctx_set_bool(ctx, "covered", s >= 0 && status_is_covered((person_status_t)s));
    tpl_ctx_set(ctx, "claim", "");
    msgctx_late_window(ctx, t->env->pol, "birth", t->newborn);
    return ctx;
}

int bot__queue(bot_turn_t *t, const char *tname, const char *text, const tpl_ctx_t *ctx,
               int even_opted_out)
{
    const bot_env_t *env = t->env;
    char key[160], *vars;
    outbox_new_t m;
    int rc;

    if (!even_opted_out) {
        rc = store_optout_has(env->st, env->optout_kind, t->in->sender);
        if (rc != 0) {
            if (rc == 1)
                snprintf(t->out->detail + strlen(t->out->detail),
                         sizeof t->out->detail - strlen(t->out->detail), "; not answered: opted out");
            return rc < 0 ? rc : CB_OK;
        }
    }
    snprintf(key, sizeof key, "reply:%s", t->in->msg_id);
    m = (outbox_new_t){.key = key, .campaign_id = env->campaign,
                       .person_id = t->primary >= 0 ? t->m[t->primary].id : 0,
                       .route = env->reply_route, .klass = OB_REPLY,
                       .recipient = t->in->sender, .template_name = tname, .text = text,
                       .vars = vars = ctx != NULL ? tpl_ctx_json(ctx) : NULL, .not_before = 0};
    rc = store_outbox_enqueue(env->st, &m, env->now);
    free(vars);
    if (rc >= 0)
        t->out->replied = 1;
    return rc < 0 ? rc : CB_OK;
}

int bot__answer(bot_turn_t *t, const char *tname, const tpl_ctx_t *ctx)
{
    const tpl_t *tpl = tplset_get(t->env->tpl, tname);
    char *text;
    int rc;

    if (tpl == NULL)
        return CB_ENOTFOUND;
    text = tpl_render(tpl, ctx);
    rc = bot__queue(t, tname, text, ctx, 0);
    free(text);
    return rc;
}

static int act(bot_turn_t *t)
{
    if (t->primary < 0) {
        /* Not on the roster: record an opt-out, hand anything else over, answer nothing. */
        if (t->it.kind == INTENT_OPT_OUT)
            return bot__act_opt_out(t);
        return bot__act_unknown(t);
    }
    switch (t->it.kind) {
    case INTENT_PAID_CLAIM:
    case INTENT_COVERED_ELSEWHERE: return bot__act_claim(t);
    case INTENT_WAIVER: return bot__act_waiver(t);
    case INTENT_OPT_OUT: return bot__act_opt_out(t);
    case INTENT_QUESTION: return bot__act_question(t);
    case INTENT_SURVEY_ANSWER: return bot__act_survey(t);
    case INTENT_DECEASED: return bot__act_deceased(t);
    case INTENT_UNKNOWN: return bot__act_unknown(t);
    }
    return bot__act_unknown(t);
}

/* The outcome of a message handled before, from its row. */
static int replayed(const bot_env_t *env, const bot_inbound_t *in, bot_outcome_t *out)
{
    char name[32] = "";
    int rc = store_inbound_get(env->st, in->msg_id, &out->person_id, name, sizeof name);

    out->replay = 1;
    out->intent = INTENT_UNKNOWN;
    for (int k = INTENT_PAID_CLAIM; k <= INTENT_UNKNOWN; k++) {
        if (strcmp(intent_name((intent_kind_t)k), name) == 0)
            out->intent = (intent_kind_t)k;
    }
    snprintf(out->detail, sizeof out->detail, "replay: handled before");
    return rc < 0 ? rc : CB_OK;
}

static int handle(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    const bot_inbound_t *in = t->in;
    intent_ctx_t ctx = {0, 0, 0};
    int rc;

    rc = store_inbound_add(env->st, in->msg_id, in->channel, in->sender, in->text, env->now);
    if (rc == 0)
        return replayed(env, in, t->out);
    if (rc > 0) {
        rc = bot__worker_report(t);
        if (rc > 0) /* a grid worker's visit report, not a resident's reply */
            return store_inbound_set(env->st, in->msg_id, 0, "visit");
    }
    if (rc >= 0)
        rc = bot__find_sender(t);
    if (rc >= 0)
        rc = load_survey(t, &ctx);
    if (rc < 0)
        return rc;
    /* Too long, not UTF-8: nothing understood, the worker reads it. */
    rc = intent_parse(in->text, strlen(in->text), &ctx, &t->it);
    if (rc == CB_ENOMEM || rc == CB_EINVAL)
        return rc;
    t->out->intent = t->it.kind;
    t->out->person_id = t->primary >= 0 ? t->m[t->primary].id : 0;
    rc = act(t);
    if (rc >= 0)
        rc = store_inbound_set(env->st, in->msg_id, t->out->person_id, intent_name(t->it.kind));
    return rc;
}

int bot_handle(const bot_env_t *env, const bot_inbound_t *in, bot_outcome_t *out)
{
    bot_turn_t *t;
    char phone[24];
    int outer, rc;

    if (env == NULL || in == NULL || out == NULL || in->msg_id == NULL ||
        in->msg_id[0] == '\0' || in->sender == NULL || in->text == NULL || in->channel == NULL)
        return CB_EINVAL;
    memset(out, 0, sizeof *out);
    out->intent = INTENT_UNKNOWN;
    t = xcalloc(1, sizeof *t);
    t->env = env;
    t->in = in;
    t->out = out;
    rc = store_nest_begin(env->st, &outer);
    if (rc < 0)
        goto out;
    rc = handle(t);
    if (rc >= 0)
        rc = store_nest_commit(env->st, outer);
    if (rc < 0) {
        store_nest_rollback(env->st, outer);
        snprintf(out->detail, sizeof out->detail, "failed: %s", cb_strerror(rc));
    }
out:
    mask_phone(in->sender, phone, sizeof phone);
    log_info("bot", "msg=%s channel=%s from=%s intent=%s person=%lld replay=%d replied=%d %s",
             in->msg_id, in->channel, phone, intent_name(out->intent), (long long)out->person_id,
             out->replay, out->replied, out->detail);
    survey_destroy(t->survey);
    free(t);
    return rc < 0 ? rc : CB_OK;
}
