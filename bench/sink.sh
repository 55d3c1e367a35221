#!/usr/bin/env bash
# bench/sink: the ceiling of the HTTP test peer. Starts cb_test_gateway on an ephemeral
# 127.0.0.1 port, runs wrk against GET /sink, prints wrk's report on stderr and
# "wrk_rps=N" (requests/s, integer) on stdout, and stops the gateway by its pid.
# The dispatcher benchmark calls this in the same run to know how fast the peer can go.
#   CB_TEST_GATEWAY=path  use this binary (default: build it with the release preset)
#   SINK_THREADS=2 SINK_CONNECTIONS=64 SINK_DURATION=5s  wrk's -t, -c, -d
set -euo pipefail
cd "$(dirname "$0")/.."
gw=${CB_TEST_GATEWAY:-}
if [ -z "$gw" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release -j2 --target cb_test_gateway >/dev/null
    gw=build/release/tests/cb_test_gateway
fi
command -v wrk >/dev/null || { echo "bench/sink: wrk missing (apt-get install wrk)" >&2; exit 1; }
. tests/gateway/gateway.sh
dir=$(mktemp -d)
trap 'gateway_stop; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
gateway_start "$gw" "$dir"
wrk -t"${SINK_THREADS:-2}" -c"${SINK_CONNECTIONS:-64}" -d"${SINK_DURATION:-5s}" "$GW_URL/sink" >"$dir/wrk"
cat "$dir/wrk" >&2
if grep -q 'Non-2xx\|Socket errors' "$dir/wrk"; then
    echo "bench/sink: wrk saw errors (above)" >&2
    exit 1
fi
awk '/^Requests\/sec:/ {printf "wrk_rps=%d\n", $2 + 0.5}' "$dir/wrk"
