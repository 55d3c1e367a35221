#!/usr/bin/env bash
# bench/import: canbao's roster import (full validation) against the sqlite3 CLI's
# .import of the same file into a table with the same primary key, in the same run.
# Target (issue 2): canbao takes at most 0.8x the CLI's time, with peak memory < 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
out=bench/out
mkdir -p "$out"
csv=$out/roster-$rows.csv
[ -s "$csv" ] || python3 ../shared/tools/gen_roster.py --rows "$rows" --seed 7 --out "$csv" >/dev/null
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j"$(nproc)" >/dev/null
canbao=build/bench/app/canbao

rm -f "$out"/cli.db*
cat > "$out/cli.sql" <<SQL
CREATE TABLE roster(person_id TEXT PRIMARY KEY, name TEXT, phone TEXT, household_id TEXT,
  relation TEXT, township TEXT, village TEXT, "group" TEXT, category TEXT, status TEXT,
  birth_date TEXT);
.mode csv
.import --skip 1 $csv roster
SQL
t0=$(date +%s.%N)
sqlite3 "$out/cli.db" < "$out/cli.sql"
t1=$(date +%s.%N)

rm -f "$out"/canbao.db*
"$canbao" --db "$out/canbao.db" init --policy examples/lengshi-2024.json >/dev/null
t2=$(date +%s.%N)
/usr/bin/env time -f "%M" -o "$out/mem" "$canbao" --db "$out/canbao.db" import roster "$csv" >"$out/summary"
t3=$(date +%s.%N)

python3 - "$rows" "$t0" "$t1" "$t2" "$t3" "$(cat "$out/mem")" "$(cat "$out/summary")" <<'PY'
import sys
rows, t0, t1, t2, t3, mem_kb, summary = int(sys.argv[1]), *map(float, sys.argv[2:6]), int(sys.argv[6]), sys.argv[7]
cli, cb = t1 - t0, t3 - t2
print(summary)
print(f"sqlite3 .import : {cli:6.2f} s  {rows / cli:10.0f} rows/s  (no validation)")
print(f"canbao import   : {cb:6.2f} s  {rows / cb:10.0f} rows/s  peak {mem_kb / 1024:.1f} MiB")
print(f"ratio canbao/cli: {cb / cli:.2f}  (target <= 0.80; memory target < 64 MiB)")
PY
