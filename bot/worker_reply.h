/* SPDX-License-Identifier: MIT */
/*
 * worker_reply.h - a grid worker's visit report sent as a reply to the to-do
 * message: a list position or a household code, then an outcome word, then an
 * optional note, e.g. "3 已缴", "3号已缴", "H001 外出 去广东了", "４ 承诺".
 *
 *   target   1 to 3 digits: the position on the worker's latest list; anything
 *            longer made of letters, digits and '-': a household code. Full-width
 *            digits and letters count as ASCII. May be followed by 号, 户 or 号户.
 *   outcome  paid     已缴费 已交费 已缴 已交 缴了 交了 缴过 交过 paid
 *            promised 承诺 答应 会缴 会交 明天缴 明天交 过几天 promised promise
 *            waived   放弃 不参保 不参加 waived waive
 *            away     外出 不在家 不在 在外 外地 打工 away
 *            refused  拒缴 拒交 拒绝 不缴 不交 不愿 不肯 refused refuse
 *            deceased 去世 过世 已故 死亡 病故 deceased
 *            insured_elsewhere 职工医保 异地参保 外地参保 别处参保 学校参保
 *                     insured_elsewhere elsewhere
 *            (English case-insensitive; refusals are tried first, so 不缴 is no 缴;
 *            "外地参保" is insurance elsewhere, not 外地 away); a 了 after the word
 *            is dropped ("8号户承诺了")
 *   note     the rest, trimmed (at most WORKER_NOTE_MAX bytes, cut at a character)
 * Blanks (ASCII, full-width U+3000) and one of , ， 、 : ： . between the parts.
 *
 * Pure functions; safe anywhere.
 */
#ifndef CB_BOT_WORKER_REPLY_H
#define CB_BOT_WORKER_REPLY_H

#include <stddef.h>

#include "core/compiler.h"
#include "store/store_worker.h"

#define WORKER_CODE_MAX 47
#define WORKER_NOTE_MAX 200

typedef struct worker_reply {
    int pos;                             /* 1..999, or 0 when 'household' is given */
    char household[WORKER_CODE_MAX + 1]; /* "" when 'pos' is given */
    visit_outcome_t outcome;
    char note[WORKER_NOTE_MAX + 1];
} worker_reply_t;

/* CB_OK with *out filled when the 'len' bytes at 'text' are a visit report,
 * CB_EPARSE otherwise (then the text is a resident's reply like any other). */
CB_NODISCARD int worker_reply_parse(const char *text, size_t len, worker_reply_t *out);

/* The outcome the whole of 'word' names (English name or a Chinese word above),
 * or -1. */
int worker_outcome_find(const char *word, size_t len);

/* The Chinese word for an outcome in acknowledgements ("已缴", "承诺缴费", ...). */
const char *worker_outcome_word(visit_outcome_t o);

#endif
