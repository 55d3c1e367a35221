/* SPDX-License-Identifier: MIT */
#include "channels/mqtt_session.h"

#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

struct mqtt_session {
    struct mosquitto *m;
    char *status_topic, *where; /* "host:port" for logs */
    void (*on_connect)(void *ud);
    void *ud;
    pthread_mutex_t mu;
    int connected;
    size_t sent, acked;
};

static const char offline[] = "offline", online[] = "online";

static void connected_cb(struct mosquitto *m, void *ud, int rc)
{
    mqtt_session_t *s = ud;

    if (rc != 0) {
        log_write(LL_ERROR, "mqtt", "%s refused the connection: %s", s->where,
                  mosquitto_connack_string(rc));
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->connected = 1;
    pthread_mutex_unlock(&s->mu);
    log_write(LL_INFO, "mqtt", "connected to %s", s->where);
    (void)m;
    if (s->status_topic != NULL &&
        mqtt_session_publish(s, s->status_topic, online, sizeof online - 1) < 0)
        log_write(LL_WARN, "mqtt", "%s: cannot publish %s", s->where, s->status_topic);
    if (s->on_connect != NULL)
        s->on_connect(s->ud);
}

static void disconnected_cb(struct mosquitto *m, void *ud, int rc)
{
    mqtt_session_t *s = ud;

    (void)m;
    pthread_mutex_lock(&s->mu);
    s->connected = 0;
    pthread_mutex_unlock(&s->mu);
    if (rc != 0)
        log_write(LL_WARN, "mqtt", "lost the connection to %s; reconnecting", s->where);
}

static void published_cb(struct mosquitto *m, void *ud, int mid)
{
    mqtt_session_t *s = ud;

    (void)m;
    (void)mid;
    pthread_mutex_lock(&s->mu);
    s->acked++;
    pthread_mutex_unlock(&s->mu);
}

static void destroy(mqtt_session_t *s)
{
    if (s->m != NULL)
        mosquitto_destroy(s->m);
    pthread_mutex_destroy(&s->mu);
    free(s->status_topic);
    free(s->where);
    free(s);
    mosquitto_lib_cleanup();
}

int mqtt_session_start(const mqtt_session_opts_t *o, mqtt_session_t **out, char *err,
                       size_t errlen)
{
    const char *host = o->host ? o->host : "127.0.0.1";
    int port = o->port ? o->port : 1883, rc;
    mqtt_session_t *s = xcalloc(1, sizeof *s);
    char id[64], where[300];

    *out = NULL;
    mosquitto_lib_init();
    pthread_mutex_init(&s->mu, NULL);
    snprintf(where, sizeof where, "mqtt %s:%d", host, port);
    s->where = xstrdup(where);
    s->status_topic = o->status_topic ? xstrdup(o->status_topic) : NULL;
    s->on_connect = o->on_connect;
    s->ud = o->ud;
    if (o->client_id == NULL)
        snprintf(id, sizeof id, "canbao-%ld", (long)getpid());
    else
        snprintf(id, sizeof id, "%s", o->client_id);
    s->m = mosquitto_new(id, true, s);
    if (s->m == NULL) {
        snprintf(err, errlen, "%s: cannot create a client", where);
        destroy(s);
        return CB_ENOMEM;
    }
    mosquitto_int_option(s->m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_connect_callback_set(s->m, connected_cb);
    mosquitto_disconnect_callback_set(s->m, disconnected_cb);
    mosquitto_publish_callback_set(s->m, published_cb);
    mosquitto_reconnect_delay_set(s->m, 1, o->reconnect_max_s > 0 ? (unsigned)o->reconnect_max_s : 5,
                                  true);
    rc = o->user ? mosquitto_username_pw_set(s->m, o->user, o->password) : MOSQ_ERR_SUCCESS;
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mqtt_tls_apply(s->m, o->tls);
    if (rc == MOSQ_ERR_SUCCESS && s->status_topic != NULL)
        rc = mosquitto_will_set(s->m, s->status_topic, (int)sizeof offline - 1, offline, 1, true);
    /* The thread first, then the connection: connect_async on a broker that is down
     * would otherwise leave the thread waiting forever (libmosquitto 2.0.11). */
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_loop_start(s->m);
    if (rc == MOSQ_ERR_SUCCESS) {
        rc = mosquitto_connect_async(s->m, host, port, o->keepalive_s > 0 ? o->keepalive_s : 30);
        if (rc == MOSQ_ERR_ERRNO)
            rc = MOSQ_ERR_SUCCESS; /* down for now: the thread retries */
        if (rc != MOSQ_ERR_SUCCESS)
            mosquitto_loop_stop(s->m, true);
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "%s: %s", where, mosquitto_strerror(rc));
        destroy(s);
        return CB_EINVAL;
    }
    *out = s;
    return CB_OK;
}

int mqtt_session_connected(mqtt_session_t *s)
{
    int c;

    pthread_mutex_lock(&s->mu);
    c = s->connected;
    pthread_mutex_unlock(&s->mu);
    return c;
}

int mqtt_session_publish(mqtt_session_t *s, const char *topic, const void *payload, size_t len)
{
    int rc = mosquitto_publish(s->m, NULL, topic, (int)len, payload, 1, true);

    if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_NO_CONN) {
        /* QoS 1 stays queued while disconnected: its PUBACK will come. */
        pthread_mutex_lock(&s->mu);
        s->sent++;
        pthread_mutex_unlock(&s->mu);
        return rc == MOSQ_ERR_SUCCESS ? CB_OK : CB_ETEMP;
    }
    if (rc == MOSQ_ERR_PAYLOAD_SIZE || rc == MOSQ_ERR_MALFORMED_UTF8 || rc == MOSQ_ERR_INVAL)
        return CB_EREJECTED;
    return CB_ETEMP;
}

size_t mqtt_session_unacked(mqtt_session_t *s)
{
    size_t n;

    pthread_mutex_lock(&s->mu);
    n = s->sent - s->acked;
    pthread_mutex_unlock(&s->mu);
    return n;
}

void mqtt_session_stop(mqtt_session_t *s)
{
    if (s == NULL)
        return;
    if (s->status_topic != NULL && mqtt_session_connected(s) &&
        mqtt_session_publish(s, s->status_topic, offline, sizeof offline - 1) == CB_OK) {
        for (int i = 0; i < 200 && mqtt_session_unacked(s) > 0 && mqtt_session_connected(s); i++) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
    }
    mosquitto_disconnect(s->m);
    mosquitto_loop_stop(s->m, false);
    destroy(s);
}
