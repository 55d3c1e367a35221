/* SPDX-License-Identifier: MIT */
/* test_templates.c - the template engine (variables, sections, lists, inverted
 * sections, comments, standalone lines, strict rendering, parse errors with line
 * numbers, masking of personal data) and SMS segment counting. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/smsseg.h"
#include "templates/tpl.h"
#include "tpl_check.h"

static sms_count_t count(const char *s)
{
    sms_count_t c = {SMS_UCS2, 99, 99, 99};

    ck_assert_int_eq(sms_count(s, strlen(s), &c), CB_OK);
    return c;
}

static void expect_count(char *s, sms_coding_t coding, size_t units, size_t chars, int segments)
{
    sms_count_t c = count(s);

    ck_assert_int_eq(c.coding, coding);
    ck_assert_uint_eq(c.units, units);
    ck_assert_uint_eq(c.chars, chars);
    ck_assert_int_eq(c.segments, segments);
    free(s);
}

START_TEST(variables)
{
    tpl_ctx_t *ctx = tpl_ctx_create();
    char *long_value = rep("x", 300);

    tpl_ctx_set(ctx, "a", "甲");
    tpl_ctx_set(ctx, "b", "");
    tpl_ctx_setf(ctx, "num", "%d元", 380);
    tpl_ctx_set_bool(ctx, "on", 1);
    expect_render("{{a}}-{{ a }}-{{b}}-{{num}}-{{missing}}-{{on}}!", ctx, "甲-甲--380元--!");
    expect_render("纯文本，没有标签", ctx, "纯文本，没有标签");
    expect_render("", ctx, "");
    tpl_ctx_set(ctx, "a", "乙"); /* replaces */
    expect_render("{{a}}", ctx, "乙");
    tpl_ctx_set(ctx, "a", tpl_ctx_get(ctx, "a")); /* with its own value */
    tpl_ctx_set_personal(ctx, "a", tpl_ctx_get(ctx, "a"), MASK_NAME);
    expect_render("{{a}}{{&a}}", ctx, "乙乙");
    tpl_ctx_setf(ctx, "long", "%s", long_value);
    ck_assert_str_eq(tpl_ctx_get(ctx, "long"), long_value);
    ck_assert_str_eq(tpl_ctx_get(ctx, "a"), "乙");
    ck_assert_ptr_null(tpl_ctx_get(ctx, "missing"));
    ck_assert_ptr_null(tpl_ctx_get(ctx, "on"));
    expect_render("{{a}}x", NULL, "x");
    free(long_value);
    tpl_ctx_destroy(ctx);
    tpl_ctx_destroy(NULL);
}
END_TEST

START_TEST(sections)
{
    tpl_ctx_t *ctx = tpl_ctx_create(), *zhang, *li;

    tpl_ctx_set_bool(ctx, "on", 1);
    tpl_ctx_set_bool(ctx, "off", 0);
    tpl_ctx_set(ctx, "s", "x");
    tpl_ctx_set(ctx, "empty", "");
    tpl_ctx_set(ctx, "none", NULL);
    tpl_ctx_set(ctx, "county", "安化县");
    zhang = tpl_ctx_push(ctx, "people");
    tpl_ctx_set(zhang, "n", "张");
    tpl_ctx_set(tpl_ctx_push(zhang, "kids"), "k", "甲");
    tpl_ctx_set(tpl_ctx_push(zhang, "kids"), "k", "乙");
    li = tpl_ctx_push(ctx, "people");
    tpl_ctx_set(li, "n", "李");
    tpl_ctx_set(li, "county", "桃江县"); /* the item's own value wins */
    expect_render("{{#on}}开{{/on}}{{#off}}关{{/off}}{{#s}}有{{/s}}{{#empty}}空{{/empty}}"
                  "{{#nope}}无{{/nope}}{{#none}}N{{/none}}",
                  ctx, "开有");
    expect_render("{{#people}}[{{n}}@{{county}}]{{/people}}", ctx, "[张@安化县][李@桃江县]");
    expect_render("{{#people}}{{n}}:{{#kids}}{{k}}{{n}}{{/kids}};{{/people}}", ctx,
                  "张:甲张乙张;李:;");
    expect_render("{{^off}}A{{/off}}{{^on}}B{{/on}}{{^empty}}C{{/empty}}{{^nope}}D{{/nope}}"
                  "{{^people}}E{{/people}}{{^none}}F{{/none}}{{^s}}G{{/s}}",
                  ctx, "ACDF");
    /* An item rendered on its own falls back to its parent. */
    expect_render("{{n}}{{s}}", zhang, "张x");
    ck_assert_str_eq(tpl_ctx_get(zhang, "county"), "安化县");
    /* A list replaced by a string, and a string turned into a list. */
    tpl_ctx_set(ctx, "people", "");
    expect_render("{{^people}}E{{/people}}{{people}}", ctx, "E");
    tpl_ctx_set(tpl_ctx_push(ctx, "s"), "n", "王");
    expect_render("{{#s}}{{n}}{{/s}}", ctx, "王");
    tpl_ctx_destroy(ctx);
}
END_TEST

