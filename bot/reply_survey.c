/* SPDX-License-Identifier: MIT */
/* reply_survey.c - starting a survey on one phone (bot_survey_start). */
#include <stdio.h>
#include <stdlib.h>

#include "bot/reply.h"
#include "bot/reply_internal.h"
#include "core/err.h"
#include "core/mem.h"
#include "store/store_outbox.h"

int bot_survey_start(const bot_env_t *env, const survey_t *s, int64_t person_id,
                     const char *phone)
{
    bot_inbound_t in = {.msg_id = "", .channel = "", .sender = phone, .text = ""};
    bot_outcome_t out = {0};
    bot_turn_t *t = xcalloc(1, sizeof *t);
    const tpl_t *tpl = tplset_get(env->tpl, "survey_question");
    char key[160], *text = NULL;
    tpl_ctx_t *ctx;
    outbox_new_t m;
    int rc;

    t->env = env;
    t->in = &in;
    t->out = &out;
    rc = bot__find_sender(t);
    if (rc < 0 || t->has_conv || t->primary < 0)
        goto out; /* busy with another question, or not this phone's */
    rc = store_optout_has(env->st, env->optout_kind, phone);
    if (rc != 0) {
        rc = rc < 0 ? rc : 0;
        goto out;
    }
    for (size_t i = 0; i < t->n; i++) {
        if (t->m[i].id == person_id)
            t->primary = (int)i;
    }
    ctx = bot__ctx(t);
    survey_question_ctx(s, 0, ctx);
    text = tpl_render(tpl, ctx);
    tpl_ctx_destroy(ctx);
    snprintf(key, sizeof key, "survey:%s:%s", s->name, phone);
    m = (outbox_new_t){.key = key, .campaign_id = env->campaign, .person_id = person_id,
                       .route = env->reply_route, .klass = OB_REMINDER, .recipient = phone,
                       .template_name = "survey_question", .text = text, .not_before = 0};
    rc = store_outbox_enqueue(env->st, &m, env->now);
    if (rc == 1) {
        store_conv_t c = {.person_id = person_id, .state = "survey", .step = 0,
                          .expires_at = env->now + (int64_t)s->expires_hours * 3600};
        snprintf(c.survey, sizeof c.survey, "%s", s->name);
        rc = store_conv_set(env->st, env->campaign, &c);
        rc = rc < 0 ? rc : 1;
    }
out:
    free(text);
    free(t);
    return rc;
}
