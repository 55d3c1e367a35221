/* SPDX-License-Identifier: MIT */
/*
 * policy_parse.c - policy JSON (format in docs/policy.md) to a policy_t. Every
 * object's keys are checked against a table, every value is validated, and the
 * first problem is reported as "path: reason" ("categories[2].percent: must be an
 * integer from 1 to 100").
 */
#include "core/policy.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/policy_internal.h"

#define MAX_FEN        10000000 /* 100,000 yuan: far above any yearly contribution */
#define MAX_CATEGORIES 256
#define MAX_ALIASES    64 /* per category */
#define MAX_LIST       64 /* milestones, late windows */

static const char *const top_keys[] = {"county",
                                       "issuer",
                                       "payment_channels",
                                       "coverage_year",
                                       "window",
                                       "personal_fee_fen",
                                       "funding_standard_fen",
                                       "subsidy_combination",
                                       "categories",
                                       "milestones",
                                       "late_windows",
                                       "late_enrolment",
                                       "reminders",
                                       "subsidy_cutoff",
                                       "targets",
                                       "agent_pay",
                                       "last_twice",
                                       "promote_ecert",
                                       NULL};
static const char *const window_keys[] = {"start", "end", "extension", NULL};
static const char *const extension_keys[] = {"end", "applies_to", "flag", NULL};
static const char *const category_keys[] = {"name",       "aliases", "rule",       "percent",
                                            "amount_fen", "payer",   "settlement", "contact",
                                            "contact_phone", NULL};
static const char *const milestone_keys[] = {"date", "percent", "label", NULL};
static const char *const late_window_keys[] = {"name", "from", "days", "cover", "after", "label",
                                               NULL};

/* Value names, in the order of their enum. */
static const char *const rule_names[] = {"full", "percent", "fixed", NULL};
static const char *const payer_names[] = {"resident", "department", NULL};
static const char *const settle_names[] = {"at_payment", "refund_after", NULL};
static const char *const combination_names[] = {"highest", NULL};

static int parse_window(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *w, *e;
    cb_date_t first, last;
    int rc;

    rc = policy__want_object(c, root, "", "window", window_keys, 1, &w);
    if (rc == CB_OK)
        rc = policy__want_date(c, w, "window", "start", &p->start);
    if (rc == CB_OK)
        rc = policy__want_date(c, w, "window", "end", &p->end);
    if (rc < 0)
        return rc;
    if (p->end < p->start)
        return policy__fail(c, "window", "", "end is before start");
    /* The window opens in the year before the coverage year (or in it) and closes in time. */
    if (date_from_ymd(p->year - 1, 1, 1, &first) < 0 || date_from_ymd(p->year, 12, 31, &last) < 0)
        return policy__fail(c, "coverage_year", "", "%d is out of range", p->year);
    if (p->start < first)
        return policy__fail(c, "window", "start", "must fall in %d or %d for coverage year %d",
                            p->year - 1, p->year, p->year);
    if (p->end > last)
        return policy__fail(c, "window", "end", "must not be after the coverage year %d", p->year);
    rc = policy__want_object(c, w, "window", "extension", extension_keys, 0, &e);
    if (rc < 0 || e == NULL)
        return rc;
    rc = policy__want_date(c, e, "window.extension", "end", &p->ext_end);
    if (rc == CB_OK)
        rc = policy__want_string(c, e, "window.extension", "applies_to", 1, &p->ext_applies_to);
    if (rc == CB_OK)
        rc = policy__want_string(c, e, "window.extension", "flag", 0, &p->ext_flag);
    if (rc < 0)
        return rc;
    if (p->ext_end <= p->end)
        return policy__fail(c, "window.extension", "end", "must be after window.end");
    if (p->ext_end > last)
        return policy__fail(c, "window.extension", "end", "must not be after the coverage year %d",
                            p->year);
    return CB_OK;
}

