/* SPDX-License-Identifier: MIT */
/*
 * sim_seed.h - the seed campaign compiled into canbao, so 'canbao simulate' needs no
 * file: examples/lengshi-2024.json and examples/targets-lengshi-2024.csv (made into
 * sim_seed.c by cmake/embed.cmake at build time).
 */
#ifndef CB_SIM_SIM_SEED_H
#define CB_SIM_SIM_SEED_H

#include <stddef.h>

typedef struct sim_file {
    const char *name; /* the file name without its extension: "lengshi-2024" */
    const char *text; /* its bytes, NUL-terminated */
    size_t len;
} sim_file_t;

extern const sim_file_t sim__seeds[];
extern const size_t sim__nseeds;

#endif
