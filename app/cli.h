/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the subcommands of the canbao executable. main parses the global
 * options and calls one of these with the remaining arguments (argv[0] is the
 * subcommand's name). Each returns the process exit code: 0 success, 2 usage or a
 * fatal error, 3 when an import rejected rows.
 */
#ifndef CB_APP_CLI_H
#define CB_APP_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/date.h"

enum { EXIT_OK = 0, EXIT_FATAL = 2, EXIT_REJECTED = 3 };

typedef struct cli {
    const char *db;   /* --db, CANBAO_DB or "canbao.db" */
    cb_date_t today;  /* the campaign clock's day (China time unless --today) */
    long long now;    /* Unix time */
    int tty;          /* stderr is a terminal */
    int db_given;     /* --db or CANBAO_DB named the database */
} cli_t;

int cli_init(const cli_t *c, int argc, char **argv);
int cli_import(const cli_t *c, int argc, char **argv);
int cli_status(const cli_t *c, int argc, char **argv);
int cli_resident(const cli_t *c, int argc, char **argv);
int cli_send(const cli_t *c, int argc, char **argv);
int cli_dispatch(const cli_t *c, int argc, char **argv);
int cli_outbox(const cli_t *c, int argc, char **argv);
int cli_publish(const cli_t *c, int argc, char **argv);
int cli_serve(const cli_t *c, int argc, char **argv);
int cli_claims(const cli_t *c, int argc, char **argv);
int cli_bot(const cli_t *c, int argc, char **argv);
int cli_reply(const cli_t *c, int argc, char **argv);
int cli_waivers(const cli_t *c, int argc, char **argv);
int cli_survey(const cli_t *c, int argc, char **argv);
int cli_run(const cli_t *c, int argc, char **argv);
int cli_handoffs(const cli_t *c, int argc, char **argv);
int cli_simulate(const cli_t *c, int argc, char **argv);
int cli_report(const cli_t *c, int argc, char **argv);
int cli_todo(const cli_t *c, int argc, char **argv);
int cli_visit(const cli_t *c, int argc, char **argv);
int cli_reconcile(const cli_t *c, int argc, char **argv);
int cli_pay_agents(const cli_t *c, int argc, char **argv);

/* Open the database and load the current campaign's policy; on failure prints the
 * reason and returns nonzero. Both out-objects are the caller's to release. */
struct store;
struct policy;
int cli_open_campaign(const cli_t *c, struct store **st, struct policy **pol,
                      long long *campaign);

/* Load the deployment config 'config' (NULL or "": the embedded default beside the
 * database) into *cfg; on failure prints "canbao CMD: why", frees *cfg and returns
 * nonzero. */
struct app_config;
int cli_load_config(const cli_t *c, const char *cmd, const char *config, struct app_config *cfg);

/* The whole file at 'path' as a NUL-terminated string ('*len' bytes before the NUL);
 * the caller frees it. NULL with errno set on failure. */
char *cli_slurp(const char *path, size_t *len);

/* Print 's' to stdout left-aligned in 'cols' terminal columns (CJK characters take
 * two, as terminals show them), control characters escaped (core/safetext.h). */
void cli_print_padded(const char *s, int cols);

/* One option of a subcommand, for cli_parse. */
typedef enum cli_opt_kind {
    CLI_FLAG, /* no value: *(int *)dst = 1 */
    CLI_STR,  /* a value: *(const char **)dst = it (borrowed from argv) */
    CLI_COUNT /* a whole number in lo..hi: *(int64_t *)dst */
} cli_opt_kind_t;

typedef struct cli_opt {
    const char *name; /* "--config"; NULL ends the table */
    cli_opt_kind_t kind;
    void *dst;
    int64_t lo, hi;   /* CLI_COUNT: the range accepted */
} cli_opt_t;

/* Parse argv[1..argc) of command 'cmd' against 'opts'; arguments that are not options
 * (and all after a "--") go to pos[0..maxpos) in order (*npos, when not NULL, gets how
 * many). --help or -h
 * prints 'usage' to stdout and returns EXIT_OK; an unknown option, a missing or bad
 * value or one positional argument too many prints why and 'usage' to stderr and
 * returns EXIT_FATAL; otherwise -1: go on. */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt_t *opts, const char **pos,
              size_t maxpos, size_t *npos, void (*usage)(FILE *fp));

/* Print 'o' as indented JSON and a newline to stdout, made safe by safetext_json
 * (no raw control or bidi character, invalid UTF-8 replaced), then cJSON_Delete it. */
struct cJSON;
void cli_print_json(struct cJSON *o);

/* 1 when argv holds "--help" or "-h". */
int cli_wants_help(int argc, char **argv);

/* Parse "[--once] [--config FILE] [--help]" for command 'cmd': *config defaults to
 * $CANBAO_CONFIG (NULL when unset or empty). -1 to go on, else the exit code (after
 * printing 'usage' for --help or a bad argument). */
int cli_once_config(int argc, char **argv, const char *cmd, void (*usage)(FILE *fp), int *once,
                    const char **config);

#endif
