/* SPDX-License-Identifier: MIT */
/*
 * cli_waivers.c - 'canbao waivers': the residents who declined to enrol
 * (放弃参保). A reply asking for it makes a pending waiver (bot/reply.h); the form
 * (放弃参保确认书) must then be signed by the resident and a cadre, and the worker
 * confirms it here, which makes the person 'waived'. The export is what the
 * township prints the forms from and sends to the county.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "jobs/segment.h"
#include "bot/intent.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/policy.h"
#include "core/privfile.h"
#include "core/safetext.h"
#include "store/store_roster.h"
#include "store/store_waiver.h"

typedef struct lister {
    const cli_t *cli;
    const policy_t *pol;
    segment_t *seg;
    FILE *csv;         /* export: the file, else NULL (a listing) */
    const char *state; /* export: only this state; NULL: pending and confirmed */
    int64_t n, by_state[3];
} lister_t;

static const char *const states[] = {"pending", "confirmed", "withdrawn"};

/* "YYYY-MM-DD" in China time, "" for 0. */
static const char *day(int64_t t, char buf[11])
{
    if (t == 0)
        return "";
    date_format(clock_day(t), buf);
    return buf;
}

/* The cells in full (the form needs them), with control characters escaped and
 * formulas defused (core/safetext.h). */
static int export_row(lister_t *l, const store_waiver_row_t *w, const char *township,
                      const char *village, const char *group)
{
    char num[16], d1[11], d2[11];

    snprintf(num, sizeof num, "%d", policy_year(l->pol));
    safetext_csv_quoted(l->csv, num, 0);
    safetext_csv_quoted(l->csv, w->name, 0);
    safetext_csv_quoted(l->csv, w->id_number, 0);
    safetext_csv_quoted(l->csv, township, 0);
    safetext_csv_quoted(l->csv, village, 0);
    safetext_csv_quoted(l->csv, group, 0);
    snprintf(num, sizeof num, "%d", w->reason);
    safetext_csv_quoted(l->csv, w->reason ? num : "", 0);
    safetext_csv_quoted(l->csv, intent_reason_label((intent_reason_t)w->reason), 0);
    safetext_csv_quoted(l->csv, w->reason == WAIVER_REASON_OTHER ? w->reason_text : "", 0);
    safetext_csv_quoted(l->csv, day(w->requested_at, d1), 0);
    safetext_csv_quoted(l->csv, strcmp(w->state, "confirmed") == 0 ? "已确认" : "待签字确认",
                        0);
    safetext_csv_quoted(l->csv, w->confirmed_by, 0);
    safetext_csv_quoted(l->csv, day(w->confirmed_at, d2), 1);
    return ferror(l->csv) ? CB_EIO : 0;
}

static int each(void *ud, const store_waiver_row_t *w)
{
    lister_t *l = ud;
    const char *township, *village, *group;
    char id[24], name[128], place[400], d1[11], d2[11], *why;

    if (!segment_match(l->seg, w->person_id, w->area_id, 0))
        return 0;
    if (l->csv != NULL && l->state == NULL && strcmp(w->state, "withdrawn") == 0)
        return 0;
    segment_place(l->seg, w->area_id, &township, &village, &group);
    l->n++;
    for (int i = 0; i < 3; i++)
        l->by_state[i] += strcmp(w->state, states[i]) == 0;
    if (l->csv != NULL)
        return export_row(l, w, township, village, group);
    mask_id(w->id_number, id, sizeof id);
    mask_name(w->name, name, sizeof name);
    snprintf(place, sizeof place, "%s %s%s%s", township, village, group[0] ? " " : "", group);
    printf("%-18s  ", id);
    cli_print_padded(name, 8);
    cli_print_padded(place, 26);
    why = mask_text_dup(w->reason_text); /* as the resident typed it */
    safetext_printf(stdout, "%-9s  %s  %d %s%s%s%s%s%s%s\n", w->state, day(w->requested_at, d1),
                    w->reason, intent_reason_label((intent_reason_t)w->reason),
                    why[0] ? ": " : "", why, w->confirmed_by[0] ? "; confirmed by " : "",
                    w->confirmed_by, w->confirmed_at ? " on " : "", day(w->confirmed_at, d2));
    free(why);
    return 0;
}

