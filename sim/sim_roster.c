/* SPDX-License-Identifier: MIT */
/* sim_roster.c - a synthetic roster and task table for 'canbao simulate'. */
#include "sim/sim_roster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/idcard.h"
#include "core/mem.h"
#include "core/rng.h"

#define VILLAGE_SIZE 2500 /* people in a village made up for a township */
#define GROUP_SIZE   180  /* people in a village group (村民小组) */

typedef struct area {
    char township[96], village[96];
    int64_t target, registered;
} area_t;

typedef struct gen {
    const sim_roster_opts_t *o;
    uint64_t rng;
    FILE *fp;
    uint64_t phones;          /* phone numbers handed out */
    uint16_t *seq;            /* per birth day: the next ID sequence number */
    cb_date_t seq_base;       /* the day seq[0] stands for */
    size_t nseq;
    int64_t households, people;
    cb_date_t window_start;
} gen_t;

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴",
                                       "徐", "孙", "朱", "马", "胡", "郭", "林", "何", "高", "罗",
                                       "谢", "曾", "彭", "龚", "夏", "蒋", "邓", "唐", "贺", "廖"};
static const char *const given[] = {"建", "国", "明", "华", "军", "伟", "芳", "英", "秀", "兰",
                                    "志", "平", "红", "梅", "强", "丽", "文", "德", "春", "桂",
                                    "玉", "海", "云", "勇", "静", "敏", "杰", "娟", "涛", "霞",
                                    "松", "林", "斌", "辉", "雪", "燕", "欣", "宇", "浩", "婷"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t next(gen_t *g)
{
    return rng_next(&g->rng);
}

static int below(gen_t *g, int n)
{
    return (int)(next(g) % (uint64_t)n);
}

static int chance(gen_t *g, int per_mille)
{
    return below(g, 1000) < per_mille;
}

/* ---- the task table ---- */

/* 's' is a whole number from 0 to 10 million: 1 and *out, else 0. */
static int whole(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || v > 10000000)
        return 0;
    *out = v;
    return 1;
}

static int parse_targets(const sim_roster_opts_t *o, area_t **out, size_t *n, char *err,
                         size_t errlen)
{
    char *text = xmalloc(o->len + 1), *save = NULL, *line;
    size_t cap = 0, lineno = 0;

    memcpy(text, o->targets, o->len);
    text[o->len] = '\0';
    *out = NULL;
    *n = 0;
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        area_t a = {0};
        char *f[4] = {0}, *p = line;
        size_t k = 0;
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        if (lineno == 1 || *line == '\0')
            continue; /* the header */
        while (k < 4) {
            f[k++] = p;
            p = strchr(p, ',');
            if (p == NULL)
                break;
            *p++ = '\0';
        }
        if (k < 3 || f[0][0] == '\0') {
            snprintf(err, errlen, "task table line %zu: want township,village,target,registered",
                     lineno);
            free(text);
            free(*out);
            return CB_EPARSE;
        }
        snprintf(a.township, sizeof a.township, "%s", f[0]);
        snprintf(a.village, sizeof a.village, "%s", f[1]);
        if (!whole(f[2], &a.target) || (k > 3 && f[3][0] && !whole(f[3], &a.registered))) {
            snprintf(err, errlen, "task table line %zu: target and registered must be whole "
                                  "numbers", lineno);
            free(text);
            free(*out);
            return CB_EPARSE;
        }
        if (k < 4 || f[3][0] == '\0')
            a.registered = a.target * 115 / 100; /* none given: the usual margin */
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = a;
    }
    free(text);
    return CB_OK;
}

