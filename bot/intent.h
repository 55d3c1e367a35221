/* SPDX-License-Identifier: MIT */
/*
 * intent.h - what a resident's reply means: a pure function from the text of one
 * reply (SMS, WeChat-style message) to one intent, for the bot to act on.
 *
 * The text is normalised first (see intent_parse), so full-width digits and letters,
 * spaces, punctuation, emoji and common traditional characters do not matter. Then
 * the first of these rules that matches decides (the order is the precedence):
 *
 *   1. opt-out: the reply is T, TD or R (alone, maybe with 回复/谢谢), or contains
 *      退订, 拒收 or 取消订阅. Stopping wins over everything.
 *   2. waiver reason: ctx->waiver_pending and the reply is a bare reason number
 *      (1-4, 一-四, "选2", "原因3", "4 在外打工" gives 4 with the rest as its text).
 *   3. survey choice: ctx->survey_open with choices and the reply is a bare choice
 *      ("2", "选2", "第二个", "B"); a bare number outside 1..N is choice 0.
 *   4. deceased: the reply reports a death: 去世, 过世, 逝世, 离世, 病故, 身故, 已故,
 *      亡故, 死亡; or 走了, 不在了, 死了, 没了 right after a person (人, 老人, 爷爷,
 *      奶奶, 父亲, 我妈, 老伴, ...; 已经/早就/去年 may come between) and closing
 *      the clause ("人已经走了", "老人去世了"; not "走了几个地方", "烦死了").
 *      A death beats a refusal ("人都过世了，不交了").
 *   5. waiver: 放弃, 不参加, 不交, 不缴, 不想交, 不买了, 唔交, 拒交, ... unless
 *      it is asked ("不交会怎样?", "可以不交吗", "不交的话有影响吗"): that is a
 *      question about the deadline and what missing it costs. When the same reply
 *      says it was paid elsewhere ("不交了，单位交了", "这边不交，在外地交过了") it is
 *      covered-elsewhere. Otherwise a waiver; its reason is a number 1-4 in the
 *      reply, else words: 商业保险 1, 职工医保/单位 2, 身体好/没病 3, 其他/因为/太贵/
 *      没钱 4 (with the resident's words); none gives reason 0: ask with the form.
 *   6. waiver reason in words: ctx->waiver_pending and the reply names a reason
 *      ("商业保险", "身体好", "因为在外地打工") without asking anything.
 *   7. covered elsewhere: a payment made by or at another payer or place
 *      ("单位交了", "学校交了", "在外地交了", "在广东交过了") or a scheme named
 *      outright ("职工医保", "城镇职工", "学生医保", "异地参保"; also when asking
 *      "有职工医保还要交吗"), unless denied ("没有职工医保") or ended ("职工医保断了").
 *      A named employee insurance beats its payer ("单位交的职工医保": employee).
 *   8. paid claim with a receipt number (a run of >= 8 letters/digits after 票号,
 *      凭证, 单号, 流水号, 收据, ...; or of >= 8 with >= 6 digits in a paid claim,
 *      never a mobile number, an ID number or a date).
 *   9. status question: a payment asked about ("交了吗", "已经交了吗?", "交了没",
 *      "有没有交", "是不是交过了"). So "已交了吗？" is a question, not a claim
 *      (a receipt number in the same reply makes it a claim: rule 8).
 *  10. paid claim: a finished payment not denied and not in the future (已缴, 已交,
 *      交了, 缴过了, 交咯, 缴哒, 交啦, 交咗, 有交, 缴费成功, 交好了, 参保了, 买了医保).
 *      "不交了" is a waiver (rule 5), "没交"/"冇交"/"还没交" deny it, "要交了"/
 *      "明天交"/"会交的" are future, "去年交了" is another campaign and "交了有什么用"
 *      no claim. A reply that both claims and denies a payment ("老公交了我还没交")
 *      goes to the grid worker (unknown).
 *  11. question: amount, channels, deadline, subsidy, status ("到账", "查询"), newborn
 *      ("孩子刚出生怎么交", "新生儿怎么参保", "宝宝出生了要交吗"); several may be
 *      asked at once; a newborn question drops amount, channels and deadline (its
 *      answer says how much, how and until when for the child). Question phrases count alone
 *      ("多少钱", "怎么交", "什么时候", "新生儿", "刚出生"); topic words ("渠道", "补贴", "微信") only in a question (?, 吗,
 *      怎么, 出不出...) or a reply of at most 6 characters ("截止日期", "我是低保户").
 *      A question without a known topic ("你是谁?") is unknown.
 *  12. opt-out in words: 别发了, 不要再发, 别再发短信, 骚扰, ...
 *  13. survey answer: ctx->survey_open without choices takes any other reply as text.
 *  14. unknown: everything else goes to the person's grid worker with the text.
 *
 * Pure: no I/O, no global state, nothing kept after the call; safe from any thread.
 */
#ifndef CB_BOT_INTENT_H
#define CB_BOT_INTENT_H

#include <stddef.h>

#include "core/compiler.h"

/* The longest reply parsed, in bytes; longer ones are CB_ETOOBIG. */
#define INTENT_MAX_INPUT 1024

typedef enum intent_kind {
    INTENT_PAID_CLAIM,        /* says they paid: a claim to verify against tax data */
    INTENT_COVERED_ELSEWHERE, /* insured by another scheme, payer or county */
    INTENT_WAIVER,            /* refuses to enrol this year (放弃参保) */
    INTENT_OPT_OUT,           /* stop messages on the channel the reply came from */
    INTENT_QUESTION,          /* asks about 'questions' (INTENT_Q_* bits) */
    INTENT_SURVEY_ANSWER,     /* answers the open survey question */
    INTENT_DECEASED,          /* reports that the person has died (去世, 过世, 人走了) */
    INTENT_UNKNOWN            /* for the grid worker, with the text */
} intent_kind_t;