static int list(const cli_t *c, store_t *st, const policy_t *pol, long long campaign,
                const char *state, const char *township, FILE *csv)
{
    lister_t l = {.cli = c, .pol = pol, .csv = csv, .state = state};
    char spec[256], err[256];
    int rc;

    snprintf(spec, sizeof spec, "all%s%s", township ? ":township=" : "", township ? township : "");
    rc = segment_parse(spec, st, pol, campaign, &l.seg, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao waivers: %s\n", err);
        return rc;
    }
    if (csv != NULL)
        fputs("\xEF\xBB\xBF" /* BOM: Excel reads it as UTF-8 */
              "年度,姓名,身份证号码,乡镇,村（社区）,组,放弃原因序号,放弃原因,其他原因说明,"
              "登记日期,状态,确认干部,确认日期\n",
              csv);
    rc = store_waivers_each(st, campaign, state, each, &l);
    if (rc < 0)
        fprintf(stderr, "canbao waivers: %s\n", rc == CB_EIO ? strerror(errno) : store_errmsg(st));
    else if (csv == NULL)
        printf("%lld waivers: %lld pending, %lld confirmed, %lld withdrawn\n", (long long)l.n,
               (long long)l.by_state[0], (long long)l.by_state[1], (long long)l.by_state[2]);
    else
        fprintf(stderr, "%lld waivers (%lld pending, %lld confirmed)", (long long)l.n,
                (long long)l.by_state[0], (long long)l.by_state[1]);
    segment_destroy(l.seg);
    return rc;
}

static int confirm(const cli_t *c, store_t *st, long long campaign, const char *arg,
                   const char *by)
{
    char id[IDCARD_LEN + 1], why[160], masked[24], source[160];
    store_resident_t r;
    int rc;

    if (idcard_check(arg, strlen(arg), c->today, id, why, sizeof why) != IDCARD_OK) {
        fprintf(stderr, "canbao waivers: not a valid ID number: %s\n", why);
        return CB_EINVAL;
    }
    mask_id(id, masked, sizeof masked);
    rc = store_resident_get(st, campaign, idcard_key(id), &r);
    if (rc < 0 || r.status == NULL) {
        fprintf(stderr, "canbao waivers: %s: not on the roster of this campaign\n", masked);
        if (rc == CB_OK)
            store_resident_free(&r);
        return CB_ENOTFOUND;
    }
    rc = CB_ESTATE;
    if (strcmp(r.status, "unpaid") != 0) {
        fprintf(stderr, "canbao waivers: %s is %s: only an unpaid person's waiver is confirmed\n",
                masked, r.status);
        goto out;
    }
    snprintf(source, sizeof source, "waiver confirmed by %s", by);
    rc = store_begin(st);
    if (rc == CB_OK)
        rc = store_waiver_confirm(st, campaign, r.id, by, c->now);
    if (rc == 0) {
        fprintf(stderr, "canbao waivers: %s has no pending waiver\n", masked);
        rc = CB_ENOTFOUND;
    }
    if (rc > 0)
        rc = store_status_set(st, campaign, r.id, r.status, "waived", source, c->now);
    if (rc == CB_OK)
        rc = store_commit(st);
    if (rc < 0) {
        store_rollback(st);
        if (rc != CB_ENOTFOUND)
            fprintf(stderr, "canbao waivers: %s\n", store_errmsg(st));
        goto out;
    }
    printf("confirmed the waiver of %s: status waived (by %s)\n", masked, by);
out:
    store_resident_free(&r);
    return rc;
}

/* Open 'path' for writing with mode 0600 ('-': standard output). */
static FILE *open_private(const char *path)
{
    return strcmp(path, "-") == 0 ? stdout : privfile_open(path);
}

