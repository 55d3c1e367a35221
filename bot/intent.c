/* SPDX-License-Identifier: MIT */
/* intent.c - the rules that turn a normalised reply into an intent (order in intent.h). */
#include "bot/intent.h"

#include <stdint.h>
#include <string.h>

#include "bot/intent_internal.h"
#include "bot/intent_words.h"
#include "core/err.h"
#include "core/idcard.h"

#define MAX_PAYS 64

/* One paying verb in the reply and what surrounds it. */
typedef struct pay {
    const char *at, *end;     /* the verb */
    int done;                 /* finished: 已交, 交了, 缴过, 交咯 */
    int denied;               /* 没交, 不交, 冇交, 不用交 */
    int notyet;               /* 没交, 未缴, 冇交 */
    int asked;                /* 交了吗, 有没有交, 交过了没 */
    intent_elsewhere_t where; /* 单位交了, 学校交了, 在外地交了 */
} pay_t;

typedef struct reply {
    const char *s, *e; /* normalised, ASCII lower-case, and its end */
    const char *cs;    /* the same with ASCII case kept: receipt numbers */
    int asks;          /* a question mark or question word anywhere */
    int is_short;      /* at most 8 characters: a topic word alone asks */
    pay_t pay[MAX_PAYS];
    size_t npay;
} reply_t;

static const char *find_any(const reply_t *r, const char *const *kw)
{
    return intent__find_any(r->s, r->e, kw, NULL);
}

/* The clause-bounded window of 'n' characters before 'p' contains a word of 'kw'. */
static const char *before(const reply_t *r, const char *p, int n, const char *const *kw)
{
    return intent__find_any(intent__back(r->s, p, n), p, kw, NULL);
}

/* The end of the window of up to 'n' characters from 'p', stopping at a clause mark. */
static const char *ahead(const char *p, int n)
{
    while (n-- > 0 && *p != '\0' && *p != ',' && *p != '?')
        p = intent__next(p);
    return p;
}

/* The end of the particles in 'skip' that 'p' starts with. */
static const char *skip_all(const char *p, const char *const *skip)
{
    const char *q;

    while ((q = intent__starts(p, skip)) != NULL && q > p)
        p = q;
    return p;
}

/* After a finished verb or a waiver word at 'p': is it asked about? */
static int tail_asks(const char *p)
{
    const char *q;

    p = skip_all(p, intent__tail_skip);
    if (intent__starts(p, intent__tail_ask) != NULL)
        return 1;
    q = intent__starts(p, intent__tail_ask_end);
    return q != NULL && (*q == '\0' || *q == ',' || *q == '?' ||
                         intent__starts(q, intent__tail_ask) != NULL);
}

/* Who or where paid, from the words just before the verb at 'p'. */
static intent_elsewhere_t pay_where(const reply_t *r, const char *p)
{
    static const struct {
        const char *const *words;
        intent_elsewhere_t where;
    } kinds[] = {{intent__unit, INTENT_ELSEWHERE_UNIT},
                 {intent__school, INTENT_ELSEWHERE_SCHOOL},
                 {intent__place, INTENT_ELSEWHERE_OTHER_PLACE}};
    const char *w = intent__back(r->s, p, 8), *best = NULL;
    intent_elsewhere_t where = INTENT_ELSEWHERE_NONE;

    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const char *q = intent__find_any(w, p, kinds[k].words, NULL);
        if (q != NULL && (best == NULL || q > best)) {
            best = q;
            where = kinds[k].where;
        }
    }
    if (best != NULL && intent__find_any(best, p, intent__channel, NULL) != NULL)
        return INTENT_ELSEWHERE_NONE; /* paid through a channel: where the money went */
    return where;
}

