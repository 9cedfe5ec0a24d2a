#!/bin/sh
# bench/patch.sh BUILD_DIR — how fast `mamori patch` answers, next to the
# tools an administrator runs for the same questions, in the same run:
#
#   generated  bench/gentracker.py writes a Debian 12 root with a
#              3,000-package dpkg status and apt lists, the security
#              tracker's JSON export of the real size (70 MB, 40,000 CVEs)
#              and the same vulnerabilities in debsecan's own feed format.
#              mamori's full run on it (inventory, updates, CVE match:
#              `patch --root R --tracker F`), its CPU time pinned to one
#              core and its peak RSS, against the targets (0.5 s, 200 MB);
#              then debsecan on the same status and data (`--source
#              file://...`), and the counts of both compared: the same
#              CVEs fixed but not installed, the same still open.
#   machine    this machine's own state: `mamori patch` (updates, restart,
#              support) against `apt-get -s dist-upgrade` (the updates:
#              the same count of packages) and `needrestart -b` (the
#              restarts).
#
# Times are the best of BENCH_RUNS (default 3) by CPU time (user+sys:
# this VM is shared, wall clock says more about the neighbours); wall
# time and peak RSS (GNU time %M) of that run are printed beside it.
# Ratios are peer / mamori. Peers that are not installed are named and
# skipped (`scripts/install-deps.sh --bench` installs them). Output also
# in bench/out/patch.txt.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
OUT=${BENCH_OUT:-bench/out}
RUNS=${BENCH_RUNS:-3}
MAMORI=$BUILD/src/mamori
DATA=$OUT/patch
REPORT=$OUT/patch.txt
[ -x "$MAMORI" ] || { echo "bench: no $MAMORI (build first)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
if [ ! -s "$DATA/tracker.json" ] || [ bench/gentracker.py -nt "$DATA/tracker.json" ]
then
    echo "bench: generating the patch data in $DATA"
    rm -rf "$DATA"
    python3 bench/gentracker.py "$DATA" || exit 2
fi
DATA=$(cd "$DATA" && pwd)
ONE=""
command -v taskset >/dev/null 2>&1 && ONE="taskset -c 0"

# best NAME CMD...: runs CMD (stdout to $OUT/NAME.out) RUNS times; sets
# CPU, WALL, RSS (KB) of the run with the least CPU time.
best() {
    name=$1; shift
    CPU=""; WALL=""; RSS=""
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -f '%U %S %e %M' -o "$OUT/time.out" "$@" \
            >"$OUT/$name.out" 2>"$OUT/$name.err"
        read -r u s e m <"$OUT/time.out" || true
        c=$(echo "$u $s" | awk '{ printf "%.2f", $1 + $2 }')
        if [ -z "$CPU" ] || [ "$(echo "$c $CPU" | awk '{ print ($1 < $2) }')" = 1 ]; then
            CPU=$c; WALL=$e; RSS=$m
        fi
        i=$((i + 1))
    done
}
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else print "-" }'; }
mb() { echo "$1" | awk '{ printf "%.0f", $1 / 1024 }'; }
pf() { [ "$(echo "$1 $2" | awk '{ print ($1 <= $2) }')" = 1 ] && echo PASS || echo MISS; }
counter() { # FILE NAME: a counter of mamori's JSON summary
    jq -r "select(.type == \"summary\") | .counters.$2 // 0" "$1" | head -1
}

cat "$DATA/tracker.json" >/dev/null
best mamori-gen $ONE "$MAMORI" patch --root "$DATA/root" \
    --tracker "$DATA/tracker.json" --format json --fail-on none
M_CPU=$CPU; M_WALL=$WALL; M_RSS=$RSS
M=$OUT/mamori-gen.out
M_FIXED=$(counter "$M" cves_fixed_not_installed)
M_OPEN=$(( $(counter "$M" cves_no_fix) + $(counter "$M" cves_postponed) +
           $(counter "$M" cves_ignored) ))
