/* SPDX-License-Identifier: MIT */
/* test_bot.c - bot_handle on a :memory: store with a small Lengshi roster: claims,
 * waivers and their conversation, opt-outs, questions about one's own amount,
 * newborns' questions, reported deaths, handoffs, replays, the caller's transaction,
 * and a survey to 100 people. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/reply.h"
#include "bot/survey.h"
#include "core/err.h"
#include "core/idcard.h"
#include "store/store_claim.h"
#include "store/store_conv.h"
#include "store/store_inbound.h"
#include "store/store_outbox.h"
#include "store/store_people.h"
#include "store/store_roster.h"
#include "store/store_survey.h"
#include "store/store_waiver.h"
#include "templates/tplset.h"

typedef struct fix {
    store_t *st;
    policy_t *pol;
    tplset_t *tpl;
    bot_env_t env;
    int64_t town, village[2];
    int nperson;
} fix_t;

/* 2023-11-20 10:00 China time. */
static int64_t t0(cb_date_t *today)
{
    ck_assert_int_eq(date_from_ymd(2023, 11, 20, today), CB_OK);
    return (int64_t)*today * 86400 + 2 * 3600;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 1 << 16);
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Add a person in village 'v' (0 or 1) with the ID number of 'key' (17 digits: region,
 * birth date, sequence): returns their id. */
static int64_t person_key(fix_t *f, int v, int64_t key, const char *name, const char *phone,
                          const char *cats, const char *status)
{
    char id[IDCARD_LEN + 1];
    store_person_t p = {0};
    store_resident_t r;
    int64_t pid;

    idcard_from_key(key, id);
    p.key = key;
    p.id_number = id;
    p.name = name;
    p.phone = phone;
    p.area_id = f->village[v];
    p.status = status;
    p.categories = cats;
    ck_assert_int_ge(store_person_upsert(f->st, f->env.campaign, &p, "test", f->env.now), 0);
    ck_assert_int_eq(store_resident_get(f->st, f->env.campaign, key, &r), CB_OK);
    pid = r.id;
    store_resident_free(&r);
    return pid;
}

/* A person born on 1 January 1980. */
static int64_t person(fix_t *f, int v, const char *name, const char *phone, const char *cats,
                      const char *status)
{
    return person_key(f, v, INT64_C(43092319800101000) + f->nperson++ * 10, name, phone, cats,
                      status);
}

static void setup(fix_t *f)
{
    char path[512], err[256] = "", *json;
    int64_t campaign = 0;

    memset(f, 0, sizeof *f);
    ck_assert_int_eq(store_open(":memory:", &f->st, err, sizeof err), CB_OK);
    snprintf(path, sizeof path, "%s/lengshi-2024.json", CB_EXAMPLES);
    json = slurp(path);
    ck_assert_int_eq(policy_parse(json, strlen(json), &f->pol, err, sizeof err), CB_OK);
    f->env.now = t0(&f->env.today);
    ck_assert_int_eq(store_campaign_create(f->st, 2024, "安化县", json, f->env.now, &campaign),
                     CB_OK);
    free(json);
    ck_assert_int_eq(tplset_load(NULL, NULL, &f->tpl, err, sizeof err), CB_OK);
    f->env.st = f->st;
    f->env.pol = f->pol;
    f->env.campaign = campaign;
    f->env.tpl = f->tpl;
    f->env.reply_route = "sms";
    f->env.optout_kind = "sms";
    ck_assert_int_eq(store_area_get(f->st, 0, AREA_TOWNSHIP, "冷市镇", strlen("冷市镇"), 1,
                                    &f->town), CB_OK);
    ck_assert_int_eq(store_area_get(f->st, f->town, AREA_VILLAGE, "南华村", strlen("南华村"), 1,
                                    &f->village[0]), CB_OK);
    ck_assert_int_eq(store_area_get(f->st, f->town, AREA_VILLAGE, "文昌村", strlen("文昌村"), 1,
                                    &f->village[1]), CB_OK);
}

