/* SPDX-License-Identifier: MIT */
/*
 * policy.h - a campaign policy: county, coverage year, collection window, fees,
 * subsidy categories, milestones and late windows, loaded from a JSON file
 * (format in docs/policy.md, examples in examples/), and what a person owes under it.
 *
 * A policy_t is immutable after loading and may be read from any thread.
 * Money is integer fen throughout.
 */
#ifndef CB_CORE_POLICY_H
#define CB_CORE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"

typedef struct policy policy_t;

typedef enum pol_rule {
    POL_RULE_FULL,    /* the whole personal fee is subsidised */
    POL_RULE_PERCENT, /* 'percent' of the personal fee is subsidised */
    POL_RULE_FIXED    /* a fixed amount 'amount_fen' is subsidised (capped at the fee) */
} pol_rule_t;

typedef enum pol_payer {
    POL_PAYER_RESIDENT,  /* the resident pays what is due through a tax channel */
    POL_PAYER_DEPARTMENT /* a department pays for the person in bulk: no reminders */
} pol_payer_t;

typedef enum pol_settle {
    POL_SETTLE_AT_PAYMENT, /* the subsidy is deducted when paying */
    POL_SETTLE_REFUND_AFTER /* pay the whole fee, the subsidy is refunded later (先缴后补) */
} pol_settle_t;

typedef struct policy_category {
    const char *name;           /* canonical name, e.g. "低保" */
    const char *const *aliases; /* other spellings found in rosters; 'naliases' of them */
    size_t naliases;
    pol_rule_t rule;
    int percent;        /* POL_RULE_PERCENT: 1..100 */
    int64_t amount_fen; /* POL_RULE_FIXED: > 0 */
    pol_payer_t payer;
    pol_settle_t settlement;
    const char *contact;       /* the paying department's contact, or NULL */
    const char *contact_phone; /* their phone: "departments" reminders go there, or NULL */
} policy_category_t;

typedef struct policy_milestone {
    cb_date_t date;
    int percent; /* share of the target to be paid by 'date', 1..100 */
} policy_milestone_t;

typedef enum pol_wait {
    POL_WAIT_DAYS,       /* cover starts 'wait_days' days after the payment */
    POL_WAIT_NEXT_MONTH, /* cover starts on the 1st of the month after the payment */
    POL_WAIT_NONE,       /* cover starts on the day of payment (no waiting period) */
    POL_WAIT_MONTHS      /* cover starts 'wait_months' months after the payment (the 2025
                          * national rule: 3, plus 'extra_months_per_year' for each further
                          * year without insurance) */
} pol_wait_t;

/* Late enrolment for people outside the window who fit no late window (or whose
 * late window has passed): what they pay and how long they wait. A late enrollee
 * never gets a category's subsidy (平利: 未在集中缴费期参保的人员，不享受个人缴费分类资助). */
typedef struct policy_late_enrolment {
    int64_t fee_fen; /* what the late enrollee pays: the funding standard or the personal fee */
    int full_standard; /* 1: fee_fen is the funding standard (筹资标准) */
    pol_wait_t wait;
    int wait_days;   /* POL_WAIT_DAYS: 1..366, else 0 */
    int wait_months; /* POL_WAIT_MONTHS: 1..24, else 0 */
    int extra_months_per_year; /* POL_WAIT_MONTHS: 0..12 more for each further uninsured year */
    const char *open_to; /* who may enrol late at all (平利: only special cases), or NULL */
} policy_late_enrolment_t;

typedef enum pol_cover {
    POL_COVER_FROM_EVENT,   /* from the event itself: birth, lapse day (the default) */
    POL_COVER_FROM_PAYMENT, /* from the day of payment */
    POL_COVER_NEXT_MONTH    /* from the 1st of the month after payment */
} pol_cover_t;

typedef struct policy_late_window {
    const char *name;  /* e.g. "newborn", "employee_insurance_ended" */
    const char *from;  /* the event the days count from: "birth", "lapse", "release", ... */
    int days;          /* e.g. 90; 0: no limit (平利's lapse: any time, covered next month) */
    pol_cover_t cover; /* when cover starts for someone who pays in the window; they pay
                        * the personal fee */
    /* After the window: this rule, or the policy's late_enrolment when !has_after. */
    int has_after;
    policy_late_enrolment_t after;
    const char *label; /* what messages call the group, e.g. "新生儿"; NULL: none */
} policy_late_window_t;

