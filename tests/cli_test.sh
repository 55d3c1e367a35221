#!/usr/bin/env bash
# End-to-end test of the canbao binary: exit codes, summaries, reports and JSON output.
# usage: cli_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$src/tests/lib.sh"
cb() { "$canbao" --db "$dir/t.db" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

cb init --policy "$src/examples/lengshi-2024.json" --targets "$src/examples/targets-lengshi-2024.csv" >/dev/null
check "init exits 0" 0 $?
check "database is private" 600 "$(stat -c %a "$dir/t.db")"
out=$(cb init --policy "$src/examples/lengshi-2024.json")
check "init again with the same policy" "0 already" "$? $(echo "$out" | grep -o already)"
cb init --policy "$src/examples/pingli-2022.json" >/dev/null 2>&1
check "init with another policy for a new year" 0 $?

# A broken policy names the field.
sed 's/"percent": 50/"percent": 150/' "$src/examples/lengshi-2024.json" > "$dir/bad.json"
err=$("$canbao" --db "$dir/other.db" init --policy "$dir/bad.json" 2>&1)
check "bad policy exits 2" 2 $?
check "bad policy names the field" 1 "$(echo "$err" | grep -c 'categories\[[0-9]*\]\.percent')"

rm -f "$dir/t.db"*
cb init --policy "$src/examples/lengshi-2024.json" --targets "$src/examples/targets-lengshi-2024.csv" >/dev/null
out=$(cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv")
check "roster with bad rows exits 3" 3 $?
check "roster summary" "imported 2970, updated 0, unchanged 0, rejected 30" \
    "$(echo "$out" | grep -o 'imported [0-9]*, updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"
check "report lists every rejected row" 31 "$(wc -l < "$dir/rej.csv")"
check "report header" "line,column,reason,id_number" "$(head -1 "$dir/rej.csv")"
out=$(cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej2.csv")
check "re-import changes nothing" "imported 0, updated 0, unchanged 2970, rejected 30" \
    "$(echo "$out" | grep -o 'imported [0-9]*, updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"

st=$(cb --today 2023-12-01 status --by village --json)
check "status lists 18 villages" 18 "$(echo "$st" | json 'len(d["areas"])')"
check "status total target" 31700 "$(echo "$st" | json 'd["total"]["target"]')"
check "villages add up to the total" 1 "$(echo "$st" | json 'int(sum(a["registered"] for a in d["areas"]) == d["total"]["registered"])')"
check "status areas name township and village" "冷市镇 南华村" "$(echo "$st" | json 'd["areas"][0]["township"] + " " + d["areas"][0]["village"]')"

check "status counts late enrolments" 0 "$(echo "$st" | json 'd["late_enrolments"]')"
check "status text counts late enrolments" 1 \
    "$(cb --today 2023-12-01 status | grep -c '^late enrolments (paid outside the window): 0$')"

# import flags: ID numbers (name optional) get a flag; unknown IDs and wrong names are
# reported, not applied; a second import changes nothing; --flag is required.
fid=$(sed -n 2p "$src/examples/roster-lengshi-sample.csv" | cut -d, -f1)
printf 'id_number,name\n%s,\n430923199001011234,\n' "$fid" > "$dir/flags.csv"
out=$(cb import flags "$dir/flags.csv" --flag 外出务工 --report "$dir/frej.csv")
check "flags import summary" "imported 1, updated 0, unchanged 0, rejected 1" \
    "$(echo "$out" | grep -o 'imported [0-9]*, updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"
check "flag stored" 1 "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from person_flag where flag='外出务工'\").fetchone()[0])" "$dir/t.db")"
out=$(cb import flags "$dir/flags.csv" --flag 外出务工 --report "$dir/frej.csv")
check "flags re-import unchanged" "unchanged 1" "$(echo "$out" | grep -o 'unchanged [0-9]*')"
cb import flags "$dir/flags.csv" --report "$dir/frej.csv" >/dev/null 2>&1
check "flags import needs --flag" 2 $?

# Groups have no targets: the table shows "-", never -1.
out=$(cb --today 2023-12-01 status --by group)
check "status --by group never shows target -1" 0 "$(echo "$out" | grep -c ' -1 ')"
check "status --by group shows '-' for no target" 1 \
    "$(echo "$out" | grep -m1 '南华村 2组' | awk '{print ($5 == "-")}')"

# A person in 低保 owes half the fee under Lengshi 2024.
id=$(grep -m1 ',低保,unpaid,' "$src/examples/roster-lengshi-sample.csv" | cut -d, -f1)
r=$(cb resident show "$id" --json)
check "低保 pays half" "19000 19000 0 resident 低保" \
    "$(echo "$r" | json '" ".join(str(d[k]) for k in ("pay_now_fen","subsidy_fen","refund_fen","payer","category_applied"))')"
check "resident ID is masked" 1 "$(echo "$r" | json 'int("*" in d["id_number"])')"
cb resident show 430923199001011235 >/dev/null 2>&1
check "invalid ID exits 2" 2 $?

out=$(cb import payments "$src/examples/payments-lengshi-sample.csv" --report "$dir/prej.csv")
check "payments with unknown IDs exit 3" 3 $?
paid=$(cb status --json | json 'd["total"]["paid"]')
out=$(cb import payments "$src/examples/payments-lengshi-sample.csv" --report "$dir/prej2.csv")
check "payment replay adds nothing" "imported 0" "$(echo "$out" | grep -o 'imported [0-9]*')"
check "paid count unchanged by replay" "$paid" "$(cb status --json | json 'd["total"]["paid"]')"
# pay-agents: one village's figures as status shows them, and its pay: 3 yuan per
# person paid + 2000 yuan less 50 per started point of coverage below 98% (no bonus
# while the special groups are under 100%); the total pays the villages' sum.
cb status --by village --json > "$dir/st.json"
cb pay-agents --json > "$dir/pa.json"
check "pay-agents --json exits 0" 0 $?
check "pay-agents village 马桥村 agrees with status and the policy's pay" "ok" "$(python3 - "$dir/st.json" "$dir/pa.json" <<'PY'
import json, math, sys
st = {a["village"]: a for a in json.load(open(sys.argv[1]))["areas"]}
pa = json.load(open(sys.argv[2]))
v = {a["village"]: a for a in pa["villages"]}["马桥村"]
s = st["马桥村"]
assert (v["registered"], v["paid"], v["target"]) == (s["registered"], s["paid"], s["target"]), (v, s)
assert abs(v["coverage"] - s["coverage"]) < 1e-9 and abs(v["special_coverage"] - s["special_coverage"]) < 1e-9
short = math.ceil(98 - 100 * s["coverage"] - 1e-9) if s["coverage"] < 0.98 else 0
bonus = max(0, 200000 - 5000 * short) if s["special_coverage"] >= 1 else 0
assert (v["points_short"], v["bonus_fen"]) == (short, bonus) and bonus > 0, (v, short, bonus)
assert v["pay_fen"] == 300 * s["paid"] + bonus and v["pay_yuan"] == "%.2f" % (v["pay_fen"] / 100)
assert v["reached"] is False
assert pa["total"]["pay_fen"] == sum(a["pay_fen"] for a in pa["villages"])
assert pa["total"]["paid"] == sum(a["paid"] for a in st.values())
print("ok")
PY
)"
check "pay-agents text shows the village's pay" "1" \
    "$(cb pay-agents | grep -c "马桥村 .* $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([a for a in d["villages"] if a["village"]=="马桥村"][0]["pay_yuan"])' "$dir/pa.json")\$")"
sed '/"agent_pay"/d' "$src/examples/lengshi-2024.json" > "$dir/nopay.json"
"$canbao" --db "$dir/nopay.db" init --policy "$dir/nopay.json" >/dev/null
out=$("$canbao" --db "$dir/nopay.db" pay-agents)
check "pay-agents without agent_pay exits 0" 0 $?
check "pay-agents without agent_pay says so" 1 "$(echo "$out" | grep -c 'sets no agent_pay')"
# An imported payment thanks the payer as the hook does: one thank-you per receipt of a
# matched payer with a phone, keyed by the receipt, and a replay queues none.
thanks=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from outbox where template='payment_thanks' and key like 'thanks:%'\").fetchone()[0])" "$dir/t.db")
want=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from payment y join person p on p.id = y.person_id where y.problem is null and p.phone is not null and p.phone <> ''\").fetchone()[0])" "$dir/t.db")
check "import payments queues a thank-you per matched payer with a phone" "$want" "$thanks"
check "there are thank-yous" 1 "$([ "$thanks" -gt 100 ] && echo 1 || echo 0)"

