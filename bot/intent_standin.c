/* SPDX-License-Identifier: MIT */
/*
 * intent_standin.c - a small keyword version of intent_parse, so that the bot's
 * flows build and run before the branch 'intent' (the real parser: normalisation,
 * precedence, negation) is merged. It follows the order of rules in intent.h on
 * plain substrings only; merging 'intent' replaces this file by bot/intent.c.
 */
#include "bot/intent.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

static int has(const char *s, const char *word)
{
    return strstr(s, word) != NULL;
}

static int has_any(const char *s, const char *const *words)
{
    for (size_t i = 0; words[i] != NULL; i++) {
        if (has(s, words[i]))
            return 1;
    }
    return 0;
}

/* Copy 'len' bytes of 's' without leading and trailing ASCII blanks. */
static void trim_copy(const char *s, size_t len, char *out, size_t outlen)
{
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= outlen)
        len = outlen - 1;
    /* Back up to a character boundary. */
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    memcpy(out, s, len);
    out[len] = '\0';
}

/* A leading number "3" or "选3": its value and where the rest starts, else -1. */
static int leading_number(const char *s, const char **rest)
{
    int n = 0, digits = 0;

    if (strncmp(s, "选", strlen("选")) == 0)
        s += strlen("选");
    else if (strncmp(s, "原因", strlen("原因")) == 0)
        s += strlen("原因");
    while (isdigit((unsigned char)*s) && digits < 3) {
        n = n * 10 + (*s - '0');
        s++;
        digits++;
    }
    if (digits == 0)
        return -1;
    while (isspace((unsigned char)*s) || *s == '.' || *s == ',')
        s++;
    *rest = s;
    return n;
}

static int is_asked(const char *s)
{
    static const char *const marks[] = {"?", "？", "吗", "会怎样", "怎么办", NULL};
    return has_any(s, marks);
}

/* A receipt: the first run of >= 8 ASCII letters and digits that is no mobile
 * number (11 digits starting with 1) nor an ID number (18). */
static void find_receipt(const char *s, char *out, size_t outlen)
{
    out[0] = '\0';
    while (*s != '\0') {
        size_t n = 0, digits = 0;

        while (isalnum((unsigned char)s[n])) {
            digits += isdigit((unsigned char)s[n]) != 0;
            n++;
        }
        if (n >= 8 && !(n == 11 && digits == 11 && s[0] == '1') && n != 18 && n < outlen) {
            memcpy(out, s, n);
            out[n] = '\0';
            return;
        }
        s += n > 0 ? n : 1;
    }
}

static unsigned question_bits(const char *s)
{
    static const char *const amount[] = {"多少", "金额", "几块", NULL};
    static const char *const channels[] = {"怎么交", "怎么缴", "在哪", "哪里交", "渠道", NULL};
    static const char *const deadline[] = {"截止", "什么时候", "期限", "最后一天", "不交会", NULL};
    static const char *const subsidy[] = {"补贴", "资助", "减免", "补助", NULL};
    static const char *const status[] = {"交了吗", "缴了吗", "交了没", "到账", "有没有交", NULL};
    unsigned q = 0;

    q |= has_any(s, amount) ? INTENT_Q_AMOUNT : 0u;
    q |= has_any(s, channels) ? INTENT_Q_CHANNELS : 0u;
    q |= has_any(s, deadline) ? INTENT_Q_DEADLINE : 0u;
    q |= has_any(s, subsidy) ? INTENT_Q_SUBSIDY : 0u;
    q |= has_any(s, status) ? INTENT_Q_STATUS : 0u;
    return q;
}

static intent_elsewhere_t elsewhere_of(const char *s)
{
    if (has(s, "职工医保") || has(s, "城镇职工"))
        return INTENT_ELSEWHERE_EMPLOYEE;
    if (has(s, "单位交") || has(s, "公司交") || has(s, "厂里交"))
        return INTENT_ELSEWHERE_UNIT;
    if (has(s, "学校交") || has(s, "学生医保"))
        return INTENT_ELSEWHERE_SCHOOL;
    if (has(s, "外地") || has(s, "异地"))
        return INTENT_ELSEWHERE_OTHER_PLACE;
    return INTENT_ELSEWHERE_NONE;
}

static intent_reason_t reason_of(const char *s)
{
    const char *p;

    for (p = s; *p != '\0'; p++) {
        if (*p >= '1' && *p <= '4' && !isdigit((unsigned char)p[1]))
            return (intent_reason_t)(*p - '0');
    }
    if (has(s, "商业保险"))
        return INTENT_REASON_COMMERCIAL;
    if (has(s, "职工医保"))
        return INTENT_REASON_EMPLOYEE;
    if (has(s, "身体好") || has(s, "没病"))
        return INTENT_REASON_HEALTHY;
    return INTENT_REASON_NONE;
}

