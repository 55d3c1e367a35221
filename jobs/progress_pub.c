/* SPDX-License-Identifier: MIT */
#include "jobs/progress_pub.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/progress_json.h"

void progress_pub_code(int64_t area_id, char *buf, size_t len)
{
    snprintf(buf, len, "a%" PRId64, area_id);
}

/* The share the row is judged by: progress against the target, else coverage. */
static double share(const progress_row_t *r, int64_t *num, int64_t *den)
{
    if (r->target > 0) {
        *num = r->by_status[PS_PAID];
        *den = r->target;
        return r->progress;
    }
    *num = r->covered;
    *den = r->registered;
    return r->coverage < 0 ? 0 : r->coverage;
}

void progress_pub_led(const progress_row_t *r, const char *name, char *buf, size_t len)
{
    int64_t num, den;
    double s = share(r, &num, &den);
    int k = snprintf(buf, len, "%s 参保 %" PRId64 "/%" PRId64 " %.1f%%", name, num, den,
                     s * 100.0);

    if (r->level > 0 && k >= 0 && (size_t)k < len)
        snprintf(buf + k, len - (size_t)k, " 第%d名", r->rank);
}

int progress_pub_encode(const char *in, const char *encoding, char **out, size_t *outlen)
{
    static const char *const known[][2] = {
        {"utf-8", NULL}, {"utf8", NULL}, {"gbk", "GBK"}, {"gb2312", "GB2312"},
        {"gb18030", "GB18030"}};
    const char *to = NULL;
    size_t inleft = strlen(in), left = inleft * 2 + 8, k = 0;
    char *src = (char *)(uintptr_t)in, *dst, *buf;
    iconv_t cd;

    while (k < sizeof known / sizeof known[0] && strcasecmp(known[k][0], encoding) != 0)
        k++;
    if (k == sizeof known / sizeof known[0])
        return CB_EINVAL;
    to = known[k][1];
    if (to == NULL) {
        *out = xstrdup(in);
        *outlen = inleft;
        return CB_OK;
    }
    cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1)
        return CB_EINVAL;
    buf = dst = xmalloc(left + 1);
    if (iconv(cd, &src, &inleft, &dst, &left) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &dst, &left) == (size_t)-1) {
        iconv_close(cd);
        free(buf);
        return CB_EPARSE;
    }
    iconv_close(cd);
    *dst = '\0';
    *outlen = (size_t)(dst - buf);
    *out = buf;
    return CB_OK;
}

typedef struct msgs {
    pub_msg_t *m;
    size_t n, cap;
    const pub_opts_t *o;
    const char *prefix, *county;
} msgs_t;

static void add(msgs_t *ms, const char *path, const char *leaf, char *payload, size_t len)
{
    size_t tl = strlen(ms->prefix) + strlen(ms->county) + strlen(path) + strlen(leaf) + 4;
    pub_msg_t *m;

    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 64;
        ms->m = xrealloc(ms->m, ms->cap * sizeof *ms->m);
    }
    m = &ms->m[ms->n++];
    m->topic = xmalloc(tl);
    snprintf(m->topic, tl, "%s/%s/%s%s", ms->prefix, ms->county, path, leaf);
    m->payload = payload;
    m->len = len;
}

/* {"date","percent","needed","to_go"} of the first milestone still due, or null. */
static cJSON *next_milestone(const progress_row_t *r, const policy_t *pol, cb_date_t today,
                             int *missed, int *all_met)
{
    cJSON *next = NULL;

    *missed = 0;
    *all_met = policy_nmilestones(pol) > 0;
    for (size_t i = 0; i < policy_nmilestones(pol); i++) {
        const policy_milestone_t *m = policy_milestone(pol, i);
        int64_t needed;
        const char *st = progress_milestone_state(r, m, today, &needed);
        char d[11];
        *missed |= strcmp(st, "missed") == 0;
        *all_met &= strcmp(st, "met") == 0;
        if (next != NULL || strcmp(st, "due") != 0)
            continue;
        next = cJSON_CreateObject();
        date_format(m->date, d);
        cJSON_AddStringToObject(next, "date", d);
        cJSON_AddNumberToObject(next, "percent", m->percent);
        cJSON_AddNumberToObject(next, "needed", (double)needed);
        cJSON_AddNumberToObject(next, "to_go", (double)(needed - r->by_status[PS_PAID]));
    }
    return next != NULL ? next : cJSON_CreateNull();
}

