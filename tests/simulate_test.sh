#!/usr/bin/env bash
# 'canbao simulate' end to end on a small county: the final figures it prints are the
# store's own (status --json), the last point of each village's curve is its final
# progress, every job ran on the virtual calendar, and over the whole campaign the
# dispatcher kept the caps (one reminder a day and three a week per phone) and quiet
# hours, and no reminder went to someone a department pays for.
# usage: simulate_test.sh CANBAO SOURCE_DIR
set -u
. "$2/tests/lib.sh"
cli_env "$1" "$2"
sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$dir/t.db" "$1"; }

# Bad numbers are refused with the option named, before anything is made.
err=$(cb simulate --seed 3x 2>&1 >/dev/null)
check "a bad --seed exits 2" 2 $?
check "a bad --seed is named" 1 "$(echo "$err" | grep -c -- '--seed 3x: must be a whole number')"
cb simulate --people 0 >/dev/null 2>&1
check "--people 0 exits 2" 2 $?
cb run list --limit 0 >/dev/null 2>&1
check "run list --limit 0 exits 2" 2 $?
check "nothing was made" 0 "$(ls "$dir" | wc -l)"

out=$(cb simulate --people 2500 --seed 3 --visits 2)
check "simulate exits 0" 0 $?
final=$(echo "$out" | sed -n 's/.*: registered \([0-9]*\), target \([0-9]*\), paid \([0-9]*\) (progress [0-9.]*%), waived \([0-9]*\), covered elsewhere \([0-9]*\), unpaid \([0-9]*\)$/\1 \2 \3 \4 \5 \6/p')
status=$(cb status --json | json '" ".join(str(d["total"][k]) for k in ("registered", "target", "paid", "waived", "covered_elsewhere", "unpaid"))')
check "final figures are the store's" "$status" "$final"
reg=$(echo "$final" | cut -d' ' -f1)
check "about 2500 people" 1 "$([ "$reg" -ge 2450 ] && [ "$reg" -le 2550 ] && echo 1)"
check "the statuses add up" "$reg" "$(sql "SELECT count(*) FROM enrolment")"

# The curve's last column is each village's progress at the end.
curve=$(echo "$out" | awk '/^progress/ {on=1; next} on && NF == 0 {exit} on && NR > 1 && $1 !~ /^[0-9]/ {print $1, $NF}' | sort)
want=$(cb status --by village --json | json '"\n".join(sorted("%s %.0f" % (a["village"], 100 * a["progress"]) for a in d["areas"]))')
check "each village's last point is its progress" "$want" "$curve"

# Every job ran every day it was due; the todo lists and reports are files.
check "remind ran daily" 123 "$(sql "SELECT count(*) FROM job_run WHERE job = 'remind' AND error IS NULL")"
check "todo ran daily" 123 "$(sql "SELECT count(*) FROM job_run WHERE job = 'todo' AND error IS NULL")"
check "reports weekly then daily" 1 "$(sql "SELECT count(*) BETWEEN 38 AND 42 FROM job_run WHERE job = 'report'")"
check "a report file per report" "$(sql "SELECT count(*) FROM report")" "$(ls "$dir"/t.db.out/reports/*.csv | wc -l)"
check "to-do lists for the last day" 18 "$(ls "$dir"/t.db.out/todo/2023-12-31/*.html | wc -l)"

# A simulated payment does what the hook's does: each matched payment by a resident
# with a phone is thanked once (keyed by its receipt), and the thank-you went out.
check "every matched payment with a phone is thanked" \
    "$(sql "SELECT count(*) FROM payment y JOIN person p ON p.id = y.person_id WHERE y.problem IS NULL AND ifnull(p.phone, '') <> ''")" \
    "$(sql "SELECT count(*) FROM outbox WHERE template = 'payment_thanks' AND key LIKE 'thanks:SIM%'")"
check "thank-yous were sent" 1 "$(sql "SELECT count(*) > 100 AND count(*) = sum(status = 'sent') FROM outbox WHERE template = 'payment_thanks'")"