static void teardown(fix_t *f)
{
    tplset_destroy(f->tpl);
    policy_destroy(f->pol);
    store_close(f->st);
}

/* The small roster: a plain person, a 低保 person, a household of three on one phone
 * (plain, 低保, 特困 paid for by a department), and someone who has paid. */
static void roster(fix_t *f)
{
    person(f, 0, "张三", "13800000001", "", NULL);
    person(f, 0, "李四", "13800000002", "低保", NULL);
    person(f, 1, "王五", "13800000003", "", NULL);
    person(f, 1, "王小六", "13800000003", "低保", NULL);
    person(f, 1, "王老七", "13800000003", "特困", NULL);
    person(f, 1, "赵八", "13800000005", "", "paid");
}

static bot_outcome_t say(fix_t *f, const char *phone, const char *text, const char *id)
{
    bot_inbound_t in = {id, "kannel", phone, text};
    bot_outcome_t out;

    ck_assert_int_eq(bot_handle(&f->env, &in, &out), CB_OK);
    return out;
}

typedef struct found {
    const char *key;
    char text[1024], tname[128], klass[16];
    int n;
} found_t;

static int find_row(void *ud, const outbox_row_t *r)
{
    found_t *x = ud;

    x->n++;
    if (x->key != NULL && strcmp(r->key, x->key) == 0) {
        snprintf(x->text, sizeof x->text, "%s", r->text);
        snprintf(x->tname, sizeof x->tname, "%s", r->template_name);
        snprintf(x->klass, sizeof x->klass, "%s", r->klass);
    }
    return 0;
}

/* The answer to reply 'id' ("" when none), and how many outbox rows there are. */
static found_t answer(fix_t *f, const char *id)
{
    char key[96];
    found_t x = {key, "", "", "", 0};

    snprintf(key, sizeof key, "reply:%s", id);
    ck_assert_int_eq(store_outbox_list(f->st, NULL, 100000, find_row, &x), CB_OK);
    return x;
}

static int count_row(void *ud, const void *row)
{
    (void)row;
    (*(int *)ud)++;
    return 0;
}

static int claims(fix_t *f, char *receipts, size_t len);
static int claim_row(void *ud, const store_claim_row_t *c)
{
    char *buf = ud;
    size_t n = strlen(buf);

    snprintf(buf + n, 256 - n, "%s%lld:%s:%s", n ? " " : "", (long long)c->person_id, c->kind,
             c->receipt);
    return 0;
}

/* "person:kind:receipt ..." of every open claim; returns how many. */
static int claims(fix_t *f, char *buf, size_t len)
{
    int n = 0;

    ck_assert_uint_ge(len, 256);
    buf[0] = '\0';
    ck_assert_int_eq(store_claims_each(f->st, f->env.campaign, "open", claim_row, buf), CB_OK);
    for (const char *p = buf; *p; p++)
        n += *p == ':';
    return n / 2;
}

static int waiver_row(void *ud, const store_waiver_row_t *w)
{
    char *buf = ud;
    size_t n = strlen(buf);

    snprintf(buf + n, 256 - n, "%s%s:%d:%s", n ? " " : "", w->name, w->reason, w->state);
    return 0;
}

static void waivers(fix_t *f, char buf[256])
{
    buf[0] = '\0';
    ck_assert_int_eq(store_waivers_each(f->st, f->env.campaign, NULL, waiver_row, buf), CB_OK);
}

static int handoff_row(void *ud, const store_handoff_row_t *h)
{
    return count_row(ud, h);
}

static int handoffs(fix_t *f)
{
    int n = 0;
    ck_assert_int_eq(store_handoffs_open(f->st, handoff_row, &n), CB_OK);
    return n;
}

static int handoff_text_row(void *ud, const store_handoff_row_t *h)
{
    snprintf(ud, 256, "%s", h->text);
    return 0;
}

