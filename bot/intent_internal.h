/* SPDX-License-Identifier: MIT */
/*
 * intent_internal.h - shared by the files of the intent parser (and its tests):
 * normalisation and the word-search helpers the rules are written with.
 * Pure functions; safe from any thread.
 */
#ifndef CB_BOT_INTENT_INTERNAL_H
#define CB_BOT_INTENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bot/intent.h"

/* Room for the normalised form of an INTENT_MAX_INPUT reply: NFKC can make a
 * character longer (㍿ is 株式会社); what does not fit is cut off. */
#define INTENT__NORM_CAP 4096

/*
 * Normalise 'len' bytes of UTF-8 into 'out' ('cap' bytes, NUL-terminated): NFKC
 * (full-width digits and letters, circled numbers), traditional characters made
 * simplified (a table of common ones); letters (in their case) and digits are kept, spaces,
 * controls, marks, emoji and symbols dropped, punctuation becomes one ',' between clauses and a
 * question mark '?'. No leading mark and no trailing ','. CB_EPARSE for invalid UTF-8, CB_ENOMEM
 * when utf8proc runs out.
 */
int intent__normalise(const char *utf8, size_t len, char *out, size_t cap);

/* The simplified form of 'cp' when the table knows it as traditional, else 'cp'. */
int32_t intent__simplify(int32_t cp);

/* Copy the first bytes of the 'len' bytes of valid UTF-8 at 's' that fit into
 * 'dst' ('cap' >= 1 bytes with the NUL), never cutting a character; returns how
 * many bytes were copied. */
size_t intent__copy(char *dst, size_t cap, const char *s, size_t len);

/* The first occurrence of 'kw' lying wholly in [b, e), or NULL. */
const char *intent__find(const char *b, const char *e, const char *kw);

/* The earliest occurrence in [b, e) of any word of the NULL-terminated 'kw';
 * its index goes to *which (may be NULL). NULL when none occurs. */
const char *intent__find_any(const char *b, const char *e, const char *const *kw, size_t *which);

/* When the text at 'p' starts with words of 'kw', the end of the longest of
 * them; else NULL. */
const char *intent__starts(const char *p, const char *const *kw);

/* The start of the window of up to 'n' characters before 'p' in 's', stopping
 * after a clause mark (',' or '?'). */
const char *intent__back(const char *s, const char *p, int n);

/* The start of the next character after 'p' (p must not be at the NUL). */
const char *intent__next(const char *p);

/* The end of the window of up to 'n' characters from 'p', stopping at a clause mark. */
const char *intent__ahead(const char *p, int n);

/* 'p' after the words of 'skip' it starts with (repeatedly). */
const char *intent__skip(const char *p, const char *const *skip);

/* 'p' after clause marks ',' and the words of 'lead' it starts with (repeatedly). */
const char *intent__skip_lead(const char *p, const char *const *lead);

#define INTENT__MAX_PAYS 64

/* One paying verb in a reply and what surrounds it. */
typedef struct intent__pay {
    const char *at, *end;     /* the verb */
    int done;                 /* finished: 已交, 交了, 缴过, 交咯 */
    int denied;               /* 没交, 不交, 冇交, 不用交 */
    int notyet;               /* 没交, 未缴, 冇交 */
    int asked;                /* 交了吗, 有没有交, 交过了没 */
    intent_elsewhere_t where; /* 单位交了, 学校交了, 在外地交了 */
} intent__pay_t;

/* A reply being understood. */
typedef struct intent__reply {
    const char *s, *e; /* normalised, ASCII lower-case, and its end */
    const char *cs;    /* the same with ASCII case kept (receipt numbers), same offsets */
    int asks;          /* a question mark or question word anywhere */
    int is_short;      /* at most 6 characters: a topic word alone asks */
    intent__pay_t pay[INTENT__MAX_PAYS];
    size_t npay;
} intent__reply_t;

/* A word of 'kw' anywhere in the reply, or NULL. */
const char *intent__has(const intent__reply_t *r, const char *const *kw);

/* A word of 'kw' in the clause-bounded window of 'n' characters before 'p', or NULL. */
const char *intent__before(const intent__reply_t *r, const char *p, int n, const char *const *kw);

/* intent_pay.c: fill r->pay with every paying verb, left to right. */
void intent__scan_pays(intent__reply_t *r);

/* The first finished payment (with a payer or place when 'where'), or NULL. */
const intent__pay_t *intent__first_done(const intent__reply_t *r, int where);

/* 1 when a payment is denied as not yet made ('notyet') or asked about ('asked'). */
int intent__any_pay(const intent__reply_t *r, int notyet, int asked);

/* A scheme the reply names outright (职工医保, 学生医保, 异地参保), not denied or
 * ended; INTENT_ELSEWHERE_NONE when none. */
intent_elsewhere_t intent__named_scheme(const intent__reply_t *r);

/* After a finished verb or a waiver word at 'p': 1 when it is asked about
 * (吗, ?, or 没/不 closing the clause). */
int intent__tail_asks(const char *p);

/* intent_detail.c: the waiver form's reason a reply gives, 0 when none; reason 4's
 * words go to 'text'. */
int intent__reason(const intent__reply_t *r, char *text, size_t cap);

/* A bare reason number while a reason is pending ("2", "选3", "4 在外打工"), or 0. */
int intent__pending_reason(const intent__reply_t *r, char *text, size_t cap);

/* A receipt number (see intent.h) into 'out'; 0 when there is none. */
int intent__receipt(const intent__reply_t *r, char out[64]);

/* A death reported (see intent.h, rule 4): 1, else 0. */
int intent__deceased(const intent__reply_t *r);

/* A bare survey choice: 1..n, 0 for a number out of range, -1 when no number. */
int intent__survey_choice(const intent__reply_t *r, int n);

/* The reply without clause marks and the words of 'fillers', into 'out'. */
void intent__strip(const char *s, const char *const *fillers, char *out, size_t cap);

#endif
