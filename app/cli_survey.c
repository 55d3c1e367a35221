/* SPDX-License-Identifier: MIT */
/*
 * cli_survey.c - 'canbao survey start FILE --to SEGMENT' asks a segment of
 * residents a survey by SMS (one conversation and one first question per phone;
 * the bot takes the answers and asks the next questions), and 'canbao survey
 * results NAME' counts the answers per village and choice.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli_botenv.h"
#include "jobs/segment.h"
#include "bot/survey.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/safetext.h"
#include "store/store_people.h"
#include "store/store_survey.h"

typedef struct starter {
    const bot_env_t *env;
    const survey_t *survey;
    segment_t *seg;
    char phone[16]; /* the phone last asked: one question per phone */
    int64_t people, phones, started, no_phone;
} starter_t;

static int start_one(void *ud, const store_person_row_t *p)
{
    starter_t *s = ud;
    uint64_t mask = 0;
    int rc;

    if (catset_parse(s->env->pol, p->categories, strlen(p->categories), &mask, NULL, 0) < 0)
        mask = 0;
    if (!segment_match(s->seg, p->id, p->area_id, mask))
        return 0;
    s->people++;
    if (p->phone[0] == '\0') {
        s->no_phone++;
        return 0;
    }
    if (strcmp(p->phone, s->phone) == 0)
        return 0; /* rows come ordered by phone: a household's phone is asked once */
    snprintf(s->phone, sizeof s->phone, "%s", p->phone);
    s->phones++;
    rc = bot_survey_start(s->env, s->survey, p->id, p->phone);
    if (rc < 0)
        return rc;
    s->started += rc;
    return 0;
}

/* Every question, with the worst-case person of the template check, must fit. */
static int check_length(const cli_bot_t *b, const survey_t *s, char *err, size_t errlen)
{
    const tpl_t *t = tplset_get(b->tpl, "survey_question");
    sms_count_t sc = {0};
    int rc = 0;

    for (int i = 0; i < s->nquestions && rc == 0; i++) {
        tpl_ctx_t *ctx = NULL;
        char *text;

        if (tplset_sample("survey_question", 0, &ctx) < 0)
            return CB_ECONFIG;
        survey_question_ctx(s, i, ctx);
        text = tpl_render(t, ctx);
        if (tplset_sms_count(text, b->sms_extra_chars, &sc) < 0 || sc.segments > b->cfg.max_segments) {
            snprintf(err, errlen,
                     "question %d costs %d SMS parts (%zu characters with a long name and what "
                     "the channel adds), at most %d: shorten it or its choices",
                     i + 1, sc.segments, sc.chars, b->cfg.max_segments);
            rc = CB_ETOOBIG;
        }
        free(text);
        tpl_ctx_destroy(ctx);
    }
    return rc;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;

    if (fp == NULL)
        return NULL;
    buf = xmalloc(65537);
    *len = fread(buf, 1, 65536, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

static int start(const cli_t *c, const char *file, const char *to, const char *config,
                 const char *route)
{
    starter_t s = {0};
    survey_t *sv = NULL;
    cli_bot_t b;
    size_t len = 0;
    char err[512], *json = read_all(file, &len);
    int rc = CB_ECONFIG;

    if (json == NULL) {
        fprintf(stderr, "canbao survey: cannot read %s\n", file);
        return EXIT_FATAL;
    }
    if (survey_parse(json, len, &sv, err, sizeof err) < 0) {
        fprintf(stderr, "canbao survey: %s: %s\n", file, err);
        free(json);
        return EXIT_FATAL;
    }
    if (cli_bot_open(c, "survey", config, route, &b) != 0)
        goto out;
    rc = check_length(&b, sv, err, sizeof err);
    if (rc == CB_OK)
        rc = segment_parse(to, b.st, b.pol, b.env.campaign, &s.seg, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao survey: %s\n", err);
        goto out;
    }
    s.env = &b.env;
    s.survey = sv;
    rc = store_begin(b.st);
    if (rc == CB_OK)
        rc = store_survey_add(b.st, sv->name, json, c->now);
    if (rc >= 0)
        rc = store_people_each(b.st, b.env.campaign, segment_status(s.seg), start_one, &s);
    if (rc >= 0)
        rc = store_commit(b.st);
    if (rc < 0) {
        store_rollback(b.st);
        fprintf(stderr, "canbao survey: %s\n", store_errmsg(b.st));
        goto out;
    }
    printf("survey %s: %d question(s), %lld people, %lld phones: started on %lld, skipped %lld "
           "(asked before, opted out, or busy with another question), %lld without a phone\n",
           sv->name, sv->nquestions, (long long)s.people, (long long)s.phones,
           (long long)s.started, (long long)(s.phones - s.started), (long long)s.no_phone);
out:
    segment_destroy(s.seg);
    cli_bot_close(&b);
    survey_destroy(sv);
    free(json);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}

/* One village's counts for one question. */
typedef struct row {
    const char *township, *village;
    int64_t choice[SURVEY_MAX_CHOICES + 1]; /* [0]: free text */
    int64_t total;
} row_t;

typedef struct tally {
    segment_t *seg;
    int nq;
    row_t *rows[SURVEY_MAX_QUESTIONS];
    size_t nrows[SURVEY_MAX_QUESTIONS];
    row_t all[SURVEY_MAX_QUESTIONS];
} tally_t;

static int add_count(void *ud, const store_answer_count_t *c)
{
    tally_t *t = ud;
    const char *town, *village, *group;
    size_t i, q = (size_t)c->step;
    row_t *r;

    if (c->step < 0 || c->step >= t->nq || c->choice < 0 || c->choice > SURVEY_MAX_CHOICES)
        return 0; /* not in the definition: cannot happen for answers the bot took */
    segment_place(t->seg, c->area_id, &town, &village, &group);
    for (i = 0; i < t->nrows[q]; i++) {
        if (strcmp(t->rows[q][i].township, town) == 0 && strcmp(t->rows[q][i].village, village) == 0)
            break;
    }
    if (i == t->nrows[q]) {
        t->rows[q] = xrealloc(t->rows[q], (i + 1) * sizeof *r);
        t->rows[q][i] = (row_t){.township = town, .village = village};
        t->nrows[q]++;
    }
    r = &t->rows[q][i];
    r->choice[c->choice] += c->n;
    r->total += c->n;
    t->all[q].choice[c->choice] += c->n;
    t->all[q].total += c->n;
    return 0;
}

static cJSON *row_json(const row_t *r, const survey_question_t *q)
{
    cJSON *o = cJSON_CreateObject(), *arr;

    if (r->township != NULL) {
        cJSON_AddStringToObject(o, "township", r->township);
        cJSON_AddStringToObject(o, "village", r->village);
    }
    cJSON_AddNumberToObject(o, "answers", (double)r->total);
    arr = cJSON_AddArrayToObject(o, "choices");
    for (int k = 1; k <= q->nchoices; k++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)r->choice[k]));
    return o;
}

