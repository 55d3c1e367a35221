/* SPDX-License-Identifier: MIT */
/* intent.c - the order of the intent rules (see intent.h), question topics, the API. */
#include "bot/intent.h"

#include <string.h>

#include "bot/intent_internal.h"
#include "bot/intent_words.h"
#include "core/err.h"

static int optout(const intent__reply_t *r)
{
    char core[32];

    if (intent__has(r, intent__optout) != NULL)
        return 1;
    intent__strip(r->s, intent__optout_fillers, core, sizeof core);
    for (size_t i = 0; intent__optout_exact[i] != NULL; i++) {
        if (strcmp(core, intent__optout_exact[i]) == 0)
            return 1;
    }
    return 0;
}

/* An A-not-A question: a character, 不 or 没, the same character (出不出, 交没交). */
static int a_not_a(const char *s)
{
    static const char *const nots[] = {"不", "没", NULL};

    for (const char *p = s; *p != '\0'; p = intent__next(p)) {
        const char *q = intent__next(p), *x;
        size_t n = (size_t)(q - p);
        if (n > 1 && (x = intent__starts(q, nots)) != NULL && strncmp(x, p, n) == 0)
            return 1;
    }
    return 0;
}

/* The topic word at [p, p + n) lies inside a longer topic word (要交 in 一定要交). */
static int inside_longer(const intent__reply_t *r, const char *p, size_t n)
{
    for (const intent_topic_t *t = intent__topics; t->word != NULL; t++) {
        size_t m = strlen(t->word);
        const char *b = (size_t)(p + n - r->s) >= m ? p + n - m : r->s;
        const char *e = (size_t)(r->e - p) >= m ? p + m : r->e;
        if (m > n && intent__find(b, e, t->word) != NULL)
            return 1;
    }
    return 0;
}

static unsigned topics(const intent__reply_t *r)
{
    unsigned q = 0;

    for (const intent_topic_t *t = intent__topics; t->word != NULL; t++) {
        size_t n = strlen(t->word);
        if (t->needs == 2 ? !r->asks : t->needs == 1 ? !r->asks && !r->is_short : 0)
            continue;
        for (const char *p = r->s; (p = intent__find(p, r->e, t->word)) != NULL; p += n) {
            if (!inside_longer(r, p, n)) {
                q |= t->bit;
                break;
            }
        }
    }
    return q;
}

/* The first waiver word (not in 交不交, 不得不交); its end goes to *end. */
static const char *waiver_word(const intent__reply_t *r, const char **end)
{
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        *end = intent__starts(p, intent__waive);
        if (*end != NULL && intent__before(r, p, 2, intent__waive_not_after) == NULL)
            return p;
    }
    return NULL;
}

static int waiver_asked(const intent__reply_t *r, const char *p, const char *end)
{
    static const char *const particles[] = {"了", "的", "啊", NULL};

    return intent__starts(end, intent__waive_ask_after) != NULL ||
           intent__starts(intent__skip(end, particles), intent__waive_ask_after) != NULL ||
           intent__before(r, p, 4, intent__waive_ask_before) != NULL || intent__tail_asks(end);
}

static void classify(intent__reply_t *r, const intent_ctx_t *ctx, intent_t *out)
{
    const char *w, *wend = NULL;
    const intent__pay_t *paid;
    unsigned q;
    int n;

    if (optout(r)) {
        out->kind = INTENT_OPT_OUT;
        return;
    }
    if (ctx->waiver_pending &&
        (n = intent__pending_reason(r, out->reason_text, sizeof out->reason_text)) > 0)
        goto waiver;
    if (ctx->survey_open && ctx->survey_choices > 0 &&
        (n = intent__survey_choice(r, ctx->survey_choices)) >= 0) {
        out->kind = INTENT_SURVEY_ANSWER;
        out->choice = n;
        return;
    }
    if (intent__deceased(r)) {
        out->kind = INTENT_DECEASED;
        return;
    }
    intent__scan_pays(r);
    q = topics(r);
    w = waiver_word(r, &wend);
    if (w != NULL && waiver_asked(r, w, wend)) {
        out->kind = INTENT_QUESTION;
        out->questions = q | INTENT_Q_DEADLINE;
        return;
    }
    paid = intent__first_done(r, 1);
    if (w != NULL && paid == NULL) {
        n = intent__reason(r, out->reason_text, sizeof out->reason_text);
        goto waiver;
    }
    if (ctx->waiver_pending && !r->asks && intent__first_done(r, 0) == NULL &&
        (n = intent__reason(r, out->reason_text, sizeof out->reason_text)) > 0)
        goto waiver;
    out->elsewhere = intent__named_scheme(r);
    if (paid != NULL && out->elsewhere != INTENT_ELSEWHERE_EMPLOYEE)
        out->elsewhere = paid->where; /* 单位交了; but 单位交的职工医保 is employee */
    if (out->elsewhere != INTENT_ELSEWHERE_NONE) {
        out->kind = INTENT_COVERED_ELSEWHERE;
    } else if (intent__receipt(r, out->receipt)) {
        out->kind = INTENT_PAID_CLAIM;
    } else if (intent__any_pay(r, 0, 1)) {
        out->kind = INTENT_QUESTION;
        out->questions = q | INTENT_Q_STATUS;
    } else if (intent__first_done(r, 0) != NULL) {
        /* 老公交了我还没交: one claim, one denial; the grid worker sorts it out */
        out->kind = intent__any_pay(r, 1, 0) ? INTENT_UNKNOWN : INTENT_PAID_CLAIM;
    } else if (q != 0) {
        out->kind = INTENT_QUESTION;
        out->questions = q;
    } else if (intent__has(r, intent__optout_soft) != NULL) {
        out->kind = INTENT_OPT_OUT;
    } else if (ctx->survey_open && ctx->survey_choices == 0 && out->text[0] != '\0') {
        out->kind = INTENT_SURVEY_ANSWER;
    }
    return;
waiver:
    out->kind = INTENT_WAIVER;
    out->waiver_reason = (intent_reason_t)n;
    if (n != INTENT_REASON_OTHER)
        out->reason_text[0] = '\0';
}

