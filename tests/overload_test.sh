#!/usr/bin/env bash
# The daemon under overload (every client on 127.0.0.0/8, bounded in time):
# - a second 'canbao serve' on the same database exits 2 naming the first one's pid;
#   once the first stops, a new one starts;
# - serve.max_per_address: connections past it from one address are closed at once;
# - serve.request_deadline_s: clients sending a header byte every 0.5 s (libmicrohttpd's
#   idle timeout never fires) are closed at the deadline;
# - 600 slow-header clients from 20 addresses, reconnecting when closed (the per-address
#   cap off, so only the deadline and the connection table protect): /healthz and
#   signed payment confirmations answer within 1 s throughout;
# - past max_connections (128: libmicrohttpd 0.9.75's epoll loop stalled whenever a
#   multiple of 128 connections were ready) busy keep-alive clients keep being served,
#   the excess is refused at once, /healthz answers within 1 s during and after, and
#   so it does past a table full of idle connections from its own address.
# Tools: tests/overload.py (the clients), tests/pay.py (signed confirmations).
# usage: overload_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
. "$src/tests/lib.sh"
dir=$(mktemp -d)
spid= lpid=
cleanup() {
    [ -n "$lpid" ] && kill "$lpid" 2>/dev/null && wait "$lpid" 2>/dev/null
    [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cb() { "$canbao" --db "$dir/t.db" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
load() { python3 "$src/tests/overload.py" "$@"; }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
# Unpaid residents owing the full 380 yuan: one signed confirmation each (tests/pay.py).
sqlite3 "$dir/t.db" "SELECT p.id_number FROM person p JOIN enrolment e ON e.person_id = p.id
                    WHERE e.status = 'unpaid' AND e.categories = '' LIMIT 40" >"$dir/ids"

config() { # config NAME SERVE-KEYS: a config whose serve section has these keys too
    cat >"$dir/$1.json" <<EOF
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl"}],
 "dispatch": {"quiet_hours": "off"},
 "serve": {"listen": "127.0.0.1:0", "payment_secret": "pay-secret"$2}}
EOF
}
start_serve() { # start_serve NAME (the last daemon's output removed first: no stale port)
    rm -f "$dir/serve.out"
    "$canbao" --db "$dir/t.db" --today 2023-11-15 serve --config "$dir/$1.json" >"$dir/serve.out" 2>"$dir/serve.err" &
    spid=$!
    until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
    url=http://127.0.0.1:$port
}
stop_serve() { kill -TERM "$spid"; wait "$spid"; local rc=$?; spid=; return $rc; }
# probe SECONDS [pay]: /healthz (with "pay" also signed confirmations, the next IDs of
# $dir/ids) every 0.3 s from 127.0.0.1 (tests/overload.py probe); prints its JSON.
probe() {
    if [ "${2:-}" = pay ]; then
        load probe "$port" --duration "$1" --ids "$dir/ids" --secret pay-secret
    else
        load probe "$port" --duration "$1"
    fi
}
# all_answered JSON: every probe got 200 within 1 s, and there was at least one.
all_answered() { echo "$1" | json '0 < d["answered"] == d["tries"]' | grep -q True; }

# One daemon per database.
config plain ""
start_serve plain
first=$spid
timeout 5 "$canbao" --db "$dir/t.db" --today 2023-11-15 serve --config "$dir/plain.json" >"$dir/second.out" 2>"$dir/second.err"
check "a second daemon on the same database exits 2" 2 $?
check "and says which process holds it" \
    "canbao serve: database $dir/t.db is in use by another canbao serve (pid $first)" \
    "$(cat "$dir/second.err")"
check "the first one still answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")"
stop_serve
start_serve plain
check "once it stopped, a new one starts" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")"
stop_serve

config bad ', "request_deadline_s": 0'
check "a request deadline of 0 is refused" \
    "canbao serve: $dir/bad.json: serve.request_deadline_s: must be a whole number from 1 to 3600" \
    "$(timeout 5 "$canbao" --db "$dir/t.db" --today 2023-11-15 serve --config "$dir/bad.json" 2>&1)"

# The per-address cap: 12 connections from 127.0.0.2 with a cap of 8.
config cap ', "max_per_address": 8'
start_serve cap
r=$(load idle "$port" --sockets 12 --first 2 --duration 1.5)
check "past max_per_address the connections are closed at once" "4 8" \
    "$(echo "$r" | json 'd["refused_at_once"], d["alive"]' | tr -d '(),')"
check "another address still gets in" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")"
stop_serve

# The request deadline: 200 clients from 10 addresses sending a header byte every 0.5 s.
config deadline ', "max_per_address": 0, "request_deadline_s": 2'
start_serve deadline
r=$(load dribble "$port" --sockets 200 --addrs 10 --interval 0.5 --duration 4.5)
check "every slow header is closed at the 2 s deadline (1.5-3.2 s)" "200 0 True" \
    "$(echo "$r" | json 'd["closed"], d["alive"], 1.5 <= d["lifetime_min"] and d["lifetime_max"] <= 3.2' | tr -d '(),')"
stop_serve

# 600 slow-header clients from 20 addresses, reconnecting, the per-address cap off.
config slowloris ', "max_per_address": 0'
start_serve slowloris
load dribble "$port" --sockets 600 --addrs 20 --interval 2 --duration 8 --reconnect >"$dir/drib.json" &
lpid=$!
sleep 1
p=$(probe 6 pay)
wait $lpid
lpid=
echo "600 slow-header clients: probes $p"
all_answered "$p"
check "under 600 slow-header clients /healthz and signed payments answer within 1 s" 0 $?
echo "$p" | json '"\n".join("M-" + i for i in d["paid"])' >"$dir/acked"
check "every confirmation acknowledged under that load is stored" "$(wc -l <"$dir/acked") 0" \
    "$(wc -l <"$dir/acked") $(sqlite3 "$dir/t.db" "SELECT receipt FROM payment" | sort | comm -23 <(sort "$dir/acked") - | wc -l)"
stop_serve

# Past the connection limit: 200 busy clients for a table of 128.
config limit ', "max_per_address": 0, "max_connections": 128'
start_serve limit
load busy "$port" --sockets 200 --addrs 4 --duration 4 >"$dir/busy.json" &
lpid=$!
sleep 1
p=$(probe 2)
wait $lpid
lpid=
echo "200 busy clients, 128 slots: $(cat "$dir/busy.json"); probes: $p"
all_answered "$p"
check "past the connection limit /healthz answers within 1 s" 0 $?
check "the excess is refused at once, the rest keep being served" "72 True" \
    "$(json 'd["refused_at_once"], d["requests"] > 2000' <"$dir/busy.json" | tr -d '(),')"
all_answered "$(probe 1)"
check "and after the load" 0 $?
# A table full of idle connections from the prober's own address.
load idle "$port" --sockets 200 --first 1 --duration 3 >/dev/null &
lpid=$!
sleep 1.6
p=$(probe 1)
wait $lpid
lpid=
all_answered "$p"
check "past a table of idle connections from its own address /healthz answers within 1 s" 0 $?
stop_serve
check "SIGTERM stops cleanly after all that" 0 $?

echo "overload: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
