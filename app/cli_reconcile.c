/* SPDX-License-Identifier: MIT */
/*
 * cli_reconcile.c - 'canbao reconcile': person, receipt, money and record must match
 * (人、票、款、信息四相符). From the store (store/store_recon.h, store_claim.h) and the
 * policy it lists payments not on the roster, paid after the window, of the wrong
 * amount, or under a name other than the roster's; claims still open; duplicate
 * payments to refund (employee insurance first, then student insurance at school,
 * then resident insurance) with the refund deadline, the window's end; and each
 * paying department's people against what was received for them. The sections are
 * built once as JSON (--json prints it), the text is printed from it. ID numbers and
 * names are masked, outside text masked and escaped.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "jobs/segment.h"
#include "core/catset.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/policy.h"
#include "core/safetext.h"
#include "core/status.h"
#include "store/store_claim.h"
#include "store/store_recon.h"

#define UNPAID_LISTED 20 /* a department's unpaid people named, per category */

enum { S_UNMATCHED, S_LATE, S_AMOUNT, S_NAME, S_CLAIMS, S_DUPLICATES, S_DEPARTMENTS, S__N };

/* A section: its JSON key, the text's title and the fields a text line shows. */
static const struct {
    const char *key, *title;
    const char *fields[8];
} sections[S__N] = {
    [S_UNMATCHED] = {"unmatched", "payments not matched to the roster",
                     {"receipt", "id_number", "amount_yuan", "paid_at", "problem"}},
    [S_LATE] = {"late", "payments made after the collection window",
                {"receipt", "id_number", "name", "amount_yuan", "paid_at", "window_end"}},
    [S_AMOUNT] = {"wrong_amount", "payments of the wrong amount",
                  {"receipt", "id_number", "name", "amount_yuan", "expected_yuan", "category"}},
    [S_NAME] = {"name_mismatch", "payer's name is not the roster's name for the ID number",
                {"receipt", "id_number", "payer_name", "name"}},
    [S_CLAIMS] = {"open_claims", "claims still open (a worker verifies or rejects them)",
                  {"claim", "kind", "since", "place", "name", "id_number", "receipt", "text"}},
    [S_DUPLICATES] = {"duplicates", "duplicate payments to refund on request",
                      {"receipt", "id_number", "name", "amount_yuan", "reason", "refund"}},
    [S_DEPARTMENTS] = {"departments", "department bulk payments against their lists",
                       {"category", "contact", "listed", "paid", "unpaid", "received_yuan",
                        "expected_yuan", "unpaid_people"}},
};

typedef struct recon {
    store_t *st;
    const policy_t *pol;
    segment_t *seg;   /* for place names */
    cb_date_t today;
    char window_end[11];
    int refund_open;  /* today is within the window: refunds still possible */
    cJSON *root;
    cJSON *sec[S__N];
    /* departments: per category index */
    size_t ncats;
    int64_t *listed, *paid, *unpaid, *received_fen;
    cJSON **unpaid_people;
} recon_t;

static void add_masked(cJSON *o, const char *key, const char *s, mask_kind_t kind)
{
    char *m = malloc(strlen(s) + 1);

    mask_apply(kind, s, m, strlen(s) + 1);
    cJSON_AddStringToObject(o, key, m);
    free(m);
}

static void add_text(cJSON *o, const char *key, const char *s)
{
    char *m = mask_text_dup(s);

    cJSON_AddStringToObject(o, key, m);
    free(m);
}

static void add_yuan(cJSON *o, const char *key, int64_t fen)
{
    char y[24];

    money_format(fen, y);
    cJSON_AddStringToObject(o, key, y);
}

static void add_place(const recon_t *r, cJSON *o, int64_t area_id)
{
    const char *t = "", *v = "", *g = "";
    char place[400];

    if (area_id != 0)
        segment_place(r->seg, area_id, &t, &v, &g);
    snprintf(place, sizeof place, "%s%s%s", t, v, g);
    cJSON_AddStringToObject(o, "place", place);
}

/* A payment's common fields, appended to section 'k'. */
static cJSON *pay_item(recon_t *r, int k, const store_recon_pay_t *p)
{
    cJSON *o = cJSON_CreateObject();

    add_text(o, "receipt", p->receipt);
    add_masked(o, "id_number", p->id_number, MASK_ID);
    add_masked(o, "name", p->name, MASK_NAME);
    add_yuan(o, "amount_yuan", p->amount_fen);
    add_text(o, "paid_at", p->paid_at);
    add_text(o, "channel", p->channel);
    add_place(r, o, p->area_id);
    cJSON_AddItemToArray(r->sec[k], o);
    return o;
}

