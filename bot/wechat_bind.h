/* SPDX-License-Identifier: MIT */
/*
 * wechat_bind.h - what a resident sends the Official Account (the wechat_mp channel's
 * pushes, channels/drv_wechat_mp_in.c), applied by the writer (bot/ingest.c):
 *
 *   - a text from an openid bound to a person goes to the bot (bot_handle) as that
 *     person's reply, the sender being their phone: the bot works on phones, and the
 *     answer, queued on the WeChat route to that phone, reaches the openid the
 *     dispatcher finds for the person (store_wechat_openid). A bound person without a
 *     phone gets no answer (logged).
 *   - a text from an openid not bound yet binds it: 6 to 18 characters, the end of an
 *     ID number (blanks ignored, x as X), must match exactly ONE person of the
 *     campaign who is unpaid or paid, and that person must have no openid yet; then
 *     the binding is stored (source "reply") and confirmed. Anything else (no match,
 *     two or more, the person bound to another account) gets one and the same answer
 *     asking for more digits, so the answer never tells whose ID it is or whether
 *     it exists. Any other text gets the instructions. After ATTEMPTS_MAX (5) such
 *     answers in 24 hours an openid's texts are ignored until the day has passed, so
 *     the ends of ID numbers cannot be tried one after another.
 *   - unsubscribe: an opt-out of the WeChat route for the bound person's phone (the
 *     recipient WeChat rows carry); an unbound openid has nothing to record.
 *
 * Answers are outbox rows on the WeChat route keyed "wx:MSGID", so WeChat's retries of
 * a push queue nothing twice. Threading: the writer's thread.
 */
#ifndef CB_BOT_WECHAT_BIND_H
#define CB_BOT_WECHAT_BIND_H

#include "bot/reply.h"
#include "core/compiler.h"

/* 'env' with reply_route the WeChat route and optout_kind its kind. CB_OK or the
 * store's error. */
CB_NODISCARD int wechat_text(const bot_env_t *env, const char *msg_id, const char *openid,
                             const char *text);
CB_NODISCARD int wechat_unsubscribe(const bot_env_t *env, const char *openid);

#endif
