/* SPDX-License-Identifier: MIT */
/* smsseg.c - GSM-7 / UCS-2 detection and SMS segment counting. */
#include "core/smsseg.h"

#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "core/err.h"

/* Characters of the GSM-7 basic table outside ASCII (3GPP TS 23.038, 6.2.1). */
static const uint16_t gsm7_basic_extra[] = {
    0x00A1, 0x00A3, 0x00A4, 0x00A5, 0x00A7, 0x00BF, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C9, 0x00D1, 0x00D6, 0x00D8, 0x00DC, 0x00DF, 0x00E0, 0x00E4, 0x00E5, 0x00E6,
    0x00E8, 0x00E9, 0x00EC, 0x00F1, 0x00F2, 0x00F6, 0x00F8, 0x00F9, 0x00FC, 0x0393,
    0x0394, 0x0398, 0x039B, 0x039E, 0x03A0, 0x03A3, 0x03A6, 0x03A8, 0x03A9};

/* Septets 'cp' costs in GSM-7: 1 (basic table), 2 (extension table), 0 (not in it). */
static int gsm7_cost(int32_t cp)
{
    if (cp < 0x80) {
        if (cp == '\n' || cp == '\r')
            return 1;
        if (cp != 0 && strchr("\f^{}\\[~]|", (int)cp) != NULL)
            return 2;
        return cp >= 0x20 && cp < 0x7F && cp != '`' ? 1 : 0;
    }
    if (cp == 0x20AC) /* the euro sign, in the extension table */
        return 2;
    for (size_t i = 0; i < sizeof gsm7_basic_extra / sizeof gsm7_basic_extra[0]; i++) {
        if (gsm7_basic_extra[i] == cp)
            return 1;
    }
    return 0;
}

/* Concatenated parts of 'per_part' units, filled so that no character is split. */
typedef struct parts {
    size_t units;
    int n;
    size_t fill;
} parts_t;

static void parts_add(parts_t *p, size_t cost, size_t per_part)
{
    p->units += cost;
    if (p->n == 0 || p->fill + cost > per_part) {
        p->n++;
        p->fill = cost;
    } else {
        p->fill += cost;
    }
}

int sms_count(const char *utf8, size_t len, sms_count_t *out)
{
    return sms_count_rule(utf8, len, SMS_RULE_AUTO, out);
}

int sms_count_rule(const char *utf8, size_t len, sms_rule_t rule, sms_count_t *out)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)utf8;
    parts_t gsm = {0, 0, 0}, ucs = {0, 0, 0};
    size_t chars = 0;
    int gsm_ok = 1;

    while (len > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u, (utf8proc_ssize_t)len, &cp);
        int cost;

        if (n <= 0)
            return CB_EINVAL;
        u += n;
        len -= (size_t)n;
        chars++;
        cost = gsm7_cost(cp);
        if (cost == 0)
            gsm_ok = 0;
        else
            parts_add(&gsm, (size_t)cost, SMS_GSM7_PART);
        parts_add(&ucs, cp > 0xFFFF ? 2 : 1, SMS_UCS2_PART);
    }
    out->chars = chars;
    if (rule == SMS_RULE_UCS2_UNITS) {
        out->coding = SMS_UCS2;
        out->units = ucs.units;
        out->segments = ucs.units <= SMS_UCS2_SINGLE
                            ? ucs.units > 0
                            : (int)((ucs.units + SMS_UCS2_PART - 1) / SMS_UCS2_PART);
    } else if (gsm_ok) {
        out->coding = SMS_GSM7;
        out->units = gsm.units;
        out->segments = gsm.units <= SMS_GSM7_SINGLE ? (gsm.units > 0) : gsm.n;
    } else {
        out->coding = SMS_UCS2;
        out->units = ucs.units;
        out->segments = ucs.units <= SMS_UCS2_SINGLE ? 1 : ucs.n;
    }
    return CB_OK;
}
