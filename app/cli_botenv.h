/* SPDX-License-Identifier: MIT */
/*
 * cli_botenv.h - what the bot's commands ('reply', 'survey start') share: the
 * deployment config, the reply route's templates, the campaign and a bot_env_t
 * over them, as the daemon builds it.
 */
#ifndef CB_APP_CLI_BOTENV_H
#define CB_APP_CLI_BOTENV_H

#include "app/cli.h"
#include "app/config.h"
#include "bot/reply.h"

typedef struct cli_bot {
    app_config_t cfg;
    tplset_t *tpl;
    int sms_extra_chars; /* what the reply route's first channel adds to an SMS */
    store_t *st;
    policy_t *pol;
    bot_env_t env; /* over the fields above; reply_route and optout_kind from the route */
} cli_bot_t;

/*
 * Load 'config' (NULL or "": the embedded file channel), the templates for 'route'
 * and the current campaign. On failure prints "canbao CMD: reason" and returns
 * nonzero; either way release *b with cli_bot_close.
 */
int cli_bot_open(const cli_t *c, const char *cmd, const char *config, const char *route,
                 cli_bot_t *b);
void cli_bot_close(cli_bot_t *b);

#endif