/* The reply as written into 'dst': control characters as spaces, trimmed of
 * spaces (ASCII and ideographic), cut at a character boundary. */
static void copy_text(char *dst, size_t cap, const char *s, size_t len)
{
    size_t o;

    while (len > 0 && (((unsigned char)*s <= ' ' || *s == 0x7f) ||
                       (len >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0))) {
        size_t k = (unsigned char)*s <= ' ' || *s == 0x7f ? 1 : 3;
        s += k;
        len -= k;
    }
    len = intent__copy(dst, cap, s, len);
    for (o = 0; o < len; o++) {
        if ((unsigned char)dst[o] < ' ' || dst[o] == 0x7f)
            dst[o] = ' '; /* NUL too */
    }
    while (o > 0 && (dst[o - 1] == ' ' || (o >= 3 && memcmp(dst + o - 3, "\xe3\x80\x80", 3) == 0)))
        o -= dst[o - 1] == ' ' ? 1 : 3;
    dst[o] = '\0';
}

int intent_parse(const char *utf8, size_t len, const intent_ctx_t *ctx, intent_t *out)
{
    static const intent_ctx_t closed = {0, 0, 0};
    char cs[INTENT__NORM_CAP], s[INTENT__NORM_CAP];
    intent__reply_t r;
    size_t nchars = 0, n;
    int rc;

    if (out == NULL)
        return CB_EINVAL;
    memset(out, 0, sizeof *out);
    out->kind = INTENT_UNKNOWN;
    if (utf8 == NULL && len > 0)
        return CB_EINVAL;
    if (len > INTENT_MAX_INPUT)
        return CB_ETOOBIG;
    rc = intent__normalise(utf8, len, cs, sizeof cs);
    if (rc < 0)
        return rc;
    copy_text(out->text, sizeof out->text, utf8, len);
    n = intent__copy(out->norm, sizeof out->norm, cs, strlen(cs));
    if (n > 0 && out->norm[n - 1] == ',')
        out->norm[n - 1] = '\0'; /* cut after a clause mark: drop it, as normalising does */
    for (size_t i = 0;; i++) {
        s[i] = cs[i];
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] | 0x20); /* ASCII lower case */
        if (s[i] == '\0')
            break;
        nchars += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    memset(&r, 0, sizeof r);
    r.s = s;
    r.e = s + strlen(s);
    r.cs = cs;
    r.asks = intent__has(&r, intent__ask) != NULL || a_not_a(s);
    r.is_short = nchars <= 6;
    classify(&r, ctx != NULL ? ctx : &closed, out);
    if (out->questions & INTENT_Q_NEWBORN) /* the newborn answer says these for the child */
        out->questions &= ~(unsigned)(INTENT_Q_AMOUNT | INTENT_Q_CHANNELS | INTENT_Q_DEADLINE);
    return CB_OK;
}

const char *intent_name(intent_kind_t kind)
{
    static const char *const names[] = {"paid_claim",    "covered_elsewhere", "waiver",
                                        "opt_out",       "question",          "survey_answer",
                                        "deceased",      "unknown"};

    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

const char *intent_elsewhere_name(intent_elsewhere_t where)
{
    static const char *const names[] = {"", "employee", "unit", "other_place", "school"};

    return (unsigned)where < sizeof names / sizeof names[0] ? names[where] : "";
}

const char *intent_reason_name(intent_reason_t reason)
{
    static const char *const names[] = {"", "commercial_insurance", "employee_insurance",
                                        "healthy_stable_income", "other"};

    return (unsigned)reason < sizeof names / sizeof names[0] ? names[reason] : "";
}

const char *intent_reason_label(intent_reason_t reason)
{
    static const char *const labels[] = {"", "参加商业保险", "参加职工医疗保险",
                                         "身体健康、家庭收入稳定", "其他原因"};

    return (unsigned)reason < sizeof labels / sizeof labels[0] ? labels[reason] : "";
}

const char *intent_question_name(unsigned bit)
{
    switch (bit) {
    case INTENT_Q_AMOUNT: return "amount";
    case INTENT_Q_CHANNELS: return "channels";
    case INTENT_Q_DEADLINE: return "deadline";
    case INTENT_Q_SUBSIDY: return "subsidy";
    case INTENT_Q_STATUS: return "status";
    case INTENT_Q_NEWBORN: return "newborn";
    default: return "";
    }
}
