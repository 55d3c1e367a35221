/* SPDX-License-Identifier: MIT */
/*
 * test_todo.c - grid workers' to-do lists on a hand-made village where the right
 * order is known: the workers import, every ranking tier, scope precedence, visits
 * changing the next days' order, the job's files and message, and the worker reply
 * parser. The village is built through the real importers and store functions.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/config.h"
#include "channels/channel.h"
#include "jobs/jobs.h"
#include "jobs/todo.h"
#include "bot/reply.h"
#include "bot/worker_reply.h"
#include "core/err.h"
#include "core/mem.h"
#include "import_fixture.h"
#include "store/store_claim.h"
#include "store/store_outbox.h"
#include "store/store_people.h"
#include "store/store_worker.h"

/*
 * 冷市镇/南华村, all unpaid unless said. Households (person indices in brackets):
 *   H01 1组 [0]       低保: a special group
 *   H02 1组 [1-3]     nobody has a phone
 *   H03 1组 [4-5]     phones; an open claim (made in the test)
 *   H04 1组 [6-9]     phones, 4 unpaid
 *   H05 1组 [10]      phone, a reminder sent to it (made in the test)
 *   H06 1组 [11]      phone, never contacted
 *   H07 2组 [12]      group 2 has its own worker W2
 *   H08 1组 [13-14]   assigned to W3 (包户)
 *   H09 1组 [15]      paid: on nobody's list
 *   H10 1组 [16]      its phone opted out
 * Workers: W1 包村 南华村, W2 包组 2组, W3 包户 H08.
 */
static const struct {
    const char *hh, *group, *phone, *cat, *status;
    int n;
} village[] = {
    {"H01", "1组", "13900000001", "低保", "unpaid", 1},
    {"H02", "1组", "", "", "unpaid", 3},
    {"H03", "1组", "13900000003", "", "unpaid", 2},
    {"H04", "1组", "13900000004", "", "unpaid", 4},
    {"H05", "1组", "13900000005", "", "unpaid", 1},
    {"H06", "1组", "13900000006", "", "unpaid", 1},
    {"H07", "2组", "13900000007", "", "unpaid", 1},
    {"H08", "1组", "13900000008", "", "unpaid", 2},
    {"H09", "1组", "13900000009", "", "paid", 1},
    {"H10", "1组", "13900000010", "", "unpaid", 1},
};

static const char workers_csv[] = "工号,姓名,手机,乡镇,村,组,户号\n"
                                  "W1,陈建国,13800001001,冷市镇,南华村,,\n"
                                  "W2,刘红梅,13800001002,冷市镇,南华村,2组,\n"
                                  "W3,谢志强,13800001003,冷市镇,南华村,1组,H08\n";

static cb_date_t day0; /* 2023-11-20 */
static int64_t now0;