/* Reminders quote the channels in every SMS, so their length is capped. */
static int parse_channels(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    size_t chars = 0;
    int rc = policy__want_string(c, root, "", "payment_channels", 0, &p->payment_channels);

    if (rc < 0 || p->payment_channels == NULL)
        return rc;
    for (const char *s = p->payment_channels; *s != '\0'; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    if (chars > POLICY_CHANNELS_MAX)
        return policy__fail(c, "", "payment_channels",
                            "%zu characters, at most %d (reminder SMS quote it)", chars,
                            POLICY_CHANNELS_MAX);
    return CB_OK;
}

static int parse_top(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    int64_t year = 0;
    int combination;
    int rc;

    rc = policy__want_string(c, root, "", "county", 1, &p->county);
    if (rc == CB_OK)
        rc = policy__want_string(c, root, "", "issuer", 0, &p->issuer);
    if (rc == CB_OK)
        rc = parse_channels(c, root, p);
    if (rc == CB_OK)
        rc = policy__want_int(c, root, "", "coverage_year", 1, 2000, 2100, &year);
    p->year = (int)year;
    if (rc == CB_OK)
        rc = parse_window(c, root, p);
    if (rc == CB_OK)
        rc = policy__want_int(c, root, "", "personal_fee_fen", 1, 1, MAX_FEN, &p->fee_fen);
    if (rc == CB_OK)
        rc = policy__want_int(c, root, "", "funding_standard_fen", 1, 1, MAX_FEN, &p->funding_fen);
    if (rc == CB_OK && p->funding_fen < p->fee_fen)
        rc = policy__fail(c, "", "funding_standard_fen", "%lld is below personal_fee_fen (%lld)",
                          (long long)p->funding_fen, (long long)p->fee_fen);
    if (rc == CB_OK)
        rc = policy__want_enum(c, root, "", "subsidy_combination", combination_names, 0,
                               &combination);
    return rc;
}

/* Record a category's name or alias 's'; every spelling must be unique in the policy. */
static int add_name(pol_ctx_t *c, policy_t *p, const char *base, const char *key, const char *s,
                    int cat)
{
    size_t len = strlen(s);

    if (memchr(s, ';', len) != NULL)
        return policy__fail(c, base, key,
                            "\"%s\" must not contain ';' (rosters separate categories with it)", s);
    for (size_t i = 0; i < p->nnames; i++) {
        if (p->names[i].len == len && memcmp(p->names[i].s, s, len) == 0)
            return policy__fail(c, base, key, "\"%s\" is used twice", s);
    }
    p->names[p->nnames].s = s;
    p->names[p->nnames].len = len;
    p->names[p->nnames].cat = cat;
    p->nnames++;
    return CB_OK;
}

static int parse_aliases(pol_ctx_t *c, const cJSON *item, const char *base, policy_t *p, size_t k,
                         size_t *used)
{
    policy_category_t *cat = &p->cats[k];
    const cJSON *arr, *v;
    const char **dst = p->aliases + *used;
    char at[POL_PATH_LEN];
    size_t n, i = 0;
    int rc;

    rc = policy__want_array(c, item, base, "aliases", 0, MAX_ALIASES, &arr, &n);
    if (rc < 0 || arr == NULL)
        return rc;
    cJSON_ArrayForEach(v, arr) {
        policy__path_index(at, base, "aliases", i);
        rc = policy__string_value(c, v, at, "", &dst[i]);
        if (rc == CB_OK)
            rc = add_name(c, p, at, "", dst[i], (int)k);
        if (rc < 0)
            return rc;
        i++;
    }
    cat->aliases = dst;
    cat->naliases = n;
    *used += n;
    return CB_OK;
}

/* 'key' belongs to rule 'want' only: required with it, rejected with any other. */
static int rule_amount(pol_ctx_t *c, const cJSON *item, const char *base, const char *key, int rule,
                       int want, int64_t hi, int64_t *out)
{
    if (rule == want)
        return policy__want_int(c, item, base, key, 1, 1, hi, out);
    if (policy__member(item, key) != NULL)
        return policy__fail(c, base, key, "only for rule %s", rule_names[want]);
    return CB_OK;
}

static int parse_category(pol_ctx_t *c, const cJSON *item, policy_t *p, size_t k, size_t *used)
{
    policy_category_t *cat = &p->cats[k];
    char base[POL_PATH_LEN];
    int rule = 0, payer = 0, settle = 0;
    int64_t percent = 0;
    int rc;

    policy__path_index(base, "", "categories", k);
    rc = policy__check_keys(c, item, base, category_keys);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "name", 1, &cat->name);
    if (rc == CB_OK)
        rc = add_name(c, p, base, "name", cat->name, (int)k);
    if (rc == CB_OK)
        rc = parse_aliases(c, item, base, p, k, used);
    if (rc == CB_OK)
        rc = policy__want_enum(c, item, base, "rule", rule_names, -1, &rule);
    if (rc == CB_OK)
        rc = rule_amount(c, item, base, "percent", rule, POL_RULE_PERCENT, 100, &percent);
    if (rc == CB_OK)
        rc = rule_amount(c, item, base, "amount_fen", rule, POL_RULE_FIXED, MAX_FEN,
                         &cat->amount_fen);
    if (rc == CB_OK)
        rc = policy__want_enum(c, item, base, "payer", payer_names, POL_PAYER_RESIDENT, &payer);
    if (rc == CB_OK)
        rc = policy__want_enum(c, item, base, "settlement", settle_names, POL_SETTLE_AT_PAYMENT,
                               &settle);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "contact", 0, &cat->contact);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "contact_phone", 0, &cat->contact_phone);
    if (rc < 0)
        return rc;
    if (payer == POL_PAYER_DEPARTMENT && settle == POL_SETTLE_REFUND_AFTER)
        return policy__fail(c, base, "settlement",
                            "refund_after needs payer resident (a department pays in bulk)");
    cat->rule = (pol_rule_t)rule;
    cat->percent = (int)percent;
    cat->payer = (pol_payer_t)payer;
    cat->settlement = (pol_settle_t)settle;
    return CB_OK;
}

