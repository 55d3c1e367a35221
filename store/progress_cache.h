/* SPDX-License-Identifier: MIT */
/*
 * progress_cache.h - the counts behind progress (areas, targets, persons per area,
 * status and special group) held in memory, so that the daemon can follow payments
 * without a GROUP BY over the roster each time: load once from one database snapshot,
 * then apply the status changes the daemon itself makes.
 *
 * A change carries 'seq' (the payment id); the snapshot remembers the highest payment
 * id it holds, so a change that the snapshot already counts is skipped and a load
 * may run at any time while changes keep arriving.
 *
 * The paid persons by first payment day (for milestones already passed) are as
 * loaded: an applied change is a payment made now, after any past milestone.
 *
 * Used from one thread.
 */
#ifndef CB_STORE_PROGRESS_CACHE_H
#define CB_STORE_PROGRESS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/progress.h"
#include "core/status.h"
#include "store/store.h"

typedef struct progress_cache progress_cache_t;

progress_cache_t *progress_cache_create(void);
void progress_cache_destroy(progress_cache_t *c); /* NULL is a no-op */

/* Replace everything with 'campaign' as 'st' holds it now (one read transaction; 'st'
 * must have none open). On failure the cache is unchanged. */
CB_NODISCARD int progress_cache_load(progress_cache_t *c, store_t *st, int64_t campaign);

/* Apply 'n' changes; those the loaded snapshot holds already are skipped. Returns 1
 * when a change names an area the cache does not know (load again), else 0. */
int progress_cache_apply(progress_cache_t *c, const status_change_t *ch, size_t n);

/* Add the areas, counts, targets and payment days to an empty 'p'. */
void progress_cache_fill(const progress_cache_t *c, progress_t *p);

#endif
