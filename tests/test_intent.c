/* SPDX-License-Identifier: MIT */
/* test_intent.c - intent_parse against the table of replies in intent_cases.c (every
 * field exact), plus normalisation, the limits, invalid input and the names. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/intent.h"
#include "core/err.h"
#include "intent_cases.h"

static intent_ctx_t ctx_of(case_ctx_t c)
{
    intent_ctx_t ctx = {0, 0, 0};

    if (c == CTX_WAIVER)
        ctx.waiver_pending = 1;
    if (c == CTX_SURVEY || c == CTX_FREE)
        ctx.survey_open = 1;
    if (c == CTX_SURVEY)
        ctx.survey_choices = 3;
    return ctx;
}

static intent_t parse(const char *text, const intent_ctx_t *ctx)
{
    intent_t in;

    ck_assert_int_eq(intent_parse(text, strlen(text), ctx, &in), CB_OK);
    return in;
}

/* The reply trimmed of ASCII spaces, as intent_t.text holds it. */
static void trimmed(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);

    while (*s == ' ')
        s++, n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    snprintf(out, cap, "%.*s", (int)n, s);
}

START_TEST(table)
{
    const intent_case_t *c = &intent_cases[_i];
    intent_ctx_t ctx = ctx_of(c->ctx);
    intent_t in = parse(c->text, &ctx);
    const char *str = c->str != NULL ? c->str : "";
    char text[256];

    ck_assert_msg(in.kind == c->kind, "\"%s\": intent %s, expected %s (normalised \"%s\")", c->text,
                  intent_name(in.kind), intent_name(c->kind), in.norm);
    ck_assert_msg(strcmp(in.receipt, c->kind == INTENT_PAID_CLAIM ? str : "") == 0,
                  "\"%s\": receipt \"%s\", expected \"%s\"", c->text, in.receipt, str);
    ck_assert_msg((int)in.elsewhere == (c->kind == INTENT_COVERED_ELSEWHERE ? c->n : 0),
                  "\"%s\": elsewhere %d, expected %d", c->text, in.elsewhere, c->n);
    ck_assert_msg((int)in.waiver_reason == (c->kind == INTENT_WAIVER ? c->n : 0),
                  "\"%s\": reason %d, expected %d", c->text, in.waiver_reason, c->n);
    ck_assert_msg(strcmp(in.reason_text, c->kind == INTENT_WAIVER ? str : "") == 0,
                  "\"%s\": reason text \"%s\", expected \"%s\"", c->text, in.reason_text, str);
    ck_assert_msg((int)in.questions == (c->kind == INTENT_QUESTION ? c->n : 0),
                  "\"%s\": questions %#x, expected %#x", c->text, in.questions, (unsigned)c->n);
    ck_assert_msg(in.choice == (c->kind == INTENT_SURVEY_ANSWER ? c->n : 0),
                  "\"%s\": choice %d, expected %d", c->text, in.choice, c->n);
    if (c->kind == INTENT_SURVEY_ANSWER || c->kind == INTENT_UNKNOWN) {
        if (c->str != NULL)
            snprintf(text, sizeof text, "%s", c->str);
        else
            trimmed(c->text, text, sizeof text);
        ck_assert_msg(strcmp(in.text, text) == 0, "\"%s\": text \"%s\", expected \"%s\"", c->text,
                      in.text, text);
    }
}
END_TEST

START_TEST(table_is_large)
{
    ck_assert_uint_ge(intent_ncases, 150);
}
END_TEST

static void assert_norm(const char *text, const char *norm)
{
    intent_t in = parse(text, NULL);

    ck_assert_str_eq(in.norm, norm);
}

START_TEST(normalisation)
{
    assert_norm("ＴＤ　退订", "TD退订"); /* full-width letters, ideographic space */
    assert_norm("已繳費，票號：１２３", "已缴费,票号,123"); /* traditional, full-width digits */
    assert_norm("交了👍🏻！！", "交了");   /* emoji with a skin tone, trailing marks */
    assert_norm("“交了”（已经）", "交了,已经");    /* CJK quotes and brackets */
    assert_norm("  已 交 ", "已交");               /* spaces are typos, not clauses */
    assert_norm("交了吗？？", "交了吗?");          /* question marks stay, once */
    assert_norm("？交了", "交了");                 /* no leading mark */
    assert_norm("①②③", "123");                     /* circled numbers */
    assert_norm("交\xe2\x80\x8b了", "交了");       /* zero-width space */
    assert_norm("1\xef\xb8\x8f\xe2\x83\xa3", "1"); /* keycap emoji */
    assert_norm("Hello, World", "Hello,World");    /* case kept in the output */
    assert_norm("￥380", "380");                   /* currency signs are symbols */
}
END_TEST

