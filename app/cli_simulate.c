/* SPDX-License-Identifier: MIT */
/*
 * cli_simulate.c - 'canbao simulate': a whole campaign on virtual time. It makes
 * a county from a task table (default: the Lengshi 2024 seed compiled in), a roster
 * of its people (sim/sim_roster.h), one grid worker per village, then runs every
 * day of the window through the real jobs, outbox, dispatcher (the file channel)
 * and store, with a model of residents and workers (sim/sim_model.h). It prints
 * the weekly progress per village and the final figures, writes an SVG chart, and
 * leaves its database for 'canbao status' and the other commands.
 */
#define _XOPEN_SOURCE 700 /* nftw: removing an earlier run's folder */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/config.h"
#include "import/import_roster.h"
#include "store/report_load.h"
#include "sim/sim.h"
#include "sim/sim_chart.h"
#include "sim/sim_roster.h"
#include "sim/sim_seed.h"
#include "core/catset.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/mem.h"
#include "store/store_outbox.h"
#include "store/store_people.h"

typedef struct opts {
    const char *policy, *targets, *config;
    int64_t people;
    uint64_t seed;
    int visits, force;
} opts_t;

static void usage(FILE *fp)
{
    fputs("usage: canbao [--db FILE] simulate [--policy FILE --targets FILE] [--people N]\n"
          "                         [--seed N] [--visits N] [--config FILE] [--force]\n\n"
          "Run a whole campaign on virtual time and leave its database to explore\n"
          "(default simulate.db here; 'canbao --db simulate.db status' and the rest work\n"
          "on it). The county, its roster, one grid worker per village and the residents\n"
          "are made up (docs/simulate.md); the jobs, outbox, dispatcher and store are the\n"
          "real ones. Prints the weekly progress per village and the final figures, and\n"
          "writes DB.out/simulate/progress.svg, the messages (DB.messages.jsonl), the\n"
          "workers' lists and the reports (DB.out/).\n\n"
          "  --policy FILE   the campaign (default: the Lengshi 2024 seed, built in)\n"
          "  --targets FILE  its task table: township,village,target,registered\n"
          "  --people N      scale the task table to N registered people\n"
          "  --seed N        another county and other residents (default 1)\n"
          "  --visits N      households a worker visits a day (default 6)\n"
          "  --config FILE   channels and jobs (default: the file channel)\n"
          "  --force         replace an existing database given with --db\n", fp);
}

static int parse(int argc, char **argv, opts_t *o)
{
    int64_t people = 0, seed = 1, visits = 6;
    const cli_opt_t opts[] = {{"--policy", CLI_STR, &o->policy, 0, 0},
                              {"--targets", CLI_STR, &o->targets, 0, 0},
                              {"--config", CLI_STR, &o->config, 0, 0},
                              {"--force", CLI_FLAG, &o->force, 0, 0},
                              {"--people", CLI_COUNT, &people, 1, 100000000},
                              {"--seed", CLI_COUNT, &seed, 0, INT64_MAX},
                              {"--visits", CLI_COUNT, &visits, 0, 1000000},
                              {NULL, CLI_FLAG, NULL, 0, 0}};
    int code;

    memset(o, 0, sizeof *o);
    code = cli_parse("simulate", argc, argv, opts, NULL, 0, NULL, usage);
    if (code >= 0)
        return code;
    o->people = people;
    o->seed = (uint64_t)seed;
    o->visits = (int)visits;
    if ((o->policy == NULL) != (o->targets == NULL)) {
        fputs("canbao simulate: --policy and --targets go together\n", stderr);
        return EXIT_FATAL;
    }
    return -1;
}