static void build(db_t *d)
{
    char path[256], id[IDCARD_LEN + 1], *csv = xmalloc(8192);
    size_t len = 0, person = 0;
    import_summary_t sum;
    outbox_msg_t *msgs = NULL;
    size_t nmsg = 0;
    outbox_result_t res;
    int64_t pid;
    store_resident_t r;

    ck_assert_int_eq(date_from_ymd(2023, 11, 20, &day0), CB_OK);
    now0 = 1700438400; /* 2023-11-20 08:00 China time */
    db_open(d, "lengshi-2024.json");
    len += (size_t)snprintf(csv, 8192, "id_number,name,phone,household,township,village,group,"
                                       "category,status\n");
    for (size_t h = 0; h < sizeof village / sizeof village[0]; h++) {
        for (int k = 0; k < village[h].n; k++, person++) {
            person_id(person, id);
            len += (size_t)snprintf(csv + len, 8192 - len, "%s,人%zu,%s,%s,冷市镇,南华村,%s,%s,%s\n",
                                    id, person, village[h].phone, village[h].hh, village[h].group,
                                    village[h].cat, village[h].status);
        }
    }
    spew(tmp_path(d, "roster.csv", path, sizeof path), csv);
    free(csv);
    import_ok(d, "roster", NULL, path, NULL, &sum);
    expect_sum(&sum, 17, 0, 0, 0);
    spew(tmp_path(d, "workers.csv", path, sizeof path), workers_csv);
    import_ok(d, "workers", NULL, path, NULL, &sum);
    expect_sum(&sum, 3, 0, 0, 0);

    /* H03: a claim; H05: a reminder sent yesterday; H10: opted out. */
    person_id(4, id);
    resident(d, id, &r);
    pid = r.id;
    store_resident_free(&r);
    ck_assert_int_eq(store_claim_add(d->st, d->env.campaign, pid, "paid", NULL, "我交了", now0), 1);
    outbox_new_t m = {.key = "t:1", .campaign_id = d->env.campaign, .route = "sms",
                      .klass = OB_REMINDER, .recipient = "13900000005",
                      .template_name = "remind_periodic", .text = "请缴费"};
    ck_assert_int_eq(store_outbox_enqueue(d->st, &m, now0 - 86400), 1);
    ck_assert_int_eq(store_outbox_claim(d->st, now0 - 86400, 60, 10, &msgs, &nmsg), CB_OK);
    ck_assert_uint_eq(nmsg, 1);
    res = (outbox_result_t){.id = msgs[0].id, .outcome = OB_SENT, .at = now0 - 86400};
    ck_assert_int_eq(store_outbox_record(d->st, &res, 1), CB_OK);
    store_outbox_msgs_free(msgs, nmsg);
    ck_assert_int_eq(store_optout_add(d->st, "sms", "13900000010", "test", now0), 1);
}

static int64_t worker_id(db_t *d, const char *code)
{
    store_worker_t w;
    int64_t id;

    ck_assert_int_eq(store_worker_get(d->st, code, &w), CB_OK);
    id = w.id;
    store_worker_free(&w);
    return id;
}

/* The list's household codes joined by ' ', and the list itself in *out. */
static void order(db_t *d, const char *code, cb_date_t day, char *buf, size_t n,
                  todo_list_t *out)
{
    todo_list_t l;
    size_t len = 0;

    ck_assert_int_eq(todo_rank(d->st, d->env.campaign, worker_id(d, code), day, now0 + 86400 * 10,
                               &l),
                     CB_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < l.n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " " : "", l.v[i].code);
    if (out != NULL)
        *out = l;
    else
        todo_list_free(&l);
}

static const todo_entry_t *entry(const todo_list_t *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].code, code) == 0)
            return &l->v[i];
    }
    ck_abort_msg("%s not on the list", code);
    return NULL;
}

START_TEST(every_tier_in_order)
{
    db_t d;
    char got[256], why[256];
    todo_list_t l;

    build(&d);
    order(&d, "W1", day0, got, sizeof got, &l);
    /* what a resident said first (H03's claim); special; unreachable by unpaid (H02 3,
     * H10 1); the rest by unpaid, then never contacted before contacted. */
    ck_assert_str_eq(got, "H03 H01 H02 H10 H04 H06 H05");
    ck_assert_int_eq(entry(&l, "H01")->tier, TODO_SPECIAL_TIER);
    ck_assert_int_eq(entry(&l, "H02")->tier, TODO_UNREACHABLE_TIER);
    ck_assert(entry(&l, "H02")->reasons & TODO_R_NO_PHONE);
    ck_assert(entry(&l, "H10")->reasons & TODO_R_UNREACHABLE);
    ck_assert_int_eq(entry(&l, "H03")->tier, TODO_WAITING_TIER);
    ck_assert_int_eq(entry(&l, "H03")->claims, 1);
    ck_assert_int_eq(entry(&l, "H04")->unpaid, 4);
    ck_assert(entry(&l, "H06")->reasons & TODO_R_NEVER);
    ck_assert(!(entry(&l, "H05")->reasons & TODO_R_NEVER));
    todo_reasons(entry(&l, "H01"), 1, why, sizeof why);
    ck_assert_str_eq(why, "特殊群体未缴1人；从未联系；未缴费1人");
    todo_reasons(entry(&l, "H02"), 0, why, sizeof why);
    ck_assert_str_eq(why, "no_phone,never_contacted,unpaid");
    todo_list_free(&l);
    db_close(&d);
}
END_TEST

