#!/bin/sh
# host.sh — the host review's benchmark (issue 14): `mamori host` on this
# machine and on the bad fixture root, wall time and peak resident memory
# (/usr/bin/time, fastest of 5), beside `lynis audit system --quick` on
# the same machine (one run: it takes minutes). Lynis comes with
# `scripts/install-deps.sh --bench`; without it only mamori is timed.
#
# usage: bench/host.sh [BUILD_DIR]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
M="$BUILD/src/mamori"
[ -x "$M" ] || { echo "host.sh: build $M first (ninja -C $BUILD)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null 2>&1 ||
    { echo "host.sh: needs /usr/bin/time (package time)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cp -r "$ROOT/tests/fixtures/host-bad" "$OUT/bad"

# best WHAT CMD...: the fastest of 5 runs, "seconds KB"
best() {
    what=$1; shift
    for i in 1 2 3 4 5; do
        /usr/bin/time -f '%e %M' -o "$OUT/t" "$@" >/dev/null 2>&1 || true
        cat "$OUT/t"
    done | sort -n | head -1 > "$OUT/best"
    read -r s kb < "$OUT/best"
    printf '%-34s %8s s %8s MB\n' "$what" "$s" "$(awk "BEGIN{printf \"%.1f\", $kb/1024}")"
    echo "$s" > "$OUT/$what.s"
}

echo "== host review: wall time and peak memory (fastest of 5) =="
best "mamori host (this machine)" "$M" host --fail-on none
best "mamori host --configured" "$M" host --configured --fail-on none
best "mamori host --root fixture" "$M" host --fail-on none --root "$OUT/bad"
if command -v lynis >/dev/null 2>&1; then
    /usr/bin/time -f '%e %M' -o "$OUT/t" lynis audit system --quick \
        --no-colors --logfile "$OUT/lynis.log" --report-file "$OUT/lynis.dat" \
        >/dev/null 2>&1 || true
    read -r s kb < "$OUT/t"
    printf '%-34s %8s s %8s MB\n' "lynis audit system --quick" "$s" \
        "$(awk "BEGIN{printf \"%.1f\", $kb/1024}")"
    m=$(cat "$OUT/mamori host (this machine).s")
    echo "mamori is $(awk "BEGIN{printf \"%.0f\", $s / ($m > 0 ? $m : 0.01)}")x faster than Lynis on this machine"
else
    echo "lynis: not installed (scripts/install-deps.sh --bench), not compared"
fi
