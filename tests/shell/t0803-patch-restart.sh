#!/bin/bash
# t0803-patch-restart.sh — restart-required on this machine: a process
# started with a copy of a shared library, which is then deleted (as an
# upgrade replaces it), is named with the deleted library; memfd
# mappings and deleted files under /tmp are not libraries. The copy lives
# under the build directory, since /tmp is passed over on purpose (or,
# when the build directory is itself under /tmp, beside the sources).
. "$(dirname "$0")/lib.sh"
BASE=${BUILD_ROOT:-$(pwd)}
case "$BASE" in
/tmp/*|/var/tmp/*|/dev/*|/run/*) BASE=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)} ;;
esac
LIB=$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 .*x86-64|libz\.so\.1 \(libc6/ {print $NF; exit}')
if [ ! -r /proc/self/maps ] || [ -z "$LIB" ] || ! command -v sleep >/dev/null; then
    skip "restart-required" "no /proc maps or no libz to copy"
    done_testing
    exit
fi
D=$(mktemp -d "$BASE/mamori-t0803.XXXXXX")
cp "$LIB" "$D/libmamoritest.so.1"
LD_PRELOAD="$D/libmamoritest.so.1" sleep 60 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    grep -q libmamoritest "/proc/$pid/maps" 2>/dev/null && break
    sleep 0.2
done
rm -f "$D/libmamoritest.so.1"
"$MAMORI" patch --format json --fail-on none > "$TMP/r.json" 2> "$TMP/r.err"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rmdir "$D"
ok "a process mapping a deleted library: restart-required" \
    jq -se '[.[] | select(.category == "restart-required") |
             select(.libraries | any(test("libmamoritest")))] | length == 1' \
    "$TMP/r.json"
ok "it names the process and its unit" \
    jq -se '[.[] | select(.category == "restart-required") |
             select(.libraries | any(test("libmamoritest")))][0] |
             .process == "sleep" and (.unit | length > 0) and .processes >= 1' \
    "$TMP/r.json"
"$MAMORI" patch --root / --format json --fail-on none > "$TMP/root.json" \
    2> "$TMP/root.err"
ok "--root /: this machine, processes checked too" \
    jq -se '[.[] | select(.type == "summary")] | length == 1' "$TMP/root.json"
done_testing
