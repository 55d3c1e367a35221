/* SPDX-License-Identifier: MIT */
/* serve_jobs.c - the scheduler thread of 'canbao serve'. */
#include "jobs/serve_jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs/jobs.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

struct serve_jobs {
    serve_jobs_cfg_t sc;
    const jobs_config_t *cfg; /* borrowed */
    store_t *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void *loop(void *arg)
{
    serve_jobs_t *sj = arg;
    int stop = 0;

    while (!stop) {
        int64_t now = clock_now(sj->sc.clock);
        job_env_t env = {.st = sj->st, .pol = sj->sc.pol, .campaign = sj->sc.campaign,
                         .cfg = sj->cfg, .now = now, .today = clock_day(now), .quiet = 1};
        unsigned ran = 0;
        struct timespec until;

        if (jobs_run_due(&env, &ran) < 0)
            log_write(LL_ERROR, "jobs", "a job failed; 'canbao run list' shows why");
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)sj->sc.tick_ms * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_mutex_lock(&sj->mu);
        while (!sj->stop &&
               pthread_cond_timedwait(&sj->cv, &sj->mu, &until) == 0)
            ;
        stop = sj->stop;
        pthread_mutex_unlock(&sj->mu);
    }
    return NULL;
}

int serve_jobs_start(const serve_jobs_cfg_t *sc, const jobs_config_t *cfg, serve_jobs_t **out,
                     char *err, size_t errlen)
{
    serve_jobs_t *sj = xcalloc(1, sizeof *sj);
    int rc;

    *out = NULL;
    sj->sc = *sc;
    if (sj->sc.tick_ms <= 0)
        sj->sc.tick_ms = 1000;
    rc = store_open(sc->db, &sj->st, err, errlen);
    if (rc < 0) {
        free(sj);
        return rc;
    }
    pthread_mutex_init(&sj->mu, NULL);
    pthread_cond_init(&sj->cv, NULL);
    sj->cfg = cfg;
    if (pthread_create(&sj->thread, NULL, loop, sj) != 0) {
        snprintf(err, errlen, "cannot start the scheduler thread");
        pthread_mutex_destroy(&sj->mu);
        pthread_cond_destroy(&sj->cv);
        store_close(sj->st);
        free(sj);
        return CB_ENOMEM;
    }
    *out = sj;
    return CB_OK;
}

void serve_jobs_stop(serve_jobs_t *sj)
{
    if (sj == NULL)
        return;
    pthread_mutex_lock(&sj->mu);
    sj->stop = 1;
    pthread_cond_signal(&sj->cv);
    pthread_mutex_unlock(&sj->mu);
    pthread_join(sj->thread, NULL);
    pthread_mutex_destroy(&sj->mu);
    pthread_cond_destroy(&sj->cv);
    store_close(sj->st);
    free(sj);
}
