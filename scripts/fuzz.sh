#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, -DCB_FUZZ=ON) and runs each
# for SECONDS (default 20), one after the other. Every fuzz/fuzz_*.c is a target named
# after its file, seeded from fuzz/corpus/<name without fuzz_>/ and fuzz/<that>.dict
# when they exist; new inputs go to build/fuzz/corpus/<target>/ and findings to
# build/fuzz/artifacts/. Exits 1 when any target crashes, leaks, times out or fails
# its checks (the artifact is named in the output), 2 when it cannot build.
# usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
case $secs in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (scripts/deps.sh installs it)" >&2; exit 2; }
targets=()
for f in fuzz/fuzz_*.c; do
  targets+=("$(basename "$f" .c)")
done
cmake --preset fuzz >/dev/null || exit 2
cmake --build build/fuzz -j2 --target "${targets[@]}" || exit 2
mkdir -p build/fuzz/artifacts
failed=()
for t in "${targets[@]}"; do
  short=${t#fuzz_}
  mkdir -p "build/fuzz/corpus/$t"
  args=("build/fuzz/corpus/$t")
  [ -d "fuzz/corpus/$short" ] && args+=("fuzz/corpus/$short")
  [ -f "fuzz/$short.dict" ] && args+=("-dict=fuzz/$short.dict")
  echo "== $t: ${secs}s"
  if "build/fuzz/fuzz/$t" "${args[@]}" -max_total_time="$secs" -timeout=10 \
      -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t-" 2>"build/fuzz/$t.log"; then
    grep -E '^(stat::number_of_executed_units|Done )' "build/fuzz/$t.log" || true
  else
    failed+=("$t")
    tail -n 40 "build/fuzz/$t.log"
    echo "FAIL: $t (log: build/fuzz/$t.log)"
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: ${failed[*]} failed"; exit 1; }
echo "fuzz: ${#targets[@]} targets, ${secs}s each, no findings"
