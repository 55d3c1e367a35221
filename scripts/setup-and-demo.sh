#!/usr/bin/env bash
# Installs dependencies, builds canbao, and runs a demo campaign on the embedded SQLite
# store: the Lengshi 2024 policy and task table, a 3,000-person roster (with a few bad
# rows, which are rejected with reasons), a tax-bureau payment export, progress, and a
# round of reminders through the outbox to the file channel.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${CANBAO_SKIP_DEPS:-}" = 1 ] || ./scripts/deps.sh
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
cmake --build build/demo -j"$(nproc)" >/dev/null
canbao=build/demo/app/canbao
db=${CANBAO_DEMO_DB:-demo.db}
rm -f "$db" "$db-wal" "$db-shm" "$db.messages.jsonl"
run() { echo "\$ canbao $*"; "$canbao" --db "$db" "$@" || [ $? -eq 3 ]; echo; }
run init --policy examples/lengshi-2024.json --targets examples/targets-lengshi-2024.csv
run import roster examples/roster-lengshi-sample.csv --report demo-roster-rejected.csv
echo "first rejected rows (line, column, reason):"; head -4 demo-roster-rejected.csv; echo
run import payments examples/payments-lengshi-sample.csv --report demo-payments-rejected.csv
run --today 2023-12-01 status --by village
id=$(sed -n 2p examples/roster-lengshi-sample.csv | cut -d, -f1)
run resident show "$id"
# Reminders: queue one per phone of the unpaid, then send them through the embedded
# file channel (a deployment names Kannel, HTTP SMS or robots in a config file).
run --now "2023-11-20 10:00" send --template remind_periodic --to unpaid --dry-run
run --now "2023-11-20 10:00" send --template remind_periodic --to unpaid
run --now "2023-11-20 10:00" dispatch --once
run outbox --limit 5
echo "the file channel wrote $(wc -l < "$db.messages.jsonl") messages to $db.messages.jsonl"
echo "The demo database is $db; try: $canbao --db $db status --by group --json"
