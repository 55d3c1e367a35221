/* SPDX-License-Identifier: MIT */
/* reply_act.c - what each kind of reply does (bot/reply.h describes the rules). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/reply_internal.h"
#include "core/err.h"
#include "core/mem.h"
#include "store/store_claim.h"
#include "store/store_inbound.h"
#include "store/store_outbox.h"
#include "store/store_survey.h"
#include "store/store_waiver.h"

static void detail(bot_turn_t *t, const char *fmt, ...) CB_PRINTF(2, 3);
static void detail(bot_turn_t *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(t->out->detail, sizeof t->out->detail, fmt, ap) < 0)
        t->out->detail[0] = '\0';
    va_end(ap);
}

/* The template 'tname' about the primary person, with 'claim' set when not NULL. */
static int answer_with(bot_turn_t *t, const char *tname, const char *claim)
{
    tpl_ctx_t *ctx = bot__ctx(t);
    int rc;

    if (claim != NULL)
        tpl_ctx_set(ctx, "claim", claim);
    rc = bot__answer(t, tname, ctx);
    tpl_ctx_destroy(ctx);
    return rc;
}

/* How a claim is worded back to the resident, by kind. */
static const char *claim_words(const char *kind)
{
    static const char *const words[][2] = {{"paid", "已缴费"},
                                           {"employee", "已参加职工医保"},
                                           {"unit", "单位已缴费"},
                                           {"other_place", "已在外地参保"},
                                           {"school", "已在学校参保"}};

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(words[i][0], kind) == 0)
            return words[i][1];
    }
    return kind;
}

int bot__act_claim(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    int paid = t->it.kind == INTENT_PAID_CLAIM, made = 0, fresh = 0, rc;
    const char *kind = paid ? "paid" : intent_elsewhere_name(t->it.elsewhere);
    const char *receipt = paid && t->it.receipt[0] != '\0' ? t->it.receipt : NULL;

    if (kind[0] == '\0')
        return bot__act_unknown(t);
    for (size_t i = 0; i < t->n; i++) {
        /* A payment covers the owing household; insurance elsewhere is the primary's. */
        if (paid ? !t->m[i].owing
                 : ((int)i != t->primary || strcmp(t->m[i].status, "unpaid") != 0))
            continue;
        rc = store_claim_add(env->st, env->campaign, t->m[i].id, kind, receipt, t->in->text,
                             env->now);
        if (rc < 0)
            return rc;
        made++;
        fresh += rc;
    }
    if (made == 0) {
        detail(t, "claim %s: nothing owed, status answered", kind);
        return answer_with(t, "answer_status", NULL);
    }
    detail(t, "claim %s x%d (%d new)%s", kind, made, fresh, receipt ? " with receipt" : "");
    return answer_with(t, "claim_ack", claim_words(kind));
}

int bot__act_waiver(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    int reason = (int)t->it.waiver_reason, made = 0, fresh = 0, rc;
    tpl_ctx_t *ctx;

    for (size_t i = 0; i < t->n; i++)
        made += t->m[i].owing;
    if (made == 0)
        return bot__act_unknown(t); /* declines what nobody owes: a worker should look */
    if (reason == INTENT_REASON_NONE) {
        store_conv_t c = {.person_id = t->m[t->primary].id, .state = "waiver_reason",
                          .expires_at = env->now + BOT_WAIVER_TTL};
        rc = store_conv_set(env->st, env->campaign, &c);
        if (rc < 0)
            return rc;
        detail(t, "waiver: reason asked");
        return answer_with(t, "waiver_reason_question", NULL);
    }
    for (size_t i = 0; i < t->n; i++) {
        if (!t->m[i].owing)
            continue;
        rc = store_waiver_request(env->st, env->campaign, t->m[i].id, reason,
                                  reason == INTENT_REASON_OTHER ? t->it.reason_text : NULL,
                                  env->now);
        if (rc < 0)
            return rc;
        fresh += rc;
    }
    if (t->has_conv && strcmp(t->conv.state, "waiver_reason") == 0) {
        rc = store_conv_end(env->st, env->campaign, t->conv.person_id);
        if (rc < 0)
            return rc;
    }
    detail(t, "waiver pending reason %d x%d (%d new)", reason, made, fresh);
    ctx = bot__ctx(t);
    /* Changing one's mind costs the whole household's amount. */
    if (made > 1)
        tpl_ctx_set(ctx, "amount_yuan", tpl_ctx_get(ctx, "total_yuan"));
    rc = bot__answer(t, "waiver_ack", ctx);
    tpl_ctx_destroy(ctx);
    return rc;
}

int bot__act_opt_out(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    char source[64];
    tpl_ctx_t *ctx;
    char *text;
    int rc, fresh;

    snprintf(source, sizeof source, "reply:%s", t->in->channel);
    fresh = store_optout_add(env->st, env->optout_kind, t->in->sender, source, env->now);
    if (fresh < 0)
        return fresh;
    rc = store_conv_end_phone(env->st, env->campaign, t->in->sender);
    if (rc < 0)
        return rc;
    detail(t, fresh ? "opted out of %s" : "opted out of %s before: no answer", env->optout_kind);
    if (!fresh || t->primary < 0)
        return CB_OK;
    /* The one message an opted-out phone still gets: the confirmation. */
    ctx = bot__ctx(t);
    text = tpl_render(tplset_get(env->tpl, "optout_ack"), ctx);
    rc = bot__queue(t, "optout_ack", text, ctx, 1);
    free(text);
    tpl_ctx_destroy(ctx);
    return rc;
}

