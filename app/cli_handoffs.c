/* SPDX-License-Identifier: MIT */
/*
 * cli_handoffs.c - 'canbao handoffs': replies the bot did not understand, handed to
 * the sender's grid worker (they are also on the worker's to-do list). A worker who
 * answered one resolves it; a visit to the household resolves its handoffs too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "jobs/segment.h"
#include "core/clock.h"
#include "core/mask.h"
#include "core/policy.h"
#include "core/safetext.h"
#include "store/store_inbound.h"

typedef struct lister {
    segment_t *seg;
    int64_t n;
} lister_t;

static int print_handoff(void *ud, const store_handoff_row_t *h)
{
    lister_t *l = ud;
    const char *township = "", *village = "(not on the roster)", *group = "";
    char d[11], phone[24], *text = mask_text_dup(h->text);

    if (h->area_id > 0)
        segment_place(l->seg, h->area_id, &township, &village, &group);
    mask_phone(h->sender, phone, sizeof phone);
    date_format(clock_day(h->created_at), d);
    /* What the resident typed: ID and phone numbers in it masked, controls escaped. */
    safetext_printf(stdout, "%6lld  %s  %-12s %s%s%s  %s\n", (long long)h->id, d, phone, township,
                    village, group, text);
    free(text);
    l->n++;
    return 0;
}

static void usage(FILE *fp)
{
    fputs("usage: canbao handoffs [list]\n"
          "       canbao handoffs resolve ID --by WORKER\n\n"
          "Replies the bot did not understand, for the sender's grid worker (phones masked;\n"
          "ID and phone numbers in the text masked, control characters shown as \\x1b).\n"
          "Resolve one once it is answered; a worker's visit to the household (canbao visit,\n"
          "or a visit reported through the bot) resolves its handoffs as well.\n", fp);
}

int cli_handoffs(const cli_t *c, int argc, char **argv)
{
    const char *by = NULL, *id = NULL;
    int resolve = 0, code = EXIT_FATAL, rc;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    lister_t l = {0};
    char err[256], *end;

    const char *pos[2] = {NULL, NULL}; /* [list] | resolve ID */
    const cli_opt_t opts[] = {{"--by", CLI_STR, &by, 0, 0}, {NULL, CLI_FLAG, NULL, 0, 0}};

    code = cli_parse("handoffs", argc, argv, opts, pos, 2, NULL, usage);
    if (code >= 0)
        return code;
    code = EXIT_FATAL;
    resolve = pos[0] != NULL && strcmp(pos[0], "resolve") == 0;
    id = pos[1];
    if ((pos[0] != NULL && !resolve && strcmp(pos[0], "list") != 0) || (!resolve && id != NULL)) {
        fprintf(stderr, "canbao handoffs: unexpected '%s'\n\n", id ? id : pos[0]);
        usage(stderr);
        return EXIT_FATAL;
    }
    if (resolve && (id == NULL || by == NULL || *by == '\0' || strtoll(id, &end, 10) <= 0 ||
                    *end != '\0')) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    if (resolve) {
        rc = store_handoff_resolve(st, strtoll(id, NULL, 10), by, c->now);
        if (rc < 0)
            fprintf(stderr, "canbao handoffs: %s\n", store_errmsg(st));
        else if (rc == 0)
            fprintf(stderr, "canbao handoffs: handoff %s is not open\n", id);
        else {
            printf("handoff %s resolved by %s\n", id, by);
            code = EXIT_OK;
        }
    } else if (segment_parse("all", st, pol, campaign, &l.seg, err, sizeof err) < 0) {
        fprintf(stderr, "canbao handoffs: %s\n", err);
    } else if (store_handoffs_open(st, print_handoff, &l) < 0) {
        fprintf(stderr, "canbao handoffs: %s\n", store_errmsg(st));
    } else {
        printf("%lld open handoff(s)\n", (long long)l.n);
        code = EXIT_OK;
    }
    segment_destroy(l.seg);
    store_close(st);
    policy_destroy(pol);
    return code;
}
