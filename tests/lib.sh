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
# cli_env CANBAO SOURCE_DIR: the setting of a test of the canbao binary: $canbao, $src,
# a temporary $dir removed on exit, cb (canbao on $dir/t.db) and json EXPR (a Python
# expression over the JSON on stdin, as d).
cli_env() {
    canbao=$1
    src=$2
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    cb() { "$canbao" --db "$dir/t.db" "$@"; }
    json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
}
