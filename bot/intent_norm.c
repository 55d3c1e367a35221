/* SPDX-License-Identifier: MIT */
/* intent_norm.c - the normalised text the intent rules match, and searching it. */
#include "bot/intent_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/err.h"

/* Traditional characters the keywords (and the sentences around them) use, with
 * their simplified forms, sorted by the traditional code point for bsearch.
 * NFKC leaves these alone: they are different characters, not compatibility forms. */
static const struct trad {
    int32_t trad, simp;
} trad_simp[] = {
    {0x4E26, 0x5E76}, {0x4F86, 0x6765}, {0x4FC2, 0x7CFB}, {0x500B, 0x4E2A}, {0x5011, 0x4EEC},
    {0x5099, 0x5907}, {0x50B7, 0x4F24}, {0x50F9, 0x4EF7}, {0x5104, 0x4EBF}, {0x512A, 0x4F18},
    {0x5152, 0x513F}, {0x5225, 0x522B}, {0x5283, 0x5212}, {0x52D5, 0x52A8}, {0x52D9, 0x52A1},
    {0x52DE, 0x52B3}, {0x5340, 0x533A}, {0x5354, 0x534F}, {0x53C3, 0x53C2}, {0x54E1, 0x5458},
    {0x554F, 0x95EE}, {0x555F, 0x542F}, {0x55AE, 0x5355}, {0x55CE, 0x5417}, {0x560D, 0x55BD},
    {0x56C9, 0x5570}, {0x570D, 0x56F4}, {0x5713, 0x5706}, {0x5718, 0x56E2}, {0x5831, 0x62A5},
    {0x584A, 0x5757}, {0x58DE, 0x574F}, {0x5ABD, 0x5988}, {0x5B6B, 0x5B59}, {0x5B78, 0x5B66},
    {0x5BE6, 0x5B9E}, {0x5BEB, 0x5199}, {0x5BF6, 0x5B9D}, {0x5C07, 0x5C06}, {0x5C08, 0x4E13},
    {0x5C0D, 0x5BF9}, {0x5C6C, 0x5C5E}, {0x5E2B, 0x5E08}, {0x5E33, 0x8D26}, {0x5E6B, 0x5E2E},
    {0x5E79, 0x5E72}, {0x5E7E, 0x51E0}, {0x5EE0, 0x5382}, {0x5EE3, 0x5E7F}, {0x5EF3, 0x5385},
    {0x5F8C, 0x540E}, {0x5F9E, 0x4ECE}, {0x5FA9, 0x590D}, {0x6191, 0x51ED}, {0x61C9, 0x5E94},
    {0x6236, 0x6237}, {0x62CB, 0x629B}, {0x64A5, 0x62E8}, {0x64C7, 0x62E9}, {0x64DA, 0x636E},
    {0x64FE, 0x6270}, {0x6578, 0x6570}, {0x65B7, 0x65AD}, {0x65BC, 0x4E8E}, {0x6642, 0x65F6},
    {0x66F8, 0x4E66}, {0x6703, 0x4F1A}, {0x6771, 0x4E1C}, {0x689D, 0x6761}, {0x68C4, 0x5F03},
    {0x696D, 0x4E1A}, {0x6A19, 0x6807}, {0x6A23, 0x6837}, {0x6A5F, 0x673A}, {0x6AA2, 0x68C0},
    {0x6B61, 0x6B22}, {0x6B72, 0x5C81}, {0x6B77, 0x5386}, {0x6B78, 0x5F52}, {0x6B98, 0x6B8B},
    {0x6C92, 0x6CA1}, {0x6E1B, 0x51CF}, {0x6E2C, 0x6D4B}, {0x6E96, 0x51C6}, {0x6EEC, 0x6CAA},
    {0x6EFF, 0x6EE1}, {0x6F32, 0x6DA8}, {0x6FDF, 0x6D4E}, {0x707D, 0x707E}, {0x70BA, 0x4E3A},
    {0x7121, 0x65E0}, {0x7169, 0x70E6}, {0x723A, 0x7237}, {0x7368, 0x72EC}, {0x7372, 0x83B7},
    {0x7522, 0x4EA7}, {0x7562, 0x6BD5}, {0x7570, 0x5F02}, {0x7576, 0x5F53}, {0x7642, 0x7597},
    {0x767C, 0x53D1}, {0x76E1, 0x5C3D}, {0x76E3, 0x76D1}, {0x78BA, 0x786E}, {0x78BC, 0x7801},
    {0x7A05, 0x7A0E}, {0x7A69, 0x7A33}, {0x7AAE, 0x7A77}, {0x7BC4, 0x8303}, {0x7C21, 0x7B80},
    {0x7D00, 0x7EAA}, {0x7D19, 0x7EB8}, {0x7D1A, 0x7EA7}, {0x7D55, 0x7EDD}, {0x7D66, 0x7ED9},
    {0x7D71, 0x7EDF}, {0x7D93, 0x7ECF}, {0x7DB2, 0x7F51}, {0x7DDA, 0x7EBF}, {0x7E23, 0x53BF},
    {0x7E3D, 0x603B}, {0x7E73, 0x7F34}, {0x7E8C, 0x7EED}, {0x7FD2, 0x4E60}, {0x806F, 0x8054},
    {0x8077, 0x804C}, {0x807D, 0x542C}, {0x812B, 0x8131}, {0x81FA, 0x53F0}, {0x8207, 0x4E0E},
    {0x820A, 0x65E7}, {0x842C, 0x4E07}, {0x8607, 0x82CF}, {0x8655, 0x5904}, {0x865F, 0x53F7},
    {0x88CF, 0x91CC}, {0x88DC, 0x8865}, {0x88E1, 0x91CC}, {0x8907, 0x590D}, {0x898B, 0x89C1},
    {0x89AA, 0x4EB2}, {0x8A02, 0x8BA2}, {0x8A0A, 0x8BAF}, {0x8A62, 0x8BE2}, {0x8A71, 0x8BDD},
    {0x8A72, 0x8BE5}, {0x8A8D, 0x8BA4}, {0x8AAA, 0x8BF4}, {0x8ACB, 0x8BF7}, {0x8B1D, 0x8C22},
    {0x8B49, 0x8BC1}, {0x8B70, 0x8BAE}, {0x8B77, 0x62A4}, {0x8B80, 0x8BFB}, {0x8B93, 0x8BA9},
    {0x8CA7, 0x8D2B}, {0x8CB4, 0x8D35}, {0x8CB7, 0x4E70}, {0x8CBB, 0x8D39}, {0x8CBC, 0x8D34},
    {0x8CC7, 0x8D44}, {0x8CEC, 0x8D26}, {0x8ECA, 0x8F66}, {0x8ECD, 0x519B}, {0x8F15, 0x8F7B},
    {0x8F49, 0x8F6C}, {0x8FA6, 0x529E}, {0x8FAD, 0x8F9E}, {0x8FB2, 0x519C}, {0x9019, 0x8FD9},
    {0x9031, 0x5468}, {0x904E, 0x8FC7}, {0x9054, 0x8FBE}, {0x9072, 0x8FDF}, {0x9078, 0x9009},
    {0x9084, 0x8FD8}, {0x908A, 0x8FB9}, {0x90F5, 0x90AE}, {0x9109, 0x4E61}, {0x91AB, 0x533B},
    {0x9280, 0x94F6}, {0x92B7, 0x9500}, {0x9304, 0x5F55}, {0x9322, 0x94B1}, {0x932F, 0x9519},
    {0x93AE, 0x9547}, {0x9577, 0x957F}, {0x9580, 0x95E8}, {0x9592, 0x95F2}, {0x9593, 0x95F4},
    {0x95B1, 0x9605}, {0x95C6, 0x677F}, {0x95DC, 0x5173}, {0x968A, 0x961F}, {0x969B, 0x9645},
    {0x96AA, 0x9669}, {0x96D9, 0x53CC}, {0x96E3, 0x96BE}, {0x96FB, 0x7535}, {0x9805, 0x9879},
    {0x9808, 0x987B}, {0x9818, 0x9886}, {0x982D, 0x5934}, {0x984C, 0x9898}, {0x984D, 0x989D},
    {0x986F, 0x663E}, {0x990A, 0x517B}, {0x9A37, 0x9A9A}, {0x9A57, 0x9A8C}, {0x9AD4, 0x4F53},
    {0x9E97, 0x4E3D}, {0x9EBC, 0x4E48}, {0x9EBD, 0x4E48}, {0x9EDE, 0x70B9}, {0x9F4A, 0x9F50},
    {0x9F61, 0x9F84},
};

