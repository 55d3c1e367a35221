/* SPDX-License-Identifier: MIT */
#include "app/config.h"
#include "jobs/jobs_config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/jsoncfg.h"
#include "core/mem.h"
#include "core/smsseg.h"
#include "jobs/pace.h"

#define CONFIG_MAX (1024 * 1024)

static const char *const top_keys[] = {"channels", "routes",  "dispatch", "templates",
                                       "sms_cost_fen_per_part", "serve", "mqtt", "jobs", NULL};

static const char *const kind_name[] = {
    [CH_KIND_SMS] = "sms", [CH_KIND_ROBOT] = "robot", [CH_KIND_WEBHOOK] = "webhook",
    [CH_KIND_FILE] = "file", [CH_KIND_APP] = "app", [CH_KIND_WECHAT] = "wechat"};

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    size_t n;

    if (fp == NULL) {
        snprintf(err, errlen, "%s: cannot be read", path);
        return NULL;
    }
    buf = xmalloc(CONFIG_MAX + 1);
    n = fread(buf, 1, CONFIG_MAX + 1, fp);
    fclose(fp);
    if (n > CONFIG_MAX) {
        snprintf(err, errlen, "%s: larger than 1 MiB", path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static channel_t *find_channel(const app_config_t *c, const char *name)
{
    for (size_t i = 0; i < c->nchans; i++) {
        if (strcmp(channel_name(c->chans[i]), name) == 0)
            return c->chans[i];
    }
    return NULL;
}

static void add_route(app_config_t *c, const char *name, channel_t **chans, size_t n,
                      const char *kind, int resident_sms)
{
    dispatch_route_t *r;

    c->routes = xrealloc(c->routes, (c->nroutes + 1) * sizeof *c->routes);
    r = &c->routes[c->nroutes++];
    r->name = xstrdup(name);
    r->chans = chans;
    r->nchans = n;
    r->kind = kind;
    r->resident_sms = resident_sms;
}

/* A route from the file's "routes" object: an array of channel names. */
static int route_from(app_config_t *c, const cJSON *list, const char *name, char *err,
                      size_t errlen)
{
    size_t n = 0;
    channel_t **chans;
    const cJSON *it;

    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
        snprintf(err, errlen, "routes.%s: must be a non-empty array of channel names", name);
        return CB_ECONFIG;
    }
    chans = xcalloc((size_t)cJSON_GetArraySize(list), sizeof *chans);
    cJSON_ArrayForEach(it, list)
    {
        channel_t *ch = cJSON_IsString(it) ? find_channel(c, it->valuestring) : NULL;
        if (ch == NULL) {
            snprintf(err, errlen, "routes.%s[%zu]: no channel named '%s'", name, n,
                     cJSON_IsString(it) ? it->valuestring : "?");
            free(chans);
            return CB_ECONFIG;
        }
        chans[n++] = ch;
    }
    add_route(c, name, chans, n, strcmp(name, "sms") == 0 ? "sms" : kind_name[channel_kind(chans[0])],
              strcmp(name, "sms") == 0);
    return CB_OK;
}

/* Default routes: "sms" uses the SMS channels in file order, "robot" the robots;
 * with none of that kind, every file channel stands in. */
static void default_route(app_config_t *c, const char *name, ch_kind_t want)
{
    channel_t **chans = xcalloc(c->nchans + 1, sizeof *chans);
    size_t n = 0;

    for (size_t i = 0; i < c->nchans; i++) {
        if (channel_kind(c->chans[i]) == want)
            chans[n++] = c->chans[i];
    }
    for (size_t i = 0; n == 0 && i < c->nchans; i++) {
        if (channel_kind(c->chans[i]) == CH_KIND_FILE)
            chans[n++] = c->chans[i];
    }
    add_route(c, name, chans, n, kind_name[want], want == CH_KIND_SMS);
}

/* 1 (and 'err' "sect.key: unknown option") when object 'o' has a key not in 'known'. */
static int unknown_key(const cJSON *o, const char *sect, const char *const *known, char *err,
                       size_t errlen)
{
    const char *k = jsoncfg_unknown(o, known);

    if (k == NULL)
        return 0;
    snprintf(err, errlen, "%s%s%s: unknown option", sect ? sect : "", sect ? "." : "", k);
    return 1;
}

static int parse_dispatch(app_config_t *c, const cJSON *o, char *err, size_t errlen)
{
    static const char *const known[] = {
        "concurrency", "claim", "lease_s", "max_attempts", "backoff_base_s", "backoff_cap_s",
        "quiet_hours", "utc_offset_hours", "cap_day", "cap_week", "breaker_threshold",
        "breaker_cooldown_s", "flush_every", "poll_first_s", "poll_max", NULL};
    dispatch_cfg_t *d = &c->dispatch;
    int base = (int)d->backoff_base_s, cap = (int)d->backoff_cap_s;
    int cool = (int)d->breaker_cooldown_s, off = d->utc_offset_s / 3600, rc = CB_OK;
    const cJSON *q;

    if (o == NULL)
        return CB_OK;
    if (unknown_key(o, "dispatch", known, err, errlen))
        return CB_ECONFIG;
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "concurrency", 1, 4096, &d->concurrency, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "claim", 1, 100000, &d->claim, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "lease_s", 5, 86400, &d->lease_s, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "max_attempts", 1, 100, &d->max_attempts, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "backoff_base_s", 1, 86400, &base, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "backoff_cap_s", 1, 7 * 86400, &cap, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "utc_offset_hours", -12, 14, &off, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "cap_day", 0, 1000, &d->cap_day, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "cap_week", 0, 1000, &d->cap_week, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "breaker_threshold", 1, 1000, &d->breaker_threshold, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "breaker_cooldown_s", 1, 86400, &cool, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "flush_every", 1, 100000, &d->flush_every, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "poll_first_s", 1, 86400, &d->poll_first_s, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "dispatch", "poll_max", 0, 100, &d->poll_max, err, errlen);
    if (rc < 0)
        return rc;
    d->backoff_base_s = base;
    d->backoff_cap_s = cap;
    d->breaker_cooldown_s = cool;
    d->utc_offset_s = off * 3600;
    q = cJSON_GetObjectItemCaseSensitive(o, "quiet_hours");
    if (q != NULL && (!cJSON_IsString(q) ||
                      quiet_parse(q->valuestring, &d->quiet_start_min, &d->quiet_end_min) < 0)) {
        snprintf(err, errlen, "dispatch.quiet_hours: must be \"HH:MM-HH:MM\" or \"off\"");
        return CB_ECONFIG;
    }
    return CB_OK;
}