START_TEST(comments_and_standalone_lines)
{
    tpl_ctx_t *ctx = tpl_ctx_create();

    tpl_ctx_set_bool(ctx, "on", 1);
    tpl_ctx_set(tpl_ctx_push(ctx, "people"), "n", "张");
    tpl_ctx_set(tpl_ctx_push(ctx, "people"), "n", "李");
    expect_render("a{{! 注释 }}b{{!多\n行}}c", ctx, "abc");
    expect_render("清单：\n{{#people}}\n- {{n}}\n{{/people}}\n  {{! 结束 }}\n完", ctx,
                  "清单：\n- 张\n- 李\n完");
    expect_render("x\r\n  {{#on}}  \r\ny\r\n{{/on}}\r\nz", ctx, "x\r\ny\r\nz");
    expect_render("a {{#on}}b{{/on}} c\n", ctx, "a b c\n"); /* not alone on the line */
    expect_render("x\n{{#on}}\ny\n{{/on}}", ctx, "x\ny\n");
    expect_render("{{n}}\n{{#on}}\n{{/on}}", ctx, "\n"); /* a variable never takes its line */
    tpl_ctx_destroy(ctx);
}
END_TEST

START_TEST(strict_rendering)
{
    static const char src[] = "a\n{{#on}}{{known}}{{/on}}\n{{unknwon}}";
    tpl_ctx_t *ctx = tpl_ctx_create();
    tpl_t *t = NULL;
    char err[128] = "", *out = err;

    tpl_ctx_set_bool(ctx, "on", 1);
    tpl_ctx_set(ctx, "known", "");
    ck_assert_int_eq(tpl_parse("t.txt", src, strlen(src), &t, err, sizeof err), CB_OK);
    ck_assert_int_eq(tpl_render_strict(t, ctx, &out, err, sizeof err), CB_ENOTFOUND);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err, "t.txt:3: unknown variable 'unknwon'");
    tpl_destroy(t);
    /* Tags in a skipped section are not looked up. */
    ck_assert_int_eq(tpl_parse("t.txt", "{{#off}}{{x}}{{/off}}ok", 23, &t, err, sizeof err), 0);
    ck_assert_int_eq(tpl_render_strict(t, ctx, &out, NULL, 0), CB_ENOTFOUND); /* off: unset */
    tpl_ctx_set_bool(ctx, "off", 0);
    ck_assert_int_eq(tpl_render_strict(t, ctx, &out, NULL, 0), CB_OK);
    ck_assert_str_eq(out, "ok");
    free(out);
    tpl_destroy(t);
    tpl_ctx_destroy(ctx);
}
END_TEST

