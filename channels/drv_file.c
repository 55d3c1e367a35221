/* SPDX-License-Identifier: MIT */
/*
 * drv_file.c - the dry-run and demo channel: one JSON line per message,
 * {"id","key","to","text","at"} with the decorated text, appended to a file that
 * is created 0600 (it holds phone numbers). No network; results come at once.
 * The line passes through safetext_json: no raw control or bidi character and no
 * invalid UTF-8 reaches the file (a roster name or a reply quoted in a text).
 */
#include "channels/channel_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/safetext.h"

typedef struct file_chan {
    int fd; /* O_APPEND; one write(2) per line, no stdio buffer to go stale */
    char *path;
    int fsync;
} file_chan_t;

static const chan_opt_t file_opts[] = {
    {"path", CHO_STR, 1},
    {"fsync", CHO_BOOL, 0},
    {"signature", CHO_STR, 0},
    {"optout_suffix", CHO_STR, 0},
    {NULL, CHO_STR, 0},
};

static void file_destroy(void *priv)
{
    file_chan_t *f = priv;

    if (f->fd >= 0)
        close(f->fd);
    free(f->path);
    free(f);
}

static int file_create(channel_t *ch, const cJSON *cfg, char *err, size_t errlen)
{
    file_chan_t *f = xcalloc(1, sizeof *f);

    f->fd = -1;
    ch->priv = f;
    f->path = chan__str(cfg, "path", NULL);
    f->fsync = chan__bool(cfg, "fsync", 0);
    chan__read_decor(ch, cfg);
    f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (f->fd < 0)
        return chan__fail(ch, err, errlen, "cannot open %s: %s", f->path, strerror(errno));
    return CB_OK;
}

/* Write all of 'buf'; 0 or an errno value. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* One line, written (and fsync'ed when configured) before the result. On failure
 * the errno of the failing call is returned negated. */
static int write_line(file_chan_t *f, const channel_t *ch, const ch_msg_t *m)
{
    char at[32], *text = channel_render(ch, m->text, NULL), *json, *line;
    cJSON *o = cJSON_CreateObject();
    time_t now = (time_t)(ch->now_ms() / 1000);
    struct tm tm;
    size_t len;
    int e;

    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    chan__json_id(o, m->id);
    chan__json_str(o, "key", m->key);
    chan__json_str(o, "to", m->to);
    cJSON_AddStringToObject(o, "text", text);
    cJSON_AddStringToObject(o, "at", at);
    json = cJSON_PrintUnformatted(o);
    if (json == NULL)
        abort(); /* cJSON fails only when malloc does */
    line = safetext_json(json);
    cJSON_free(json);
    len = strlen(line);
    line[len++] = '\n'; /* over the NUL: the line is written by its length */
    e = write_all(f->fd, line, len);
    if (e == 0 && f->fsync && fsync(f->fd) != 0)
        e = errno;
    free(line);
    cJSON_Delete(o);
    free(text);
    return -e;
}

static int file_send(channel_t *ch, const ch_msg_t *m, ch_done_fn *done, void *ud)
{
    file_chan_t *f = ch->priv;
    ch_result_t r;
    char why[160];
    int rc;

    memset(&r, 0, sizeof r);
    r.id = m->id;
    r.outcome = CH_ACCEPTED;
    rc = write_line(f, ch, m);
    if (rc < 0) {
        /* A full disk may clear up: temporary. */
        snprintf(why, sizeof why, "write %s: %s", f->path, strerror(-rc));
        log_warn("chan.file", "chan=%s msg=%lld %s", ch->name, (long long)m->id, why);
        r.outcome = CH_TEMPFAIL;
        r.error = why;
    }
    done(ud, &r);
    return CB_OK;
}

const channel_ops_t channel_file_ops = {
    .type = "file",
    .kind = CH_KIND_FILE,
    .opts = file_opts,
    .default_rate = 1000.0,
    .default_burst = 0,
    .create = file_create,
    .destroy = file_destroy,
    .build = NULL,
    .classify = NULL,
    .send = file_send,
};
