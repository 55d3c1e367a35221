#!/usr/bin/env bash
# A throwaway Kannel (bearerbox + smsbox + fakesmsc) on 127.0.0.1, for tests.
#
#   kannel.sh start DIR [MO_URL]    render kannel.conf into DIR on free ports, start the three
#                                   programs, wait until sendsms answers and the fake SMSC is
#                                   online, write DIR/env. MO_URL (default $KANNEL_MO_URL, else a
#                                   closed port) gets Kannel's MO: ?from=%p&to=%P&text=%b&time=%T
#                                   &smsc=%i&id=%I&coding=%c&charset=%C (text in UTF-8: mo-recode).
#   kannel.sh mo DIR FROM TO TEXT   a handset FROM sends TEXT (UTF-8) to TO, as UCS-2 via fakesmsc.
#   kannel.sh stop DIR              admin /shutdown, then wait for every pid (TERM/KILL after 10 s).
#
# DIR/env (shell-sourceable): KANNEL_SENDSMS_URL KANNEL_USER KANNEL_PASS KANNEL_ADMIN_URL
# KANNEL_ADMIN_PASS KANNEL_SENDER KANNEL_SMSC_ID KANNEL_MO_URL FAKESMSC_LOG FAKESMSC_IN
# BEARERBOX_PID SMSBOX_PID FAKESMSC_PID FIFO_HOLDER_PID. fakesmsc prints each message Kannel
# sends as "Got message N: <from to type payload>"; tests/kannel/fakesmsc_decode.py turns
# FAKESMSC_LOG into JSON lines {"from","to","text","parts"}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BEARERBOX=${BEARERBOX:-/usr/sbin/bearerbox}
SMSBOX=${SMSBOX:-/usr/sbin/smsbox}
FAKESMSC=${FAKESMSC:-/usr/lib/kannel/test/fakesmsc}

die() { echo "kannel.sh: $*" >&2; exit 1; }
. "$here/../lib.sh" # until_ok

