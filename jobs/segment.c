/* SPDX-License-Identifier: MIT */
#include "jobs/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catset.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/status.h"
#include "store/store_paydate.h"
#include "store/store_roster.h"

struct segment {
    const policy_t *pol;
    store_area_t *areas;
    size_t nareas;
    char status[24];   /* "" for every living person */
    int64_t township;  /* 0: any */
    int64_t village;   /* 0: any */
    int category;      /* -1: any */
    int flagged;       /* 1: only the people in 'flag_ids' (a flag= filter) */
    int64_t *flag_ids; /* ascending */
    size_t nflag_ids;
    store_t *st;       /* borrowed while parsing */
    int64_t campaign;
};

static const store_area_t *area(const segment_t *s, int64_t id)
{
    /* Areas come ordered by id and ids are dense from 1: index first, search after. */
    if (id >= 1 && (size_t)id <= s->nareas && s->areas[id - 1].id == id)
        return &s->areas[id - 1];
    for (size_t i = 0; i < s->nareas; i++) {
        if (s->areas[i].id == id)
            return &s->areas[i];
    }
    return NULL;
}

/* The area at 'level' above (or at) 'id', or NULL. */
static const store_area_t *ancestor(const segment_t *s, int64_t id, int level)
{
    const store_area_t *a = area(s, id);
    while (a != NULL && a->level > level)
        a = area(s, a->parent);
    return a != NULL && a->level == level ? a : NULL;
}

static int64_t find_area(const segment_t *s, int64_t parent, int level, const char *name,
                         size_t len)
{
    for (size_t i = 0; i < s->nareas; i++) {
        const store_area_t *a = &s->areas[i];
        if (a->level == level && a->parent == parent && strlen(a->name) == len &&
            memcmp(a->name, name, len) == 0)
            return a->id;
    }
    return 0;
}

