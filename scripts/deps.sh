#!/usr/bin/env bash
# Installs what canbao needs to build and test on Debian 12 (run as root, or with sudo);
# clang with libclang-rt-dev (libFuzzer and the sanitizers; only recommended by clang)
# builds the fuzz targets (scripts/fuzz.sh).
# The integration tests' peers need curl, openssl, Kannel (bearerbox, smsbox; fakesmsc from
# kannel-extras), wrk (bench/sink.sh) and mosquitto with mosquitto-clients (tests/mqtt_test.sh).
# Kannel's postinst cannot start its service in a container ("policy-rc.d denied"); the tests
# run the binaries themselves.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config python3 sqlite3 time clang libclang-rt-dev \
  libcjson-dev libsqlite3-dev libcsv-dev libutf8proc-dev libssl-dev \
  libcurl4-openssl-dev libmosquitto-dev libmicrohttpd-dev check libsubunit-dev \
  mosquitto mosquitto-clients \
  curl openssl kannel kannel-extras wrk >/dev/null
