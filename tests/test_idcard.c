/* SPDX-License-Identifier: MIT */
/* test_idcard.c - GB 11643-1999 numbers: validity, each rejection and its reason,
 * normalisation, integer keys, birth date and sex. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/idcard.h"

static cb_date_t ymd(int y, int m, int d)
{
    cb_date_t out = 0;

    ck_assert_int_eq(date_from_ymd(y, m, d, &out), 0);
    return out;
}

/* The day the tests pretend it is. */
static cb_date_t today(void)
{
    return ymd(2026, 11, 23);
}

/* Check 's' (all of it) against today(); the reason lands in 'why'. */
static idcard_status_t check(const char *s, char norm[IDCARD_LEN + 1], char why[128])
{
    why[0] = '\0';
    return idcard_check(s, strlen(s), today(), norm, why, 128);
}

/* The 17 digits 'id17' with their check character appended. */
static void complete(const char *id17, char out[IDCARD_LEN + 1])
{
    memcpy(out, id17, IDCARD_LEN - 1);
    out[IDCARD_LEN - 1] = idcard_check_char(id17);
    out[IDCARD_LEN] = '\0';
}

/* Numbers whose check characters were computed independently (Python, GB 11643 weights). */
START_TEST(check_char_known_values)
{
    ck_assert_int_eq(idcard_check_char("11010519491231002"), 'X');
    ck_assert_int_eq(idcard_check_char("43062319900101123"), '7');
    ck_assert_int_eq(idcard_check_char("43062320000229001"), '8');
    ck_assert_int_eq(idcard_check_char("43092319000101001"), '0');
    ck_assert_int_eq(idcard_check_char("42130320080808007"), '6');
    ck_assert_int_eq(idcard_check_char("82000019991231000"), '6');
}
END_TEST

START_TEST(valid_numbers)
{
    static const char *const ok[] = {
        "11010519491231002X", "430623199001011237", "430623200002290018", "61092620011015002X",
        "430923190001010010", "820000199912310006", "421303200808080076", "43062319850701000X"};
    char norm[IDCARD_LEN + 1], why[128];

    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ck_assert_msg(check(ok[i], norm, why) == IDCARD_OK, "%s: %s", ok[i], why);
        ck_assert_str_eq(norm, ok[i]);
    }
}
END_TEST

START_TEST(lower_case_x_is_normalised)
{
    char norm[IDCARD_LEN + 1], why[128];

    ck_assert_int_eq(check("11010519491231002x", norm, why), IDCARD_OK);
    ck_assert_str_eq(norm, "11010519491231002X");
    ck_assert_int_eq(check("61092620011015002x", norm, why), IDCARD_OK);
    ck_assert_str_eq(norm, "61092620011015002X");
}
END_TEST

/* Full-width digits and X (a Chinese input method's) read as their ASCII forms;
 * ideographic spaces around the number are dropped. */
START_TEST(full_width_forms_are_folded)
{
    char norm[IDCARD_LEN + 1], why[128];

    ck_assert_int_eq(check("４３０６２３１９９００１０１１２３７", norm, why), IDCARD_OK);
    ck_assert_str_eq(norm, "430623199001011237");
    ck_assert_int_eq(check("\xe3\x80\x80１１０１０５１９４９１２３１００２ｘ\xe3\x80\x80", norm, why),
                     IDCARD_OK);
    ck_assert_str_eq(norm, "11010519491231002X");
    ck_assert_int_eq(check("110105194912310０2Ｘ", norm, why), IDCARD_OK);
    ck_assert_str_eq(norm, "11010519491231002X");
}
END_TEST

START_TEST(province_codes)
{
    static const char *const good[] = {"11", "15", "21", "23", "31", "37", "41", "46",
                                       "50", "54", "61", "65", "71", "81", "82"};
    static const char *const bad[] = {"00", "10", "16", "20", "24", "30", "38", "40", "47",
                                      "49", "55", "60", "66", "70", "72", "80", "83", "99"};
    char id17[IDCARD_LEN], id[IDCARD_LEN + 1], norm[IDCARD_LEN + 1], why[128], want[64];

    memcpy(id17, "43062319900101123", IDCARD_LEN);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        memcpy(id17, good[i], 2);
        complete(id17, id);
        ck_assert_msg(check(id, norm, why) == IDCARD_OK, "%s: %s", id, why);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(id17, bad[i], 2);
        complete(id17, id);
        ck_assert_int_eq(check(id, norm, why), IDCARD_EREGION);
        snprintf(want, sizeof want, "region code %.6s: %.2s is no province code", id, id);
        ck_assert_str_eq(why, want);
    }
}
END_TEST