static int flag_filter(segment_t *s, const char *v, size_t vlen, char *err, size_t errlen)
{
    char name[128];
    int rc;

    if (vlen == 0 || vlen >= sizeof name) {
        snprintf(err, errlen, "flag=%.*s: write the flag's name (1 to %zu bytes)", (int)vlen, v,
                 sizeof name - 1);
        return CB_EINVAL;
    }
    memcpy(name, v, vlen);
    name[vlen] = '\0';
    free(s->flag_ids);
    s->flagged = 1;
    rc = store_flag_people(s->st, s->campaign, name, &s->flag_ids, &s->nflag_ids);
    if (rc < 0)
        snprintf(err, errlen, "%s", store_errmsg(s->st));
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int filter(segment_t *s, const char *f, size_t len, char *err, size_t errlen)
{
    const char *eq = memchr(f, '=', len);
    size_t klen = eq ? (size_t)(eq - f) : len, vlen = eq ? len - klen - 1 : 0;
    const char *v = eq ? eq + 1 : "";

    if (eq != NULL && klen == 8 && memcmp(f, "township", 8) == 0) {
        s->township = find_area(s, 0, 1, v, vlen);
        if (s->township == 0) {
            snprintf(err, errlen, "no township named '%.*s'", (int)vlen, v);
            return CB_ENOTFOUND;
        }
        return CB_OK;
    }
    if (eq != NULL && klen == 7 && memcmp(f, "village", 7) == 0) {
        const char *slash = memchr(v, '/', vlen);
        if (slash == NULL) {
            snprintf(err, errlen, "village=%.*s: write TOWNSHIP/VILLAGE (village names repeat "
                     "across townships)", (int)vlen, v);
            return CB_EINVAL;
        }
        s->township = find_area(s, 0, 1, v, (size_t)(slash - v));
        s->village = s->township ? find_area(s, s->township, 2, slash + 1,
                                             vlen - (size_t)(slash - v) - 1) : 0;
        if (s->village == 0) {
            snprintf(err, errlen, "no village '%.*s'", (int)vlen, v);
            return CB_ENOTFOUND;
        }
        return CB_OK;
    }
    if (eq != NULL && klen == 8 && memcmp(f, "category", 8) == 0) {
        s->category = policy_category_find(s->pol, v, vlen);
        if (s->category < 0) {
            snprintf(err, errlen, "the policy has no category '%.*s'", (int)vlen, v);
            return CB_ENOTFOUND;
        }
        return CB_OK;
    }
    if (eq != NULL && klen == 4 && memcmp(f, "flag", 4) == 0)
        return flag_filter(s, v, vlen, err, errlen);
    snprintf(err, errlen, "'%.*s' is not a filter (township=, village=, category=, flag=)",
             (int)len, f);
    return CB_EINVAL;
}

int segment_parse(const char *spec, store_t *st, const policy_t *pol, int64_t campaign,
                  segment_t **out, char *err, size_t errlen)
{
    segment_t *s = xcalloc(1, sizeof *s);
    const char *p = spec, *colon = strchr(spec, ':');
    int rc;

    *out = NULL;
    s->pol = pol;
    s->category = -1;
    s->st = st;
    s->campaign = campaign;
    rc = store_areas(st, &s->areas, &s->nareas);
    if (rc < 0) {
        snprintf(err, errlen, "%s", store_errmsg(st));
        free(s);
        return rc;
    }
    /* A leading word without '=' is the status. */
    {
        size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
        if (memchr(spec, '=', n) == NULL) {
            if (n == 3 && memcmp(spec, "all", 3) == 0) {
                s->status[0] = '\0';
            } else {
                int st_ = status_parse_roster(spec, n);
                if (st_ < 0 || (person_status_t)st_ == PS_DECEASED) {
                    snprintf(err, errlen, "'%.*s' is not a status (unpaid, paid, waived, "
                             "employee_insured, insured_elsewhere, all)", (int)n, spec);
                    segment_destroy(s);
                    return CB_EINVAL;
                }
                snprintf(s->status, sizeof s->status, "%s", status_name((person_status_t)st_));
            }
            p = colon ? colon + 1 : spec + n;
        }
    }
    while (*p != '\0') {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        rc = filter(s, p, len, err, errlen);
        if (rc < 0) {
            segment_destroy(s);
            return rc;
        }
        p = e ? e + 1 : p + len;
    }
    s->st = NULL;
    *out = s;
    return CB_OK;
}

void segment_destroy(segment_t *s)
{
    if (s == NULL)
        return;
    store_areas_free(s->areas, s->nareas);
    free(s->flag_ids);
    free(s);
}

const char *segment_status(const segment_t *s)
{
    return s->status[0] ? s->status : NULL;
}

int segment_match(const segment_t *s, int64_t person_id, int64_t area_id, uint64_t catmask)
{
    if (s->flagged && (s->nflag_ids == 0 || bsearch(&person_id, s->flag_ids, s->nflag_ids,
                                                    sizeof *s->flag_ids, cmp_id) == NULL))
        return 0;
    if (s->township != 0) {
        const store_area_t *t = ancestor(s, area_id, 1);
        if (t == NULL || t->id != s->township)
            return 0;
    }
    if (s->village != 0) {
        const store_area_t *v = ancestor(s, area_id, 2);
        if (v == NULL || v->id != s->village)
            return 0;
    }
    if (s->category >= 0 && !(catmask & (UINT64_C(1) << s->category)))
        return 0;
    if (strcmp(s->status, "unpaid") == 0) {
        int idx[64];
        size_t n = catset_indices(catmask, idx);
        if (policy_owed(s->pol, idx, n).payer == POL_PAYER_DEPARTMENT)
            return 0;
    }
    return 1;
}

void segment_place(const segment_t *s, int64_t area_id, const char **township,
                   const char **village, const char **group)
{
    const store_area_t *a;

    a = ancestor(s, area_id, 1);
    *township = a ? a->name : "";
    a = ancestor(s, area_id, 2);
    *village = a ? a->name : "";
    a = ancestor(s, area_id, 3);
    *group = a ? a->name : "";
}
