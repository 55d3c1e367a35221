#!/usr/bin/env bash
# The cloud SMS channels end to end against tests/gateway/cloudsms_double.py, which checks
# every request's ACS3 / TC3 signature as the providers do and pushes delivery reports and
# replies back to canbao serve: reminders go out as provider templates and come back
# delivered (Aliyun by OutId, Tencent by SerialNo); the pushes need the channel's secret;
# a resident's reply reaches the bot and its answer goes out as a template; Aliyun down
# fails over to Tencent on the same route; start-up refuses an unmapped template;
# one template's messages go in batches (ceil(N/100) Aliyun, ceil(N/200) Tencent requests,
# counted by the double) and a bad number in a batch fails its own row only.
# usage: cloudsms_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
. "$src/tests/lib.sh"
. "$src/tests/gateway/gateway.sh"
dir=$(mktemp -d)
spid=
cleanup() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    gateway_stop >/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cb() { "$canbao" --db "$dir/t.db" "$@"; }
db() { sqlite3 "$dir/t.db" "$1"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

python3 "$src/tests/gateway/cloudsms_double.py" --selftest >/dev/null
check "the double's signature code reproduces both providers' documented examples" 0 $?
cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null

gateway_start "$src/tests/gateway/cloudsms_double.py" "$dir" --log "$dir/double.log" \
    --push-delay 0.5 || exit 1
double=$GW_URL
export CB_TEST_ALIYUN_SECRET=aliyun-test-secret CB_TEST_TENCENT_KEY=tencent-test-key
# mkcfg OUT ROUTE [DROP] [PORT]: both channels, every SMS template mapped (DROP left
# out); with PORT, serve listens there and nothing holds a batch back (no rate limit,
# concurrency above the batch size).
mkcfg() {
    python3 - "$1" "$double" "$2" "${3:-}" "${4:-}" <<'PY'
import json, sys
out, url, route, drop, port = sys.argv[1:]
names = ["window_open", "remind_periodic", "deadline_near", "last_day", "household_reminder",
         "payment_thanks", "waiver_ack", "survey_question", "survey_thanks",
         "waiver_reason_question", "optout_ack", "milestone_near", "newborn_reminder",
         "lapse_reminder", "department_notice", "claim_ack", "answer_amount", "answer_channels",
         "answer_deadline", "answer_subsidy", "answer_status", "answer_newborn", "deceased_ack"]
person = {"remind_periodic", "answer_amount", "payment_thanks"}
ali, tc = {}, {}
for i, n in enumerate(names):
    if n == drop:
        continue
    if n in person:
        ali[n] = {"code": "SMS_%d" % (100 + i), "content": "${name}您好，请于${deadline}前缴纳${amount}元。",
                  "params": {"name": "name", "deadline": "deadline", "amount": "amount_yuan"}}
        tc[n] = {"code": str(1100 + i), "content": "{1}您好，请于{2}前缴纳{3}元。",
                 "params": ["name", "deadline", "amount_yuan"]}
    else:
        ali[n] = {"code": "SMS_%d" % (100 + i), "content": "${county}医保：截止${deadline}。",
                  "params": {"county": "county", "deadline": "deadline"}}
        tc[n] = {"code": str(1100 + i), "content": "{1}医保：截止{2}。", "params": ["county", "deadline"]}
cfg = {"channels": [
    {"name": "ali", "type": "aliyun_sms", "url": url + "/aliyun/", "access_key_id": "LTAItest",
     "access_key_secret_env": "CB_TEST_ALIYUN_SECRET", "sign_name": "冷市医保",
     "callback_secret": "cb-ali", "templates": ali, "rate": 500, "burst": 50},
    {"name": "tc", "type": "tencent_sms", "url": url + "/tencent/", "secret_id": "AKIDtest",
     "secret_key_env": "CB_TEST_TENCENT_KEY", "sdk_app_id": "1400006666", "sign_name": "冷市医保",
     "callback_secret": "cb-tc", "templates": tc, "rate": 500, "burst": 50}],
    "routes": {"sms": route.split(",")},
    "dispatch": {"quiet_hours": "off", "cap_day": 0, "cap_week": 0, "breaker_threshold": 2},
    "serve": {"listen": "127.0.0.1:0"}}
if port:
    cfg["serve"]["listen"] = "127.0.0.1:" + port
    cfg["dispatch"].update({"concurrency": 1000, "claim": 1000})
    for c in cfg["channels"]:
        c.update({"rate": 100000, "burst": 100000})
json.dump(cfg, open(out, "w"), ensure_ascii=False)
PY
}
start_serve() {
    rm -f "$dir/serve.out"
    "$canbao" --db "$dir/t.db" serve --config "$1" >"$dir/serve.out" 2>"$dir/serve.err" &
    spid=$!
    until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
    url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
}
stop_serve() { kill -TERM "$spid"; wait "$spid"; local rc=$?; spid=; return $rc; }

# 0. Start-up refuses a template without a mapping, naming channel and template.
mkcfg "$dir/bad.json" ali waiver_ack
out=$(cb send --template remind_periodic --to unpaid:village=冷市镇/南华村 --config "$dir/bad.json" 2>&1)
check "an unmapped canbao template is refused at start-up" 1 \
    "$(echo "$out" | grep -c "channel 'ali': canbao template waiver_ack has no provider template")"

# 1. Aliyun: reminders go out as SMS_101 with the resident's values, come back delivered.
mkcfg "$dir/ali.json" ali
start_serve "$dir/ali.json"
curl -s -X POST -d "{\"aliyun_report\": \"$url/hooks/aliyun/report?channel=ali&secret=cb-ali\",
  \"aliyun_mo\": \"$url/hooks/aliyun/mo?channel=ali&secret=cb-ali\",
  \"tencent_status\": \"$url/hooks/tencent/status?channel=tc&secret=cb-tc\",
  \"tencent_reply\": \"$url/hooks/tencent/reply?channel=tc&secret=cb-tc\"}" "$double/control" >/dev/null
n=$(cb send --template remind_periodic --to unpaid:village=冷市镇/南华村 --config "$dir/ali.json" \
    | sed -n 's/.*new in the outbox \([0-9]*\).*/\1/p')
delivered() { test "$(db "SELECT count(*) FROM outbox WHERE status = 'delivered' AND channel = '$1'")" = "$2"; }
until_ok 30 delivered ali "$n"
check "every reminder went through Aliyun and came back delivered" "$n" \
    "$(db "SELECT count(*) FROM outbox WHERE status = 'delivered' AND channel = 'ali'")"
check "sent as the mapped templates (single and household), signed" "$n" \
    "$(grep '"provider": "aliyun"' "$dir/double.log" | grep '"template": "SMS_10[14]"' | grep -c '"sign": "冷市医保"')"
check "with the resident's masked name and amount" "$(db "SELECT count(*) FROM outbox WHERE template = 'remind_periodic'")" \
    "$(grep '"provider": "aliyun"' "$dir/double.log" | grep '"template": "SMS_101"' | grep -c '"name": "[^"*]\*[^"]*", "deadline": "12月31日", "amount": "[0-9]')"
check "every request's signature passed (nothing refused)" "{'OK': $n}" \
    "$(curl -s "$double/stats" | json "d['aliyun']")"
check "a push without the channel's secret is refused" 401 \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '[]' "$url/hooks/aliyun/report?channel=ali&secret=no")"
check "a malformed push changes nothing" 400 \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '[{"out_id":"1"}]' "$url/hooks/aliyun/report?channel=ali&secret=cb-ali")"

