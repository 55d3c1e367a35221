/* SPDX-License-Identifier: MIT */
/* cli_publish.c - 'canbao publish --once': the current progress to the MQTT broker as
 * retained messages (topic scheme in docs/mqtt.md), then exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/config.h"
#include "store/report_load.h"
#include "channels/mqtt.h"
#include "core/err.h"
#include "core/policy.h"
#include "core/progress.h"
#include "jobs/progress_pub.h"
#include "store/store.h"

static void publish_usage(FILE *fp)
{
    fputs("usage: canbao publish --once [--config FILE]\n\n"
          "Publish the campaign's progress to the MQTT broker of the config's \"mqtt\"\n"
          "section, retained at QoS 1, and exit once the broker has acknowledged every\n"
          "message: per county, township and village a progress JSON, an LED line\n"
          "(utf-8 or GBK) and an AWTRIX JSON. Topics and payloads: docs/mqtt.md.\n\n"
          "  --once         publish once and exit (the only mode for now; for cron)\n"
          "  --config FILE  deployment config (default $CANBAO_CONFIG, else a broker on\n"
          "                 127.0.0.1:1883 without a password)\n", fp);
}

/* The messages of the current figures, sent. */
static int publish(const cli_t *c, const mqtt_cfg_t *mq, store_t *st, policy_t *pol,
                   long long campaign)
{
    progress_t *p = progress_create();
    pub_opts_t po = {.prefix = mq->topic_prefix, .county_code = mq->county_code,
                     .led_encoding = mq->led_encoding, .updated = c->now};
    mqtt_tls_t tls = {.cafile = mq->tls_cafile, .capath = mq->tls_capath,
                      .certfile = mq->tls_certfile, .keyfile = mq->tls_keyfile};
    mqtt_opts_t mo = {.host = mq->host, .port = mq->port, .user = mq->user,
                      .password = mq->password, .timeout_s = mq->timeout_s,
                      .tls = mq->tls ? &tls : NULL};
    pub_msg_t *msgs = NULL;
    mqtt_msg_t *out = NULL;
    size_t n = 0;
    char err[512];
    int rc = report_load_progress(st, campaign, p);

    if (rc < 0) {
        fprintf(stderr, "canbao publish: %s\n", store_errmsg(st));
        progress_destroy(p);
        return rc;
    }
    rc = progress_pub_build(p, pol, c->today, &po, &msgs, &n, err, sizeof err);
    progress_destroy(p);
    if (rc < 0) {
        fprintf(stderr, "canbao publish: %s\n", err);
        return rc;
    }
    out = calloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; out != NULL && i < n; i++)
        out[i] = (mqtt_msg_t){msgs[i].topic, msgs[i].payload, msgs[i].len};
    rc = out == NULL ? CB_ENOMEM : mqtt_publish_retained(&mo, out, n, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "canbao publish: %s\n", rc == CB_ENOMEM ? "out of memory" : err);
    else
        printf("publish: %zu messages to %s:%d under %s/%s\n", n, mq->host, mq->port,
               mq->topic_prefix, mq->county_code);
    free(out);
    progress_pub_free(msgs, n);
    return rc;
}

int cli_publish(const cli_t *c, int argc, char **argv)
{
    const char *config = NULL;
    int once = 0, rc, code;
    char err[1024];
    app_config_t cfg;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign = 0;

    code = cli_once_config(argc, argv, "publish", publish_usage, &once, &config);
    if (code >= 0)
        return code;
    if (!once) {
        fputs("canbao publish: only --once is supported for now\n\n", stderr);
        publish_usage(stderr);
        return EXIT_FATAL;
    }
    if (app_config_load(config, c->db, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "canbao publish: %s\n", err);
        app_config_free(&cfg);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0) {
        app_config_free(&cfg);
        return EXIT_FATAL;
    }
    rc = publish(c, &cfg.mqtt, st, pol, campaign);
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}
