/* SPDX-License-Identifier: MIT */
/* worker_reply.c - parse a grid worker's visit report ("3 已缴"). */
#include "bot/worker_reply.h"

#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/utf8.h"

static const struct {
    visit_outcome_t o;
    const char *w;
} words[] = {
    /* Before 外地 (away) and 不在: "外地参保" is insurance elsewhere. */
    {VISIT_DECEASED, "去世"},   {VISIT_DECEASED, "过世"},   {VISIT_DECEASED, "已故"},
    {VISIT_DECEASED, "死亡"},   {VISIT_DECEASED, "病故"},   {VISIT_DECEASED, "deceased"},
    {VISIT_INSURED_ELSEWHERE, "职工医保"}, {VISIT_INSURED_ELSEWHERE, "异地参保"},
    {VISIT_INSURED_ELSEWHERE, "外地参保"}, {VISIT_INSURED_ELSEWHERE, "别处参保"},
    {VISIT_INSURED_ELSEWHERE, "学校参保"}, {VISIT_INSURED_ELSEWHERE, "insured_elsewhere"},
    {VISIT_INSURED_ELSEWHERE, "elsewhere"},
    {VISIT_REFUSED, "拒缴"},    {VISIT_REFUSED, "拒交"},    {VISIT_REFUSED, "拒绝"},
    {VISIT_REFUSED, "不缴"},    {VISIT_REFUSED, "不交"},    {VISIT_REFUSED, "不愿"},
    {VISIT_REFUSED, "不肯"},    {VISIT_REFUSED, "refused"}, {VISIT_REFUSED, "refuse"},
    {VISIT_WAIVED, "放弃"},     {VISIT_WAIVED, "不参保"},   {VISIT_WAIVED, "不参加"},
    {VISIT_WAIVED, "waived"},   {VISIT_WAIVED, "waive"},    {VISIT_AWAY, "外出"},
    {VISIT_AWAY, "不在家"},     {VISIT_AWAY, "不在"},       {VISIT_AWAY, "在外"},
    {VISIT_AWAY, "外地"},       {VISIT_AWAY, "打工"},       {VISIT_AWAY, "away"},
    {VISIT_PROMISED, "承诺"},   {VISIT_PROMISED, "答应"},   {VISIT_PROMISED, "会缴"},
    {VISIT_PROMISED, "会交"},   {VISIT_PROMISED, "明天缴"}, {VISIT_PROMISED, "明天交"},
    {VISIT_PROMISED, "过几天"}, {VISIT_PROMISED, "promised"}, {VISIT_PROMISED, "promise"},
    {VISIT_PAID, "已缴费"},     {VISIT_PAID, "已交费"},     {VISIT_PAID, "已缴"},
    {VISIT_PAID, "已交"},       {VISIT_PAID, "缴了"},       {VISIT_PAID, "交了"},
    {VISIT_PAID, "缴过"},       {VISIT_PAID, "交过"},       {VISIT_PAID, "paid"},
};

#define NWORDS (sizeof words / sizeof words[0])

const char *worker_outcome_word(visit_outcome_t o)
{
    static const char *const cn[VISIT__COUNT] = {"已缴", "承诺缴费", "放弃参保", "外出",
                                                 "拒缴", "去世", "已在别处参保"};
    return (unsigned)o < VISIT__COUNT ? cn[o] : "";
}

/* The length of the word at 's' (of 'len' bytes) and its outcome, or 0. */
static size_t word_at(const char *s, size_t len, visit_outcome_t *o)
{
    for (size_t i = 0; i < NWORDS; i++) {
        size_t n = strlen(words[i].w);
        if (n <= len && strncasecmp(s, words[i].w, n) == 0) {
            *o = words[i].o;
            return n;
        }
    }
    return 0;
}

int worker_outcome_find(const char *word, size_t len)
{
    visit_outcome_t o;

    if (len > 0 && word_at(word, len, &o) == len)
        return (int)o;
    for (int i = 0; i < VISIT__COUNT; i++) {
        const char *name = visit_outcome_name((visit_outcome_t)i);
        if (strlen(name) == len && strncasecmp(word, name, len) == 0)
            return i;
    }
    return -1;
}

/* Skip blanks and at most one separator (with blanks around it). */
static size_t skip_sep(const char *s, size_t len, size_t i)
{
    static const char *const seps[] = {",", "，", "、", ":", "：", ".", "。"};
    int sep = 0;

    for (;;) {
        if (i < len && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        } else if (i + 3 <= len && memcmp(s + i, "\xE3\x80\x80", 3) == 0) {
            i += 3;
        } else {
            size_t k, n = 0;
            for (k = 0; !sep && k < sizeof seps / sizeof seps[0]; k++) {
                n = strlen(seps[k]);
                if (i + n <= len && memcmp(s + i, seps[k], n) == 0)
                    break;
            }
            if (sep || k == sizeof seps / sizeof seps[0])
                return i;
            sep = 1;
            i += n;
        }
    }
}

/* An ASCII letter or digit at s[i] (full-width forms folded): the character and
 * its byte length in *n, or 0. */
static char alnum_at(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)s[i];

    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-') {
        *n = 1;
        return (char)c;
    }
    if (c == 0xEF && i + 3 <= len) {
        unsigned char b = (unsigned char)s[i + 1], d = (unsigned char)s[i + 2];
        *n = 3;
        if (b == 0xBC && d >= 0x90 && d <= 0x99)
            return (char)('0' + d - 0x90); /* ０-９ */
        if (b == 0xBC && d >= 0xA1 && d <= 0xBA)
            return (char)('A' + d - 0xA1); /* Ａ-Ｚ */
        if (b == 0xBD && d >= 0x81 && d <= 0x9A)
            return (char)('a' + d - 0x81); /* ａ-ｚ */
    }
    return 0;
}

int worker_reply_parse(const char *text, size_t len, worker_reply_t *out)
{
    char code[WORKER_CODE_MAX + 1];
    size_t i = skip_sep(text, len, 0), n = 0, step, w, end;
    int digits = 1;
    char c;

    memset(out, 0, sizeof *out);
    while (i < len && (c = alnum_at(text, len, i, &step)) != 0) {
        if (n == WORKER_CODE_MAX)
            return CB_EPARSE;
        digits &= c >= '0' && c <= '9';
        code[n++] = c;
        i += step;
    }
    code[n] = '\0';
    if (n == 0)
        return CB_EPARSE;
    if (i + 3 <= len && memcmp(text + i, "号", 3) == 0)
        i += 3;
    if (i + 3 <= len && memcmp(text + i, "户", 3) == 0)
        i += 3; /* "8号户" */
    i = skip_sep(text, len, i);
    w = word_at(text + i, len - i, &out->outcome);
    if (w == 0)
        return CB_EPARSE;
    if (digits && n <= 3) {
        for (size_t k = 0; k < n; k++)
            out->pos = out->pos * 10 + (code[k] - '0');
        if (out->pos == 0)
            return CB_EPARSE;
    } else {
        memcpy(out->household, code, n + 1);
    }
    i += w;
    if (i + 3 <= len && memcmp(text + i, "了", 3) == 0)
        i += 3; /* "承诺了", "已缴了" */
    i = skip_sep(text, len, i);
    end = len;
    while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n' ||
                       text[end - 1] == '\r'))
        end--;
    end = i + utf8_cut(text + i, end - i, WORKER_NOTE_MAX); /* not inside a character */
    memcpy(out->note, text + i, end - i);
    out->note[end - i] = '\0';
    return CB_OK;
}
