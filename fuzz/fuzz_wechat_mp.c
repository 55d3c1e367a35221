/* SPDX-License-Identifier: MIT */
/*
 * fuzz_wechat_mp.c - libFuzzer target for the Official Account's pushes
 * (channels/drv_wechat_mp_in.c, channels/wx_xml.c): the input is the POST body of a
 * correctly signed call, so every byte reaches the XML reader. Beyond the
 * sanitizers it checks the contract: CB_OK or CB_EINVAL with a reason; on success
 * the answer "success", at most WX_FIELDS fields with tag names of [A-Za-z0-9_] and
 * values without NUL, and a delivery event only with an identifier as MsgID and
 * one line of valid UTF-8 as its error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channels/channel_internal.h"
#include "channels/wx_xml.h"
#include "core/err.h"
#include "core/ident.h"
#include "fuzz/fuzz.h"

#define TOKEN "fuzztoken"
#define TS    "1700000000"
#define NONCE "4242"

static const char *signature(void)
{
    static char hex[41]; /* computed once: the same for every input */

    if (hex[0] == '\0')
        CHECK(wx_signature(TOKEN, TS, NONCE, hex) == CB_OK);
    return hex;
}

static const char *param(void *ud, const char *name)
{
    (void)ud;
    if (strcmp(name, "signature") == 0)
        return signature();
    if (strcmp(name, "timestamp") == 0)
        return TS;
    if (strcmp(name, "nonce") == 0)
        return NONCE;
    return NULL;
}

static void on_event(void *ud, const ch_event_t *ev)
{
    char why[160];

    (*(int *)ud)++;
    CHECK(memchr(ev->msg_id, '\0', sizeof ev->msg_id) != NULL);
    CHECK(memchr(ev->text, '\0', sizeof ev->text) != NULL);
    if (ev->kind != CH_EV_DELIVERY) {
        /* a resident's text or unsubscribe: the account and the text in their sets */
        CHECK(ev->kind == CH_EV_REPLY || ev->kind == CH_EV_OPTOUT);
        CHECK(ident_text(ev->text, strlen(ev->text), sizeof ev->text, IDENT_TEXT_LINES, why,
                         sizeof why) == CB_OK);
        return;
    }
    CHECK(ev->final && ev->outbox_id == 0);
    CHECK(ident_check(ev->msg_id, strlen(ev->msg_id), CH_EVENT_ID_MAX, why, sizeof why) == CB_OK);
    CHECK(ident_text(ev->error, strlen(ev->error), sizeof ev->error, IDENT_TEXT_LINE, why,
                     sizeof why) == CB_OK);
    CHECK(ev->delivered == (ev->error[0] == '\0'));
}

static void check_fields(const char *body, size_t len)
{
    static wx_xml_t x;
    char why[160];

    if (wx_xml_read(body, len, &x, why, sizeof why) != CB_OK) {
        CHECK(why[0] != '\0');
        return;
    }
    CHECK(x.n <= WX_FIELDS);
    for (size_t i = 0; i < x.n; i++) {
        CHECK(x.f[i].tag[0] != '\0' && strlen(x.f[i].tag) <= WX_TAG_MAX);
        CHECK(strspn(x.f[i].tag, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
              strlen(x.f[i].tag));
        CHECK(strlen(x.f[i].value) <= WX_VALUE_MAX);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = malloc(size + 1), ack[80], why[200];
    ch_inbound_t in = {.what = "push", .param = param, .body = NULL, .body_len = size,
                       .secret = TOKEN};
    int events = 0, rc;

    CHECK(body != NULL);
    memcpy(body, data, size);
    body[size] = '\0';
    in.body = body;
    ack[0] = why[0] = '\0';
    rc = wechat_mp_inbound(&in, on_event, &events, ack, sizeof ack, why, sizeof why);
    CHECK(rc == CB_OK || rc == CB_EINVAL);
    if (rc == CB_OK)
        CHECK(strcmp(ack, "success") == 0 && events <= 1);
    else
        CHECK(why[0] != '\0' && events == 0);
    check_fields(body, size);
    free(body);
    return 0;
}
