/* SPDX-License-Identifier: MIT */
/*
 * mqtt_session.h - a long-lived MQTT client (libmosquitto) for a daemon: its own
 * network thread, automatic reconnect with backoff (also when the broker is down at
 * start), a presence topic with a retained last will "offline" and a retained
 * "online" on every connect, and non-blocking retained QoS 1 publishes.
 *
 * Threading: mqtt_session_publish, _connected and _unacked from any thread; start and
 * stop from the owner. The on_connect callback runs on the client's network thread.
 */
#ifndef CB_CHANNELS_MQTT_SESSION_H
#define CB_CHANNELS_MQTT_SESSION_H

#include <stddef.h>

#include "channels/mqtt.h"
#include "core/compiler.h"

typedef struct mqtt_session mqtt_session_t;

typedef struct mqtt_session_opts {
    const char *host;         /* NULL: "127.0.0.1" */
    int port;                 /* 0: 1883 */
    const char *user;         /* NULL: anonymous */
    const char *password;     /* with 'user' */
    const char *client_id;    /* NULL: "canbao-<pid>" */
    const char *status_topic; /* presence: will "offline", "online" on connect (retained,
                               * QoS 1); NULL: none */
    int keepalive_s;          /* 0: 30 */
    int reconnect_max_s;      /* the longest pause between attempts (0: 5; the pauses
                               * grow 1, 4, 9... seconds up to it) */
    const mqtt_tls_t *tls;    /* NULL: plain TCP (channels/mqtt.h) */
    void (*on_connect)(void *ud); /* after every CONNACK accepted (NULL: none) */
    void *ud;
} mqtt_session_opts_t;

/* Start the network thread and the first connection attempt; a broker that is down is
 * not an error (the thread keeps trying). The strings are copied. CB_ENOMEM, or
 * CB_EINVAL for bad options, with 'err'. */
CB_NODISCARD int mqtt_session_start(const mqtt_session_opts_t *o, mqtt_session_t **out,
                                    char *err, size_t errlen);

/* 1 while a connection is up (CONNACK accepted), else 0. */
int mqtt_session_connected(mqtt_session_t *s);

/* Queue 'len' bytes of 'payload' on 'topic', retained at QoS 1; never blocks on the
 * network. CB_ETEMP when not connected (the client may still deliver it after the
 * next connect), CB_EREJECTED for a topic or payload the protocol refuses. */
CB_NODISCARD int mqtt_session_publish(mqtt_session_t *s, const char *topic, const void *payload,
                                      size_t len);

/* Messages queued and not yet acknowledged by the broker. */
size_t mqtt_session_unacked(mqtt_session_t *s);

/* Publish "offline" (when connected, waiting up to 2 s for the broker), disconnect,
 * stop the thread and free. NULL is a no-op. */
void mqtt_session_stop(mqtt_session_t *s);

#endif
