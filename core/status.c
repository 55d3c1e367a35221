/* SPDX-License-Identifier: MIT */
#include "core/status.h"

#include <string.h>

static const char *const names[PS__COUNT] = {
    "unpaid", "paid", "waived", "employee_insured", "insured_elsewhere", "deceased",
};

const char *status_name(person_status_t s)
{
    return (unsigned)s < PS__COUNT ? names[s] : "unknown";
}

int status_from_name(const char *name)
{
    for (int i = 0; i < PS__COUNT; i++) {
        if (strcmp(names[i], name) == 0)
            return i;
    }
    return -1;
}

int status_parse_roster(const char *s, size_t len)
{
    static const struct {
        const char *word;
        person_status_t st;
    } words[] = {
        {"unpaid", PS_UNPAID},
        {"未缴费", PS_UNPAID},
        {"未缴", PS_UNPAID},
        {"未参保", PS_UNPAID},
        {"paid", PS_PAID},
        {"已缴费", PS_PAID},
        {"已缴", PS_PAID},
        {"已参保", PS_PAID},
        {"employee_insured", PS_EMPLOYEE_INSURED},
        {"职工医保", PS_EMPLOYEE_INSURED},
        {"参加职工医保", PS_EMPLOYEE_INSURED},
        {"insured_elsewhere", PS_INSURED_ELSEWHERE},
        {"异地参保", PS_INSURED_ELSEWHERE},
        {"外地参保", PS_INSURED_ELSEWHERE},
        {"学校参保", PS_INSURED_ELSEWHERE},
        {"deceased", PS_DECEASED},
        {"死亡", PS_DECEASED},
        {"已故", PS_DECEASED},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].word) == len && memcmp(words[i].word, s, len) == 0)
            return (int)words[i].st;
    }
    return -1;
}

int status_is_covered(person_status_t s)
{
    return s == PS_PAID || s == PS_EMPLOYEE_INSURED || s == PS_INSURED_ELSEWHERE;
}