/* The verb at 'p' (ending at 'end'): fill 'v'. 0 when it is no paying verb here. */
static int read_pay(const reply_t *r, const char *p, const char *end, int insured, pay_t *v)
{
    static const char *const already[] = {"已", NULL};
    const char *q;
    int strong = 0, weak = 0;

    if (end - p == (int)strlen("交") && strncmp(p, "交", strlen("交")) == 0 &&
        (intent__starts(end, intent__jiao_not_after) != NULL ||
         (p > r->s && before(r, p, 1, intent__jiao_not_before) != NULL)))
        return 0;
    if (strncmp(p, "买", strlen("买")) == 0 && !insured)
        return 0;
    memset(v, 0, sizeof *v);
    v->at = p;
    v->end = end;
    if (before(r, p, 6, intent__ask_before) != NULL) {
        v->asked = 1;
        return 1;
    }
    v->denied = before(r, p, 3, intent__neg) != NULL;
    v->notyet = before(r, p, 3, intent__notyet) != NULL;
    q = intent__starts(end, intent__done_strong);
    if (q != NULL)
        strong = 1;
    else if ((q = intent__starts(end, intent__done_weak)) != NULL)
        weak = 1;
    else if (strncmp(end, "给", strlen("给")) == 0)
        weak = intent__find(end, ahead(end, 6), "了") != NULL; /* 交给村干部了 */
    v->done = !v->denied && (before(r, p, 6, already) != NULL ||
                             strong || (weak && before(r, p, 4, intent__future) == NULL));
    if (v->done && tail_asks(q != NULL ? skip_all(q, intent__done_strong) : end)) {
        v->done = 0;
        v->asked = 1;
    }
    if (v->done)
        v->where = pay_where(r, p);
    return 1;
}

/* Every paying verb of the reply, left to right. */
static void scan_pays(reply_t *r)
{
    int insured = find_any(r, intent__insurance) != NULL &&
                  find_any(r, intent__reason_commercial) == NULL;
    const char *p = r->s;

    while (*p != '\0' && r->npay < MAX_PAYS) {
        const char *end = intent__starts(p, intent__pay);
        if (end != NULL && read_pay(r, p, end, insured, &r->pay[r->npay])) {
            r->npay++;
            p = end;
        } else {
            p = intent__next(p);
        }
    }
}

/* The first finished payment (with a payer or place when 'where'), or NULL. */
static const pay_t *first_done(const reply_t *r, int where)
{
    for (size_t i = 0; i < r->npay; i++) {
        if (r->pay[i].done && (!where || r->pay[i].where != INTENT_ELSEWHERE_NONE))
            return &r->pay[i];
    }
    return NULL;
}

static int any_pay(const reply_t *r, int notyet, int asked)
{
    for (size_t i = 0; i < r->npay; i++) {
        if ((notyet && r->pay[i].notyet) || (asked && r->pay[i].asked))
            return 1;
    }
    return 0;
}

/* A scheme named outright, not denied before nor ended after. */
static intent_elsewhere_t named_scheme(const reply_t *r)
{
    static const struct {
        const char *const *words;
        intent_elsewhere_t where;
    } nouns[] = {{intent__employee_noun, INTENT_ELSEWHERE_EMPLOYEE},
                 {intent__unit_noun, INTENT_ELSEWHERE_UNIT},
                 {intent__school_noun, INTENT_ELSEWHERE_SCHOOL},
                 {intent__place_noun, INTENT_ELSEWHERE_OTHER_PLACE}};

    for (size_t k = 0; k < sizeof nouns / sizeof nouns[0]; k++) {
        size_t i;
        const char *p = intent__find_any(r->s, r->e, nouns[k].words, &i);
        if (p == NULL || before(r, p, 3, intent__noun_deny) != NULL)
            continue;
        p += strlen(nouns[k].words[i]);
        if (intent__find_any(p, ahead(p, 4), intent__noun_ended, NULL) != NULL)
            continue;
        return nouns[k].where;
    }
    return INTENT_ELSEWHERE_NONE;
}

/* 's' without clause marks and without the words of 'fillers', into 'out'. */
static void strip(const char *s, const char *const *fillers, char *out, size_t cap)
{
    size_t o = 0;

    while (*s != '\0') {
        const char *q = intent__starts(s, fillers);
        if (q == NULL && (*s == ',' || *s == '?'))
            q = s + 1;
        if (q != NULL) {
            s = q;
            continue;
        }
        q = intent__next(s);
        if (o + (size_t)(q - s) + 1 > cap)
            break;
        memcpy(out + o, s, (size_t)(q - s));
        o += (size_t)(q - s);
        s = q;
    }
    out[o] = '\0';
}

/* 'c' as a number: 0..99 in digits, 一..十 (两 is 2), or with 'letters' a..z as
 * 1..26; -1 when it is anything else. */
