/* SPDX-License-Identifier: MIT */
/*
 * store_wechat.h - residents' WeChat Official Account openids (table wechat_bind: one
 * per person, one person per openid) and the outbox row a WeChat delivery push is
 * about. Strings handed in are copied by SQLite. Threading: the store's thread.
 */
#ifndef CB_STORE_STORE_WECHAT_H
#define CB_STORE_STORE_WECHAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "store/store.h"

#define WECHAT_OPENID_MAX 64

/* Bind 'openid' to person 'person_id' ('source': "import", "reply"). An openid held
 * by another person moves to this one (the account changed hands: the newest word
 * wins). STORE_INSERTED, STORE_UPDATED or STORE_UNCHANGED (store_roster.h). */
CB_NODISCARD int store_wechat_bind(store_t *st, int64_t person_id, const char *openid,
                                   const char *source, int64_t now);

/* The openid for a message to person 'person_id' (0: none) or, when that person has
 * none, to a person with the phone 'phone' (the household's shared phone):
 * CB_OK with it in 'out', CB_ENOTFOUND when nobody there is bound. A message to no
 * person whose recipient is not a phone is to that openid itself (the answer to an
 * account not bound yet, bot/wechat_bind.h). */
CB_NODISCARD int store_wechat_openid(store_t *st, int64_t person_id, const char *phone,
                                     char *out, size_t outlen);

/* The person bound to 'openid': CB_OK with *person_id and their phone in 'phone' (""
 * when none), CB_ENOTFOUND. */
CB_NODISCARD int store_wechat_person(store_t *st, const char *openid, int64_t *person_id,
                                     char *phone, size_t phonelen);

/* The people of campaign 'campaign', unpaid or paid, whose ID number ends with
 * 'suffix' (6 to 18 characters, X upper case): *n is 0, 1 or 2 (two or more), with
 * the first in *person_id and *bound 1 when that one has an openid already. Uses the
 * index on the last 6 characters (migration 12). */
CB_NODISCARD int store_wechat_match(store_t *st, int64_t campaign, const char *suffix,
                                    int *n, int64_t *person_id, int *bound);

/* Binding answers (template wechat_bind) queued to the openid 'openid' itself (not
 * bound) since 'since': the attempts it made. */
CB_NODISCARD int store_wechat_attempts(store_t *st, const char *openid, int64_t since,
                                       int64_t *n);

/* The newest outbox row that was accepted with 'gateway_id': CB_OK and *id, or
 * CB_ENOTFOUND. */
CB_NODISCARD int store_outbox_by_gateway(store_t *st, const char *gateway_id, int64_t *id);

#endif