START_TEST(most_specific_scope_wins)
{
    db_t d;
    char got[256];

    build(&d);
    order(&d, "W2", day0, got, sizeof got, NULL);
    ck_assert_str_eq(got, "H07");
    order(&d, "W3", day0, got, sizeof got, NULL);
    ck_assert_str_eq(got, "H08");
    order(&d, "W1", day0, got, sizeof got, NULL);
    ck_assert_ptr_null(strstr(got, "H07"));
    ck_assert_ptr_null(strstr(got, "H08"));
    ck_assert_ptr_null(strstr(got, "H09")); /* paid */
    ck_assert_int_eq(store_worker_owns(d.st, worker_id(&d, "W1"), 8), 0);
    db_close(&d);
}
END_TEST

static int64_t household(db_t *d, const char *code)
{
    int64_t id;

    ck_assert_int_eq(store_household_find(d->st, code, strlen(code), &id), CB_OK);
    return id;
}

START_TEST(visits_change_tomorrow)
{
    db_t d;
    char got[256], day[11];
    todo_list_t l;
    int members = -1;
    int64_t w1;

    build(&d);
    w1 = worker_id(&d, "W1");
    date_format(day0, day);
    /* H04 promised, H06 says it paid, H01 (special) is away. */
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H04"), w1,
                                     VISIT_PROMISED, NULL, day, now0, &members), CB_OK);
    ck_assert_int_eq(members, 0);
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H06"), w1, VISIT_PAID,
                                     "微信缴的", day, now0, &members), CB_OK);
    ck_assert_int_eq(members, 1);
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H01"), w1, VISIT_AWAY,
                                     NULL, day, now0, NULL), CB_OK);
    /* Tomorrow: H06's claim waits for the worker (first, with H03's); H04 and H01 rest
     * at the end. */
    order(&d, "W1", day0 + 1, got, sizeof got, &l);
    ck_assert_str_eq(got, "H03 H06 H02 H10 H05 H04 H01");
    ck_assert_int_eq(entry(&l, "H06")->tier, TODO_WAITING_TIER);
    ck_assert_int_eq(entry(&l, "H04")->tier, TODO_RESTING_TIER);
    ck_assert_int_eq(entry(&l, "H04")->rest_until, day0 + TODO_REST_PROMISED);
    ck_assert_str_eq(entry(&l, "H04")->visit_outcome, "promised");
    todo_list_free(&l);
    /* After 3 days H04 is back, marked as an unkept promise; H01 still rests. */
    order(&d, "W1", day0 + TODO_REST_PROMISED, got, sizeof got, &l);
    ck_assert_str_eq(got, "H03 H06 H02 H10 H04 H05 H01");
    ck_assert(entry(&l, "H04")->reasons & TODO_R_PROMISED);
    ck_assert(!(entry(&l, "H04")->reasons & TODO_R_RESTING));
    todo_list_free(&l);
    /* After a week H01 heads the list again. */
    order(&d, "W1", day0 + TODO_REST_AWAY, got, sizeof got, NULL);
    ck_assert_str_eq(got, "H03 H06 H01 H02 H10 H04 H05");
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM claim WHERE text = '微信缴的'"), 1);
    db_close(&d);
}
END_TEST

static int count_person(void *ud, const store_person_row_t *p)
{
    (void)p;
    ++*(int *)ud;
    return 0;
}

static int unpaid_people(db_t *d)
{
    int n = 0;

    ck_assert_int_eq(store_people_each(d->st, d->env.campaign, "unpaid", count_person, &n), 0);
    return n;
}

/* A death or cover elsewhere reported at a visit is a claim for the members the note
 * names (all unpaid ones when it names none); while it and a waiver are pending, the
 * people get no "unpaid" reminders (store_people_each), and a verdict lifts that. */
