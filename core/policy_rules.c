/* SPDX-License-Identifier: MIT */
/*
 * policy_rules.c - the calendar and campaign rules of a policy (policy_rules.h): the
 * late-enrolment object and a late window's rules when parsing, where a payment falls,
 * its late case, waiting periods, and the small rule keys at the top level.
 */
#include "core/policy_rules.h"

#include <string.h>

#include "core/err.h"
#include "core/policy_internal.h"

static const char *const wait_keys[] = {"fee", "wait_days", "wait", "wait_months",
                                        "extra_months_per_year", "open_to", NULL};
static const char *const targets_keys[] = {"coverage_percent", "special_percent", NULL};
static const char *const agent_pay_keys[] = {"per_person_fen", "reward_fen",
                                             "penalty_per_point_fen", NULL};
/* Value names, in the order of their enums. */
static const char *const fee_names[] = {"funding_standard", "personal_fee", NULL};
static const char *const wait_names[] = {"next_month", "none", NULL};
static const char *const cover_names[] = {"from_event", "from_payment", "next_month", NULL};

#define MAX_FEN 10000000

/* One of wait_days, wait ("next_month" | "none") or wait_months, exactly. */
static int parse_wait(pol_ctx_t *c, const cJSON *obj, const char *base,
                      policy_late_enrolment_t *w)
{
    int given = (policy__member(obj, "wait_days") != NULL) + (policy__member(obj, "wait") != NULL) +
                (policy__member(obj, "wait_months") != NULL);
    int64_t n = 0;
    int which = 0, rc;

    if (given != 1)
        return policy__fail(c, base, "", "give one of wait_days, wait or wait_months");
    if (policy__member(obj, "wait") != NULL) {
        rc = policy__want_enum(c, obj, base, "wait", wait_names, -1, &which);
        w->wait = which == 0 ? POL_WAIT_NEXT_MONTH : POL_WAIT_NONE;
    } else if (policy__member(obj, "wait_days") != NULL) {
        rc = policy__want_int(c, obj, base, "wait_days", 1, 1, 366, &n);
        w->wait = POL_WAIT_DAYS;
        w->wait_days = (int)n;
    } else {
        rc = policy__want_int(c, obj, base, "wait_months", 1, 1, 24, &n);
        w->wait = POL_WAIT_MONTHS;
        w->wait_months = (int)n;
    }
    if (rc < 0)
        return rc;
    n = 0;
    if (policy__member(obj, "extra_months_per_year") != NULL && w->wait != POL_WAIT_MONTHS)
        return policy__fail(c, base, "extra_months_per_year", "only with wait_months");
    rc = policy__want_int(c, obj, base, "extra_months_per_year", 0, 0, 12, &n);
    w->extra_months_per_year = (int)n;
    return rc;
}

/* A late-enrolment object: what a late enrollee pays and waits. */
static int parse_late_rule(pol_ctx_t *c, const cJSON *obj, const char *base, const policy_t *p,
                           policy_late_enrolment_t *w)
{
    int fee = 0;
    int rc = policy__check_keys(c, obj, base, wait_keys);

    if (rc == CB_OK)
        rc = policy__want_enum(c, obj, base, "fee", fee_names, -1, &fee);
    if (rc == CB_OK)
        rc = parse_wait(c, obj, base, w);
    if (rc == CB_OK)
        rc = policy__want_string(c, obj, base, "open_to", 0, &w->open_to);
    w->full_standard = fee == 0;
    w->fee_fen = fee == 0 ? p->funding_fen : p->fee_fen;
    return rc;
}

int policy__parse_late_enrolment(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *obj;
    int rc = policy__want_object(c, root, "", "late_enrolment", wait_keys, 0, &obj);

    if (rc < 0 || obj == NULL)
        return rc;
    rc = parse_late_rule(c, obj, "late_enrolment", p, &p->late_enrolment);
    p->has_late_enrolment = rc == CB_OK;
    return rc;
}

