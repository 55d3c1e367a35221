/* SPDX-License-Identifier: MIT */
/*
 * tplset.h - the named message templates of a deployment, checked at load time.
 *
 * Every template has a Simplified-Chinese default compiled into the library (the
 * files templates/defaults/NAME.txt of the source tree). A deployment overrides any
 * of them with a file NAME.txt in its own folder; a file there whose name is not a
 * template's is an error (hidden files, starting with '.', are skipped). In a file,
 * CRLF line ends count as LF and one final line end is dropped.
 *
 * Templates and their variables (msgctx.h documents the campaign, person and
 * household variables):
 *
 *   SMS to residents (campaign + person variables unless said otherwise)
 *   window_open         the window has opened
 *   remind_periodic     the periodic reminder to the unpaid
 *   deadline_near       the last days before the deadline
 *   last_day            the last day of the window
 *   household_reminder  one SMS per shared phone naming every unpaid member:
 *                       campaign + household variables (members, member_count,
 *                       total_yuan, others), no person variables
 *   payment_thanks      a payment arrived: + paid_yuan ("380")
 *   waiver_ack          the resident declined to enrol
 *   survey_question     + question (the text, ending in its punctuation), options
 *                       (a list of items: key "1", text "已在外地参保", first),
 *                       free_text (boolean: the question takes words, no options)
 *   survey_thanks       the last survey question was answered
 *   waiver_reason_question  asks which of the waiver form's four reasons applies
 *   optout_ack          the one confirmation of an opt-out (also sent to the
 *                       opted-out phone: the dispatcher lets this one through)
 *   milestone_near      before a milestone (reminder rules): + milestone (label),
 *                       milestone_date ("11月30日"), milestone_percent ("80")
 *   newborn_reminder, lapse_reminder   a person inside their own late window: +
 *                       own_deadline ("2024年3月30日"), window_days ("90"; both "" for a
 *                       window without a limit), cover_text (when cover starts, from the
 *                       late window's "cover": "待遇从出生之日起享受")
 *   department_notice   to a paying department's contact: campaign variables +
 *                       contact, category, unpaid_count, total_yuan
 *
 *   SMS answers to a resident's reply (bot/reply.h): campaign + person variables,
 *   the late-window variables of the newborn rule (msgctx_late_window, "birth"),
 *   the household variables of the unpaid people sharing the phone (msgctx.h),
 *   household (boolean: several of them), covered (boolean: the person is paid or
 *   insured elsewhere), claim (what the resident claimed, "已缴费", "已参加职工医保")
 *   claim_ack           a paid or covered-elsewhere claim will be verified
 *   answer_amount       what this person (or each unpaid member) pays
 *   answer_channels     how and where to pay
 *   answer_deadline     the deadline and what missing it costs
 *   answer_subsidy      the person's subsidy, or that they have none
 *   answer_status       whether their payment is recorded
 *   answer_newborn      how a newborn enrols: + own_deadline, window_days, cover_text
 *                       (msgctx.h); the person is the newborn of the household when it
 *                       has one inside the policy's newborn window (own_deadline set),
 *                       else own_deadline is "" and the text gives the general rule
 *   deceased_ack        a death was reported: reminders stop, a worker will call
 *   The answer_* texts have no greeting: a reply asking several things gets them
 *   one after the other in one SMS.
 *
 *   Robot / markdown (no length limit)
 *   worker_todo         a grid worker's short to-do list (jobs/todo.h): campaign
 *                       variables + worker (full name), area ("冷市镇南华村", the
 *                       worker's villages), household_count, unpaid_count,
 *                       households (a list of items: pos "1", code (household code),
 *                       name (the first unpaid member, full), more (boolean: several
 *                       unpaid), members "3", reason "特殊群体未缴2人；无人留电话"),
 *                       others (how many households the list leaves out, "" when none)
 *   daily_report        the progress report (jobs/report_md.h): campaign variables +
 *                       period ("周报" or "日报"), paid, target, unpaid, progress
 *                       ("85.3%"), coverage, first (boolean: no earlier report),
 *                       since ("11月10日", "" when first), paid_delta ("+120"),
 *                       points_delta ("+4.9"), milestone (the next one's label, ""
 *                       without a target), pace (share expected today, "57.9%"),
 *                       on_pace (boolean), gap (people short of the pace), has_special
 *                       (boolean), special, special_covered, special_coverage, towns
 *                       (boolean: several townships), has_top, has_bottom (booleans),
 *                       unit ("村", or "乡镇" when only townships have targets: the
 *                       lists then rank townships), behind_count, behind_more,
 *                       special_gap_count, special_more ("" when none), ends_today
 *                       (boolean: the window's last day), late_count (paid persons
 *                       who enrolled late, "" when none); lists areas (the townships
 *                       by rank), top, bottom, behind, special_gaps, of items: rank,
 *                       area, paid, target, progress, change ("+12人，+0.5个百分点",
 *                       "" when first), gap, special, special_covered; missed (the
 *                       milestones passed and missed: label, date, needed, paid by
 *                       that day); last_twice (townships last in two reports in a
 *                       row: area, action, the policy's last_twice, "" without one)
 *
 * Load-time check: every template is rendered strictly (tpl_render_strict) with each
 * variant of its worst-case sample, so a misspelt variable fails the load. An SMS
 * template must not contain 【 or 】 (the channel adds the signature) and, with
 * opts->sms_extra_chars Chinese characters appended, must fit opts->max_segments
 * (core/smsseg.h). The samples are what msgctx.h makes of this policy and person:
 *   county "某某土家族苗族自治县", issuer "某某县医疗保障局办公室", coverage year 2024,
 *   window 2023-09-01..2023-12-31 seen on 2023-09-01 (deadline "12月31日", 121 days
 *   left), personal fee 9999.50 yuan, funding standard 9999.90 yuan, a late wait of
 *   366 days, payment_channels of the maximum 24 characters, categories
 *   "最低生活保障对象" (50%, deducted) and "重度残疾人员优抚" (9999.50 yuan refunded
 *   after paying); a person "欧阳某某" (4 characters), phone 13812345678, ID
 *   430623199001011234, township "某某某某镇", village "某某某某某村", group "12组",
 *   in turn in no category, in the first, in the second;
 *   household: 5 unpaid such people of whom 3 are listed, and 3 of whom all are;
 *   paid_yuan "9999.50"; survey: a 30-character question and 4 options of 8
 *   characters, and the same question as free text; answers: each sample person
 *   alone, covered or not, and 5 sharing a phone (3 listed), claim "已在外地参保缴费"; worker_todo: worker "某某某", 999 households, 3 listed
 *   (996 others) and 3 people; daily_report: 6-digit figures, a 12-character
 *   milestone, every list of 3 areas of 8 characters, and a first report with no
 *   target and empty lists.
 * A template that passes can still grow past the limit with longer values (a
 * 6-member household lists 3 of them: use msgctx_household's max_listed).
 *
 * Threading: a tplset_t is immutable after loading; read it from any thread.
 */
