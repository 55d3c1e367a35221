/* SPDX-License-Identifier: MIT */
/*
 * fuzz_intent.c - libFuzzer target for intent_parse: any bytes as a reply, under
 * each conversation state. Beyond the sanitizers it checks the contract of
 * intent.h: the result codes, NUL-terminated fields, values in range, details only
 * for their kind, and that the normalised text parses again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/intent.h"
#include "core/err.h"
#include "fuzz/fuzz.h"


static void check_string(const char *s, size_t cap)
{
    CHECK(memchr(s, '\0', cap) != NULL);
}

static void check_intent(const intent_t *in, const intent_ctx_t *ctx)
{
    check_string(in->receipt, sizeof in->receipt);
    check_string(in->reason_text, sizeof in->reason_text);
    check_string(in->text, sizeof in->text);
    check_string(in->norm, sizeof in->norm);
    CHECK(in->kind >= INTENT_PAID_CLAIM && in->kind <= INTENT_UNKNOWN);
    CHECK(strcmp(intent_name(in->kind), "?") != 0);
    CHECK(in->receipt[0] == '\0' || in->kind == INTENT_PAID_CLAIM);
    CHECK(in->receipt[0] == '\0' || strlen(in->receipt) >= 8);
    CHECK((in->elsewhere != INTENT_ELSEWHERE_NONE) == (in->kind == INTENT_COVERED_ELSEWHERE));
    CHECK(in->elsewhere <= INTENT_ELSEWHERE_SCHOOL);
    CHECK(in->waiver_reason <= INTENT_REASON_OTHER);
    CHECK(in->waiver_reason == INTENT_REASON_NONE || in->kind == INTENT_WAIVER);
    CHECK(in->reason_text[0] == '\0' || in->waiver_reason == INTENT_REASON_OTHER);
    CHECK((in->questions != 0) == (in->kind == INTENT_QUESTION));
    CHECK((in->questions & ~(unsigned)INTENT_Q_ALL) == 0);
    CHECK(in->choice == 0 || in->kind == INTENT_SURVEY_ANSWER);
    CHECK(in->choice >= 0 && in->choice <= ctx->survey_choices);
    CHECK(in->kind != INTENT_SURVEY_ANSWER || ctx->survey_open);
    for (const char *p = in->text; *p != '\0'; p++)
        CHECK((unsigned char)*p >= ' ' && *p != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const intent_ctx_t ctxs[] = {{0, 0, 0}, {0, 0, 1},  {1, 3, 0},
                                        {1, 0, 0}, {1, 26, 1}, {1, 1, 0}};

    for (size_t k = 0; k < sizeof ctxs / sizeof ctxs[0]; k++) {
        intent_t in, again;
        int rc = intent_parse((const char *)data, size, &ctxs[k], &in);

        CHECK(rc == CB_OK || rc == CB_EPARSE || rc == CB_ETOOBIG);
        CHECK((rc == CB_ETOOBIG) == (size > INTENT_MAX_INPUT));
        if (rc != CB_OK) {
            CHECK(in.kind == INTENT_UNKNOWN && in.text[0] == '\0' && in.norm[0] == '\0');
            continue;
        }
        check_intent(&in, &ctxs[k]);
        /* The normalised text is valid UTF-8 and normalises to itself. */
        CHECK(intent_parse(in.norm, strlen(in.norm), &ctxs[k], &again) == CB_OK);
        CHECK(strcmp(again.norm, in.norm) == 0);
        check_intent(&again, &ctxs[k]);
    }
    return 0;
}