/* The day of 'paid_at' ("YYYY-MM-DD..." or "YYYY/MM/DD..."), or 0. */
static cb_date_t paid_day(const char *paid_at)
{
    char d[11];
    cb_date_t day;

    if (strlen(paid_at) < 10)
        return 0;
    for (int i = 0; i < 10; i++)
        d[i] = paid_at[i] == '/' ? '-' : paid_at[i];
    d[10] = '\0';
    return date_parse(d, 10, &day) == CB_OK ? day : 0;
}

/* What the person keeps when this resident payment is a duplicate ("employee",
 * "school", "other_place", "resident": the first payment), or NULL when it is none. */
static const char *kept_instead(const store_recon_pay_t *p, int amount_ok)
{
    switch (status_from_name(p->status)) {
    case PS_EMPLOYEE_INSURED: return "employee";
    case PS_INSURED_ELSEWHERE:
        return strstr(p->verified_claims, "school") != NULL ? "school" : "other_place";
    case PS_PAID:
        /* Kept with a problem although the amount is right: a second payment. */
        return p->problem[0] != '\0' && amount_ok ? "resident" : NULL;
    default: return NULL;
    }
}

static void duplicate(recon_t *r, const store_recon_pay_t *p, const char *keep)
{
    static const char *const why[][2] = {
        {"employee", "keeps employee insurance (职工医保优先)"},
        {"school", "keeps student insurance at school (学生医保优先)"},
        {"other_place", "insured in another place (异地参保)"},
        {"resident", "a second resident payment (重复缴费)"}};
    cJSON *o = pay_item(r, S_DUPLICATES, p);
    char refund[64];

    for (size_t i = 0; i < sizeof why / sizeof why[0]; i++) {
        if (strcmp(why[i][0], keep) == 0)
            cJSON_AddStringToObject(o, "reason", why[i][1]);
    }
    cJSON_AddStringToObject(o, "keeps", keep);
    cJSON_AddStringToObject(o, "refund_by", r->window_end);
    cJSON_AddBoolToObject(o, "refund_open", r->refund_open);
    snprintf(refund, sizeof refund, r->refund_open ? "refund on request by %s"
                                                   : "no refund: the window closed %s",
             r->window_end);
    cJSON_AddStringToObject(o, "refund", refund);
}

static int one_payment(void *ud, const store_recon_pay_t *p)
{
    recon_t *r = ud;
    policy_owed_t owed = catset_owed(r->pol, p->categories);
    int64_t want = owed.payer == POL_PAYER_DEPARTMENT ? policy_fee_fen(r->pol) : owed.pay_now_fen;
    cb_date_t day = paid_day(p->paid_at);
    const char *keep;
    int amount_ok = p->amount_fen == want;
    cJSON *o;

    if (p->person_id == 0 || status_from_name(p->status) == PS_DECEASED) {
        o = pay_item(r, S_UNMATCHED, p);
        add_text(o, "problem", p->problem);
        return 0;
    }
    if (day != 0 && day > policy_window_end(r->pol)) {
        o = pay_item(r, S_LATE, p);
        cJSON_AddStringToObject(o, "window_end", r->window_end);
    }
    if (!amount_ok) {
        o = pay_item(r, S_AMOUNT, p);
        add_yuan(o, "expected_yuan", want);
        cJSON_AddStringToObject(o, "category", owed.category >= 0 ?
                                policy_category(r->pol, (size_t)owed.category)->name : "");
    }
    if (p->payer_name[0] != '\0' && strcmp(p->payer_name, p->name) != 0) {
        o = pay_item(r, S_NAME, p);
        add_masked(o, "payer_name", p->payer_name, MASK_NAME);
    }
    keep = kept_instead(p, amount_ok);
    if (keep != NULL)
        duplicate(r, p, keep);
    return 0;
}

