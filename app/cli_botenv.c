/* SPDX-License-Identifier: MIT */
#include "app/cli_botenv.h"

#include <stdio.h>
#include <string.h>

int cli_bot_open(const cli_t *c, const char *cmd, const char *config, const char *route,
                 cli_bot_t *b)
{
    const dispatch_route_t *r;
    long long campaign;
    char err[1024];

    memset(b, 0, sizeof *b);
    if (cli_load_config(c, cmd, config, &b->cfg))
        return 1;
    r = app_config_route(&b->cfg, route);
    if (r == NULL || r->nchans == 0) {
        fprintf(stderr, "canbao %s: no route or channel named '%s'\n", cmd, route);
        return 1;
    }
    if (jobs_route_templates(&b->cfg.jobs, r, &b->tpl, &b->sms_extra_chars, err, sizeof err) < 0) {
        fprintf(stderr, "canbao %s: templates: %s\n", cmd, err);
        return 1;
    }
    if (cli_open_campaign(c, &b->st, &b->pol, &campaign) != 0)
        return 1;
    b->env = (bot_env_t){.st = b->st, .pol = b->pol, .campaign = campaign, .tpl = b->tpl,
                         .today = c->today, .now = c->now, .reply_route = r->name,
                         .optout_kind = r->kind, .max_segments = b->cfg.max_segments};
    return 0;
}

void cli_bot_close(cli_bot_t *b)
{
    tplset_destroy(b->tpl);
    store_close(b->st);
    policy_destroy(b->pol);
    app_config_free(&b->cfg);
    memset(b, 0, sizeof *b);
}
