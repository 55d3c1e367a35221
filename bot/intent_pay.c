/* SPDX-License-Identifier: MIT */
/*
 * intent_pay.c - the paying verbs of a reply (交, 缴, 缴费, 参保...): whether each is
 * finished, denied, in the future or asked about, and who or where paid.
 */
#include "bot/intent_internal.h"

#include <string.h>

#include "bot/intent_words.h"

int intent__tail_asks(const char *p)
{
    const char *q;

    p = intent__skip(p, intent__tail_skip);
    if (intent__starts(p, intent__tail_ask) != NULL)
        return 1;
    q = intent__starts(p, intent__tail_ask_end);
    return q != NULL && (*q == '\0' || *q == ',' || intent__starts(q, intent__tail_ask) != NULL);
}

/* Who or where paid, from the words before the verb at 'p' (across clauses:
 * "在广东打工，在那边交了"), unless a channel comes between ("在外面打工，在银行交了"). */
static intent_elsewhere_t pay_where(const intent__reply_t *r, const char *p)
{
    static const struct {
        const char *const *words;
        intent_elsewhere_t where;
    } kinds[] = {{intent__unit, INTENT_ELSEWHERE_UNIT},
                 {intent__school, INTENT_ELSEWHERE_SCHOOL},
                 {intent__place, INTENT_ELSEWHERE_OTHER_PLACE}};
    const char *w = p, *best = NULL;
    intent_elsewhere_t where = INTENT_ELSEWHERE_NONE;

    for (int n = 0; n < 12 && w > r->s; n++) {
        w--;
        while (w > r->s && ((unsigned char)*w & 0xC0) == 0x80)
            w--;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const char *q = intent__find_any(w, p, kinds[k].words, NULL);
        if (q != NULL && (best == NULL || q > best)) {
            best = q;
            where = kinds[k].where;
        }
    }
    if (best != NULL && intent__find_any(best, p, intent__channel, NULL) != NULL)
        return INTENT_ELSEWHERE_NONE; /* where the money went, not the scheme */
    return where;
}

/* 交 inside another word: 交通, 交流, 提交, 社交... */
static int other_jiao(const intent__reply_t *r, const char *p, const char *end)
{
    return end - p == (int)strlen("交") && strncmp(p, "交", strlen("交")) == 0 &&
           (intent__starts(end, intent__jiao_not_after) != NULL ||
            intent__before(r, p, 1, intent__jiao_not_before) != NULL);
}

/* The clause ends at 'p', maybe after particles or a question. */
static int closes(const char *p)
{
    return *p == '\0' || *p == ',' || *p == '?' || intent__starts(p, intent__done_weak) ||
           intent__starts(p, intent__tail_skip) || intent__starts(p, intent__tail_ask) ||
           intent__starts(p, intent__tail_ask_end);
}

/* How the verb ending at 'end' is finished: 2 for 过/好/成功..., 1 for 了/咯/的...
 * (the marker's end in *after), 0 when it is not. */
static int finished(const char *end, const char **after)
{
    const char *q = intent__starts(end, intent__done_strong);

    *after = end;
    if (q != NULL) {
        *after = intent__skip(q, intent__done_strong);
        /* 好, 上, 完... finish only before a particle or the clause end: 交好了,
         * not 交好多钱. */
        if ((size_t)(q - end) > strlen("好") /* two characters: 成功, 上去 */ ||
            intent__starts(end, intent__done_alone) != NULL || closes(*after))
            return 2;
        return 0;
    }
    q = intent__starts(end, intent__done_weak);
    if (q != NULL) {
        /* 的 finishes only at the end of a clause: 在银行交的, not 交钱的二维码. */
        if (strncmp(end, "的", strlen("的")) == 0 && !closes(q))
            return 0;
        *after = q;
        return 1;
    }
    if (strncmp(end, "给", strlen("给")) == 0 &&
        intent__find(end, intent__ahead(end, 6), "了") != NULL) {
        return 1; /* 交给村干部了 */
    }
    return 0;
}

