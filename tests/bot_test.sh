#!/usr/bin/env bash
# End-to-end test of the bot's commands on the sample roster: 'canbao reply' (answers,
# replays, waivers, opt-outs, strangers), 'canbao waivers' (list, confirm, export) and
# 'canbao survey start/results', with dispatch to the embedded file channel.
# usage: bot_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$src/tests/lib.sh"
cb() { "$canbao" --db "$dir/t.db" --now "2023-11-20 10:00" "$@"; }
sent() { # sent KEY: the text the file channel wrote for the outbox key KEY
    python3 - "$dir/t.db.messages.jsonl" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    if d["key"] == sys.argv[2]:
        print(d["text"])
PY
}
sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$dir/t.db" "$1"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" | head -1; }

# The good rows of the sample roster as dicts (rows the import rejected left out; the
# file has deliberately broken lines, so it is decoded line by line).
cat > "$dir/roster.py" <<'PY'
import csv, sys
def rows(path, rejected):
    bad = {int(r["line"]) for r in csv.DictReader(open(rejected))}
    lines = open(path, "rb").read().decode("utf-8-sig", "replace").split("\n")
    head = next(csv.reader([lines[0]]))
    for i, line in enumerate(lines[1:], start=2):
        if i not in bad and line.strip():
            yield dict(zip(head, next(csv.reader([line]))))
PY
export PYTHONPATH="$dir"

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null

# From the roster: a phone of one unpaid 50% person, one of a plain unpaid person (and
# their ID number), and a phone shared by several unpaid people of 南华村.
read -r half plain plain_id < <(python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" <<'PY'
import collections, sys, roster
rows = list(roster.rows(sys.argv[1], sys.argv[2]))
by_phone = collections.Counter(r["phone"] for r in rows if r["phone"])
alone = [r for r in rows if r["phone"] and by_phone[r["phone"]] == 1
         and (r.get("status") or "unpaid") == "unpaid"]
half = next(r for r in alone if r["category"] in ("低保", "监测对象", "低保边缘"))
plain = next(r for r in alone if not r["category"])
print(half["phone"], plain["phone"], plain["person_id"])
PY
)

# A question about one's own amount: the 50% person hears 190, not 380.
out=$(cb reply --from "$half" "我要交多少钱" --id q1)
check "question understood and answered" "question 1" "$(echo "$out" | field intent) $(echo "$out" | field replied)"
out=$(cb reply --from "$half" "我要交多少钱" --id q1)
check "the same message id again is a replay" "1 0" "$(echo "$out" | field replay) $(echo "$out" | field replied)"
check "one answer queued" 1 "$(sql "select count(*) from outbox where key like 'reply:q1'")"
cb dispatch --once >/dev/null
check "the answer names the person's own amount" 1 "$(sent reply:q1 | grep -c '应缴190元')"
check "and not the full fee" 0 "$(sent reply:q1 | grep -c '380')"

# A waiver: the reason is asked, a bare number completes it, a worker confirms it.
out=$(cb reply --from "$plain" "我放弃" --id w1)
check "waiver without a reason asks for one" "waiver" "$(echo "$out" | field intent)"
out=$(cb reply --from "$plain" "2" --id w2)
check "a bare number completes the waiver" 1 "$(echo "$out" | grep -c 'waiver pending reason 2')"
out=$(cb waivers)
check "the listing shows it pending" 1 "$(echo "$out" | grep -c '1 waivers: 1 pending')"
check "the listing masks the ID number" "0 1" \
    "$(echo "$out" | grep -c "$plain_id") $(echo "$out" | grep -c "${plain_id:0:6}\*\{8\}${plain_id:14:4}")"
# --today alone puts the campaign clock on that day: the confirmation is dated by it.
out=$("$canbao" --db "$dir/t.db" --today 2023-11-21 waivers confirm "$plain_id" --by 王干部)
check "confirm with the signed form" "0 1" "$? $(echo "$out" | grep -c 'status waived')"
check "confirmed on the campaign clock's day, not the wall clock's" 2023-11-21 \
    "$(sql "select date(confirmed_at, 'unixepoch', '+8 hours') from waiver where state = 'confirmed'")"
check "the person is waived" waived \
    "$(cb resident show "$plain_id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
check "with an audit row" 1 "$(sql "select count(*) from audit where new = 'waived' and source = 'waiver confirmed by 王干部'")"
err=$(cb waivers confirm "$plain_id" --by 王干部 2>&1)
check "confirming twice is refused" "2 1" "$? $(echo "$err" | grep -c 'is waived')"
cb waivers export --township 冷市镇 --out "$dir/w.csv" 2>/dev/null
check "the export is private" 600 "$(stat -c %a "$dir/w.csv")"
check "the export has the form's columns" 1 "$(grep -c '姓名,身份证号码,乡镇,村（社区）,组,放弃原因序号,放弃原因' "$dir/w.csv")"
check "the export has the full ID, reason and worker" 1 \
    "$(grep "$plain_id" "$dir/w.csv" | grep '参加职工医疗保险' | grep '已确认' | grep -c '王干部')"