START_TEST(reported_deaths_and_waivers_stop_reminders)
{
    db_t d;
    char day[11];
    int members = -1, before;
    int64_t w1, pid = 0;

    build(&d);
    w1 = worker_id(&d, "W1");
    date_format(day0, day);
    before = unpaid_people(&d);
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H02"), w1,
                                     VISIT_DECEASED, "人2上月去世", day, now0, &members),
                     CB_OK);
    ck_assert_int_eq(members, 1);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM claim c JOIN person p ON p.id ="
                                   " c.person_id WHERE c.kind = 'deceased' AND p.name = '人2'"
                                   " AND c.state = 'open'"),
                     1);
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H04"), w1,
                                     VISIT_INSURED_ELSEWHERE, NULL, day, now0, &members),
                     CB_OK);
    ck_assert_int_eq(members, 4);
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H05"), w1,
                                     VISIT_WAIVED, NULL, day, now0, &members), CB_OK);
    ck_assert_int_eq(unpaid_people(&d), before - 1 - 4 - 1);
    /* A "paid" claim keeps its reminders: paying is still the way out. */
    ck_assert_int_eq(store_visit_add(d.st, d.env.campaign, household(&d, "H06"), w1, VISIT_PAID,
                                     NULL, day, now0, &members), CB_OK);
    ck_assert_int_eq(unpaid_people(&d), before - 6);
    /* A rejected report: the person is back among the unpaid. */
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM visit WHERE outcome = 'deceased'"), 1);
    {
        char kind[24], status[24];
        int64_t id = sql_count(&d, "SELECT id FROM claim WHERE kind = 'deceased'");
        ck_assert_int_eq(store_claim_resolve(d.st, d.env.campaign, id, "rejected", "W1", now0,
                                             &pid, kind, status), 1);
    }
    ck_assert_int_eq(unpaid_people(&d), before - 5);
    db_close(&d);
}
END_TEST

START_TEST(reimport_replaces_scopes_and_rejects_unknown_areas)
{
    db_t d;
    char path[256], report[256];
    import_summary_t sum;

    build(&d);
    tmp_path(&d, "workers.csv", path, sizeof path);
    import_ok(&d, "workers", NULL, path, NULL, &sum);
    expect_sum(&sum, 0, 0, 3, 0);
    /* W1 now answers for 1组 only; a village and a household that do not exist. */
    spew(tmp_path(&d, "workers2.csv", path, sizeof path),
         "code,name,phone,township,village,group,household\n"
         "W1,陈建国,13800001001,冷市镇,南华村,1组,\n"
         "W4,王五,,冷市镇,北华村,,\n"
         "W4,王五,,冷市镇,南华村,1组,H99\n");
    import_ok(&d, "workers", NULL, path, tmp_path(&d, "rep.csv", report, sizeof report), &sum);
    expect_sum(&sum, 0, 1, 0, 2);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM worker_scope s JOIN area a"
                                   " ON a.id = s.area_id WHERE a.level = 2"),
                     0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM worker_scope s JOIN worker w"
                                   " ON w.id = s.worker_id JOIN area a ON a.id = s.area_id"
                                   " WHERE w.code = 'W1' AND a.level = 3 AND a.name = '1组'"),
                     1);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM worker_scope s JOIN worker w"
                                   " ON w.id = s.worker_id WHERE w.code = 'W1'"),
                     1);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM worker WHERE code = 'W4'"), 0);
    {
        size_t len = 0;
        char *text = slurp(report, &len);
        ck_assert_msg(strstr(text, "\"3\",\"village\",\"unknown village '北华村'\"") != NULL, "%s", text);
        ck_assert_msg(strstr(text, "\"4\",\"household\",\"unknown household 'H99'\"") != NULL, "%s", text);
        free(text);
    }
    db_close(&d);
}
END_TEST