static void usage(FILE *fp)
{
    fputs("usage: canbao waivers [list] [--state pending|confirmed|withdrawn] [--township T]\n"
          "       canbao waivers confirm ID_NUMBER --by WORKER\n"
          "       canbao waivers export --township T [--out FILE] [--state S]\n\n"
          "Residents who declined to enrol (放弃参保). A reply such as \"放弃 2\" records a\n"
          "pending waiver with the form's reason (1 商业保险, 2 职工医保, 3 身体健康、收入稳定,\n"
          "4 其他). 'confirm' records that the signed form (放弃参保确认书) is in: the waiver\n"
          "is confirmed and the person's status becomes waived (with an audit row).\n"
          "'list' masks ID numbers and names (and ID and phone numbers in a reason's text).\n"
          "'export' writes the township's pending and confirmed waivers as CSV for printing\n"
          "the forms and reporting to the county, with names and ID numbers IN FULL (the\n"
          "form needs them): the file is created with mode 0600; keep it so. Control\n"
          "characters in a cell are shown as \\x1b and a cell starting with = + - @ gets a\n"
          "leading ' (no formulas in Excel or WPS).\n"
          "Default FILE: waivers-TOWNSHIP-DATE.csv; '-' writes to standard output.\n",
          fp);
}

int cli_waivers(const cli_t *c, int argc, char **argv)
{
    const char *verb = "list", *state = NULL, *township = NULL, *by = NULL, *out = NULL;
    const char *id = NULL;
    char path[512];
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    const char *pos[2] = {NULL, NULL};
    const cli_opt_t opts[] = {{"--state", CLI_STR, &state, 0, 0},
                              {"--township", CLI_STR, &township, 0, 0},
                              {"--by", CLI_STR, &by, 0, 0},
                              {"--out", CLI_STR, &out, 0, 0},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    int rc = cli_parse("waivers", argc, argv, opts, pos, 2, NULL, usage);
    FILE *fp = NULL;

    if (rc >= 0)
        return rc;
    if (pos[0] != NULL)
        verb = pos[0];
    id = pos[1];
    if (id != NULL && strcmp(verb, "confirm") != 0) {
        fprintf(stderr, "canbao waivers: unexpected '%s'\n\n", id);
        usage(stderr);
        return EXIT_FATAL;
    }
    if (state != NULL && strcmp(state, "pending") != 0 && strcmp(state, "confirmed") != 0 &&
        strcmp(state, "withdrawn") != 0) {
        fprintf(stderr, "canbao waivers: --state %s: pending, confirmed or withdrawn\n", state);
        return EXIT_FATAL;
    }
    if ((strcmp(verb, "confirm") == 0 && (id == NULL || by == NULL || by[0] == '\0')) ||
        (strcmp(verb, "export") == 0 && township == NULL) ||
        (strcmp(verb, "list") != 0 && strcmp(verb, "confirm") != 0 &&
         strcmp(verb, "export") != 0)) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    if (strcmp(verb, "confirm") == 0) {
        rc = confirm(c, st, campaign, id, by);
    } else if (strcmp(verb, "export") == 0) {
        char today[11];

        date_format(c->today, today);
        snprintf(path, sizeof path, "waivers-%s-%s.csv", township, today);
        if (out == NULL)
            out = path;
        fp = open_private(out);
        rc = fp == NULL ? CB_EIO : list(c, st, pol, campaign, state, township, fp);
        if (fp == NULL)
            fprintf(stderr, "canbao waivers: %s: %s\n", out, strerror(errno));
        if (fp != NULL && fp != stdout && fclose(fp) != 0 && rc >= 0) {
            fprintf(stderr, "canbao waivers: %s: %s\n", out, strerror(errno));
            rc = CB_EIO;
        }
        if (rc >= 0)
            fprintf(stderr, " written to %s%s\n", strcmp(out, "-") == 0 ? "standard output" : out,
                    strcmp(out, "-") == 0 ? "" : " (mode 0600: full names and ID numbers)");
    } else {
        rc = list(c, st, pol, campaign, state, township, NULL);
    }
    store_close(st);
    policy_destroy(pol);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}