err=$(cb waivers export --township 不存在镇 --out "$dir/x.csv" 2>&1)
check "an unknown township is refused" "2 1" "$? $(echo "$err" | grep -c "no township named '不存在镇'")"
err=$(cb waivers export 2>&1)
check "export needs a township" 2 "$?"

# A stranger's reply goes to a handoff, unanswered.
out=$(cb reply --from 13000000000 "已缴费" --id x1)
check "a stranger gets no answer" "0 0" "$(echo "$out" | field person) $(echo "$out" | field replied)"
check "the text is handed over" 1 "$(sql "select count(*) from handoff h join inbound i using (msg_id) where i.sender = '13000000000'")"
err=$(cb reply --from 12345 "hi" 2>&1)
check "a bad phone is refused" "2 1" "$? $(echo "$err" | grep -c -- '--from')"
check "reply needs a text" 2 "$(cb reply --from "$half" >/dev/null 2>&1; echo $?)"

# A survey to 南华村's unpaid, once per phone; the answers are counted per choice.
out=$(cb survey start "$src/examples/survey-why-unpaid.json" --to unpaid:village=冷市镇/南华村)
check "survey start exits 0" 0 $?
started=$(echo "$out" | sed -n 's/.*started on \([0-9]*\).*/\1/p')
want=$(python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" "$plain" <<'PY'
import sys, roster
dept = {"特困", "特困人员", "特困供养人员", "重度残疾", "重度残疾人", "孤儿", "事实无人抚养儿童"}
phones = set()
for r in roster.rows(sys.argv[1], sys.argv[2]):
    cats = set((r.get("category") or "").replace("；", ";").split(";"))
    if r["village"] != "南华村" or (r.get("status") or "unpaid") != "unpaid" or cats & dept:
        continue
    if r["phone"] and r["phone"] != sys.argv[3]:  # the waived person is no longer unpaid
        phones.add(r["phone"])
print(len(phones))
PY
)
check "the survey went to every phone of the village once" "$want" "$started"
check "one question queued per phone" "$started" "$(sql "select count(*) from outbox where key like 'survey:why-unpaid:%'")"
out=$(cb survey start "$src/examples/survey-why-unpaid.json" --to unpaid:village=冷市镇/南华村)
check "starting again asks nobody twice" 1 "$(echo "$out" | grep -c 'started on 0,')"
phones=$(python3 -c "import sqlite3,sys; [print(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(\"select recipient from outbox where key like 'survey:why-unpaid:%' order by recipient limit 30\")]" "$dir/t.db")
i=0
for p in $phones; do
    [ $i -eq 0 ] && cb reply --from "$p" "9" --id "bad$i" >/dev/null # out of range: asked again
    cb reply --from "$p" "$((i % 6 + 1))" --id "s$i" >/dev/null
    i=$((i + 1))
done
res=$(cb survey results why-unpaid --json)
check "every answer counted once" 30 "$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["questions"][0]["total"]["answers"])')"
check "counted per choice" "[5, 5, 5, 5, 5, 5]" "$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["questions"][0]["total"]["choices"])')"
check "and per village" "南华村 30" "$(echo "$res" | python3 -c 'import json,sys; v=json.load(sys.stdin)["questions"][0]["villages"]; print(" ".join(x["village"] + " " + str(x["answers"]) for x in v))')"
check "respondents" 30 "$(echo "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["respondents"])')"
check "the text report" 1 "$(cb survey results why-unpaid | grep -c '^  total *30 *5 *5 *5 *5 *5 *5$')"
err=$(cb survey results nope 2>&1)
check "an unknown survey" "2 1" "$? $(echo "$err" | grep -c "no survey named 'nope'")"
printf '{"name":"long","questions":[{"text":"%s","choices":["一二三四五六七八九十一二","一二三四五六七八九十一二","一二三四五六七八九十一二","一二三四五六七八九十一二","一二三四五六七八九十一二"]}]}' \
    "这是一个很长很长的问题这是一个很长很长的问题这是一个很长很长的问题这是一个很长很长的问题" > "$dir/long.json"
err=$(cb survey start "$dir/long.json" --to unpaid 2>&1)
check "a question over two SMS is refused" "2 1" "$? $(echo "$err" | grep -c 'question 1 costs 3 SMS parts')"
echo '{"name":"x","questions":[{"text":"q","choices":["a"]}]}' > "$dir/bad.json"
err=$(cb survey start "$dir/bad.json" --to unpaid 2>&1)
check "a bad definition names the field" "2 1" "$? $(echo "$err" | grep -c 'questions\[0\].choices')"

