/* SPDX-License-Identifier: MIT */
/* intent_cases.h - the table of resident replies test_intent checks intent_parse against. */
#ifndef CB_TESTS_INTENT_CASES_H
#define CB_TESTS_INTENT_CASES_H

#include <stddef.h>

#include "bot/intent.h"

/* The conversation state a reply arrives in. */
typedef enum case_ctx {
    CTX_NONE,   /* nothing open */
    CTX_WAIVER, /* the bot asked for a waiver reason */
    CTX_SURVEY, /* a survey question with 3 choices is open */
    CTX_FREE    /* a free-text survey question is open */
} case_ctx_t;

typedef struct intent_case {
    case_ctx_t ctx;
    const char *text;
    intent_kind_t kind;
    /* By kind: the elsewhere value, the waiver reason, the INTENT_Q_* bits or the
     * survey choice; 0 for the others. */
    int n;
    /* By kind: the receipt (paid claim), the reason text (waiver), the text handed on
     * (survey answer, unknown; NULL: the reply as written); NULL means "". */
    const char *str;
} intent_case_t;

extern const intent_case_t intent_cases[];
extern const size_t intent_ncases;

#endif