/* The text of the latest open handoff ("" when none). */
static void handoff_text(fix_t *f, char buf[256])
{
    buf[0] = '\0';
    ck_assert_int_eq(store_handoffs_open(f->st, handoff_text_row, buf), CB_OK);
}

static int unpaid_row(void *ud, const store_person_row_t *p)
{
    char *buf = ud;

    snprintf(buf + strlen(buf), 256 - strlen(buf), "%s ", p->name);
    return 0;
}

/* The names of the people the reminders would reach ("unpaid"), in roster order. */
static void unpaid(fix_t *f, char buf[256])
{
    buf[0] = '\0';
    ck_assert_int_eq(store_people_each(f->st, f->env.campaign, "unpaid", unpaid_row, buf), CB_OK);
}

START_TEST(paid_claims_and_replays)
{
    fix_t f;
    bot_outcome_t o;
    found_t a;
    char buf[256];

    setup(&f);
    roster(&f);
    o = say(&f, "13800000001", "已缴费，票号ABC12345678", "m1");
    ck_assert_int_eq(o.intent, INTENT_PAID_CLAIM);
    ck_assert_int_eq(o.replied, 1);
    ck_assert_int_eq(o.replay, 0);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "1:paid:ABC12345678");
    a = answer(&f, "m1");
    ck_assert_str_eq(a.tname, "claim_ack");
    ck_assert_str_eq(a.klass, "reply");
    ck_assert_ptr_nonnull(strstr(a.text, "“已缴费”"));
    ck_assert_ptr_nonnull(strstr(a.text, "核实"));
    /* The same message again: nothing changes. */
    o = say(&f, "13800000001", "已缴费，票号ABC12345678", "m1");
    ck_assert_int_eq(o.replay, 1);
    ck_assert_int_eq(o.replied, 0);
    ck_assert_int_eq(o.intent, INTENT_PAID_CLAIM);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    ck_assert_int_eq(answer(&f, "m1").n, 1);
    /* Said again in other words: the open claim is updated, the receipt kept. */
    o = say(&f, "13800000001", "我交了", "m2");
    ck_assert_int_eq(o.replied, 1);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "1:paid:ABC12345678");
    /* A household pays together: the two who owe get claims, not the 特困 member. */
    o = say(&f, "13800000003", "已经交了", "m3");
    ck_assert_int_eq(o.person_id, 3);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 3);
    ck_assert_str_eq(buf, "1:paid:ABC12345678 3:paid: 4:paid:");
    /* Covered elsewhere: the person's own claim of that kind. */
    o = say(&f, "13800000002", "我有职工医保", "m4");
    ck_assert_int_eq(o.intent, INTENT_COVERED_ELSEWHERE);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 4);
    ck_assert_ptr_nonnull(strstr(buf, "2:employee:"));
    ck_assert_ptr_nonnull(strstr(answer(&f, "m4").text, "“已参加职工医保”"));
    /* Someone recorded as paid: no claim, their status as the answer. */
    o = say(&f, "13800000005", "已缴费", "m5");
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 4);
    a = answer(&f, "m5");
    ck_assert_str_eq(a.tname, "answer_status");
    ck_assert_ptr_nonnull(strstr(a.text, "已参保缴费"));
    teardown(&f);
}
END_TEST