/* Scale to o->people and split townships given alone into villages. */
static area_t *plan(const sim_roster_opts_t *o, area_t *in, size_t n, size_t *nout)
{
    int64_t total = 0;
    area_t *out = NULL;
    size_t cap = 0;

    for (size_t i = 0; i < n; i++)
        total += in[i].registered;
    *nout = 0;
    for (size_t i = 0; i < n; i++) {
        area_t a = in[i];
        int64_t parts;
        if (o->people > 0 && total > 0) {
            a.registered = a.registered * o->people / total;
            a.target = a.target * o->people / total;
        }
        parts = a.village[0] ? 1 : (a.registered + VILLAGE_SIZE - 1) / VILLAGE_SIZE;
        for (int64_t k = 0; k < parts; k++) {
            area_t v = a;
            if (*nout == cap) {
                cap = cap ? cap * 2 : 64;
                out = xrealloc(out, cap * sizeof *out);
            }
            if (parts > 1 || !a.village[0]) {
                size_t tl = strlen(a.township);
                /* "北景港镇" makes villages "北景港1村", "北景港2村", ... */
                if (tl > 3 && strcmp(a.township + tl - 3, "镇") == 0)
                    tl -= 3;
                snprintf(v.village, sizeof v.village, "%.*s%lld村", (int)tl, a.township,
                         (long long)k + 1);
                v.registered = a.registered / parts + (k < a.registered % parts);
                v.target = a.target / parts + (k < a.target % parts);
            }
            out[(*nout)++] = v;
        }
    }
    return out;
}

static int write_targets(const char *path, const area_t *a, size_t n, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "w");

    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    fputs("township,village,target,registered\n", fp);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%s,%s,%lld,%lld\n", a[i].township, a[i].village, (long long)a[i].target,
                (long long)a[i].registered);
    if (fclose(fp) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    return CB_OK;
}

/* ---- people ---- */

typedef struct member {
    int age, male, newborn, has_phone;
    const char *relation, *surname;
    char phone[12];
} member_t;

static void new_phone(gen_t *g, char out[12])
{
    static const char *const prefixes[] = {"138", "139", "150", "158", "177", "183", "187", "199"};
    uint64_t k = g->phones++;
    snprintf(out, 12, "%s%08llu", prefixes[k % N(prefixes)],
             (unsigned long long)((k / N(prefixes)) * 48271ULL % 100000000ULL));
}

static void make_id(gen_t *g, const member_t *m, cb_date_t birth, char id[IDCARD_LEN + 1])
{
    size_t slot = (size_t)(birth - g->seq_base);
    int y, mo, d, seq;

    if (slot >= g->nseq)
        slot = 0;
    seq = (g->seq[slot]++ % 500) * 2 + (m->male ? 1 : 0);
    date_to_ymd(birth, &y, &mo, &d);
    snprintf(id, IDCARD_LEN, "%.6s%04d%02d%02d%03d", g->o->region, y, mo, d, seq);
    id[17] = idcard_check_char(id);
    id[18] = '\0';
}

static cb_date_t birth_of(gen_t *g, const member_t *m)
{
    if (m->newborn) /* 40 to 110 days before the window opens */
        return g->window_start - 40 - below(g, 71);
    return g->window_start - 1 - (cb_date_t)m->age * 365 - below(g, 365);
}

/* The categories of one person: per-person (department) ones, the household's. */
static void categories(gen_t *g, const char *household_cat, char *out, size_t n)
{
    const policy_t *pol = g->o->pol;
    size_t len = 0;

    out[0] = '\0';
    if (household_cat != NULL)
        len += (size_t)snprintf(out, n, "%s", household_cat);
    for (size_t i = 0; i < policy_ncategories(pol); i++) {
        const policy_category_t *c = policy_category(pol, i);
        if (c->payer == POL_PAYER_DEPARTMENT && chance(g, 5) && len + 64 < n)
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ";" : "", c->name);
    }
}

