#!/usr/bin/env bash
# The daemon's database on a full 48 MB volume (a tmpfs this test mounts; without the
# right to mount it prints SKIP and exits 77, which ctest counts as skipped):
# - a filler file takes every free byte: signed payment confirmations get 503 (once
#   the daemon has emptied its log into the database some may fit again and get 200:
#   the last check shows those are on disk);
# - the filler removed, confirmations are answered 200 again within a few seconds,
#   without a restart;
# - 800 more confirmations in a row (about 130 MB of log at one transaction each, were
#   the log never checkpointed) all succeed: the log does not fill the volume again;
# - the dispatcher, stopped by the full disk, starts again by itself: the thank-yous
#   of those confirmations go out;
# - every confirmation answered 200 is in the database afterwards.
# Confirmations are signed by tests/pay.py.
# usage: diskfull_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
. "$src/tests/lib.sh"
dir=$(mktemp -d)
vol=$dir/vol
mkdir "$vol"
if ! mount -t tmpfs -o size=48m tmpfs "$vol" 2>"$dir/mount.err"; then
    echo "SKIP: cannot mount a 48 MB tmpfs here: $(cat "$dir/mount.err")"
    rm -rf "$dir"
    exit 77
fi
spid=
cleanup() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    umount "$vol"
    [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
db=$vol/t.db
cb() { "$canbao" --db "$db" "$@"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
# Unpaid residents owing the full 380 yuan, one confirmation each.
sqlite3 "$db" "SELECT p.id_number FROM person p JOIN enrolment e ON e.person_id = p.id
               WHERE e.status = 'unpaid' AND e.categories = ''
                 AND ifnull(p.birth_date, '') < '2023-09-01' LIMIT 1000" >"$dir/ids"
cat >"$dir/cfg.json" <<EOF
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl"}],
 "dispatch": {"quiet_hours": "off"},
 "serve": {"listen": "127.0.0.1:0", "payment_secret": "pay-secret"}}
EOF
"$canbao" --db "$db" --today 2023-11-15 serve --config "$dir/cfg.json" >"$dir/serve.out" 2>"$dir/serve.err" &
spid=$!
until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
# pay FIRST COUNT: confirmations for lines FIRST.. of ids; "ID STATUS" lines added to
# $dir/answers.
pay() {
    sed -n "$1,$(($1 + $2 - 1))p" "$dir/ids" >"$dir/batch"
    python3 "$src/tests/pay.py" "$url" pay-secret $(cat "$dir/batch") >"$dir/codes"
    paste -d' ' "$dir/batch" "$dir/codes" | tee -a "$dir/answers"
}
count() { grep -c " $1\$" || true; }

check "a confirmation with room to spare" 200 "$(pay 1 1 | cut -d' ' -f2)"
dd if=/dev/zero of="$vol/filler" bs=1M status=none 2>/dev/null
dd if=/dev/zero of="$vol/filler2" bs=4k status=none 2>/dev/null
check "the volume is full" 0 "$(df --output=avail "$vol" | tail -1 | tr -d ' ')"
full=$(pay 2 20)
echo "on the full volume: $(echo "$full" | count 200) answered 200, $(echo "$full" | count 503) 503"
check "on the full volume confirmations get 503, nothing else" 20 \
    "$(( $(echo "$full" | count 503) + $(echo "$full" | count 200) ))"
check "the first one 503" 503 "$(echo "$full" | head -1 | cut -d' ' -f2)"
rm -f "$vol/filler" "$vol/filler2"
freed=$(ms)
back=
for i in $(seq 0 49); do
    [ "$(pay $((22 + i)) 1 | cut -d' ' -f2)" = 200 ] && { back=$(( $(ms) - freed )); break; }
    sleep 0.1
done
echo "full disk: answered 200 again ${back:-never} ms after the space came back"
[ -n "$back" ] && [ "$back" -lt 5000 ]
check "space back: 200 again within 5 s, without a restart" 0 $?
long=$(pay 100 800)
check "800 more confirmations in a row all get 200 (the log does not refill the volume)" \
    800 "$(echo "$long" | count 200)"
thanked() { # every thank-you queued (those with a phone) went out
    [ "$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE key LIKE 'thanks:M-%'")" -ge 700 ] &&
    [ "$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE key LIKE 'thanks:M-%' AND status NOT IN ('sent', 'delivered')")" = 0 ]
}
until_ok 20 thanked
check "the dispatcher is back too: the thank-yous of those went out" 0 $?
kill -TERM "$spid"
wait "$spid"
check "SIGTERM stops cleanly" 0 $?
spid=
grep ' 200$' "$dir/answers" | cut -d' ' -f1 | sed 's/^/M-/' | sort >"$dir/acked"
sqlite3 "$db" "SELECT receipt FROM payment" | sort >"$dir/stored"
check "every confirmation answered 200 is in the database" 0 \
    "$(comm -23 "$dir/acked" "$dir/stored" | wc -l)"
check "and none answered 503 is" 0 \
    "$(grep ' 503$' "$dir/answers" | cut -d' ' -f1 | sed 's/^/M-/' | sort | comm -12 - "$dir/stored" | wc -l)"

echo "diskfull: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
