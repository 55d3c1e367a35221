/* SPDX-License-Identifier: MIT */
/* sim_model.c - the residents' model of 'canbao simulate' (sim_model.h). */
#include "sim/sim_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/rng.h"
#include "core/strmap.h"

enum { OPEN, DONE, PROMISED };

typedef struct person {
    int64_t id, owed;
    char id_number[19];
    int64_t phone;     /* index into reminded[], -1 without a phone */
    int64_t next;      /* next member of the household, -1 at the end */
    uint8_t type, state;
} person_t;

struct sim_model {
    uint64_t rng;
    cb_date_t start, end;
    person_t *p;
    size_t n, cap;
    strmap_t *phones;      /* phone -> index into reminded */
    cb_date_t *reminded;   /* last day a reminder reached the phone */
    size_t nphones, capphones;
    strmap_t *households;  /* code -> first member */
};

/* Per mille of each type, in enum order (departments and elsewhere apart). */
static const int type_share[] = {150, 400, 200, 120, 50, 30};

static uint64_t next(sim_model_t *m)
{
    return rng_next(&m->rng);
}

/* 1 with probability per_10k / 10000. */
static int chance(sim_model_t *m, int per_10k)
{
    return (int)(next(m) % 10000) < per_10k;
}

sim_model_t *sim_model_create(uint64_t seed, cb_date_t window_start, cb_date_t window_end)
{
    sim_model_t *m = xcalloc(1, sizeof *m);
    m->rng = seed * 0x2545F4914F6CDD1DULL + 1;
    m->start = window_start;
    m->end = window_end;
    m->phones = strmap_create();
    m->households = strmap_create();
    return m;
}

void sim_model_destroy(sim_model_t *m)
{
    if (m == NULL)
        return;
    strmap_destroy(m->phones);
    strmap_destroy(m->households);
    free(m->reminded);
    free(m->p);
    free(m);
}

void sim_model_add(sim_model_t *m, int64_t person_id, const char *id_number, const char *phone,
                   const char *household, int64_t owed_fen, int department)
{
    person_t *q;
    int64_t first;
    int r, t = 0;

    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->p = xrealloc(m->p, m->cap * sizeof *m->p);
    }
    q = &m->p[m->n];
    memset(q, 0, sizeof *q);
    q->id = person_id;
    q->owed = owed_fen;
    snprintf(q->id_number, sizeof q->id_number, "%s", id_number);
    q->phone = -1;
    q->next = -1;
    if (phone[0] != '\0') {
        if (!strmap_get(m->phones, phone, strlen(phone), &q->phone)) {
            if (m->nphones == m->capphones) {
                m->capphones = m->capphones ? m->capphones * 2 : 1024;
                m->reminded = xrealloc(m->reminded, m->capphones * sizeof *m->reminded);
            }
            m->reminded[m->nphones] = 0;
            q->phone = (int64_t)m->nphones++;
            strmap_put(m->phones, phone, strlen(phone), q->phone);
        }
    }
    if (household[0] != '\0') {
        if (strmap_get(m->households, household, strlen(household), &first))
            q->next = first;
        strmap_put(m->households, household, strlen(household), (int64_t)m->n);
    }
    if (department) {
        q->type = SIM_DEPARTMENT;
    } else {
        r = (int)(next(m) % 1000);
        while (t < SIM_DEPARTMENT - 1 && r >= type_share[t]) {
            r -= type_share[t];
            t++;
        }
        q->type = (uint8_t)t;
    }
    m->n++;
}

void sim_model_reminded(sim_model_t *m, const char *phone, cb_date_t day)
{
    int64_t i;
    if (strmap_get(m->phones, phone, strlen(phone), &i))
        m->reminded[i] = day;
}

/* A person's chance to pay today by themselves, per 10,000. */
static int pay_chance(const sim_model_t *m, const person_t *q, cb_date_t day, int reminded)
{
    int last3w = day > m->end - 21, lastw = day > m->end - 7;

    if (q->state == PROMISED)
        return 5000;
    switch ((sim_type_t)q->type) {
    case SIM_EARLY:
        return 120;
    case SIM_PROMPTED:
        return reminded ? 600 : 30;
    case SIM_LATE:
        return (last3w ? 600 : 10) + (reminded ? 300 : 0);
    case SIM_AWAY:
        return lastw ? 400 : (reminded ? 50 : 5);
    case SIM_DEPARTMENT:
        return day == m->start + 45 ? 9500 : 0;
    default:
        return 0;
    }
}

void sim_model_day(sim_model_t *m, cb_date_t day, sim_apply_fn fn, void *ud)
{
    if (day < m->start || day > m->end)
        return;
    for (size_t i = 0; i < m->n; i++) {
        person_t *q = &m->p[i];
        int reminded = q->phone >= 0 && m->reminded[q->phone] == day;
        if (q->state == DONE)
            continue;
        if (chance(m, pay_chance(m, q, day, reminded))) {
            q->state = DONE;
            fn(ud, q->id, q->id_number, q->owed, SIM_PAY);
        }
    }
}

/* One member's answer to a visit. */
static sim_act_t visit_one(sim_model_t *m, person_t *q)
{
    int r = (int)(next(m) % 100);

    switch ((sim_type_t)q->type) {
    case SIM_REFUSER:
        return r < 40 ? SIM_WAIVE : SIM_REFUSE;
    case SIM_ELSEWHERE:
        return SIM_COVERED;
    case SIM_AWAY:
        return r < 30 ? SIM_PAY : SIM_NOT_HOME;
    case SIM_DEPARTMENT:
        return r < 80 ? SIM_PAY : SIM_PROMISE;
    default:
        return r < 40 ? SIM_PAY : r < 70 ? SIM_PROMISE : SIM_NOT_HOME;
    }
}

int sim_model_visit(sim_model_t *m, const char *code, cb_date_t day, sim_apply_fn fn, void *ud)
{
    int64_t i;
    int seen = 0, waived = 0, left = -1;

    (void)day;
    if (!strmap_get(m->households, code, strlen(code), &i))
        return -1;
    for (; i >= 0; i = m->p[i].next) {
        person_t *q = &m->p[i];
        sim_act_t a;
        if (q->state == DONE)
            continue;
        seen = 1;
        a = visit_one(m, q);
        if (a == SIM_PAY || a == SIM_WAIVE || a == SIM_COVERED) {
            q->state = DONE;
            waived |= a == SIM_WAIVE;
            fn(ud, q->id, q->id_number, q->owed, a);
            continue;
        }
        if (a == SIM_PROMISE)
            q->state = PROMISED;
        /* of those still unpaid, the most hopeful answer stands for the household */
        if (left < 0 || (int)a < left)
            left = (int)a;
    }
    if (!seen)
        return -1;
    if (left >= 0)
        return left;
    return waived ? SIM_WAIVE : SIM_PAY;
}

