/* SPDX-License-Identifier: MIT */
/*
 * store_survey.h - surveys (a name and its definition, the JSON bot/survey.h reads)
 * and their answers, one per person and question.
 * Threading: as store.h. Strings passed in are borrowed for the call.
 */
#ifndef CB_STORE_STORE_SURVEY_H
#define CB_STORE_STORE_SURVEY_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* Store survey 'name': 1 when new, 0 when it exists with the same definition,
 * CB_EEXIST when it exists with another one (store_errmsg says so). */
CB_NODISCARD int store_survey_add(store_t *st, const char *name, const char *definition,
                                  int64_t now);

/* The definition of survey 'name' (the caller frees it), or CB_ENOTFOUND. */
CB_NODISCARD int store_survey_get(store_t *st, const char *name, char **definition);

/* Record a person's answer to question 'step' (0-based): 'choice' 1-based, 0 for a
 * free-text answer; 'text' may be NULL. 1 when new, 0 when that question was
 * answered already (the first answer stands). */
CB_NODISCARD int store_survey_answer(store_t *st, const char *survey, int64_t person_id,
                                     int step, int choice, const char *text, int64_t now);

/* Answers of 'survey' counted by question, the person's (finest) area and choice
 * (0: free text), in that order. */
typedef struct store_answer_count {
    int step, choice;
    int64_t area_id, n;
} store_answer_count_t;
CB_NODISCARD int store_survey_counts(store_t *st, const char *survey,
                                     int (*fn)(void *ud, const store_answer_count_t *c),
                                     void *ud);

/* How many people answered at least one question of 'survey'. */
CB_NODISCARD int store_survey_respondents(store_t *st, const char *survey, int64_t *n);

#endif