/* A secret from "key" or from the environment variable "key_env" names. */
static int secret(const cJSON *o, const char *sect, const char *key, char **out, char *err,
                  size_t errlen)
{
    char name[64];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key), *e;

    snprintf(name, sizeof name, "%s_env", key);
    e = cJSON_GetObjectItemCaseSensitive(o, name);
    if (cJSON_IsString(v)) {
        *out = xstrdup(v->valuestring);
    } else if (cJSON_IsString(e)) {
        const char *val = getenv(e->valuestring);
        if (val == NULL || *val == '\0') {
            snprintf(err, errlen, "%s.%s: the environment variable %s is not set", sect, name,
                     e->valuestring);
            return CB_ECONFIG;
        }
        *out = xstrdup(val);
    }
    return CB_OK;
}

static int parse_serve(serve_cfg_t *s, const cJSON *o, char *err, size_t errlen)
{
    static const char *const known[] = {
        "listen", "payment_secret", "payment_secret_env", "kannel_secret", "kannel_secret_env",
        "wechat_secret", "wechat_secret_env", "api_token", "api_token_env", "max_body",
        "max_connections", "max_per_address", "timeout_s", "request_deadline_s",
        "clock_skew_s", "reply_route", "wechat_mp_token",
        "wechat_mp_token_env", NULL};
    static const char *const secrets[] = {"payment_secret", "kannel_secret", "wechat_secret",
                                          "api_token", "wechat_mp_token"};
    char **slot[] = {&s->payment_secret, &s->kannel_secret, &s->wechat_secret, &s->api_token,
                     &s->wechat_mp_token};
    const cJSON *listen, *route;
    int rc = CB_OK;

    s->port = 8080;
    s->max_body = 65536;
    s->max_connections = 512;
    s->timeout_s = 10;
    s->max_per_address = 64;
    s->deadline_s = 10;
    s->skew_s = 300;
    if (o == NULL)
        goto done;
    if (unknown_key(o, "serve", known, err, errlen))
        return CB_ECONFIG;
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0] && rc >= 0; i++)
        rc = secret(o, "serve", secrets[i], slot[i], err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "serve", "max_body", 1024, 16 << 20, &s->max_body, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "serve", "max_connections", 1, 65536, &s->max_connections, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "serve", "max_per_address", 0, 65536, &s->max_per_address, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "serve", "timeout_s", 1, 3600, &s->timeout_s, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "serve", "request_deadline_s", 1, 3600, &s->deadline_s, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "serve", "clock_skew_s", 1, 3600, &s->skew_s, err, errlen);
    if (rc < 0)
        return rc;
    listen = cJSON_GetObjectItemCaseSensitive(o, "listen");
    if (listen != NULL) {
        const char *colon = cJSON_IsString(listen) ? strrchr(listen->valuestring, ':') : NULL;
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : -1;
        if (colon == NULL || *end != '\0' || port < 0 || port > 65535) {
            snprintf(err, errlen, "serve.listen: must be \"ADDRESS:PORT\", e.g. \"127.0.0.1:8080\"");
            return CB_ECONFIG;
        }
        s->addr = xmalloc((size_t)(colon - listen->valuestring) + 1);
        memcpy(s->addr, listen->valuestring, (size_t)(colon - listen->valuestring));
        s->addr[colon - listen->valuestring] = '\0';
        s->port = (int)port;
    }
    route = cJSON_GetObjectItemCaseSensitive(o, "reply_route");
    if (cJSON_IsString(route))
        s->reply_route = xstrdup(route->valuestring);