static const sim_file_t *seed(const char *name)
{
    for (size_t i = 0; i < sim__nseeds; i++) {
        if (strcmp(sim__seeds[i].name, name) == 0)
            return &sim__seeds[i];
    }
    return NULL;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Remove the database and what earlier runs left beside it: its log files, the
 * file channel's messages and the DB.out folder of lists and reports. */
static void remove_db(const char *db)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", ".messages.jsonl"};
    char p[4200];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", db, suffixes[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s.out", db);
    if (nftw(p, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        fprintf(stderr, "canbao simulate: cannot remove all of %s: %s\n", p, strerror(errno));
}

static int mkdirs(const char *path)
{
    char p[4200];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    }
    return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The default config of a run: the file channel beside the database, without the
 * demo's rate limit of 1,000 a second (a campaign sends a hundred thousand). */
static int write_config(const char *path, const char *db)
{
    FILE *fp = fopen(path, "w");

    if (fp == NULL)
        return -1;
    fprintf(fp, "{\"channels\": [{\"name\": \"file\", \"type\": \"file\", "
                "\"path\": \"%s.messages.jsonl\", \"rate\": 1000000}]}\n",
            db);
    return fclose(fp) == 0 ? 0 : -1;
}

/* Everything the run makes, and where. */
typedef struct setup {
    char dir[900];             /* DB.out/simulate */
    char roster[1024], targets[1024], workers[1024], chart[1024], config[1024];
    char *policy_json;
    size_t policy_len;
    char *targets_text;
    size_t targets_len;
    sim_roster_stats_t made;
} setup_t;

static int import_one(const cli_t *c, store_t *st, const policy_t *pol, int64_t campaign,
                      const char *kind, const char *path, int64_t now)
{
    char source[64], err[1024] = "";
    import_env_t env = {.st = st, .pol = pol, .campaign = campaign, .today = clock_day(now),
                        .now = now, .source = source};
    import_summary_t sum;
    int rc;

    snprintf(source, sizeof source, "simulate:%s", kind);
    rc = import_file(&env, kind, NULL, path, NULL, c->tty, &sum, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "canbao simulate: import %s: %s\n", kind, err);
    else if (sum.rejected > 0)
        fprintf(stderr, "canbao simulate: import %s rejected %llu rows (see %s)\n", kind,
                (unsigned long long)sum.rejected, sum.report);
    return rc < 0 ? rc : sum.rejected > 0 ? CB_EINVAL : CB_OK;
}

/* One worker per village, answering for the whole village (包村). */
static int write_workers(const char *path, const char *targets_csv)
{
    FILE *in = fopen(targets_csv, "r"), *out = fopen(path, "w");
    char line[512];
    int n = 0;

    if (in == NULL || out == NULL) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return CB_EIO;
    }
    fputs("code,name,phone,township,village\n", out);
    while (fgets(line, sizeof line, in) != NULL) {
        char *town = line, *village = strchr(line, ','), *end;
        if (n++ == 0 || village == NULL)
            continue;
        *village++ = '\0';
        end = strchr(village, ',');
        if (end != NULL)
            *end = '\0';
        fprintf(out, "W%03d,网格员%03d,1760000%04d,%s,%s\n", n - 1, n - 1, n - 1, town, village);
    }
    fclose(in);
    return fclose(out) == 0 ? CB_OK : CB_EIO;
}

typedef struct loader {
    sim_model_t *m;
    const policy_t *pol;
} loader_t;

static int load_person(void *ud, const store_person_row_t *p)
{
    loader_t *l = ud;
    policy_owed_t owed = catset_owed(l->pol, p->categories);

    sim_model_add(l->m, p->id, p->id_number, p->phone, p->household, owed.pay_now_fen,
                  owed.payer == POL_PAYER_DEPARTMENT);
    return 0;
}

/* The curve's series: villages, or townships when there are too many villages. */
static int pick_series(sim_t *s)
{
    progress_t *p = progress_create();
    const progress_row_t *rows;
    size_t n;
    int rc = report_load_progress(s->st, s->campaign, p);

    if (rc >= 0) {
        s->series_level = 2;
        rows = progress_rows(p, 2, &n);
        if (n > 24) {
            s->series_level = 1;
            rows = progress_rows(p, 1, &n);
        }
        s->nseries = n;
        s->series_area = xcalloc(n ? n : 1, sizeof *s->series_area);
        s->series_name = xcalloc(n ? n : 1, sizeof *s->series_name);
        for (size_t i = 0; i < n; i++) {
            s->series_area[i] = rows[i].area_id;
            s->series_name[i] =
                xstrdup(s->series_level == 2 ? rows[i].village : rows[i].township);
        }
    }
    progress_destroy(p);
    return rc;
}

