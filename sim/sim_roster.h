/* SPDX-License-Identifier: MIT */
/*
 * sim_roster.h - the synthetic county 'canbao simulate' runs on: from a task table
 * (township, village, target, registered) it writes the table scaled to the people
 * asked for and a roster CSV of that many people, by the same format 'canbao import'
 * reads. Deterministic for a seed.
 *
 * The model: households of 1 to 6 (single elderly people to three generations)
 * with consistent surnames, ages, relations and sexes; valid ID numbers; phones
 * shared inside a household, some people without one; the policy's categories
 * (those a department pays for per person, about 0.5% each; the others per
 * household, about 2.5% each); 3% in the employee scheme, 1.5% insured elsewhere;
 * newborns born in the summer before the window (their 90-day window runs into it).
 * A township given without villages gets villages of about 2,500 people.
 */
#ifndef CB_SIM_SIM_ROSTER_H
#define CB_SIM_SIM_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/policy.h"

typedef struct sim_roster_opts {
    const char *targets;   /* the task table's CSV text ('len' bytes) */
    size_t len;
    int64_t people;        /* scale the table to this many registered people (0: as is) */
    uint64_t seed;
    const policy_t *pol;   /* categories and the window (newborns' births) */
    const char *region;    /* 6-digit region code of ID numbers (e.g. "430923") */
    const char *targets_out, *roster_out; /* files to write */
} sim_roster_opts_t;

typedef struct sim_roster_stats {
    int64_t people, households, villages, targets;
} sim_roster_stats_t;

/* Write both files; 'err' names the table's line or the file on failure. */
CB_NODISCARD int sim_roster_write(const sim_roster_opts_t *o, sim_roster_stats_t *st, char *err,
                                  size_t errlen);

#endif
