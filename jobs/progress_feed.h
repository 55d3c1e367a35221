/* SPDX-License-Identifier: MIT */
/*
 * progress_feed.h - the daemon's progress on the MQTT bus: a publisher thread with its
 * own database connection and MQTT session (channels/mqtt_session.h) keeps the
 * retained figures of every area (topics and payloads: docs/mqtt.md) equal to the
 * database.
 *
 * The writer reports what it changed (progress_feed_note: a few counters under a
 * mutex, never blocks on the network or the database); the thread applies the
 * changes to in-memory counts (store/progress_cache.h) and publishes, at most once per
 * 'interval_ms', the areas whose figures moved (their rank or a roll-up included).
 * After every (re)connect it publishes everything; every 'refresh_s' it counts again
 * from the database, for changes other processes made (imports, waivers).
 */
#ifndef CB_JOBS_PROGRESS_FEED_H
#define CB_JOBS_PROGRESS_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "channels/mqtt.h"
#include "core/clock.h"
#include "core/compiler.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/status.h"

typedef struct progress_feed progress_feed_t;

typedef struct progress_feed_cfg {
    const char *db;           /* the thread opens its own connection */
    const policy_t *pol;      /* borrowed until progress_feed_stop */
    int64_t campaign;
    cb_date_t today;          /* the campaign day of the figures when 'clock' is NULL */
    const cb_clock_t *clock;  /* the campaign clock (borrowed), read every round */
    const mqtt_cfg_t *mqtt;   /* copied what it needs */
    int interval_ms;          /* the shortest time between two publishes of a topic (0: 250) */
    int refresh_s;            /* count everything again this often (0: 60; < 0: never) */
    size_t max_unacked;       /* publish nothing while more wait for the broker (0: 5000) */
} progress_feed_cfg_t;

CB_NODISCARD int progress_feed_start(const progress_feed_cfg_t *cfg, progress_feed_t **out,
                                     char *err, size_t errlen);

/* 'n' status changes just committed ('feed' is the progress_feed_t; the signature of
 * ingest_cfg_t.on_changes). Any thread; takes a mutex only. */
void progress_feed_note(void *feed, const status_change_t *c, size_t n);

/* Stop the thread, publish "offline", disconnect, free. NULL is a no-op. */
void progress_feed_stop(progress_feed_t *f);

#endif