static int bare_number(const char *c, int letters)
{
    int v = 0;

    if (c[0] >= '0' && c[0] <= '9') {
        for (int i = 0; c[i] != '\0'; i++) {
            if (i == 2 || c[i] < '0' || c[i] > '9')
                return -1;
            v = v * 10 + (c[i] - '0');
        }
        return v;
    }
    if (letters && c[0] >= 'a' && c[0] <= 'z' && c[1] == '\0')
        return c[0] - 'a' + 1;
    for (int k = 0; intent__numerals[k] != NULL; k++) {
        if (strcmp(c, intent__numerals[k]) == 0)
            return k < 10 ? k + 1 : 2;
    }
    return -1;
}

static int optout(const reply_t *r)
{
    char core[32];

    if (find_any(r, intent__optout) != NULL)
        return 1;
    strip(r->s, intent__optout_fillers, core, sizeof core);
    for (size_t i = 0; intent__optout_exact[i] != NULL; i++) {
        if (strcmp(core, intent__optout_exact[i]) == 0)
            return 1;
    }
    return 0;
}

/* 'p' after any clause marks and words of 'lead'. */
static const char *skip_lead(const char *p, const char *const *lead)
{
    for (;;) {
        const char *q = intent__starts(p, lead);
        if (*p == ',')
            p++;
        else if (q != NULL)
            p = q;
        else
            return p;
    }
}

/* Words that lead into a reason 4's own words. */
static const char *const other_lead[] = {"其他原因", "其它原因", "其他", "其它", "原因", "是",
                                         NULL};

/* Copy the words from 'p' to the end into 'text', without a final '?'. */
static void copy_rest(const char *p, char *text, size_t cap)
{
    size_t n = strlen(p);

    intent__copy(text, cap, p, n > 0 && p[n - 1] == '?' ? n - 1 : n);
}

/* A reason number 1-4 at 'p' (a digit, or 一..四 when 'numeral'), standing alone
 * and counting nothing (not 3个人, 2024年); its end goes to *end. 0 when none. */
static int reason_at(const reply_t *r, const char *p, int numeral, const char **end)
{
    static const char *const han[] = {"一", "二", "三", "四", NULL};
    int d = 0;

    if (*p >= '1' && *p <= '4' && (p == r->s || !strchr("0123456789", p[-1])) &&
        !(p[1] >= '0' && p[1] <= '9')) {
        d = *p - '0';
        *end = p + 1;
    } else if (numeral && (*end = intent__starts(p, han)) != NULL) {
        for (d = 1; strncmp(p, han[d - 1], strlen(han[d - 1])) != 0; d++)
            ;
    }
    if (d == 0 || ((*end)[0] >= 'a' && (*end)[0] <= 'z') ||
        (p > r->s && p[-1] >= 'a' && p[-1] <= 'z') || intent__starts(*end, intent__units))
        return 0;
    return d;
}

/* The reason number anywhere in the reply: a digit, or a numeral after 原因/选/第. */
static int reason_number(const reply_t *r, const char **end)
{
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        const char *q = intent__starts(p, intent__reason_num_before);
        int d = reason_at(r, p, 0, end);
        if (d == 0 && q != NULL)
            d = reason_at(r, skip_lead(q, other_lead), 1, end);
        if (d > 0)
            return d;
    }
    return 0;
}

/* The waiver form's reason the reply gives, 0 when none; reason 4's words go to
 * 'text' (the words after its number or marker, else the whole reply). */
static int reason_of(const reply_t *r, char *text, size_t cap)
{
    const char *end;
    size_t i;
    int d = reason_number(r, &end);

    if (d == 4)
        copy_rest(skip_lead(end, other_lead), text, cap);
    if (d > 0)
        return d;
    if (find_any(r, intent__reason_commercial) != NULL)
        return INTENT_REASON_COMMERCIAL;
    if (find_any(r, intent__employee_noun) != NULL || find_any(r, intent__unit) != NULL ||
        intent__find(r->s, r->e, "社保") != NULL)
        return INTENT_REASON_EMPLOYEE;
    if (find_any(r, intent__reason_healthy) != NULL)
        return INTENT_REASON_HEALTHY;
    end = intent__find_any(r->s, r->e, intent__reason_mark, &i);
    if (end != NULL) {
        copy_rest(skip_lead(end + strlen(intent__reason_mark[i]), other_lead), text, cap);
        return INTENT_REASON_OTHER;
    }
    if (find_any(r, intent__reason_other) != NULL) {
        intent__copy(text, cap, r->s, (size_t)(r->e - r->s));
        return INTENT_REASON_OTHER;
    }
    return 0;
}

