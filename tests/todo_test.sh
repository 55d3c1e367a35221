#!/usr/bin/env bash
# End-to-end test of 'canbao import workers', 'canbao todo' and 'canbao visit' on the
# Lengshi demo roster and examples/workers-lengshi-sample.csv.
# usage: todo_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$src/tests/lib.sh"
cb() { "$canbao" --db "$dir/t.db" --today 2023-11-20 "$@"; }

cb init --policy "$src/examples/lengshi-2024.json" --targets "$src/examples/targets-lengshi-2024.csv" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null

# import workers: the example imports cleanly, twice; a bad row is reported and exits 3.
out=$(cb import workers "$src/examples/workers-lengshi-sample.csv" --report "$dir/w.csv")
check "workers import exits 0" 0 $?
check "workers summary" "imported 6, updated 0, unchanged 0, rejected 0" \
    "$(echo "$out" | grep -o 'imported [0-9]*, updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"
out=$(cb import workers "$src/examples/workers-lengshi-sample.csv" --report "$dir/w.csv")
check "workers re-import changes nothing" "imported 0, updated 0, unchanged 6, rejected 0" \
    "$(echo "$out" | grep -o 'imported [0-9]*, updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"
printf 'code,name,phone,township,village,group\nX1,王五,13800009999,冷市镇,北华村,\nX2,赵六,12345,冷市镇,南华村,1组\nX3,钱七,,冷市镇,南华村,99组\n' > "$dir/bad.csv"
cb import workers "$dir/bad.csv" --report "$dir/bad.rej.csv" >/dev/null
check "bad workers exit 3" 3 $?
check "unknown village named" 1 "$(grep -c '"2","village","unknown village .北华村."' "$dir/bad.rej.csv")"
check "bad phone named" 1 "$(grep -c '"3","phone"' "$dir/bad.rej.csv")"
check "unknown group named" 1 "$(grep -c '"4","group","unknown group .99组."' "$dir/bad.rej.csv")"
check "import --help lists workers" 1 "$(cb import --help | grep -c '^  workers ')"

# todo: files per worker, one message each, nothing new on a second run.
out=$(cb todo --out "$dir/out")
check "todo exits 0" 0 $?
check "todo summary" "4 workers, 4 lists queued (0 before)" \
    "$(echo "$out" | grep -o '[0-9]* workers' | head -1), $(echo "$out" | grep -o '[0-9]* lists queued ([0-9]* before)')"
day="$dir/out/todo/2023-11-20"
check "csv and html per worker" 8 "$(ls "$day" | grep -c '^LS00[1-4]\.\(csv\|html\)$')"
check "files are private" 600 "$(stat -c %a "$day/LS003.csv")"
check "LS003 lists its one household" "1,4309231012010061" "$(sed -n 2p "$day/LS003.csv" | cut -d, -f1-2)"
check "LS002 does not list LS003's household" 0 "$(grep -c 4309231012010061 "$day/LS002.csv")"
check "html is escaped UTF-8" 1 "$(grep -c '<meta charset="utf-8">' "$day/LS001.html")"
out=$(cb todo --out "$dir/out")
check "second run queues nothing" "0 lists queued (4 before)" "$(echo "$out" | grep -o '[0-9]* lists queued ([0-9]* before)')"
check "one todo message per worker" 4 "$(cb outbox | grep -c 'todo:LS00')"
check "print one worker" "谢志强 (LS003) 2023-11-20: 1 households, 4 unpaid, 1 listed" \
    "$(cb todo --worker LS003 --print | head -1)"
cb todo --worker NOPE --print >/dev/null 2>&1
check "unknown worker exits 2" 2 $?
check "todo --help" 0 "$(cb todo --help >/dev/null; echo $?)"

# visit: recorded with its follow-up; clear errors.
out=$(cb visit 4309231012010061 --by LS003 --outcome paid --note 微信缴的)
check "visit paid opens claims" "4 claims to verify" "$(echo "$out" | grep -o '[0-9]* claims to verify')"
check "claims listed" 4 "$(cb claims list --state open | grep -c ' paid ')"
out=$(cb visit 4309231012010001 --by LS003 --outcome 外出 2>&1)
check "visit outside the scope warns" 1 "$(echo "$out" | grep -c 'not in LS003.s scope; recorded')"
cb visit NOHOUSE --by LS003 --outcome paid >/dev/null 2>&1
check "unknown household exits 2" 2 $?
cb visit 4309231012010061 --by NOPE --outcome paid >/dev/null 2>&1
check "unknown worker exits 2" 2 $?
err=$(cb visit 4309231012010061 --by LS003 --outcome maybe 2>&1)
check "unknown outcome named" 1 "$(echo "$err" | grep -c 'maybe: not one of paid')"
check "visit --help" 0 "$(cb visit --help >/dev/null; echo $?)"

# A worker's reply to the list is a visit; a household resting after it drops down.
cb reply --from 13800001002 "1 承诺" --id w1 >/dev/null 2>&1
check "reply recorded as a visit" 1 "$(cb todo --worker LS002 --print | grep -c '承诺缴费仍未缴')"
# handoffs: a reply the bot did not understand waits for the worker; a visit to the
# household (not 'away') resolves it, and one can be resolved by hand.
cb reply --from 18719019636 "我家的猪跑了" --id h1 >/dev/null
cb reply --from 19169338076 "明天再说吧哈哈哈" --id h2 >/dev/null
check "handoffs listed, phones masked" "2 open handoff(s) 1" \
    "$(cb handoffs | tail -1) $(cb handoffs | grep -c '187\*\*\*\*9636 .*我家的猪跑了')"
cb visit 4309231012010063 --by LS001 --outcome away >/dev/null 2>&1
check "an away visit leaves them" "2 open handoff(s)" "$(cb handoffs | tail -1)"
id=$(cb handoffs | awk '/哈哈哈/ {print $1}')
check "resolve by hand" "handoff $id resolved by LS001" "$(cb handoffs resolve "$id" --by LS001)"
cb handoffs resolve "$id" --by LS001 >/dev/null 2>&1
check "twice is an error" 2 $?
cb visit 4309231012010063 --by LS001 --outcome promised >/dev/null 2>&1
check "a visit resolves the household's" "0 open handoff(s)" "$(cb handoffs | tail -1)"

echo "todo: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
