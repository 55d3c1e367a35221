/* SPDX-License-Identifier: MIT */
/*
 * survey.h - a survey definition: a name, a title and up to SURVEY_MAX_QUESTIONS
 * questions, each with numbered choices (answered with a digit) or free text.
 * Residents get one question at a time by SMS (the survey_question template); the
 * bot records each answer and sends the next question (bot/reply.h).
 *
 * The file (JSON, examples/survey-why-unpaid.json):
 *   {"name": "why-unpaid-2024",        1-63 of A-Z a-z 0-9 . _ -
 *    "title": "未缴费原因调查",          optional, for listings
 *    "expires_hours": 72,               optional (1-720, default 72): how long an
 *                                       unanswered question stays open
 *    "questions": [
 *      {"text": "您还没有缴纳……原因吗？", 1-60 characters
 *       "choices": ["已在外地参保", ...]}, 2-9 choices of 1-12 characters; no
 *                                       "choices" (or []) means a free-text answer
 *    ]}
 * Unknown keys are errors.
 *
 * Threading: a survey_t is immutable after parsing; read it from any thread.
 */
#ifndef CB_BOT_SURVEY_H
#define CB_BOT_SURVEY_H

#include <stddef.h>

#include "core/compiler.h"
#include "templates/tpl.h"

#define SURVEY_MAX_QUESTIONS 10
#define SURVEY_MAX_CHOICES 9
#define SURVEY_DEFAULT_EXPIRES_HOURS 72

typedef struct survey_question {
    const char *text;
    const char *choices[SURVEY_MAX_CHOICES];
    int nchoices; /* 0: free text */
} survey_question_t;

typedef struct survey {
    const char *name;
    const char *title; /* "" when the file has none */
    int expires_hours;
    survey_question_t questions[SURVEY_MAX_QUESTIONS];
    int nquestions;
    char *owned; /* every string above points into this block */
} survey_t;

/*
 * Parse a definition from 'len' bytes of JSON. CB_OK and *out (free it with
 * survey_destroy), or CB_EPARSE (broken JSON) / CB_ECONFIG with one sentence in 'err'
 * naming the field, e.g. "questions[0].choices[3]: at most 12 characters".
 */
CB_NODISCARD int survey_parse(const char *json, size_t len, survey_t **out, char *err,
                              size_t errlen);

/* NULL is a no-op. */
void survey_destroy(survey_t *s);

/* Set question 'step' (0-based, < nquestions) of 's' in 'ctx' as survey_question
 * wants it: question, options (key, text, first) and free_text. */
void survey_question_ctx(const survey_t *s, int step, tpl_ctx_t *ctx);

#endif
