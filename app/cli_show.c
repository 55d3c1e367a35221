/* SPDX-License-Identifier: MIT */
/* cli_show.c - 'canbao status' and 'canbao resident show'. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "store/report_load.h"
#include "store/store_paydate.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/policy.h"
#include "core/progress.h"
#include "core/progress_json.h"
#include "core/safetext.h"
#include "core/utf8.h"
#include "store/store_roster.h"
#include "store/store_status.h"

static void pct(char *buf, size_t n, double v)
{
    if (v < 0)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.1f%%", v * 100);
}

void cli_print_padded(const char *s, int cols)
{
    char safe[1024]; /* names and places: a longer one is cut */
    int used;

    safetext_term(s, strlen(s), safe, sizeof safe);
    used = (int)utf8_width(safe, strlen(safe));
    fputs(safe, stdout);
    for (; used < cols; used++)
        putchar(' ');
}

void cli_print_json(cJSON *o)
{
    char *text = cJSON_Print(o), *safe = safetext_json(text);

    if (safe != NULL)
        puts(safe);
    free(safe);
    free(text);
    cJSON_Delete(o);
}

static void print_row(const progress_row_t *r, const policy_t *pol, cb_date_t today, int bars)
{
    char name[160], prog[16], cov[16], spec[16], bar[64] = "", target[24] = "-";
    int64_t needed;

    snprintf(name, sizeof name, "%s%s%s%s%s", r->township ? r->township : "total",
             r->village ? " " : "", r->village ? r->village : "", r->group ? " " : "",
             r->group ? r->group : "");
    pct(prog, sizeof prog, r->progress);
    pct(cov, sizeof cov, r->coverage);
    pct(spec, sizeof spec, r->special_coverage);
    if (bars) {
        int filled = r->progress < 0 ? 0 : r->progress >= 1 ? 20 : (int)(r->progress * 20);
        snprintf(bar, sizeof bar, " [%-20.*s]", filled, "####################");
    }
    if (r->target >= 0) /* a group has no target of its own: "-", never -1 */
        snprintf(target, sizeof target, "%lld", (long long)r->target);
    cli_print_padded(name, 28);
    printf(" %8lld %8s %8lld %6lld %8lld %8lld %7s%s %7s %7s  %2d",
           (long long)r->registered, target, (long long)r->by_status[PS_PAID],
           (long long)r->by_status[PS_WAIVED],
           (long long)(r->by_status[PS_EMPLOYEE_INSURED] + r->by_status[PS_INSURED_ELSEWHERE]),
           (long long)r->by_status[PS_UNPAID], prog, bar, cov, spec, r->rank);
    for (size_t i = 0; i < policy_nmilestones(pol); i++) {
        const policy_milestone_t *m = policy_milestone(pol, i);
        char d[11];
        const char *state = progress_milestone_state(r, m, today, &needed);
        date_format(m->date, d);
        printf("  %s %d%%: %s", d + 5, m->percent, state);
    }
    putchar('\n');
}

static void status_usage(FILE *fp)
{
    fputs("usage: canbao [--db FILE] [--today DATE] status [--by county|township|village|group] [--json]\n"
          "Per area: registered (alive, on the roster), target, paid, waived, covered\n"
          "elsewhere (employee or other insurance), unpaid, progress = paid / target,\n"
          "coverage = (paid + covered elsewhere) / registered, special groups' coverage,\n"
          "rank among its siblings, and each milestone met, missed or due.\n", fp);
}

int cli_status(const cli_t *c, int argc, char **argv)
{
    static const char *const levels[] = {"county", "township", "village", "group"};
    int level = 1, json = 0, code = EXIT_FATAL;
    store_t *st = NULL;
    policy_t *pol = NULL;
    progress_t *p = progress_create();
    long long campaign;

    {
        const char *by = "township";
        const cli_opt_t opts[] = {{"--by", CLI_STR, &by, 0, 0},
                                  {"--json", CLI_FLAG, &json, 0, 0},
                                  {NULL, CLI_FLAG, NULL, 0, 0}};
        int parsed = cli_parse("status", argc, argv, opts, NULL, 0, NULL, status_usage);

        level = -1;
        for (int l = 0; l < 4; l++)
            level = strcmp(by, levels[l]) == 0 ? l : level;
        if (parsed < 0 && level < 0) {
            fprintf(stderr, "canbao status: --by %s: county, township, village or group\n\n", by);
            status_usage(stderr);
            parsed = EXIT_FATAL;
        }
        if (parsed >= 0) {
            progress_destroy(p);
            return parsed;
        }
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0) {
        progress_destroy(p);
        return EXIT_FATAL;
    }
    if (report_load_progress(st, campaign, p) < 0) {
        fprintf(stderr, "canbao: status: %s\n", store_errmsg(st));
        goto out;
    }
    {
        size_t n, nt;
        const progress_row_t *rows = progress_rows(p, level, &n);
        int64_t late = 0;
        if (store_late_count(st, campaign, &late) < 0) {
            fprintf(stderr, "canbao: status: %s\n", store_errmsg(st));
            goto out;
        }
        if (json) {
            cJSON *o = report_progress_json(p, pol, level, c->today);
            cJSON_AddNumberToObject(o, "late_enrolments", (double)late);
            cli_print_json(o);
        } else {
            int bars = isatty(STDOUT_FILENO);
            printf("%s %d campaign, by %s\n%-28s %8s %8s %8s %6s %8s %8s %7s%s %7s %7s  %s\n",
                   policy_county(pol), policy_year(pol), levels[level], "area", "register",
                   "target", "paid", "waived", "elsewhr", "unpaid", "progr",
                   bars ? "                       " : "", "cover", "special", "rk");
            for (size_t i = 0; i < n; i++)
                print_row(&rows[i], pol, c->today, bars);
            if (level != 0) {
                rows = progress_rows(p, 0, &nt);
                print_row(&rows[0], pol, c->today, bars);
            }
            printf("late enrolments (paid outside the window): %lld\n", (long long)late);
        }
    }
    code = EXIT_OK;
out:
    progress_destroy(p);
    store_close(st);
    policy_destroy(pol);
    return code;
}