/* Each kind of rejection with its reason. Numbers with a date problem carry the
 * right check character, so the date is what is rejected. */
static const struct rejection {
    const char *id;
    idcard_status_t st;
    const char *why;
} rejections[] = {
    {"43062319900101123", IDCARD_ELENGTH, "17 characters, expected 18"},
    {"4306231990010112370", IDCARD_ELENGTH, "19 characters, expected 18"},
    {"4", IDCARD_ELENGTH, "1 character, expected 18"},
    {"", IDCARD_ELENGTH, "0 characters, expected 18"},
    /* 15-digit numbers of the old standard are not accepted. */
    {"430623900101123", IDCARD_ELENGTH, "15 characters, expected 18"},
    /* Positions count from 1, as a person reading the number would. */
    {"4306A3199001011237", IDCARD_ECHAR, "'A' at position 5 is not a digit"},
    {"43062319900101123Y", IDCARD_ECHAR, "'Y' at position 18 is not a digit or X"},
    /* x is allowed only as the check character. */
    {"4306231990010112x7", IDCARD_ECHAR, "'x' at position 17 is not a digit"},
    {"430623 99001011237", IDCARD_ECHAR, "byte 0x20 at position 7 is not a digit"},
    /* Lengths and positions count characters, not bytes. */
    {"４３０６２３１９９００１０１１２３", IDCARD_ELENGTH, "17 characters, expected 18"},
    {"43062319900101123号", IDCARD_ECHAR, "'号' at position 18 is not a digit or X"},
    {"4306号3199001011237", IDCARD_ECHAR, "'号' at position 5 is not a digit"},
    {"４３０６Ａ３１９９００１０１１２３７", IDCARD_ECHAR, "'A' at position 5 is not a digit"},
    {"43062319900101\xc2\x85" "237", IDCARD_ECHAR, "U+0085 at position 15 is not a digit"},
    {"４３０６２３１９９００１０１１２３０", IDCARD_ECHECK, "check character is 0, expected 7"},
    {"430623199001011\xa0"
     "37",
     IDCARD_ECHAR, "byte 0xA0 at position 16 is not a digit"},
    {"990623199001011237", IDCARD_EREGION, "region code 990623: 99 is no province code"},
    {"430623199002311231", IDCARD_EDATE, "birth date 19900231 is not a real date"},
    /* 1900 was no leap year. */
    {"430623190002291233", IDCARD_EDATE, "birth date 19000229 is not a real date"},
    {"430623199013011234", IDCARD_EDATE, "birth date 19901301 is not a real date"},
    {"430623199001001231", IDCARD_EDATE, "birth date 19900100 is not a real date"},
    {"430623189912311231", IDCARD_EDATE, "birth date 18991231 is before 1900-01-01"},
    {"43062307000101123X", IDCARD_EDATE, "birth date 07000101 is before 1900-01-01"},
    {"430623202611241237", IDCARD_EFUTURE, "birth date 20261124 is after today, 2026-11-23"},
    {"430623199001011230", IDCARD_ECHECK, "check character is 0, expected 7"},
    {"110105194912310020", IDCARD_ECHECK, "check character is 0, expected X"},
    {"43062319900101123x", IDCARD_ECHECK, "check character is X, expected 7"},
    /* Swapping two digits changes the check character (what MOD 11-2 is for). */
    {"430623199010011237", IDCARD_ECHECK, "check character is 7, expected 9"},
};

START_TEST(rejected_with_reason)
{
    const struct rejection *r = &rejections[_i];
    char norm[IDCARD_LEN + 1], why[128];

    ck_assert_int_eq(check(r->id, norm, why), r->st);
    ck_assert_str_eq(why, r->why);
}
END_TEST

