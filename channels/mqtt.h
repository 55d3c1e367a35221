/* SPDX-License-Identifier: MIT */
/*
 * mqtt.h - publish a batch of retained messages to an MQTT broker (libmosquitto) and
 * return once the broker has acknowledged every one: connect, publish each at QoS 1
 * with retain, run the client loop until no PUBACK is outstanding, disconnect.
 *
 * Blocking; one call at a time per thread (each call has its own client).
 */
#ifndef CB_CHANNELS_MQTT_H
#define CB_CHANNELS_MQTT_H

#include <stddef.h>

#include "core/compiler.h"

/* TLS to the broker: verify it against 'cafile' or the CA folder 'capath' (one of
 * them), and present 'certfile' and 'keyfile' when the broker wants a client
 * certificate (both or neither). */
typedef struct mqtt_tls {
    const char *cafile, *capath, *certfile, *keyfile;
} mqtt_tls_t;

typedef struct mqtt_opts {
    const char *host;      /* NULL: "127.0.0.1" */
    int port;              /* 0: 1883 */
    const char *user;      /* NULL: anonymous */
    const char *password;  /* with 'user' */
    const char *client_id; /* NULL: "canbao-<pid>" */
    int timeout_s;         /* for the connection and all acknowledgements (0: 10) */
    const mqtt_tls_t *tls; /* NULL: plain TCP */
} mqtt_opts_t;

/* The deployment config's "mqtt" section: the broker the progress feed goes to (the
 * daemon, 'canbao publish'), how its topics are named and the LED text encoded. */
typedef struct mqtt_cfg {
    int enabled;              /* the config has the section: 'serve' publishes progress */
    char *host;               /* (default 127.0.0.1) */
    int port;                 /* (default 1883) */
    char *user, *password;    /* NULL: anonymous; password from "password" or "password_env" */
    char *topic_prefix;       /* first topic level (default "canbao") */
    char *county_code;        /* second topic level (default "county") */
    char *led_encoding;       /* "utf-8" (default), "gbk", "gb2312" or "gb18030" */
    int timeout_s;            /* connection and acknowledgements (default 10) */
    int tls;                  /* 1: TLS with the files below (NULL when not given) */
    char *tls_cafile, *tls_capath, *tls_certfile, *tls_keyfile;
} mqtt_cfg_t;

typedef struct mqtt_msg {
    const char *topic;
    const void *payload;
    size_t len;
} mqtt_msg_t;

/* Publish the 'n' messages of 'msgs' retained at QoS 1. CB_ETEMP when the broker
 * cannot be reached or does not acknowledge in time, CB_EREJECTED when it refuses the
 * connection (bad credentials) or a message; 'err' names host:port and the reason. */
CB_NODISCARD int mqtt_publish_retained(const mqtt_opts_t *o, const mqtt_msg_t *msgs, size_t n,
                                       char *err, size_t errlen);

/* Apply 'tls' (NULL: nothing) to the libmosquitto client 'mosq' before it connects:
 * MOSQ_ERR_SUCCESS or the library's error (a file that cannot be read). */
struct mosquitto;
int mqtt_tls_apply(struct mosquitto *mosq, const mqtt_tls_t *tls);

#endif