/* Where a covered-elsewhere person is insured. */
typedef enum intent_elsewhere {
    INTENT_ELSEWHERE_NONE = 0,
    INTENT_ELSEWHERE_EMPLOYEE,    /* employee insurance (职工医保) named outright */
    INTENT_ELSEWHERE_UNIT,        /* "单位/公司/厂里交了": an employer pays */
    INTENT_ELSEWHERE_OTHER_PLACE, /* paid in another county or province (异地) */
    INTENT_ELSEWHERE_SCHOOL       /* a student insured through school (学校交了) */
} intent_elsewhere_t;

/* The four reasons of the waiver form (放弃参保确认书, Pingli 2022). */
typedef enum intent_reason {
    INTENT_REASON_NONE = 0,       /* none given: ask with the four reasons */
    INTENT_REASON_COMMERCIAL = 1, /* 1. 参加商业保险 */
    INTENT_REASON_EMPLOYEE = 2,   /* 2. 参加职工医疗保险 */
    INTENT_REASON_HEALTHY = 3,    /* 3. 身体健康、家庭收入稳定 */
    INTENT_REASON_OTHER = 4       /* 4. 其他原因 (reason_text says which) */
} intent_reason_t;

/* Question topics, OR-ed into intent_t.questions. */
enum {
    INTENT_Q_AMOUNT = 1 << 0,   /* how much this person pays (their own amount) */
    INTENT_Q_CHANNELS = 1 << 1, /* how and where to pay */
    INTENT_Q_DEADLINE = 1 << 2, /* until when, and what missing the window costs */
    INTENT_Q_SUBSIDY = 1 << 3,  /* subsidies, reductions, refunds */
    INTENT_Q_STATUS = 1 << 4,   /* whether their payment is recorded */
    INTENT_Q_NEWBORN = 1 << 5   /* how a newborn child is enrolled, and until when */
};
#define INTENT_Q_ALL 0x3f

typedef struct intent {
    intent_kind_t kind;
    /* INTENT_PAID_CLAIM: the receipt number as written (after NFKC), "" if none. */
    char receipt[64];
    /* INTENT_COVERED_ELSEWHERE: where; INTENT_ELSEWHERE_NONE otherwise. */
    intent_elsewhere_t elsewhere;
    /* INTENT_WAIVER: the reason, INTENT_REASON_NONE when the reply gives none. */
    intent_reason_t waiver_reason;
    /* INTENT_WAIVER with reason 4: the resident's words (normalised), maybe "". */
    char reason_text[128];
    /* INTENT_QUESTION: INTENT_Q_* bits, never 0; 0 otherwise. */
    unsigned questions;
    /* INTENT_SURVEY_ANSWER: 1..survey_choices, or 0 for free text or a number out
     * of range (the caller asks again); 0 otherwise. */
    int choice;
    /* The reply as written: trimmed, control characters as spaces, cut at a
     * character boundary to fit. This is the survey answer's text and what an
     * unknown reply hands to the grid worker (the caller holds the full reply). */
    char text[256];
    /* The normalised text the rules matched (NFKC, traditional characters made
     * simplified, ASCII lower-case, no spaces, emoji or symbols; other
     * punctuation as ',' between clauses and question marks as '?'), cut to fit.
     * For operators checking how a reply is understood. */
    char norm[256];
} intent_t;

/* What the conversation is waiting for; all zero when nothing is open. */
typedef struct intent_ctx {
    int survey_open;    /* a survey question is open for this person */
    int survey_choices; /* its number of choices, 1..26; 0 = free text */
    int waiver_pending; /* the bot asked for a waiver reason: "1".."4" is the reason */
} intent_ctx_t;

/*
 * Understand the 'len' bytes of UTF-8 at 'utf8' ('utf8' may be NULL when len is 0)
 * under 'ctx' (NULL: nothing open) and fill *out. Returns CB_OK, CB_EINVAL when
 * 'out' is NULL or 'utf8' is NULL with len > 0, CB_ETOOBIG when len is more than
 * INTENT_MAX_INPUT, CB_EPARSE when the bytes are not valid UTF-8, CB_ENOMEM when
 * utf8proc runs out of memory. On failure *out is zeroed with kind INTENT_UNKNOWN.
 */
CB_NODISCARD int intent_parse(const char *utf8, size_t len, const intent_ctx_t *ctx, intent_t *out);

/* "paid_claim", "covered_elsewhere", "waiver", "opt_out", "question",
 * "survey_answer", "deceased", "unknown"; "?" for other values. Static strings. */
const char *intent_name(intent_kind_t kind);

/* "employee", "unit", "other_place", "school"; "" for NONE. Static strings. */
const char *intent_elsewhere_name(intent_elsewhere_t where);

/* "commercial_insurance", "employee_insurance", "healthy_stable_income", "other";
 * "" for NONE. Static strings. */
const char *intent_reason_name(intent_reason_t reason);

/* The reason as the waiver form words it ("参加商业保险", ...); "" for NONE. */
const char *intent_reason_label(intent_reason_t reason);

/* "amount", "channels", "deadline", "subsidy", "status", "newborn" for one INTENT_Q_* bit;
 * "" for anything else. Static strings. */
const char *intent_question_name(unsigned bit);

#endif
