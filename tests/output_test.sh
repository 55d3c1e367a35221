#!/usr/bin/env bash
# Outside text on its way out (README "Output of outside text"): what residents typed,
# names, visit notes and gateways' errors, with escape sequences, bidi overrides and
# invalid UTF-8 in them, never reach a terminal, a log or a file raw, and ID and phone
# numbers in what a resident typed are masked in listings.
# usage: output_test.sh CANBAO SOURCE_DIR
set -u
. "$2/tests/lib.sh"
cli_env "$1" "$2"
cb() { "$canbao" --db "$dir/t.db" --now "2023-11-20 10:00" "$@"; }
sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchone(); c.commit(); print(r[0] if r else '')" "$dir/t.db" "$1"; }
# raw FILE: the raw control characters in FILE ('-': stdin) that a terminal would act
# on, one per line: C0 but newline and tab, DEL, C1, bidi controls, invalid UTF-8.
cat >"$dir/raw.py" <<'PY'
import sys
data = sys.stdin.buffer.read() if sys.argv[1] == "-" else open(sys.argv[1], "rb").read()
text = data.decode("utf-8", "surrogateescape")
bidi = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
for ch in text:
    o = ord(ch)
    if (o < 0x20 and ch not in "\n\t") or 0x7F <= o <= 0x9F or o in bidi or 0xDC80 <= o <= 0xDCFF:
        print(hex(o))
PY
raw() { python3 "$dir/raw.py" "$1"; }
id=430524199001011234
phone=13812345678
evil=$(printf '\033[2J\033]0;owned\007\342\200\256')  # clear screen, set title, BEL, RLO

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
cb import workers "$src/examples/workers-lengshi-sample.csv" --report "$dir/w.csv" >/dev/null

# A reply the bot does not understand becomes a handoff; its text is shown masked.
cb reply --from 13000000000 "我的身份证${id} 电话${phone}${evil}" --id h1 >/dev/null
cb reply --from 13000000001 "打＋８６ １３９１２３４５６７８找我" --id h2 >/dev/null
out=$(cb handoffs)
check "handoffs: no raw control character" "" "$(echo "$out" | raw -)"
check "handoffs: the escapes are visible" 1 "$(echo "$out" | grep -c '\\x1b\[2J\\x1b\]0;owned\\x07\\u202e')"
check "handoffs: the ID number and phone masked" "1 0 0" \
    "$(echo "$out" | grep -c "430524\*\{8\}1234 电话138\*\{4\}5678") $(echo "$out" | grep -c "$id") $(echo "$out" | grep -c "$phone")"
check "handoffs: full-width digits are digits" 1 "$(echo "$out" | grep -c '打＋８６ 139\*\{4\}5678找我')"
check "handoffs: the stored text stays whole" 1 "$(sql "select count(*) from handoff where text like '%$id%'")"