static void print_json(const survey_t *s, const tally_t *t, int64_t respondents)
{
    cJSON *o = cJSON_CreateObject(), *qs = cJSON_AddArrayToObject(o, "questions");

    cJSON_AddStringToObject(o, "survey", s->name);
    cJSON_AddStringToObject(o, "title", s->title);
    cJSON_AddNumberToObject(o, "respondents", (double)respondents);
    for (int i = 0; i < s->nquestions; i++) {
        const survey_question_t *q = &s->questions[i];
        cJSON *jq = cJSON_CreateObject(), *ch = cJSON_AddArrayToObject(jq, "choices"), *vs;

        cJSON_AddNumberToObject(jq, "number", i + 1);
        cJSON_AddStringToObject(jq, "text", q->text);
        cJSON_AddBoolToObject(jq, "free_text", q->nchoices == 0);
        for (int k = 0; k < q->nchoices; k++)
            cJSON_AddItemToArray(ch, cJSON_CreateString(q->choices[k]));
        cJSON_AddItemToObject(jq, "total", row_json(&t->all[i], q));
        vs = cJSON_AddArrayToObject(jq, "villages");
        for (size_t v = 0; v < t->nrows[i]; v++)
            cJSON_AddItemToArray(vs, row_json(&t->rows[i][v], q));
        cJSON_AddItemToArray(qs, jq);
    }
    cli_print_json(o);
}

static void print_row(const row_t *r, const survey_question_t *q, const char *label)
{
    fputs("  ", stdout);
    cli_print_padded(label, 24);
    printf(" %7lld", (long long)r->total);
    for (int k = 1; k <= q->nchoices; k++)
        printf(" %6lld", (long long)r->choice[k]);
    putchar('\n');
}

