#!/usr/bin/env bash
# 'canbao serve' with an "mqtt" section against a real mosquitto on 127.0.0.1 (started,
# killed and restarted by this test): after signed payments the retained figures equal
# 'status --json'; kill -9 of the daemon brings its last will "offline"; a broker
# restart (without persistence: every retained message lost) in the middle of payments
# ends with correct retained figures; a daemon started while the broker is down
# answers payments at once and publishes once the broker comes up; without the
# section nothing is published.
# usage: mqtt_serve_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
. "$src/tests/lib.sh"
dir=$(mktemp -d)
mpid= spid=
cleanup() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    [ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cb() { "$canbao" --db "$dir/t.db" --today 2023-10-15 "$@"; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/mosquitto.conf" <<EOF2
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 10000
EOF2
broker_up() {
    mosquitto -c "$dir/mosquitto.conf" >>"$dir/mosquitto.log" 2>&1 &
    mpid=$!
    until_ok 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" ||
        { echo "FAIL: mosquitto did not start"; cat "$dir/mosquitto.log"; exit 1; }
}
broker_down() { kill "$mpid"; wait "$mpid" 2>/dev/null; mpid=; }
# The retained messages under canbao/anhua, one "topic payload" per line (-W ends it:
# its exit status says "timed out", which is the normal end here).
retained() { mosquitto_sub -p "$port" --retained-only -W 1 -v -t "${1:-canbao/anhua/#}" 2>/dev/null; true; }
presence() { retained canbao/anhua/status | cut -d' ' -f2; }
presence_is() { [ "$(presence)" = "$1" ]; }
# figures_match: every village's and the county's retained progress equal 'status --json'.
figures_match() {
    retained >"$dir/sub.txt"
    cb status --by village --json >"$dir/status.json" && python3 - "$dir/status.json" "$dir/sub.txt" <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))
got = {}
for line in open(sys.argv[2], encoding="utf-8"):
    topic, _, payload = line.rstrip("\n").partition(" ")
    if topic.endswith("/progress"):
        got[topic] = json.loads(payload)
villages = {(v["township"], v["name"]): v for v in got.values() if v["level"] == "village"}
ok = len(villages) == len(status["areas"])
for a in status["areas"]:
    v = villages.get((a["township"], a["village"]))
    ok = ok and v is not None and all(v[k] == a[k] for k in ("paid", "unpaid", "registered", "rank"))
c = got.get("canbao/anhua/progress")
ok = ok and c is not None and (c["paid"], c["registered"]) == (status["total"]["paid"], status["total"]["registered"])
sys.exit(0 if ok else 1)
PY
}
start_serve() { # start_serve CONFIG
    rm -f "$dir/serve.out" # not the last daemon's "listening" line, before this one truncates it
    "$canbao" --db "$dir/t.db" --today 2023-10-15 -v serve --config "$1" >"$dir/serve.out" 2>>"$dir/serve.err" &
    spid=$!
    until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
    url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
}
pay() { python3 "$src/tests/pay.py" "$url" pay-secret "$@"; }
# pays N: N unpaid people without a category (380 yuan each) not paid yet by this test.
next=0
pays() { sed -n "$((next + 1)),$((next + $1))p" "$dir/ids.txt"; next=$((next + $1)); }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" >"$dir/ids.txt" <<'PY'
import csv, sys
bad = {int(r["line"]) for r in csv.DictReader(open(sys.argv[2]))}
lines = open(sys.argv[1], "rb").read().decode("utf-8", "replace").split("\n")
head = next(csv.reader([lines[0]]))
for i, line in enumerate(lines[1:], start=2):
    if i not in bad and line:
        r = dict(zip(head, next(csv.reader([line]))))
        if r["status"] == "unpaid" and r["category"] == "":
            print(r["person_id"])
PY
check "enough unpaid residents" 1 "$([ "$(wc -l <"$dir/ids.txt")" -ge 120 ] && echo 1)"
cfg() { # cfg FILE [with mqtt]
    cat >"$1" <<EOF2
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl"}],
 "serve": {"listen": "127.0.0.1:0", "payment_secret": "pay-secret"}${2:+,
 \"mqtt\": {\"host\": \"127.0.0.1\", \"port\": $port, \"county_code\": \"anhua\"}}}
EOF2
}
cfg "$dir/plain.json"
cfg "$dir/mqtt.json" with
broker_up

# Without an mqtt section the daemon publishes nothing.
start_serve "$dir/plain.json"
check "payments without mqtt" "200 200" "$(pay $(pays 2) | xargs)"
check "nothing published without the section" "" "$(mosquitto_sub -p "$port" --retained-only -W 2 -v -t '#' 2>/dev/null)"
kill -TERM "$spid"; wait "$spid"; spid=

# Connected: presence, figures after payments (those made before included).
start_serve "$dir/mqtt.json"
until_ok 10 presence_is online
check "online on connect" online "$(presence)"
check "payments answered" "$(printf '200 %.0s' $(seq 20) | xargs)" "$(pay $(pays 20) | xargs)"
until_ok 10 figures_match
check "retained figures equal status after payments" 0 $?

# The broker restarts (its retained messages gone) while payments go on.
pay $(pays 60) >"$dir/codes.txt" &
ppid=$!
until_ok 10 test -s "$dir/codes.txt"
broker_down
sleep 1
broker_up
wait "$ppid"
check "payments during the broker restart" "60 200" "$(sort "$dir/codes.txt" | uniq -c | xargs)"
until_ok 20 figures_match
check "retained figures equal status after the broker restart" 0 $?
check "online again" online "$(presence)"

# kill -9: the broker publishes the last will.
kill -9 "$spid"; wait "$spid" 2>/dev/null; spid=
until_ok 10 presence_is offline
check "last will after kill -9" offline "$(presence)"

# Started while the broker is down: payments go on; connects and publishes once it is up.
broker_down
start_serve "$dir/mqtt.json"
start=$SECONDS
check "payments with the broker down" "$(printf '200 %.0s' $(seq 10) | xargs)" "$(pay $(pays 10) | xargs)"
check "answered at once with the broker down" 1 "$([ $((SECONDS - start)) -lt 5 ] && echo 1)"
broker_up
until_ok 20 presence_is online
check "connects once the broker is up" online "$(presence)"
until_ok 20 figures_match
check "retained figures equal status after a late connect" 0 $?

# SIGTERM: a clean stop says offline too.
kill -TERM "$spid"; wait "$spid"
check "SIGTERM exit" 0 $?
spid=
check "offline after SIGTERM" offline "$(presence)"
grep -q "connected to mqtt 127.0.0.1:$port" "$dir/serve.err"
check "the connection is logged" 0 $?

# The campaign clock moves the figures' day: started a minute before midnight at ten
# campaign minutes a second, the next payment's round publishes the next day.
rm -f "$dir/serve.out" # not the last daemon's "listening" line
"$canbao" --db "$dir/t.db" --now "2023-10-15 23:59" serve --config "$dir/mqtt.json" --speed 600 \
    >"$dir/serve.out" 2>>"$dir/serve.err" &
spid=$!
until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; exit 1; }
url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
sleep 1.5
check "a payment after midnight" 200 "$(pay $(pays 1) | xargs)"
county_day() { retained canbao/anhua/progress | cut -d' ' -f2- | python3 -c 'import json,sys; print(json.load(sys.stdin)["today"])'; }
next_day() { [ "$(county_day)" = 2023-10-16 ]; }
until_ok 10 next_day
check "the county's figures are of the next day" 2023-10-16 "$(county_day)"
kill -TERM "$spid"; wait "$spid"; spid=

echo "mqtt_serve: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
