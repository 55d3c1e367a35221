/* SPDX-License-Identifier: MIT */
/*
 * drv_kannel_in.c - the Kannel driver's inbound side: what bearerbox and smsbox call.
 *
 *   dlr  dlr-url ...&id=ROW&status=%d&reply=%A: a delivery report for our outbox row
 *        (the id we put in dlr_url). Kannel's %d: 1 delivered, 2 failed, 4 buffered,
 *        8 SMSC accepted, 16 SMSC rejected; 1, 2 and 16 are final, 4 and 8 only
 *        acknowledged. %A (the SMSC's text) is kept in the row's error, cut at 140
 *        bytes on a character boundary; a longer one than 255 bytes is refused.
 *   mo   get-url ...&from=%p&text=%b&id=%I (mo-recode: UTF-8): a resident's SMS.
 *
 * Every value is checked against core/ident.h's sets before it becomes an event.
 * Pure: no I/O, safe anywhere (fuzz/fuzz_hooks.c runs it).
 */
#include <stdio.h>
#include <string.h>

#include "channels/channel_internal.h"
#include "core/err.h"
#include "core/ident.h"
#include "core/utf8.h"

#define DLR_REPLY_MAX  255
#define DLR_REPLY_KEPT 140

static const char *param(const ch_inbound_t *in, const char *name)
{
    return in->param != NULL ? in->param(in->param_ud, name) : NULL;
}

static int dlr(const ch_inbound_t *in, ch_event_t *ev, char *why, size_t whylen)
{
    const char *reply = param(in, "reply");
    int64_t v;
    size_t n;

    if (ident_field_number("id", param(in, "id"), &ev->outbox_id, why, whylen) < 0)
        return CB_EINVAL;
    if (ev->outbox_id <= 0) {
        snprintf(why, whylen, "id: must be the outbox row's number");
        return CB_EINVAL;
    }
    if (ident_field_number("status", param(in, "status"), &v, why, whylen) < 0 ||
        (v != 1 && v != 2 && v != 4 && v != 8 && v != 16)) {
        snprintf(why, whylen, "status: must be Kannel's DLR event (1, 2, 4, 8, 16)");
        return CB_EINVAL;
    }
    ev->kind = CH_EV_DELIVERY;
    ev->final = v == 1 || v == 2 || v == 16;
    ev->delivered = v == 1;
    if (reply == NULL)
        reply = "";
    n = strlen(reply);
    if (ident_field("reply", IDENT_LINE, reply, n, DLR_REPLY_MAX, why, whylen) < 0)
        return CB_EINVAL;
    n = utf8_cut(reply, n, DLR_REPLY_KEPT); /* not inside a character */
    snprintf(ev->error, sizeof ev->error, "DLR %d%s%.*s", (int)v, n > 0 ? ": " : "", (int)n,
             reply);
    return CB_OK;
}

int kannel_inbound(const ch_inbound_t *in, ch_event_fn *each, void *ud, char *ack,
                   size_t acklen, char *why, size_t whylen)
{
    ch_event_t ev;
    int rc;

    (void)ack; /* an empty 200: a body would go back to the resident as an SMS */
    (void)acklen;
    memset(&ev, 0, sizeof ev);
    if (strcmp(in->what, "dlr") == 0)
        rc = dlr(in, &ev, why, whylen);
    else if (strcmp(in->what, "mo") == 0)
        rc = channel_reply_event("id", param(in, "id"), param(in, "from"), param(in, "text"),
                                 &ev, why, whylen);
    else {
        snprintf(why, whylen, "Kannel calls only dlr and mo");
        rc = CB_EINVAL;
    }
    if (rc == CB_OK)
        each(ud, &ev);
    return rc;
}