START_TEST(waiver_conversation)
{
    fix_t f;
    bot_outcome_t o;
    store_conv_t c;
    found_t a;
    char buf[256];

    setup(&f);
    roster(&f);
    o = say(&f, "13800000001", "我放弃", "w1");
    ck_assert_int_eq(o.intent, INTENT_WAIVER);
    a = answer(&f, "w1");
    ck_assert_str_eq(a.tname, "waiver_reason_question");
    ck_assert_ptr_nonnull(strstr(a.text, "1.参加商业保险；2.参加职工医疗保险"));
    ck_assert_int_eq(store_conv_by_phone(f.st, f.env.campaign, "13800000001", f.env.now, &c), 1);
    ck_assert_str_eq(c.state, "waiver_reason");
    ck_assert_int_eq(c.expires_at, f.env.now + BOT_WAIVER_TTL);
    waivers(&f, buf);
    ck_assert_str_eq(buf, "");
    /* A bare number completes it. */
    f.env.now += 3600;
    o = say(&f, "13800000001", "2", "w2");
    ck_assert_int_eq(o.intent, INTENT_WAIVER);
    waivers(&f, buf);
    ck_assert_str_eq(buf, "张三:2:pending");
    a = answer(&f, "w2");
    ck_assert_str_eq(a.tname, "waiver_ack");
    ck_assert_ptr_nonnull(strstr(a.text, "380元"));
    ck_assert_int_eq(store_conv_by_phone(f.st, f.env.campaign, "13800000001", f.env.now, &c), 0);
    /* "2" with nothing open is not understood: the worker gets it. */
    o = say(&f, "13800000001", "2", "w3");
    ck_assert_int_eq(o.intent, INTENT_UNKNOWN);
    ck_assert_int_eq(o.replied, 0);
    ck_assert_int_eq(handoffs(&f), 1);
    /* The conversation lapses after a day: a late number changes nothing. */
    say(&f, "13800000002", "不交了", "w4");
    f.env.now += BOT_WAIVER_TTL + 1;
    o = say(&f, "13800000002", "3", "w5");
    ck_assert_int_eq(o.intent, INTENT_UNKNOWN);
    waivers(&f, buf);
    ck_assert_str_eq(buf, "张三:2:pending");
    ck_assert_int_eq(handoffs(&f), 2);
    /* With the reason in the first reply, and for the whole owing household; a
     * change of mind costs their total (380 + 190). */
    o = say(&f, "13800000003", "放弃，原因是身体好", "w6");
    waivers(&f, buf);
    ck_assert_str_eq(buf, "张三:2:pending 王五:3:pending 王小六:3:pending");
    ck_assert_ptr_nonnull(strstr(answer(&f, "w6").text, "570元"));
    /* Confirmed waivers stay as they are. */
    ck_assert_int_eq(store_waiver_confirm(f.st, f.env.campaign, 1, "刘干部", f.env.now), 1);
    ck_assert_int_eq(store_waiver_confirm(f.st, f.env.campaign, 1, "刘干部", f.env.now), 0);
    say(&f, "13800000001", "放弃 1", "w7");
    waivers(&f, buf);
    ck_assert_ptr_nonnull(strstr(buf, "张三:2:confirmed"));
    teardown(&f);
}
END_TEST

START_TEST(opt_out_once)
{
    fix_t f;
    bot_outcome_t o;
    found_t a;

    setup(&f);
    roster(&f);
    say(&f, "13800000002", "不交了", "o0"); /* a conversation the opt-out ends */
    o = say(&f, "13800000002", "TD", "o1");
    ck_assert_int_eq(o.intent, INTENT_OPT_OUT);
    ck_assert_int_eq(o.replied, 1);
    ck_assert_int_eq(store_optout_has(f.st, "sms", "13800000002"), 1);
    a = answer(&f, "o1");
    ck_assert_str_eq(a.tname, "optout_ack");
    ck_assert_ptr_nonnull(strstr(a.text, "退订"));
    {
        store_conv_t c;
        ck_assert_int_eq(store_conv_by_phone(f.st, f.env.campaign, "13800000002", f.env.now, &c),
                         0);
    }
    /* Again: still opted out, no second confirmation, no answer to anything else. */
    o = say(&f, "13800000002", "退订", "o2");
    ck_assert_int_eq(o.intent, INTENT_OPT_OUT);
    ck_assert_int_eq(o.replied, 0);
    o = say(&f, "13800000002", "交多少钱", "o3");
    ck_assert_int_eq(o.intent, INTENT_QUESTION);
    ck_assert_int_eq(o.replied, 0);
    ck_assert_int_eq(answer(&f, "o3").n, 2); /* the waiver question and the confirmation */
    /* A stranger's opt-out is recorded, without an answer. */
    o = say(&f, "13999999999", "TD", "o4");
    ck_assert_int_eq(o.replied, 0);
    ck_assert_int_eq(store_optout_has(f.st, "sms", "13999999999"), 1);
    teardown(&f);
}
END_TEST