# A roster without a category column keeps the categories stored from a department's list.
kid=$(grep -m1 ',,unpaid,' "$src/examples/roster-lengshi-sample.csv" | cut -d, -f1)
kname=$(grep -m1 ',,unpaid,' "$src/examples/roster-lengshi-sample.csv" | cut -d, -f2)
printf 'id_number,name\n%s,%s\n' "$kid" "$kname" > "$dir/sub.csv"
cb import subsidies "$dir/sub.csv" --category 特困 >/dev/null
check "subsidy list applied" "特困" "$(cb resident show "$kid" --json | json 'd["categories"]')"
# (drop the 9th column, category; the sample holds a few GBK rows, kept byte for byte)
python3 -c "import sys; o=open(sys.argv[2],'wb'); [o.write(b','.join(l.split(b',')[:8]+l.split(b',')[9:])) for l in open(sys.argv[1],'rb')]" \
    "$src/examples/roster-lengshi-sample.csv" "$dir/nocat.csv"
check "category column dropped" "person_id,name,phone,household_id,relation,township,village,group,status,birth_date" \
    "$(head -1 "$dir/nocat.csv")"
cb import roster "$dir/nocat.csv" --report "$dir/rej3.csv" >/dev/null
check "roster without a category column keeps categories" "特困" \
    "$(cb resident show "$kid" --json | json 'd["categories"]')"

