/* SPDX-License-Identifier: MIT */
/* cli_args.c - the subcommands' option parsing: one table per command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "core/err.h"
#include "core/num.h"

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

static const cli_opt_t *find(const cli_opt_t *opts, const char *name)
{
    for (; opts != NULL && opts->name != NULL; opts++) {
        if (strcmp(opts->name, name) == 0)
            return opts;
    }
    return NULL;
}

/* Store 'value' for option 'o'; 0, or -1 after saying why. */
static int set(const char *cmd, const cli_opt_t *o, const char *value)
{
    int64_t n;

    switch (o->kind) {
    case CLI_FLAG:
        *(int *)o->dst = 1;
        return 0;
    case CLI_STR:
        *(const char **)o->dst = value;
        return 0;
    case CLI_COUNT:
        if (num_parse_count(value, strlen(value), &n) == CB_OK && n >= o->lo && n <= o->hi) {
            *(int64_t *)o->dst = n;
            return 0;
        }
        fprintf(stderr, "canbao %s: %s %s: must be a whole number from %lld to %lld\n", cmd,
                o->name, value, (long long)o->lo, (long long)o->hi);
        return -1;
    }
    return -1;
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_opt_t *opts, const char **pos,
              size_t maxpos, size_t *npos, void (*usage)(FILE *fp))
{
    size_t n = 0;
    int options = 1; /* until "--" */

    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_opt_t *o = options && a[0] == '-' && a[1] != '\0' ? find(opts, a) : NULL;

        if (options && strcmp(a, "--") == 0) {
            options = 0;
            continue;
        }
        if (o != NULL && o->kind != CLI_FLAG && i + 1 >= argc) {
            fprintf(stderr, "canbao %s: %s needs a value\n\n", cmd, a);
        } else if (o != NULL) {
            if (set(cmd, o, o->kind == CLI_FLAG ? NULL : argv[++i]) < 0)
                return EXIT_FATAL;
            continue;
        } else if ((!options || a[0] != '-' || a[1] == '\0') && n < maxpos) {
            pos[n++] = a;
            continue;
        } else {
            fprintf(stderr, "canbao %s: unexpected '%s'\n\n", cmd, a);
        }
        usage(stderr);
        return EXIT_FATAL;
    }
    if (npos != NULL)
        *npos = n;
    return -1;
}

int cli_once_config(int argc, char **argv, const char *cmd, void (*usage)(FILE *fp), int *once,
                    const char **config)
{
    const cli_opt_t opts[] = {{"--once", CLI_FLAG, once, 0, 0},
                              {"--config", CLI_STR, config, 0, 0},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    int code;

    *config = getenv("CANBAO_CONFIG");
    code = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL, usage);
    if (code < 0 && *config != NULL && **config == '\0')
        *config = NULL;
    return code;
}
