/* SPDX-License-Identifier: MIT */
/*
 * smsseg.h - how many SMS parts a text costs (3GPP TS 23.038/23.040, as Chinese
 * providers bill it; ../shared/PROTOCOLS.md section 7).
 *
 * A text that fits the GSM 7-bit default alphabet (basic table, or the extension
 * table ^ { } \ [ ~ ] | € and form feed, which cost two septets each) is sent as
 * GSM-7: 160 septets in one SMS, 153 per part when concatenated. Anything else is
 * UCS-2: 70 UTF-16 code units in one SMS, 67 per part; a character outside the BMP
 * (emoji, rare Hanzi) is a surrogate pair and costs 2 units. A character is never
 * split between two parts (neither an extension character's escape from its code nor
 * a surrogate pair), so such a character that does not fit the rest of a part starts
 * the next one.
 *
 * The empty text costs 0 segments (nothing is sent); callers that send it anyway pay 1.
 * Pure function; safe anywhere.
 */
#ifndef CB_CORE_SMSSEG_H
#define CB_CORE_SMSSEG_H

#include <stddef.h>

#include "core/compiler.h"

typedef enum sms_coding { SMS_GSM7, SMS_UCS2 } sms_coding_t;

typedef struct sms_count {
    sms_coding_t coding;
    size_t units; /* septets (GSM-7, extension characters count 2) or UTF-16 code units */
    size_t chars; /* code points */
    int segments; /* 0 for the empty text, else 1.. */
} sms_count_t;

#define SMS_GSM7_SINGLE 160
#define SMS_GSM7_PART   153
#define SMS_UCS2_SINGLE 70
#define SMS_UCS2_PART   67

/* How a sender splits a text. */
typedef enum sms_rule {
    SMS_RULE_AUTO,      /* GSM-7 when the text fits it, else UCS-2; no character split */
    SMS_RULE_UCS2_UNITS /* always UCS-2, cut every 67 code units even inside a surrogate
                         * pair: what Kannel does with coding=2 */
} sms_rule_t;

/*
 * Count the 'len' bytes of UTF-8 at 'utf8' (NUL bytes are characters like any other)
 * as SMS_RULE_AUTO. CB_OK and *out filled, or CB_EINVAL for invalid UTF-8 (overlong
 * forms, surrogates, truncated sequences) with *out untouched.
 */
CB_NODISCARD int sms_count(const char *utf8, size_t len, sms_count_t *out);
/* sms_count under 'rule': the one way canbao counts parts. */
CB_NODISCARD int sms_count_rule(const char *utf8, size_t len, sms_rule_t rule,
                                sms_count_t *out);

#endif
