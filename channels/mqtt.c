/* SPDX-License-Identifier: MIT */
#include "channels/mqtt.h"

#include <mosquitto.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"

typedef struct state {
    int connected; /* 1 after CONNACK accepted, -1 refused */
    int connack;   /* the broker's CONNACK code */
    size_t acked;
} state_t;

static void on_connect(struct mosquitto *m, void *ud, int rc)
{
    state_t *s = ud;
    (void)m;
    s->connack = rc;
    s->connected = rc == 0 ? 1 : -1;
}

static void on_publish(struct mosquitto *m, void *ud, int mid)
{
    state_t *s = ud;
    (void)m;
    (void)mid;
    s->acked++;
}

/* Run the client loop until *done or the deadline; 0, or the failing loop's code. */
static int loop_until(struct mosquitto *m, const state_t *s, size_t want, time_t deadline)
{
    while (time(NULL) < deadline) {
        int rc;
        if (want == 0 ? s->connected != 0 : s->acked >= want)
            return MOSQ_ERR_SUCCESS;
        rc = mosquitto_loop(m, 100, 1);
        if (rc != MOSQ_ERR_SUCCESS)
            return rc;
    }
    return MOSQ_ERR_SUCCESS;
}

static const char *loop_error(int rc)
{
    return rc == MOSQ_ERR_ERRNO ? "the connection failed" : mosquitto_strerror(rc);
}

/* Publish 'msgs' retained at QoS 1, keeping the socket moving so the in-flight window
 * drains as it goes; on a refusal *out gets the CB_E* and 'err' the reason. */
static int publish_all(struct mosquitto *m, const mqtt_msg_t *msgs, size_t n, const char *host,
                       int port, char *err, size_t errlen, int *out)
{
    int rc = MOSQ_ERR_SUCCESS;

    for (size_t i = 0; i < n; i++) {
        rc = mosquitto_publish(m, NULL, msgs[i].topic, (int)msgs[i].len, msgs[i].payload, 1, true);
        if (rc != MOSQ_ERR_SUCCESS) {
            snprintf(err, errlen, "mqtt %s:%d: cannot publish %s: %s", host, port,
                     msgs[i].topic, mosquitto_strerror(rc));
            *out = rc == MOSQ_ERR_PAYLOAD_SIZE || rc == MOSQ_ERR_MALFORMED_UTF8 ? CB_EREJECTED
                                                                                 : CB_ETEMP;
            return rc;
        }
        if (i % 16 == 15 && (rc = mosquitto_loop(m, 0, 1)) != MOSQ_ERR_SUCCESS)
            break;
    }
    return rc;
}

int mqtt_publish_retained(const mqtt_opts_t *o, const mqtt_msg_t *msgs, size_t n, char *err,
                          size_t errlen)
{
    const char *host = o->host ? o->host : "127.0.0.1";
    int port = o->port ? o->port : 1883, rc, out = CB_OK;
    time_t deadline = time(NULL) + (o->timeout_s > 0 ? o->timeout_s : 10);
    char id[40];
    state_t s = {0, 0, 0};
    struct mosquitto *m;

    if (o->client_id == NULL)
        snprintf(id, sizeof id, "canbao-%ld", (long)getpid());
    else
        snprintf(id, sizeof id, "%s", o->client_id);
    mosquitto_lib_init();
    m = mosquitto_new(id, true, &s);
    if (m == NULL) {
        snprintf(err, errlen, "mqtt %s:%d: cannot create a client", host, port);
        mosquitto_lib_cleanup();
        return CB_ENOMEM;
    }
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_connect_callback_set(m, on_connect);
    mosquitto_publish_callback_set(m, on_publish);
    if (o->user != NULL)
        mosquitto_username_pw_set(m, o->user, o->password);
    rc = mqtt_tls_apply(m, o->tls);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "mqtt %s:%d: TLS: %s", host, port, mosquitto_strerror(rc));
        out = CB_ECONFIG;
        goto done;
    }
    rc = mosquitto_connect(m, host, port, 30);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "mqtt %s:%d: cannot connect: %s", host, port,
                 rc == MOSQ_ERR_ERRNO ? "connection refused or host unreachable"
                                      : mosquitto_strerror(rc));
        out = CB_ETEMP;
        goto done;
    }
    rc = loop_until(m, &s, 0, deadline);
    if (rc != MOSQ_ERR_SUCCESS || s.connected == 0) {
        snprintf(err, errlen, "mqtt %s:%d: no CONNACK: %s", host, port,
                 rc ? loop_error(rc) : "timed out");
        out = CB_ETEMP;
        goto done;
    }
    if (s.connected < 0) {
        snprintf(err, errlen, "mqtt %s:%d: the broker refused the connection: %s", host, port,
                 mosquitto_connack_string(s.connack));
        out = CB_EREJECTED;
        goto done;
    }
    rc = publish_all(m, msgs, n, host, port, err, errlen, &out);
    if (out < 0)
        goto done;
    if (rc == MOSQ_ERR_SUCCESS)
        rc = loop_until(m, &s, n, deadline);
    if (rc != MOSQ_ERR_SUCCESS || s.acked < n) {
        snprintf(err, errlen, "mqtt %s:%d: %zu of %zu messages acknowledged: %s", host, port,
                 s.acked, n, rc ? loop_error(rc) : "timed out");
        out = CB_ETEMP;
        goto done;
    }
    mosquitto_disconnect(m);
    mosquitto_loop(m, 100, 1);
done:
    mosquitto_destroy(m);
    mosquitto_lib_cleanup();
    return out;
}

int mqtt_tls_apply(struct mosquitto *mosq, const mqtt_tls_t *tls)
{
    if (tls == NULL)
        return MOSQ_ERR_SUCCESS;
    return mosquitto_tls_set(mosq, tls->cafile, tls->capath, tls->certfile, tls->keyfile, NULL);
}
