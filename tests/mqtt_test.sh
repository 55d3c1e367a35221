#!/usr/bin/env bash
# 'canbao publish --once' against a real mosquitto broker on 127.0.0.1 (started and
# stopped by this test): the retained figures per village equal 'status --json', the
# LED line reads as expected in UTF-8 and, with led_encoding "gbk", decodes from GBK;
# an unreachable broker is a clear error naming host:port.
# usage: mqtt_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
. "$src/tests/lib.sh"
dir=$(mktemp -d)
mpid=
cleanup() {
    [ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cb() { "$canbao" --db "$dir/t.db" --today 2024-10-15 "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
cat >"$dir/mosquitto.conf" <<EOF2
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 10000
EOF2
mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
mpid=$!
until_ok 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" ||
    { echo "FAIL: mosquitto did not start"; cat "$dir/mosquitto.log"; exit 1; }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
cb import payments "$src/examples/payments-lengshi-sample.csv" --report "$dir/rej2.csv" >/dev/null
cb status --by village --json >"$dir/status.json"
cfg() { # cfg FILE PREFIX ENCODING [PORT]
    cat >"$1" <<EOF2
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl"}],
 "mqtt": {"host": "127.0.0.1", "port": ${4:-$port}, "topic_prefix": "$2",
          "county_code": "anhua", "led_encoding": "$3"}}
EOF2
}
cfg "$dir/utf8.json" canbao utf-8
cfg "$dir/gbk.json" gbk gbk

out=$(cb publish --once --config "$dir/utf8.json")
check "publish exit" 0 $?
n=$(echo "$out" | sed -n 's/^publish: \([0-9]*\) messages.*/\1/p')
cb publish --once --config "$dir/gbk.json" >/dev/null
check "publish gbk exit" 0 $?

# A late subscriber gets every retained message.
mosquitto_sub -p "$port" -C "$n" -W 5 -v -t 'canbao/#' >"$dir/sub.txt"
check "retained messages received" "$n" "$(wc -l <"$dir/sub.txt")"
mosquitto_sub -p "$port" -C 1 -W 5 -t 'gbk/anhua/+/+/led' -F '%X' >"$dir/gbk.hex"

python3 - "$dir/status.json" "$dir/sub.txt" "$dir/gbk.hex" >"$dir/py.out" <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))
msgs = {}
for line in open(sys.argv[2], encoding="utf-8"):
    topic, _, payload = line.rstrip("\n").partition(" ")
    msgs[topic] = payload
progress = {t: json.loads(p) for t, p in msgs.items() if t.endswith("/progress")}
villages = {(v["township"], v["name"]): v for v in progress.values() if v["level"] == "village"}
ok = len(villages) == len(status["areas"])
for a in status["areas"]:
    v = villages.get((a["township"], a["village"]))
    if v is None or (v["paid"], v["registered"], v["rank"]) != (a["paid"], a["registered"], a["rank"]):
        ok = False
        print("mismatch", a["village"], v and (v["paid"], v["registered"]), (a["paid"], a["registered"]))
county = progress["canbao/anhua/progress"]
ok = ok and (county["paid"], county["registered"]) == (status["total"]["paid"], status["total"]["registered"])
print("figures", "ok" if ok else "bad")
# The first village's LED line, as its figures say it must read.
topic = next(t for t, v in progress.items() if v["level"] == "village")
v = progress[topic]
num, den, share = (v["paid"], v["target"], v["progress"]) if v["target"] else \
    (v["paid"] + v["covered_elsewhere"], v["registered"], v["coverage"])
want = "%s 参保 %d/%d %.1f%% 第%d名" % (v["name"], num, den, share * 100, v["rank"])
led_topic = topic[:-len("progress")] + "led"
print("led", "ok" if msgs[led_topic] == want else "bad: %r != %r" % (msgs[led_topic], want))
aw = json.loads(msgs[topic[:-len("progress")] + "awtrix"])
print("awtrix", "ok" if aw["text"].isascii() and 0 <= aw["progress"] <= 100 else "bad: %r" % aw)
gbk = bytes.fromhex(open(sys.argv[3]).read().strip()).decode("gbk")
print("gbk", "ok" if " 参保 " in gbk and gbk.endswith("名") and
      any(gbk.startswith(v["name"] + " ") for v in villages.values()) else "bad: %r" % gbk)
PY
check "python" 0 $?
for k in figures led awtrix gbk; do
    check "$k" "$k ok" "$(grep "^$k " "$dir/py.out")"
done

# No broker: exit 2 and host:port in the message.
cfg "$dir/none.json" canbao utf-8 "$(free_port)"
cb publish --once --config "$dir/none.json" 2>"$dir/err.txt" >/dev/null
check "no broker exit" 2 $?
grep -q "mqtt 127.0.0.1:[0-9]*: cannot connect" "$dir/err.txt"
check "no broker message" 0 $?
cb publish 2>/dev/null
check "without --once" 2 $?

# TLS: a second listener with a certificate our own test CA signed. The figures
# arrive over TLS; a client that does not trust the CA is refused.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=canbao test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/srv.key" \
    -out "$dir/srv.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\n' >"$dir/san.ext"
openssl x509 -req -in "$dir/srv.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/san.ext" -out "$dir/srv.crt" >/dev/null 2>&1
# mosquitto started as root drops to its own user: it must be able to read these.
chmod 755 "$dir"
chmod 644 "$dir/ca.crt" "$dir/srv.crt" "$dir/srv.key"
tport=$(free_port)
cat >>"$dir/mosquitto.conf" <<EOF2
listener $tport 127.0.0.1
cafile $dir/ca.crt
certfile $dir/srv.crt
keyfile $dir/srv.key
EOF2
kill "$mpid"; wait "$mpid" 2>/dev/null
mosquitto -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
mpid=$!
until_ok 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $tport), 1)" ||
    { echo "FAIL: mosquitto with TLS did not start"; cat "$dir/mosquitto.log"; exit 1; }
cat >"$dir/tls.json" <<EOF2
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl"}],
 "mqtt": {"host": "127.0.0.1", "port": $tport, "topic_prefix": "tls", "county_code": "anhua",
          "tls": {"cafile": "$dir/ca.crt"}}}
EOF2
out=$(cb publish --once --config "$dir/tls.json")
check "publish over TLS" "0 $n" "$? $(echo "$out" | sed -n 's/^publish: \([0-9]*\) messages.*/\1/p')"
mosquitto_sub -h 127.0.0.1 -p "$tport" --cafile "$dir/ca.crt" -C "$n" -W 5 -t 'tls/#' >"$dir/tls.txt"
check "retained over TLS" "$n" "$(wc -l <"$dir/tls.txt")"
sed 's|"cafile": "[^"]*"|"cafile": "/etc/ssl/certs/ca-certificates.crt"|' "$dir/tls.json" >"$dir/untrusted.json"
cb publish --once --config "$dir/untrusted.json" >/dev/null 2>&1
check "an untrusted broker is refused" 2 $?
sed 's|"tls": {[^}]*}|"tls": {"certfile": "x"}|' "$dir/tls.json" >"$dir/badtls.json"
cb publish --once --config "$dir/badtls.json" 2>"$dir/err.txt" >/dev/null
check "a bad tls section is named" "2 1" "$? $(grep -c 'mqtt.tls: give one of cafile and capath' "$dir/err.txt")"

echo "mqtt: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