/* The weekly curve: a row per series, a column per week (progress in %). */
static void print_curve(const sim_t *s)
{
    printf("\nprogress (paid / target, %%) at the end of each week\n%-14s", "");
    for (size_t i = 0; i < s->npoints; i++) {
        int y, m, d;
        date_to_ymd(s->days[i], &y, &m, &d);
        printf("%s%2d/%-2d", i ? " " : "", m, d);
    }
    putchar('\n');
    for (size_t k = 0; k < s->nseries; k++) {
        cli_print_padded(s->series_name[k], 14);
        for (size_t i = 0; i < s->npoints; i++)
            printf("%s%5.0f", i ? " " : "", 100.0 * s->values[i * s->nseries + k]);
        putchar('\n');
    }
}

static int print_final(sim_t *s, double seconds, const setup_t *su)
{
    progress_t *p = progress_create();
    const progress_row_t *t;
    size_t n;
    int rc = report_load_progress(s->st, s->campaign, p);

    if (rc < 0) {
        progress_destroy(p);
        return rc;
    }
    t = progress_rows(p, 0, &n);
    printf("\n%s %d: registered %lld, target %lld, paid %lld (progress %.1f%%), waived %lld, "
           "covered elsewhere %lld, unpaid %lld\n",
           policy_county(s->pol), policy_year(s->pol), (long long)t->registered,
           (long long)t->target, (long long)t->by_status[PS_PAID], 100.0 * t->progress,
           (long long)t->by_status[PS_WAIVED],
           (long long)(t->by_status[PS_EMPLOYEE_INSURED] + t->by_status[PS_INSURED_ELSEWHERE]),
           (long long)t->by_status[PS_UNPAID]);
    printf("special groups covered %lld of %lld; payments %llu, waivers %llu, found covered "
           "%llu, visits %llu, reminders sent %llu, job runs %llu\n",
           (long long)t->special_covered, (long long)t->special,
           (unsigned long long)s->payments, (unsigned long long)s->waivers,
           (unsigned long long)s->covered, (unsigned long long)s->visits,
           (unsigned long long)s->reminders, (unsigned long long)s->job_runs);
    printf("time: to-do lists %.1f s, reminders %.1f s, reports %.1f s, dispatch %.1f s, "
           "reminded phones %.1f s, residents %.1f s, visits %.1f s, curve %.1f s\n",
           s->seconds[SIM_T_TODO], s->seconds[SIM_T_REMIND], s->seconds[SIM_T_REPORT],
           s->seconds[SIM_T_DISPATCH], s->seconds[SIM_T_SENT], s->seconds[SIM_T_MODEL],
           s->seconds[SIM_T_VISITS], s->seconds[SIM_T_CURVE]);
    printf("simulated %lld people in %lld households, %lld villages in %.1f s\n",
           (long long)su->made.people, (long long)su->made.households,
           (long long)su->made.villages, seconds);
    printf("chart %s\nroster %s\nlists and reports under %s; messages in the outbox and the "
           "file channel's JSON lines\n",
           su->chart, su->roster, s->cfg->out_dir);
    progress_destroy(p);
    return CB_OK;
}

static int write_chart(const sim_t *s, const setup_t *su)
{
    double marks[8];
    cb_date_t mark_days[8];
    size_t nm = 0;
    char title[256], err[512];
    sim_curves_t c = {.nseries = s->nseries, .npoints = s->npoints,
                      .names = (const char *const *)s->series_name, .days = s->days,
                      .values = s->values, .marks = marks, .mark_days = mark_days,
                      .title = title};

    for (size_t i = 0; i < policy_nmilestones(s->pol) && nm < 8; i++, nm++) {
        marks[nm] = policy_milestone(s->pol, i)->percent / 100.0;
        mark_days[nm] = policy_milestone(s->pol, i)->date;
    }
    c.nmarks = nm;
    snprintf(title, sizeof title, "%s %d年度城乡居民医保缴费进度（模拟，按%s）",
             policy_county(s->pol), policy_year(s->pol), s->series_level == 2 ? "村" : "乡镇");
    if (sim_chart_write(&c, su->chart, err, sizeof err) < 0) {
        fprintf(stderr, "canbao simulate: %s\n", err);
        return CB_EIO;
    }
    return CB_OK;
}