static int one_claim(void *ud, const store_claim_row_t *c)
{
    recon_t *r = ud;
    cJSON *o = cJSON_CreateObject();
    char since[11];

    cJSON_AddNumberToObject(o, "claim", (double)c->id);
    cJSON_AddStringToObject(o, "kind", c->kind);
    date_format(clock_day(c->created_at), since);
    cJSON_AddStringToObject(o, "since", since);
    cJSON_AddNumberToObject(o, "days_open", (double)(r->today - clock_day(c->created_at)));
    add_place(r, o, c->area_id);
    add_masked(o, "name", c->name, MASK_NAME);
    add_masked(o, "id_number", c->id_number, MASK_ID);
    add_text(o, "receipt", c->receipt);
    add_text(o, "text", c->text);
    cJSON_AddItemToArray(r->sec[S_CLAIMS], o);
    return 0;
}

/* A person of a subsidy category: counted for their department when one pays. */
static int one_subsidised(void *ud, const store_recon_person_t *p)
{
    recon_t *r = ud;
    policy_owed_t owed = catset_owed(r->pol, p->categories);
    size_t k;
    cJSON *o;

    if (owed.payer != POL_PAYER_DEPARTMENT || owed.category < 0)
        return 0;
    k = (size_t)owed.category;
    r->listed[k]++;
    r->received_fen[k] += p->paid_fen;
    if (status_from_name(p->status) != PS_UNPAID) {
        r->paid[k] += status_from_name(p->status) == PS_PAID;
        return 0;
    }
    r->unpaid[k]++;
    if (cJSON_GetArraySize(r->unpaid_people[k]) >= UNPAID_LISTED)
        return 0;
    o = cJSON_CreateObject();
    add_masked(o, "id_number", p->id_number, MASK_ID);
    add_masked(o, "name", p->name, MASK_NAME);
    add_place(r, o, p->area_id);
    cJSON_AddItemToArray(r->unpaid_people[k], o);
    return 0;
}

/* The departments section from the counts one_subsidised made. */
static void departments(recon_t *r)
{
    for (size_t k = 0; k < r->ncats; k++) {
        const policy_category_t *cat = policy_category(r->pol, k);
        cJSON *o;

        if (r->listed[k] == 0) {
            cJSON_Delete(r->unpaid_people[k]);
            continue;
        }
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "category", cat->name);
        cJSON_AddStringToObject(o, "contact", cat->contact ? cat->contact : "");
        cJSON_AddNumberToObject(o, "listed", (double)r->listed[k]);
        cJSON_AddNumberToObject(o, "paid", (double)r->paid[k]);
        cJSON_AddNumberToObject(o, "unpaid", (double)r->unpaid[k]);
        add_yuan(o, "received_yuan", r->received_fen[k]);
        add_yuan(o, "expected_yuan", policy_fee_fen(r->pol) * r->listed[k]);
        cJSON_AddItemToObject(o, "unpaid_people", r->unpaid_people[k]);
        cJSON_AddItemToArray(r->sec[S_DEPARTMENTS], o);
    }
}

/* One field of a text line: a string as it is (masked already), a number, or the
 * names in a list of people. */
static void text_field(const cJSON *v, char *out, size_t n)
{
    size_t len = 0;
    const cJSON *e;

    out[0] = '\0';
    if (cJSON_IsString(v))
        snprintf(out, n, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(out, n, "%lld", (long long)v->valuedouble);
    else if (cJSON_IsArray(v)) {
        cJSON_ArrayForEach(e, v) {
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "name");
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id_number");
            int w = snprintf(out + len, n - len, "%s%s %s", len ? ", " : "",
                             cJSON_GetStringValue(nm), cJSON_GetStringValue(id));
            if (w < 0 || (size_t)w >= n - len)
                break;
            len += (size_t)w;
        }
    }
}

static void print_text(const recon_t *r)
{
    char field[1200];

    printf("reconciliation of %s %d on %s (collection window ends %s%s)\n",
           policy_county(r->pol), policy_year(r->pol),
           cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->root, "today")),
           r->window_end, r->refund_open ? "" : ", closed: no more refunds");
    for (int k = 0; k < S__N; k++) {
        const cJSON *item;

        printf("\n%s: %d\n", sections[k].title, cJSON_GetArraySize(r->sec[k]));
        cJSON_ArrayForEach(item, r->sec[k]) {
            char line[4096];
            size_t len = 0;

            for (int f = 0; f < 8 && sections[k].fields[f] != NULL; f++) {
                text_field(cJSON_GetObjectItemCaseSensitive(item, sections[k].fields[f]), field,
                           sizeof field);
                if (field[0] == '\0')
                    continue;
                len += (size_t)snprintf(line + len, sizeof line - len, "  %s=%s",
                                        sections[k].fields[f], field);
                if (len >= sizeof line)
                    break;
            }
            safetext_printf(stdout, "%s\n", line);
        }
    }
}

