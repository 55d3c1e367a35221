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
#include "app/segment.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/policy.h"
#include "core/smsseg.h"
#include "store/store_outbox.h"
#include "store/store_people.h"
#include "store/store_roster.h"
#include "templates/msgctx.h"
#include "templates/tplset.h"

#define MAX_LISTED 3 /* household members named in one SMS */

typedef struct member {
    char *name, *id_number, *phone;
    int64_t person_id, area_id;
    int cats[64];
    size_t ncats;
} member_t;

typedef struct sender {
    const cli_t *cli;
    store_t *st;
    const policy_t *pol;
    int64_t campaign;
    const app_config_t *cfg;
    const dispatch_route_t *route;
    const tplset_t *set;
    const char *template_name;
    segment_t *seg;
    int dry_run;
    member_t *group; /* the people of the current phone: one message for them all */
    size_t ngroup, capgroup;
    /* what happened */
    uint64_t messages, queued, existed, parts, people, unreachable, per_tpl[2];
    char sample[1024];
} sender_t;

static void group_clear(sender_t *s)
{
    for (size_t i = 0; i < s->ngroup; i++) {
        free(s->group[i].name);
        free(s->group[i].id_number);
        free(s->group[i].phone);
    }
    s->ngroup = 0;
}

/* Render, count and queue the message for the people in s->group. */
static int emit(sender_t *s)
{
    msg_person_t *mp;
    const char *tname = s->ngroup > 1 ? "household_reminder" : s->template_name;
    const tpl_t *t = tplset_get(s->set, tname);
    tpl_ctx_t *ctx;
    char *text, *final, key[256], today[11];
    sms_count_t sc = {0};
    int rc = CB_OK;

    if (s->ngroup == 0)
        return CB_OK;
    mp = xcalloc(s->ngroup, sizeof *mp);
    for (size_t i = 0; i < s->ngroup; i++) {
        segment_place(s->seg, s->group[i].area_id, &mp[i].township, &mp[i].village,
                      &mp[i].group);
        mp[i].name = s->group[i].name;
        mp[i].id_number = s->group[i].id_number;
        mp[i].phone = s->group[i].phone;
        mp[i].cats = s->group[i].cats;
        mp[i].ncats = s->group[i].ncats;
    }
    ctx = msgctx_resident(s->pol, &mp[0], s->cli->today);
    if (s->ngroup > 1)
        msgctx_household(ctx, s->pol, mp, s->ngroup, MAX_LISTED);
    text = tpl_render(t, ctx);
    tpl_ctx_destroy(ctx);
    free(mp);
    final = channel_decorate(s->route->chans[0], text);
    if (sms_count(final, strlen(final), &sc) < 0)
        sc.segments = 1;
    s->messages++;
    s->per_tpl[s->ngroup > 1]++;
    s->parts += (uint64_t)sc.segments;
    if (s->sample[0] == '\0')
        snprintf(s->sample, sizeof s->sample, "%s", final);
    date_format(s->cli->today, today);
    snprintf(key, sizeof key, "send:%s:%s:%s", s->template_name, s->group[0].phone, today);
    if (!s->dry_run) {
        outbox_new_t m = {.key = key, .campaign_id = s->campaign,
                          .person_id = s->ngroup == 1 ? s->group[0].person_id : 0,
                          .route = s->route->name, .klass = OB_REMINDER,
                          .recipient = s->group[0].phone, .template_name = tname, .text = text};
        rc = store_outbox_enqueue(s->st, &m, s->cli->now);
        if (rc >= 0) {
            s->queued += rc == 1;
            s->existed += rc == 0;
        }
    }
    free(final);
    free(text);
    group_clear(s);
    return rc < 0 ? rc : CB_OK;
}

static int each(void *ud, const store_person_row_t *p)
{
    sender_t *s = ud;
    uint64_t mask = 0;
    member_t *m;
    int rc;

    if (catset_parse(s->pol, p->categories, strlen(p->categories), &mask, NULL, 0) < 0)
        mask = 0;
    if (!segment_match(s->seg, p->area_id, mask))
        return 0;
    s->people++;
    if (p->phone[0] == '\0') {
        s->unreachable++;
        return 0;
    }
    if (s->ngroup > 0 && strcmp(s->group[0].phone, p->phone) != 0) {
        rc = emit(s);
        if (rc < 0)
            return rc;
    }
    if (s->ngroup == s->capgroup) {
        s->capgroup = s->capgroup ? s->capgroup * 2 : 8;
        s->group = xrealloc(s->group, s->capgroup * sizeof *s->group);
    }
    m = &s->group[s->ngroup++];
    m->name = xstrdup(p->name);
    m->id_number = xstrdup(p->id_number);
    m->phone = xstrdup(p->phone);
    m->person_id = p->id;
    m->area_id = p->area_id;
    m->ncats = catset_indices(mask, m->cats);
    return 0;
}