static const char *const level_name[] = {"county", "township", "village"};

/* The three messages of one area; 'path' is its topic path below the county ("" for
 * the county itself, else ending in '/'), 'code' its own code. */
static int area_msgs(msgs_t *ms, const progress_row_t *r, const policy_t *pol, cb_date_t today,
                     const char *path, const char *code, const char *name, char *err,
                     size_t errlen)
{
    cJSON *o = progress_row_json(r, pol, today), *aw = cJSON_CreateObject();
    int missed, all_met, pct, rc;
    int64_t num, den;
    double s = share(r, &num, &den);
    char led[512], text[128], d[11], *enc;
    size_t enclen;

    date_format(today, d);
    cJSON_AddStringToObject(o, "level", level_name[r->level]);
    cJSON_AddStringToObject(o, "code", code);
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "county", policy_county(pol));
    cJSON_AddItemToObject(o, "next_milestone", next_milestone(r, pol, today, &missed, &all_met));
    cJSON_AddStringToObject(o, "today", d);
    cJSON_AddNumberToObject(o, "updated", (double)ms->o->updated);
    enc = cJSON_PrintUnformatted(o);
    add(ms, path, "progress", enc, strlen(enc));
    cJSON_Delete(o);

    progress_pub_led(r, name, led, sizeof led);
    rc = progress_pub_encode(led, ms->o->led_encoding ? ms->o->led_encoding : "utf-8", &enc,
                             &enclen);
    if (rc < 0) {
        snprintf(err, errlen, "%s: the LED line of %s cannot be written in %s", code, name,
                 ms->o->led_encoding);
        cJSON_Delete(aw);
        return rc;
    }
    add(ms, path, "led", enc, enclen);

    pct = (int)(s * 100.0 + 0.5);
    snprintf(text, sizeof text, "%s %" PRId64 "/%" PRId64 " %.1f%%", code, num, den, s * 100.0);
    if (r->level > 0)
        snprintf(text + strlen(text), sizeof text - strlen(text), " #%d", r->rank);
    cJSON_AddStringToObject(aw, "text", text);
    cJSON_AddNumberToObject(aw, "progress", pct > 100 ? 100 : pct);
    cJSON_AddStringToObject(aw, "color", r->target <= 0 ? "#FFFFFF"
                                         : missed       ? "#FF0000"
                                         : all_met      ? "#00FF00"
                                                        : "#FFFF00");
    enc = cJSON_PrintUnformatted(aw);
    add(ms, path, "awtrix", enc, strlen(enc));
    cJSON_Delete(aw);
    return CB_OK;
}

int progress_pub_build(progress_t *p, const policy_t *pol, cb_date_t today, const pub_opts_t *o,
                       pub_msg_t **out, size_t *n, char *err, size_t errlen)
{
    msgs_t ms = {.o = o, .prefix = o->prefix ? o->prefix : "canbao",
                 .county = o->county_code ? o->county_code : "county"};
    int rc = CB_OK;

    for (int level = 0; level <= 2 && rc == CB_OK; level++) {
        size_t nr;
        const progress_row_t *rows = progress_rows(p, level, &nr);
        for (size_t i = 0; i < nr && rc == CB_OK; i++) {
            const progress_row_t *r = &rows[i];
            char code[24], tcode[24], path[64];
            if (o->want != NULL && !o->want(o->want_ud, r))
                continue;
            const char *name = level == 0 ? policy_county(pol)
                               : level == 1 ? r->township
                                            : r->village;
            progress_pub_code(r->area_id, code, sizeof code);
            progress_pub_code(r->parent_id, tcode, sizeof tcode);
            if (level == 0)
                snprintf(code, sizeof code, "%s", ms.county);
            snprintf(path, sizeof path, "%s%s%s%s", level == 2 ? tcode : "",
                     level == 2 ? "/" : "", level > 0 ? code : "", level > 0 ? "/" : "");
            rc = area_msgs(&ms, r, pol, today, path, code, name, err, errlen);
        }
    }
    if (rc < 0) {
        progress_pub_free(ms.m, ms.n);
        return rc;
    }
    *out = ms.m;
    *n = ms.n;
    return CB_OK;
}

void progress_pub_free(pub_msg_t *m, size_t n)
{
    for (size_t i = 0; m != NULL && i < n; i++) {
        free(m[i].topic);
        free(m[i].payload);
    }
    free(m);
}
