/* SPDX-License-Identifier: MIT */
/*
 * intent_detail.c - the details of an intent: the waiver reason (a number 1-4 or
 * words), the receipt number of a paid claim, a bare survey choice, a reported death.
 */
#include "bot/intent_internal.h"

#include <stdint.h>
#include <string.h>

#include "bot/intent_words.h"
#include "core/idcard.h"

void intent__strip(const char *s, const char *const *fillers, char *out, size_t cap)
{
    size_t o = 0;

    while (*s != '\0') {
        const char *q = intent__starts(s, fillers);
        if (q == NULL && (*s == ',' || *s == '?'))
            q = s + 1;
        if (q != NULL) {
            s = q;
            continue;
        }
        q = intent__next(s);
        if (o + (size_t)(q - s) + 1 > cap)
            break;
        memcpy(out + o, s, (size_t)(q - s));
        o += (size_t)(q - s);
        s = q;
    }
    out[o] = '\0';
}

/* 'c' as a number: 0..99 in digits, 一..十 (两 is 2), or with 'letters' a..z as
 * 1..26; -1 when it is anything else. */
static int bare_number(const char *c, int letters)
{
    int v = 0;

    if (c[0] >= '0' && c[0] <= '9') {
        for (int i = 0; c[i] != '\0'; i++) {
            if (i == 2 || c[i] < '0' || c[i] > '9')
                return -1;
            v = v * 10 + (c[i] - '0');
        }
        return v;
    }
    if (letters && c[0] >= 'a' && c[0] <= 'z' && c[1] == '\0')
        return c[0] - 'a' + 1;
    for (int k = 0; intent__numerals[k] != NULL; k++) {
        if (strcmp(c, intent__numerals[k]) == 0)
            return k < 10 ? k + 1 : 2;
    }
    return -1;
}

int intent__survey_choice(const intent__reply_t *r, int n)
{
    char core[32];
    int v;

    intent__strip(r->s, intent__choice_fillers, core, sizeof core);
    v = bare_number(core, n <= 26);
    if (v < 0)
        return -1;
    return v >= 1 && v <= n ? v : 0;
}

/* Words that lead into a reason 4's own words. */
static const char *const other_lead[] = {"其他原因", "其它原因", "其他", "其它",
                                         "原因",     "是",       NULL};

/* Copy the words from 'p' to the end into 'text', without a final '?'. */
static void copy_rest(const char *p, char *text, size_t cap)
{
    size_t n = strlen(p);

    intent__copy(text, cap, p, n > 0 && p[n - 1] == '?' ? n - 1 : n);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z');
}

/* A reason number 1-4 at 'p' (a digit, or 一..四 when 'numeral'), standing alone
 * and counting nothing (not 3个人, 2024年); its end goes to *end. 0 when none. */
static int reason_at(const intent__reply_t *r, const char *p, int numeral, const char **end)
{
    static const char *const han[] = {"一", "二", "三", "四", NULL};
    int d = 0;

    if (*p >= '1' && *p <= '4' && (p == r->s || !is_alnum(p[-1])) && !is_alnum(p[1])) {
        d = *p - '0';
        *end = p + 1;
    } else if (numeral && (*end = intent__starts(p, han)) != NULL) {
        for (d = 1; strncmp(p, han[d - 1], strlen(han[d - 1])) != 0; d++)
            ;
    }
    if (d == 0 || intent__starts(*end, intent__units) != NULL)
        return 0;
    return d;
}

/* The reason number anywhere in the reply: a digit, or a numeral after 原因/选/第. */
static int reason_number(const intent__reply_t *r, const char **end)
{
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        const char *q = intent__starts(p, intent__reason_num_before);
        int d = reason_at(r, p, 0, end);
        if (d == 0 && q != NULL)
            d = reason_at(r, intent__skip_lead(q, other_lead), 1, end);
        if (d > 0)
            return d;
    }
    return 0;
}