done:
    if (s->addr == NULL)
        s->addr = xstrdup("127.0.0.1");
    if (s->reply_route == NULL)
        s->reply_route = xstrdup("sms");
    return CB_OK;
}

static int get_str(const cJSON *o, const char *key, const char *def, char **out, char *err,
                   size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (v != NULL && (!cJSON_IsString(v) || v->valuestring[0] == '\0')) {
        snprintf(err, errlen, "mqtt.%s: must be a non-empty string", key);
        return CB_ECONFIG;
    }
    *out = xstrdup(v != NULL ? v->valuestring : def);
    return CB_OK;
}

/* mqtt.tls: true (the system's CA folder) or {"cafile"|"capath", "certfile", "keyfile"}. */
static int parse_tls(mqtt_cfg_t *m, const cJSON *tls, char *err, size_t errlen)
{
    static const char *const keys[] = {"cafile", "capath", "certfile", "keyfile", NULL};
    char **dst[] = {&m->tls_cafile, &m->tls_capath, &m->tls_certfile, &m->tls_keyfile};
    const cJSON *it;

    m->tls = 1;
    if (cJSON_IsTrue(tls)) {
        m->tls_capath = xstrdup("/etc/ssl/certs");
        return CB_OK;
    }
    if (!cJSON_IsObject(tls)) {
        snprintf(err, errlen, "mqtt.tls: must be false, true or {\"cafile\": FILE, ...}");
        return CB_ECONFIG;
    }
    cJSON_ArrayForEach(it, tls)
    {
        size_t k = 0;
        while (keys[k] != NULL && strcmp(keys[k], it->string) != 0)
            k++;
        if (keys[k] == NULL || !cJSON_IsString(it) || it->valuestring[0] == '\0') {
            snprintf(err, errlen, "mqtt.tls.%s: %s", it->string,
                     keys[k] ? "must be a file name" : "unknown option");
            return CB_ECONFIG;
        }
        free(*dst[k]);
        *dst[k] = xstrdup(it->valuestring);
    }
    if ((m->tls_cafile == NULL) == (m->tls_capath == NULL) ||
        (m->tls_certfile == NULL) != (m->tls_keyfile == NULL)) {
        snprintf(err, errlen, "mqtt.tls: give one of cafile and capath, and certfile with "
                              "keyfile or neither");
        return CB_ECONFIG;
    }
    return CB_OK;
}