/* The verb at [p, end): fill 'v'; 0 when it is no paying verb here. */
static int read_pay(const intent__reply_t *r, const char *p, const char *end, int insured,
                    intent__pay_t *v)
{
    static const char *const already[] = {"已", NULL}, *const did[] = {"有", NULL};
    const char *after;
    int how;

    if (other_jiao(r, p, end) || (strncmp(p, "买", strlen("买")) == 0 && !insured))
        return 0;
    memset(v, 0, sizeof *v);
    v->at = p;
    v->end = end;
    if (intent__before(r, p, 6, intent__ask_before) != NULL) {
        v->asked = 1; /* 有没有交, 是不是交了 */
        return 1;
    }
    v->denied = intent__before(r, p, 3, intent__neg) != NULL;
    v->notyet = intent__before(r, p, 3, intent__notyet) != NULL;
    how = finished(end, &after);
    v->done = !v->denied &&
              (intent__before(r, p, 6, already) != NULL || intent__before(r, p, 1, did) != NULL ||
               how == 2 || (how == 1 && intent__before(r, p, 4, intent__future) == NULL));
    /* 去年交了: another campaign; 交了有什么用, 交了的话: no claim either. */
    if (intent__before(r, p, 4, intent__past) != NULL ||
        intent__starts(after, intent__if_after) != NULL)
        v->done = 0;
    if (v->done && intent__tail_asks(after)) {
        v->done = 0;
        v->asked = 1;
    }
    if (v->done)
        v->where = pay_where(r, p);
    return 1;
}

void intent__scan_pays(intent__reply_t *r)
{
    /* 买 pays only for the medical insurance: not 买了商业保险. */
    int insured = intent__has(r, intent__insurance) != NULL &&
                  intent__has(r, intent__reason_commercial) == NULL;
    const char *p = r->s;

    while (*p != '\0' && r->npay < INTENT__MAX_PAYS) {
        const char *end = intent__starts(p, intent__pay);
        if (end != NULL && read_pay(r, p, end, insured, &r->pay[r->npay])) {
            r->npay++;
            p = end;
        } else {
            p = intent__next(p);
        }
    }
}

const intent__pay_t *intent__first_done(const intent__reply_t *r, int where)
{
    for (size_t i = 0; i < r->npay; i++) {
        if (r->pay[i].done && (!where || r->pay[i].where != INTENT_ELSEWHERE_NONE))
            return &r->pay[i];
    }
    return NULL;
}

int intent__any_pay(const intent__reply_t *r, int notyet, int asked)
{
    for (size_t i = 0; i < r->npay; i++) {
        if ((notyet && r->pay[i].notyet) || (asked && r->pay[i].asked))
            return 1;
    }
    return 0;
}

intent_elsewhere_t intent__named_scheme(const intent__reply_t *r)
{
    static const struct {
        const char *const *words;
        intent_elsewhere_t where;
    } nouns[] = {{intent__employee_noun, INTENT_ELSEWHERE_EMPLOYEE},
                 {intent__unit_noun, INTENT_ELSEWHERE_UNIT},
                 {intent__school_noun, INTENT_ELSEWHERE_SCHOOL},
                 {intent__place_noun, INTENT_ELSEWHERE_OTHER_PLACE}};

    for (size_t k = 0; k < sizeof nouns / sizeof nouns[0]; k++) {
        size_t i;
        const char *p = intent__find_any(r->s, r->e, nouns[k].words, &i);
        if (p == NULL || intent__before(r, p, 3, intent__noun_deny) != NULL)
            continue;
        p += strlen(nouns[k].words[i]);
        if (intent__find_any(p, intent__ahead(p, 4), intent__noun_ended, NULL) != NULL)
            continue;
        return nouns[k].where;
    }
    return INTENT_ELSEWHERE_NONE;
}
