/* SPDX-License-Identifier: MIT */
/* cli_bot.c - 'canbao bot parse TEXT': how the bot understands a resident's reply.
 * What it prints of the text has control characters escaped (core/safetext.h). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "bot/intent.h"
#include "core/err.h"
#include "core/num.h"
#include "core/safetext.h"

static int usage(FILE *fp)
{
    fputs("usage: canbao bot parse TEXT [--json] [--survey N] [--waiver-pending]\n"
          "Prints the intent the bot finds in a resident's reply TEXT (several words are\n"
          "joined with spaces): paid_claim (with a receipt number), covered_elsewhere\n"
          "(employee, unit, other_place, school), waiver (reason 1-4, 0 = ask),\n"
          "opt_out, question (amount, channels, deadline, subsidy, status),\n"
          "survey_answer or unknown (for the grid worker), and the normalised text.\n"
          "  --json            print {\"intent\": ...} with the details\n"
          "  --survey N        a survey question with N choices (0: free text) is open\n"
          "  --waiver-pending  the bot asked for a waiver reason: 1-4 is the reason\n"
          "  --                what follows is TEXT, even when it starts with --\n",
          fp);
    return fp == stdout ? EXIT_OK : EXIT_FATAL;
}

static void print_json(const intent_t *in)
{
    cJSON *j = cJSON_CreateObject();

    cJSON_AddStringToObject(j, "intent", intent_name(in->kind));
    switch (in->kind) {
    case INTENT_PAID_CLAIM:
        if (in->receipt[0] != '\0')
            cJSON_AddStringToObject(j, "receipt", in->receipt);
        else
            cJSON_AddNullToObject(j, "receipt");
        break;
    case INTENT_COVERED_ELSEWHERE:
        cJSON_AddStringToObject(j, "kind", intent_elsewhere_name(in->elsewhere));
        break;
    case INTENT_WAIVER:
        cJSON_AddNumberToObject(j, "reason", in->waiver_reason);
        if (in->waiver_reason != INTENT_REASON_NONE)
            cJSON_AddStringToObject(j, "reason_name", intent_reason_name(in->waiver_reason));
        else
            cJSON_AddNullToObject(j, "reason_name");
        if (in->waiver_reason == INTENT_REASON_OTHER)
            cJSON_AddStringToObject(j, "reason_text", in->reason_text);
        cJSON_AddBoolToObject(j, "ask_reason", in->waiver_reason == INTENT_REASON_NONE);
        break;
    case INTENT_QUESTION: {
        cJSON *a = cJSON_AddArrayToObject(j, "questions");
        for (unsigned bit = 1; bit <= INTENT_Q_ALL; bit <<= 1) {
            if (in->questions & bit)
                cJSON_AddItemToArray(a, cJSON_CreateString(intent_question_name(bit)));
        }
        break;
    }
    case INTENT_SURVEY_ANSWER:
        cJSON_AddNumberToObject(j, "choice", in->choice);
        cJSON_AddStringToObject(j, "text", in->text);
        break;
    case INTENT_UNKNOWN: cJSON_AddStringToObject(j, "text", in->text); break;
    case INTENT_OPT_OUT:
    case INTENT_DECEASED: break;
    }
    cJSON_AddStringToObject(j, "normalised", in->norm);
    cli_print_json(j);
}

static void print_text(const intent_t *in)
{
    printf("intent      %s\n", intent_name(in->kind));
    switch (in->kind) {
    case INTENT_PAID_CLAIM:
        safetext_printf(stdout, "receipt     %s\n", in->receipt[0] != '\0' ? in->receipt : "-");
        break;
    case INTENT_COVERED_ELSEWHERE:
        printf("kind        %s\n", intent_elsewhere_name(in->elsewhere));
        break;
    case INTENT_WAIVER:
        if (in->waiver_reason == INTENT_REASON_NONE)
            puts("reason      none: ask with the four reasons");
        else
            safetext_printf(stdout, "reason      %d %s (%s)%s%s\n", (int)in->waiver_reason,
                            intent_reason_name(in->waiver_reason),
                            intent_reason_label(in->waiver_reason),
                            in->reason_text[0] != '\0' ? ": " : "", in->reason_text);
        break;
    case INTENT_QUESTION:
        fputs("questions  ", stdout);
        for (unsigned bit = 1; bit <= INTENT_Q_ALL; bit <<= 1) {
            if (in->questions & bit)
                printf(" %s", intent_question_name(bit));
        }
        putchar('\n');
        break;
    case INTENT_SURVEY_ANSWER:
        printf("choice      %d\n", in->choice);
        safetext_printf(stdout, "text        %s\n", in->text);
        break;
    case INTENT_UNKNOWN: safetext_printf(stdout, "text        %s\n", in->text); break;
    case INTENT_OPT_OUT:
    case INTENT_DECEASED: break;
    }
    safetext_printf(stdout, "normalised  %s\n", in->norm);
}

static void usage_fp(FILE *fp)
{
    (void)usage(fp);
}

int cli_bot(const cli_t *c, int argc, char **argv)
{
    char text[INTENT_MAX_INPUT + 1];
    intent_ctx_t ctx = {0, 0, 0};
    intent_t in;
    size_t len = 0, npos = 0;
    int json = 0, words = 0, waiver_pending = 0, rc, code;
    int64_t survey = -1;
    const char *pos[INTENT_MAX_INPUT / 2 + 2];
    const cli_opt_t opts[] = {{"--json", CLI_FLAG, &json, 0, 0},
                              {"--waiver-pending", CLI_FLAG, &waiver_pending, 0, 0},
                              {"--survey", CLI_COUNT, &survey, 0, 26},
                              {NULL, CLI_FLAG, NULL, 0, 0}};

    (void)c;
    code = cli_parse("bot", argc, argv, opts, pos, sizeof pos / sizeof pos[0], &npos, usage_fp);
    if (code >= 0)
        return code;
    if (npos < 1 || strcmp(pos[0], "parse") != 0)
        return usage(stderr);
    if (survey >= 0) {
        ctx.survey_open = 1;
        ctx.survey_choices = (int)survey;
    }
    ctx.waiver_pending = waiver_pending;
    for (size_t i = 1; i < npos; i++) {
        size_t n = strlen(pos[i]);
        if (len + (words > 0) + n > INTENT_MAX_INPUT) {
            fprintf(stderr, "canbao: the text is longer than %d bytes\n", INTENT_MAX_INPUT);
            return EXIT_FATAL;
        }
        if (words++ > 0)
            text[len++] = ' ';
        memcpy(text + len, pos[i], n);
        len += n;
    }
    if (words == 0)
        return usage(stderr);
    rc = intent_parse(text, len, &ctx, &in);
    if (rc < 0) {
        fprintf(stderr, "canbao: cannot parse the text: %s\n",
                rc == CB_EPARSE ? "not valid UTF-8" : cb_strerror(rc));
        return EXIT_FATAL;
    }
    if (json)
        print_json(&in);
    else
        print_text(&in);
    return EXIT_OK;
}