int policy__parse_late_window_rules(pol_ctx_t *c, const cJSON *item, const char *base,
                                    policy_t *p, policy_late_window_t *lw)
{
    char at[POL_PATH_LEN];
    const cJSON *after;
    int cover = POL_COVER_FROM_EVENT;
    int rc = policy__want_enum(c, item, base, "cover", cover_names, POL_COVER_FROM_EVENT, &cover);

    lw->cover = (pol_cover_t)cover;
    if (rc == CB_OK)
        rc = policy__want_string(c, item, base, "label", 0, &lw->label);
    if (rc == CB_OK)
        rc = policy__want_object(c, item, base, "after", wait_keys, 0, &after);
    if (rc < 0 || after == NULL)
        return rc;
    policy__path_join(at, base, "after");
    rc = parse_late_rule(c, after, at, p, &lw->after);
    lw->has_after = rc == CB_OK;
    return rc;
}

static int parse_targets(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *o;
    int64_t cov = 0, spec = 0;
    int rc = policy__want_object(c, root, "", "targets", targets_keys, 0, &o);

    if (rc < 0 || o == NULL)
        return rc;
    rc = policy__want_int(c, o, "targets", "coverage_percent", 1, 1, 100, &cov);
    if (rc == CB_OK)
        rc = policy__want_int(c, o, "targets", "special_percent", 0, 1, 100, &spec);
    p->targets = (policy_targets_t){.coverage_percent = (int)cov, .special_percent = (int)spec};
    p->has_targets = rc == CB_OK;
    return rc;
}

static int parse_agent_pay(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *o;
    policy_agent_pay_t *a = &p->agent_pay;
    int rc = policy__want_object(c, root, "", "agent_pay", agent_pay_keys, 0, &o);

    if (rc < 0 || o == NULL)
        return rc;
    rc = policy__want_int(c, o, "agent_pay", "per_person_fen", 1, 0, MAX_FEN, &a->per_person_fen);
    if (rc == CB_OK)
        rc = policy__want_int(c, o, "agent_pay", "reward_fen", 0, 0, MAX_FEN, &a->reward_fen);
    if (rc == CB_OK)
        rc = policy__want_int(c, o, "agent_pay", "penalty_per_point_fen", 0, 0, MAX_FEN,
                              &a->penalty_per_point_fen);
    if (rc == CB_OK && a->penalty_per_point_fen > 0 && !p->has_targets)
        rc = policy__fail(c, "agent_pay", "penalty_per_point_fen",
                          "needs targets.coverage_percent (the points count below it)");
    p->has_agent_pay = rc == CB_OK;
    return rc;
}

int policy__parse_rules(pol_ctx_t *c, const cJSON *root, policy_t *p)
{
    const cJSON *v = policy__member(root, "promote_ecert");
    int rc = CB_OK;

    if (policy__member(root, "subsidy_cutoff") != NULL)
        rc = policy__want_date(c, root, "", "subsidy_cutoff", &p->subsidy_cutoff);
    if (rc == CB_OK)
        rc = parse_targets(c, root, p);
    if (rc == CB_OK)
        rc = parse_agent_pay(c, root, p);
    if (rc == CB_OK)
        rc = policy__want_string(c, root, "", "last_twice", 0, &p->last_twice);
    if (rc == CB_OK && v != NULL && !cJSON_IsBool(v))
        rc = policy__fail(c, "", "promote_ecert", "must be true or false");
    p->promote_ecert = cJSON_IsTrue(v);
    return rc;
}

const char *policy_extension_flag(const policy_t *p)
{
    return p->ext_end != 0 ? p->ext_flag : NULL;
}

cb_date_t policy_last_day_for(const policy_t *p, int covered_by_extension)
{
    return covered_by_extension && p->ext_end != 0 ? p->ext_end : p->end;
}

pol_when_t policy_payment_when(const policy_t *p, cb_date_t paid, int covered_by_extension)
{
    if (paid < p->start)
        return POL_WHEN_EARLY;
    if (paid <= p->end)
        return POL_WHEN_WINDOW;
    if (paid <= policy_last_day_for(p, covered_by_extension))
        return POL_WHEN_EXTENSION;
    return POL_WHEN_LATE;
}