/* The "mqtt" section; topic levels must not hold MQTT wildcards or separators. */
static int parse_mqtt(mqtt_cfg_t *m, const cJSON *o, char *err, size_t errlen)
{
    static const char *const known[] = {"host", "port", "user", "password", "password_env",
                                        "tls", "topic_prefix", "county_code", "led_encoding",
                                        "timeout_s", NULL};
    static const char *const encodings[] = {"utf-8", "gbk", "gb2312", "gb18030", NULL};
    const cJSON *tls = cJSON_GetObjectItemCaseSensitive(o, "tls");
    int rc = CB_OK;
    size_t k = 0;

    m->enabled = o != NULL;
    m->port = 1883;
    m->timeout_s = 10;
    if (unknown_key(o, "mqtt", known, err, errlen))
        return CB_ECONFIG;
    if (tls != NULL && !cJSON_IsFalse(tls)) {
        rc = parse_tls(m, tls, err, errlen);
        if (rc < 0)
            return rc;
    }
    if (rc >= 0) rc = get_str(o, "host", "127.0.0.1", &m->host, err, errlen);
    if (rc >= 0) rc = get_str(o, "topic_prefix", "canbao", &m->topic_prefix, err, errlen);
    if (rc >= 0) rc = get_str(o, "county_code", "county", &m->county_code, err, errlen);
    if (rc >= 0) rc = get_str(o, "led_encoding", "utf-8", &m->led_encoding, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "mqtt", "port", 1, 65535, &m->port, err, errlen);
    if (rc >= 0) rc = jsoncfg_int(o, "mqtt", "timeout_s", 1, 600, &m->timeout_s, err, errlen);
    if (rc >= 0) rc = secret(o, "mqtt", "password", &m->password, err, errlen);
    if (rc >= 0 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "user")))
        m->user = xstrdup(cJSON_GetObjectItemCaseSensitive(o, "user")->valuestring);
    if (rc < 0)
        return rc;
    if (strpbrk(m->topic_prefix, "+#") != NULL || strpbrk(m->county_code, "/+#") != NULL) {
        snprintf(err, errlen, "mqtt: topic_prefix and county_code must not hold '+' or '#' "
                              "(county_code not '/' either)");
        return CB_ECONFIG;
    }
    for (k = 0; encodings[k] != NULL && strcasecmp(encodings[k], m->led_encoding) != 0; k++)
        ;
    if (encodings[k] == NULL) {
        snprintf(err, errlen, "mqtt.led_encoding: must be \"utf-8\", \"gbk\", \"gb2312\" or "
                              "\"gb18030\"");
        return CB_ECONFIG;
    }
    return CB_OK;
}

