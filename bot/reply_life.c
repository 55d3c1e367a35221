/* SPDX-License-Identifier: MIT */
/* reply_life.c - replies about birth and death: who a newborn question is about, and
 * a reported death (a claim to verify and a handoff; bot/reply.h). */
#include <stdio.h>
#include <string.h>

#include "bot/reply_internal.h"
#include "core/idcard.h"
#include "core/policy_rules.h"
#include "store/store_claim.h"

/* What the grid worker's handoff starts with for a reported death. */
#define DEATH_HANDOFF "死亡报告，请核实（核实后该人员不再催缴）："

void bot__find_newborn(bot_turn_t *t)
{
    const policy_late_window_t *lw = policy_late_window_from(t->env->pol, "birth");
    cb_date_t today = t->env->today, best = 0;
    int who = -1;

    if (lw == NULL || lw->days <= 0)
        return;
    for (size_t i = 0; i < t->n; i++) {
        cb_date_t birth = strlen(t->m[i].id_number) == 18 ? idcard_birth(t->m[i].id_number) : 0;
        if (birth == 0 || birth > today || today - birth >= lw->days ||
            strcmp(t->m[i].status, "unpaid") != 0 || birth <= best)
            continue;
        best = birth;
        who = (int)i;
    }
    if (who < 0)
        return;
    t->primary = who;
    t->newborn = best;
    t->out->person_id = t->m[who].id;
}

int bot__act_deceased(bot_turn_t *t)
{
    const bot_env_t *env = t->env;
    const bot_member_t *m = &t->m[t->primary];
    tpl_ctx_t *ctx;
    int rc = store_claim_add(env->st, env->campaign, m->id, "deceased", NULL, t->in->text,
                             env->now);

    if (rc < 0)
        return rc;
    snprintf(t->out->detail, sizeof t->out->detail, "claim deceased (%s); handed to the grid worker",
             rc > 0 ? "new" : "again");
    rc = bot__handoff(t, DEATH_HANDOFF);
    if (rc < 0)
        return rc;
    rc = store_conv_end(env->st, env->campaign, m->id); /* no survey for the dead */
    if (rc < 0)
        return rc;
    ctx = bot__ctx(t);
    rc = bot__answer(t, "deceased_ack", ctx);
    tpl_ctx_destroy(ctx);
    return rc;
}