START_TEST(questions_about_oneself)
{
    fix_t f;
    bot_outcome_t o;
    found_t a;

    setup(&f);
    roster(&f);
    o = say(&f, "13800000002", "我要交多少钱", "q1");
    ck_assert_int_eq(o.intent, INTENT_QUESTION);
    a = answer(&f, "q1");
    ck_assert_str_eq(a.tname, "answer_amount");
    ck_assert_msg(strstr(a.text, "应缴190元（已扣除低保资助190元）") != NULL, "%s", a.text);
    ck_assert_ptr_null(strstr(a.text, "380"));
    say(&f, "13800000001", "要交多少钱", "q2");
    ck_assert_ptr_nonnull(strstr(answer(&f, "q2").text, "应缴380元，12月31日截止"));
    /* A shared phone hears about each member who owes, with full names. */
    say(&f, "13800000003", "交多少钱", "q3");
    a = answer(&f, "q3");
    ck_assert_msg(strstr(a.text, "2人未缴：王五380元、王小六190元，合计570元") != NULL, "%s",
                  a.text);
    ck_assert_ptr_null(strstr(a.text, "王老七"));
    say(&f, "13800000002", "有补贴吗", "q4");
    ck_assert_ptr_nonnull(strstr(answer(&f, "q4").text, "您属于低保，已资助190元，个人缴190元"));
    say(&f, "13800000001", "有补贴吗", "q5");
    ck_assert_ptr_nonnull(strstr(answer(&f, "q5").text, "不在资助名单内"));
    say(&f, "13800000001", "什么时候截止", "q6");
    a = answer(&f, "q6");
    ck_assert_ptr_nonnull(strstr(a.text, "12月31日截止，还有41天"));
    ck_assert_ptr_nonnull(strstr(a.text, "逾期需按1020元全额缴费"));
    say(&f, "13800000001", "在哪里交", "q7");
    ck_assert_ptr_nonnull(strstr(answer(&f, "q7").text, "村组POS机代收、湘税社保APP或手机银行"));
    /* Two things at once, in one SMS. */
    say(&f, "13800000002", "交多少钱？什么时候截止？", "q8");
    a = answer(&f, "q8");
    ck_assert_str_eq(a.tname, "answer_amount+answer_deadline");
    ck_assert_ptr_nonnull(strstr(a.text, "190元"));
    ck_assert_ptr_nonnull(strstr(a.text, "还有41天"));
    say(&f, "13800000001", "我交了吗", "q9");
    ck_assert_ptr_nonnull(strstr(answer(&f, "q9").text, "暂未查到"));
    teardown(&f);
}
END_TEST

/* A newborn question: the household's newborn hears their own 90-day window; a phone
 * without one hears the rule in general. */
START_TEST(newborn_questions)
{
    fix_t f;
    bot_outcome_t o;
    found_t a;
    int64_t baby;

    setup(&f);
    roster(&f);
    /* Born 1 October 2023: 50 days old on 20 November, the window ends 29 December. */
    baby = person_key(&f, 1, INT64_C(43092320231001011), "王宝宝", "13800000003", "", NULL);
    o = say(&f, "13800000003", "孩子刚出生怎么交", "n1");
    ck_assert_int_eq(o.intent, INTENT_QUESTION);
    ck_assert_int_eq(o.person_id, baby);
    a = answer(&f, "n1");
    ck_assert_str_eq(a.tname, "answer_newborn");
    ck_assert_msg(strstr(a.text, "王**出生90天内参保缴费，待遇从出生之日起享受。应缴380元，"
                                 "请在2023年12月29日前") != NULL,
                  "%s", a.text);
    o = say(&f, "13800000001", "新生儿怎么参保", "n2");
    ck_assert_int_eq(o.person_id, 1);
    a = answer(&f, "n2");
    ck_assert_str_eq(a.tname, "answer_newborn");
    ck_assert_msg(strstr(a.text, "新生儿出生90天内参保缴费，待遇从出生之日起享受。") != NULL &&
                      strstr(a.text, "缴纳380元") != NULL && strstr(a.text, "前通过") == NULL,
                  "%s", a.text);
    /* A child born 100 days ago is past the window: the rule in general. */
    person_key(&f, 0, INT64_C(43092320230812011), "张小宝", "13800000001", "", NULL);
    say(&f, "13800000001", "宝宝出生了要交吗", "n3");
    ck_assert_ptr_null(strstr(answer(&f, "n3").text, "2023年"));
    teardown(&f);
}
END_TEST