static const struct parse_case {
    const char *src;
    const char *err;
} bad_templates[] = {
    {"a\n\n{{#subsidised}}\nb", "remind_periodic.txt:3: section 'subsidised' is never closed"},
    {"{{#a}}{{#b}}\n{{/b}}", "remind_periodic.txt:1: section 'a' is never closed"},
    {"{{#a}}\n{{/b}}",
     "remind_periodic.txt:2: '{{/b}}' does not close section 'a' opened on line 1"},
    {"x\n{{/a}}", "remind_periodic.txt:2: '{{/a}}' closes no open section"},
    {"{{>partial}}", "remind_periodic.txt:1: unknown tag '{{>partial}}'"},
    {"{{=<% %>=}}", "remind_periodic.txt:1: unknown tag '{{=<% %>=}}'"},
    {"ok\n{{a.b}}", "remind_periodic.txt:2: unknown tag '{{a.b}}'"},
    {"{{姓名}}", "remind_periodic.txt:1: unknown tag '{{姓名}}'"},
    {"{{}}", "remind_periodic.txt:1: unknown tag '{{}}'"},
    {"{{# }}", "remind_periodic.txt:1: unknown tag '{{# }}'"},
    {"a\nb {{name", "remind_periodic.txt:2: '{{' is never closed"},
    {"{{{name}}", "remind_periodic.txt:1: '{{{' is never closed with '}}}'"},
    {"{{!a\nb}}\n{{#x}}", "remind_periodic.txt:3: section 'x' is never closed"},
    {"ok\n\xff", "remind_periodic.txt:2: not valid UTF-8"},
    {"{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
     "{{#a}}{{#a}}",
     "remind_periodic.txt:1: sections nested deeper than 16"},
};

START_TEST(parse_errors)
{
    const struct parse_case *c = &bad_templates[_i];
    tpl_t *t = (tpl_t *)&t; /* must come back NULL */
    char err[256] = "";

    ck_assert_int_eq(tpl_parse("remind_periodic.txt", c->src, strlen(c->src), &t, err, sizeof err),
                     CB_EPARSE);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err, c->err);
    ck_assert_int_eq(tpl_parse("x", c->src, strlen(c->src), &t, NULL, 0), CB_EPARSE);
    ck_assert_int_eq(tpl_parse("x", "a\0b", 3, &t, err, sizeof err), CB_EPARSE);
    ck_assert_str_eq(err, "x:1: NUL byte");
}
END_TEST

START_TEST(masking)
{
    tpl_ctx_t *ctx = tpl_ctx_create();

    tpl_ctx_set_personal(ctx, "name", "张三丰", MASK_NAME);
    tpl_ctx_set_personal(ctx, "phone", "13812345678", MASK_PHONE);
    tpl_ctx_set_personal(ctx, "id", "430623199001011234", MASK_ID);
    tpl_ctx_set_personal(ctx, "nobody", NULL, MASK_NAME);
    tpl_ctx_set_personal(tpl_ctx_push(ctx, "m"), "name", "李四", MASK_NAME);
    expect_render("{{name}} {{phone}} {{id}}", ctx, "张** 138****5678 430623********1234");
    expect_render("{{&name}} {{{phone}}} {{& id }} {{{ name }}}", ctx,
                  "张三丰 13812345678 430623199001011234 张三丰");
    expect_render("{{#name}}有{{/name}}{{^nobody}}无{{/nobody}}{{nobody}}", ctx, "有无");
    expect_render("{{#m}}{{name}}/{{&name}}{{/m}}", ctx, "李*/李四");
    ck_assert_str_eq(tpl_ctx_get(ctx, "name"), "张三丰");
    tpl_ctx_destroy(ctx);
}
END_TEST

START_TEST(segments_chinese)
{
    expect_count(rep("中", 70), SMS_UCS2, 70, 70, 1);
    expect_count(rep("中", 71), SMS_UCS2, 71, 71, 2);
    expect_count(rep("中", 134), SMS_UCS2, 134, 134, 2);
    expect_count(rep("中", 135), SMS_UCS2, 135, 135, 3);
    expect_count(rep("中", 201), SMS_UCS2, 201, 201, 3);
    expect_count(rep("中", 202), SMS_UCS2, 202, 202, 4);
}
END_TEST

