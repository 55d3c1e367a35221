/* SPDX-License-Identifier: MIT */
#include "core/onpace.h"

#include "core/status.h"

onpace_t onpace_at(const policy_t *pol, cb_date_t day)
{
    size_t n = policy_nmilestones(pol);
    policy_milestone_t prev = {policy_window_start(pol), 0};
    onpace_t p = {.next = prev};

    for (size_t i = 0; i <= n; i++) {
        policy_milestone_t m;
        if (i < n) {
            m = *policy_milestone(pol, i);
        } else if (n == 0 || policy_milestone(pol, n - 1)->percent < 100) {
            m = (policy_milestone_t){policy_window_end(pol), 100};
        } else {
            break;
        }
        p.next = m;
        p.label = i < n ? policy_milestone_label(pol, i) : NULL;
        p.implicit = i == n;
        if (day <= m.date) {
            double share = 1.0;
            if (day <= prev.date)
                share = 0.0;
            else if (m.date > prev.date)
                share = (double)(day - prev.date) / (double)(m.date - prev.date);
            p.expected = (prev.percent + (m.percent - prev.percent) * share) / 100.0;
            return p;
        }
        prev = m;
    }
    p.past = 1;
    p.expected = p.next.percent / 100.0;
    return p;
}

int64_t onpace_needed(const onpace_t *p, const progress_row_t *r)
{
    if (r->target < 0)
        return -1;
    /* Rounded up; the epsilon keeps 80% of 500 at 400 despite rounding error. */
    double x = p->expected * (double)r->target - 1e-9;
    int64_t n = (int64_t)x;
    return n < x ? n + 1 : n;
}

int onpace_behind(const onpace_t *p, const progress_row_t *r)
{
    return r->target > 0 && r->by_status[PS_PAID] < onpace_needed(p, r);
}
