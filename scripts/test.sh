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
# A test that fails is run once more before the suite fails: the integration tests
# drive real daemons, brokers and gateways on a shared 2-core machine, and mqtt_serve
# has failed about one full run in five under heavy load (never alone). A failure that
# repeats still fails the run; ctest prints every failed attempt.
ctest --preset "$preset" -j2 --output-on-failure --repeat until-pass:2