static int trad_cmp(const void *key, const void *elem)
{
    int32_t k = *(const int32_t *)key, t = ((const struct trad *)elem)->trad;

    return (k > t) - (k < t);
}

int32_t intent__simplify(int32_t cp)
{
    const struct trad *t;

    if (cp < 0x4E00 || cp > 0x9FFF)
        return cp;
    t = bsearch(&cp, trad_simp, sizeof trad_simp / sizeof trad_simp[0], sizeof trad_simp[0],
                trad_cmp);
    return t != NULL ? t->simp : cp;
}

/* What normalisation does with a character of category 'cat'. */
enum { KEEP, MARK, DROP };

static int role(utf8proc_category_t cat)
{
    switch (cat) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return KEEP;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: return MARK;
    default: return DROP; /* spaces (typos as often as not), controls, marks, unassigned */
    }
}

int intent__normalise(const char *utf8, size_t len, char *out, size_t cap)
{
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t n, i = 0;
    size_t o = 0;
    char mark = 0; /* the clause mark waiting for the next kept character */

    out[0] = '\0';
    if (len == 0)
        return CB_OK;
    n = utf8proc_map((const utf8proc_uint8_t *)utf8, (utf8proc_ssize_t)len, &nfkc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? CB_ENOMEM : CB_EPARSE;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t k = utf8proc_iterate(nfkc + i, n - i, &cp);
        int r;

        if (k <= 0)
            break; /* cannot happen: utf8proc_map wrote valid UTF-8 */
        i += k;
        r = cp == '?' ? MARK : role(utf8proc_category(cp));
        if (r == MARK) {
            if (o > 0 && mark != '?')
                mark = cp == '?' ? '?' : ',';
            continue;
        }
        if (r == DROP)
            continue;
        k = utf8proc_encode_char(intent__simplify(cp), enc);
        if (o + (mark != 0) + (size_t)k + 1 > cap)
            break;
        if (mark != 0)
            out[o++] = mark;
        mark = 0;
        memcpy(out + o, enc, (size_t)k);
        o += (size_t)k;
    }
    if (mark == '?' && o + 2 <= cap)
        out[o++] = '?'; /* a final question mark says the reply asks */
    out[o] = '\0';
    free(nfkc);
    return CB_OK;
}

