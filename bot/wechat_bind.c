/* SPDX-License-Identifier: MIT */
#include "bot/wechat_bind.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "channels/channel.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mask.h"
#include "store/store_outbox.h"
#include "store/store_wechat.h"

#define SUFFIX_MIN 6
#define SUFFIX_MAX 18
#define ATTEMPTS_MAX 5 /* unanswered binding attempts an openid makes in 24 hours */

static const char BOUND[] = "绑定成功。今后城乡居民医保的缴费提醒将通过本公众号发送给您。";
static const char MORE[] = "未能确认您的身份，请回复您身份证号码的后8位或完整的身份证号码。"
                           "如有疑问请联系村（社区）网格员。";
static const char ASK[] = "请回复您身份证号码的后6位，绑定后可通过本公众号接收城乡居民医保"
                          "缴费提醒。";

/* The end of an ID number in 'text' (blanks dropped, x upper case) into 'out', or 0. */
static int suffix_of(const char *text, char *out)
{
    size_t n = 0;

    for (const char *p = text; *p != '\0'; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        if (n == SUFFIX_MAX || !(isdigit((unsigned char)*p) || *p == 'x' || *p == 'X'))
            return 0;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    /* X is only ever the check character, the last one */
    return n >= SUFFIX_MIN && (strchr(out, 'X') == NULL || strchr(out, 'X') == out + n - 1);
}

static int answer(const bot_env_t *env, const char *msg_id, int64_t person_id,
                  const char *recipient, const char *text)
{
    char key[CH_EVENT_ID_MAX + 8];
    outbox_new_t m = {.key = key, .campaign_id = env->campaign, .person_id = person_id,
                      .route = env->reply_route, .klass = OB_REPLY, .recipient = recipient,
                      .template_name = "wechat_bind", .text = text};
    int rc;

    snprintf(key, sizeof key, "wx:%s", msg_id);
    rc = store_outbox_enqueue(env->st, &m, env->now);
    return rc < 0 ? rc : CB_OK;
}

static int bind(const bot_env_t *env, const char *msg_id, const char *openid, const char *text)
{
    char suffix[SUFFIX_MAX + 1], phone[32];
    int64_t pid = 0;
    int64_t tries = 0;
    int n = 0, bound = 0, rc = store_wechat_attempts(env->st, openid, env->now - 86400, &tries);

    if (rc < 0)
        return rc;
    if (tries >= ATTEMPTS_MAX) { /* guessing: neither looked up nor answered */
        log_write(LL_WARN, "wechat", "an openid made %lld binding attempts in a day: ignored",
                  (long long)tries);
        return CB_OK;
    }
    if (!suffix_of(text, suffix))
        return answer(env, msg_id, 0, openid, ASK);
    rc = store_wechat_match(env->st, env->campaign, suffix, &n, &pid, &bound);
    if (rc < 0)
        return rc;
    if (n != 1 || bound)
        return answer(env, msg_id, 0, openid, MORE);
    rc = store_wechat_bind(env->st, pid, openid, "reply", env->now);
    if (rc >= 0)
        rc = store_wechat_person(env->st, openid, &pid, phone, sizeof phone);
    if (rc < 0)
        return rc;
    log_write(LL_INFO, "wechat", "an openid was bound to person %lld by reply", (long long)pid);
    return answer(env, msg_id, pid, phone, BOUND);
}

int wechat_text(const bot_env_t *env, const char *msg_id, const char *openid, const char *text)
{
    char phone[32], masked[32], id[CH_EVENT_ID_MAX + 8];
    int64_t pid = 0;
    int rc = store_wechat_person(env->st, openid, &pid, phone, sizeof phone);
    /* inbound ids are one namespace across channels: WeChat's MsgId gets a prefix */
    bot_inbound_t in = {.msg_id = id, .channel = "wechat_mp", .sender = phone, .text = text};
    bot_outcome_t out;

    if (rc == CB_ENOTFOUND)
        return bind(env, msg_id, openid, text);
    if (rc < 0)
        return rc;
    if (phone[0] == '\0') {
        log_write(LL_WARN, "wechat", "person %lld wrote from WeChat and has no phone: no answer",
                  (long long)pid);
        return CB_OK;
    }
    snprintf(id, sizeof id, "wx:%s", msg_id);
    mask_phone(phone, masked, sizeof masked);
    log_write(LL_DEBUG, "wechat", "a reply from WeChat for %s", masked);
    return bot_handle(env, &in, &out);
}

int wechat_unsubscribe(const bot_env_t *env, const char *openid)
{
    char phone[32];
    int64_t pid = 0;
    int rc = store_wechat_person(env->st, openid, &pid, phone, sizeof phone);

    if (rc == CB_ENOTFOUND || (rc == CB_OK && phone[0] == '\0'))
        return CB_OK;
    if (rc < 0)
        return rc;
    rc = store_optout_add(env->st, env->optout_kind, phone, "unsubscribe", env->now);
    return rc < 0 ? rc : CB_OK;
}
