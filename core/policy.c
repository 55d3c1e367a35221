/* SPDX-License-Identifier: MIT */
/* policy.c - reading a policy file, accessors and what a person owes.
 * Parsing and validation are in policy_parse.c. */
#include "core/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/policy_internal.h"
#include "core/policy_rules.h"

/* A policy file is a few kilobytes; anything this large is the wrong file. */
#define POLICY_MAX_BYTES ((size_t)1 << 20)

int policy_load(const char *path, policy_t **out, char *err, size_t errlen)
{
    FILE *f = NULL;
    char *data = NULL;
    size_t n;
    int rc;

    *out = NULL;
    f = fopen(path, "rb");
    if (f == NULL) {
        rc = CB_EIO;
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    data = xmalloc(POLICY_MAX_BYTES + 1);
    n = fread(data, 1, POLICY_MAX_BYTES + 1, f);
    if (ferror(f)) {
        rc = CB_EIO;
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: read error", path);
        goto out;
    }
    if (n > POLICY_MAX_BYTES) {
        rc = CB_ETOOBIG;
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: larger than 1 MiB, not a policy file", path);
        goto out;
    }
    rc = policy_parse(data, n, out, err, errlen);
out:
    free(data);
    if (f != NULL)
        fclose(f);
    return rc;
}

void policy_destroy(policy_t *p)
{
    if (p == NULL)
        return;
    free(p->cats);
    free(p->aliases);
    free(p->names);
    free(p->milestones);
    free(p->milestone_labels);
    free(p->late);
    free(p->reminders);
    cJSON_Delete(p->root);
    free(p);
}

const char *policy_county(const policy_t *p)
{
    return p->county;
}

const char *policy_issuer(const policy_t *p)
{
    return p->issuer;
}

const char *policy_payment_channels(const policy_t *p)
{
    return p->payment_channels;
}

int policy_year(const policy_t *p)
{
    return p->year;
}

cb_date_t policy_window_start(const policy_t *p)
{
    return p->start;
}

cb_date_t policy_window_end(const policy_t *p)
{
    return p->end;
}

cb_date_t policy_extension_end(const policy_t *p, const char **applies_to)
{
    if (applies_to != NULL)
        *applies_to = p->ext_applies_to;
    return p->ext_end;
}

int64_t policy_fee_fen(const policy_t *p)
{
    return p->fee_fen;
}

int64_t policy_funding_fen(const policy_t *p)
{
    return p->funding_fen;
}

size_t policy_ncategories(const policy_t *p)
{
    return p->ncats;
}

const policy_category_t *policy_category(const policy_t *p, size_t i)
{
    return i < p->ncats ? &p->cats[i] : NULL;
}

int policy_category_find(const policy_t *p, const char *name, size_t len)
{
    for (size_t i = 0; i < p->nnames; i++) {
        if (p->names[i].len == len && memcmp(p->names[i].s, name, len) == 0)
            return p->names[i].cat;
    }
    return -1;
}

size_t policy_nmilestones(const policy_t *p)
{
    return p->nmilestones;
}

const policy_milestone_t *policy_milestone(const policy_t *p, size_t i)
{
    return i < p->nmilestones ? &p->milestones[i] : NULL;
}

const char *policy_milestone_label(const policy_t *p, size_t i)
{
    return i < p->nmilestones ? p->milestone_labels[i] : NULL;
}

size_t policy_nlate_windows(const policy_t *p)
{
    return p->nlate;
}

const policy_late_window_t *policy_late_window(const policy_t *p, size_t i)
{
    return i < p->nlate ? &p->late[i] : NULL;
}

const policy_late_enrolment_t *policy_late_enrolment(const policy_t *p)
{
    return p->has_late_enrolment ? &p->late_enrolment : NULL;
}

int policy_late_cover_start(const policy_t *p, cb_date_t paid, cb_date_t *out)
{
    const policy_late_enrolment_t *le = policy_late_enrolment(p);

    if (le == NULL)
        return CB_ENOTFOUND;
    *out = policy_wait_cover_start(p, le, paid, 0);
    return CB_OK;
}

/* The subsidised part of the personal fee under category 'c'. */
static int64_t subsidy_of(const policy_t *p, const policy_category_t *c)
{
    switch (c->rule) {
    case POL_RULE_FULL: return p->fee_fen;
    case POL_RULE_PERCENT: return p->fee_fen * c->percent / 100;
    case POL_RULE_FIXED: return c->amount_fen < p->fee_fen ? c->amount_fen : p->fee_fen;
    }
    return 0;
}

policy_owed_t policy_owed(const policy_t *p, const int *cats, size_t ncats)
{
    policy_owed_t o = {.pay_now_fen = p->fee_fen, .payer = POL_PAYER_RESIDENT, .category = -1};
    const policy_category_t *win;

    for (size_t i = 0; i < ncats; i++) {
        int k = cats[i];
        int64_t s;

        if (k < 0 || (size_t)k >= p->ncats)
            continue;
        s = subsidy_of(p, &p->cats[k]);
        if (o.category < 0 || s > o.subsidy_fen || (s == o.subsidy_fen && k < o.category)) {
            o.category = k;
            o.subsidy_fen = s;
        }
    }
    if (o.category < 0)
        return o;
    win = &p->cats[o.category];
    o.payer = win->payer;
    if (win->payer == POL_PAYER_DEPARTMENT)
        o.pay_now_fen = 0;
    else if (win->settlement == POL_SETTLE_REFUND_AFTER)
        o.refund_fen = o.subsidy_fen;
    else
        o.pay_now_fen = p->fee_fen - o.subsidy_fen;
    return o;
}