static int parse_categories(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *arr, *item;
    size_t n, total = 0, used = 0, k = 0;
    int rc;

    rc = policy__want_array(c, root, "", "categories", 1, MAX_CATEGORIES, &arr, &n);
    if (rc < 0)
        return rc;
    /* Room for every alias the file may hold (each array is checked while parsing). */
    cJSON_ArrayForEach(item, arr) {
        const cJSON *al = cJSON_IsObject(item) ? policy__member(item, "aliases") : NULL;
        total += cJSON_IsArray(al) ? (size_t)cJSON_GetArraySize(al) : 0;
    }
    p->cats = xcalloc(n, sizeof *p->cats);
    p->aliases = xcalloc(total, sizeof *p->aliases);
    p->names = xcalloc(n + total, sizeof *p->names);
    p->ncats = n;
    cJSON_ArrayForEach(item, arr) {
        rc = parse_category(c, item, p, k++, &used);
        if (rc < 0)
            return rc;
    }
    return CB_OK;
}

static int parse_milestone(pol_ctx_t *c, const cJSON *item, policy_t *p, size_t i)
{
    policy_milestone_t *ms = &p->milestones[i];
    cb_date_t last = p->ext_end > p->end ? p->ext_end : p->end;
    char base[POL_PATH_LEN], from[11], to[11], at[11];
    int64_t percent = 0;
    int rc;

    policy__path_index(base, "", "milestones", i);
    rc = policy__check_keys(c, item, base, milestone_keys);
    if (rc == CB_OK)
        rc = policy__want_date(c, item, base, "date", &ms->date);
    if (rc == CB_OK)
        rc = policy__want_int(c, item, base, "percent", 1, 1, 100, &percent);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "label", 0, &p->milestone_labels[i]);
    if (rc < 0)
        return rc;
    ms->percent = (int)percent;
    if (ms->date < p->start || ms->date > last) {
        date_format(ms->date, at);
        date_format(p->start, from);
        date_format(last, to);
        return policy__fail(c, base, "date", "%s is outside the window %s..%s", at, from, to);
    }
    if (i > 0 && ms->date <= ms[-1].date)
        return policy__fail(c, base, "date",
                            "must be after milestones[%zu].date (list them in date order)", i - 1);
    if (i > 0 && ms->percent < ms[-1].percent)
        return policy__fail(c, base, "percent", "%d is below the %d of milestones[%zu]",
                            ms->percent, ms[-1].percent, i - 1);
    return CB_OK;
}

