/* SPDX-License-Identifier: MIT */
/*
 * config.h - the deployment config file (JSON): channels, routes, dispatch rules
 * and the template folder. Format in docs/config.md; examples/config-local.json.
 *
 * Without a file, the embedded default: one 'file' channel writing JSON lines to
 * DB.messages.jsonl beside the database, serving every route ("sms", "robot").
 * Secrets are never in the code: channels read them from the file or from the
 * environment variables it names.
 */
#ifndef CB_APP_CONFIG_H
#define CB_APP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"
#include "channels/mqtt.h"
#include "core/compiler.h"
#include "jobs/dispatch.h"
#include "jobs/jobs_config.h"
#include "bot/routes.h"
#include "net/httpc.h"
#include "templates/tplset.h"

typedef struct app_config {
    httpc_t *http;
    channel_t **chans;
    size_t nchans;
    dispatch_route_t *routes; /* "sms" and "robot" always, plus one per channel name */
    size_t nroutes;
    dispatch_cfg_t dispatch;
    char *templates_dir;      /* NULL: the built-in templates only */
    int max_segments;         /* longest resident SMS, in parts (default 2) */
    int64_t cost_fen_per_part; /* for dry-run estimates (default 5) */
    serve_cfg_t serve;
    mqtt_cfg_t mqtt;
    jobs_config_t jobs;       /* the "jobs" section, with routes and templates bound */
} app_config_t;

/* Load 'path' (NULL: the embedded default for database 'db'). On failure 'err'
 * names the field and the reason, e.g. "config.json: routes.sms[1]: no channel
 * named 'backup'". Free with app_config_free. */
CB_NODISCARD int app_config_load(const char *path, const char *db, app_config_t *cfg, char *err,
                                 size_t errlen);
void app_config_free(app_config_t *cfg);

/* The templates of the serve section's reply route (answers, thank-yous) into *out
 * (free with tplset_destroy); CB_ECONFIG naming serve.reply_route when it has no
 * channel. */
CB_NODISCARD int app_config_reply_templates(const app_config_t *cfg, tplset_t **out, char *err,
                                            size_t errlen);

/* The route named 'name', or NULL. */
const dispatch_route_t *app_config_route(const app_config_t *cfg, const char *name);

#endif
