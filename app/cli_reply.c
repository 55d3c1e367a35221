/* SPDX-License-Identifier: MIT */
/*
 * cli_reply.c - 'canbao reply --from PHONE TEXT': one inbound reply through
 * bot_handle, exactly as the daemon handles a reply from a gateway. For operators
 * (a resident called instead of texting) and tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli_botenv.h"
#include "core/err.h"
#include "core/phone.h"
#include "core/safetext.h"

static void usage(FILE *fp)
{
    fputs("usage: canbao reply --from PHONE TEXT [--id MSGID] [--channel NAME] [--route R]\n"
          "                    [--config FILE]\n\n"
          "Handle one reply from a resident as the daemon does: understand it, record a\n"
          "claim, waiver, opt-out, survey answer or a handoff for the grid worker, and queue\n"
          "at most one answer in the outbox ('canbao dispatch' sends it). A reply with an\n"
          "id handled before changes nothing.\n\n"
          "  --from PHONE    the sender's mobile number (+86 and dashes accepted)\n"
          "  --id MSGID      the message id (default: from the phone, the text and --now)\n"
          "  --channel NAME  where it came from (default cli)\n"
          "  --route R       the outbox route of the answer (default sms); opt-outs are\n"
          "                  recorded against the route's kind\n"
          "  --config FILE   the deployment config (default: the file channel)\n\n"
          "Prints: msg=ID intent=KIND person=ID replay=0|1 replied=0|1 detail=\"...\"\n", fp);
}

/* A message id from what the operator typed: the same reply from the same phone at
 * the same minute is the same message. FNV-1a over phone and text, so that the id
 * (logged, part of outbox keys) does not show the phone; not for security. */
static void default_id(const char *phone, const char *text, long long now, char *out, size_t n)
{
    uint64_t h = UINT64_C(1469598103934665603);

    for (const char *s = phone; s != NULL; s = s == phone ? text : NULL) {
        for (const char *p = s; *p != '\0'; p++)
            h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
        h = (h ^ 0xff) * UINT64_C(1099511628211); /* a separator no UTF-8 byte equals */
    }
    snprintf(out, n, "cli:%lld:%016llx", now / 60, (unsigned long long)h);
}

int cli_reply(const cli_t *c, int argc, char **argv)
{
    const char *from = NULL, *text = NULL, *id = NULL, *channel = "cli", *route = "sms";
    const char *config = getenv("CANBAO_CONFIG");
    char phone[PHONE_LEN + 1], why[128], idbuf[96];
    bot_outcome_t out;
    cli_bot_t b;
    int rc, code = EXIT_FATAL;

    {
        const cli_opt_t opts[] = {{"--from", CLI_STR, &from, 0, 0},
                                  {"--id", CLI_STR, &id, 0, 0},
                                  {"--channel", CLI_STR, &channel, 0, 0},
                                  {"--route", CLI_STR, &route, 0, 0},
                                  {"--config", CLI_STR, &config, 0, 0},
                                  {NULL, CLI_FLAG, NULL, 0, 0}};
        int parsed = cli_parse("reply", argc, argv, opts, &text, 1, NULL, usage);
        if (parsed >= 0)
            return parsed;
    }
    if (from == NULL || text == NULL) {
        usage(stderr);
        return EXIT_FATAL;
    }
    if (phone_normalise(from, strlen(from), phone, why, sizeof why) < 0) {
        fprintf(stderr, "canbao reply: --from: %s\n", why);
        return EXIT_FATAL;
    }
    if (id == NULL) {
        default_id(phone, text, c->now, idbuf, sizeof idbuf);
        id = idbuf;
    }
    if (cli_bot_open(c, "reply", config, route, &b) == 0) {
        bot_inbound_t in = {id, channel, phone, text};

        rc = bot_handle(&b.env, &in, &out);
        if (rc < 0) {
            fprintf(stderr, "canbao reply: %s: %s\n", cb_strerror(rc), store_errmsg(b.st));
        } else {
            safetext_printf(stdout,
                            "msg=%s intent=%s person=%lld replay=%d replied=%d detail=\"%s\"\n", id,
                            intent_name(out.intent), (long long)out.person_id, out.replay,
                            out.replied, out.detail);
            code = EXIT_OK;
        }
    }
    cli_bot_close(&b);
    return code;
}