#ifndef CB_TEMPLATES_TPLSET_H
#define CB_TEMPLATES_TPLSET_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/smsseg.h"
#include "templates/tpl.h"

typedef struct tplset tplset_t;

typedef struct tplset_opts {
    int max_segments;    /* SMS parts an SMS template may cost, >= 1 (default 2) */
    int sms_extra_chars; /* characters the SMS channel adds, >= 0 (default 10: the
                          * signature 【冷市医保】 and the opt-out suffix 回T退订) */
} tplset_opts_t;

#define TPLSET_DEFAULT_MAX_SEGMENTS 2
#define TPLSET_DEFAULT_EXTRA_CHARS  10

/*
 * Compile the defaults, override them from the folder 'dir' (NULL: none) and check
 * every template as above. 'opts' NULL means the defaults. On success CB_OK and *out
 * (destroy it with tplset_destroy); on failure *out is NULL, 'err' (may be NULL) gets
 * one line naming the file and the reason, and the result is:
 *   CB_EINVAL   opts out of range
 *   CB_EIO      the folder or a file cannot be read
 *   CB_ETOOBIG  a file larger than 64 KiB, or an SMS template over max_segments:
 *               "remind_periodic.txt: 3 SMS segments (139 characters with the 10 the
 *               channel adds) with the worst-case sample, at most 2"
 *   CB_EPARSE   a syntax error (tpl_parse's message)
 *   CB_ECONFIG  a file name that is no template's ("DIR/remind.txt: unknown template
 *               name (known: window_open, ...)"), an unknown variable, or 【】 in SMS
 */
CB_NODISCARD int tplset_load(const char *dir, const tplset_opts_t *opts, tplset_t **out, char *err,
                             size_t errlen);

/* NULL is a no-op. */
void tplset_destroy(tplset_t *set);

/* The template 'name' ("remind_periodic"), or NULL for an unknown name. Borrowed:
 * lives as long as 'set'. */
const tpl_t *tplset_get(const tplset_t *set, const char *name);

/* Count the SMS parts of 'text' with 'extra_chars' Chinese characters added (what
 * the SMS channel appends), as the load-time check does. CB_OK and *out, or CB_EINVAL
 * for invalid UTF-8 or a negative 'extra_chars'. */
CB_NODISCARD int tplset_sms_count(const char *text, int extra_chars, sms_count_t *out);

/* The i-th template name (in the order above), or NULL past the last. */
const char *tplset_name(size_t i);

/* 1 for an SMS template, 0 for a robot/markdown one, CB_ENOTFOUND for no template. */
int tplset_is_sms(const char *name);

/*
 * The worst-case sample context 'variant' (0, 1, ...) of template 'name', as the
 * load-time check uses it (for previews and tests). CB_OK and *out (destroy it with
 * tpl_ctx_destroy), or CB_ENOTFOUND (and *out NULL) for an unknown name or a variant
 * past the last.
 */
CB_NODISCARD int tplset_sample(const char *name, int variant, tpl_ctx_t **out);

#endif
