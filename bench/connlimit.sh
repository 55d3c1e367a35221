#!/usr/bin/env bash
# bench/connlimit: /healthz requests per second with wrk (5 s, 2 threads) at 64, 511,
# 520 and 800 keep-alive connections against the daemon's default limit of 512, each
# with its ratio to the 64-connection rate, then how long /healthz takes once the load
# is gone. Past the limit the excess connections are refused at once (wrk counts them
# as read errors and reconnects); the rest must keep most of the rate (issue 11).
# The per-address cap is off here (serve.max_per_address 0): wrk has one address.
# CANBAO=path runs another binary; PER_ADDRESS= (empty) leaves the key out, for a
# canbao that predates it. Rates move from run to run on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
if [ -z "${CANBAO:-}" ]; then
    cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
    cmake --build build/bench -j2 --target canbao >/dev/null
fi
canbao=${CANBAO:-build/bench/app/canbao}
per_address=${PER_ADDRESS-0}
db=$out/connlimit.db
rm -rf "$db" "$db"-wal "$db"-shm "$db".out
"$canbao" --db "$db" init --policy examples/lengshi-2024.json >/dev/null
cat >"$out/connlimit.json" <<JSON
{"channels": [{"name": "file", "type": "file", "path": "$out/connlimit-msgs.jsonl"}],
 "dispatch": {"quiet_hours": "off"},
 "serve": {"listen": "127.0.0.1:0"${per_address:+, \"max_per_address\": $per_address}}}
JSON
rm -f "$out/connlimit.out"
"$canbao" --db "$db" serve --config "$out/connlimit.json" >"$out/connlimit.out" 2>"$out/connlimit.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$out/connlimit.out" 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/connlimit.out")
base=
printf '%-12s %12s %8s  %s\n' connections requests/s ratio "wrk socket errors"
for c in 64 511 520 800; do
    res=$(wrk -t2 -c"$c" -d5s "$url/healthz" 2>&1)
    rps=$(echo "$res" | awk '/Requests\/sec/ {printf "%d", $2}')
    errs=$(echo "$res" | sed -n 's/.*Socket errors: //p')
    base=${base:-$rps}
    printf '%-12s %12s %8s  %s\n' "$c" "$rps" "$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')" \
        "${errs:-none}"
    sleep 1
done
after=$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' "$url/healthz" || true)
echo "/healthz after the load: ${after:-no answer} s"
