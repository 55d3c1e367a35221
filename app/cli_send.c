/* SPDX-License-Identifier: MIT */
/*
 * cli_send.c - 'canbao send --template NAME --to SEGMENT [--dry-run]': queue one
 * message per phone of a segment of residents, or print what it would cost.
 *
 * People who share a phone get one message: with several of them it is the
 * household_reminder naming every member and their amount. People without a
 * phone cannot be reached by SMS and are counted (they are the grid workers' to
 * visit). With the 'unpaid' segment, people whose contribution a department pays
 * in bulk are left out: they owe nothing themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/config.h"
#include "jobs/broadcast.h"
#include "jobs/segment.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/policy.h"
#include "core/safetext.h"
#include "core/smsseg.h"
#include "store/store_outbox.h"
#include "store/store_people.h"
#include "store/store_roster.h"
#include "templates/msgctx.h"
#include "templates/tplset.h"

typedef struct sender {
    bcast_t b;
    const app_config_t *cfg;
    const char *template_name;
    int dry_run;
} sender_t;

static void report(const sender_t *sd)
{
    const bcast_t *s = &sd->b;

    printf("%s %s via route '%s' (%s)\n", sd->dry_run ? "would send" : "queued",
           sd->template_name, s->route->name, channel_name(s->route->chans[0]));
    printf("  people %llu, unreachable without a phone %llu\n", (unsigned long long)s->people,
           (unsigned long long)s->unreachable);
    printf("  messages %llu (%s %llu, household_reminder %llu), SMS parts %llu, "
           "estimated cost %.2f yuan\n",
           (unsigned long long)s->messages, sd->template_name, (unsigned long long)s->per_tpl[0],
           (unsigned long long)s->per_tpl[1], (unsigned long long)s->parts,
           (double)(s->parts * (uint64_t)sd->cfg->cost_fen_per_part) / 100.0);
    if (!sd->dry_run)
        printf("  new in the outbox %llu, queued before (same key) %llu\n",
               (unsigned long long)s->queued, (unsigned long long)s->existed);
    if (s->sample[0] != '\0')
        safetext_printf(stdout, "  first message: %s\n", s->sample); /* names in it */
}

static void usage(FILE *fp)
{
    fputs("usage: canbao send --template NAME --to SEGMENT [--route ROUTE] [--config FILE]\n"
          "                   [--dry-run]\n\n"
          "Queue one message per phone of a segment of residents in the outbox ('canbao\n"
          "dispatch' sends them). People sharing a phone get one household_reminder naming\n"
          "them all. A second send of the same template on the same day queues nothing new.\n\n"
          "  --template NAME  window_open, remind_periodic, deadline_near, last_day, ...\n"
          "  --to SEGMENT     STATUS[:FILTER,...] or FILTER,...; STATUS is unpaid, paid, waived,\n"
          "                   all; FILTER is township=T, village=T/V, category=C or flag=F\n"
          "                   (people given list flag F by 'canbao import flags'), e.g.\n"
          "                   unpaid   unpaid:village=冷市镇/南华村   category=低保\n"
          "                   unpaid:flag=外出务工\n"
          "  --route ROUTE    sms (default), robot, or a channel's name\n"
          "  --config FILE    the deployment config (default: the file channel)\n"
          "  --dry-run        print count, SMS parts and estimated cost; queue nothing\n", fp);
}

/* Queue the segment's messages in one transaction (a dry run only counts them). */
static int queue_all(sender_t *s, store_t *st, long long campaign, const segment_t *seg, int dry)
{
    int rc = dry ? CB_OK : store_begin(st);

    if (rc >= 0)
        rc = store_people_each(st, campaign, segment_status(seg), bcast_person, &s->b);
    if (rc >= 0)
        rc = bcast_flush(&s->b);
    if (rc >= 0 && !dry)
        rc = store_commit(st);
    return rc;
}

int cli_send(const cli_t *c, int argc, char **argv)
{
    const char *tname = NULL, *to = NULL, *route = "sms", *config = getenv("CANBAO_CONFIG");
    int dry = 0, rc, code;
    const cli_opt_t opts[] = {{"--template", CLI_STR, &tname, 0, 0},
                              {"--to", CLI_STR, &to, 0, 0},
                              {"--route", CLI_STR, &route, 0, 0},
                              {"--config", CLI_STR, &config, 0, 0},
                              {"--dry-run", CLI_FLAG, &dry, 0, 0},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    sender_t s = {0};
    segment_t *seg = NULL;
    char key[160], day[11];
    app_config_t cfg;
    tplset_t *set = NULL;
    policy_t *pol = NULL;
    store_t *st = NULL;
    long long campaign;
    char err[1024];

    code = cli_parse("send", argc, argv, opts, NULL, 0, NULL, usage);
    if (code >= 0)
        return code;
    code = EXIT_FATAL;
    if (tname == NULL || to == NULL) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (cli_load_config(c, "send", config, &cfg))
        return EXIT_FATAL;
    s.b.route = app_config_route(&cfg, route);
    if (s.b.route == NULL || s.b.route->nchans == 0) {
        fprintf(stderr, "canbao send: no route or channel named '%s'\n", route);
        goto out;
    }
    if (jobs_route_templates(&cfg.jobs, s.b.route, &set, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "canbao send: templates: %s\n", err);
        goto out;
    }
    if (tplset_get(set, tname) == NULL) {
        fprintf(stderr, "canbao send: --template %s: no such template\n", tname);
        goto out;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        goto out;
    rc = segment_parse(to, st, pol, campaign, &seg, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao send: --to %s: %s\n", to, err);
        goto out;
    }
    snprintf(key, sizeof key, "send:%s", tname);
    date_format(c->today, day);
    s.b = (bcast_t){.st = st, .pol = pol, .campaign = campaign, .set = set, .tpl = tname,
                    .key = key, .key_day = day, .seg = seg, .today = c->today, .now = c->now,
                    .dry_run = dry, .route = s.b.route};
    s.cfg = &cfg;
    s.template_name = tname;
    s.dry_run = dry;
    rc = queue_all(&s, st, campaign, seg, dry);
    if (rc < 0) {
        store_rollback(st);
        fprintf(stderr, "canbao send: %s: %s\n", cb_strerror(rc), store_errmsg(st));
        goto out;
    }
    report(&s);
    code = EXIT_OK;
out:
    bcast_free(&s.b);
    segment_destroy(seg);
    tplset_destroy(set);
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    return code;
}