START_TEST(job_writes_files_and_queues_once)
{
    db_t d;
    app_config_t cfg;
    char err[512], out[256], path[512], msg[4096], *text;
    size_t len;
    job_result_t res;
    job_env_t env;
    struct stat sb;

    build(&d);
    ck_assert_int_eq(app_config_load(NULL, d.path, &cfg, err, sizeof err), CB_OK);
    free(cfg.jobs.out_dir);
    cfg.jobs.out_dir = xstrdup(tmp_path(&d, "out", out, sizeof out));
    env = (job_env_t){.st = d.st, .pol = d.pol, .campaign = d.env.campaign, .cfg = &cfg.jobs,
                      .now = now0, .today = day0, .quiet = 1};
    ck_assert_int_eq(job_todo(&env, &res), CB_OK);
    ck_assert_uint_eq(res.queued, 3);
    ck_assert_msg(strstr(res.summary, "3 workers") != NULL, "%s", res.summary);
    ck_assert_int_eq(job_todo(&env, &res), CB_OK);
    ck_assert_uint_eq(res.queued, 0);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM outbox WHERE key = 'todo:W1:2023-11-20'"
                                   " AND recipient = '13800001001' AND class = 'notice'"),
                     1);
    snprintf(path, sizeof path, "%s/todo/2023-11-20/W1.csv", out);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    text = slurp(path, &len);
    /* One line per unpaid member, households in rank order, IDs masked, phones full. */
    ck_assert_ptr_nonnull(strstr(text, "2,H01,冷市镇,南华村,1组,"));
    ck_assert_ptr_nonnull(strstr(text, "13900000001"));
    ck_assert_ptr_null(strstr(text, "430923195001011"));
    ck_assert(strstr(text, "\n3,H02,") < strstr(text, "\n5,H04,"));
    /* Who said what, first: H03's claim, the resident's own words. */
    ck_assert_msg(strstr(text, "\n1,H03,") != NULL && strstr(text, ",人4说已缴费：我交了\n") != NULL,
                  "%s", text);
    free(text);
    snprintf(path, sizeof path, "%s/todo/2023-11-20/W1.html", out);
    text = slurp(path, &len);
    ck_assert_ptr_nonnull(strstr(text, "<meta charset=\"utf-8\">"));
    ck_assert_ptr_nonnull(strstr(text, "@media print"));
    ck_assert_ptr_nonnull(strstr(text, "陈建国（W1）待办名单 2023-11-20"));
    /* A phone's 390 px: the viewport is the device's, cells stack on narrow screens. */
    ck_assert_ptr_nonnull(strstr(text, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    ck_assert_ptr_nonnull(strstr(text, "@media screen and (max-width:600px)"));
    ck_assert_ptr_nonnull(strstr(text, "table,tbody,tr,td{display:block;width:auto}"));
    ck_assert_ptr_nonnull(strstr(text, "<span class=\"said\">人4说已缴费：我交了</span>"));
    free(text);
    sql_rows(&d, "SELECT text FROM outbox WHERE key = 'todo:W1:2023-11-20'", NULL, msg,
             sizeof msg);
    ck_assert_msg(strstr(msg, "2. H01 人0：特殊群体未缴1人") != NULL, "%s", msg);
    ck_assert_msg(strstr(msg, "5. H04 人6等4人") != NULL, "%s", msg);
    ck_assert_msg(strstr(msg, "另有2户见完整名单") != NULL, "%s", msg);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM todo_item"), 7 + 1 + 1);
    app_config_free(&cfg);
    db_close(&d);
}
END_TEST

/* The to-do message on 'route' of a config with a Kannel SMS channel (max_parts 3, a
 * signature and an opt-out suffix, as examples/config-local.json) and a WeCom robot. */
static void todo_message(db_t *d, const char *route, char *msg, size_t n, int *parts)
{
    static const char cfg_json[] =
        "{\"channels\": [{\"name\": \"k\", \"type\": \"kannel\","
        " \"url\": \"http://127.0.0.1:9/cgi-bin/sendsms\", \"username\": \"u\","
        " \"password\": \"p\", \"max_parts\": 3, \"signature\": \"【某某县医保】\","
        " \"optout_suffix\": \"拒收请回复R\"},"
        " {\"name\": \"w\", \"type\": \"wecom\","
        " \"url\": \"http://127.0.0.1:9/cgi-bin/webhook/send?key=K\"}],"
        " \"routes\": {\"sms\": [\"k\"], \"robot\": [\"w\"]},"
        " \"templates\": {\"max_segments\": 3},"
        " \"jobs\": {\"todo_route\": \"%s\", \"out_dir\": \"%s\"}}";
    app_config_t cfg;
    char path[256], out[256], json[1024], err[512];
    job_result_t res;
    job_env_t env;

    tmp_path(d, "out", out, sizeof out);
    snprintf(json, sizeof json, cfg_json, route, out);
    spew(tmp_path(d, "cfg.json", path, sizeof path), json);
    ck_assert_msg(app_config_load(path, d->path, &cfg, err, sizeof err) == CB_OK, "%s", err);
    env = (job_env_t){.st = d->st, .pol = d->pol, .campaign = d->env.campaign, .cfg = &cfg.jobs,
                      .now = now0, .today = day0, .quiet = 1};
    ck_assert_msg(job_todo(&env, &res) == CB_OK, "%s", res.summary);
    sql_rows(d, "SELECT text FROM outbox WHERE key = 'todo:W1:2023-11-20'", NULL, msg, n);
    *parts = 0;
    free(channel_render(jobs_route(&cfg.jobs, route)->chans[0], msg, parts));
    app_config_free(&cfg);
}

/* Over Kannel with max_parts 3 the list is cut to fit (the rest counted), with no
 * markdown; a robot route gets the markdown heading and the whole short list. */
START_TEST(todo_message_fits_the_route)
{
    db_t d;
    char msg[4096];
    int parts;

    build(&d);
    todo_message(&d, "sms", msg, sizeof msg, &parts);
    ck_assert_msg(parts >= 1 && parts <= 3, "%d parts: %s", parts, msg);
    ck_assert_msg(strncmp(msg, "####", 4) != 0, "%s", msg);
    ck_assert_msg(strstr(msg, "1. H03 人4等2人：待核实缴费声明1人") != NULL, "%s", msg);
    ck_assert_msg(strstr(msg, "户见完整名单") != NULL, "%s", msg);
    db_close(&d);
    build(&d);
    todo_message(&d, "robot", msg, sizeof msg, &parts);
    ck_assert_int_eq(parts, 0);
    ck_assert_msg(strncmp(msg, "#### 陈建国今日待办", strlen("#### 陈建国今日待办")) == 0, "%s", msg);
    ck_assert_msg(strstr(msg, "5. H04 人6等4人") != NULL, "%s", msg);
    db_close(&d);
}
END_TEST

START_TEST(worker_reply_through_the_bot)
{
    db_t d;
    tplset_t *set = NULL;
    bot_env_t env;
    bot_outcome_t o;
    bot_inbound_t in = {"m1", "cli", "13800001001", "2 外出 去广东了"};
    int64_t w1;

    build(&d);
    w1 = worker_id(&d, "W1");
    ck_assert_int_eq(store_todo_item_put(d.st, w1, "2023-11-20", 2, household(&d, "H02")), 1);
    ck_assert_int_eq(tplset_load(NULL, NULL, &set, NULL, 0), CB_OK);
    env = (bot_env_t){d.st, d.pol, d.env.campaign, set, day0, now0, "sms", "sms", 0};
    ck_assert_int_eq(bot_handle(&env, &in, &o), CB_OK);
    ck_assert_int_eq(o.replied, 1);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM visit v JOIN household h"
                                   " ON h.id = v.household_id WHERE h.code = 'H02'"
                                   " AND v.outcome = 'away' AND v.note = '去广东了'"),
                     1);
    in = (bot_inbound_t){"m2", "cli", "13800001001", "H07 已缴"}; /* W2's household */
    ck_assert_int_eq(bot_handle(&env, &in, &o), CB_OK);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM outbox WHERE key = 'reply:m2' AND text"
                                   " LIKE '%不在您的包保范围%'"),
                     1);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM claim WHERE text = '走访登记'"), 1);
    /* From a resident's phone the same text is no visit. */
    in = (bot_inbound_t){"m3", "cli", "13900000004", "2 外出"};
    ck_assert_int_eq(bot_handle(&env, &in, &o), CB_OK);
    ck_assert_int_eq(sql_count(&d, "SELECT count(*) FROM visit"), 2);
    tplset_destroy(set);
    db_close(&d);
}
END_TEST