# Pingli's subsidy cut-off (9月30日): on a day after it a list adds nobody new to the
# category (those rows are rejected with the reason, nothing applied); people already in
# it stay unchanged; before it the same list applies.
pdb="$dir/pingli.db"
sample0="$src/examples/roster-lengshi-sample.csv"
pb() { "$canbao" --db "$pdb" "$@"; }
pb init --policy "$src/examples/pingli-2022.json" >/dev/null
{ head -1 "$sample0"; grep ',,unpaid,19[0-8]' "$sample0" | head -3 | sed '1s/,,unpaid,/,低保,unpaid,/'; } > "$dir/proster.csv"
pb --today 2021-09-01 import roster "$dir/proster.csv" >/dev/null
check "pingli roster" 0 $?
tail -n +2 "$dir/proster.csv" | cut -d, -f1,2 | { echo id_number,name; cat; } > "$dir/psub.csv"
pid2=$(sed -n 3p "$dir/psub.csv" | cut -d, -f1)
out=$(pb --today 2021-10-20 import subsidies "$dir/psub.csv" --category 低保 --report "$dir/psrej.csv")
check "after the cut-off: newcomers rejected, the listed one unchanged" "3 unchanged 1, rejected 2" \
    "$? $(echo "$out" | grep -o 'unchanged [0-9]*, rejected [0-9]*')"
check "after the cut-off: the reason" 2 \
    "$(grep -c 'listed after the subsidy cut-off 09-30: counts for next year' "$dir/psrej.csv")"
check "after the cut-off: nothing applied" "" "$(pb resident show "$pid2" --json | json 'd["categories"]')"
out=$(pb --today 2021-09-30 import subsidies "$dir/psub.csv" --category 低保)
check "on the cut-off day: applied" "updated 2, unchanged 1, rejected 0" \
    "$(echo "$out" | grep -o 'updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"
check "on the cut-off day: the category stored" "低保" "$(pb resident show "$pid2" --json | json 'd["categories"]')"

# Header names match exactly: 姓對 (one UTF-8 byte away from 姓名 in bit 5) is not 姓名.
printf '姓\xe5\xb0\x8d,身份证号,乡镇,村\n张三,%s,冷市镇,南华村\n' "$kid" > "$dir/hdr.csv"
err=$(cb import roster "$dir/hdr.csv" 2>&1)
check "near-miss Chinese header is not taken for 姓名" "2 1" "$? $(echo "$err" | grep -c "no 'name' column")"

# Lines of blanks are skipped, not rejected.
{ head -3 "$src/examples/roster-lengshi-sample.csv"; printf '   \n\t\n'; sed -n 4,5p "$src/examples/roster-lengshi-sample.csv"; } > "$dir/blank.csv"
"$canbao" --db "$dir/blank.db" init --policy "$src/examples/lengshi-2024.json" >/dev/null
out=$("$canbao" --db "$dir/blank.db" import roster "$dir/blank.csv")
check "blank lines are skipped" "imported 4, rejected 0" \
    "$(echo "$out" | grep -o 'imported [0-9]*' ), $(echo "$out" | grep -o 'rejected [0-9]*')"