# Caps and quiet hours held over the whole campaign (China time).
day="date(sent_at + 28800, 'unixepoch')"
check "at most one reminder a day per phone" 1 \
    "$(sql "SELECT max(n) FROM (SELECT count(*) AS n FROM outbox WHERE class = 'reminder' AND sent_at IS NOT NULL GROUP BY recipient, $day)")"
check "at most three a week per phone" 1 \
    "$(sql "SELECT max(n) <= 3 FROM (SELECT count(*) AS n FROM outbox WHERE class = 'reminder' AND sent_at IS NOT NULL GROUP BY recipient, strftime('%Y-%W', sent_at + 28800, 'unixepoch'))")"
check "nothing sent in quiet hours" 0 \
    "$(sql "SELECT count(*) FROM outbox WHERE class = 'reminder' AND sent_at IS NOT NULL AND (CAST(strftime('%H', sent_at + 28800, 'unixepoch') AS INT) >= 21 OR CAST(strftime('%H', sent_at + 28800, 'unixepoch') AS INT) < 8)")"
check "no reminder to department-paid people" 0 \
    "$(sql "SELECT count(*) FROM outbox o JOIN enrolment e ON e.person_id = o.person_id WHERE o.class = 'reminder' AND (e.categories LIKE '%特困%' OR e.categories LIKE '%重度残疾%' OR e.categories LIKE '%孤儿%' OR e.categories LIKE '%事实无人抚养儿童%')")"
check "reminders went out" 1 "$(sql "SELECT count(*) > 1000 FROM outbox WHERE class = 'reminder' AND status = 'sent'")"
check "the chart is SVG" svg "$(python3 -c "import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().tag.split('}')[-1])" "$dir/t.db.out/simulate/progress.svg")"
# Each village's line in the chart goes through the printed curve's points.
echo "$out" | awk '/^progress/ {on=1; next} on && NF == 0 {exit} on && NR > 1 && $1 !~ /^[0-9]/ {print}' \
    >"$dir/curve.txt"
chart=$(python3 - "$dir/t.db.out/simulate/progress.svg" "$dir/curve.txt" <<'PY'
import sys, re, xml.etree.ElementTree as E
ns = "{http://www.w3.org/2000/svg}"
root = E.parse(sys.argv[1]).getroot()
kids = list(root)
curve = {l.split()[0]: [int(v) for v in l.split()[1:]] for l in open(sys.argv[2])}
bad = checked = 0
for i, k in enumerate(kids):
    if k.tag != ns + "polyline":
        continue
    name = kids[i + 1].text
    ys = [float(p.split(",")[1]) for p in k.get("points").split()]
    got = [round(100 * (1.1 - (y - 50) * 1.1 / 440)) for y in ys]
    want = [min(v, 110) for v in curve[name]]
    checked += 1
    bad += sum(abs(g - w) > 1 for g, w in zip(got, want)) + (len(got) != len(want))
print("%d %d" % (checked, bad))
PY
)
check "the chart's points are the printed curve's" "$(wc -l <"$dir/curve.txt") 0" "$chart"

# An existing database named with --db is not replaced without --force.
cb simulate --people 500 >/dev/null 2>"$dir/err"
check "refuses to replace" "2 1" "$? $(grep -c 'add --force' "$dir/err")"
touch "$dir/t.db.out/reports/report-2019-01-01.csv"
cb simulate --people 500 --force >/dev/null
check "--force replaces" 0 $?
check "the new county" 1 "$(sql "SELECT count(*) < 600 FROM person")"
check "and only its files" "$(sql "SELECT count(*) FROM report")" "$(ls "$dir"/t.db.out/reports/*.csv | wc -l)"

# A task table with a word for a number: the line is named and nothing runs.
printf 'township,village,target,registered\n冷市镇,南华村,两千,3000\n' >"$dir/bad.csv"
"$canbao" --db "$dir/bad.db" simulate --policy "$src/examples/lengshi-2024.json" \
    --targets "$dir/bad.csv" >/dev/null 2>"$dir/err"
check "a bad task table is named" "2 1" "$? $(grep -c 'task table line 2' "$dir/err")"

echo "simulate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
