/* SPDX-License-Identifier: MIT */
/*
 * store_paydate.h - the calendar side of payments: the day a payment was made and,
 * for one outside the window, the late rule it was taken under and the first day of
 * cover; the list flags (e.g. "外出务工", the people a window extension covers); a
 * person's lapse date.
 * Threading: as store.h. Strings are borrowed for the call.
 */
#ifndef CB_STORE_STORE_PAYDATE_H
#define CB_STORE_STORE_PAYDATE_H

#include <stdint.h>

#include "core/compiler.h"
#include "core/date.h"
#include "store/store.h"

/* Mark the payment with row id 'payment_id': paid on 'paid_on'; 'late' the late rule
 * ("late_enrolment", a late window's name, "extension" for the extension, or NULL for
 * a window payment) and 'cover_from' its first day of cover (0 for a window payment). */
CB_NODISCARD int store_payment_dated(store_t *st, int64_t payment_id, cb_date_t paid_on,
                                     const char *late, cb_date_t cover_from);

/* 1 when the person carries 'flag' in 'campaign', 0 when not, or negative. */
CB_NODISCARD int store_flag_has(store_t *st, int64_t campaign, int64_t person_id,
                                const char *flag);
/* The ids of the people carrying 'flag' in 'campaign', ascending, in *ids (free() it;
 * NULL when none) and their count in *n; CB_OK or negative. */
CB_NODISCARD int store_flag_people(store_t *st, int64_t campaign, const char *flag,
                                   int64_t **ids, size_t *n);
/* Give the person 'flag': 1 when new, 0 when they had it, or negative. */
CB_NODISCARD int store_flag_set(store_t *st, int64_t campaign, int64_t person_id,
                                const char *flag);

/* How many paid persons of 'campaign' enrolled late (a payment taken under a late
 * rule: late enrolment, a late window or the extension) into *n: CB_OK or negative. */
CB_NODISCARD int store_late_count(store_t *st, int64_t campaign, int64_t *n);

/* The person's lapse date into *out (0 when none): CB_OK or negative. */
CB_NODISCARD int store_lapse_get(store_t *st, int64_t campaign, int64_t person_id,
                                 cb_date_t *out);

#endif
