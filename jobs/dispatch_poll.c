/* SPDX-License-Identifier: MIT */
#include "jobs/dispatch_poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/store_outbox.h"

struct poller {
    store_t *st;
    const dispatch_cfg_t *cfg;
    channel_t **chans; /* the dispatcher's channels that can poll */
    size_t nchans;
    size_t inflight;
    int64_t now; /* the campaign time of the last poller_start */
};

/* One question in flight. */
typedef struct poll_job {
    poller_t *p;
    int64_t id;
    int polls;
} poll_job_t;

poller_t *poller_create(store_t *st, const dispatch_cfg_t *cfg)
{
    poller_t *p = xcalloc(1, sizeof *p);

    p->st = st;
    p->cfg = cfg;
    return p;
}

void poller_add(poller_t *p, channel_t *c)
{
    if (!channel_can_poll(c))
        return;
    p->chans = xrealloc(p->chans, (p->nchans + 1) * sizeof *p->chans);
    p->chans[p->nchans++] = c;
}

void poller_destroy(poller_t *p)
{
    if (p == NULL)
        return;
    free(p->chans);
    free(p);
}

int poller_active(const poller_t *p)
{
    return p->nchans > 0 && p->cfg->poll_max > 0;
}

int64_t poller_first_at(const poller_t *p, const channel_t *c, int64_t at)
{
    for (size_t i = 0; i < p->nchans && p->cfg->poll_max > 0; i++) {
        if (p->chans[i] == c)
            return at + p->cfg->poll_first_s;
    }
    return 0;
}

size_t poller_inflight(const poller_t *p)
{
    return p->inflight;
}

static channel_t *chan_named(const poller_t *p, const char *name)
{
    for (size_t i = 0; i < p->nchans; i++) {
        if (strcmp(channel_name(p->chans[i]), name) == 0)
            return p->chans[i];
    }
    return NULL;
}

/* No final answer after 'polls' questions: the next one twice as late as the last,
 * or none after poll_max (the row stays sent, 'why' in its error). */
static void later(poller_t *p, int64_t id, int polls, const char *why)
{
    double wait = p->cfg->poll_first_s;
    int64_t at = 0;
    char msg[240];

    for (int i = 0; i < polls && wait < p->cfg->backoff_cap_s; i++)
        wait *= 2;
    if (wait > p->cfg->backoff_cap_s)
        wait = p->cfg->backoff_cap_s;
    if (polls < p->cfg->poll_max) {
        at = p->now + (int64_t)wait;
    } else {
        snprintf(msg, sizeof msg, "no delivery answer after %d polls%s%s", polls,
                 why != NULL ? ": " : "", why != NULL ? why : "");
        why = msg;
    }
    if (store_outbox_poll_later(p->st, id, at, why) < 0)
        log_write(LL_ERROR, "dispatch", "cannot record a poll: %s", store_errmsg(p->st));
}

static void on_poll(void *ud, const ch_event_t *ev, const char *error)
{
    poll_job_t *j = ud;
    poller_t *p = j->p;

    p->inflight--;
    if (ev != NULL && ev->final) {
        if (store_outbox_delivery(p->st, j->id, ev->delivered, ev->error, p->now) < 0)
            log_write(LL_ERROR, "dispatch", "cannot record a delivery: %s",
                      store_errmsg(p->st));
    } else {
        later(p, j->id, j->polls, error);
    }
    free(j);
}

int poller_start(poller_t *p, int64_t now, size_t room, size_t *started)
{
    outbox_poll_t *q;
    size_t n;
    int rc;

    *started = 0;
    p->now = now;
    if (!poller_active(p) || room == 0)
        return CB_OK;
    rc = store_outbox_poll_claim(p->st, now, p->cfg->lease_s, room, &q, &n);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        channel_t *c = chan_named(p, q[i].channel);
        poll_job_t *j = xcalloc(1, sizeof *j);

        *j = (poll_job_t){.p = p, .id = q[i].id, .polls = q[i].polls};
        p->inflight++;
        rc = c != NULL ? channel_poll(c, q[i].id, q[i].recipient, q[i].gateway_id, on_poll, j)
                       : CB_ENOTFOUND;
        if (rc < 0) {
            /* A channel no longer configured or a row it cannot ask about: never again. */
            p->inflight--;
            free(j);
            if (store_outbox_poll_later(p->st, q[i].id, 0, "cannot be polled") < 0)
                log_write(LL_ERROR, "dispatch", "cannot record a poll: %s",
                          store_errmsg(p->st));
            continue;
        }
        (*started)++;
    }
    store_outbox_polls_free(q, n);
    return CB_OK;
}
