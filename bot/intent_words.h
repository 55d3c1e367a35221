/* SPDX-License-Identifier: MIT */
/* intent_words.h - the word lists of intent_words.c (NULL-terminated). */
#ifndef CB_BOT_INTENT_WORDS_H
#define CB_BOT_INTENT_WORDS_H

/* A question topic: a word, its INTENT_Q_* bit, and when it counts: 0 by itself
 * ("多少钱"), 1 in a question or a short reply ("费用", "缴费渠道"), 2 only in a
 * question ("要交吗", not "要交了"). */
typedef struct intent_topic {
    const char *word;
    unsigned bit;
    int needs;
} intent_topic_t;

extern const char *const intent__ask[];
extern const char *const intent__ask_before[];
extern const char *const intent__channel[];
extern const char *const intent__choice_fillers[];
extern const char *const intent__death[];
extern const char *const intent__death_between[];
extern const char *const intent__death_end[];
extern const char *const intent__death_weak[];
extern const char *const intent__done_alone[];
extern const char *const intent__done_strong[];
extern const char *const intent__done_weak[];
extern const char *const intent__employee_noun[];
extern const char *const intent__future[];
extern const char *const intent__insurance[];
extern const char *const intent__jiao_not_after[];
extern const char *const intent__jiao_not_before[];
extern const char *const intent__neg[];
extern const char *const intent__notyet[];
extern const char *const intent__noun_deny[];
extern const char *const intent__noun_ended[];
extern const char *const intent__numerals[];
extern const char *const intent__optout[];
extern const char *const intent__optout_exact[];
extern const char *const intent__optout_fillers[];
extern const char *const intent__optout_soft[];
extern const char *const intent__pay[];
extern const char *const intent__person[];
extern const char *const intent__place[];
extern const char *const intent__past[];
extern const char *const intent__if_after[];
extern const char *const intent__place_noun[];
extern const char *const intent__reason_commercial[];
extern const char *const intent__reason_healthy[];
extern const char *const intent__reason_mark[];
extern const char *const intent__reason_num_before[];
extern const char *const intent__reason_other[];
extern const char *const intent__receipt_words[];
extern const char *const intent__receipt_gap[];
extern const char *const intent__school[];
extern const char *const intent__school_noun[];
extern const char *const intent__tail_ask[];
extern const char *const intent__tail_ask_end[];
extern const char *const intent__tail_skip[];
extern const intent_topic_t intent__topics[]; /* ends with a NULL word */
extern const char *const intent__unit[];
extern const char *const intent__units[];
extern const char *const intent__unit_noun[];
extern const char *const intent__waive[];
extern const char *const intent__waive_ask_after[];
extern const char *const intent__waive_ask_before[];
extern const char *const intent__waive_not_after[];

#endif