/* While a waiver reason is pending: a bare reason number ("2", "选3", "原因四",
 * "4 在外打工"), or 0. */
static int pending_number(const reply_t *r, char *text, size_t cap)
{
    const char *end;
    int d = reason_at(r, skip_lead(r->s, intent__choice_fillers), 1, &end);

    if (d == 0)
        return 0;
    end = skip_lead(end, intent__choice_fillers);
    if (d == 4)
        copy_rest(skip_lead(end, other_lead), text, cap);
    else if (*end != '\0' && strcmp(end, "?") != 0)
        return 0; /* "2职工医保" is left to the words */
    return d;
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* The run of ASCII letters and digits at 'p' as a receipt number into 'out' when
 * it has 8..63 characters, at least 'min_digits' digits, and is no mobile number,
 * ID number, date (YYYYMMDD) or amount (...元). */
static int receipt_at(const reply_t *r, const char *p, int min_digits, char out[64])
{
    char id[IDCARD_LEN + 1];
    size_t n = 0, digits = 0;
    const char *q = p, *c = r->cs + (p - r->s);

    for (; is_alnum(*q); q++, n++)
        digits += *q >= '0' && *q <= '9';
    if (n < 8 || n > 63 || digits < (size_t)min_digits || strncmp(q, "元", 3) == 0 ||
        strncmp(q, "块", 3) == 0)
        return 0;
    if (digits == 11 && n == 11 && p[0] == '1' && p[1] >= '3')
        return 0;
    if (n == IDCARD_LEN && idcard_check(c, n, INT32_MAX, id, NULL, 0) == IDCARD_OK)
        return 0;
    if (n == 8 && digits == 8 && (strncmp(p, "19", 2) == 0 || strncmp(p, "20", 2) == 0) &&
        ((p[4] == '0' && p[5] >= '1') || (p[4] == '1' && p[5] <= '2')) && p[6] <= '3')
        return 0;
    intent__copy(out, 64, c, n);
    return 1;
}

/* A receipt number after a receipt word, or in a reply claiming a payment. */
static int find_receipt(const reply_t *r, char out[64])
{
    static const char *const gap[] = {"是", "为", "号", "码", "no", ":", NULL};

    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        const char *q = intent__starts(p, intent__receipt);
        if (q != NULL && receipt_at(r, skip_lead(q, gap), 1, out))
            return 1;
    }
    if (first_done(r, 0) == NULL)
        return 0;
    for (const char *p = r->s; *p != '\0'; p = intent__next(p)) {
        if (is_alnum(*p) && (p == r->s || !is_alnum(p[-1])) && receipt_at(r, p, 6, out))
            return 1;
    }
    return 0;
}

/* A bare survey choice: 1..n, 0 for a number out of range, -1 when no number. */
static int survey_choice(const reply_t *r, int n)
{
    char core[32];
    int v;

    strip(r->s, intent__choice_fillers, core, sizeof core);
    v = bare_number(core, n <= 26);
    if (v < 0)
        return -1;
    return v >= 1 && v <= n ? v : 0;
}

static unsigned topics(const reply_t *r)
{
    unsigned q = 0;

    for (const intent_topic_t *t = intent__topics; t->word != NULL; t++) {
        if ((t->self || r->asks || r->is_short) && intent__find(r->s, r->e, t->word) != NULL)
            q |= t->bit;
    }
    if (any_pay(r, 0, 1))
        q |= INTENT_Q_STATUS;
    return q;
}

/* The first waiver word (not in 交不交, 不得不交); its end goes to *end. */
static const char *waiver_word(const reply_t *r, const char **end)
{
    size_t i;

    for (const char *p = r->s; (p = intent__find_any(p, r->e, intent__waive, &i)) != NULL;
         p = intent__next(p)) {
        if (before(r, p, 2, intent__waive_not_after) == NULL) {
            *end = p + strlen(intent__waive[i]);
            return p;
        }
    }
    return NULL;
}

