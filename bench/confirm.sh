#!/usr/bin/env bash
# bench/confirm: signed payment confirmations per second against the running daemon
# (64 concurrent keep-alive clients, every answer given only after its transaction is
# on disk with synchronous=FULL, group-committed), against the same server's /healthz
# rate with the same client in the same run. Duplicated receipts in the export are
# replays: the database must hold each receipt exactly once.
# Target (issue 4): >= 10,000 confirmations/s and >= 15% of the /healthz rate.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-60000}
conc=${CONCURRENCY:-64}
out=bench/out
mkdir -p "$out"
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j"$(nproc)" --target canbao cb_bench_confirm >/dev/null
canbao=build/bench/app/canbao
roster=$out/confirm-roster-$rows.csv pays=$out/confirm-payments-$rows.csv
[ -s "$pays" ] || python3 ../shared/tools/gen_roster.py --rows "$rows" --seed 11 --out "$roster" \
    --payments "$pays" --pay-fraction 0.9 --pay-dup-fraction 0.02 --fee 380 --quiet
db=$out/confirm.db
rm -rf "$db" "$db"-wal "$db"-shm "$db".out "$out/confirm-msgs.jsonl"
"$canbao" --db "$db" init --policy examples/lengshi-2024.json >/dev/null
"$canbao" --db "$db" import roster "$roster" --report "$out/confirm-rej.csv" >/dev/null || true
cat >"$out/confirm.json" <<JSON
{"channels": [{"name": "file", "type": "file", "path": "$out/confirm-msgs.jsonl",
               "rate": 1000000, "burst": 100000}],
 "dispatch": {"quiet_hours": "off"},
 "serve": {"listen": "127.0.0.1:0", "payment_secret": "bench-secret", "max_connections": 1024, "max_per_address": 0}}
JSON
"$canbao" --db "$db" serve --config "$out/confirm.json" >"$out/serve.out" 2>"$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$out/serve.out" && break; sleep 0.1; done
url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/serve.out")

res=$(build/bench/bench/cb_bench_confirm "$url" bench-secret "$pays" "$conc")
echo "$res"
wrk_rps=$(wrk -t2 -c"$conc" -d3s "$url/healthz" | awk '/Requests\/sec/ {printf "%d", $2}')
kill -TERM $pid; wait $pid || true; trap - EXIT
stored=$(sqlite3 "$db" "SELECT count(*) || ' ' || count(DISTINCT receipt) FROM payment")
distinct=$(tail -n +2 "$pays" | cut -d, -f1 | sort -u | wc -l)
python3 - "$res" "$wrk_rps" "$stored" "$distinct" <<'PY'
import re, sys
res, wrk, stored, distinct = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), int(sys.argv[4])
conf = float(re.search(r"confirmations=\d+ seconds=[\d.]+ per_s=(\d+)", res).group(1))
health = float(re.search(r"healthz=\d+ seconds=[\d.]+ per_s=(\d+)", res).group(1))
print(f"/healthz, same client : {health:10.0f} requests/s  (wrk: {wrk:.0f})")
print(f"payment confirmations : {conf:10.0f} per second, each on disk before its answer")
print(f"ratio confirm/healthz : {conf / health:.2f}  (target >= 0.15 and >= 10000/s)")
print(f"receipts stored once  : {stored[0]} rows, {stored[1]} distinct, {distinct} distinct sent"
      f" -> {'ok' if int(stored[0]) == int(stored[1]) == distinct else 'MISMATCH'}")
PY
