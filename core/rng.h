/* SPDX-License-Identifier: MIT */
/*
 * rng.h - a small deterministic random number generator (splitmix64) for what must
 * repeat for a seed: the simulated county and its residents. Not for secrets.
 * The state is the caller's; safe on any thread that owns it.
 */
#ifndef CB_CORE_RNG_H
#define CB_CORE_RNG_H

#include <stdint.h>

/* The next 64 random bits; advances *state. */
static inline uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

#endif
