/* SPDX-License-Identifier: MIT */
/*
 * cli_todo.c - 'canbao todo': the grid workers' to-do lists now (the job the daemon
 * runs each morning), or one worker's list on the terminal; 'canbao visit': a
 * worker's report from the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/config.h"
#include "jobs/jobs.h"
#include "jobs/todo_sheet.h"
#include "bot/worker_reply.h"
#include "core/err.h"
#include "core/policy.h"
#include "core/safetext.h"
#include "store/store_worker.h"

static void todo_usage(FILE *fp)
{
    fputs("usage: canbao todo [--worker CODE] [--out DIR] [--print] [--config FILE]\n\n"
          "Grid workers' to-do lists for today (--today): for every worker (or only CODE)\n"
          "the households with unpaid members they answer for, most urgent first (special\n"
          "groups, households no phone reaches, claims/waivers/replies waiting, then the\n"
          "most unpaid and the longest without contact), written as\n"
          "DIR/todo/YYYY-MM-DD/CODE.csv and .html (full phones, masked ID numbers, mode\n"
          "0600), and the first households queued to the worker (template worker_todo,\n"
          "route jobs.todo_route or the worker's own; once a day per worker).\n\n"
          "  --worker CODE  only this worker\n"
          "  --out DIR      instead of the config's jobs.out_dir (default DB.out)\n"
          "  --print        print CODE's whole list to stdout; write and queue nothing\n"
          "  --config FILE  the deployment config (default: the file channel)\n", fp);
}

static int print_one(const cli_t *c, store_t *st, const policy_t *pol, long long campaign,
                     const char *code, int max)
{
    store_worker_t w;
    todo_sheet_t s = {0};
    int rc = store_worker_get(st, code, &w);

    if (rc == CB_ENOTFOUND) {
        fprintf(stderr, "canbao todo: no worker '%s' (canbao import workers FILE)\n", code);
        return EXIT_FATAL;
    }
    if (rc >= 0)
        rc = todo_sheet_build(st, pol, campaign, &w, c->today, c->now, (size_t)max, &s);
    if (rc >= 0)
        rc = todo_write_text(&s, stdout);
    if (rc < 0)
        fprintf(stderr, "canbao todo: %s: %s\n", cb_strerror(rc), store_errmsg(st));
    todo_sheet_free(&s);
    store_worker_free(&w);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}

int cli_todo(const cli_t *c, int argc, char **argv)
{
    const char *worker = NULL, *config = getenv("CANBAO_CONFIG");
    const char *out = NULL;
    app_config_t cfg;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    job_result_t res;
    int print = 0, code = EXIT_FATAL, rc;

    {
        const cli_opt_t opts[] = {{"--worker", CLI_STR, &worker, 0, 0},
                                  {"--out", CLI_STR, &out, 0, 0},
                                  {"--config", CLI_STR, &config, 0, 0},
                                  {"--print", CLI_FLAG, &print, 0, 0},
                                  {NULL, CLI_FLAG, NULL, 0, 0}};
        int parsed = cli_parse("todo", argc, argv, opts, NULL, 0, NULL, todo_usage);
        if (parsed >= 0)
            return parsed;
    }
    if (print && worker == NULL) {
        fputs("canbao todo: --print needs --worker CODE\n", stderr);
        return EXIT_FATAL;
    }
    if (cli_load_config(c, "todo", config, &cfg))
        return EXIT_FATAL;
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        goto done;
    if (print) {
        code = print_one(c, st, pol, campaign, worker, cfg.jobs.todo_max);
        goto done;
    }
    if (worker != NULL) {
        store_worker_t w;
        rc = store_worker_get(st, worker, &w);
        store_worker_free(&w);
        if (rc < 0) {
            fprintf(stderr, "canbao todo: no worker '%s' (canbao import workers FILE)\n", worker);
            goto done;
        }
    }
    {
        jobs_config_t run_cfg = cfg.jobs; /* --out replaces the folder for this run only */
        job_env_t env = {.st = st, .pol = pol, .campaign = campaign, .cfg = &run_cfg,
                         .now = c->now, .today = c->today};
        char dir[4096];

        if (out != NULL) {
            snprintf(dir, sizeof dir, "%s", out);
            run_cfg.out_dir = dir;
        }
        rc = todo_job_run(&env, worker, &res);
    }
    safetext_printf(stdout, "%s\n", res.summary);
    code = rc < 0 ? EXIT_FATAL : EXIT_OK;
done:
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    return code;
}