static const struct {
    const char *text;
    int ok, pos;
    const char *household;
    visit_outcome_t outcome;
    const char *note;
} cases[] = {
    {"3 已缴", 1, 3, "", VISIT_PAID, ""},
    {"3号已缴费", 1, 3, "", VISIT_PAID, ""},
    {"  12，承诺 月底前", 1, 12, "", VISIT_PROMISED, "月底前"},
    {"H001 外出", 1, 0, "H001", VISIT_AWAY, ""},
    {"４　拒缴", 1, 4, "", VISIT_REFUSED, ""},
    {"4309231012010061 不缴", 1, 0, "4309231012010061", VISIT_REFUSED, ""},
    {"5 不参保 有商业保险", 1, 5, "", VISIT_WAIVED, "有商业保险"},
    {"7 不在家", 1, 7, "", VISIT_AWAY, ""},
    {"2 PAID", 1, 2, "", VISIT_PAID, ""},
    {"ｈ００２ 答应", 1, 0, "h002", VISIT_PROMISED, ""},
    {"8号户承诺了", 1, 8, "", VISIT_PROMISED, ""},
    {"3 去世 人4", 1, 3, "", VISIT_DECEASED, "人4"},
    {"H003 外地参保", 1, 0, "H003", VISIT_INSURED_ELSEWHERE, ""}, /* not 外地: away */
    {"6号 职工医保 在厂里", 1, 6, "", VISIT_INSURED_ELSEWHERE, "在厂里"},
    {"已缴", 0, 0, "", VISIT_PAID, ""},       /* no target: a resident's reply */
    {"3", 0, 0, "", VISIT_PAID, ""},          /* a survey answer, not a visit */
    {"0 已缴", 0, 0, "", VISIT_PAID, ""},     /* no position 0 */
    {"3 怎么缴", 0, 0, "", VISIT_PAID, ""},   /* no outcome word */
    {"我3号交了", 0, 0, "", VISIT_PAID, ""},  /* does not start with a target */
};