static void classify(const char *s, const intent_ctx_t *ctx, intent_t *out)
{
    static const char *const stop_words[] = {"退订", "拒收", "取消订阅", "别发了", "不要再发",
                                             "骚扰", NULL};
    static const char *const waive[] = {"放弃", "不参加", "不交", "不缴", "不想交", "不买了",
                                        "拒交", NULL};
    static const char *const paid[] = {"已缴", "已交", "交了", "缴了", "缴过", "交过", NULL};
    const char *rest = NULL;
    int n;

    if (strcmp(s, "t") == 0 || strcmp(s, "T") == 0 || strcmp(s, "td") == 0 ||
        strcmp(s, "TD") == 0 || strcmp(s, "R") == 0 || has_any(s, stop_words)) {
        out->kind = INTENT_OPT_OUT;
        return;
    }
    n = leading_number(s, &rest);
    if (ctx->waiver_pending && n >= 1 && n <= 4) {
        out->kind = INTENT_WAIVER;
        out->waiver_reason = (intent_reason_t)n;
        if (n == INTENT_REASON_OTHER)
            trim_copy(rest, strlen(rest), out->reason_text, sizeof out->reason_text);
        return;
    }
    if (ctx->survey_open && ctx->survey_choices > 0 && n >= 0 && *rest == '\0') {
        out->kind = INTENT_SURVEY_ANSWER;
        out->choice = n >= 1 && n <= ctx->survey_choices ? n : 0;
        return;
    }
    if (has_any(s, waive) && !is_asked(s)) {
        out->elsewhere = elsewhere_of(s);
        if (out->elsewhere != INTENT_ELSEWHERE_NONE && !has(s, "职工医保")) {
            out->kind = INTENT_COVERED_ELSEWHERE;
            return;
        }
        out->elsewhere = INTENT_ELSEWHERE_NONE;
        out->kind = INTENT_WAIVER;
        out->waiver_reason = reason_of(s);
        return;
    }
    out->elsewhere = elsewhere_of(s);
    if (out->elsewhere != INTENT_ELSEWHERE_NONE && !is_asked(s)) {
        out->kind = INTENT_COVERED_ELSEWHERE;
        return;
    }
    out->elsewhere = INTENT_ELSEWHERE_NONE;
    out->questions = question_bits(s);
    if (has_any(s, paid) && !(out->questions & INTENT_Q_STATUS) && !has(s, "没")) {
        out->questions = 0;
        out->kind = INTENT_PAID_CLAIM;
        find_receipt(s, out->receipt, sizeof out->receipt);
        return;
    }
    if (out->questions != 0) {
        out->kind = INTENT_QUESTION;
        return;
    }
    out->kind = ctx->survey_open && ctx->survey_choices == 0 ? INTENT_SURVEY_ANSWER
                                                             : INTENT_UNKNOWN;
}

int intent_parse(const char *utf8, size_t len, const intent_ctx_t *ctx, intent_t *out)
{
    static const intent_ctx_t none = {0, 0, 0};

    if (out == NULL)
        return CB_EINVAL;
    memset(out, 0, sizeof *out);
    out->kind = INTENT_UNKNOWN;
    if (utf8 == NULL && len > 0)
        return CB_EINVAL;
    if (len > INTENT_MAX_INPUT)
        return CB_ETOOBIG;
    trim_copy(utf8 ? utf8 : "", len, out->text, sizeof out->text);
    snprintf(out->norm, sizeof out->norm, "%s", out->text);
    classify(out->text, ctx ? ctx : &none, out);
    return CB_OK;
}

const char *intent_name(intent_kind_t kind)
{
    static const char *const names[] = {"paid_claim", "covered_elsewhere", "waiver", "opt_out",
                                        "question", "survey_answer", "unknown"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

const char *intent_elsewhere_name(intent_elsewhere_t where)
{
    static const char *const names[] = {"", "employee", "unit", "other_place", "school"};
    return (unsigned)where < sizeof names / sizeof names[0] ? names[where] : "";
}

const char *intent_reason_name(intent_reason_t reason)
{
    static const char *const names[] = {"", "commercial_insurance", "employee_insurance",
                                        "healthy_stable_income", "other"};
    return (unsigned)reason < sizeof names / sizeof names[0] ? names[reason] : "";
}

const char *intent_reason_label(intent_reason_t reason)
{
    static const char *const labels[] = {"", "参加商业保险", "参加职工医疗保险",
                                         "身体健康、家庭收入稳定", "其他原因"};
    return (unsigned)reason < sizeof labels / sizeof labels[0] ? labels[reason] : "";
}

const char *intent_question_name(unsigned bit)
{
    switch (bit) {
    case INTENT_Q_AMOUNT: return "amount";
    case INTENT_Q_CHANNELS: return "channels";
    case INTENT_Q_DEADLINE: return "deadline";
    case INTENT_Q_SUBSIDY: return "subsidy";
    case INTENT_Q_STATUS: return "status";
    default: return "";
    }
}
