/* SPDX-License-Identifier: MIT */
/*
 * store_roster.h - areas (township > village > group), targets, households and
 * persons with their per-campaign status and categories, and the audit log of
 * every change to an existing person.
 *
 * Threading: as store.h. Strings passed in are borrowed for the call.
 */
#ifndef CB_STORE_STORE_ROSTER_H
#define CB_STORE_STORE_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

enum { AREA_TOWNSHIP = 1, AREA_VILLAGE = 2, AREA_GROUP = 3 };

/*
 * The area called by the 'len' bytes at 'name' under 'parent' (0 for a township).
 * With 'create' a missing area is added; without, it is CB_ENOTFOUND.
 */
CB_NODISCARD int store_area_get(store_t *st, int64_t parent, int level, const char *name,
                                size_t len, int create, int64_t *id);

typedef struct store_area {
    int64_t id;
    int64_t parent; /* 0 for a township */
    int level;      /* AREA_* */
    char *name;
} store_area_t;

/* Every area, ordered by id (parents before children). Free with store_areas_free. */
CB_NODISCARD int store_areas(store_t *st, store_area_t **out, size_t *n);
void store_areas_free(store_area_t *areas, size_t n);

/* Set an area's target for a campaign ('registered' < 0: unknown). */
CB_NODISCARD int store_target_set(store_t *st, int64_t campaign, int64_t area, int64_t target,
                                  int64_t registered);

typedef struct store_target {
    int64_t area_id;
    int64_t target;
    int64_t registered; /* -1 when unknown */
} store_target_t;

/* Every target of 'campaign'. The caller frees *out with free(). */
CB_NODISCARD int store_targets(store_t *st, int64_t campaign, store_target_t **out, size_t *n);

/* One person as the roster gives it. NULL optional fields mean "none". */
typedef struct store_person {
    int64_t key;            /* idcard_key() of id_number */
    const char *id_number;  /* normalised 18 characters */
    const char *name;
    const char *phone;      /* 11 digits, or NULL */
    const char *household;  /* household code, or NULL */
    const char *relation;   /* relation to the head of household, or NULL */
    int64_t area_id;        /* the finest area given (group, else village) */
    const char *birth_date; /* "YYYY-MM-DD", or NULL */
    const char *status;     /* core/status.h name; NULL keeps what is stored ("unpaid" if new) */
    const char *categories; /* canonical names joined by ';', "" for none; NULL keeps
                             * what is stored ("" if new) */
} store_person_t;

typedef enum store_upsert {
    STORE_INSERTED = 0,
    STORE_UPDATED = 1,
    STORE_UNCHANGED = 2
} store_upsert_t;

/*
 * Insert the person (with their enrolment in 'campaign', and their household when
 * it is new), or update the stored one when a field differs, writing one audit row
 * (old, new, 'source', 'now') per changed field. A status of "unpaid" never
 * replaces another stored status: a recorded payment, waiver or death is undone
 * only by its own flow, not by an older roster.
 * Returns a store_upsert_t (>= 0) or a negative CB_E*. Call inside a transaction:
 * a person and their enrolment are written by separate statements.
 */
CB_NODISCARD int store_person_upsert(store_t *st, int64_t campaign, const store_person_t *p,
                                     const char *source, int64_t now);

/*
 * store_person_upsert on each of the 'n' persons at 'p' in turn, with the same
 * results (outcome[i] is the store_upsert_t of p[i]; a key given twice updates
 * the first), but new people are written many at a time: what a bulk import
 * calls. New persons get the ids after the largest stored one, in order.
 * Returns CB_OK, or a negative CB_E* after which the transaction must be rolled
 * back (some persons may have been written). Call inside a transaction. The
 * strings are borrowed for the call.
 */
CB_NODISCARD int store_persons_put(store_t *st, int64_t campaign, const store_person_t *p,
                                   size_t n, const char *source, int64_t now,
                                   unsigned char *outcome);

/* One person with their status in 'campaign'; strings are the caller's to free
 * with store_resident_free. CB_ENOTFOUND for an unknown key. */
typedef struct store_resident {
    int64_t id;
    char *id_number, *name, *phone, *household, *relation, *birth_date, *status, *categories;
    int64_t area_id;
} store_resident_t;

CB_NODISCARD int store_resident_get(store_t *st, int64_t campaign, int64_t key,
                                    store_resident_t *out);
void store_resident_free(store_resident_t *r);

/* Set a person's status in 'campaign', with an audit row. */
CB_NODISCARD int store_status_set(store_t *st, int64_t campaign, int64_t person_id,
                                  const char *old_status, const char *status, const char *source,
                                  int64_t now);

/* Set a person's categories (canonical form) in 'campaign', with an audit row. */
CB_NODISCARD int store_categories_set(store_t *st, int64_t campaign, int64_t person_id,
                                      const char *old, const char *categories,
                                      const char *source, int64_t now);

/* The names of the township, village and group at or above 'area' into the three
 * buffers of 'len' bytes each ("" for a level the area lacks, truncated to fit). */
CB_NODISCARD int store_area_names(store_t *st, int64_t area, char *township, char *village,
                                  char *group, size_t len);

/* An area's target: 1 with the figures, 0 when it has none, or negative. */
CB_NODISCARD int store_target_get(store_t *st, int64_t campaign, int64_t area, int64_t *target,
                                  int64_t *registered);

#endif
