/* SPDX-License-Identifier: MIT */
/*
 * cli_claims.c - 'canbao claims': what residents said about themselves through the
 * bot ("I paid", "I am covered elsewhere"), for a worker to check. A claim is never
 * a payment: only a verified claim changes the person's status (paid, or
 * employee_insured / insured_elsewhere), with an audit row naming the worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "jobs/segment.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mask.h"
#include "core/policy.h"
#include "core/safetext.h"
#include "store/store_claim.h"
#include "store/store_roster.h"

typedef struct lister {
    segment_t *seg;
    int64_t n;
} lister_t;

static int print_claim(void *ud, const store_claim_row_t *c)
{
    lister_t *l = ud;
    const char *township, *village, *group;
    char d[11], *receipt = mask_text_dup(c->receipt); /* as the resident typed it */

    segment_place(l->seg, c->area_id, &township, &village, &group);
    date_format(clock_day(c->created_at), d);
    safetext_printf(stdout, "%6lld  %-9s %-12s %s  %s %s %s%s%s\n", (long long)c->id, c->state,
                    c->kind, d, township, village, group, receipt[0] ? "  receipt " : "", receipt);
    free(receipt);
    l->n++;
    return 0;
}

/* The status a verified claim of 'kind' gives. */
static const char *status_of(const char *kind)
{
    if (strcmp(kind, "paid") == 0)
        return "paid";
    if (strcmp(kind, "employee") == 0 || strcmp(kind, "unit") == 0)
        return "employee_insured";
    if (strcmp(kind, "deceased") == 0)
        return "deceased"; /* a death a household or a visit reported */
    return "insured_elsewhere"; /* other_place, school */
}

static int resolve(const cli_t *c, store_t *st, long long campaign, const char *arg,
                   const char *by, int verify)
{
    char *end, kind[24], status[24], source[160];
    long long id = strtoll(arg, &end, 10);
    int64_t person;
    int rc;

    if (*arg == '\0' || *end != '\0' || id <= 0) {
        fprintf(stderr, "canbao claims: '%s' is not a claim number (see 'canbao claims')\n", arg);
        return EXIT_FATAL;
    }
    rc = store_begin(st);
    if (rc >= 0)
        rc = store_claim_resolve(st, campaign, id, verify ? "verified" : "rejected", by, c->now,
                                 &person, kind, status);
    if (rc == 1 && verify && strcmp(status, status_of(kind)) != 0) {
        snprintf(source, sizeof source, "claim:%lld:%s", id, by);
        rc = store_status_set(st, campaign, person, status, status_of(kind), source, c->now);
        if (rc >= 0)
            rc = 1;
    }
    if (rc >= 0 && store_commit(st) < 0)
        rc = CB_EIO;
    if (rc < 0) {
        store_rollback(st);
        fprintf(stderr, "canbao claims: %s\n", store_errmsg(st));
        return EXIT_FATAL;
    }
    if (rc == 0) {
        fprintf(stderr, "canbao claims: claim %lld is not open\n", id);
        return EXIT_FATAL;
    }
    printf("claim %lld %s%s%s\n", id, verify ? "verified" : "rejected",
           verify ? ": the person is now " : "", verify ? status_of(kind) : "");
    return EXIT_OK;
}

static void usage(FILE *fp)
{
    fputs("usage: canbao claims [list] [--state open|verified|rejected]\n"
          "       canbao claims verify|reject CLAIM --by WORKER\n\n"
          "Claims residents made through the bot: 'paid' (with a receipt number when given)\n"
          "or covered elsewhere ('employee', 'unit', 'other_place', 'school'), or a death\n"
          "a household reported ('deceased'). A claim is\n"
          "not a payment: verify one after checking it (the tax bureau's record, the\n"
          "employer's certificate) and the person becomes paid, employee_insured,\n"
          "insured_elsewhere or deceased, with an audit row naming WORKER; reject it\n"
          "otherwise. A tax-bureau receipt for the person verifies an open 'paid' claim.\n", fp);
}

int cli_claims(const cli_t *c, int argc, char **argv)
{
    const char *state = "open", *by = NULL, *verb = "list", *arg = NULL;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    lister_t l = {0};
    char err[256];
    const char *pos[2] = {NULL, NULL}; /* [list] | verify|reject CLAIM */
    const cli_opt_t opts[] = {{"--state", CLI_STR, &state, 0, 0},
                              {"--by", CLI_STR, &by, 0, 0},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    int code = cli_parse("claims", argc, argv, opts, pos, 2, NULL, usage);

    if (code >= 0)
        return code;
    code = EXIT_FATAL;
    if (pos[0] != NULL)
        verb = pos[0];
    arg = pos[1];
    if ((strcmp(verb, "list") != 0 && strcmp(verb, "verify") != 0 &&
         strcmp(verb, "reject") != 0) || (strcmp(verb, "list") == 0 && arg != NULL)) {
        fprintf(stderr, "canbao claims: unexpected '%s'\n\n", arg ? arg : verb);
        usage(stderr);
        return EXIT_FATAL;
    }
    if (strcmp(verb, "list") != 0 && (arg == NULL || by == NULL || *by == '\0')) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    if (strcmp(verb, "list") != 0) {
        code = resolve(c, st, campaign, arg, by, strcmp(verb, "verify") == 0);
    } else if (segment_parse("all", st, pol, campaign, &l.seg, err, sizeof err) < 0) {
        fprintf(stderr, "canbao claims: %s\n", err);
    } else if (store_claims_each(st, campaign, strcmp(state, "all") ? state : NULL, print_claim,
                                 &l) < 0) {
        fprintf(stderr, "canbao claims: %s\n", store_errmsg(st));
    } else {
        printf("%lld %s claim(s)\n", (long long)l.n, state);
        code = EXIT_OK;
    }
    segment_destroy(l.seg);
    store_close(st);
    policy_destroy(pol);
    return code;
}
