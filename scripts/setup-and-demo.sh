#!/usr/bin/env bash
# Installs dependencies, builds canbao, and runs a demo campaign on the embedded SQLite
# store: the Lengshi 2024 policy and task table, a 3,000-person roster (with a few bad
# rows, which are rejected with reasons), a tax-bureau payment export, then progress.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${CANBAO_SKIP_DEPS:-}" = 1 ] || ./scripts/deps.sh
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
cmake --build build/demo -j"$(nproc)" >/dev/null
canbao=build/demo/app/canbao
db=${CANBAO_DEMO_DB:-demo.db}
rm -f "$db" "$db-wal" "$db-shm"
run() { echo "\$ canbao $*"; "$canbao" --db "$db" "$@" || [ $? -eq 3 ]; echo; }
run init --policy examples/lengshi-2024.json --targets examples/targets-lengshi-2024.csv
run import roster examples/roster-lengshi-sample.csv --report demo-roster-rejected.csv
echo "first rejected rows (line, column, reason):"; head -4 demo-roster-rejected.csv; echo
run import payments examples/payments-lengshi-sample.csv --report demo-payments-rejected.csv
run --today 2023-12-01 status --by village
id=$(sed -n 2p examples/roster-lengshi-sample.csv | cut -d, -f1)
run resident show "$id"
echo "The demo database is $db; try: $canbao --db $db status --by group --json"