/* The "channels" array: each channel created (its name unique). */
static int parse_channels(app_config_t *c, const cJSON *chans, char *err, size_t errlen)
{
    const cJSON *it;
    char cerr[256];
    int rc;

    if (chans == NULL || !cJSON_IsArray(chans) || cJSON_GetArraySize(chans) == 0) {
        snprintf(err, errlen, "channels: must be a non-empty array");
        return CB_ECONFIG;
    }
    c->chans = xcalloc((size_t)cJSON_GetArraySize(chans), sizeof *c->chans);
    cJSON_ArrayForEach(it, chans)
    {
        rc = channel_create(c->http, it, &c->chans[c->nchans], cerr, sizeof cerr);
        if (rc < 0) {
            snprintf(err, errlen, "channels[%zu]: %s", c->nchans, cerr);
            return rc;
        }
        if (find_channel(c, channel_name(c->chans[c->nchans])) != NULL) {
            snprintf(err, errlen, "channels[%zu]: the name '%s' is taken", c->nchans,
                     channel_name(c->chans[c->nchans]));
            channel_destroy(c->chans[c->nchans]);
            return CB_ECONFIG;
        }
        c->nchans++;
    }
    return jobs_check_template_maps(c->chans, c->nchans, err, errlen);
}

/* The "routes" object, then "sms" and "robot" by default and a route per channel name. */
static int parse_routes(app_config_t *c, const cJSON *routes, char *err, size_t errlen)
{
    const cJSON *it;
    int rc;

    if (routes != NULL && !cJSON_IsObject(routes)) {
        snprintf(err, errlen, "routes: must be an object of channel name lists");
        return CB_ECONFIG;
    }
    cJSON_ArrayForEach(it, routes)
    {
        rc = route_from(c, it, it->string, err, errlen);
        if (rc < 0)
            return rc;
    }
    if (app_config_route(c, "sms") == NULL)
        default_route(c, "sms", CH_KIND_SMS);
    if (app_config_route(c, "robot") == NULL)
        default_route(c, "robot", CH_KIND_ROBOT);
    for (size_t i = 0; i < c->nchans; i++) {
        const char *name = channel_name(c->chans[i]);
        if (app_config_route(c, name) == NULL) {
            channel_t **one = xmalloc(sizeof *one);
            one[0] = c->chans[i];
            add_route(c, name, one, 1, kind_name[channel_kind(c->chans[i])], 0);
        }
    }
    return CB_OK;
}

/* The "templates" section and the SMS cost. */
static int parse_templates(app_config_t *c, const cJSON *tpl, const cJSON *cost, char *err,
                           size_t errlen)
{
    if (tpl != NULL) {
        const cJSON *dir = cJSON_GetObjectItemCaseSensitive(tpl, "dir");
        const cJSON *seg = cJSON_GetObjectItemCaseSensitive(tpl, "max_segments");
        if (cJSON_IsString(dir))
            c->templates_dir = xstrdup(dir->valuestring);
        if (cJSON_IsNumber(seg) && seg->valueint >= 1 && seg->valueint <= 10)
            c->max_segments = seg->valueint;
        else if (seg != NULL) {
            snprintf(err, errlen, "templates.max_segments: must be a whole number from 1 to 10");
            return CB_ECONFIG;
        }
    }
    if (cJSON_IsNumber(cost) && cost->valuedouble >= 0)
        c->cost_fen_per_part = (int64_t)cost->valuedouble;
    return CB_OK;
}

static int parse(app_config_t *c, const cJSON *root, const char *db, char *err, size_t errlen)
{
    int rc;

    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "the file must hold a JSON object");
        return CB_ECONFIG;
    }
    if (unknown_key(root, NULL, top_keys, err, errlen))
        return CB_ECONFIG;
    rc = parse_channels(c, cJSON_GetObjectItemCaseSensitive(root, "channels"), err, errlen);
    if (rc >= 0)
        rc = parse_routes(c, cJSON_GetObjectItemCaseSensitive(root, "routes"), err, errlen);
    if (rc >= 0)
        rc = parse_dispatch(c, cJSON_GetObjectItemCaseSensitive(root, "dispatch"), err, errlen);
    if (rc >= 0)
        rc = parse_templates(c, cJSON_GetObjectItemCaseSensitive(root, "templates"),
                             cJSON_GetObjectItemCaseSensitive(root, "sms_cost_fen_per_part"),
                             err, errlen);
    if (rc >= 0)
        rc = jobs_config_parse(&c->jobs, cJSON_GetObjectItemCaseSensitive(root, "jobs"), db,
                               err, errlen);
    if (rc < 0)
        return rc;
    c->jobs.routes = c->routes;
    c->jobs.nroutes = c->nroutes;
    c->jobs.templates_dir = c->templates_dir;
    c->jobs.max_segments = c->max_segments;
    rc = parse_mqtt(&c->mqtt, cJSON_GetObjectItemCaseSensitive(root, "mqtt"), err, errlen);
    if (rc < 0)
        return rc;
    return parse_serve(&c->serve, cJSON_GetObjectItemCaseSensitive(root, "serve"), err, errlen);
}

