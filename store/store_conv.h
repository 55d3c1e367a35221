/* SPDX-License-Identifier: MIT */
/*
 * store_conv.h - the one open question per person and campaign: the reason for a
 * waiver, or a survey's current step. A conversation lapses at expires_at; after
 * that it is as if there were none (a later one replaces the row).
 * Threading: as store.h.
 */
#ifndef CB_STORE_STORE_CONV_H
#define CB_STORE_STORE_CONV_H

#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

typedef struct store_conv {
    int64_t person_id;
    char state[16];  /* "waiver_reason" or "survey" */
    char survey[64]; /* the survey's name, "" for a waiver */
    int step;        /* the survey's current question, 0-based */
    int64_t expires_at;
} store_conv_t;

/* The live conversation (expires_at > now) of any person whose phone is 'phone':
 * 1 and *out (the one that lapses last), or 0 when there is none. */
CB_NODISCARD int store_conv_by_phone(store_t *st, int64_t campaign, const char *phone,
                                     int64_t now, store_conv_t *out);

/* Create or replace the conversation of c->person_id. */
CB_NODISCARD int store_conv_set(store_t *st, int64_t campaign, const store_conv_t *c);

/* End the conversation of 'person_id' (none: nothing happens). */
CB_NODISCARD int store_conv_end(store_t *st, int64_t campaign, int64_t person_id);

/* End the conversations of everyone whose phone is 'phone'. */
CB_NODISCARD int store_conv_end_phone(store_t *st, int64_t campaign, const char *phone);

#endif
