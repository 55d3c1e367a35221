#!/usr/bin/env bash
# bench/dispatch: 100,000 queued messages through the dispatcher (signed webhooks over
# keep-alive connections, every result recorded in SQLite) to the loopback sink of
# cb_test_gateway, against wrk on the same sink in the same run.
# Target (issue 3): >= 20,000 messages/s and >= 20% of wrk's rate.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${MESSAGES:-100000}
conc=${CONCURRENCY:-64}
out=bench/out
mkdir -p "$out"
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=ON >/dev/null
cmake --build build/bench -j"$(nproc)" --target cb_bench_dispatch cb_test_gateway >/dev/null
gw=$(find build/bench/tests -name cb_test_gateway -type f | head -1)

wrk_rps=$(CB_TEST_GATEWAY=$gw SINK_CONNECTIONS=$conc bench/sink.sh 2>/dev/null | sed -n 's/^wrk_rps=//p')

. tests/gateway/gateway.sh
gdir=$(mktemp -d)
trap 'gateway_stop; rm -rf "$gdir"' EXIT
gateway_start "$gw" "$gdir"
url=$GW_URL/sink
line=$(build/bench/bench/cb_bench_dispatch "$out/dispatch.db" "$url" "$n" "$conc")
echo "$line"
rate=$(echo "$line" | sed -n 's/.*msgs_per_s=\([0-9]*\).*/\1/p')
python3 - "$rate" "$wrk_rps" "$n" <<'PY'
import sys
rate, wrk, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"wrk on the sink : {wrk:10.0f} requests/s (keep-alive, no work per request)")
print(f"canbao dispatch : {rate:10.0f} messages/s ({n} messages, results recorded)")
print(f"ratio canbao/wrk: {rate / wrk:.2f}  (target >= 0.20 and >= 20000 messages/s)")
PY