# The log line of a reply (-v) with a hostile message id: one line, quotes escaped.
err=$(cb -v reply --from 13000000002 "hi" --id "$(printf 'x"\033[2J level=error\nts=')" 2>&1 >/dev/null)
check "log: no raw control character" "" "$(echo "$err" | raw -)"
check "log: one line, the quote escaped" "1 1" \
    "$(echo "$err" | grep -c 'comp=bot') $(echo "$err" | grep -c 'msg="msg=x\\"\\x1b\[2J level=error\\x0ats= ')"

# A visit's note becomes a waiver's reason: listed masked, exported in full but defused.
cb visit 4309231012010002 --by LS001 --outcome waived --note "=HYPERLINK(\"http://x\") 身份证${id}${evil}" >/dev/null
out=$(cb waivers)
check "waivers: no raw control character" "" "$(echo "$out" | raw -)"
check "waivers: the ID number in the reason masked" "0 1" \
    "$(echo "$out" | grep -c "$id") $([ "$(echo "$out" | grep -c "身份证430524\*\{8\}1234")" -ge 1 ] && echo 1)"
cb waivers export --township 冷市镇 --out "$dir/w.csv" 2>/dev/null
check "waivers export: no raw control character" "" "$(raw "$dir/w.csv")"
check "waivers export: no formula, the ID in full" "0 1" \
    "$(grep -c '",="\?HYPERLINK\|,=HYPERLINK' "$dir/w.csv") $([ "$(grep -c "\"'=HYPERLINK(\"\"http://x\"\") 身份证${id}\\\\x1b" "$dir/w.csv")" -ge 1 ] && echo 1)"

# A gateway's error in the outbox (as a delivery report's text would put it there).
cb reply --from 13000000000 "交多少钱" --id q1 >/dev/null
cb send --template remind_periodic --to unpaid:village=冷市镇/南华村 >/dev/null
oid=$(sql "select min(id) from outbox where key like 'send:%'")
sql "update outbox set status = 'failed', error = 'gw: bad number $phone' || char(27) || '[2J' || char(7) || char(155) || char(8238) where id = $oid" >/dev/null
out=$(cb outbox --limit 0)
check "outbox: no raw control character" "" "$(echo "$out" | raw -)"
check "outbox: the error shown, its phone masked" "1 0" \
    "$(echo "$out" | grep -c "error: gw: bad number 138\*\{4\}5678\\\\x1b\[2J\\\\x07\\\\u009b\\\\u202e") $(echo "$out" | grep -c "$phone")"
cb outbox --limit 0 --json >"$dir/o.json"
check "outbox --json: no raw control character" "" "$(raw "$dir/o.json")"
check "outbox --json: the same text to a JSON reader" "gw: bad number 138****5678\x1b[2J\x07\x9b\u202e" \
    "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(ascii([r['error'] for r in d['rows'] if r['id'] == $oid][0])[1:-1].replace('\\\\\\\\','\\\\'))" "$dir/o.json")"

# The file channel's JSON lines: a text with controls and invalid UTF-8 stays valid JSON.
qid=$(sql "select min(id) from outbox where status = 'queued'")
sql "update outbox set text = CAST(X'e5a5bd1b5b324ac29be280aeff7f' AS TEXT) where id = $qid" >/dev/null
cb dispatch --once >/dev/null
check "messages.jsonl: no raw control character" "" "$(raw "$dir/t.db.messages.jsonl")"
check "messages.jsonl: valid UTF-8 JSON, U+FFFD for the bad byte" "'\u597d\x1b[2J\x9b\u202e\ufffd\x7f'" \
    "$(python3 -c "import json,sys; [print(ascii(d['text'].split('【')[0])) for d in map(json.loads, open(sys.argv[1], encoding='utf-8', errors='strict')) if d['id'] == $qid]" "$dir/t.db.messages.jsonl")"

# A job's error (a gateway's or a file's words) in 'run list'.
cb run report >/dev/null 2>&1
sql "update job_run set error = 'robot: ' || char(27) || ']0;x' || char(7) || ' call $phone' where id = (select max(id) from job_run)" >/dev/null
out=$(cb run list)
check "run list: no raw control character, phone masked" " 1" \
    "$(echo "$out" | raw -) $(echo "$out" | grep -c 'error: robot: \\x1b\]0;x\\x07 call 138\*\{4\}5678')"

# Roster names reach 'resident show', the to-do CSV and HTML.
pid=$(sql "select p.id from person p join household h on h.id = p.household_id where h.code = '4309231012010061' order by p.id limit 1")
pidn=$(sql "select id_number from person where id = $pid")
sql "update person set name = '=cmd|' || char(27) || '[31m' || char(8238) || '张三' where id = $pid" >/dev/null
out=$(cb resident show "$pidn")
check "resident show: no raw control character" "" "$(echo "$out" | raw -)"
check "resident show: the name escaped" 1 "$(echo "$out" | grep -c '^name        =cmd|\\x1b\[31m\\u202e张三$')"
cb resident show "$pidn" --json >"$dir/r.json"
check "resident show --json: no raw control character" "" "$(raw "$dir/r.json")"
cb todo --worker LS003 --out "$dir/out" >/dev/null
check "todo csv: no raw control character" "" "$(raw "$dir/out/todo/2023-11-20/LS003.csv")"
check "todo csv: the name is no formula" 1 "$(grep -c ",\"'=cmd|\\\\x1b\[31m\\\\u202e张三\"," "$dir/out/todo/2023-11-20/LS003.csv")"
check "todo html: no raw control character" "" "$(raw "$dir/out/todo/2023-11-20/LS003.html")"
out=$(cb todo --worker LS003 --print)
check "todo --print: no raw control character" "" "$(echo "$out" | raw -)"

echo "output: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
