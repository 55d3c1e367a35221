#!/usr/bin/env bash
# bench/progress: the daemon's MQTT progress feed under a burst of payments, in one run
# against one mosquitto on 127.0.0.1 (max_queued_messages raised):
#  - latency from a payment confirmation answered 200 to a subscriber receiving the
#    retained village figure that counts it (p50, p99 over PAYMENTS confirmations,
#    coalescing included); target p99 < 500 ms;
#  - the feed's message rate against raw publishing (mosquitto_pub -l, QoS 1, retained)
#    to the same broker, seen by the same subscriber;
#  - the payment rate with the feed on against the same daemon without an mqtt section
#    (target: slowed by 5% at most).
# Latency: cb_bench_confirm's answer log (wall clock, ns) against mosquitto_sub's %U
# receive times, both on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-100000}
npay=${PAYMENTS:-10000}
conc=${CONCURRENCY:-64}
out=bench/out
mkdir -p "$out"
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j2 --target canbao cb_bench_confirm >/dev/null
canbao=build/bench/app/canbao
roster=$out/progress-roster-$rows.csv allpays=$out/progress-payments-$rows.csv
pays=$out/progress-payments-$npay.csv
[ -s "$allpays" ] || python3 ../shared/tools/gen_roster.py --rows "$rows" --seed 17 --out "$roster" \
    --payments "$allpays" --pay-fraction 0.2 --pay-dup-fraction 0 --fee 380 --quiet
head -n $((npay + 1)) "$allpays" >"$pays"
base=$out/progress-base.db
rm -f "$base" "$base"-* "$out"/progress-on.db* "$out"/progress-off.db*
"$canbao" --db "$base" init --policy examples/lengshi-2024.json >/dev/null
"$canbao" --db "$base" import roster "$roster" --report "$out/progress-rej.csv" >/dev/null || true
cp "$base" "$out/progress-on.db"
cp "$base" "$out/progress-off.db"
# id_number -> the village's topic path (a person's area is a group or a village).
sqlite3 -csv "$base" "SELECT p.id_number, CASE a.level WHEN 3 THEN 'a' || v.parent_id || '/a' || v.id
    ELSE 'a' || a.parent_id || '/a' || a.id END FROM person p JOIN area a ON a.id = p.area_id
    LEFT JOIN area v ON v.id = a.parent_id" >"$out/progress-villages.csv"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n' \
    "$port" >"$out/progress-mosquitto.conf"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
mosquitto -c "$out/progress-mosquitto.conf" >"$out/progress-mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
done

cfg() { # cfg FILE [MQTT_JSON]
    printf '{"channels": [{"name": "file", "type": "file", "path": "%s", "rate": 1000000, "burst": 100000}],
 "dispatch": {"quiet_hours": "off"},
 "serve": {"listen": "127.0.0.1:0", "payment_secret": "bench-secret", "max_connections": 1024, "max_per_address": 0}%s}\n' \
        "$out/progress-msgs.jsonl" "${2:+, \"mqtt\": $2}" >"$1"
}
serve() { # serve DB CONFIG: starts the daemon, sets $spid and $url
    "$canbao" --db "$1" serve --config "$2" >"$out/progress-serve.out" 2>"$out/progress-serve.err" &
    spid=$!
    pids+=($spid)
    for _ in $(seq 100); do grep -q listening "$out/progress-serve.out" && break; sleep 0.1; done
    url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/progress-serve.out")
}
cfg "$out/progress-off.json"
cfg "$out/progress-on.json" "{\"host\": \"127.0.0.1\", \"port\": $port, \"county_code\": \"bench\"}"

# 1. Payments without the feed.
serve "$out/progress-off.db" "$out/progress-off.json"
off=$(build/bench/bench/cb_bench_confirm "$url" bench-secret "$pays" "$conc" /dev/null)
kill -TERM "$spid"; wait "$spid" || true

# 2. With the feed, a subscriber on every topic of the county (retained values first).
serve "$out/progress-on.db" "$out/progress-on.json"
for _ in $(seq 100); do
    [ "$(mosquitto_sub -p "$port" -t canbao/bench/status -C 1 -W 1 2>/dev/null)" = online ] && break
    sleep 0.1
