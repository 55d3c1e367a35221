/* SPDX-License-Identifier: MIT */
/*
 * cli_run.c - 'canbao run JOB|due|list': run a scheduled job by hand on the campaign
 * clock (--now), every job that is due (for cron instead of the daemon), or list
 * the recent runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/config.h"
#include "jobs/jobs.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mask.h"
#include "core/safetext.h"
#include "store/store_jobs.h"

static void usage(FILE *fp)
{
    size_t n;
    const job_def_t *all = jobs_all(&n);

    fputs("usage: canbao run JOB [--config FILE]   run one job now (on --now's clock)\n"
          "       canbao run due [--config FILE]   run every job whose time has come\n"
          "       canbao run list [--limit N]      the latest runs\n\n"
          "A run queues messages in the outbox ('canbao dispatch' or the daemon sends them)\n"
          "and writes files under the config's jobs.out_dir. Running a job twice on the same\n"
          "day queues nothing new. 'canbao serve' runs the jobs at the times of the config's\n"
          "jobs section; 'run due' does the same once, for cron.\n\nJobs:\n", fp);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "  %-8s %s\n", all[i].name, all[i].summary);
}

static int print_run(void *ud, const store_job_row_t *r)
{
    char due[11], dueh[16];
    int min = clock_minute_of_day(r->due_at);
    /* An error may quote a gateway or a file: escaped, numbers in it masked. */
    char *what = mask_text_dup(r->error[0] ? r->error : r->summary);

    (void)ud;
    date_format(clock_day(r->due_at), due);
    snprintf(dueh, sizeof dueh, "%02d:%02d", min / 60, min % 60);
    safetext_printf(stdout, "%-6lld %-8s %s %s %6llu  %s%s%s\n", (long long)r->id, r->job, due,
                    dueh, (unsigned long long)r->queued, r->ended_at ? "" : "(unfinished) ",
                    r->error[0] ? "error: " : "", what);
    free(what);
    return 0;
}

int cli_run(const cli_t *c, int argc, char **argv)
{
    const char *what = NULL, *config = getenv("CANBAO_CONFIG");
    int64_t limit = 20;
    const cli_opt_t opts[] = {{"--config", CLI_STR, &config, 0, 0},
                              {"--limit", CLI_COUNT, &limit, 1, 100000},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    int code = cli_parse("run", argc, argv, opts, &what, 1, NULL, usage), rc;
    app_config_t cfg;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;

    if (code >= 0)
        return code;
    code = EXIT_FATAL;
    if (what == NULL || (strcmp(what, "due") != 0 && strcmp(what, "list") != 0 &&
                         jobs_find(what) == NULL)) {
        if (what != NULL)
            fprintf(stderr, "canbao run: no job named '%s'\n\n", what);
        usage(stderr);
        return EXIT_FATAL;
    }
    if (cli_load_config(c, "run", config, &cfg))
        return EXIT_FATAL;
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        goto out;
    if (strcmp(what, "list") == 0) {
        rc = store_job_list(st, (int)limit, print_run, NULL);
    } else {
        job_env_t env = {.st = st, .pol = pol, .campaign = campaign, .cfg = &cfg.jobs, .now = c->now,
                         .today = clock_day(c->now)};
        if (strcmp(what, "due") == 0) {
            unsigned ran = 0;
            rc = jobs_run_due(&env, &ran);
            printf("%u job%s ran\n", ran, ran == 1 ? "" : "s");
        } else {
            job_result_t res;
            rc = jobs_run_slot(jobs_find(what), &env, c->now, &res);
            if (rc == 0)
                printf("%s: ran at this time already\n", what);
            else
                printf("%s: %s; %llu new in the outbox\n", what, res.summary,
                       (unsigned long long)res.queued);
        }
    }
    if (rc < 0) {
        fprintf(stderr, "canbao run: %s failed (see 'canbao run list'): %s\n", what,
                cb_strerror(rc));
        goto out;
    }
    code = EXIT_OK;
out:
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    return code;
}
