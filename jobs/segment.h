/* SPDX-License-Identifier: MIT */
/*
 * segment.h - who a broadcast goes to: "STATUS[:FILTER,...]" or "FILTER,...".
 *   STATUS  unpaid (default when only filters are given: everyone living), paid,
 *           waived, employee_insured, insured_elsewhere, all
 *   FILTER  township=NAME, village=TOWNSHIP/VILLAGE, category=NAME (or an alias),
 *           flag=NAME (people given that list flag by 'canbao import flags')
 * e.g. "unpaid", "unpaid:village=冷市镇/南华村", "category=低保", "unpaid:flag=外出务工".
 * With "unpaid", people whose contribution a department pays in bulk are left out.
 */
#ifndef CB_JOBS_SEGMENT_H
#define CB_JOBS_SEGMENT_H

#include <stdint.h>

#include "core/compiler.h"
#include "core/policy.h"
#include "store/store.h"

typedef struct segment segment_t;

/* Parse 'spec' against the stored areas, the policy's categories and the list flags
 * of 'campaign' (a flag= filter reads its people once, here; 'pol' is borrowed and
 * must outlive the segment). 'err' names the part that is wrong. */
CB_NODISCARD int segment_parse(const char *spec, store_t *st, const policy_t *pol,
                               int64_t campaign, segment_t **out, char *err, size_t errlen);
void segment_destroy(segment_t *s);

/* The status to select in the store, or NULL for every living person. */
const char *segment_status(const segment_t *s);

/* Does the person 'person_id' in 'area_id' with categories 'catmask' belong? */
int segment_match(const segment_t *s, int64_t person_id, int64_t area_id, uint64_t catmask);

/* The names of the area's township, village and group ("" when none); borrowed
 * from the segment. */
void segment_place(const segment_t *s, int64_t area_id, const char **township,
                   const char **village, const char **group);

#endif
