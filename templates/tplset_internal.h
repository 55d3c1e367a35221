/* SPDX-License-Identifier: MIT */
/*
 * tplset_internal.h - what tplset.c shares with the generated table of default
 * templates (tplset_defaults.c, made by embed.cmake from defaults/NAME.txt) and
 * with the worst-case samples (tplset_sample.c). Only templates/ includes it.
 * Threading: constant data and pure functions.
 */
#ifndef CB_TEMPLATES_TPLSET_INTERNAL_H
#define CB_TEMPLATES_TPLSET_INTERNAL_H

#include <stddef.h>

#include "templates/tpl.h"

/* A default template: its name ("window_open") and the file's bytes. */
typedef struct tplset_file {
    const char *name;
    const char *text;
    size_t len;
} tplset_file_t;

extern const tplset_file_t tplset__defaults[];
extern const size_t tplset__ndefaults;

/* Which worst-case sample a template is checked with (tplset.h describes them). */
typedef enum tplset_kind {
    TPLSET_RESIDENT,  /* campaign + person */
    TPLSET_HOUSEHOLD, /* campaign + household */
    TPLSET_THANKS,    /* resident + paid_yuan */
    TPLSET_SURVEY,    /* resident + question, options, free_text */
    TPLSET_REPLY,     /* resident + household variables, household, covered, claim */
    TPLSET_TODO,      /* campaign + worker list */
    TPLSET_REPORT,    /* campaign + progress figures */
    TPLSET_MILESTONE, /* resident + milestone_date, milestone_percent, milestone */
    TPLSET_DATED,     /* resident + own_deadline, window_days (late windows) */
    TPLSET_DEPARTMENT /* campaign + contact, category, unpaid_count, total_yuan */
} tplset_kind_t;

/* Variant 'variant' of the sample for 'kind': CB_OK and *out, or CB_ENOTFOUND past
 * the last variant. */
int tplset__sample(tplset_kind_t kind, int variant, tpl_ctx_t **out);

#endif