/* Make the county: files, database, campaign, task table, roster, workers. */
static int make_county(const cli_t *c, const opts_t *o, setup_t *su, store_t **st,
                       policy_t **pol, int64_t *campaign, int64_t *nowp)
{
    int64_t now;
    char err[2048];
    const sim_file_t *sp = seed("lengshi-2024"), *stg = seed("targets-lengshi-2024");
    sim_roster_opts_t ro;
    int rc;

    if (o->policy != NULL) {
        su->policy_json = cli_slurp(o->policy, &su->policy_len);
        su->targets_text = cli_slurp(o->targets, &su->targets_len);
        if (su->policy_json == NULL || su->targets_text == NULL) {
            fprintf(stderr, "canbao simulate: %s: %s\n",
                    su->policy_json == NULL ? o->policy : o->targets, strerror(errno));
            return CB_EIO;
        }
    } else {
        su->policy_json = xstrdup(sp->text);
        su->policy_len = sp->len;
        su->targets_text = xstrdup(stg->text);
        su->targets_len = stg->len;
    }
    rc = policy_parse(su->policy_json, su->policy_len, pol, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao simulate: %s: %s\n", o->policy ? o->policy : "seed", err);
        return rc;
    }
    /* The county is made the morning before the window opens. */
    now = *nowp = clock_at(policy_window_start(*pol) - 1, 7 * 60);
    ro = (sim_roster_opts_t){.targets = su->targets_text, .len = su->targets_len,
                             .people = o->people, .seed = o->seed, .pol = *pol,
                             .region = "430923", .targets_out = su->targets,
                             .roster_out = su->roster};
    rc = sim_roster_write(&ro, &su->made, err, sizeof err);
    if (rc >= 0 && write_workers(su->workers, su->targets) < 0) {
        snprintf(err, sizeof err, "%s: %s", su->workers, strerror(errno));
        rc = CB_EIO;
    }
    if (rc >= 0)
        rc = store_open(c->db, st, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao simulate: %s\n", err);
        return rc;
    }
    /* The whole county's pages stay in memory: a day's jobs read them all again. */
    store_cache_mib(*st, 128);
    rc = store_campaign_create(*st, policy_year(*pol), policy_county(*pol), su->policy_json, now,
                               campaign);
    if (rc < 0) {
        fprintf(stderr, "canbao simulate: %s: %s\n", c->db, store_errmsg(*st));
        return rc;
    }
    rc = import_one(c, *st, *pol, *campaign, "targets", su->targets, now);
    if (rc >= 0)
        rc = import_one(c, *st, *pol, *campaign, "roster", su->roster, now);
    if (rc >= 0)
        rc = import_one(c, *st, *pol, *campaign, "workers", su->workers, now);
    return rc;
}

/* Replace an earlier simulation's database (or refuse to), make the output folder and,
 * unless --config names one, the simulation's own config there. */
static int prepare(const cli_t *c, const opts_t *o, cli_t *cc, setup_t *su)
{
    *cc = *c;
    if (!c->db_given)
        cc->db = "simulate.db";
    if (access(cc->db, F_OK) == 0) {
        if (c->db_given && !o->force) {
            fprintf(stderr, "canbao simulate: %s exists; add --force to replace it\n", cc->db);
            return -1;
        }
        remove_db(cc->db);
    }
    snprintf(su->dir, sizeof su->dir, "%s.out/simulate", cc->db);
    snprintf(su->config, sizeof su->config, "%s/config.json", su->dir);
    if (mkdirs(su->dir) < 0 || (o->config == NULL && write_config(su->config, cc->db) < 0)) {
        fprintf(stderr, "canbao simulate: %s: %s\n", su->dir, strerror(errno));
        return -1;
    }
    snprintf(su->roster, sizeof su->roster, "%s/roster.csv", su->dir);
    snprintf(su->targets, sizeof su->targets, "%s/targets.csv", su->dir);
    snprintf(su->workers, sizeof su->workers, "%s/workers.csv", su->dir);
    snprintf(su->chart, sizeof su->chart, "%s/progress.svg", su->dir);
    return 0;
}

