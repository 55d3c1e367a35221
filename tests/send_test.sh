#!/usr/bin/env bash
# End-to-end test of send, dispatch and outbox on the embedded file channel: one
# message per phone, households sharing a phone, idempotent sends, quiet hours, caps,
# bad segments and configs.
# usage: send_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$src/tests/lib.sh"
cb() { "$canbao" --db "$dir/t.db" "$@"; }
noon() { "$canbao" --db "$dir/t.db" --now "2023-11-20 10:00" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
field() { sed -n "s/.*$1 \([0-9]*\).*/\1/p" | head -1; }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null

# The expected figures straight from the roster file: unpaid living people with a phone,
# not paid for by a department, and their distinct phones.
read -r people phones < <(python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" <<'PY'
import csv, sys
bad = {int(r["line"]) for r in csv.DictReader(open(sys.argv[2]))}
dept = {"特困", "特困人员", "特困供养人员", "重度残疾", "重度残疾人", "孤儿", "事实无人抚养儿童"}
people, phones = 0, set()
lines = open(sys.argv[1], "rb").read().decode("utf-8-sig", "replace").split("\n")
head = next(csv.reader([lines[0]]))
for i, line in enumerate(lines[1:], start=2):
    if i in bad or not line.strip():
        continue
    r = dict(zip(head, next(csv.reader([line]))))
    if (r.get("status") or "unpaid") != "unpaid":
        continue
    if any(c in dept for c in (r.get("category") or "").replace("；", ";").split(";")):
        continue
    if r["phone"]:
        people += 1
        phones.add(r["phone"])
print(people, len(phones))
PY
)

out=$(noon send --template remind_periodic --to unpaid --dry-run)
check "dry run exits 0" 0 $?
check "dry run counts one message per phone" "$phones" "$(echo "$out" | field 'messages')"
check "dry run queues nothing" 0 "$(cb outbox --json | json 'len(d["rows"])')"
check "dry run shows the cost" 1 "$(echo "$out" | grep -c 'estimated cost [0-9.]* yuan')"

out=$(noon send --template remind_periodic --to unpaid)
check "send queues one per phone" "$phones" "$(echo "$out" | field 'new in the outbox')"
check "shared phones get the household reminder" \
    "$(python3 -c "print($people - $phones > 0)")" \
    "$(echo "$out" | grep -q 'household_reminder [1-9]' && echo True || echo False)"
out=$(noon send --template remind_periodic --to unpaid)
check "the same send again queues nothing new" "0 $phones" \
    "$(echo "$out" | field 'new in the outbox') $(echo "$out" | field 'same key)')"

# 22:00 is quiet: nothing goes, everything waits for the morning.
out=$("$canbao" --db "$dir/t.db" --now "2023-11-20 22:00" dispatch --once)
check "quiet hours defer every reminder" "0 $phones" \
    "$(echo "$out" | field 'sent') $(echo "$out" | field 'deferred')"
check "nothing written during quiet hours" 0 "$(cat "$dir/t.db.messages.jsonl" 2>/dev/null | wc -l)"
out=$("$canbao" --db "$dir/t.db" --now "2023-11-21 08:30" dispatch --once)
check "the morning sends them all" "$phones" "$(echo "$out" | field 'sent')"
check "one line per message in the file channel" "$phones" "$(wc -l < "$dir/t.db.messages.jsonl")"
check "every key once" "$phones" \
    "$(python3 -c "import json,sys; print(len({json.loads(l)['key'] for l in open(sys.argv[1])}))" "$dir/t.db.messages.jsonl")"
check "outbox counts them sent" "$phones" \
    "$(cb outbox --json | json 'sum(c["count"] for c in d["counts"] if c["status"] == "sent")')"
check "recipients are masked in the listing" 0 \
    "$(cb outbox --limit 0 | grep -cE ' 1[3-9][0-9]{9} ')"

# A second reminder the same day hits the daily cap and is deferred to the next day.
out=$("$canbao" --db "$dir/t.db" --now "2023-11-21 09:00" send --template deadline_near --to unpaid:village=冷市镇/南华村)
n=$(echo "$out" | field 'new in the outbox')
out=$("$canbao" --db "$dir/t.db" --now "2023-11-21 09:00" dispatch --once)
check "daily cap defers the second reminder" "0 $n" "$(echo "$out" | field 'sent') $(echo "$out" | field 'deferred')"
out=$("$canbao" --db "$dir/t.db" --now "2023-11-22 09:00" dispatch --once)
check "the next day it goes" "$n" "$(echo "$out" | field 'sent')"

# Bad input names what is wrong.
err=$(noon send --template remind_periodic --to unpaid:village=南华村 2>&1)
check "village without township" "2 1" "$? $(echo "$err" | grep -c 'TOWNSHIP/VILLAGE')"
err=$(noon send --template remind_periodic --to category=不存在 2>&1)
check "unknown category" "2 1" "$? $(echo "$err" | grep -c "no category '不存在'")"
err=$(noon send --template nope --to unpaid 2>&1)
check "unknown template" "2 1" "$? $(echo "$err" | grep -c 'no such template')"
echo '{"channels":[{"name":"f","type":"file","path":"x"}],"dispatch":{"quiet_hours":"9pm"}}' > "$dir/bad.json"
err=$(noon dispatch --once --config "$dir/bad.json" 2>&1)
check "bad config names the field" "2 1" "$? $(echo "$err" | grep -c 'dispatch.quiet_hours')"
echo '{"channels":[{"name":"f","type":"file","path":"x"}],"routes":{"sms":["g"]}}' > "$dir/bad2.json"
err=$(noon dispatch --once --config "$dir/bad2.json" 2>&1)
check "route naming an unknown channel" "2 1" "$? $(echo "$err" | grep -c "routes.sms\[0\]: no channel named 'g'")"
check "send has help" 0 "$(cb send --help >/dev/null; echo $?)"

# Forty people on one phone still get one message, counting all of them.
python3 - "$dir/big.csv" <<'PY'
import sys
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
rows = ["person_id,name,phone,household_id,township,village"]
for i in range(40):
    body = "43092319800101%03d" % (i + 100)
    check = "10X98765432"[sum(int(d) * k for d, k in zip(body, w)) % 11]
    rows.append(f"{body}{check},大户{i},13912345678,H{i // 10},冷市镇,大户村")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
"$canbao" --db "$dir/big.db" init --policy "$src/examples/lengshi-2024.json" >/dev/null
"$canbao" --db "$dir/big.db" import roster "$dir/big.csv" >/dev/null
out=$("$canbao" --db "$dir/big.db" send --template remind_periodic --to unpaid:village=冷市镇/大户村)
check "forty on one phone: one message" 1 "$(echo "$out" | field 'new in the outbox')"
check "naming how many owe" 1 "$(sqlite3 "$dir/big.db" "SELECT text FROM outbox" | grep -c '40人')"

# flag=NAME: only the people given the list flag get the message.
fdb="$dir/flag.db"
"$canbao" --db "$fdb" init --policy "$src/examples/lengshi-2024.json" >/dev/null
"$canbao" --db "$fdb" import roster "$src/examples/roster-lengshi-sample.csv" >/dev/null 2>&1
python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/fl.csv" "$dir/fl.phones" <<'PY'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", errors="replace")))
n = collections.Counter(r["phone"] for r in rows)
pick = [r for r in rows if r["status"] == "unpaid" and not r["category"] and r["phone"]
        and n[r["phone"]] == 1][3:5]
open(sys.argv[2], "w").write("id_number,name\n" + "".join(r["person_id"] + ",\n" for r in pick))
open(sys.argv[3], "w").write("".join(sorted(r["phone"] + "\n" for r in pick)))
PY
"$canbao" --db "$fdb" import flags "$dir/fl.csv" --flag migrant >/dev/null
out=$("$canbao" --db "$fdb" send --template remind_periodic --to unpaid:flag=migrant)
check "flag=migrant: exit 0, two messages" "0 2" "$? $(echo "$out" | field 'new in the outbox')"
check "flag=migrant: to the flagged people's phones" "$(cat "$dir/fl.phones")" \
    "$(sqlite3 "$fdb" "SELECT recipient FROM outbox ORDER BY recipient")"
out=$("$canbao" --db "$fdb" send --template deadline_near --to unpaid:flag=nobody)
check "a flag nobody carries selects nobody" "0 0" "$? $(echo "$out" | field 'new in the outbox')"
err=$("$canbao" --db "$fdb" send --template remind_periodic --to unpaid:flag= 2>&1)
check "flag= without a name" 2 $?

echo "send: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
