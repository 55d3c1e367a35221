/* SPDX-License-Identifier: MIT */
/*
 * store_people.h - walking the people of a campaign for broadcasts and jobs: each
 * living enrolled person with what a message needs, ordered by phone so people
 * who share a phone come together.
 * Threading: as store.h.
 */
#ifndef CB_STORE_STORE_PEOPLE_H
#define CB_STORE_STORE_PEOPLE_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

/* Strings are borrowed for the duration of the callback. */
typedef struct store_person_row {
    int64_t id, area_id, key;
    const char *id_number, *name, *phone, *household, *status, *categories;
    const char *anchor; /* store_people_dated: the person's date that matched; else NULL */
} store_person_row_t;

/*
 * Call fn for every person enrolled in 'campaign' who is not deceased, whose
 * status is 'status' (NULL: any), ordered by phone (people without a phone last),
 * then id. fn returns 0 to go on, nonzero to stop (returned as is).
 * "unpaid" leaves out people with something pending for a worker: a waiver they
 * asked for (not yet signed), or a reported death or cover elsewhere (an open claim
 * other than "I paid"): no "unpaid" reminders while that is pending.
 */
CB_NODISCARD int store_people_each(store_t *st, int64_t campaign, const char *status,
                                   int (*fn)(void *ud, const store_person_row_t *p), void *ud);

/* As store_people_each, for the living people of 'campaign' whose phone is 'phone'
 * (normalised, 11 digits), in roster order (person id). */
CB_NODISCARD int store_people_by_phone(store_t *st, int64_t campaign, const char *phone,
                                       int (*fn)(void *ud, const store_person_row_t *p),
                                       void *ud);

/* As store_people_each, for the people whose birth date ('what' "birth") or lapse
 * date ('what' "lapse", imported with 'import lapses') is in [from, to] (inclusive
 * "YYYY-MM-DD"); the row's 'anchor' is that date. */
CB_NODISCARD int store_people_dated(store_t *st, int64_t campaign, const char *status,
                                    const char *what, const char *from, const char *to,
                                    int (*fn)(void *ud, const store_person_row_t *p), void *ud);

/* Record that person 'person_id''s employee insurance ended on 'day' ("YYYY-MM-DD",
 * table lapse): 1 when new, 2 when it replaced another date, 0 when unchanged. */
CB_NODISCARD int store_lapse_set(store_t *st, int64_t campaign, int64_t person_id,
                                 const char *day);

#endif
