/* SPDX-License-Identifier: MIT */
/*
 * msgctx.h - the standard variables of a resident message, from plain data (a
 * policy, a person, today's date). This is what deployments write templates
 * against; tplset.h lists which template gets which extra variables.
 *
 * Campaign variables (msgctx_campaign):
 *   year              coverage year, "2024"
 *   county            "安化县"
 *   issuer            the issuing office, "冷市镇人民政府" ("" when the policy has none)
 *   fee_yuan          the personal contribution, "380" (or "380.50")
 *   deadline          the last day of the collection window, "12月31日"
 *   days_left         whole days from today to the deadline, "0" on the last day
 *                     and after it (templates say what is true after it with 'closed')
 *   closed            boolean: the window (without its extension) has closed
 *   extension_applies who the extension is for, "外出务工或返乡居民" ("" without one)
 *   ecert             boolean: the policy promotes the e-certificate (医保电子凭证)
 *   today             "9月1日"
 *   payment_channels  the policy's payment_channels, else MSGCTX_DEFAULT_CHANNELS
 *   late_fee_yuan     what a late enrollee pays (the rule's fee), "1020"; "" without a rule
 *   consequence       what missing the window costs, from the policy's late_enrolment:
 *                     "逾期需按1020元全额缴费（含财政补助部分），缴费到账30天后才能享受待遇",
 *                     "逾期仅…特殊人员可补缴，需按320元缴费且不享受资助，缴费次月起…",
 *                     without a rule "逾期不再征收2022年度居民医保费，不能享受2022年医保待遇"
 *
 * Person variables (msgctx_person, and each item of msgctx_push_person):
 *   name         personal (masked "张**" unless written {{&name}})
 *   id_number    personal (masked "430623********1234" unless {{&id_number}})
 *   phone        personal (masked "138****5678" unless {{&phone}})
 *   township, village, group   "" when unknown
 *   amount_yuan  what this person pays now (policy_owed), "380" or "190.50"
 *   subsidised   boolean: part or all of the fee is subsidised
 *   subsidy_yuan the subsidy, "190"; "" when none
 *   category     the subsidy category applied, "低保"; "" when none
 *   refund_yuan  what is refunded after paying (先缴后补), "160"; "" when none
 *   by_department boolean: a department pays for the person in bulk (amount_yuan "0")
 *   last_day     (msgctx_resident) the person's last day: the extension's end when it
 *                covers them, else the deadline, "2月28日"
 *   extension_until (msgctx_resident) "2月28日" after the window while the extension
 *                covers them, else ""; extension_days_left the days until their last day
 *   late_now     (msgctx_resident) after their last day, what enrolling now costs them
 *                under the policy's late windows and late enrolment (policy_late_case):
 *                "现在参保需缴1020元（全额筹资标准），缴费到账30天后享受待遇", or
 *                "现已不能参加2022年度居民医保"; "" before it. Person items of lists have ""
 *
 * Late-window variables (msgctx_late_window), for a person inside their own late window
 * (a newborn, employee insurance just ended) or the rule in general:
 *   own_deadline  the last day of the person's window, "2024年3月30日"; "" without the
 *                 event's day or for a window without a limit
 *   window_days   "90"; "" for a window without a limit or without such a window
 *   cover_text    when cover starts, from the window's "cover": "待遇从出生之日起享受";
 *                 without such a window "按逾期参保规定缴费"
 *
 * Household variables (msgctx_household): members (a list of person items, each
 * also with the boolean 'first' for separators: {{^first}}、{{/first}}),
 * member_count ("5"), total_yuan ("570"), others (how many unpaid members the
 * list leaves out, "2"; "" when none).
 *
 * Every variable above is always defined (possibly as ""), so templates pass
 * tpl_render_strict. Pure functions of their arguments; the context belongs to the
 * calling thread.
 */
#ifndef CB_TEMPLATES_MSGCTX_H
#define CB_TEMPLATES_MSGCTX_H

#include <stddef.h>

#include "core/date.h"
#include "core/policy.h"
#include "templates/tpl.h"

/* What messages name as payment channels when the policy gives none. */
#define MSGCTX_DEFAULT_CHANNELS "税务APP、微信、支付宝或银行网点"

/* A person as messages need them. Every pointer is borrowed for the call; NULL
 * strings are allowed (they give ""). */
typedef struct msg_person {
    const char *name;
    const char *id_number;
    const char *phone;
    const char *township;
    const char *village;
    const char *group; /* 村民小组, e.g. "3组" */
    const int *cats;   /* indices into the policy's categories, 'ncats' of them */
    size_t ncats;
    int extension;     /* the window's extension covers them (policy_extension_flag) */
    cb_date_t lapse;   /* their employee insurance ended on this day; 0: not known */
} msg_person_t;

/* Set the campaign variables in 'ctx'. */
void msgctx_campaign(tpl_ctx_t *ctx, const policy_t *pol, cb_date_t today);

/* Set the person variables of 'person' in 'ctx'. */
void msgctx_person(tpl_ctx_t *ctx, const policy_t *pol, const msg_person_t *person);

/* Append 'person' as an item of the list 'list' of 'ctx' and return the item
 * (owned by 'ctx'). */
tpl_ctx_t *msgctx_push_person(tpl_ctx_t *ctx, const char *list, const policy_t *pol,
                              const msg_person_t *person);

/* Set the household variables for the 'n' unpaid members 'people' sharing a phone;
 * the list 'members' holds the first 'max_listed' of them, the total counts all. */
void msgctx_household(tpl_ctx_t *ctx, const policy_t *pol, const msg_person_t *people, size_t n,
                      size_t max_listed);

/* Set the late-window variables of the policy's late window counting from 'from'
 * ("birth" or "lapse") for an event on 'event' (0: unknown, the rule in general). */
void msgctx_late_window(tpl_ctx_t *ctx, const policy_t *pol, const char *from, cb_date_t event);

/* A new context with the campaign and person variables; the caller destroys it with
 * tpl_ctx_destroy. */
tpl_ctx_t *msgctx_resident(const policy_t *pol, const msg_person_t *person, cb_date_t today);

#endif