done
sleep 1 # the first publish of everything
mosquitto_sub -p "$port" -q 1 -F '%U %t %p' -t 'canbao/bench/#' >"$out/progress-events.txt" &
subpid=$!
pids+=($subpid)
sleep 1
on=$(build/bench/bench/cb_bench_confirm "$url" bench-secret "$pays" "$conc" "$out/progress-answers.txt")
sleep 2
kill "$subpid"; wait "$subpid" 2>/dev/null || true
kill -TERM "$spid"; wait "$spid" || true

# 3. Raw publishing: as many QoS 1 retained messages as the feed sent, one mosquitto_pub.
t0=$(awk 'NR == 1 || $1 < m { m = $1 } END { print m }' "$out/progress-answers.txt")
nmsg=$(awk -v t="$t0" '$1 >= t' "$out/progress-events.txt" | wc -l)
mosquitto_sub -p "$port" -q 1 -F '%U %t' -t 'raw/#' >"$out/progress-raw.txt" &
subpid=$!
pids+=($subpid)
sleep 0.5
python3 -c "import sys; sys.stdout.write(''.join('{\"paid\":%d}\n' % i for i in range($nmsg)))" |
    mosquitto_pub -p "$port" -q 1 -r -l -t raw/village
for _ in $(seq 100); do [ "$(wc -l <"$out/progress-raw.txt")" -ge "$nmsg" ] && break; sleep 0.1; done
kill "$subpid"; wait "$subpid" 2>/dev/null || true

python3 - "$off" "$on" "$pays" "$out/progress-villages.csv" "$out/progress-answers.txt" \
    "$out/progress-events.txt" "$out/progress-raw.txt" <<'PY'
import bisect, csv, json, re, sys
off, on, pays, villages, answers, events, raw = sys.argv[1:]
rate = lambda s: float(re.search(r"per_s=(\d+)", s).group(1))
ok = lambda s: int(re.search(r"2xx=(\d+)", s).group(1))
village_of = {r[0]: r[1] for r in csv.reader(open(villages))}
ids = [r[1] for r in list(csv.reader(open(pays)))[1:]]
# Per village: receive times and paid counts, the retained value first.
seen = {}
for line in open(events, encoding="utf-8"):
    t, topic, payload = line.rstrip("\n").split(" ", 2)
    if topic.endswith("/progress") and topic.count("/") == 4:
        seen.setdefault(topic.split("/", 2)[2][:-len("/progress")], []).append(
            (float(t), json.loads(payload)["paid"]))
start = {v: e[0][1] for v, e in seen.items()}
# The k-th 200 of a village (in answer order) needs a figure >= start + k received after it.
done, lat, missing = {}, [], 0
for line in sorted(open(answers), key=lambda l: float(l.split()[0])):
    t, status, row = line.split()
    if status != "200":
        continue
    v = village_of[ids[int(row)]]
    done[v] = done.get(v, 0) + 1
    ev = seen.get(v, [])
    i = bisect.bisect_left(ev, (float(t), -1))
    while i < len(ev) and ev[i][1] < start.get(v, 0) + done[v]:
        i += 1
    if i == len(ev):
        missing += 1
    else:
        lat.append(ev[i][0] - float(t))
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
t0 = min(float(l.split()[0]) for l in open(answers))
feed = [float(l.split(" ", 1)[0]) for l in open(events) if float(l.split(" ", 1)[0]) >= t0]
rawt = [float(l.split(" ", 1)[0]) for l in open(raw)]
span = lambda ts: max(ts) - min(ts) if len(ts) > 1 else float("nan")
feed_rate, raw_rate = len(feed) / span(feed), len(rawt) / span(rawt)
print(f"payments answered 200 : {ok(on)} with the feed, {ok(off)} without (of {len(ids)})")
print(f"200 -> village figure : p50 {pct(0.50):.0f} ms, p99 {pct(0.99):.0f} ms, max {pct(1):.0f} ms"
      f" over {len(lat)} payments, {missing} never seen  (target p99 < 500 ms)")
print(f"feed messages         : {len(feed)} in {span(feed):.2f} s = {feed_rate:.0f}/s"
      f" (coalesced: at most 4 per topic per second)")
print(f"raw mosquitto_pub -l  : {len(rawt)} in {span(rawt):.2f} s = {raw_rate:.0f}/s")
print(f"ratio feed/raw        : {feed_rate / raw_rate:.3f}")
print(f"payment rate          : {rate(on):.0f}/s with the feed, {rate(off):.0f}/s without,"
      f" ratio {rate(on) / rate(off):.3f}  (target >= 0.95)")
PY