# 2. A reply through Aliyun reaches the bot; the answer goes out as a template.
phone=$(db "SELECT recipient FROM outbox WHERE channel = 'ali' LIMIT 1")
curl -s -X POST -d "{\"provider\":\"aliyun\",\"from\":\"$phone\",\"text\":\"请问我要交多少钱？\"}" "$double/reply" >/dev/null
answered() { test "$(db "SELECT count(*) FROM outbox WHERE key LIKE 'reply:aliyun:%' AND status = 'delivered'")" = 1; }
until_ok 30 answered
check "a resident's reply reached the bot and its answer was delivered" 1 \
    "$(db "SELECT count(*) FROM outbox WHERE key LIKE 'reply:aliyun:%' AND status = 'delivered' AND template = 'answer_amount'")"
check "the answer carries the resident's amount as a template parameter" 1 \
    "$(grep '"provider": "aliyun"' "$dir/double.log" | grep "\"to\": \"$phone\"" | grep -c '"template": "SMS_116"')"
stop_serve
check "SIGTERM stops cleanly" 0 $?

# 3. Aliyun down, Tencent on the same route: failover, delivered by SerialNo.
mkcfg "$dir/both.json" ali,tc
start_serve "$dir/both.json"
curl -s -X POST -d "{\"aliyun\": \"down\", \"tencent_status\": \"$url/hooks/tencent/status?channel=tc&secret=cb-tc\",
  \"tencent_reply\": \"$url/hooks/tencent/reply?channel=tc&secret=cb-tc\"}" "$double/control" >/dev/null
m=$(cb --now "2023-11-21 10:00" send --template deadline_near --to unpaid:village=冷市镇/南华村 --config "$dir/both.json" \
    | sed -n 's/.*new in the outbox \([0-9]*\).*/\1/p')
until_ok 60 delivered tc "$m"
check "Aliyun down: every reminder failed over to Tencent and was delivered" "$m" \
    "$(db "SELECT count(*) FROM outbox WHERE status = 'delivered' AND channel = 'tc'")"
