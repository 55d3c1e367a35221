/* SPDX-License-Identifier: MIT */
/* broadcast.c - group a phone-ordered walk of residents into one message per phone. */
#include "jobs/broadcast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catset.h"
#include "core/err.h"
#include "core/mem.h"
#include "store/store_outbox.h"
#include "templates/msgctx.h"

#define MAX_LISTED 3 /* household members named in one SMS */

struct bcast_member {
    char *name, *id_number, *phone, *anchor;
    int64_t person_id, area_id;
    int cats[64];
    size_t ncats;
};

static void group_clear(bcast_t *b)
{
    for (size_t i = 0; i < b->ngroup; i++) {
        free(b->group[i].name);
        free(b->group[i].id_number);
        free(b->group[i].phone);
        free(b->group[i].anchor);
    }
    b->ngroup = 0;
}

static void place(const bcast_t *b, int64_t area, msg_person_t *mp)
{
    if (b->seg != NULL)
        segment_place(b->seg, area, &mp->township, &mp->village, &mp->group);
}

/* Render, count and queue the message for the people in b->group. */
int bcast_flush(bcast_t *b)
{
    msg_person_t *mp;
    const char *tname = b->ngroup > 1 ? "household_reminder" : b->tpl;
    const tpl_t *t = tplset_get(b->set, tname);
    tpl_ctx_t *ctx;
    char *text, *final, *vars, key[512];
    int parts = 0;
    int rc = CB_OK;

    if (b->ngroup == 0)
        return CB_OK;
    if (t == NULL)
        return CB_ENOTFOUND;
    mp = xcalloc(b->ngroup, sizeof *mp);
    for (size_t i = 0; i < b->ngroup; i++) {
        place(b, b->group[i].area_id, &mp[i]);
        mp[i].name = b->group[i].name;
        mp[i].id_number = b->group[i].id_number;
        mp[i].phone = b->group[i].phone;
        mp[i].cats = b->group[i].cats;
        mp[i].ncats = b->group[i].ncats;
    }
    ctx = msgctx_resident(b->pol, &mp[0], b->today);
    if (b->ngroup > 1)
        msgctx_household(ctx, b->pol, mp, b->ngroup, MAX_LISTED);
    if (b->vars != NULL)
        b->vars(b->vars_ud, ctx, b->group[0].anchor);
    text = tpl_render(t, ctx);
    vars = tpl_ctx_json(ctx);
    tpl_ctx_destroy(ctx);
    free(mp);
    final = channel_render(b->route->chans[0], text, &parts);
    b->messages++;
    b->per_tpl[b->ngroup > 1]++;
    b->parts += (uint64_t)(parts > 0 ? parts : 1);
    if (b->sample[0] == '\0')
        snprintf(b->sample, sizeof b->sample, "%s", final);
    snprintf(key, sizeof key, "%s:%s:%s", b->key, b->group[0].phone, b->key_day);
    if (!b->dry_run) {
        outbox_new_t m = {.key = key, .campaign_id = b->campaign,
                          .person_id = b->ngroup == 1 ? b->group[0].person_id : 0,
                          .route = b->route->name, .klass = OB_REMINDER,
                          .recipient = b->group[0].phone, .template_name = tname, .text = text, .vars = vars};
        rc = store_outbox_enqueue(b->st, &m, b->now);
        if (rc >= 0) {
            b->queued += rc == 1;
            b->existed += rc == 0;
        }
    }
    free(final);
    free(text);
    free(vars);
    group_clear(b);
    return rc < 0 ? rc : CB_OK;
}

int bcast_person(void *ud, const store_person_row_t *p)
{
    bcast_t *b = ud;
    uint64_t mask = 0;
    bcast_member_t *m;
    int rc;

    if (catset_parse(b->pol, p->categories, strlen(p->categories), &mask, NULL, 0) < 0)
        mask = 0;
    if (b->seg != NULL && !segment_match(b->seg, p->id, p->area_id, mask))
        return 0;
    b->people++;
    if (p->phone[0] == '\0') {
        b->unreachable++;
        return 0;
    }
    if (b->ngroup > 0 && strcmp(b->group[0].phone, p->phone) != 0) {
        rc = bcast_flush(b);
        if (rc < 0)
            return rc;
    }
    if (b->ngroup == b->capgroup) {
        b->capgroup = b->capgroup ? b->capgroup * 2 : 8;
        b->group = xrealloc(b->group, b->capgroup * sizeof *b->group);
    }
    m = &b->group[b->ngroup++];
    m->name = xstrdup(p->name);
    m->id_number = xstrdup(p->id_number);
    m->phone = xstrdup(p->phone);
    m->anchor = p->anchor != NULL ? xstrdup(p->anchor) : NULL;
    m->person_id = p->id;
    m->area_id = p->area_id;
    m->ncats = catset_indices(mask, m->cats);
    return 0;
}

void bcast_free(bcast_t *b)
{
    group_clear(b);
    free(b->group);
    b->group = NULL;
    b->capgroup = 0;
}