int app_config_load(const char *path, const char *db, app_config_t *c, char *err, size_t errlen)
{
    char *text = NULL, fallback[4200], inner[512];
    cJSON *root;
    int rc;

    memset(c, 0, sizeof *c);
    dispatch_cfg_defaults(&c->dispatch);
    c->max_segments = 2;
    c->cost_fen_per_part = 5;
    if (httpc_create(256, 256, &c->http) < 0) {
        snprintf(err, errlen, "cannot start the HTTP client");
        return CB_ENOMEM;
    }
    if (path == NULL) {
        cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "channels");
        cJSON *f = cJSON_CreateObject();
        snprintf(fallback, sizeof fallback, "%s.messages.jsonl", db);
        cJSON_AddStringToObject(f, "name", "file");
        cJSON_AddStringToObject(f, "type", "file");
        cJSON_AddStringToObject(f, "path", fallback);
        cJSON_AddItemToArray(arr, f);
        rc = parse(c, o, db, inner, sizeof inner);
        cJSON_Delete(o);
        if (rc < 0)
            snprintf(err, errlen, "default config: %s", inner);
        return rc;
    }
    text = read_file(path, err, errlen);
    if (text == NULL)
        return CB_EIO;
    root = cJSON_Parse(text);
    free(text);
    if (root == NULL) {
        snprintf(err, errlen, "%s: not valid JSON", path);
        return CB_EPARSE;
    }
    rc = parse(c, root, db, inner, sizeof inner);
    cJSON_Delete(root);
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, inner);
    return rc;
}

void app_config_free(app_config_t *c)
{
    for (size_t i = 0; i < c->nroutes; i++) {
        free(c->routes[i].name);
        free(c->routes[i].chans);
    }
    free(c->routes);
    httpc_destroy(c->http); /* first: nothing may call back into a freed channel */
    for (size_t i = 0; i < c->nchans; i++)
        channel_destroy(c->chans[i]);
    free(c->chans);
    free(c->templates_dir);
    jobs_config_free(&c->jobs);
    free(c->serve.addr);
    free(c->serve.payment_secret);
    free(c->serve.kannel_secret);
    free(c->serve.wechat_secret);
    free(c->serve.wechat_mp_token);
    free(c->serve.api_token);
    free(c->serve.reply_route);
    free(c->mqtt.host);
    free(c->mqtt.user);
    free(c->mqtt.password);
    free(c->mqtt.topic_prefix);
    free(c->mqtt.county_code);
    free(c->mqtt.led_encoding);
    free(c->mqtt.tls_cafile);
    free(c->mqtt.tls_capath);
    free(c->mqtt.tls_certfile);
    free(c->mqtt.tls_keyfile);
    memset(c, 0, sizeof *c);
}

const dispatch_route_t *app_config_route(const app_config_t *c, const char *name)
{
    return dispatch_route_find(c->routes, c->nroutes, name);
}

int app_config_reply_templates(const app_config_t *c, tplset_t **out, char *err, size_t errlen)
{
    const dispatch_route_t *route = app_config_route(c, c->serve.reply_route);

    *out = NULL;
    if (route == NULL || route->nchans == 0) {
        snprintf(err, errlen, "serve.reply_route: no route or channel named '%s'",
                 c->serve.reply_route);
        return CB_ECONFIG;
    }
    return jobs_route_templates(&c->jobs, route, out, NULL, err, errlen);
}