check "failovers recorded" 1 "$(test "$(db "SELECT count(*) FROM outbox WHERE channels_tried LIKE '%ali%' AND channel = 'tc'")" -ge 1 && echo 1)"
# 4. Tencent reply: the bot answers through the route (Aliyun still down: Tencent).
curl -s -X POST -d "{\"provider\":\"tencent\",\"from\":\"$phone\",\"text\":\"R\"}" "$double/reply" >/dev/null
optout() { test "$(db "SELECT count(*) FROM optout WHERE recipient = '$phone'")" = 1; }
until_ok 30 optout
check "a Tencent reply 'R' reached the bot: opted out" 1 "$(db "SELECT count(*) FROM optout WHERE recipient = '$phone'")"
stop_serve
check "SIGTERM stops cleanly after failover" 0 $?

# 5. Batches: one template's messages share requests, <= 100 numbers an Aliyun call,
# <= 200 a Tencent one; one bad number fails its own row only.
reqs() { curl -s "$double/stats" | json "sum(d['requests'].get(a, 0) for a in '$1'.split(','))"; }
# expect TEMPLATE SIZE: the requests ceil(N/SIZE) per provider template make.
expect() { db "SELECT sum((n + $2 - 1) / $2) FROM (SELECT count(*) AS n FROM outbox WHERE key LIKE '%$1%' GROUP BY template)"; }
# (the resident who opted out in 4. is refused before any batch)
notopt="AND error NOT LIKE 'recipient opted out%'"
optouts() { db "SELECT count(*) FROM outbox WHERE key LIKE '%$1%' AND error LIKE 'recipient opted out%'"; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkcfg "$dir/batch.json" ali "" "$port"
curl -s -X POST -d "{\"aliyun\": \"ok\", \"aliyun_report\": \"http://127.0.0.1:$port/hooks/aliyun/report?channel=ali&secret=cb-ali\"}" \
    "$double/control" >/dev/null
k=$(cb send --template window_open --to unpaid:village=冷市镇/南华村 --config "$dir/batch.json" \
    | sed -n 's/.*new in the outbox \([0-9]*\).*/\1/p')
bad=$(db "SELECT max(id) FROM outbox WHERE key LIKE '%window_open%' AND recipient != '$phone'")
db "UPDATE outbox SET recipient = '19900000001' WHERE id = $bad"
before=$(reqs SendSms,SendBatchSms)
start_serve "$dir/batch.json"
settled() { test "$(db "SELECT count(*) FROM outbox WHERE key LIKE '%window_open%' AND status IN ('delivered', 'failed')")" = "$k"; }
until_ok 30 settled
check "Aliyun: $k messages of 2 templates in ceil(N/100) requests per template" "$(expect window_open 100)" \
    "$(( $(reqs SendSms,SendBatchSms) - before ))"
check "as SendBatchSms" 1 "$(test "$(reqs SendBatchSms)" -ge 2 && echo 1)"
check "the bad number's report failed its own row" "$bad MOBILE_NUMBER_ILLEGAL" \
    "$(db "SELECT id || ' ' || substr(error, 1, 21) FROM outbox WHERE key LIKE '%window_open%' AND status = 'failed' $notopt")"
check "every other row of the batch delivered (matched by BizId and number)" "$((k - 1 - $(optouts window_open)))" \
    "$(db "SELECT count(*) FROM outbox WHERE key LIKE '%window_open%' AND status = 'delivered' AND gateway_id LIKE '%^0:1%'")"
stop_serve
# 6. Tencent: one call a template and parameters, the bad number's own entry fails it.
k=$(cb send --template last_day --to unpaid:village=冷市镇/南华村 --config "$dir/batch.json" \
    | sed -n 's/.*new in the outbox \([0-9]*\).*/\1/p')
bad=$(db "SELECT max(id) FROM outbox WHERE key LIKE '%last_day%' AND recipient != '$phone'")
db "UPDATE outbox SET recipient = '19900000002' WHERE id = $bad"
mkcfg "$dir/batch_tc.json" tc "" "$port"
before=$(reqs SendSms)
cb dispatch --once --config "$dir/batch_tc.json" >/dev/null 2>&1
check "Tencent: $k messages in ceil(N/200) requests per template" "$(expect last_day 200)" \
    "$(( $(reqs SendSms) - before ))"
check "the bad number failed its own row, from its SendStatusSet entry" \
    "$bad InvalidParameterValue.IncorrectPhoneNumber" \
    "$(db "SELECT id || ' ' || substr(error, 1, 42) FROM outbox WHERE key LIKE '%last_day%' AND status = 'failed' $notopt")"
sent=$((k - 1 - $(optouts last_day)))
check "every other number sent, each with its own SerialNo" "$sent $sent" \
    "$(db "SELECT count(*) || ' ' || count(DISTINCT gateway_id) FROM outbox WHERE key LIKE '%last_day%' AND status = 'sent'")"

echo "cloudsms: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