static cb_date_t year_start(const policy_t *p)
{
    cb_date_t d = 0;

    if (date_from_ymd(p->year, 1, 1, &d) < 0)
        return 0; /* not reached: the year was validated on loading */
    return d;
}

/* 'months' months after 'd' (the day clamped to the month's last), or 'd' if out of range. */
static cb_date_t add_months(cb_date_t d, int months)
{
    int y, m, dd;
    cb_date_t out;

    date_to_ymd(d, &y, &m, &dd);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    while (dd > 28 && date_from_ymd(y, m, dd, &out) < 0)
        dd--;
    return date_from_ymd(y, m, dd, &out) < 0 ? d : out;
}

static cb_date_t next_month(cb_date_t d)
{
    int y, m, dd;
    cb_date_t out;

    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, &out) < 0 ? d : out;
}

cb_date_t policy_wait_cover_start(const policy_t *p, const policy_late_enrolment_t *w,
                                  cb_date_t paid, int uninsured_years)
{
    cb_date_t start = paid, first = year_start(p);
    int extra = uninsured_years > 1 ? uninsured_years - 1 : 0;

    switch (w->wait) {
    case POL_WAIT_DAYS: start = paid + w->wait_days; break;
    case POL_WAIT_NEXT_MONTH: start = next_month(paid); break;
    case POL_WAIT_NONE: break;
    case POL_WAIT_MONTHS:
        start = add_months(paid, w->wait_months + extra * w->extra_months_per_year);
        break;
    }
    return start > first ? start : first;
}

/* The event date a late window counts from, or 0 when the store does not know it. */
static cb_date_t event_of(const policy_late_window_t *lw, cb_date_t birth, cb_date_t lapse)
{
    if (strcmp(lw->from, "birth") == 0)
        return birth;
    if (strcmp(lw->from, "lapse") == 0)
        return lapse;
    return 0;
}

void policy_late_case(const policy_t *p, cb_date_t paid, cb_date_t birth, cb_date_t lapse,
                      policy_late_case_t *out)
{
    const policy_late_enrolment_t *after = p->has_late_enrolment ? &p->late_enrolment : NULL;
    cb_date_t first = year_start(p);

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < p->nlate; i++) {
        const policy_late_window_t *lw = &p->late[i];
        cb_date_t ev = event_of(lw, birth, lapse);
        if (ev == 0 || ev > paid || ev < first - 366)
            continue;
        if (lw->days == 0 || paid < ev + lw->days) {
            cb_date_t c = lw->cover == POL_COVER_FROM_EVENT   ? ev
                          : lw->cover == POL_COVER_NEXT_MONTH ? next_month(paid)
                                                              : paid;
            *out = (policy_late_case_t){.allowed = 1, .rule = lw->name, .fee_fen = p->fee_fen,
                                        .cover_from = c > first ? c : first};
            return;
        }
        if (lw->has_after) {
            after = &lw->after;
            out->rule = lw->name;
            break;
        }
    }
    if (after == NULL)
        return;
    out->allowed = 1;
    if (out->rule == NULL)
        out->rule = "late_enrolment";
    out->fee_fen = after->fee_fen;
    out->full_standard = after->full_standard;
    out->wait = after;
    out->cover_from = policy_wait_cover_start(p, after, paid, 0);
}

cb_date_t policy_subsidy_cutoff(const policy_t *p)
{
    return p->subsidy_cutoff;
}

const policy_targets_t *policy_targets(const policy_t *p)
{
    return p->has_targets ? &p->targets : NULL;
}

const policy_agent_pay_t *policy_agent_pay(const policy_t *p)
{
    return p->has_agent_pay ? &p->agent_pay : NULL;
}

const char *policy_last_twice(const policy_t *p)
{
    return p->last_twice;
}

int policy_promote_ecert(const policy_t *p)
{
    return p->promote_ecert;
}

const policy_late_window_t *policy_late_window_from(const policy_t *p, const char *from)
{
    for (size_t i = 0; i < policy_nlate_windows(p); i++) {
        const policy_late_window_t *lw = policy_late_window(p, i);
        if (strcmp(lw->from, from) == 0)
            return lw;
    }
    return NULL;
}
