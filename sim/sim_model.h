/* SPDX-License-Identifier: MIT */
/*
 * sim_model.h - the residents of 'canbao simulate': who pays when, who waives, who
 * is away, and what a grid worker's visit does. A simple model, documented in
 * docs/simulate.md; deterministic for a seed. Pure: it knows nothing of the store,
 * the caller tells it who got a reminder and which households were visited, and
 * applies the outcomes it returns.
 *
 * Every unpaid resident who pays for themselves has a type, drawn once:
 *   early     15%  pays at 1.2% a day from the window's opening
 *   prompted  40%  0.3% a day; 6% on a day a reminder reaches their phone
 *   late      20%  0.1% a day, 6% a day in the last 3 weeks; +3% on a reminder day
 *   away      12%  working away: 0.05% a day, 0.5% on a reminder day; a visit
 *                  reaches the family (30% pay), else 4% a day in the last week
 *                  (home for the holidays)
 *   refuser    5%  never pays; a visit ends in a waiver (40%) or a refusal
 *   elsewhere  3%  insured in the employee scheme or elsewhere; a visit finds out
 * Someone who promised a visiting worker pays at 50% a day. A visit to anyone else:
 * 40% pay on the spot (the worker's POS), 30% promise, 30% not at home. A
 * department pays in bulk for 95% of its people on one day (window start + 45
 * days); a visit settles the rest (80%).
 */
#ifndef CB_SIM_SIM_MODEL_H
#define CB_SIM_SIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

typedef struct sim_model sim_model_t;

typedef enum sim_type {
    SIM_EARLY, SIM_PROMPTED, SIM_LATE, SIM_AWAY, SIM_REFUSER, SIM_ELSEWHERE, SIM_DEPARTMENT,
    SIM__TYPES
} sim_type_t;

typedef enum sim_act {
    SIM_PAY,       /* the resident (or their department) pays */
    SIM_WAIVE,     /* signs the waiver form */
    SIM_COVERED,   /* turns out to be insured elsewhere */
    SIM_PROMISE,   /* a visit: promises to pay */
    SIM_REFUSE,    /* a visit: refuses */
    SIM_NOT_HOME   /* a visit: nobody at home */
} sim_act_t;

/* What to apply to one person (acts on people) or record for a household (visit
 * outcomes). 'id_number' is the model's copy. */
typedef void (*sim_apply_fn)(void *ud, int64_t person_id, const char *id_number,
                             int64_t owed_fen, sim_act_t act);

sim_model_t *sim_model_create(uint64_t seed, cb_date_t window_start, cb_date_t window_end);
void sim_model_destroy(sim_model_t *m);

/* Add an unpaid person (others are not simulated). 'department': a department pays
 * for them in bulk. 'phone' "" when none; 'household' "" when none. */
void sim_model_add(sim_model_t *m, int64_t person_id, const char *id_number, const char *phone,
                   const char *household, int64_t owed_fen, int department);

/* A reminder reached 'phone' on 'day'. */
void sim_model_reminded(sim_model_t *m, const char *phone, cb_date_t day);

/* The residents' own decisions of 'day': calls 'fn' for each who acts. */
void sim_model_day(sim_model_t *m, cb_date_t day, sim_apply_fn fn, void *ud);

/* A grid worker visits household 'code' on 'day': 'fn' gets the act of each unpaid
 * member who pays, waives or turns out covered. The return is the household's
 * outcome for the visit record: with members still unpaid, the most hopeful of
 * their answers (SIM_PROMISE, SIM_REFUSE, SIM_NOT_HOME); else SIM_WAIVE when one
 * waived, SIM_PAY otherwise; -1 when nobody there was unpaid. */
int sim_model_visit(sim_model_t *m, const char *code, cb_date_t day, sim_apply_fn fn, void *ud);

#endif