START_TEST(reply_parser_table)
{
    worker_reply_t r;
    int rc = worker_reply_parse(cases[_i].text, strlen(cases[_i].text), &r);

    ck_assert_msg((rc == CB_OK) == cases[_i].ok, "'%s': rc %d", cases[_i].text, rc);
    if (!cases[_i].ok)
        return;
    ck_assert_int_eq(r.pos, cases[_i].pos);
    ck_assert_str_eq(r.household, cases[_i].household);
    ck_assert_int_eq(r.outcome, cases[_i].outcome);
    ck_assert_str_eq(r.note, cases[_i].note);
}
END_TEST

START_TEST(outcome_words)
{
    ck_assert_int_eq(worker_outcome_find("paid", 4), VISIT_PAID);
    ck_assert_int_eq(worker_outcome_find("已缴", strlen("已缴")), VISIT_PAID);
    ck_assert_int_eq(worker_outcome_find("外出", strlen("外出")), VISIT_AWAY);
    ck_assert_int_eq(worker_outcome_find("不缴", strlen("不缴")), VISIT_REFUSED);
    ck_assert_int_eq(worker_outcome_find("已缴了", strlen("已缴了")), -1);
    ck_assert_int_eq(worker_outcome_find("gone", 4), -1);
}
END_TEST

static Suite *todo_suite(void)
{
    Suite *s = suite_create("todo");
    TCase *rank = tcase_create("rank");
    TCase *parse = tcase_create("parse");

    tcase_add_unchecked_fixture(rank, base_setup, base_teardown);
    tcase_set_timeout(rank, 120);
    tcase_add_test(rank, every_tier_in_order);
    tcase_add_test(rank, most_specific_scope_wins);
    tcase_add_test(rank, visits_change_tomorrow);
    tcase_add_test(rank, reported_deaths_and_waivers_stop_reminders);
    tcase_add_test(rank, reimport_replaces_scopes_and_rejects_unknown_areas);
    tcase_add_test(rank, job_writes_files_and_queues_once);
    tcase_add_test(rank, worker_reply_through_the_bot);
    tcase_add_test(rank, todo_message_fits_the_route);
    suite_add_tcase(s, rank);
    tcase_add_loop_test(parse, reply_parser_table, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(parse, outcome_words);
    suite_add_tcase(s, parse);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(todo_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