# Hostile input (issue 11): each refused file exits 2 with a message, a row with a
# control character is rejected (exit 3) naming its column, the report is 0600 and
# carries no raw control byte, a CR-only file reads as lines.
sample="$src/examples/roster-lengshi-sample.csv"
hdb="$dir/hostile.db"
"$canbao" --db "$hdb" init --policy "$src/examples/lengshi-2024.json" >/dev/null
hb() { "$canbao" --db "$hdb" "$@"; }
head -1 "$sample" > "$dir/hdr-only.csv"
err=$(hb import roster "$dir/hdr-only.csv" 2>&1)
check "header-only file exits 2" 2 $?
check "header-only file says so" "canbao: import roster: $dir/hdr-only.csv: the header is there but no data rows" "$err"
{ head -1 "$sample" | sed 's/^person_id,/person_id,身份证号,/'; sed -n 2p "$sample" | sed 's/^\([0-9X]*\),/\1,\1,/'; } > "$dir/dup.csv"
err=$(hb import roster "$dir/dup.csv" 2>&1)
check "duplicate header column exits 2" 2 $?
check "duplicate header column is named" 1 "$(echo "$err" | grep -c "two 'id_number' columns: person_id (column 1) and 身份证号 (column 2)")"
{ head -1 "$sample"; sed -n 5,7p "$sample"; } | tr '\n' '\r' > "$dir/mac.csv"
out=$(hb import roster "$dir/mac.csv")
check "CR-only file exits 0" 0 $?
check "CR-only file reads every line" "imported 3, updated 0, unchanged 0, rejected 0" \
    "$(echo "$out" | grep -o 'imported [0-9]*, updated [0-9]*, unchanged [0-9]*, rejected [0-9]*')"
{ head -2 "$sample"; sed -n 3p "$sample" | sed 's/,黄丽敏,/,黄\x1b[2J丽敏,/'; sed -n 4p "$sample" | sed 's/,冷市镇,/,冷市镇\x00,/'; } > "$dir/esc.csv"
printf 'an earlier report\n' > "$dir/esc.csv.rejected.csv"
chmod 644 "$dir/esc.csv.rejected.csv"
out=$(hb import roster "$dir/esc.csv")
check "control characters exit 3" 3 $?
check "control characters reject only their rows" "imported 1, rejected 2" \
    "$(echo "$out" | grep -o 'imported [0-9]*'), $(echo "$out" | grep -o 'rejected [0-9][0-9]*')"
check "the report names column and character" '"3","name","contains a control character U+001B"|"4","township","contains a control character U+0000"' \
    "$(cut -d, -f1-3 "$dir/esc.csv.rejected.csv" | tail -n +2 | paste -sd'|')"
check "reject report is private" 600 "$(stat -c %a "$dir/esc.csv.rejected.csv")"
check "reject report holds no control byte" 0 "$(tr -d '\n' < "$dir/esc.csv.rejected.csv" | tr -cd '\000-\037\177' | wc -c)"

cb frobnicate >/dev/null 2>&1
check "unknown command exits 2" 2 $?
cb import roster "$dir/missing.csv" >/dev/null 2>&1
check "missing file exits 2" 2 $?
check "help exits 0" 0 "$("$canbao" --help >/dev/null; echo $?)"

# bot parse: how a reply is understood, without a database.
j=$("$canbao" bot parse "放弃，职工医保" --json)
check "bot parse waiver JSON" "waiver 2 employee_insurance False" \
    "$(echo "$j" | json 'd["intent"], d["reason"], d["reason_name"], d["ask_reason"]' | tr -d "(),'")"
j=$("$canbao" bot parse 已缴费，票号：３３１２３４５６７８９０１２３４ --json)
check "bot parse receipt" "paid_claim 3312345678901234" \
    "$(echo "$j" | json 'd["intent"] + " " + d["receipt"]')"
check "bot parse questions" "amount deadline" \
    "$("$canbao" bot parse "多少钱" "什么时候截止？" --json | json '" ".join(d["questions"])')"
check "bot parse waiver pending" "4 在外地打工" \
    "$("$canbao" bot parse --waiver-pending "4 在外地打工" --json | json 'str(d["reason"]) + " " + d["reason_text"]')"
check "bot parse survey choice" "survey_answer 2" \
    "$("$canbao" bot parse B --survey 3 --json | json 'd["intent"] + " " + str(d["choice"])')"
check "bot parse text output" "intent      opt_out" "$("$canbao" bot parse ＴＤ | head -1)"
check "bot parse unknown keeps the text" "unknown 你是谁？" \
    "$("$canbao" bot parse --json -- "你是谁？" | json 'd["intent"] + " " + d["text"]')"
"$canbao" bot parse "$(printf '\xff')" >/dev/null 2>&1
check "bot parse invalid UTF-8 exits 2" 2 $?
"$canbao" bot parse >/dev/null 2>&1
check "bot parse without text exits 2" 2 $?
"$canbao" bot parse x --survey 27 >/dev/null 2>&1
check "bot parse --survey out of range exits 2" 2 $?
check "bot parse --help exits 0" 0 "$("$canbao" bot parse --help >/dev/null; echo $?)"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