/* What one person owes under the policy (see policy_owed). */
typedef struct policy_owed {
    int64_t pay_now_fen; /* what the resident pays now through a tax channel */
    int64_t subsidy_fen; /* the subsidised part of the personal fee */
    int64_t refund_fen;  /* what is refunded to the resident after paying */
    pol_payer_t payer;   /* who pays the person's contribution to the tax bureau */
    int category;        /* index of the category applied, or -1 for none */
} policy_owed_t;

/*
 * Parse a policy from 'len' bytes of JSON. On failure returns CB_ECONFIG (or
 * CB_EPARSE for broken JSON), leaves *out NULL and writes one sentence naming the
 * field and the reason into 'err' (may be NULL), e.g.
 * "categories[2].rule: must be one of full, percent, fixed".
 * The caller frees *out with policy_destroy.
 */
CB_NODISCARD int policy_parse(const char *json, size_t len, policy_t **out, char *err,
                              size_t errlen);

/* policy_parse on the contents of the file at 'path'; CB_EIO if it cannot be read
 * (the message names the path), CB_ETOOBIG if it is larger than 1 MiB. */
CB_NODISCARD int policy_load(const char *path, policy_t **out, char *err, size_t errlen);

/* NULL is a no-op. */
void policy_destroy(policy_t *p);

/* Borrowed strings live as long as the policy. */
const char *policy_county(const policy_t *p);
int policy_year(const policy_t *p);                 /* the coverage year */
cb_date_t policy_window_start(const policy_t *p);
cb_date_t policy_window_end(const policy_t *p);
/* The extended end and who it applies to; 0 and NULL when there is no extension. */
cb_date_t policy_extension_end(const policy_t *p, const char **applies_to);
int64_t policy_fee_fen(const policy_t *p);          /* personal contribution */
int64_t policy_funding_fen(const policy_t *p);      /* full funding standard */

size_t policy_ncategories(const policy_t *p);
const policy_category_t *policy_category(const policy_t *p, size_t i);
/* Index of the category whose name or alias equals the 'len' bytes at 'name'
 * (exact match after the caller's trimming), or -1. */
int policy_category_find(const policy_t *p, const char *name, size_t len);

size_t policy_nmilestones(const policy_t *p);
const policy_milestone_t *policy_milestone(const policy_t *p, size_t i);
size_t policy_nlate_windows(const policy_t *p);
const policy_late_window_t *policy_late_window(const policy_t *p, size_t i);

/* The issuing office, or NULL when the file names none. */
const char *policy_issuer(const policy_t *p);
/* How residents pay, as reminders name it (e.g. "湘税社保APP、微信或银行"), at most
 * POLICY_CHANNELS_MAX characters, or NULL when the file names none. */
const char *policy_payment_channels(const policy_t *p);
#define POLICY_CHANNELS_MAX 24
/* The label of milestone 'i' (e.g. "11月底最低完成80%"), or NULL when it has none. */
const char *policy_milestone_label(const policy_t *p, size_t i);

/* The late-enrolment rule, or NULL when the policy has none (borrowed, lives as
 * long as the policy). */
const policy_late_enrolment_t *policy_late_enrolment(const policy_t *p);

/* The first day of cover of a late enrollee who pays on 'paid': after the waiting
 * period, and never before 1 January of the coverage year. CB_ENOTFOUND (and *out
 * untouched) when the policy has no late-enrolment rule. */
CB_NODISCARD int policy_late_cover_start(const policy_t *p, cb_date_t paid, cb_date_t *out);

/*
 * What a person in the categories cats[0..ncats-1] (indices into the policy)
 * owes. With several categories the single highest subsidy applies, never a sum
 * (就高不就低); ties go to the category listed first in the policy. With none:
 * the full fee, paid by the resident. Indices outside the policy are ignored.
 */
policy_owed_t policy_owed(const policy_t *p, const int *cats, size_t ncats);

#endif
