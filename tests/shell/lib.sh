# lib.sh — sourced by every tests/shell/t*.sh: a tiny TAP harness.
#   ok_run "name" cmd...      passes when cmd exits 0
#   ok_check "name" expr      passes when `test`-style expr holds... use:
#   ok "name" cond-command    passes when the command succeeds
#   skip "name" "reason"
# Call done_testing at the end; it prints the plan and sets the status.
set -u
: "${MAMORI:?MAMORI must name the built binary}"
T_N=0
T_FAIL=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mamori-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() {
    name=$1; shift
    T_N=$((T_N + 1))
    if "$@" >"$TMP/last.out" 2>"$TMP/last.err"; then
        echo "ok $T_N - $name"
    else
        T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - $name"
        sed 's/^/# out: /' "$TMP/last.out" | head -20
        sed 's/^/# err: /' "$TMP/last.err" | head -20
    fi
}

skip() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1 # SKIP $2"
}

done_testing() {
    echo "1..$T_N"
    [ "$T_FAIL" -eq 0 ]
}
