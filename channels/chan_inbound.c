/* SPDX-License-Identifier: MIT */
/* chan_inbound.c - what every driver's inbound side shares: a reply's values checked. */
#include <stdio.h>
#include <string.h>

#include "channels/channel.h"
#include "core/err.h"
#include "core/ident.h"
#include "core/phone.h"

#define FROM_MAX 24

int channel_reply_event(const char *id_name, const char *msg_id, const char *from,
                        const char *text, ch_event_t *ev, char *why, size_t whylen)
{
    char reason[160];
    int rc;

    memset(ev, 0, sizeof *ev);
    ev->kind = CH_EV_REPLY;
    rc = ident_field(id_name, IDENT_ID, msg_id, msg_id ? strlen(msg_id) : 0, CH_EVENT_ID_MAX,
                     why, whylen);
    if (rc >= 0)
        rc = ident_field("from", IDENT_LINE, from, from ? strlen(from) : 0, FROM_MAX, why,
                         whylen);
    if (rc >= 0)
        rc = ident_field("text", IDENT_LINES, text, text ? strlen(text) : 0, CH_EVENT_TEXT_MAX,
                         why, whylen);
    if (rc < 0)
        return rc;
    if (phone_normalise(from, strlen(from), ev->from, reason, sizeof reason) < 0) {
        snprintf(why, whylen, "from: not a mobile number: %s", reason);
        return CB_EINVAL;
    }
    memcpy(ev->msg_id, msg_id, strlen(msg_id) + 1);
    memcpy(ev->text, text, strlen(text) + 1);
    return CB_OK;
}

int channel_account_event(const char *msg_id, const char *account, const char *text,
                          ch_event_t *ev, char *why, size_t whylen)
{
    int rc;

    memset(ev, 0, sizeof *ev);
    ev->kind = text != NULL ? CH_EV_REPLY : CH_EV_OPTOUT;
    rc = ident_field("FromUserName", IDENT_ID, account, account ? strlen(account) : 0,
                     CH_ACCOUNT_MAX, why, whylen);
    if (rc >= 0 && text != NULL)
        rc = ident_field("MsgId", IDENT_ID, msg_id, msg_id ? strlen(msg_id) : 0,
                         CH_EVENT_ID_MAX, why, whylen);
    if (rc >= 0 && text != NULL)
        rc = ident_field("Content", IDENT_LINES, text, strlen(text), CH_EVENT_TEXT_MAX, why,
                         whylen);
    if (rc < 0)
        return rc;
    memcpy(ev->account, account, strlen(account) + 1);
    if (text != NULL) {
        memcpy(ev->msg_id, msg_id, strlen(msg_id) + 1);
        memcpy(ev->text, text, strlen(text) + 1);
    }
    return CB_OK;
}
