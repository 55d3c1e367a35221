/* SPDX-License-Identifier: MIT */
/* main.c - canbao's entry point: global options, then one subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/log.h"
#include "net/httpc.h"

static const struct command {
    const char *name;
    int (*run)(const cli_t *c, int argc, char **argv);
    const char *summary;
} commands[] = {
    {"init", cli_init, "create the database for a campaign: init --policy FILE [--targets FILE]"},
    {"import", cli_import, "import roster|subsidies|targets|payments|workers|lapses FILE [--report FILE]"},
    {"status", cli_status, "progress per area: status [--by township|village|group] [--json]"},
    {"pay-agents", cli_pay_agents, "collection agents' pay per village and worker: pay-agents [--json]"},
    {"report", cli_report, "make today's progress report: report [--print] [--out DIR]"},
    {"resident", cli_resident, "one person: resident show ID [--json]"},
    {"send", cli_send, "queue a broadcast: send --template NAME --to SEGMENT [--dry-run]"},
    {"dispatch", cli_dispatch, "send the outbox through the channels: dispatch [--once]"},
    {"outbox", cli_outbox, "show the outbox: outbox [--status S] [--json]"},
    {"claims", cli_claims, "residents' claims to check: claims [list] | verify|reject ID --by W"},
    {"reconcile", cli_reconcile, "payments, claims, duplicates to refund, departments: reconcile [--json]"},
    {"handoffs", cli_handoffs, "replies the bot did not understand: handoffs [list] | resolve ID --by W"},
    {"publish", cli_publish, "progress to the MQTT broker: publish --once [--config FILE]"},
    {"serve", cli_serve, "the service (hooks, API, dispatcher, jobs): serve [--config FILE] [--speed N]"},
    {"bot", cli_bot, "how a reply is understood: bot parse TEXT [--json]"},
    {"reply", cli_reply, "handle one resident's reply: reply --from PHONE TEXT [--id MSGID]"},
    {"waivers", cli_waivers, "waivers to enrol: waivers [list|confirm ID --by W|export --township T]"},
    {"run", cli_run, "run a scheduled job now: run remind|todo|report|due|list"},
    {"simulate", cli_simulate, "a whole campaign on virtual time (the demo): simulate [--people N]"},
    {"survey", cli_survey, "ask a survey by SMS: survey start FILE --to SEGMENT | results NAME"},
    {"todo", cli_todo, "grid workers' to-do lists: todo [--worker CODE] [--out DIR] [--print]"},
    {"visit", cli_visit, "a worker's visit: visit HOUSEHOLD --by WORKER --outcome paid|promised|.."},
};

static void usage(FILE *fp)
{
    fputs("usage: canbao [--db FILE] [--today YYYY-MM-DD] [-v] COMMAND [ARGS]\n\n"
          "canbao (参保) runs a county's resident medical-insurance payment campaign.\n\n"
          "Global options:\n"
          "  --db FILE        the database (default $CANBAO_DB, else canbao.db)\n"
          "  --today DATE     the campaign clock's day (default: today in China time)\n"
          "  --now TIME       the campaign clock, \"YYYY-MM-DD HH:MM\" China time (sets --today)\n"
          "  -v, --verbose    log progress to stderr\n\n"
          "Commands:\n", fp);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'canbao COMMAND --help' for a command's options.\n"
          "Exit codes: 0 success, 2 usage or fatal error, 3 an import rejected rows.\n", fp);
}

int main(int argc, char **argv)
{
    cli_t c = {0};
    const char *today = NULL, *now = NULL;
    int i = 1;

    c.db = getenv("CANBAO_DB");
    c.db_given = c.db != NULL && c.db[0] != '\0';
    if (!c.db_given)
        c.db = "canbao.db";
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            c.db = argv[++i];
            c.db_given = 1;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today = argv[++i];
        } else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
            now = argv[++i];
        } else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            log_set_level(LL_INFO);
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "canbao: unknown option '%s'\n\n", argv[i]);
            usage(stderr);
            return EXIT_FATAL;
        }
    }
    c.now = (long long)time(NULL);
    c.today = clock_day(c.now);
    if (today != NULL && date_parse(today, strlen(today), &c.today) != 0) {
        fprintf(stderr, "canbao: --today %s is not a date (YYYY-MM-DD)\n", today);
        return EXIT_FATAL;
    }
    if (today != NULL) /* the campaign clock on that day, at the present time of day */
        c.now = (long long)clock_at(c.today, clock_minute_of_day(c.now));
    if (now != NULL) {
        int minute = 0;
        cb_date_t d;
        if (strlen(now) < 10 || date_parse(now, 10, &d) != 0 ||
            (now[10] != '\0' && (now[10] != ' ' ||
                                 date_parse_hhmm(now + 11, strlen(now + 11), 23, &minute) != 0))) {
            fprintf(stderr, "canbao: --now %s is not \"YYYY-MM-DD HH:MM\"\n", now);
            return EXIT_FATAL;
        }
        c.today = d;
        c.now = (long long)clock_at(d, minute);
    }
    c.tty = isatty(STDERR_FILENO);
    if (i >= argc) {
        usage(stderr);
        return EXIT_FATAL;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(argv[i], commands[k].name) == 0) {
            int code;
            if (httpc_global_init() < 0) {
                fputs("canbao: cannot initialise libcurl\n", stderr);
                return EXIT_FATAL;
            }
            code = commands[k].run(&c, argc - i, argv + i);
            httpc_global_cleanup();
            return code;
        }
    }
    fprintf(stderr, "canbao: unknown command '%s'\n\n", argv[i]);
    usage(stderr);
    return EXIT_FATAL;
}