static void print_text(const survey_t *s, const tally_t *t, int64_t respondents)
{
    safetext_printf(stdout, "survey %s%s%s%s: %lld respondents\n", s->name,
                    s->title[0] ? " (" : "", s->title, s->title[0] ? ")" : "",
                    (long long)respondents);
    for (int i = 0; i < s->nquestions; i++) {
        const survey_question_t *q = &s->questions[i];
        char label[300];

        putchar('\n');
        safetext_printf(stdout, "Q%d %s%s\n", i + 1, q->text, q->nchoices ? "" : " (free text)");
        for (int k = 0; k < q->nchoices; k++)
            safetext_printf(stdout, "%s%d %s", k ? ", " : "  choices: ", k + 1, q->choices[k]);
        printf("%s  %-24s %7s", q->nchoices ? "\n" : "", "township village", "answers");
        for (int k = 1; k <= q->nchoices; k++)
            printf(" %6d", k);
        putchar('\n');
        for (size_t v = 0; v < t->nrows[i]; v++) {
            snprintf(label, sizeof label, "%s %s", t->rows[i][v].township, t->rows[i][v].village);
            print_row(&t->rows[i][v], q, label);
        }
        print_row(&t->all[i], q, "total");
    }
}

static int results(const cli_t *c, const char *name, int json)
{
    tally_t t = {0};
    survey_t *s = NULL;
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    int64_t respondents = 0;
    char *def = NULL, err[256];
    int rc;

    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    rc = store_survey_get(st, name, &def);
    snprintf(err, sizeof err, "%s", store_errmsg(st));
    if (rc == CB_OK)
        rc = survey_parse(def, strlen(def), &s, err, sizeof err);
    if (rc == CB_OK)
        rc = segment_parse("all", st, pol, campaign, &t.seg, err, sizeof err);
    if (rc == CB_OK) {
        t.nq = s->nquestions;
        rc = store_survey_counts(st, name, add_count, &t);
    }
    if (rc == CB_OK)
        rc = store_survey_respondents(st, name, &respondents);
    if (rc < 0 && t.seg != NULL)
        snprintf(err, sizeof err, "%s", store_errmsg(st));
    if (rc < 0)
        fprintf(stderr, "canbao survey: %s\n", err);
    else if (json)
        print_json(s, &t, respondents);
    else
        print_text(s, &t, respondents);
    for (int i = 0; i < SURVEY_MAX_QUESTIONS; i++)
        free(t.rows[i]);
    segment_destroy(t.seg);
    survey_destroy(s);
    free(def);
    store_close(st);
    policy_destroy(pol);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}

static void usage(FILE *fp)
{
    fputs("usage: canbao survey start FILE --to SEGMENT [--route R] [--config FILE]\n"
          "       canbao survey results NAME [--json]\n\n"
          "'start' stores the survey FILE (JSON: name, title, expires_hours, questions with\n"
          "numbered choices or free text; see examples/survey-why-unpaid.json) and asks its\n"
          "first question by SMS, once per phone of the segment (the first person of a\n"
          "shared phone answers). Phones busy with another question, opted out, or asked\n"
          "before are skipped, so running it again asks only the new ones. Each answer the\n"
          "bot receives is recorded and the next question sent; an unanswered question\n"
          "lapses after expires_hours. The first question is a reminder (quiet hours and\n"
          "daily caps apply); 'canbao dispatch' sends it.\n"
          "'results' counts the answers per village and choice.\n\n"
          "  --to SEGMENT   as for 'canbao send': unpaid, unpaid:village=T/V, category=C, ...\n"
          "  --route R      the outbox route (default sms)\n"
          "  --config FILE  the deployment config (default: the file channel)\n",
          fp);
}

int cli_survey(const cli_t *c, int argc, char **argv)
{
    const char *to = NULL, *route = "sms", *config = getenv("CANBAO_CONFIG");
    const char *pos[2] = {NULL, NULL}; /* start FILE | results NAME */
    int json = 0;
    const cli_opt_t opts[] = {{"--to", CLI_STR, &to, 0, 0},
                              {"--route", CLI_STR, &route, 0, 0},
                              {"--config", CLI_STR, &config, 0, 0},
                              {"--json", CLI_FLAG, &json, 0, 0},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    int code = cli_parse("survey", argc, argv, opts, pos, 2, NULL, usage);

    if (code >= 0)
        return code;
    if (pos[0] != NULL && strcmp(pos[0], "start") == 0 && pos[1] != NULL && to != NULL)
        return start(c, pos[1], to, config, route);
    if (pos[0] != NULL && strcmp(pos[0], "results") == 0 && pos[1] != NULL)
        return results(c, pos[1], json);
    usage(stderr);
    return EXIT_FATAL;
}