START_TEST(date_limits)
{
    char norm[IDCARD_LEN + 1], why[128];

    ck_assert_int_eq(check("430623190001011236", norm, why), IDCARD_OK); /* 1900-01-01 */
    ck_assert_int_eq(check("430623202611231231", norm, why), IDCARD_OK); /* born today */
    /* INT32_MAX skips the test for the future. */
    ck_assert_int_eq(
        idcard_check("430623202611241237", IDCARD_LEN, INT32_MAX, norm, why, sizeof why),
        IDCARD_OK);
}
END_TEST

START_TEST(reason_buffer_is_optional_and_bounded)
{
    char norm[IDCARD_LEN + 1], why[8];

    ck_assert_int_eq(idcard_check("43062319900101123", 17, today(), norm, NULL, 0), IDCARD_ELENGTH);
    ck_assert_int_eq(idcard_check("43062319900101123", 17, today(), norm, why, sizeof why),
                     IDCARD_ELENGTH);
    ck_assert_str_eq(why, "17 char");
    /* The length given is what counts, not a NUL: a longer buffer is cut at 18. */
    ck_assert_int_eq(idcard_check("430623199001011237 trailing", 18, today(), norm, NULL, 0),
                     IDCARD_OK);
    ck_assert_str_eq(norm, "430623199001011237");
}
END_TEST

START_TEST(key_round_trip)
{
    char id17[IDCARD_LEN], id[IDCARD_LEN + 1], back[IDCARD_LEN + 1], norm[IDCARD_LEN + 1];
    char why[128];

    ck_assert_int_eq(idcard_key("11010519491231002X"), INT64_C(11010519491231002));
    idcard_from_key(INT64_C(11010519491231002), back);
    ck_assert_str_eq(back, "11010519491231002X");
    /* Every day of 2000 with a spread of sequence numbers. */
    memcpy(id17, "43062320000101000", IDCARD_LEN);
    for (int day = 0; day < 366; day++) {
        int y, m, d;
        date_to_ymd(ymd(2000, 1, 1) + day, &y, &m, &d);
        id17[10] = (char)('0' + m / 10);
        id17[11] = (char)('0' + m % 10);
        id17[12] = (char)('0' + d / 10);
        id17[13] = (char)('0' + d % 10);
        id17[14] = (char)('0' + day % 10);
        id17[16] = (char)('0' + (day * 7) % 10);
        complete(id17, id);
        ck_assert_int_eq(check(id, norm, why), IDCARD_OK);
        idcard_from_key(idcard_key(norm), back);
        ck_assert_str_eq(back, norm);
    }
}
END_TEST

START_TEST(birth_and_sex)
{
    ck_assert_int_eq(idcard_birth("11010519491231002X"), ymd(1949, 12, 31));
    ck_assert_int_eq(idcard_birth("430623200002290018"), ymd(2000, 2, 29));
    ck_assert_int_eq(idcard_birth("430923190001010010"), ymd(1900, 1, 1));
    ck_assert_int_eq(idcard_is_male("11010519491231002X"), 0); /* sequence 002 */
    ck_assert_int_eq(idcard_is_male("430623199001011237"), 1); /* sequence 123 */
    ck_assert_int_eq(idcard_is_male("430623200002290018"), 1); /* sequence 001 */
    ck_assert_int_eq(idcard_is_male("421303200808080076"), 1); /* sequence 007 */
    ck_assert_int_eq(idcard_is_male("61092620011015002X"), 0); /* sequence 002 */
}
END_TEST

static Suite *idcard_suite(void)
{
    Suite *s = suite_create("idcard");
    TCase *tc = tcase_create("idcard");

    tcase_add_test(tc, check_char_known_values);
    tcase_add_test(tc, valid_numbers);
    tcase_add_test(tc, lower_case_x_is_normalised);
    tcase_add_test(tc, full_width_forms_are_folded);
    tcase_add_test(tc, province_codes);
    tcase_add_loop_test(tc, rejected_with_reason, 0,
                        (int)(sizeof rejections / sizeof rejections[0]));
    tcase_add_test(tc, date_limits);
    tcase_add_test(tc, reason_buffer_is_optional_and_bounded);
    tcase_add_test(tc, key_round_trip);
    tcase_add_test(tc, birth_and_sex);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(idcard_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