START_TEST(segments_gsm7)
{
    expect_count(rep("a", 160), SMS_GSM7, 160, 160, 1);
    expect_count(rep("a", 161), SMS_GSM7, 161, 161, 2);
    expect_count(rep("a", 306), SMS_GSM7, 306, 306, 2);
    expect_count(rep("a", 307), SMS_GSM7, 307, 307, 3);
    expect_count(rep("{", 80), SMS_GSM7, 160, 80, 1);
    expect_count(rep("{", 81), SMS_GSM7, 162, 81, 2);
    expect_count(strdup("^{}\\[~]|€\f"), SMS_GSM7, 20, 10, 1);
    expect_count(
        strdup("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà\n\r"),
        SMS_GSM7, 71, 71, 1);
    expect_count(strdup(""), SMS_GSM7, 0, 0, 0);
    /* An escape and its character stay in one part: 152 + [ + 152 needs 3 parts, not 2. */
    expect_count(cat(cat(rep("a", 152), strdup("[")), rep("a", 152)), SMS_GSM7, 306, 305, 3);
}
END_TEST

START_TEST(segments_ucs2_and_emoji)
{
    sms_count_t c;

    expect_count(strdup("😀"), SMS_UCS2, 2, 1, 1);
    expect_count(rep("😀", 35), SMS_UCS2, 70, 35, 1);
    expect_count(rep("😀", 36), SMS_UCS2, 72, 36, 2);
    expect_count(rep("😀", 67), SMS_UCS2, 134, 67, 3); /* 33 pairs fill 66 of 67 units */
    expect_count(cat(rep("a", 159), strdup("中")), SMS_UCS2, 160, 160, 3);
    expect_count(strdup("price `5`"), SMS_UCS2, 9, 9, 1); /* the backtick is not GSM-7 */
    expect_count(strdup("tab\there"), SMS_UCS2, 8, 8, 1);
    /* 66 + emoji + 66: the pair does not fit the first part's last unit, so 3 parts. */
    expect_count(cat(cat(rep("中", 66), strdup("😀")), rep("中", 66)), SMS_UCS2, 134, 133, 3);
    ck_assert_int_eq(sms_count("\xff", 1, &c), CB_EINVAL);
    ck_assert_int_eq(sms_count("\xe4\xb8", 2, &c), CB_EINVAL);
    ck_assert_int_eq(sms_count("\xed\xa0\x80", 3, &c), CB_EINVAL);
    ck_assert_int_eq(sms_count("\xc0\xaf", 2, &c), CB_EINVAL);
    /* Kannel's rule (coding=2): always UCS-2, cut every 67 units, pairs and all. */
    {
        char *t = cat(cat(rep("中", 66), strdup("😀")), rep("中", 66));
        ck_assert_int_eq(sms_count_rule(t, strlen(t), SMS_RULE_UCS2_UNITS, &c), CB_OK);
        ck_assert_int_eq(c.segments, 2);
        ck_assert_int_eq(sms_count_rule("abc", 3, SMS_RULE_UCS2_UNITS, &c), CB_OK);
        ck_assert_int_eq(c.coding, SMS_UCS2);
        ck_assert_int_eq(c.segments, 1);
        free(t);
        t = rep("a", 71);
        ck_assert_int_eq(sms_count_rule(t, strlen(t), SMS_RULE_UCS2_UNITS, &c), CB_OK);
        ck_assert_int_eq(c.segments, 2);
        ck_assert_int_eq(sms_count_rule(t, strlen(t), SMS_RULE_AUTO, &c), CB_OK);
        ck_assert_int_eq(c.segments, 1);
        free(t);
    }
}
END_TEST

static Suite *templates_suite(void)
{
    Suite *s = suite_create("templates");
    TCase *tpl = tcase_create("tpl"), *sms = tcase_create("smsseg");

    tcase_add_test(tpl, variables);
    tcase_add_test(tpl, sections);
    tcase_add_test(tpl, comments_and_standalone_lines);
    tcase_add_test(tpl, strict_rendering);
    tcase_add_loop_test(tpl, parse_errors, 0,
                        (int)(sizeof bad_templates / sizeof bad_templates[0]));
    tcase_add_test(tpl, masking);
    suite_add_tcase(s, tpl);
    tcase_add_test(sms, segments_chinese);
    tcase_add_test(sms, segments_gsm7);
    tcase_add_test(sms, segments_ucs2_and_emoji);
    suite_add_tcase(s, sms);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(templates_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