START_TEST(limits_and_errors)
{
    char big[INTENT_MAX_INPUT + 2];
    intent_t in;

    ck_assert_int_eq(intent_parse("x", 1, NULL, NULL), CB_EINVAL);
    ck_assert_int_eq(intent_parse(NULL, 3, NULL, &in), CB_EINVAL);
    ck_assert_int_eq(in.kind, INTENT_UNKNOWN);
    ck_assert_int_eq(intent_parse(NULL, 0, NULL, &in), CB_OK);
    ck_assert_int_eq(in.kind, INTENT_UNKNOWN);
    ck_assert_str_eq(in.text, "");
    memset(big, 'a', sizeof big);
    ck_assert_int_eq(intent_parse(big, INTENT_MAX_INPUT, NULL, &in), CB_OK);
    ck_assert_int_eq(intent_parse(big, INTENT_MAX_INPUT + 1, NULL, &in), CB_ETOOBIG);
    ck_assert_int_eq(in.kind, INTENT_UNKNOWN);
    ck_assert_str_eq(in.norm, "");
    /* Invalid UTF-8: a lone continuation byte, an overlong '/', a surrogate, a cut
     * sequence, a byte that never occurs. */
    ck_assert_int_eq(intent_parse("\x80", 1, NULL, &in), CB_EPARSE);
    ck_assert_int_eq(intent_parse("\xc0\xaf", 2, NULL, &in), CB_EPARSE);
    ck_assert_int_eq(intent_parse("\xed\xa0\x80", 3, NULL, &in), CB_EPARSE);
    ck_assert_int_eq(intent_parse("已\xe4\xba", 5, NULL, &in), CB_EPARSE);
    ck_assert_int_eq(intent_parse("\xff", 1, NULL, &in), CB_EPARSE);
    ck_assert_int_eq(in.kind, INTENT_UNKNOWN);
}
END_TEST

START_TEST(text_as_written)
{
    static const char with_nul[] = "交\0了";
    char many[3 * 300 + 1];
    intent_t in;

    /* A NUL and controls become spaces in the text and vanish from the match. */
    ck_assert_int_eq(intent_parse(with_nul, sizeof with_nul - 1, NULL, &in), CB_OK);
    ck_assert_int_eq(in.kind, INTENT_PAID_CLAIM);
    ck_assert_str_eq(in.text, "交 了");
    in = parse("\t这是\r\n什么　", NULL);
    ck_assert_str_eq(in.text, "这是  什么");
    /* Long replies are cut at a character boundary, in both copies. */
    for (int i = 0; i < 300; i++)
        memcpy(many + 3 * i, "啊", 3);
    many[3 * 300] = '\0';
    in = parse(many, NULL);
    ck_assert_uint_eq(strlen(in.text), 255);
    ck_assert_uint_eq(strlen(in.norm), 255);
    ck_assert_int_eq(strncmp(in.text, many, 255), 0);
    in = parse("a啊啊啊", NULL);
    ck_assert_str_eq(in.text, "a啊啊啊");
    /* A cut right after a clause mark drops the mark: the copy stays normalised. */
    memset(many, 'a', 254);
    memcpy(many + 254, "，bbbb", sizeof "，bbbb");
    in = parse(many, NULL);
    ck_assert_uint_eq(strlen(in.norm), 254);
    ck_assert_int_eq(in.norm[253], 'a');
}
END_TEST

START_TEST(long_reply_still_understood)
{
    char text[INTENT_MAX_INPUT + 1];
    intent_t in;

    /* 330 characters of chatter, then the claim: past the text copy, inside the match. */
    for (int i = 0; i < 330; i++)
        memcpy(text + 3 * i, "嗯", 3);
    memcpy(text + 3 * 330, "交了", sizeof "交了");
    in = parse(text, NULL);
    ck_assert_int_eq(in.kind, INTENT_PAID_CLAIM);
}
END_TEST

START_TEST(names)
{
    static const char *const kinds[] = {"paid_claim", "covered_elsewhere", "waiver",
                                        "opt_out",    "question",          "survey_answer",
                                        "deceased",   "unknown"};

    for (int k = INTENT_PAID_CLAIM; k <= INTENT_UNKNOWN; k++)
        ck_assert_str_eq(intent_name((intent_kind_t)k), kinds[k]);
    ck_assert_str_eq(intent_name((intent_kind_t)99), "?");
    ck_assert_str_eq(intent_elsewhere_name(INTENT_ELSEWHERE_NONE), "");
    ck_assert_str_eq(intent_elsewhere_name(INTENT_ELSEWHERE_OTHER_PLACE), "other_place");
    ck_assert_str_eq(intent_elsewhere_name(INTENT_ELSEWHERE_SCHOOL), "school");
    ck_assert_str_eq(intent_reason_name(INTENT_REASON_COMMERCIAL), "commercial_insurance");
    ck_assert_str_eq(intent_reason_name(INTENT_REASON_HEALTHY), "healthy_stable_income");
    ck_assert_str_eq(intent_reason_name((intent_reason_t)5), "");
    ck_assert_str_eq(intent_reason_label(INTENT_REASON_EMPLOYEE), "参加职工医疗保险");
    ck_assert_str_eq(intent_reason_label(INTENT_REASON_OTHER), "其他原因");
    ck_assert_str_eq(intent_question_name(INTENT_Q_SUBSIDY), "subsidy");
    ck_assert_str_eq(intent_question_name(INTENT_Q_STATUS), "status");
    ck_assert_str_eq(intent_question_name(INTENT_Q_NEWBORN), "newborn");
    ck_assert_str_eq(intent_question_name(INTENT_Q_AMOUNT | INTENT_Q_DEADLINE), "");
}
END_TEST

static Suite *intent_suite(void)
{
    Suite *s = suite_create("intent");
    TCase *tc = tcase_create("replies");

    tcase_add_loop_test(tc, table, 0, (int)intent_ncases);
    tcase_add_test(tc, table_is_large);
    tcase_add_test(tc, normalisation);
    tcase_add_test(tc, limits_and_errors);
    tcase_add_test(tc, text_as_written);
    tcase_add_test(tc, long_reply_still_understood);
    tcase_add_test(tc, names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(intent_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