int intent__reason(const intent__reply_t *r, char *text, size_t cap)
{
    const char *end;
    size_t i;
    int d = reason_number(r, &end);

    if (d == INTENT_REASON_OTHER)
        copy_rest(intent__skip_lead(end, other_lead), text, cap);
    if (d > 0)
        return d;
    if (intent__has(r, intent__reason_commercial) != NULL)
        return INTENT_REASON_COMMERCIAL;
    if (intent__has(r, intent__employee_noun) != NULL || intent__has(r, intent__unit) != NULL ||
        intent__find(r->s, r->e, "社保") != NULL)
        return INTENT_REASON_EMPLOYEE;
    if (intent__has(r, intent__reason_healthy) != NULL)
        return INTENT_REASON_HEALTHY;
    end = intent__find_any(r->s, r->e, intent__reason_mark, &i);
    if (end != NULL) {
        copy_rest(intent__skip_lead(end + strlen(intent__reason_mark[i]), other_lead), text, cap);
        return INTENT_REASON_OTHER;
    }
    if (intent__has(r, intent__reason_other) != NULL) {
        copy_rest(r->s, text, cap);
        return INTENT_REASON_OTHER;
    }
    return 0;
}

int intent__pending_reason(const intent__reply_t *r, char *text, size_t cap)
{
    char core[32];
    const char *end;
    int d;

    intent__strip(r->s, intent__choice_fillers, core, sizeof core);
    d = bare_number(core, 0);
    if (d >= 1 && d <= 4)
        return d; /* "2", "选3", "第一个", "原因四" */
    d = reason_at(r, intent__skip_lead(r->s, intent__choice_fillers), 1, &end);
    if (d != INTENT_REASON_OTHER)
        return 0; /* "2职工医保" is left to the words, "3个人" to the other rules */
    copy_rest(intent__skip_lead(intent__skip_lead(end, intent__choice_fillers), other_lead), text,
              cap);
    return d; /* "4 在外打工" */
}

/* The run of ASCII letters and digits at 'p' as a receipt number into 'out' when
 * it has 8..63 characters, at least 'min_digits' digits, and is no mobile number,
 * ID number, date (YYYYMMDD) or amount (...元). */
static int receipt_at(const intent__reply_t *r, const char *p, int min_digits, char out[64])
{
    char id[IDCARD_LEN + 1];
    size_t n = 0, digits = 0;
    const char *q = p, *c = r->cs + (p - r->s);

    for (; is_alnum(*q); q++, n++)
        digits += is_digit(*q);
    if (n < 8 || n > 63 || digits < (size_t)min_digits || strncmp(q, "元", strlen("元")) == 0 ||
        strncmp(q, "块", strlen("块")) == 0)
        return 0;
    if (digits == 11 && n == 11 && p[0] == '1' && p[1] >= '3')
        return 0;
    if (n == IDCARD_LEN && idcard_check(c, n, INT32_MAX, id, NULL, 0) == IDCARD_OK)
        return 0;
    if (n == 8 && digits == 8 && (strncmp(p, "19", 2) == 0 || strncmp(p, "20", 2) == 0) &&
        ((p[4] == '0' && p[5] >= '1') || (p[4] == '1' && p[5] <= '2')) && p[6] <= '3')
        return 0;
    intent__copy(out, 64, c, n);
    return 1;
}

int intent__receipt(const intent__reply_t *r, char out[64])
{
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        const char *q = intent__starts(p, intent__receipt_words);
        if (q != NULL && receipt_at(r, intent__skip_lead(q, intent__receipt_gap), 1, out))
            return 1;
    }
    if (intent__first_done(r, 0) == NULL)
        return 0;
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        if (is_alnum(*p) && (p == r->s || !is_alnum(p[-1])) && receipt_at(r, p, 6, out))
            return 1;
    }
    return 0;
}

int intent__deceased(const intent__reply_t *r)
{
    if (intent__has(r, intent__death) != NULL)
        return 1;
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        const char *e = intent__starts(p, intent__person);
        if (e == NULL || (e = intent__starts(intent__skip(e, intent__death_between),
                                             intent__death_weak)) == NULL)
            continue;
        e = intent__skip(e, intent__death_end);
        if (*e == '\0' || *e == ',' || *e == '?')
            return 1; /* 人已经走了, 老人不在了 */
    }
    return 0;
}
