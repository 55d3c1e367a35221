# Sourced by scripts that run cb_test_gateway (tests/gateway_test.sh, bench/sink.sh, the Kannel
# smoke test). Uses only the pids it starts.
#
# gateway_start BIN DIR [ARGS...]  starts BIN on an ephemeral 127.0.0.1 port with
#   --pidfile DIR/gateway.pid, stdout in DIR/gateway.out and stderr in DIR/gateway.err, and
#   waits (5 s at most) for its "port=N" line; sets GW_PID, GW_PORT and GW_URL.
# gateway_stop                     sends SIGTERM to GW_PID, waits for it to end and returns its
#                                  exit status (0 for a clean stop; sanitizer reports make it fail).
gateway_start() {
    local bin=$1 dir=$2 i
    shift 2
    GW_PORT=
    "$bin" --port 0 --pidfile "$dir/gateway.pid" "$@" >"$dir/gateway.out" 2>"$dir/gateway.err" &
    GW_PID=$!
    for i in $(seq 100); do
        GW_PORT=$(sed -n 's/^port=//p' "$dir/gateway.out")
        [ -n "$GW_PORT" ] && break
        if ! kill -0 "$GW_PID" 2>/dev/null; then
            echo "cb_test_gateway exited early:" >&2
            cat "$dir/gateway.err" >&2
            GW_PID=
            return 1
        fi
        sleep 0.05
    done
    if [ -z "$GW_PORT" ]; then
        echo "cb_test_gateway printed no port within 5 s" >&2
        gateway_stop
        return 1
    fi
    GW_URL=http://127.0.0.1:$GW_PORT
}

gateway_stop() {
    local rc=0
    if [ -n "${GW_PID:-}" ]; then
        kill "$GW_PID" 2>/dev/null
        wait "$GW_PID" 2>/dev/null || rc=$?
        GW_PID=
    fi
    return $rc
}