/* Does 'text' plus what the channel adds fit 'max' SMS parts? */
static int fits(const char *text, int max)
{
    sms_count_t c;

    return tplset_sms_count(text, TPLSET_DEFAULT_EXTRA_CHARS, &c) == CB_OK && c.segments <= max;
}

int bot__act_question(bot_turn_t *t)
{
    static const struct {
        unsigned bit;
        const char *tname;
    } topics[] = {{INTENT_Q_NEWBORN, "answer_newborn"},
                  {INTENT_Q_AMOUNT, "answer_amount"},     {INTENT_Q_SUBSIDY, "answer_subsidy"},
                  {INTENT_Q_DEADLINE, "answer_deadline"}, {INTENT_Q_CHANNELS, "answer_channels"},
                  {INTENT_Q_STATUS, "answer_status"}};
    int max = t->env->max_segments > 0 ? t->env->max_segments : TPLSET_DEFAULT_MAX_SEGMENTS;
    char *text = xstrdup(""), names[128] = "";
    tpl_ctx_t *ctx;
    int rc, left = 0;

    if (t->it.questions & INTENT_Q_NEWBORN)
        bot__find_newborn(t);
    ctx = bot__ctx(t);

    for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
        const tpl_t *tpl = tplset_get(t->env->tpl, topics[i].tname);
        char *part, *joined;

        if (!(t->it.questions & topics[i].bit) || tpl == NULL)
            continue;
        part = tpl_render(tpl, ctx);
        joined = xmalloc(strlen(text) + strlen(part) + 1);
        memcpy(joined, text, strlen(text));
        memcpy(joined + strlen(text), part, strlen(part) + 1);
        free(part);
        /* The first answer always goes; later ones while the SMS stays short enough. */
        if (names[0] != '\0' && !fits(joined, max)) {
            free(joined);
            left++;
            continue;
        }
        free(text);
        text = joined;
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                 names[0] ? "+" : "", topics[i].tname);
    }
    if (names[0] == '\0') {
        tpl_ctx_destroy(ctx);
        free(text);
        return bot__act_unknown(t);
    }
    detail(t, "answered %s%s", names, left ? " (more asked than one SMS holds)" : "");
    rc = bot__queue(t, names, text, ctx, 0);
    tpl_ctx_destroy(ctx);
    free(text);
    return rc;
}

/* Queue question 'step' of the open survey. */
static int ask(bot_turn_t *t, int step)
{
    tpl_ctx_t *ctx = bot__ctx(t);
    int rc;

    survey_question_ctx(t->survey, step, ctx);
    rc = bot__answer(t, "survey_question", ctx);
    tpl_ctx_destroy(ctx);
    return rc;
}

int bot__act_survey(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    const survey_question_t *q;
    int step, rc;

    if (t->survey == NULL)
        return bot__act_unknown(t); /* the parser only says so with a survey open */
    step = t->conv.step;
    q = &t->survey->questions[step];
    if (q->nchoices > 0 && (t->it.choice < 1 || t->it.choice > q->nchoices)) {
        detail(t, "survey %s question %d: no such choice, asked again", t->survey->name, step + 1);
        return ask(t, step);
    }
    rc = store_survey_answer(env->st, t->survey->name, t->conv.person_id, step, t->it.choice,
                             q->nchoices == 0 ? t->it.text : NULL, env->now);
    if (rc < 0)
        return rc;
    if (step + 1 < t->survey->nquestions) {
        t->conv.step = step + 1;
        t->conv.expires_at = env->now + (int64_t)t->survey->expires_hours * 3600;
        rc = store_conv_set(env->st, env->campaign, &t->conv);
        if (rc < 0)
            return rc;
        detail(t, "survey %s answer %d/%d", t->survey->name, step + 1, t->survey->nquestions);
        return ask(t, step + 1);
    }
    rc = store_conv_end(env->st, env->campaign, t->conv.person_id);
    if (rc < 0)
        return rc;
    detail(t, "survey %s finished", t->survey->name);
    return answer_with(t, "survey_thanks", NULL);
}

int bot__handoff(bot_turn_t *t, const char *what)
{
    const bot_env_t *env = t->env;
    char *text = xmalloc(strlen(what) + strlen(t->in->text) + 1);
    int rc;

    memcpy(text, what, strlen(what));
    memcpy(text + strlen(what), t->in->text, strlen(t->in->text) + 1);
    rc = store_handoff_add(env->st, t->primary >= 0 ? t->m[t->primary].id : 0, t->in->msg_id,
                           text, env->now);
    free(text);
    return rc;
}

int bot__act_unknown(bot_turn_t *t)
{
    detail(t, "handed to the grid worker");
    return bot__handoff(t, "");
}