static int parse_late_window(pol_ctx_t *c, const cJSON *item, policy_t *p, size_t i)
{
    policy_late_window_t *lw = &p->late[i];
    char base[POL_PATH_LEN];
    int64_t days = 0;
    int rc;

    policy__path_index(base, "", "late_windows", i);
    rc = policy__check_keys(c, item, base, late_window_keys);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "name", 1, &lw->name);
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "from", 1, &lw->from);
    if (rc == CB_OK)
        rc = policy__want_int(c, item, base, "days", 0, 1, 366, &days);
    if (rc == CB_OK)
        rc = policy__parse_late_window_rules(c, item, base, p, lw);
    if (rc < 0)
        return rc;
    lw->days = (int)days;
    for (size_t j = 0; j < i; j++) {
        if (strcmp(p->late[j].name, lw->name) == 0)
            return policy__fail(c, base, "name", "\"%s\" is used twice", lw->name);
    }
    return CB_OK;
}

static int parse_lists(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *arr, *item;
    size_t n, i = 0;
    int rc;

    rc = policy__want_array(c, root, "", "milestones", 0, MAX_LIST, &arr, &n);
    if (rc < 0)
        return rc;
    p->milestones = xcalloc(n, sizeof *p->milestones);
    p->milestone_labels = xcalloc(n, sizeof *p->milestone_labels);
    p->nmilestones = n;
    cJSON_ArrayForEach(item, arr) {
        rc = parse_milestone(c, item, p, i++);
        if (rc < 0)
            return rc;
    }
    rc = policy__want_array(c, root, "", "late_windows", 0, MAX_LIST, &arr, &n);
    if (rc < 0)
        return rc;
    p->late = xcalloc(n, sizeof *p->late);
    p->nlate = n;
    i = 0;
    cJSON_ArrayForEach(item, arr) {
        rc = parse_late_window(c, item, p, i++);
        if (rc < 0)
            return rc;
    }
    return CB_OK;
}

int policy_parse(const char *json, size_t len, policy_t **out, char *err, size_t errlen)
{
    pol_ctx_t c = {err, errlen};
    policy_t *p = NULL;
    const char *end = NULL, *nul;
    int rc;

    *out = NULL;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (json == NULL)
        return CB_EINVAL;
    nul = memchr(json, '\0', len);
    if (nul != NULL) {
        rc = policy__syntax_error(&c, json, nul, "NUL byte in the file");
        goto fail;
    }
    p = xcalloc(1, sizeof *p);
    p->root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (p->root == NULL) {
        rc = policy__syntax_error(&c, json, end != NULL ? end : json, "not valid JSON");
        goto fail;
    }
    while (end < json + len && policy__is_blank(*end))
        end++;
    if (end < json + len) {
        rc = policy__syntax_error(&c, json, end, "text after the JSON value");
        goto fail;
    }
    if (!cJSON_IsObject(p->root)) {
        rc = policy__fail(&c, "", "", "the policy must be a JSON object");
        goto fail;
    }
    rc = policy__check_keys(&c, p->root, "", top_keys);
    if (rc == CB_OK)
        rc = parse_top(&c, p->root, p);
    if (rc == CB_OK)
        rc = parse_categories(&c, p->root, p);
    if (rc == CB_OK)
        rc = parse_lists(&c, p->root, p);
    if (rc == CB_OK)
        rc = policy__parse_late_enrolment(&c, p->root, p);
    if (rc == CB_OK)
        rc = policy__parse_rules(&c, p->root, p);
    if (rc == CB_OK)
        rc = policy__parse_reminders(&c, p->root, p);
    if (rc < 0)
        goto fail;
    *out = p;
    return CB_OK;
fail:
    policy_destroy(p);
    return rc;
}
