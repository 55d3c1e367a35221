/* SPDX-License-Identifier: MIT */
/*
 * policy_internal.h - the body of policy_t, shared by policy.c (accessors, what a
 * person owes) and policy_parse.c (loading and validation), and the value checks
 * of policy_json.c. Only core/ includes it.
 * Threading: as policy.h (immutable after loading).
 */
#ifndef CB_CORE_POLICY_INTERNAL_H
#define CB_CORE_POLICY_INTERNAL_H

#include <cjson/cJSON.h>

#include "core/compiler.h"
#include "core/policy.h"
#include "core/policy_rules.h"

/* One spelling of a category (its name or an alias), for policy_category_find. */
typedef struct pol_name {
    const char *s;
    size_t len;
    int cat;
} pol_name_t;

struct policy {
    cJSON *root; /* the parsed file: owns every string below */
    const char *county;
    const char *issuer;           /* NULL when absent */
    const char *payment_channels; /* NULL when absent */
    int year;
    cb_date_t start, end;
    cb_date_t ext_end;          /* 0 without an extension */
    const char *ext_applies_to; /* NULL without an extension */
    int64_t fee_fen, funding_fen;

    policy_category_t *cats;
    size_t ncats;
    const char **aliases; /* every category's aliases; cats[i].aliases point into it */
    pol_name_t *names;    /* every name and alias, in policy order */
    size_t nnames;

    policy_milestone_t *milestones;
    const char **milestone_labels; /* parallel to 'milestones'; NULL entries allowed */
    size_t nmilestones;

    policy_late_window_t *late;
    size_t nlate;

    struct policy_reminder *reminders;
    size_t nreminders;

    int has_late_enrolment;
    policy_late_enrolment_t late_enrolment;

    /* policy_rules.c */
    const char *ext_flag; /* NULL without one */
    cb_date_t subsidy_cutoff;
    int has_targets, has_agent_pay, promote_ecert;
    policy_targets_t targets;
    policy_agent_pay_t agent_pay;
    const char *last_twice;
};

/* Where the first validation error goes ('err' may be NULL). */
typedef struct pol_ctx {
    char *err;
    size_t errlen;
} pol_ctx_t;

/* Room for a value's path, e.g. "categories[12].aliases[3]". */
#define POL_PATH_LEN 96

/*
 * The checks below read the value of 'key' in the object 'obj' whose path is 'base'
 * ("" at the top level). On failure each writes "base.key: reason" into the
 * context and returns CB_ECONFIG; strings they hand out are borrowed from 'obj'.
 */

/* Write "base.key: <message>" ("key: ..." at the top, "base: ..." for an empty key,
 * the bare message when both are empty); returns CB_ECONFIG. */
int policy__fail(pol_ctx_t *c, const char *base, const char *key, const char *fmt, ...)
    CB_PRINTF(4, 5);
/* "line L, column C: <what>" for a syntax error at 'at' in 'json'; returns CB_EPARSE. */
int policy__syntax_error(pol_ctx_t *c, const char *json, const char *at, const char *what);

void policy__path_join(char buf[POL_PATH_LEN], const char *base, const char *key);
void policy__path_index(char buf[POL_PATH_LEN], const char *base, const char *key, size_t i);
const cJSON *policy__member(const cJSON *obj, const char *key);
int policy__is_blank(char ch);

/* 'obj' must be an object whose keys are all in the NULL-ended 'keys', each once. */
int policy__check_keys(pol_ctx_t *c, const cJSON *obj, const char *base, const char *const *keys);
/* 'v' itself must be a non-empty UTF-8 string without surrounding blanks. */
int policy__string_value(pol_ctx_t *c, const cJSON *v, const char *base, const char *key,
                         const char **out);
/* Such a string; an optional one that is absent gives *out NULL. */
int policy__want_string(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                        int required, const char **out);
/* An integer in lo..hi; an optional one that is absent leaves *out as it was. */
int policy__want_int(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                     int required, int64_t lo, int64_t hi, int64_t *out);
/* A required date in a shape date_parse accepts. */
int policy__want_date(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                      cb_date_t *out);
/* One of the NULL-ended 'names' (*out its index); 'def' < 0 makes it required. */
int policy__want_enum(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                      const char *const *names, int def, int *out);
/* An object with the keys 'keys'; an optional one that is absent gives *out NULL. */
int policy__want_object(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                        const char *const *keys, int required, const cJSON **out);
/* An array of at most 'max' entries; an optional one that is absent gives *out NULL, *n 0. */
int policy__want_array(pol_ctx_t *c, const cJSON *obj, const char *base, const char *key,
                       int required, size_t max, const cJSON **out, size_t *n);

/* policy_rules.c: the "late_enrolment" object; a late window's "cover", "after" and
 * "label" (its other keys are parse_late_window's); the top-level rule keys
 * ("subsidy_cutoff", "targets", "agent_pay", "last_twice", "promote_ecert"). */
int policy__parse_late_enrolment(pol_ctx_t *c, const cJSON *root, policy_t *p);
int policy__parse_late_window_rules(pol_ctx_t *c, const cJSON *item, const char *base,
                                    policy_t *p, policy_late_window_t *lw);
int policy__parse_rules(pol_ctx_t *c, const cJSON *root, policy_t *p);

/* The "reminders" array (policy_remind.c). */
int policy__parse_reminders(pol_ctx_t *c, const cJSON *root, policy_t *p);

#endif