static void household(gen_t *g, const area_t *a, int vi, int group, int size)
{
    member_t m[6];
    const char *sur = surnames[below(g, (int)N(surnames))], *hcat = NULL;
    char code[40];
    int n = 0;

    memset(m, 0, sizeof m);
    m[n++] = (member_t){.age = 28 + below(g, 52), .male = chance(g, 800), .relation = "户主",
                        .surname = sur};
    if (size >= 2)
        m[n++] = (member_t){.age = m[0].age - 5 + below(g, 10), .male = !m[0].male,
                            .relation = "配偶",
                            .surname = surnames[below(g, (int)N(surnames))]};
    while (n < size) {
        int parent = size >= 5 && n == size - 1 && m[0].age < 55;
        member_t c = {.male = chance(g, 520), .surname = sur};
        if (parent) {
            c.age = m[0].age + 22 + below(g, 10);
            c.relation = "父母";
        } else {
            c.age = m[0].age > 24 ? below(g, m[0].age - 20) : 0;
            c.relation = "子女";
            c.newborn = c.age <= 1 && chance(g, 400);
            if (c.newborn)
                c.age = 0;
        }
        m[n++] = c;
    }
    for (size_t i = 0; i < policy_ncategories(g->o->pol); i++) {
        const policy_category_t *c = policy_category(g->o->pol, i);
        if (c->payer == POL_PAYER_RESIDENT && hcat == NULL && chance(g, 25))
            hcat = c->name;
    }
    snprintf(code, sizeof code, "%.6s%03d%05lld", g->o->region, vi % 1000,
             (long long)(g->households % 100000));
    m[0].has_phone = chance(g, 920);
    if (m[0].has_phone)
        new_phone(g, m[0].phone);
    for (int i = 1; i < n; i++) {
        int own = m[i].age >= 16 && m[i].age < 75 && chance(g, 600);
        if (own) {
            new_phone(g, m[i].phone);
        } else if (m[0].has_phone) {
            memcpy(m[i].phone, m[0].phone, sizeof m[i].phone);
        }
    }
    for (int i = 0; i < n; i++) {
        char id[IDCARD_LEN + 1], cats[256], birth[11];
        const char *status = "unpaid";
        cb_date_t b = birth_of(g, &m[i]);
        int r = below(g, 1000);
        make_id(g, &m[i], b, id);
        date_format(b, birth);
        categories(g, hcat, cats, sizeof cats);
        if (m[i].age >= 20 && m[i].age < 60 && r < 60)
            status = "employee_insured";
        else if (r >= 60 && r < 75)
            status = "insured_elsewhere";
        fprintf(g->fp, "%s,%s%s%s,%s,%s,%s,%s,%s,%d组,%s,%s,%s\n", id, m[i].surname,
                given[below(g, (int)N(given))], chance(g, 700) ? given[below(g, (int)N(given))] : "",
                m[i].phone, code, m[i].relation, a->township, a->village, group, cats, status,
                birth);
    }
    g->households++;
    g->people += n;
}

static void village(gen_t *g, const area_t *a, int vi)
{
    static const int sizes[] = {1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6};
    int64_t left = a->registered, groups = a->registered / GROUP_SIZE + 1, done = 0;

    while (left > 0) {
        int size = sizes[below(g, (int)N(sizes))];
        int group = (int)(done * groups / (a->registered ? a->registered : 1)) + 1;
        if (size > left)
            size = (int)left;
        household(g, a, vi, group, size);
        left -= size;
        done += size;
    }
}

int sim_roster_write(const sim_roster_opts_t *o, sim_roster_stats_t *st, char *err,
                     size_t errlen)
{
    area_t *in = NULL, *areas;
    size_t n, na;
    gen_t g = {0};
    int rc = parse_targets(o, &in, &n, err, errlen);

    memset(st, 0, sizeof *st);
    if (rc < 0)
        return rc;
    areas = plan(o, in, n, &na);
    free(in);
    rc = write_targets(o->targets_out, areas, na, err, errlen);
    if (rc < 0) {
        free(areas);
        return rc;
    }
    g.o = o;
    g.rng = o->seed ^ 0x636162616F; /* "canbao" */
    g.window_start = policy_window_start(o->pol);
    g.nseq = 366 * 100;
    g.seq_base = g.window_start - (cb_date_t)g.nseq + 1;
    g.seq = xcalloc(g.nseq, sizeof *g.seq);
    g.fp = fopen(o->roster_out, "w");
    if (g.fp == NULL) {
        snprintf(err, errlen, "%s: %s", o->roster_out, strerror(errno));
        free(g.seq);
        free(areas);
        return CB_EIO;
    }
    fputs("person_id,name,phone,household_id,relation,township,village,group,category,status,"
          "birth_date\n",
          g.fp);
    for (size_t i = 0; i < na; i++) {
        village(&g, &areas[i], (int)i + 1);
        st->targets += areas[i].target;
    }
    if (fclose(g.fp) != 0) {
        snprintf(err, errlen, "%s: %s", o->roster_out, strerror(errno));
        rc = CB_EIO;
    }
    st->people = g.people;
    st->households = g.households;
    st->villages = (int64_t)na;
    free(g.seq);
    free(areas);
    return rc;
}