static int waiver_asked(const reply_t *r, const char *p, const char *end)
{
    static const char *const particles[] = {"了", "的", "啊", NULL};

    return intent__starts(skip_all(end, particles), intent__waive_ask_after) != NULL ||
           before(r, p, 4, intent__waive_ask_before) != NULL || tail_asks(end);
}

static void classify(reply_t *r, const intent_ctx_t *ctx, intent_t *out)
{
    const char *w, *wend = NULL;
    const pay_t *paid;
    unsigned q;
    int n;

    if (optout(r)) {
        out->kind = INTENT_OPT_OUT;
        return;
    }
    if (ctx->waiver_pending &&
        (n = pending_number(r, out->reason_text, sizeof out->reason_text)) > 0)
        goto waiver;
    if (ctx->survey_open && ctx->survey_choices > 0 &&
        (n = survey_choice(r, ctx->survey_choices)) >= 0) {
        out->kind = INTENT_SURVEY_ANSWER;
        out->choice = n;
        return;
    }
    scan_pays(r);
    q = topics(r);
    w = waiver_word(r, &wend);
    if (w != NULL && waiver_asked(r, w, wend)) {
        out->kind = INTENT_QUESTION;
        out->questions = q | INTENT_Q_DEADLINE;
        return;
    }
    paid = first_done(r, 1);
    if (w != NULL && paid == NULL) {
        n = reason_of(r, out->reason_text, sizeof out->reason_text);
        goto waiver;
    }
    if (ctx->waiver_pending && !r->asks && first_done(r, 0) == NULL &&
        (n = reason_of(r, out->reason_text, sizeof out->reason_text)) > 0)
        goto waiver;
    out->elsewhere = paid != NULL ? paid->where : named_scheme(r);
    if (out->elsewhere != INTENT_ELSEWHERE_NONE) {
        out->kind = INTENT_COVERED_ELSEWHERE;
    } else if (find_receipt(r, out->receipt)) {
        out->kind = INTENT_PAID_CLAIM;
    } else if (q & INTENT_Q_STATUS) {
        out->kind = INTENT_QUESTION;
        out->questions = q;
    } else if (first_done(r, 0) != NULL) {
        out->kind = any_pay(r, 1, 0) ? INTENT_UNKNOWN : INTENT_PAID_CLAIM;
    } else if (q != 0) {
        out->kind = INTENT_QUESTION;
        out->questions = q;
    } else if (find_any(r, intent__optout_soft) != NULL) {
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
    intent__copy(dst, cap, s, len);
    for (o = 0; dst[o] != '\0'; o++) {
        if ((unsigned char)dst[o] < ' ' || dst[o] == 0x7f)
            dst[o] = ' ';
    }
    while (o > 0 && (dst[o - 1] == ' ' ||
                     (o >= 3 && memcmp(dst + o - 3, "\xe3\x80\x80", 3) == 0)))
        o -= dst[o - 1] == ' ' ? 1 : 3;
    dst[o] = '\0';
}

int intent_parse(const char *utf8, size_t len, const intent_ctx_t *ctx, intent_t *out)
{
    static const intent_ctx_t closed = {0, 0, 0};
    char cs[INTENT__NORM_CAP], s[INTENT__NORM_CAP];
    reply_t r;
    size_t nchars = 0;
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
    intent__copy(out->norm, sizeof out->norm, cs, strlen(cs));
    for (size_t i = 0; i == 0 || cs[i - 1] != '\0'; i++) {
        s[i] = cs[i] >= 'A' && cs[i] <= 'Z' ? (char)(cs[i] - 'A' + 'a') : cs[i];
        nchars += ((unsigned char)cs[i] & 0xC0) != 0x80;
    }
    memset(&r, 0, sizeof r);
    r.s = s;
    r.e = s + strlen(s);
    r.cs = cs;
    r.asks = find_any(&r, intent__ask) != NULL;
    r.is_short = nchars <= 9; /* 8 characters and the NUL */
    classify(&r, ctx != NULL ? ctx : &closed, out);
    return CB_OK;
}

const char *intent_name(intent_kind_t kind)
{
    static const char *const names[] = {"paid_claim", "covered_elsewhere", "waiver", "opt_out",
                                        "question",   "survey_answer",     "unknown"};

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
    default: return "";
    }
}