static int gather(recon_t *r, int64_t campaign)
{
    int rc;

    r->ncats = policy_ncategories(r->pol);
    r->listed = calloc(r->ncats + 1, sizeof *r->listed);
    r->paid = calloc(r->ncats + 1, sizeof *r->paid);
    r->unpaid = calloc(r->ncats + 1, sizeof *r->unpaid);
    r->received_fen = calloc(r->ncats + 1, sizeof *r->received_fen);
    r->unpaid_people = calloc(r->ncats + 1, sizeof *r->unpaid_people);
    if (!r->listed || !r->paid || !r->unpaid || !r->received_fen || !r->unpaid_people)
        return CB_ENOMEM;
    for (size_t k = 0; k < r->ncats; k++)
        r->unpaid_people[k] = cJSON_CreateArray();
    for (int k = 0; k < S__N; k++)
        r->sec[k] = cJSON_AddArrayToObject(r->root, sections[k].key);
    rc = store_recon_payments(r->st, campaign, r->window_end, one_payment, r);
    if (rc >= 0)
        rc = store_claims_each(r->st, campaign, "open", one_claim, r);
    if (rc >= 0)
        rc = store_recon_subsidised(r->st, campaign, one_subsidised, r);
    if (rc >= 0)
        departments(r);
    else
        for (size_t k = 0; k < r->ncats; k++)
            cJSON_Delete(r->unpaid_people[k]);
    return rc;
}

static void recon_free(recon_t *r)
{
    free(r->listed);
    free(r->paid);
    free(r->unpaid);
    free(r->received_fen);
    free(r->unpaid_people);
    segment_destroy(r->seg);
}

static void usage(FILE *fp)
{
    fputs("usage: canbao reconcile [--json]\n\n"
          "Person, receipt, money and record must match (人、票、款、信息四相符). Lists\n"
          "  payments not matched to the roster (unknown ID number, a deceased person),\n"
          "  payments made after the collection window, payments of the wrong amount,\n"
          "  payments whose payer's name is not the roster's name for the ID number,\n"
          "  claims still open (canbao claims verify|reject),\n"
          "  duplicate payments to refund on request before the window ends (employee\n"
          "  insurance first, then student insurance at school, then resident insurance),\n"
          "  and each paying department's people: listed, paid, unpaid, received.\n"
          "ID numbers and names are masked. --json prints the same as one JSON object.\n",
          fp);
}

int cli_reconcile(const cli_t *c, int argc, char **argv)
{
    int json = 0, code;
    const cli_opt_t opts[] = {{"--json", CLI_FLAG, &json, 0, 0}, {NULL, CLI_FLAG, NULL, 0, 0}};
    recon_t r = {.today = c->today};
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    char err[256], today[11];
    int rc;

    code = cli_parse("reconcile", argc, argv, opts, NULL, 0, NULL, usage);
    if (code >= 0)
        return code;
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    r.st = st;
    r.pol = pol;
    date_format(policy_window_end(pol), r.window_end);
    r.refund_open = c->today <= policy_window_end(pol);
    r.root = cJSON_CreateObject();
    date_format(c->today, today);
    cJSON_AddStringToObject(r.root, "today", today);
    cJSON_AddStringToObject(r.root, "window_end", r.window_end);
    cJSON_AddBoolToObject(r.root, "refund_open", r.refund_open);
    rc = segment_parse("all", st, pol, campaign, &r.seg, err, sizeof err);
    if (rc >= 0)
        rc = gather(&r, campaign);
    if (rc < 0) {
        fprintf(stderr, "canbao reconcile: %s\n", r.seg ? store_errmsg(st) : err);
        cJSON_Delete(r.root);
    } else if (json) {
        cli_print_json(r.root);
    } else {
        print_text(&r);
        cJSON_Delete(r.root);
    }
    recon_free(&r);
    store_close(st);
    policy_destroy(pol);
    return rc < 0 ? EXIT_FATAL : EXIT_OK;
}