static void visit_usage(FILE *fp)
{
    fputs("usage: canbao visit HOUSEHOLD --by WORKER --outcome OUTCOME [--note TEXT]\n\n"
          "Record a grid worker's visit to a household (its code on the roster) today\n"
          "(--today). OUTCOME is one of\n"
          "  paid      the household says it paid: every unpaid member gets a claim to\n"
          "            verify ('canbao claims')\n"
          "  promised  will pay soon: the household rests 3 days on the to-do list\n"
          "  waived    will not enrol: a pending waiver per unpaid member, the form to sign\n"
          "            ('canbao waivers confirm')\n"
          "  away      nobody at home / working away: rests 7 days\n"
          "  refused   refused to pay: rests 2 days, then back for another try\n"
          "  deceased  the household reports a death: a claim to verify ('canbao claims')\n"
          "            for the members the note names (all unpaid ones when it names none)\n"
          "  insured_elsewhere  insured elsewhere (employee insurance, another county, a\n"
          "            school): an 'other_place' claim to verify, for the members named\n"
          "Until a claim (other than 'paid') or waiver is settled, its people get no\n"
          "'unpaid' reminders.\n"
          "OUTCOME may be its Chinese word (已缴, 承诺, 放弃, 外出, 拒缴, 去世, 异地参保).\n"
          "A household outside the worker's scope is recorded with a warning (workers\n"
          "stand in for each other).\n"
          "Workers can also reply to their to-do message: \"3 已缴\", \"H001 外出\".\n", fp);
}

static int visit_record(const cli_t *c, store_t *st, long long campaign, const char *hh_code,
                        const char *by, int outcome, const char *note)
{
    store_worker_t w;
    int64_t hh;
    char day[11];
    int rc, owns = 0, members = 0;

    rc = store_household_find(st, hh_code, strlen(hh_code), &hh);
    if (rc == CB_ENOTFOUND) {
        fprintf(stderr, "canbao visit: no household '%s' on the roster\n", hh_code);
        return EXIT_FATAL;
    }
    rc = rc < 0 ? rc : store_worker_get(st, by, &w);
    if (rc == CB_ENOTFOUND) {
        fprintf(stderr, "canbao visit: no worker '%s' (canbao import workers FILE)\n", by);
        return EXIT_FATAL;
    }
    if (rc >= 0) {
        date_format(c->today, day);
        rc = store_begin(st);
        if (rc >= 0)
            rc = owns = store_worker_owns(st, w.id, hh);
        if (rc >= 0)
            rc = store_visit_add(st, campaign, hh, w.id, (visit_outcome_t)outcome, note, day,
                                 c->now, &members);
        if (rc >= 0)
            rc = store_commit(st);
        if (rc < 0)
            store_rollback(st);
        store_worker_free(&w);
    }
    if (rc < 0) {
        fprintf(stderr, "canbao visit: %s: %s\n", cb_strerror(rc), store_errmsg(st));
        return EXIT_FATAL;
    }
    if (!owns)
        fprintf(stderr, "canbao visit: warning: household %s is not in %s's scope; recorded\n",
                hh_code, by);
    printf("visit recorded: household %s by %s on %s: %s", hh_code, by, day,
           visit_outcome_name((visit_outcome_t)outcome));
    if (outcome == VISIT_PAID || outcome == VISIT_DECEASED ||
        outcome == VISIT_INSURED_ELSEWHERE)
        printf("; %d claims to verify (canbao claims)", members);
    else if (outcome == VISIT_WAIVED)
        printf("; %d waivers to sign (canbao waivers)", members);
    putchar('\n');
    return EXIT_OK;
}

int cli_visit(const cli_t *c, int argc, char **argv)
{
    const char *hh = NULL, *by = NULL, *outcome = NULL, *note = NULL;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    int o, code;

    {
        const cli_opt_t opts[] = {{"--by", CLI_STR, &by, 0, 0},
                                  {"--outcome", CLI_STR, &outcome, 0, 0},
                                  {"--note", CLI_STR, &note, 0, 0},
                                  {NULL, CLI_FLAG, NULL, 0, 0}};
        int parsed = cli_parse("visit", argc, argv, opts, &hh, 1, NULL, visit_usage);
        if (parsed >= 0)
            return parsed;
    }
    if (hh == NULL || by == NULL || outcome == NULL) {
        visit_usage(stderr);
        return EXIT_FATAL;
    }
    o = worker_outcome_find(outcome, strlen(outcome));
    if (o < 0) {
        fprintf(stderr, "canbao visit: --outcome %s: not one of paid, promised, waived, away, "
                        "refused, deceased, insured_elsewhere\n"
                        "(or 已缴, 承诺, 放弃, 外出, 拒缴, 去世, 异地参保)\n", outcome);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    code = visit_record(c, st, campaign, hh, by, o, note);
    store_close(st);
    policy_destroy(pol);
    return code;
}
