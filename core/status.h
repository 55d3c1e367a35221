/* SPDX-License-Identifier: MIT */
/*
 * status.h - what became of a person in a campaign. Stored by name, never by number.
 * Pure; safe anywhere.
 */
#ifndef CB_CORE_STATUS_H
#define CB_CORE_STATUS_H

#include <stddef.h>
#include <stdint.h>

typedef enum person_status {
    PS_UNPAID,
    PS_PAID,
    PS_WAIVED,            /* signed waiver (放弃参保确认书) */
    PS_EMPLOYEE_INSURED,  /* in the employee scheme (职工医保) */
    PS_INSURED_ELSEWHERE, /* student at school, another county (异地) */
    PS_DECEASED,          /* not applicable any more */
    PS__COUNT
} person_status_t;

/* One person's status changed (for counters kept beside the database, e.g. the MQTT
 * feed's): in area 'area_id' (the finest: group, else village), in a subsidy category
 * or not ('special'); 'seq' orders it against a database snapshot (the payment id for
 * a payment; 0 when unknown). */
typedef struct status_change {
    int64_t seq;
    int64_t area_id;
    person_status_t from, to;
    int special;
} status_change_t;

/* The stored name ("unpaid", "paid", ...). */
const char *status_name(person_status_t s);
/* A status from its stored name; -1 when unknown. */
int status_from_name(const char *name);
/*
 * A status as a roster writes it: the English names above or the usual Chinese
 * words (未缴费, 已缴费, 职工医保, 异地参保, 死亡, ...). A roster cannot declare a
 * waiver (that needs the worker's confirmation). -1 when not understood.
 */
int status_parse_roster(const char *s, size_t len);
/* 1 when the person has insurance for the year (paid or covered elsewhere). */
int status_is_covered(person_status_t s);

#endif