/* A reported death: a 'deceased' claim for the person, a handoff that says so, a
 * respectful answer, and no more reminders while the claim is open. */
START_TEST(death_reported)
{
    fix_t f;
    bot_outcome_t o;
    found_t a;
    char buf[256];

    setup(&f);
    roster(&f);
    unpaid(&f, buf);
    ck_assert_str_eq(buf, "张三 李四 王五 王小六 王老七 ");
    o = say(&f, "13800000001", "人已经走了", "d1");
    ck_assert_int_eq(o.intent, INTENT_DECEASED);
    ck_assert_int_eq(o.person_id, 1);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "1:deceased:");
    ck_assert_int_eq(handoffs(&f), 1);
    handoff_text(&f, buf);
    ck_assert_str_eq(buf, "死亡报告，请核实（核实后该人员不再催缴）：人已经走了");
    a = answer(&f, "d1");
    ck_assert_str_eq(a.tname, "deceased_ack");
    ck_assert_msg(strstr(a.text, "请节哀") != NULL && strstr(a.text, "应缴") == NULL, "%s",
                  a.text);
    unpaid(&f, buf);
    ck_assert_str_eq(buf, "李四 王五 王小六 王老七 ");
    /* Said again: the same claim, another handoff for the worker. */
    say(&f, "13800000001", "老人去世了", "d2");
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    ck_assert_int_eq(handoffs(&f), 2);
    teardown(&f);
}
END_TEST

START_TEST(unknown_and_strangers)
{
    fix_t f;
    bot_outcome_t o;

    setup(&f);
    roster(&f);
    o = say(&f, "13800000001", "你好，我想找村干部聊聊", "u2");
    ck_assert_int_eq(o.intent, INTENT_UNKNOWN);
    ck_assert_int_eq(o.replied, 0);
    ck_assert_int_eq(o.person_id, 1);
    o = say(&f, "13999999999", "已缴费", "u3");
    ck_assert_int_eq(o.person_id, 0);
    ck_assert_int_eq(o.replied, 0);
    ck_assert_int_eq(handoffs(&f), 2);
    ck_assert_int_eq(answer(&f, "u3").n, 0);
    teardown(&f);
}
END_TEST

START_TEST(inside_a_callers_transaction)
{
    fix_t f;
    bot_inbound_t in = {"t1", "kannel", "13800000001", "已缴费"};
    bot_outcome_t o;
    char buf[256];

    setup(&f);
    roster(&f);
    ck_assert_int_eq(store_begin(f.st), CB_OK);
    ck_assert_int_eq(bot_handle(&f.env, &in, &o), CB_OK);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    store_rollback(f.st);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 0);
    ck_assert_int_eq(bot_handle(&f.env, &in, &o), CB_OK);
    ck_assert_int_eq(o.replay, 0);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 1);
    in.msg_id = "";
    ck_assert_int_eq(bot_handle(&f.env, &in, &o), CB_EINVAL);
    /* While a roster import has the phone index down, senders are still found. */
    ck_assert_int_eq(store_bulk_begin(f.st), CB_OK);
    in.msg_id = "t2";
    in.sender = "13800000002";
    ck_assert_int_eq(bot_handle(&f.env, &in, &o), CB_OK);
    ck_assert_int_eq(o.person_id, 2);
    ck_assert_int_eq(store_bulk_end(f.st), CB_OK);
    ck_assert_int_eq(store_bulk_end(f.st), CB_OK);
    ck_assert_int_eq(claims(&f, buf, sizeof buf), 2);
    teardown(&f);
}
END_TEST

