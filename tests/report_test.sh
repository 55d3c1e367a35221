#!/usr/bin/env bash
# 'canbao report' end to end on the demo's data (Lengshi 2024: the 18-village task
# table, the sample roster and payments): files, the outbox row, a second run on
# the same day, the change after payments, and the message reaching the file channel.
# usage: report_test.sh CANBAO SOURCE_DIR
set -u
. "$2/tests/lib.sh"
cli_env "$@"
sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$dir/t.db" "$1"; }

cb init --policy "$src/examples/lengshi-2024.json" --targets "$src/examples/targets-lengshi-2024.csv" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null

check "report --help exits 0" 0 "$(cb report --help >/dev/null; echo $?)"
cb report --bogus >/dev/null 2>&1
check "report with a bad option exits 2" 2 $?

md=$(cb --now "2023-11-10 17:30" report --print 2>"$dir/err")
check "report --print exits 0" 0 $?
check "markdown title" "### 安化县2024年度居民医保缴费周报（11月10日）" "$(echo "$md" | head -1)"
check "first report says so" 1 "$(echo "$md" | grep -c '首次通报')"
paid=$(cb status --json | json 'd["total"]["paid"]')
check "markdown total is status's" 1 "$(echo "$md" | grep -c "已缴 \*\*$paid\*\* 人 / 任务 31700 人")"
check "top and bottom three villages" "3 3" \
    "$(echo "$md" | sed -n '/进度前列/,/^$/p' | grep -c '^[0-9]*\. ') $(echo "$md" | sed -n '/进度靠后/,/^$/p' | grep -c '^[0-9]*\. ')"
csv="$dir/t.db.out/reports/report-2023-11-10.csv"
check "where the files went, on stderr" 1 "$(grep -c "csv      $csv" "$dir/err")"
check "csv: header and 19 areas" 20 "$(wc -l < "$csv")"
check "csv: the township's paid is status's" "$paid" "$(grep '^"township"' "$csv" | cut -d, -f7)"
check "markdown file is what was printed" "$md" "$(cat "$dir/t.db.out/reports/report-2023-11-10.md")"
check "one outbox row for the leaders" "1 robot leaders notice" \
    "$(sql "SELECT count(*) || ' ' || route || ' ' || recipient || ' ' || class FROM outbox WHERE key = 'report:2023-11-10'")"

out=$(cb --now "2023-11-10 18:00" report)
check "second run the same day: nothing new" 1 "$(echo "$out" | grep -c 'made before, nothing new')"
check "still one outbox row and one snapshot" "1 1" "$(sql "SELECT count(*) FROM outbox") $(sql "SELECT count(*) FROM report")"

cb import payments "$src/examples/payments-lengshi-sample.csv" --report "$dir/prej.csv" >/dev/null
now=$(cb status --json | json 'd["total"]["paid"]')
md=$(cb --today 2023-11-17 report --out "$dir/out" --print 2>/dev/null)
check "change since the last report" 1 "$(echo "$md" | grep -c "较11月10日：新增缴费 +$((now - paid)) 人")"
check "--out puts the files there" 1 "$(ls "$dir/out/reports/" | grep -c '^report-2023-11-17.csv$')"
check "two snapshots of 19 areas" "2 38" "$(sql "SELECT count(*) FROM report") $(sql "SELECT count(*) FROM report_area")"

cb --now "2023-11-17 18:00" dispatch --once >/dev/null
check "the reports reach the robot route's channel" 2 \
    "$(cat "$dir/t.db.messages.jsonl" 2>/dev/null | grep -c '"key":"report:2023-11-1[07]"')"

echo "report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