# Opting out: confirmed once, delivered although opted out, then nothing more.
out=$(cb reply --from "$half" "TD" --id o1)
check "opt-out confirmed" "opt_out 1" "$(echo "$out" | field intent) $(echo "$out" | field replied)"
out=$(cb reply --from "$half" "退订" --id o2)
check "a second opt-out is not confirmed again" 0 "$(echo "$out" | field replied)"
check "opt-out recorded" 1 "$(sql "select count(*) from optout where kind = 'sms' and recipient = '$half'")"
cb send --template remind_periodic --to unpaid >/dev/null
"$canbao" --db "$dir/t.db" --now "2023-11-21 10:00" dispatch --once >/dev/null
check "the confirmation reaches the phone" 1 "$(sent reply:o1 | grep -c '退订')"
check "and is the last message it gets" 1 \
    "$(python3 -c "import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)['to'] == sys.argv[2] and json.loads(l)['id'] >= int(sys.argv[3])))" \
        "$dir/t.db.messages.jsonl" "$half" "$(sql "select min(id) from outbox where key = 'reply:o1'")")"
check "the reminder to it failed as opted out" 1 \
    "$(sql "select count(*) from outbox where recipient = '$half' and key like 'send:%' and error like '%opted out%'")"

# Claims: a paid claim is not a payment until a worker verifies it.
cb reply --from "$half" "我已经交了，票号2023112012345678" --id p1 >/dev/null
n=$(sql "select count(*) from claim where state = 'open' and kind = 'paid'")
check "a paid claim per owing member, open" 1 "$([ "$n" -ge 1 ] && echo 1)"
check "claims lists them" "$n open claim(s)" "$(cb claims | tail -1)"
cid=$(sql "select min(id) from claim where state = 'open' and kind = 'paid'")
pid=$(sql "select person_id from claim where id = $cid")
check "still unpaid before the check" unpaid "$(sql "select status from enrolment where person_id = $pid")"
check "verify needs --by" 2 "$(cb claims verify "$cid" >/dev/null 2>&1; echo $?)"
out=$(cb claims verify "$cid" --by 网格员李四)
check "verified: the person is paid" "paid" "$(sql "select status from enrolment where person_id = $pid")"
check "with an audit row naming the worker" 1 \
    "$(sql "select count(*) from audit where person_id = $pid and source = 'claim:$cid:网格员李四' and new = 'paid'")"
err=$(cb claims verify "$cid" --by 网格员李四 2>&1)
check "a second verdict is refused" "2 1" "$? $(echo "$err" | grep -c 'is not open')"
check "listed as verified" 1 "$(cb claims --state verified | grep -c "^ *$cid  verified")"
# A newborn and a death, on a small second roster: a parent with a child born on
# 1 October 2023 (50 days old, inside the 90-day newborn window), and an old man alone.
python3 - "$dir/family.csv" <<'PY2'
import sys
def idn(body):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]
rows = [(idn("43092319900315002"), "周芳", "13700000001", "户主", "1990-03-15"),
        (idn("43092320231001003"), "周小宝", "13700000001", "子", "2023-10-01"),
        (idn("43092319400202005"), "钱老汉", "13700000002", "户主", "1940-02-02")]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("person_id,name,phone,household_id,relation,township,village,group,category,status,birth_date\n")
    for i, (pid, name, phone, rel, birth) in enumerate(rows):
        hh = "4309231012019001" if i < 2 else "4309231012019002"
        f.write(f"{pid},{name},{phone},{hh},{rel},冷市镇,南华村,9组,,unpaid,{birth}\n")
PY2
cb import roster "$dir/family.csv" >/dev/null
baby=$(sql "select id from person where name = '周小宝'")
out=$(cb reply --from 13700000001 "孩子刚出生怎么交" --id nb1)
check "a newborn question is about the child" "question $baby 1" \
    "$(echo "$out" | field intent) $(echo "$out" | field person) $(echo "$out" | field replied)"
cb dispatch --once >/dev/null
check "the answer gives the child's own deadline" 1 "$(sent reply:nb1 | grep -c '出生90天内参保缴费.*2023年12月29日前')"
out=$(cb reply --from "$(sql "select phone from person where name = '钱老汉'")" "新生儿怎么参保" --id nb3)
cb dispatch --once >/dev/null
check "without a newborn: the general rule" "1 0" \
    "$(sent reply:nb3 | grep -c '新生儿出生90天内参保缴费') $(sent reply:nb3 | grep -c '2023年')"
old=$(sql "select id from person where name = '钱老汉'")
out=$(cb reply --from 13700000002 "老人去世了" --id dd1)
check "a death report is understood" "deceased $old 1" \
    "$(echo "$out" | field intent) $(echo "$out" | field person) $(echo "$out" | field replied)"
check "it opens a deceased claim" 1 "$(sql "select count(*) from claim where person_id = $old and kind = 'deceased' and state = 'open'")"
check "and hands it to the grid worker as a death" 1 \
    "$(sql "select count(*) from handoff where person_id = $old and text like '死亡报告%老人去世了'")"
check "answered respectfully" deceased_ack "$(sql "select template from outbox where key = 'reply:dd1'")"
cid=$(sql "select id from claim where person_id = $old and kind = 'deceased'")
cb claims verify "$cid" --by 网格员李四 >/dev/null
check "verified: the person is deceased" deceased "$(sql "select status from enrolment where person_id = $old")"

for c in reply waivers survey claims; do
    check "$c has help" 0 "$(cb $c --help >/dev/null; echo $?)"
done
echo "bot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