static const char survey_json[] =
    "{\"name\":\"why-2024\",\"title\":\"未缴费原因\",\"expires_hours\":48,\"questions\":["
    "{\"text\":\"您还没有缴费，是什么原因？\",\"choices\":[\"已在外地参保\",\"经济困难\",\"忘记了\"]},"
    "{\"text\":\"您对缴费有什么建议？\"}]}";

typedef struct tally {
    int64_t village[2];
    int64_t by[2][2][4]; /* step, village, choice */
} tally_t;

static int tally_row(void *ud, const store_answer_count_t *c)
{
    tally_t *t = ud;

    ck_assert_int_lt(c->step, 2);
    ck_assert_int_lt(c->choice, 4);
    t->by[c->step][c->area_id == t->village[1]][c->choice] += c->n;
    return 0;
}

START_TEST(survey_to_100)
{
    fix_t f;
    survey_t *s = NULL;
    tally_t t = {{0, 0}, {{{0}}}};
    char err[256] = "", phone[16], id[32];
    int64_t ids[100], n = 0;
    int want[2][4] = {{0}};

    setup(&f);
    ck_assert_int_eq(survey_parse(survey_json, strlen(survey_json), &s, err, sizeof err), CB_OK);
    ck_assert_int_eq(store_survey_add(f.st, s->name, survey_json, f.env.now), 1);
    ck_assert_int_eq(store_survey_add(f.st, s->name, survey_json, f.env.now), 0);
    ck_assert_int_eq(store_survey_add(f.st, s->name, "{}", f.env.now), CB_EEXIST);
    for (int i = 0; i < 100; i++) {
        snprintf(phone, sizeof phone, "139%08d", i);
        ids[i] = person(&f, i % 2, "孙某", phone, i % 5 == 0 ? "低保" : "", NULL);
        ck_assert_int_eq(bot_survey_start(&f.env, s, ids[i], phone), 1);
        ck_assert_int_eq(bot_survey_start(&f.env, s, ids[i], phone), 0); /* once */
    }
    {
        found_t x = {"survey:why-2024:13900000007", "", "", "", 0};
        ck_assert_int_eq(store_outbox_list(f.st, NULL, 1000, find_row, &x), CB_OK);
        ck_assert_int_eq(x.n, 100);
        ck_assert_str_eq(x.klass, "reminder");
        ck_assert_ptr_nonnull(strstr(x.text, "请回复数字：1.已在外地参保；2.经济困难；3.忘记了"));
    }
    for (int i = 0; i < 100; i++) {
        int choice = i % 3 + 1;

        snprintf(phone, sizeof phone, "139%08d", i);
        if (i == 7) { /* out of range: asked again, nothing recorded */
            snprintf(id, sizeof id, "s%d-bad", i);
            ck_assert_int_eq(say(&f, phone, "7", id).replied, 1);
            ck_assert_str_eq(answer(&f, id).tname, "survey_question");
        }
        snprintf(id, sizeof id, "s%d-a", i);
        ck_assert_int_eq(say(&f, phone, choice == 1 ? "1" : choice == 2 ? "2" : "3", id).intent,
                         INTENT_SURVEY_ANSWER);
        ck_assert_int_eq(say(&f, phone, "1", id).replay, 1); /* a replay counts once */
        ck_assert_ptr_nonnull(strstr(answer(&f, id).text, "请直接回复文字"));
        want[i % 2][choice]++;
        if (i % 4 == 0) { /* a quarter answer the free-text question too */
            snprintf(id, sizeof id, "s%d-b", i);
            ck_assert_int_eq(say(&f, phone, "希望村里代收", id).intent, INTENT_SURVEY_ANSWER);
            ck_assert_str_eq(answer(&f, id).tname, "survey_thanks");
            want[i % 2][0]++;
            n++;
        }
    }
    t.village[0] = f.village[0];
    t.village[1] = f.village[1];
    ck_assert_int_eq(store_survey_counts(f.st, s->name, tally_row, &t), CB_OK);
    for (int v = 0; v < 2; v++) {
        for (int c = 1; c < 4; c++)
            ck_assert_int_eq(t.by[0][v][c], want[v][c]);
        ck_assert_int_eq(t.by[1][v][0], want[v][0]);
    }
    ck_assert_int_eq(t.by[0][0][1] + t.by[0][1][1], 34);
    ck_assert_int_eq(t.by[0][0][2] + t.by[0][1][2], 33);
    ck_assert_int_eq(t.by[1][0][0] + t.by[1][1][0], n);
    ck_assert_int_eq(store_survey_respondents(f.st, s->name, &n), CB_OK);
    ck_assert_int_eq(n, 100);
    /* After the free-text question lapses (48 h), a number is no answer. */
    f.env.now += 49 * 3600;
    ck_assert_int_eq(say(&f, "13900000001", "2", "late").intent, INTENT_UNKNOWN);
    survey_destroy(s);
    teardown(&f);
}
END_TEST

