# Helpers sourced by the shell tests (tests/gateway_test.sh, tests/kannel/*.sh).
pass=0 fail=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $1: expected [$2], got [$3]"; fi
}
# until_ok SECONDS CMD...: runs CMD every 0.1 s until it succeeds (0) or SECONDS pass (1).
until_ok() {
    local end=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.1
    done
}
