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
#include "core/compiler.h"
#include "jobs/dispatch.h"
#include "net/httpc.h"
#include "templates/tplset.h"

/* The daemon's "serve" section. A secret left unset disables its endpoint (503). */
typedef struct app_serve {
    char *addr;                /* listen address (default 127.0.0.1) */
    int port;                  /* (default 8080; 0: ephemeral, printed at start) */
    char *payment_secret;      /* HMAC key of POST /hooks/payments */
    char *kannel_secret;       /* shared secret in Kannel's MO and DLR URLs (?secret=) */
    char *wechat_secret;       /* HMAC key of POST /hooks/wechat */
    char *api_token;           /* bearer token of GET /api/... */
    int max_body, max_connections, timeout_s, skew_s;
    int max_per_address;       /* connections from one client address (0: no limit) */
    int deadline_s;            /* for a whole request to arrive (headers and body) */
    char *reply_route;         /* route of replies and thank-yous (default "sms") */
} app_serve_t;

/* The "mqtt" section: the broker the progress feed goes to ('canbao publish'). */
typedef struct app_mqtt {
    int enabled;              /* the config has the section: 'serve' publishes progress */
    char *host;               /* (default 127.0.0.1) */
    int port;                 /* (default 1883) */
    char *user, *password;    /* NULL: anonymous; password from "password" or "password_env" */
    char *topic_prefix;       /* first topic level (default "canbao") */
    char *county_code;        /* second topic level (default "county") */
    char *led_encoding;       /* "utf-8" (default), "gbk", "gb2312" or "gb18030" */
    int timeout_s;            /* connection and acknowledgements (default 10) */
    int tls;                  /* 1: TLS with the files below (NULL when not given) */
    char *tls_cafile, *tls_capath, *tls_certfile, *tls_keyfile;
} app_mqtt_t;

/* The "jobs" section: when the scheduled jobs run and where their output goes
 * (app/jobs.h). Times are minutes after midnight, China time, on the campaign clock. */
typedef struct app_jobs {
    int remind_at;          /* reminder rules (default 09:30) */
    int todo_at;            /* grid workers' to-do lists (default 07:30) */
    int report_at;          /* progress reports (default 17:30) */
    int report_weekday;     /* weekly reports on this day, 1 Monday .. 7 Sunday (default 1) */
    int report_weekly_from; /* month * 100 + day: weekly reports from (default 1001) */
    int report_daily_from;  /* month * 100 + day: daily reports from (default 1201) */
    char *todo_route;       /* the route of the workers' short lists (default "sms") */
    char *report_route;     /* the route of reports to the leaders (default "robot") */
    char *report_to;        /* the recipient on report_route (default "leaders") */
    char *out_dir;          /* to-do lists and reports as files (default DB.out beside the db) */
    int todo_max;           /* households on one worker's list (default 30) */
} app_jobs_t;

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
    app_serve_t serve;
    app_mqtt_t mqtt;
    app_jobs_t jobs;
} app_config_t;

/* Load 'path' (NULL: the embedded default for database 'db'). On failure 'err'
 * names the field and the reason, e.g. "config.json: routes.sms[1]: no channel
 * named 'backup'". Free with app_config_free. */
CB_NODISCARD int app_config_load(const char *path, const char *db, app_config_t *cfg, char *err,
                                 size_t errlen);
void app_config_free(app_config_t *cfg);

/* Load the templates (the deployment's templates_dir over the defaults) for messages
 * on 'route' (with at least one channel): SMS templates must fit max_segments with
 * what the route's first channel adds (signature, opt-out suffix: their characters
 * go to *extra_chars when it is not NULL). tplset_load's results; free *out with
 * tplset_destroy. */
CB_NODISCARD int app_config_templates(const app_config_t *cfg, const dispatch_route_t *route,
                                      tplset_t **out, int *extra_chars, char *err,
                                      size_t errlen);

/* The route named 'name', or NULL. */
const dispatch_route_t *app_config_route(const app_config_t *cfg, const char *name);

#endif
