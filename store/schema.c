/* SPDX-License-Identifier: MIT */
/* schema.c - the schema as an append-only list of migrations. */
#include "store/schema.h"

#include <stddef.h>

/*
 * Append-only: never edit a shipped entry, add a new one. Each runs in its own
 * transaction and sets PRAGMA user_version to its index + 1.
 *
 * person.id is a plain rowid in import order; person.key is the ID number's first
 * 17 digits as an integer (core/idcard.h). A random-order key over a big table
 * would make every roster insert touch a random page, while the small unique index
 * on 'key' stays in the page cache.
 *
 * Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit just the same, but
 * a statement can no longer fail half-way on one, so SQLite does not open a statement
 * journal for every insert (a sixth of a roster import's time).
 */
static const char *const migrations[] = {
    /* 1: the roster, campaigns, payments, waivers and the audit log */
    "CREATE TABLE campaign("
    "  id INTEGER PRIMARY KEY,"
    "  year INTEGER NOT NULL UNIQUE,"
    "  county TEXT NOT NULL,"
    "  policy TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE area("
    "  id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER REFERENCES area(id) DEFERRABLE INITIALLY DEFERRED,"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3)," /* 1 township, 2 village, 3 group */
    "  name TEXT NOT NULL,"
    "  code TEXT);"
    "CREATE UNIQUE INDEX area_name ON area(ifnull(parent_id, 0), name);"
    "CREATE TABLE target("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) DEFERRABLE INITIALLY DEFERRED,"
    "  target INTEGER NOT NULL CHECK (target >= 0),"
    "  registered INTEGER,"
    "  PRIMARY KEY (campaign_id, area_id)) WITHOUT ROWID;"
    "CREATE TABLE household("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE);"
    "CREATE TABLE person("
    "  id INTEGER PRIMARY KEY,"
    "  key INTEGER NOT NULL UNIQUE,"
    "  id_number TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  phone TEXT,"
    "  household_id INTEGER REFERENCES household(id) DEFERRABLE INITIALLY DEFERRED,"
    "  relation TEXT,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) DEFERRABLE INITIALLY DEFERRED,"
    "  birth_date TEXT,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX person_household ON person(household_id);"
    "CREATE TABLE enrolment("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    /* Not "status IN (...)": SQLite builds an ephemeral index for an IN list on every
     * insert, which cost a tenth of a roster import. */
    "  status TEXT NOT NULL CHECK (status = 'unpaid' OR status = 'paid' OR status = 'waived'"
    "    OR status = 'employee_insured' OR status = 'insured_elsewhere' OR status = 'deceased'),"
    "  categories TEXT NOT NULL DEFAULT '',"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (campaign_id, person_id)) WITHOUT ROWID;"
    "CREATE TABLE payment("
    "  id INTEGER PRIMARY KEY,"
    "  receipt TEXT NOT NULL UNIQUE,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  id_number TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL,"
    "  channel TEXT,"
    "  paid_at TEXT,"
    "  source TEXT NOT NULL,"
    "  problem TEXT," /* NULL when matched; else why it is kept for reconciliation */
    "  received_at INTEGER NOT NULL);"
    "CREATE INDEX payment_person ON payment(person_id);"
    "CREATE TABLE waiver("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  reason INTEGER CHECK (reason BETWEEN 1 AND 4),"
    "  reason_text TEXT,"
    "  state TEXT NOT NULL CHECK (state IN ('pending','confirmed','withdrawn')),"
    "  requested_at INTEGER NOT NULL,"
    "  confirmed_by TEXT,"
    "  confirmed_at INTEGER);"
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  campaign_id INTEGER REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  field TEXT NOT NULL,"
    "  old TEXT,"
    "  new TEXT,"
    "  source TEXT NOT NULL);"
    "CREATE INDEX audit_person ON audit(person_id);",
    /* 2: the outbox (every outbound message is a row first) and opt-outs.
     * next_at is when a queued row is due, or when the lease of a sending row
     * expires: one index serves both the claim and the reclaim of stale leases.
     * Opt-outs are by route kind ("sms", "robot") and recipient, not by person, so
     * they survive re-imports and cover every gateway of that kind. */
    "CREATE TABLE outbox("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  campaign_id INTEGER REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  route TEXT NOT NULL,"
    "  class TEXT NOT NULL CHECK (class = 'reminder' OR class = 'reply' OR class = 'notice'),"
    "  recipient TEXT NOT NULL,"
    "  template TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status = 'queued' OR status = 'sending' OR status = 'sent'"
    "    OR status = 'delivered' OR status = 'failed'),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL,"
    "  channel TEXT,"
    "  channels_tried TEXT,"
    "  gateway_id TEXT,"
    "  parts INTEGER,"
    "  error TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  sent_at INTEGER,"
    "  done_at INTEGER);"
    "CREATE INDEX outbox_due ON outbox(status, next_at);"
    "CREATE INDEX outbox_recipient ON outbox(recipient, sent_at);"
    "CREATE TABLE optout("
    "  kind TEXT NOT NULL,"
    "  recipient TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  PRIMARY KEY (kind, recipient)) WITHOUT ROWID;",
    /* 3: the bot's side of the conversation (bot/reply.h). Inbound replies are kept
     * once by the gateway's message id: a replayed callback finds its row and changes
     * nothing. A claim ("I paid", "I have employee insurance") is something for a
     * worker to verify, never a payment; one open claim per person and kind, a
     * repeated claim updates it. A conversation is the one open question per person
     * (the waiver reason, a survey step) and lapses at expires_at. Handoffs are texts
     * the bot did not understand, for the person's grid worker; msg_id leads to the
     * sender's phone when the sender is not on the roster (person_id NULL).
     * person.phone gets an index: every inbound reply looks its sender up. At most
     * one waiver per person and campaign is live (pending or confirmed). */
    "CREATE INDEX person_phone ON person(phone) WHERE phone IS NOT NULL;"
    "CREATE TABLE inbound("
    "  msg_id TEXT PRIMARY KEY,"
    "  channel TEXT NOT NULL,"
    "  sender TEXT NOT NULL,"
    "  person_id INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  text TEXT NOT NULL,"
    "  intent TEXT,"
    "  received_at INTEGER NOT NULL);"
    "CREATE TABLE claim("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT NOT NULL CHECK (kind = 'paid' OR kind = 'employee' OR kind = 'unit'"
    "    OR kind = 'other_place' OR kind = 'school'),"
    "  receipt TEXT,"
    "  text TEXT,"
    "  state TEXT NOT NULL CHECK (state = 'open' OR state = 'verified' OR state = 'rejected'),"
    "  created_at INTEGER NOT NULL,"
    "  resolved_by TEXT,"
    "  resolved_at INTEGER);"
    "CREATE UNIQUE INDEX claim_open ON claim(campaign_id, person_id, kind) WHERE state = 'open';"
    "CREATE INDEX claim_state ON claim(campaign_id, state);"
    "CREATE TABLE survey("
    "  name TEXT PRIMARY KEY,"
    "  definition TEXT NOT NULL,"
    "  started_at INTEGER NOT NULL);"
    "CREATE TABLE survey_answer("
    "  survey TEXT NOT NULL REFERENCES survey(name) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  step INTEGER NOT NULL,"
    "  choice INTEGER," /* 1-based; NULL for a free-text answer */
    "  text TEXT,"
    "  at INTEGER NOT NULL,"
    "  PRIMARY KEY (survey, person_id, step)) WITHOUT ROWID;"
    "CREATE TABLE conversation("
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  state TEXT NOT NULL CHECK (state = 'waiver_reason' OR state = 'survey'),"
    "  survey TEXT REFERENCES survey(name) DEFERRABLE INITIALLY DEFERRED,"
    "  step INTEGER NOT NULL DEFAULT 0," /* 0-based question of the survey */
    "  expires_at INTEGER NOT NULL,"
    "  PRIMARY KEY (person_id, campaign_id)) WITHOUT ROWID;"
    "CREATE TABLE handoff("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  msg_id TEXT REFERENCES inbound(msg_id) DEFERRABLE INITIALLY DEFERRED,"
    "  text TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  resolved_at INTEGER);"
    "CREATE INDEX handoff_open ON handoff(resolved_at, person_id);"
    "CREATE UNIQUE INDEX waiver_live ON waiver(campaign_id, person_id) WHERE state <> 'withdrawn';",
    /* 4: campaign jobs (jobs/jobs.h). Grid workers and the areas they answer for: a
     * village (包村), a group (包组) or single households (包户); the most specific
     * scope wins. A visit is a worker's report from the field, one row per visit. A
     * job_run is one run of a scheduled job, unique by its due slot, so a slot runs
     * once however often the daemon restarts. A report's figures per area are kept
     * so the next report can say what changed. lapse holds the dates people's
     * employee insurance ended (the 90-day late window counts from them). */
    "CREATE TABLE worker("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  phone TEXT,"
    "  route TEXT,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE worker_scope("
    "  worker_id INTEGER NOT NULL REFERENCES worker(id) DEFERRABLE INITIALLY DEFERRED,"
    "  area_id INTEGER REFERENCES area(id) DEFERRABLE INITIALLY DEFERRED,"
    "  household_id INTEGER REFERENCES household(id) DEFERRABLE INITIALLY DEFERRED,"
    "  CHECK ((area_id IS NULL) <> (household_id IS NULL)));"
    "CREATE UNIQUE INDEX worker_scope_one ON worker_scope(worker_id, ifnull(area_id, 0),"
    "  ifnull(household_id, 0));"
    "CREATE INDEX worker_scope_area ON worker_scope(area_id);"
    "CREATE INDEX worker_scope_household ON worker_scope(household_id);"
    "CREATE TABLE visit("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  household_id INTEGER NOT NULL REFERENCES household(id) DEFERRABLE INITIALLY DEFERRED,"
    "  worker_id INTEGER NOT NULL REFERENCES worker(id) DEFERRABLE INITIALLY DEFERRED,"
    "  outcome TEXT NOT NULL CHECK (outcome = 'paid' OR outcome = 'promised'"
    "    OR outcome = 'waived' OR outcome = 'away' OR outcome = 'refused'),"
    "  note TEXT,"
    "  day TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX visit_household ON visit(household_id, at);"
    "CREATE TABLE job_run("
    "  id INTEGER PRIMARY KEY,"
    "  job TEXT NOT NULL,"
    "  due_at INTEGER NOT NULL,"
    "  started_at INTEGER NOT NULL,"
    "  ended_at INTEGER,"
    "  queued INTEGER NOT NULL DEFAULT 0,"
    "  summary TEXT,"
    "  error TEXT);"
    "CREATE UNIQUE INDEX job_run_slot ON job_run(job, due_at);"
    "CREATE TABLE report("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  day TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE TABLE report_area("
    "  report_id INTEGER NOT NULL REFERENCES report(id) DEFERRABLE INITIALLY DEFERRED,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) DEFERRABLE INITIALLY DEFERRED,"
    "  registered INTEGER NOT NULL,"
    "  target INTEGER NOT NULL,"
    "  paid INTEGER NOT NULL,"
    "  covered INTEGER NOT NULL,"
    "  unpaid INTEGER NOT NULL,"
    "  rank INTEGER,"
    "  PRIMARY KEY (report_id, area_id)) WITHOUT ROWID;"
    "CREATE TABLE lapse("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  lapse_date TEXT NOT NULL,"
    "  PRIMARY KEY (campaign_id, person_id)) WITHOUT ROWID;",
    /* 5: grid workers' to-do lists (jobs/todo.h). todo_item keeps the positions of
     * the list a worker was sent on a day, so a reply "3 已缴" names the household
     * the worker saw as number 3 even after the ranking has moved on. Workers are
     * looked up by phone for every inbound reply. */
    "CREATE TABLE todo_item("
    "  worker_id INTEGER NOT NULL REFERENCES worker(id) DEFERRABLE INITIALLY DEFERRED,"
    "  day TEXT NOT NULL,"
    "  pos INTEGER NOT NULL CHECK (pos >= 1),"
    "  household_id INTEGER NOT NULL REFERENCES household(id) DEFERRABLE INITIALLY DEFERRED,"
    "  PRIMARY KEY (worker_id, day, pos)) WITHOUT ROWID;"
    "CREATE INDEX worker_phone ON worker(phone) WHERE phone IS NOT NULL;",
    /* 6: people by area, for the grid workers' lists: a worker's villages and groups
     * are read without scanning the county. Dropped during bulk roster loads and
     * built once at the end, like person_phone. And the outbox by sending time. */
    "CREATE INDEX person_area ON person(area_id);"
    /* Messages by the time they went out: what reached whom on a day. */
    "CREATE INDEX outbox_sent ON outbox(sent_at) WHERE sent_at IS NOT NULL;",
    /* 7: who resolved a handoff (a worker by hand, or by visiting the household). */
    "ALTER TABLE handoff ADD COLUMN resolved_by TEXT;",
    /* 8: the calendar of payments (bot/payment.h): the day a payment was made
     * (paid_on, from the source's paid_at), and for one outside the window the late
     * rule it was taken under ('late': "late_enrolment", a late window's name, or
     * "extension") with its first day of cover. Milestones count payments by paid_on.
     * person_flag: list flags such as the people a window extension covers. */
    "ALTER TABLE payment ADD COLUMN paid_on TEXT;"
    "ALTER TABLE payment ADD COLUMN late TEXT;"
    "ALTER TABLE payment ADD COLUMN cover_from TEXT;"
    "CREATE TABLE person_flag("
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  flag TEXT NOT NULL,"
    "  PRIMARY KEY (campaign_id, person_id, flag)) WITHOUT ROWID;",
    /* 9: reconciliation (app/cli_reconcile.c). A claim may now report a death
     * ("deceased": a worker verifies it and the person becomes deceased), and keeps the
     * payment that settled it: a receipt for a person with an open 'paid' claim verifies
     * the claim, one for a person whose claim a worker verified closes it instead of
     * counting as a second payment. A visit may report a death or insurance elsewhere
     * (each opens a claim to verify). A payment keeps the payer's name as the source
     * gave it, compared with the roster's (人、票、款、信息四相符). SQLite cannot
     * change a CHECK: claim and visit are rebuilt (nothing refers to them). */
    "CREATE TABLE claim_new("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  person_id INTEGER NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  kind TEXT NOT NULL CHECK (kind = 'paid' OR kind = 'employee' OR kind = 'unit'"
    "    OR kind = 'other_place' OR kind = 'school' OR kind = 'deceased'),"
    "  receipt TEXT,"
    "  text TEXT,"
    "  state TEXT NOT NULL CHECK (state = 'open' OR state = 'verified' OR state = 'rejected'),"
    "  created_at INTEGER NOT NULL,"
    "  resolved_by TEXT,"
    "  resolved_at INTEGER,"
    "  payment_id INTEGER REFERENCES payment(id) DEFERRABLE INITIALLY DEFERRED);"
    "INSERT INTO claim_new(id, campaign_id, person_id, kind, receipt, text, state, created_at,"
    "  resolved_by, resolved_at) SELECT id, campaign_id, person_id, kind, receipt, text, state,"
    "  created_at, resolved_by, resolved_at FROM claim;"
    "DROP TABLE claim;"
    "ALTER TABLE claim_new RENAME TO claim;"
    "CREATE UNIQUE INDEX claim_open ON claim(campaign_id, person_id, kind) WHERE state = 'open';"
    "CREATE INDEX claim_state ON claim(campaign_id, state);"
    "CREATE INDEX claim_person ON claim(person_id);"
    "CREATE TABLE visit_new("
    "  id INTEGER PRIMARY KEY,"
    "  campaign_id INTEGER NOT NULL REFERENCES campaign(id) DEFERRABLE INITIALLY DEFERRED,"
    "  household_id INTEGER NOT NULL REFERENCES household(id) DEFERRABLE INITIALLY DEFERRED,"
    "  worker_id INTEGER NOT NULL REFERENCES worker(id) DEFERRABLE INITIALLY DEFERRED,"
    "  outcome TEXT NOT NULL CHECK (outcome = 'paid' OR outcome = 'promised'"
    "    OR outcome = 'waived' OR outcome = 'away' OR outcome = 'refused'"
    "    OR outcome = 'deceased' OR outcome = 'insured_elsewhere'),"
    "  note TEXT,"
    "  day TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "INSERT INTO visit_new SELECT * FROM visit;"
    "DROP TABLE visit;"
    "ALTER TABLE visit_new RENAME TO visit;"
    "CREATE INDEX visit_household ON visit(household_id, at);"
    "ALTER TABLE payment ADD COLUMN name TEXT;",
    /* 10: the cloud SMS channels send the provider's template, not text: a message's
     * variables (a JSON object of strings, templates/tpl.h tpl_ctx_json) travel with
     * it. And Tencent's delivery reports name a message by its SerialNo. */
    "ALTER TABLE outbox ADD COLUMN vars TEXT;"
    /* 11: messages to cadres in WeCom / DingTalk and to residents in WeChat. A worker's
     * userids in the two apps (the wecom_app and dingtalk_work channels send to them);
     * a resident's Official Account openid (the wechat_mp channel sends to it), one
     * per person and one person per openid, from 'import openids' or a binding reply;
     * the outbox by gateway id: WeChat's delivery push names the msgid it answered. */
    "ALTER TABLE worker ADD COLUMN wecom_userid TEXT;"
    "ALTER TABLE worker ADD COLUMN dingtalk_userid TEXT;"
    "CREATE TABLE wechat_bind("
    "  person_id INTEGER PRIMARY KEY REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,"
    "  openid TEXT NOT NULL UNIQUE,"
    "  source TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX outbox_gateway ON outbox(gateway_id) WHERE gateway_id IS NOT NULL;",
    /* 12: what became of a message is learnt by asking the provider on the channels
     * that can be polled (dingtalk_work's getsendresult): a sent row's next question
     * (poll_at, NULL when none is due: delivered, failed, or given up) and how many
     * it has had. The index holds only the rows awaiting one. */
    "ALTER TABLE outbox ADD COLUMN poll_at INTEGER;"
    "ALTER TABLE outbox ADD COLUMN polls INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX outbox_poll ON outbox(poll_at) WHERE poll_at IS NOT NULL;"
    /* A resident binds their WeChat account by replying with the last 6 characters of
     * their ID number (bot/wechat_bind.c): people by those. */
    "CREATE INDEX person_id_tail ON person(substr(id_number, -6));",
};

size_t schema_count(void)
{
    return sizeof migrations / sizeof migrations[0];
}

const char *schema_migration(size_t i)
{
    return i < schema_count() ? migrations[i] : NULL;
}
