/* SPDX-License-Identifier: MIT */
/*
 * dispatch_poll.h - the dispatcher's questions to providers that do not report what
 * became of a message by themselves (channel_can_poll: dingtalk_work). A row sent on
 * such a channel is asked about poll_first_s after it went out, then after twice the
 * wait each time (at most backoff_cap_s), poll_max times at most; a final answer
 * makes it delivered or failed (store_outbox_delivery), no answer after the last
 * poll leaves it sent with the reason in its error. Internal to jobs/dispatch.c.
 *
 * Threading: the dispatcher's thread (the store, the httpc and the channels are its).
 */
#ifndef CB_JOBS_DISPATCH_POLL_H
#define CB_JOBS_DISPATCH_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "channels/channel.h"
#include "core/compiler.h"
#include "jobs/dispatch.h"
#include "store/store.h"

typedef struct poller poller_t;

/* 'cfg' is borrowed and must outlive the poller. */
poller_t *poller_create(store_t *st, const dispatch_cfg_t *cfg);
void poller_destroy(poller_t *p);
/* One of the dispatcher's channels (borrowed): kept when it can poll. */
void poller_add(poller_t *p, channel_t *c);

/* 1 when some channel can poll (else the dispatcher never asks the store). */
int poller_active(const poller_t *p);

/* When a row accepted at 'at' on 'c' is first asked about, 0 when 'c' is not polled. */
int64_t poller_first_at(const poller_t *p, const channel_t *c, int64_t at);

/* Ask about up to 'room' rows whose poll is due at 'now'; *started says how many
 * went. CB_OK or a negative CB_E* (the store). */
CB_NODISCARD int poller_start(poller_t *p, int64_t now, size_t room, size_t *started);

/* Questions asked and not answered yet. */
size_t poller_inflight(const poller_t *p);

#endif