size_t intent__copy(char *dst, size_t cap, const char *s, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* s[len] would be the first byte left out: keep whole characters */
    }
    if (len > 0)
        memcpy(dst, s, len); /* 's' may be NULL when len is 0 */
    dst[len] = '\0';
    return len;
}

const char *intent__find(const char *b, const char *e, const char *kw)
{
    size_t n = strlen(kw);

    for (; b + n <= e; b++) {
        b = memchr(b, kw[0], (size_t)(e - b) - n + 1); /* candidates only */
        if (b == NULL)
            return NULL;
        if (memcmp(b, kw, n) == 0)
            return b;
    }
    return NULL;
}

const char *intent__find_any(const char *b, const char *e, const char *const *kw, size_t *which)
{
    const char *best = NULL;

    for (size_t i = 0; kw[i] != NULL; i++) {
        size_t n = strlen(kw[i]);
        /* Only an earlier occurrence can win. */
        const char *end = best != NULL && best + n < e ? best + n : e;
        const char *p = intent__find(b, end, kw[i]);
        if (p != NULL && (best == NULL || p < best)) {
            best = p;
            if (which != NULL)
                *which = i;
        }
    }
    return best;
}

const char *intent__starts(const char *p, const char *const *kw)
{
    const char *end = NULL;

    for (size_t i = 0; kw[i] != NULL; i++) {
        size_t n = strlen(kw[i]);
        if (strncmp(p, kw[i], n) == 0 && (end == NULL || p + n > end))
            end = p + n;
    }
    return end;
}

const char *intent__back(const char *s, const char *p, int n)
{
    while (n > 0 && p > s && p[-1] != ',' && p[-1] != '?') {
        p--;
        while (p > s && ((unsigned char)*p & 0xC0) == 0x80)
            p--;
        n--;
    }
    return p;
}

const char *intent__next(const char *p)
{
    p++;
    while (((unsigned char)*p & 0xC0) == 0x80)
        p++;
    return p;
}

const char *intent__ahead(const char *p, int n)
{
    while (n-- > 0 && *p != '\0' && *p != ',' && *p != '?')
        p = intent__next(p);
    return p;
}

const char *intent__skip(const char *p, const char *const *skip)
{
    const char *q;

    while ((q = intent__starts(p, skip)) != NULL)
        p = q;
    return p;
}

const char *intent__skip_lead(const char *p, const char *const *lead)
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

const char *intent__has(const intent__reply_t *r, const char *const *kw)
{
    return intent__find_any(r->s, r->e, kw, NULL);
}

const char *intent__before(const intent__reply_t *r, const char *p, int n, const char *const *kw)
{
    return intent__find_any(intent__back(r->s, p, n), p, kw, NULL);
}
