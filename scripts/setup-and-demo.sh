#!/usr/bin/env bash
# Installs dependencies, builds canbao, and runs the main job on the embedded SQLite
# store: 'canbao simulate', a whole campaign (the Lengshi 2024 seed: 18 villages,
# 37,288 people) on virtual time, with the reminder rules, grid workers' to-do lists,
# reports, the outbox and the dispatcher (to the file channel) all running as they
# do in the daemon. Then a look around the database it leaves: simulate.db.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${CANBAO_SKIP_DEPS:-}" = 1 ] || ./scripts/deps.sh
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
cmake --build build/demo -j"$(nproc)" >/dev/null
canbao=$PWD/build/demo/app/canbao
db=${CANBAO_DEMO_DB:-simulate.db}
run() { echo "\$ canbao $*"; "$canbao" "$@"; echo; }
run --db "$db" simulate --force
run --db "$db" status --by township
run --db "$db" run list --limit 6
report=$(ls "$db".out/reports/report-*.md | tail -1)
echo "the last report to the leaders' group ($report):"; head -12 "$report"; echo
list=$(ls "$db".out/todo/2023-12-31/*.csv | head -1)
echo "a grid worker's last to-do list ($list, and .html to print): $(($(wc -l < "$list") - 1)) people"
echo "The database is $db; try: $canbao --db $db status --by village   or   resident show ID"
