/* SPDX-License-Identifier: MIT */
/*
 * policy_rules.h - the campaign rules of a policy beyond fees and categories, as
 * data the code reads and templates render: who the window's extension covers,
 * where a payment falls in the calendar and what it means when it falls outside the
 * window (a late window, late enrolment with its fee and waiting period), the
 * subsidy lists' cut-off, the coverage targets and the agents' pay, what a town
 * ranked last twice in a row gets, and whether thank-yous promote the e-certificate.
 * Format in docs/policy.md. Pure; a policy_t is immutable after loading.
 */
#ifndef CB_CORE_POLICY_RULES_H
#define CB_CORE_POLICY_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"
#include "core/policy.h"

/* The list flag that marks the people the extension covers (e.g. "外出务工", set by
 * 'canbao import flags FILE --flag NAME'), or NULL when the policy names none (then
 * the extension covers nobody the store can tell). */
const char *policy_extension_flag(const policy_t *p);

/* Where a payment made on a day falls. */
typedef enum pol_when {
    POL_WHEN_WINDOW,    /* within the collection window */
    POL_WHEN_EXTENSION, /* after the window, within the extension, for someone it covers */
    POL_WHEN_LATE,      /* after the window (and the extension, for those it covers) */
    POL_WHEN_EARLY      /* before the window opened */
} pol_when_t;

/* 'covered_by_extension': the person carries the extension's flag. */
pol_when_t policy_payment_when(const policy_t *p, cb_date_t paid, int covered_by_extension);

/* The last day this person may pay as a window payment: the extension's end when it
 * covers them, else the window's end. */
cb_date_t policy_last_day_for(const policy_t *p, int covered_by_extension);

/* What a payment outside the window means for one person (policy_late_case). */
typedef struct policy_late_case {
    int allowed;         /* 0: no rule of the policy lets this person enrol now */
    const char *rule;    /* the late window's name, or "late_enrolment" */
    int64_t fee_fen;     /* what they owe (no subsidy applies) */
    int full_standard;   /* 1: fee_fen is the full funding standard */
    cb_date_t cover_from; /* first day of cover (never before 1 January of the year) */
    const policy_late_enrolment_t *wait; /* the waiting rule applied; NULL in a late
                                          * window's own days (covered per its 'cover') */
} policy_late_case_t;

/* The late case of a payment on 'paid' by a person born on 'birth' (0: unknown) whose
 * employee insurance ended on 'lapse' (0: none): a late window whose days still run
 * (the personal fee, cover per the window), else that window's 'after' rule or the
 * policy's late_enrolment (its fee, cover after the waiting period), else not allowed. */
void policy_late_case(const policy_t *p, cb_date_t paid, cb_date_t birth, cb_date_t lapse,
                      policy_late_case_t *out);

/* The first late window counting from the event 'from' ("birth", "lapse"), or NULL. */
const policy_late_window_t *policy_late_window_from(const policy_t *p, const char *from);

/* The first day of cover under the waiting rule 'w' for a payment on 'paid', never
 * before 1 January of the coverage year; 'uninsured_years' adds the per-year months
 * of POL_WAIT_MONTHS. */
cb_date_t policy_wait_cover_start(const policy_t *p, const policy_late_enrolment_t *w,
                                  cb_date_t paid, int uninsured_years);

/* Subsidy lists: a department's name dated (imported) after this day counts for the
 * next year (平利: 认定时间以9月30日前为准); 0 when the policy sets no cut-off. */
cb_date_t policy_subsidy_cutoff(const policy_t *p);

/* Coverage targets (冷市: 98% overall, 100% for the special groups); 0 when unset. */
typedef struct policy_targets {
    int coverage_percent;
    int special_percent;
} policy_targets_t;
const policy_targets_t *policy_targets(const policy_t *p); /* NULL when none */

/* Collection agents' pay per village (冷市: 3 yuan per person collected, 2000 yuan for
 * reaching the task, 50 yuan less per point of coverage below the target). */
typedef struct policy_agent_pay {
    int64_t per_person_fen;
    int64_t reward_fen;
    int64_t penalty_per_point_fen;
} policy_agent_pay_t;
const policy_agent_pay_t *policy_agent_pay(const policy_t *p); /* NULL when none */

/* What an area ranked last in two reports in a row gets (平利: "约谈"), or NULL. */
const char *policy_last_twice(const policy_t *p);

/* 1 when thank-yous promote the medical-insurance e-certificate (医保电子凭证). */
int policy_promote_ecert(const policy_t *p);

#endif