START_TEST(survey_definitions)
{
    static const struct {
        const char *json, *err;
    } bad[] = {
        {"[", "not valid JSON"},
        {"{\"name\":\"a b\",\"questions\":[{\"text\":\"x\"}]}", "name: 1 to 63"},
        {"{\"name\":\"a\",\"questions\":[]}", "questions: must be a list of 1 to 10"},
        {"{\"name\":\"a\",\"questions\":[{\"text\":\"x\",\"choices\":[\"一\"]}]}",
         "questions[0].choices: must be a list of 2 to 9"},
        {"{\"name\":\"a\",\"questions\":[{\"text\":\"x\",\"choices\":[\"一\",\"这个选项写得实在是太长太长了\"]}]}",
         "questions[0].choices[1]: must have 1 to 12 characters"},
        {"{\"name\":\"a\",\"questions\":[{\"text\":\"x\",\"extra\":1}]}",
         "questions[0].extra: unknown key"},
        {"{\"name\":\"a\",\"expires_hours\":0,\"questions\":[{\"text\":\"x\"}]}", "expires_hours"},
    };
    char path[512], err[256], *json;
    survey_t *s = NULL;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_int_lt(survey_parse(bad[i].json, strlen(bad[i].json), &s, err, sizeof err), 0);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err, bad[i].err) != NULL, "%s: %s", bad[i].json, err);
    }
    snprintf(path, sizeof path, "%s/survey-why-unpaid.json", CB_EXAMPLES);
    json = slurp(path);
    ck_assert_int_eq(survey_parse(json, strlen(json), &s, err, sizeof err), CB_OK);
    ck_assert_int_eq(s->nquestions, 1);
    ck_assert_int_eq(s->questions[0].nchoices, 6);
    ck_assert_int_eq(s->expires_hours, SURVEY_DEFAULT_EXPIRES_HOURS);
    survey_destroy(s);
    free(json);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bot");
    TCase *tc = tcase_create("reply");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, paid_claims_and_replays);
    tcase_add_test(tc, waiver_conversation);
    tcase_add_test(tc, opt_out_once);
    tcase_add_test(tc, questions_about_oneself);
    tcase_add_test(tc, newborn_questions);
    tcase_add_test(tc, death_reported);
    tcase_add_test(tc, unknown_and_strangers);
    tcase_add_test(tc, inside_a_callers_transaction);
    tcase_add_test(tc, survey_to_100);
    tcase_add_test(tc, survey_definitions);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
