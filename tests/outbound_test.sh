#!/usr/bin/env bash
# Outbound messaging against real peers: cb_test_gateway (two instances: a primary and a
# backup SMS gateway, plus robots and a signed webhook) for failover, the breaker,
# backoff, Retry-After, and a kill -9 of the dispatcher mid-run; then a real Kannel
# (bearerbox + smsbox + fakesmsc) that must receive every reminder once, text exact.
# usage: outbound_test.sh CANBAO CB_TEST_GATEWAY SOURCE_DIR
set -u
canbao=$1
gwbin=$2
src=$3
. "$src/tests/lib.sh"
. "$src/tests/gateway/gateway.sh"
kannel=$src/tests/kannel/kannel.sh
dir=$(mktemp -d)
kstarted=0 bpid=
cleanup() {
    [ $kstarted = 1 ] && "$kannel" stop "$dir/k" >/dev/null 2>&1
    [ -n "$bpid" ] && kill "$bpid" 2>/dev/null && wait "$bpid" 2>/dev/null
    gateway_stop >/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "gateway_stop; [ \$kstarted = 1 ] && \"\$kannel\" stop \"\$dir/k\"; echo kept \$dir" EXIT
trap 'exit 1' INT TERM
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
field() { sed -n "s/.*$1 \([0-9]*\).*/\1/p" | head -1; }
at() { local t=$1; shift; "$canbao" --db "$dir/t.db" --now "$t" "$@"; }
db() { sqlite3 "$dir/t.db" "$1"; }

"$canbao" --db "$dir/t.db" init --policy "$src/examples/lengshi-2024.json" >/dev/null
"$canbao" --db "$dir/t.db" import roster "$src/examples/roster-lengshi-sample.csv" \
    --report "$dir/rej.csv" >/dev/null

# The backup gateway, then the primary (gateway.sh keeps the last one in GW_*).
mkdir -p "$dir/b" "$dir/p"
gateway_start "$gwbin" "$dir/b" --log "$dir/b/log" || exit 1
bpid=$GW_PID backup=$GW_URL
gateway_start "$gwbin" "$dir/p" --log "$dir/p/log" || exit 1
primary=$GW_URL
control() { curl -s -X POST -d "$1" "$primary/control" >/dev/null; }
stat() { curl -s "$primary/stats" | json "d['endpoints']['$1']['$2']"; }
cat >"$dir/cfg.json" <<EOF
{
  "channels": [
    {"name": "sms1", "type": "http_sms", "url": "$primary/sms", "signature": "【冷市医保】",
     "optout_suffix": "回T退订", "success_field": "code", "success_value": "OK",
     "gateway_id_field": "message_id", "rate": 5000, "burst": 500},
    {"name": "sms2", "type": "http_sms", "url": "$backup/sms", "signature": "【冷市医保】",
     "optout_suffix": "回T退订", "success_field": "code", "success_value": "OK",
     "gateway_id_field": "message_id", "rate": 5000, "burst": 500},
    {"name": "hook", "type": "webhook", "url": "$primary/webhook", "secret": "canbao-test-secret"}
  ],
  "routes": {"sms": ["sms1", "sms2"]},
  "dispatch": {"lease_s": 5, "concurrency": 16}
}
EOF

# 1. All up: every message reaches the primary once, with the gateway's id recorded.
n=$(at "2023-11-20 10:00" send --template remind_periodic --to unpaid:village=冷市镇/南华村 \
    --config "$dir/cfg.json" | field 'new in the outbox')
out=$(at "2023-11-20 10:00" dispatch --once --config "$dir/cfg.json")
check "all sent to the primary" "$n" "$(echo "$out" | field 'sent')"
check "primary logged each once" "$n 0" "$(grep -c '"endpoint":"sms"' "$dir/p/log") $(stat sms duplicates)"
check "gateway ids recorded" "$n" "$(db "SELECT count(*) FROM outbox WHERE gateway_id LIKE 'gw-%'")"
check "the text is signed and carries the opt-out" "$n" \
    "$(grep '"endpoint":"sms"' "$dir/p/log" | grep -c '"text":"【冷市医保】.*回T退订"')"

# 1b. Robots and the signed webhook: the gateway checks each request's shape and signature.
cat >"$dir/rcfg.json" <<EOF2
{
  "channels": [
    {"name": "wecom", "type": "wecom", "url": "$primary/wecom/send?key=k1", "rate": 1000, "burst": 100},
    {"name": "dingtalk", "type": "dingtalk", "url": "$primary/dingtalk/send?access_token=t1",
     "secret": "canbao-test-secret", "rate": 1000, "burst": 100},
    {"name": "hook", "type": "webhook", "url": "$primary/webhook", "secret_env": "CB_TEST_HOOK_SECRET"}
  ]
}
EOF2
export CB_TEST_HOOK_SECRET=canbao-test-secret
for route in wecom dingtalk hook; do
    nr=$(at "2023-11-20 11:00" send --template remind_periodic --to unpaid:village=冷市镇/金阳村 \
        --route $route --config "$dir/rcfg.json" | field 'new in the outbox')
    out=$(at "2023-11-20 11:00" dispatch --once --config "$dir/rcfg.json")
    ep=$route; [ $route = hook ] && ep=webhook
    check "$route: all accepted by the gateway's checks" "$nr $nr 0" \
        "$(echo "$out" | field 'sent') $(stat $ep accepted) $(stat $ep rejected)"
done

# 2. Primary down (503): failover to the backup, and the breaker stops trying the primary.
control '{"mode":"5xx"}'
n2=$(at "2023-11-21 10:00" send --template deadline_near --to unpaid --config "$dir/cfg.json" \
    | field 'new in the outbox')
out=$(at "2023-11-21 10:00" dispatch --once --config "$dir/cfg.json")
sent=$(echo "$out" | field 'sent') deferred=$(echo "$out" | field 'deferred')
check "failover: everything due went out on the backup" "$n2" "$((sent + deferred))"
check "backup logged what was sent" "$sent" "$(grep -c '"endpoint":"sms"' "$dir/b/log")"
faulted=$(stat sms faulted)
check "all sent on the backup" "$sent" "$(db "SELECT count(*) FROM outbox WHERE channel = 'sms2'")"
check "each failed try on the primary recorded on its message" "$faulted" \
    "$(db "SELECT count(*) FROM outbox WHERE channel = 'sms2' AND channels_tried = 'sms1'")"
check "the breaker spared the primary most requests" 1 \
    "$([ "$faulted" -ge 5 ] && [ "$faulted" -le 40 ] && echo 1 || echo "$faulted")"
check "deferred ones are the daily cap's" "$deferred" \
    "$(db "SELECT count(*) FROM outbox WHERE status = 'queued' AND error = 'daily cap reached'")"

# 3. Only the primary, flaky then rate-limited: retries with backoff, Retry-After honoured.
control '{"mode":"flaky","fail_every":3}'
n3=$(at "2023-11-22 10:00" send --template last_day --to unpaid:village=冷市镇/文昌村 --route sms1 \
    --config "$dir/cfg.json" | field 'new in the outbox')
out=$(at "2023-11-22 10:00" dispatch --once --config "$dir/cfg.json")
retried=$(echo "$out" | field 'retried')
check "flaky: some retried" 1 "$([ "$retried" -gt 0 ] && echo 1)"
check "retries wait 15-30 s" "$retried" \
    "$(db "SELECT count(*) FROM outbox WHERE key LIKE 'send:last_day:%' AND status = 'queued'
           AND error LIKE 'HTTP 503%' AND next_at BETWEEN strftime('%s','2023-11-22 02:00:15')
           AND strftime('%s','2023-11-22 02:00:40')")"
control '{"mode":"ok"}'
out=$(at "2023-11-22 10:05" dispatch --once --config "$dir/cfg.json")
check "after the backoff the rest go" "$n3" \
    "$(db "SELECT count(*) FROM outbox WHERE key LIKE 'send:last_day:%' AND status = 'sent'")"
control '{"mode":"429","retry_after":120}'
db "UPDATE outbox SET status = 'queued', next_at = 0, class = 'notice' WHERE id = (SELECT max(id) FROM outbox)"
at "2023-11-22 11:00" dispatch --once --config "$dir/cfg.json" >/dev/null
check "429 waits for Retry-After" 1 \
    "$(db "SELECT next_at >= strftime('%s','2023-11-22 03:02:00') FROM outbox WHERE id = (SELECT max(id) FROM outbox)")"
control '{"mode":"ok"}'

# 4. kill -9 mid-run: slow gateway, kill the dispatcher, restart after the lease. Every
# message arrives; a repeat carries the same key (never a second key for one message).
control '{"mode":"slow","delay_ms":30}'
n4=$(at "2023-11-27 10:00" send --template remind_periodic --to unpaid --route sms1 \
    --config "$dir/cfg.json" | field 'new in the outbox')
# Not through 'at': a backgrounded shell function is a subshell, and kill -9 of it
# would leave the dispatcher running.
"$canbao" --db "$dir/t.db" --now "2023-11-27 10:00" dispatch --config "$dir/cfg.json" >/dev/null 2>&1 &
dpid=$!
sleep 1.5
kill -9 $dpid
wait $dpid 2>/dev/null
inflight=$(db "SELECT count(*) FROM outbox WHERE status = 'sending'")
check "the kill left rows in flight" 1 "$([ "$inflight" -gt 0 ] && echo 1)"
control '{"mode":"ok"}'
at "2023-11-27 10:01" dispatch --once --config "$dir/cfg.json" >/dev/null
check "after restart all sent" "$n4" \
    "$(db "SELECT count(*) FROM outbox WHERE template IN ('remind_periodic','household_reminder')
           AND key LIKE 'send:remind_periodic:%:2023-11-27' AND status = 'sent'")"
db "SELECT id FROM outbox WHERE key LIKE 'send:remind_periodic:%:2023-11-27'" >"$dir/ids.txt"
python3 - "$dir/p/log" "$dir/ids.txt" >"$dir/kill.txt" <<'PY'
import json, sys
ids = set(open(sys.argv[2]).read().split())
seen, by_to, repeats = set(), {}, 0
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("endpoint") != "sms" or m.get("out_id") not in ids:
        continue
    repeats += m["out_id"] in seen
    seen.add(m["out_id"])
    by_to.setdefault(m["to"], set()).add(m["out_id"])
print(len(seen), sum(1 for k in by_to.values() if len(k) > 1))
print("kill -9: %d messages sent twice with their own id" % repeats, file=sys.stderr)
PY
check "every message reached the gateway; no recipient under two keys" "$n4 0" "$(cat "$dir/kill.txt")"

# 5. Kannel: 1,000+ reminders reach fakesmsc once each with the exact decorated text.
if ! command -v bearerbox >/dev/null; then
    echo "outbound: $pass passed, $fail failed (Kannel not installed: skipped)"
    [ "$fail" -eq 0 ]
    exit
fi
"$kannel" start "$dir/k" "$primary/mo" >/dev/null || { echo "FAIL: Kannel did not start"; exit 1; }
kstarted=1
. "$dir/k/env"
export CANBAO_TEST_KANNEL_PASS=$KANNEL_PASS
cat >"$dir/kcfg.json" <<EOF
{
  "channels": [
    {"name": "kannel", "type": "kannel", "url": "$KANNEL_SENDSMS_URL", "username": "$KANNEL_USER",
     "password_env": "CANBAO_TEST_KANNEL_PASS", "max_parts": 3, "signature": "【冷市医保】",
     "optout_suffix": "回T退订", "rate": 2000, "burst": 200}
  ],
  "dispatch": {"concurrency": 16}
}
EOF
rm -f "$dir/k.db"*
"$canbao" --db "$dir/k.db" init --policy "$src/examples/lengshi-2024.json" >/dev/null
"$canbao" --db "$dir/k.db" import roster "$src/examples/roster-lengshi-sample.csv" \
    --report "$dir/rej2.csv" >/dev/null
nk=$("$canbao" --db "$dir/k.db" --now "2023-11-20 10:00" send --template remind_periodic \
    --to unpaid --config "$dir/kcfg.json" | field 'new in the outbox')
check "at least 1000 reminders" 1 "$([ "$nk" -ge 1000 ] && echo 1)"
out=$("$canbao" --db "$dir/k.db" --now "2023-11-20 10:00" dispatch --once --config "$dir/kcfg.json")
check "Kannel accepted them all" "$nk" "$(echo "$out" | field 'sent')"
sqlite3 -json "$dir/k.db" "SELECT recipient AS 'to', text FROM outbox" >"$dir/expected.json"
cat >"$dir/arrived.py" <<'PY'
import json, subprocess, sys
want = json.load(open(sys.argv[1]))
got = subprocess.run(["python3", sys.argv[3], sys.argv[2]], capture_output=True,
                     text=True).stdout.splitlines()
sys.exit(0 if len(got) >= len(want) else 1)
PY
until_ok 60 python3 "$dir/arrived.py" "$dir/expected.json" "$FAKESMSC_LOG" \
    "$src/tests/kannel/fakesmsc_decode.py"
python3 - "$dir/expected.json" "$FAKESMSC_LOG" "$src/tests/kannel/fakesmsc_decode.py" >"$dir/k.txt" <<'PY'
import collections, json, subprocess, sys
want = collections.Counter((m["to"], "【冷市医保】" + m["text"] + "回T退订")
                           for m in json.load(open(sys.argv[1])))
got = collections.Counter((m["to"], m["text"]) for m in
      map(json.loads, subprocess.run(["python3", sys.argv[3], sys.argv[2]],
          capture_output=True, text=True).stdout.splitlines()))
print(sum(want.values()), sum(got.values()), sum((got - want).values()), sum((want - got).values()),
      max(got.values(), default=0))
PY
check "fakesmsc got every reminder once, text exact (want got extra missing max)" \
    "$nk $nk 0 0 1" "$(cat "$dir/k.txt")"

echo "outbound: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
