#!/usr/bin/env bash
# Builds canbao and runs every test with ctest. With --sanitize, the build uses
# AddressSanitizer + UndefinedBehaviorSanitizer (the CI's second pass). Both use -Werror.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/check-source.sh
if [ "${1:-}" = "--sanitize" ]; then
  preset=dev
else
  preset=release
fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$(nproc)"
ctest --preset "$preset" -j2