M_PKGS=$(counter "$M" vulnerable_packages)
M_UPD=$(counter "$M" updates)
M_SEC=$(counter "$M" security_updates)
gzip -1 -c "$DATA/tracker.json" >"$DATA/tracker.json.gz"
best mamori-gz $ONE "$MAMORI" patch --root "$DATA/root" \
    --tracker "$DATA/tracker.json.gz" --format json --fail-on none
Z_CPU=$CPU; Z_RSS=$RSS

D_LINE="debsecan: not installed"
if command -v debsecan >/dev/null 2>&1; then
    ds() { debsecan --config /dev/null --suite bookworm \
        --source "file://$DATA/debsecan/" --status "$DATA/root/var/lib/dpkg/status" \
        --history "$OUT/debsecan.history" "$@"; }
    best debsecan $ONE debsecan --config /dev/null --suite bookworm \
        --source "file://$DATA/debsecan/" --status "$DATA/root/var/lib/dpkg/status" \
        --history "$OUT/debsecan.history" --format detail
    D_CPU=$CPU; D_RSS=$RSS
    D_FIXED=$(ds --format bugs --only-fixed | sort -u | wc -l)
    D_ALL=$(ds --format bugs | sort -u | wc -l)
    D_OPEN=$((D_ALL - D_FIXED))
    same=$([ "$D_FIXED" = "$M_FIXED" ] && [ "$D_OPEN" = "$M_OPEN" ] &&
           echo "same answer" || echo "ANSWERS DIFFER")
    D_LINE="debsecan (same status, its feed of the same data): $D_CPU s CPU, $(mb "$D_RSS") MB; $D_FIXED CVEs fixed not installed, $D_OPEN without a fix — $same; mamori is $(ratio "$D_CPU" "$M_CPU")x as fast"
fi

best mamori-live $ONE "$MAMORI" patch --format json --fail-on none
L_CPU=$CPU; L_WALL=$WALL; L_RSS=$RSS
L_UPD=$(counter "$OUT/mamori-live.out" updates)
A_LINE="apt-get: not installed"
if command -v apt-get >/dev/null 2>&1; then
    best apt $ONE apt-get -s dist-upgrade
    A_UPD=$(grep -c '^Inst ' "$OUT/apt.out")
    same=$([ "$A_UPD" = "$L_UPD" ] && echo "same count" || echo "COUNTS DIFFER")
    A_LINE="apt-get -s dist-upgrade: $CPU s CPU, $(mb "$RSS") MB; $A_UPD upgrades — $same; mamori is $(ratio "$CPU" "$L_CPU")x as fast"
fi
N_LINE="needrestart: not installed"
if command -v needrestart >/dev/null 2>&1; then
    best needrestart $ONE needrestart -b
    N_LINE="needrestart -b: $CPU s CPU, $(mb "$RSS") MB; mamori's whole run is $(ratio "$CPU" "$L_CPU")x as fast"
fi

{
echo "mamori patch on generated data: $(grep -c '^Package:' "$DATA/root/var/lib/dpkg/status") packages," \
     "tracker $(stat -c %s "$DATA/tracker.json" | awk '{ printf "%.1f", $1 / 1e6 }') MB," \
     "$(grep -o '"CVE-[0-9]*-[0-9]*": {"description"' "$DATA/tracker.json" | wc -l) CVEs"
echo "  mamori patch --root --tracker: $M_CPU s CPU ($M_WALL s wall), $(mb "$M_RSS") MB peak"
echo "    target 0.5 s one core: $(pf "$M_CPU" 0.5); target 200 MB: $(pf "$M_RSS" 204800)"
echo "    $M_UPD updates ($M_SEC security), $M_PKGS vulnerable source packages," \
     "$M_FIXED CVEs fixed not installed, $M_OPEN without a fix"
echo "  the same with tracker.json.gz: $Z_CPU s CPU, $(mb "$Z_RSS") MB"
echo "  $D_LINE"
echo "this machine: $(counter "$OUT/mamori-live.out" packages) packages, $L_UPD updates waiting"
echo "  mamori patch: $L_CPU s CPU ($L_WALL s wall), $(mb "$L_RSS") MB peak"
echo "  $A_LINE"
echo "  $N_LINE"
} | tee "$REPORT"