static void report(const sender_t *s)
{
    printf("%s %s via route '%s' (%s)\n", s->dry_run ? "would send" : "queued",
           s->template_name, s->route->name, channel_name(s->route->chans[0]));
    printf("  people %llu, unreachable without a phone %llu\n", (unsigned long long)s->people,
           (unsigned long long)s->unreachable);
    printf("  messages %llu (%s %llu, household_reminder %llu), SMS parts %llu, "
           "estimated cost %.2f yuan\n",
           (unsigned long long)s->messages, s->template_name, (unsigned long long)s->per_tpl[0],
           (unsigned long long)s->per_tpl[1], (unsigned long long)s->parts,
           (double)(s->parts * (uint64_t)s->cfg->cost_fen_per_part) / 100.0);
    if (!s->dry_run)
        printf("  new in the outbox %llu, queued before (same key) %llu\n",
               (unsigned long long)s->queued, (unsigned long long)s->existed);
    if (s->sample[0] != '\0')
        printf("  first message: %s\n", s->sample);
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
          "                   all; FILTER is township=T, village=T/V or category=C, e.g.\n"
          "                   unpaid   unpaid:village=冷市镇/南华村   category=低保\n"
          "  --route ROUTE    sms (default), robot, or a channel's name\n"
          "  --config FILE    the deployment config (default: the file channel)\n"
          "  --dry-run        print count, SMS parts and estimated cost; queue nothing\n", fp);
}

int cli_send(const cli_t *c, int argc, char **argv)
{
    const char *tname = NULL, *to = NULL, *route = "sms", *config = getenv("CANBAO_CONFIG");
    sender_t s = {0};
    app_config_t cfg;
    tplset_t *set = NULL;
    policy_t *pol = NULL;
    store_t *st = NULL;
    long long campaign;
    char err[1024];
    int dry = 0, rc, code = EXIT_FATAL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--template") == 0 && i + 1 < argc)
            tname = argv[++i];
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = argv[++i];
        else if (strcmp(argv[i], "--route") == 0 && i + 1 < argc)
            route = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "canbao send: unexpected '%s'\n\n", argv[i]);
            usage(stderr);
            return EXIT_FATAL;
        }
    }
    if (tname == NULL || to == NULL) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (app_config_load(config && *config ? config : NULL, c->db, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "canbao send: %s\n", err);
        app_config_free(&cfg);
        return EXIT_FATAL;
    }
    s.route = app_config_route(&cfg, route);
    if (s.route == NULL || s.route->nchans == 0) {
        fprintf(stderr, "canbao send: no route or channel named '%s'\n", route);
        goto out;
    }
    if (app_config_templates(&cfg, s.route, &set, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "canbao send: templates: %s\n", err);
        goto out;
    }
    if (tplset_get(set, tname) == NULL) {
        fprintf(stderr, "canbao send: --template %s: no such template\n", tname);
        goto out;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        goto out;
    rc = segment_parse(to, st, pol, &s.seg, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao send: --to %s: %s\n", to, err);
        goto out;
    }
    s.cli = c;
    s.st = st;
    s.pol = pol;
    s.campaign = campaign;
    s.cfg = &cfg;
    s.set = set;
    s.template_name = tname;
    s.dry_run = dry;
    rc = dry ? CB_OK : store_begin(st);
    if (rc >= 0)
        rc = store_people_each(st, campaign, segment_status(s.seg), each, &s);
    if (rc >= 0)
        rc = emit(&s);
    if (rc >= 0 && !dry)
        rc = store_commit(st);
    if (rc < 0) {
        store_rollback(st);
        fprintf(stderr, "canbao send: %s: %s\n", cb_strerror(rc), store_errmsg(st));
        goto out;
    }
    report(&s);
    code = EXIT_OK;
out:
    group_clear(&s);
    free(s.group);
    segment_destroy(s.seg);
    tplset_destroy(set);
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    return code;
}
