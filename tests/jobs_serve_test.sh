#!/usr/bin/env bash
# The scheduled jobs inside 'canbao serve' on the campaign clock: a fast clock
# (--speed) runs the day's jobs at their times; after a downtime each job runs once
# on start, not once per missed day; the dispatcher reads the same clock, so reminders
# queued at night wait for the morning.
# usage: jobs_serve_test.sh CANBAO SOURCE_DIR
set -u
. "$2/tests/lib.sh"
cli_env "$1" "$2"
sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$dir/t.db" "$1"; }
runs() { sql "SELECT count(*) FROM job_run WHERE job = '$1' AND ended_at IS NOT NULL"; }
cat >"$dir/cfg.json" <<JSON
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl", "rate": 100000}],
 "serve": {"listen": "127.0.0.1:0"}}
JSON
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
serve() { # serve NOW SPEED: start the daemon with its clock at NOW
    rm -f "$dir/serve.out" # not the last daemon's "listening" line
    "$canbao" --db "$dir/t.db" --now "$1" serve --config "$dir/cfg.json" --speed "$2" \
        >"$dir/serve.out" 2>>"$dir/serve.err" &
    pid=$!
    until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
}
stop() { kill -TERM "$pid"; wait "$pid"; check "clean stop" 0 $?; pid=; }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
cb import workers "$src/examples/workers-lengshi-sample.csv" --report "$dir/wrej.csv" >/dev/null
unpaid_phones=$(sql "SELECT count(DISTINCT p.phone) FROM person p JOIN enrolment e ON e.person_id = p.id WHERE e.status = 'unpaid' AND p.phone IS NOT NULL AND e.categories NOT LIKE '%特困%' AND e.categories NOT LIKE '%重度残疾%' AND e.categories NOT LIKE '%孤儿%' AND e.categories NOT LIKE '%事实无人抚养儿童%'")

# Ten campaign hours a second from 31 August 09:00: by 1 September 10:00 the
# window has opened, the to-do lists (07:30) and the opening reminders (09:30) ran.
serve "2023-08-31 09:00" 36000
opened() { [ "$(sql "SELECT count(*) FROM job_run WHERE job = 'remind' AND summary LIKE 'opening%'")" = 1 ]; }
until_ok 20 opened
check "the opening reminders ran on the campaign clock" 0 $?
stop
check "one opening message per phone" "$unpaid_phones" "$(sql "SELECT count(*) FROM outbox WHERE key LIKE 'remind:opening:%'")"
check "each slot once" 0 "$(sql "SELECT count(*) FROM (SELECT job, due_at FROM job_run GROUP BY 1, 2 HAVING count(*) > 1)")"
todo_before=$(runs todo) remind_before=$(runs remind)
check "the to-do lists ran" 1 "$([ "$todo_before" -ge 2 ] && echo 1)"

# Down from then until 8 September 22:00: each job runs once on start, for its
# latest slot (the weekly reminder of 8 September among them), not once a day.
serve "2023-09-08 22:00" 1
caught_up() { [ "$(runs remind)" = $((remind_before + 1)) ]; }
until_ok 10 caught_up
check "remind caught up once" 0 $?
sleep 1.5
check "not once per missed day" $((remind_before + 1)) "$(runs remind)"
check "todo caught up once" $((todo_before + 1)) "$(runs todo)"
check "the missed weekly reminder queued" "$unpaid_phones" "$(sql "SELECT count(*) FROM outbox WHERE key LIKE 'remind:weekly:%:2023-09-08'")"
# 22:00 on the campaign clock is quiet: the dispatcher holds them for the morning.
check "quiet hours on the campaign clock" 0 "$(sql "SELECT count(*) FROM outbox WHERE key LIKE 'remind:weekly:%' AND status = 'sent'")"
stop

echo "jobs_serve: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