/* The days, from the model loaded with the county's unpaid people, through the real
 * jobs, dispatcher and store. */
static int run_days(sim_t *s, const setup_t *su, char *err, size_t errlen)
{
    loader_t ld = {s->model, s->pol};
    char a[11], b[11];
    int rc = store_people_each(s->st, s->campaign, "unpaid", load_person, &ld);

    if (rc >= 0)
        rc = pick_series(s);
    if (rc < 0) {
        snprintf(err, errlen, "%s", store_errmsg(s->st));
        return rc;
    }
    date_format(policy_window_start(s->pol), a);
    date_format(policy_window_end(s->pol), b);
    printf("simulating %s %d: %lld people in %lld villages, window %s .. %s\n",
           policy_county(s->pol), policy_year(s->pol), (long long)su->made.people,
           (long long)su->made.villages, a, b);
    fflush(stdout);
    return sim_run(s, policy_window_end(s->pol), err, errlen);
}

static void sim_free(sim_t *s)
{
    for (size_t i = 0; i < s->nseries; i++)
        free(s->series_name[i]);
    free(s->series_name);
    free(s->series_area);
    free(s->days);
    free(s->values);
    sim_model_destroy(s->model);
}

int cli_simulate(const cli_t *c, int argc, char **argv)
{
    opts_t o;
    setup_t su = {0};
    sim_t s = {0};
    cli_t cc;
    store_t *st = NULL;
    policy_t *pol = NULL;
    app_config_t cfg = {0};
    tplset_t *thanks = NULL;
    int64_t campaign = 0, now;
    double t0 = clock_mono_s();
    char err[1024];
    int code = parse(argc, argv, &o), rc;

    if (code >= 0)
        return code;
    if (prepare(c, &o, &cc, &su) < 0)
        return EXIT_FATAL;
    code = EXIT_FATAL;
    if (app_config_load(o.config ? o.config : su.config, cc.db, &cfg, err, sizeof err) < 0 ||
        app_config_reply_templates(&cfg, &thanks, err, sizeof err) < 0) {
        fprintf(stderr, "canbao simulate: %s\n", err);
        app_config_free(&cfg);
        return EXIT_FATAL;
    }
    rc = make_county(&cc, &o, &su, &st, &pol, &campaign, &now);
    if (rc < 0)
        goto out;
    s = (sim_t){.st = st, .pol = pol, .campaign = campaign, .cfg = &cfg.jobs,
                .http = cfg.http, .dispatch = &cfg.dispatch, .visits_per_worker = o.visits,
                .quiet = !c->tty, /* the weekly dots are for a terminal */
                .model = sim_model_create(o.seed, policy_window_start(pol),
                                          policy_window_end(pol)),
                .pay = {.st = st, .pol = pol, .campaign = campaign, .tpl = thanks,
                        .reply_route = cfg.serve.reply_route}};
    rc = run_days(&s, &su, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "canbao simulate: %s\n", err);
    if (rc >= 0) {
        print_curve(&s);
        rc = write_chart(&s, &su);
    }
    if (rc >= 0)
        rc = print_final(&s, clock_mono_s() - t0, &su);
    if (rc >= 0) {
        printf("explore: canbao --db %s status --by village\n", cc.db);
        code = EXIT_OK;
    }
out:
    sim_free(&s);
    tplset_destroy(thanks);
    store_close(st);
    policy_destroy(pol);
    app_config_free(&cfg);
    free(su.policy_json);
    free(su.targets_text);
    return code;
}
