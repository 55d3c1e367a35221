/* SPDX-License-Identifier: MIT */
/* cli_report.c - 'canbao report': make today's progress report now (the report job
 * on the campaign clock) and say where it went. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/config.h"
#include "jobs/job_report.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/policy.h"
#include "core/safetext.h"

static void usage(FILE *fp)
{
    fputs("usage: canbao [--db FILE] [--today DATE | --now TIME] report [--print] [--out DIR]\n"
          "                                                   [--config FILE]\n\n"
          "Make the day's progress report now, as the scheduled report job does: per\n"
          "township and village the progress (paid / target), rank, change since the last\n"
          "report, the next milestone and whether the area is on pace, and the special\n"
          "groups' coverage. The markdown goes to the outbox for the leaders' group (the\n"
          "config's jobs.report_route and jobs.report_to) and, with a CSV of every figure,\n"
          "to DIR/reports/report-YYYY-MM-DD.md and .csv. A second run on the same day\n"
          "changes nothing. With --today alone the clock reads the config's jobs.report_at.\n\n"
          "  --print        the report's markdown to stdout (the rest goes to stderr)\n"
          "  --out DIR      the output folder (default: the config's jobs.out_dir, else DB.out)\n"
          "  --config FILE  the deployment config (default $CANBAO_CONFIG, else the file\n"
          "                 channel)\n",
          fp);
}

/* The file at 'path' to stdout; 0, or -1 when it cannot be read. */
static int cat(const char *path)
{
    FILE *fp = fopen(path, "r");
    char buf[4096];
    size_t n;

    if (fp == NULL)
        return -1;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(fp);
    return 0;
}

int cli_report(const cli_t *c, int argc, char **argv)
{
    const char *out_dir = NULL, *config = getenv("CANBAO_CONFIG");
    app_config_t cfg;
    policy_t *pol = NULL;
    store_t *st = NULL;
    long long campaign;
    job_report_out_t out;
    job_result_t res = {0};
    int print = 0, code = EXIT_FATAL;
    FILE *info;

    {
        const cli_opt_t opts[] = {{"--print", CLI_FLAG, &print, 0, 0},
                                  {"--out", CLI_STR, &out_dir, 0, 0},
                                  {"--config", CLI_STR, &config, 0, 0},
                                  {NULL, CLI_FLAG, NULL, 0, 0}};
        int parsed = cli_parse("report", argc, argv, opts, NULL, 0, NULL, usage);
        if (parsed >= 0)
            return parsed;
    }
    if (cli_load_config(c, "report", config, &cfg))
        return EXIT_FATAL;
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        goto out;
    {
        /* --today without --now: the day's report time on the campaign clock. */
        int64_t now = clock_day(c->now) == c->today ? c->now
                                                    : clock_at(c->today, cfg.jobs.report_at);
        job_env_t env = {.st = st, .pol = pol, .campaign = campaign, .cfg = &cfg.jobs,
                         .now = now, .today = c->today, .quiet = 1};
        if (job_report_run(&env, out_dir, &out, &res) < 0) {
            safetext_printf(stderr, "canbao %s\n", res.summary);
            goto out;
        }
    }
    info = print ? stderr : stdout;
    safetext_printf(info, "%s\n", res.summary);
    if (!out.fresh)
        fprintf(info, "  (the files and the message are those of the day's first run)\n");
    fprintf(info, "  markdown %s\n  csv      %s\n", out.md, out.csv);
    if (print && cat(out.md) != 0) {
        fprintf(stderr, "canbao report: cannot read %s\n", out.md);
        goto out;
    }
    code = EXIT_OK;
out:
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    return code;
}