# alive PID NAME: the process exists, is not a zombie and runs NAME (guards against pid reuse).
alive() {
    [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
    local stat state
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    state=${stat##*) }
    [ "${state%% *}" != Z ] || return 1
    [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}


free_ports() { # four distinct free ports on 127.0.0.1
    python3 -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])'
}

render() { # render TEMPLATE OUT KEY=VALUE...
    python3 - "$@" <<'PY'
import sys
src, out, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(src, encoding="utf-8").read()
for p in pairs:
    k, v = p.split("=", 1)
    text = text.replace("@" + k + "@", v)
assert "@" not in "".join(l for l in text.splitlines() if not l.startswith("#")), "unrendered key"
open(out, "w", encoding="utf-8").write(text)
PY
}

sendsms_up() { # sendsms answers (403 without credentials is fine)
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$KANNEL_SENDSMS_URL") || return 1
    [ "$code" != 000 ]
}
smsc_online() {
    curl -s --max-time 2 "$KANNEL_ADMIN_URL/status.txt?password=$KANNEL_ADMIN_PASS" | grep -q 'FAKE.*online'
}

write_env() {
    local v
    : >"$dir/env"
    for v in KANNEL_SENDSMS_URL KANNEL_USER KANNEL_PASS KANNEL_ADMIN_URL KANNEL_ADMIN_PASS \
        KANNEL_SENDER KANNEL_SMSC_ID KANNEL_MO_URL FAKESMSC_LOG FAKESMSC_IN BEARERBOX_PID \
        SMSBOX_PID FAKESMSC_PID FIFO_HOLDER_PID; do
        printf '%s=%q\n' "$v" "${!v}" >>"$dir/env"
    done
}

# One attempt on fresh ports; 1 when a box died (e.g. another process took a port meanwhile).
start_once() {
    local admin smsboxp fake sendsms
    read -r admin smsboxp fake sendsms < <(free_ports)
    KANNEL_SENDSMS_URL=http://127.0.0.1:$sendsms/cgi-bin/sendsms
    KANNEL_ADMIN_URL=http://127.0.0.1:$admin
    render "$here/kannel.conf.in" "$dir/kannel.conf" ADMIN_PORT="$admin" ADMIN_PASS="$KANNEL_ADMIN_PASS" \
        SMSBOX_PORT="$smsboxp" FAKE_PORT="$fake" SENDSMS_PORT="$sendsms" USER="$KANNEL_USER" \
        PASS="$KANNEL_PASS" SENDER="$KANNEL_SENDER" MO_URL="$mo_get_url"
    rm -f "$dir"/bearerbox.log "$dir"/smsbox.log "$dir"/access.log "$FAKESMSC_LOG" "$FAKESMSC_IN"
    BEARERBOX_PID="" SMSBOX_PID="" FAKESMSC_PID="" FIFO_HOLDER_PID=""
    write_env # so that stop can clean up whatever a failed attempt started
    (cd "$dir" && exec "$BEARERBOX" -v 1 kannel.conf </dev/null >bearerbox.stdout 2>&1) &
    BEARERBOX_PID=$!
    write_env
    until_ok 10 curl -sf --max-time 2 "$KANNEL_ADMIN_URL/status.txt?password=$KANNEL_ADMIN_PASS" || return 1
    (cd "$dir" && exec "$SMSBOX" -v 1 kannel.conf </dev/null >smsbox.stdout 2>&1) &
    SMSBOX_PID=$!
    # fakesmsc reads MO lines from a FIFO that a sleeping writer keeps open (no EOF).
    mkfifo "$FAKESMSC_IN"
    (exec sleep 1000000 </dev/null >"$FAKESMSC_IN" 2>/dev/null) &
    FIFO_HOLDER_PID=$!
    (cd "$dir" && exec "$FAKESMSC" -H 127.0.0.1 -r "$fake" <"$FAKESMSC_IN" >"$FAKESMSC_LOG" 2>&1) &
    FAKESMSC_PID=$!
    write_env
    until_ok 10 sendsms_up && until_ok 10 smsc_online || return 1
    alive "$BEARERBOX_PID" bearerbox && alive "$SMSBOX_PID" smsbox && alive "$FAKESMSC_PID" fakesmsc
}

cmd_start() {
    [ -x "$BEARERBOX" ] && [ -x "$SMSBOX" ] || die "bearerbox/smsbox missing: apt-get install kannel"
    [ -x "$FAKESMSC" ] || die "$FAKESMSC missing: apt-get install kannel-extras"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    KANNEL_USER=canbao KANNEL_PASS=canbao-test KANNEL_ADMIN_PASS=admin-test
    KANNEL_SENDER=10690000 KANNEL_SMSC_ID=FAKE
    KANNEL_MO_URL=${mo_url:-${KANNEL_MO_URL:-http://127.0.0.1:9/mo}}
    case $KANNEL_MO_URL in *\?*) sep='&' ;; *) sep='?' ;; esac
    mo_get_url="$KANNEL_MO_URL${sep}from=%p&to=%P&text=%b&time=%T&smsc=%i&id=%I&coding=%c&charset=%C"
    FAKESMSC_LOG=$dir/fakesmsc.log FAKESMSC_IN=$dir/fakesmsc.in
    local try
    for try in 1 2 3; do
        if start_once; then
            echo "kannel: sendsms $KANNEL_SENDSMS_URL, admin $KANNEL_ADMIN_URL, env $dir/env"
            return 0
        fi
        echo "kannel.sh: start attempt $try failed; see $dir/*.log, $dir/*.stdout" >&2
        cmd_stop >/dev/null 2>&1 || true
    done
    die "Kannel did not start"
}

# stop_pid PID NAME: waits up to 10 s, then TERM, then KILL.
stop_pid() {
    local i
    for i in $(seq 100); do alive "$1" "$2" || return 0; sleep 0.1; done
    kill -TERM "$1" 2>/dev/null || true
    for i in $(seq 50); do alive "$1" "$2" || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

cmd_stop() {
    [ -r "$dir/env" ] || die "no $dir/env: not started?"
    . "$dir/env"
    if alive "$BEARERBOX_PID" bearerbox; then
        curl -s --max-time 5 -o /dev/null "$KANNEL_ADMIN_URL/shutdown?password=$KANNEL_ADMIN_PASS" || true
    fi
    stop_pid "$SMSBOX_PID" smsbox
    stop_pid "$BEARERBOX_PID" bearerbox
    # fakesmsc ends when bearerbox closes its socket (it may print a glibc double-free then).
    alive "$FAKESMSC_PID" fakesmsc && { sleep 0.5; kill -TERM "$FAKESMSC_PID" 2>/dev/null || true; }
    stop_pid "$FAKESMSC_PID" fakesmsc
    alive "$FIFO_HOLDER_PID" sleep && kill -TERM "$FIFO_HOLDER_PID" 2>/dev/null
    stop_pid "$FIFO_HOLDER_PID" sleep
}

# fakesmsc handles one stdin line per read, so each MO is written alone and awaited.
cmd_mo() {
    [ $# -eq 3 ] || die "usage: kannel.sh mo DIR FROM TO TEXT"
    . "$dir/env"
    local payload before i
    payload=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1].encode("utf-16-be"), safe=""))' "$3")
    before=$(grep -c 'fakesmsc: sent message' "$FAKESMSC_LOG" || true)
    printf '%s %s ucs2 %s\n' "$1" "$2" "$payload" >"$FAKESMSC_IN"
    for i in $(seq 50); do
        [ "$(grep -c 'fakesmsc: sent message' "$FAKESMSC_LOG" || true)" -gt "$before" ] && return 0
        sleep 0.1
    done
    die "fakesmsc did not send the MO within 5 s"
}

[ $# -ge 2 ] || die "usage: kannel.sh start|stop|mo DIR [...]"
cmd=$1 dir=$2
shift 2
case $cmd in
start) mo_url=${1:-}; cmd_start ;;
stop) cmd_stop ;;
mo) cmd_mo "$@" ;;
*) die "unknown command $cmd" ;;
esac
