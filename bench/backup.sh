#!/bin/sh
# bench/backup.sh BUILD_DIR — how long `mamori backup` takes to judge 10
# restic repositories of BACKUP_SNAPSHOTS snapshots each (default 1000;
# the issue's target: under 1 s without --verify), and a restore drill of
# BACKUP_FILES files (default 1000) against restic's own restore of the
# same snapshot. The repositories are made once (restic backup --time,
# two at a time: restic's backup lock is shared) and kept in
# BACKUP_CACHE (default bench/out/backup-cache): making 1,000 snapshots
# takes minutes, judging them must not. Output also in
# bench/out/backup.txt.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
N=${BACKUP_SNAPSHOTS:-1000}
FILES=${BACKUP_FILES:-1000}
OUT=${BENCH_OUT:-bench/out}
CACHE=${BACKUP_CACHE:-$OUT/backup-cache}
MAMORI=$(pwd)/$BUILD/src/mamori
REPORT=$OUT/backup.txt
mkdir -p "$OUT" "$CACHE" || exit 2
CACHE=$(cd "$CACHE" && pwd)
[ -x "$MAMORI" ] || { echo "bench: no $MAMORI (build first)" >&2; exit 2; }
command -v restic >/dev/null || { echo "bench: restic not installed" >&2; exit 2; }
export RESTIC_PASSWORD=mamori-bench
T=$(mktemp -d /tmp/mamori-backupbench.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
# mamori's state (restic's listings memorised, lib/backup/memo.c) in the
# run's own directory, never the machine's.
export MAMORI_HISTORY_DB=$T/state/history.db
printf '%s\n' "$RESTIC_PASSWORD" > "$T/pass"

# One repository of N snapshots (one an hour back from now), then ten
# copies of it.
if [ ! -f "$CACHE/repo-$N.done" ]; then
    rm -rf "$CACHE/repo-$N" "$CACHE/data"
    mkdir -p "$CACHE/data/www" || exit 2
    i=0
    while [ $i -lt "$FILES" ]; do
        printf 'file %d\n' $i > "$CACHE/data/www/f$i.html"; i=$((i + 1))
    done
    restic init -q -r "$CACHE/repo-$N" > /dev/null || exit 2
    seq 1 "$N" | xargs -P 2 -I{} sh -c '
        t=$(date -u -d "{} hours ago" "+%Y-%m-%d %H:%M:%S")
        restic -q --no-cache -r "$1" backup --time "$t" "$2" > /dev/null' _ \
        "$CACHE/repo-$N" "$CACHE/data/www" || exit 2
    touch "$CACHE/repo-$N.done"
fi
{
    echo "[protect www]"
    echo "paths = $CACHE/data/www"
    i=0
    while [ $i -lt 10 ]; do
        cp -a "$CACHE/repo-$N" "$T/r$i" || exit 2
        printf '[copy r%d]\nkind = restic\nlocation = %s\nrpo = 48h\nretention = 30\npassword-file = %s\nkey-elsewhere = yes\n' \
            $i "$T/r$i" "$T/pass"
        i=$((i + 1))
    done
} > "$T/backup.conf"

secs() {  # command... -> wall seconds of the best of three runs
    best=
    for k in 1 2 3; do
        s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
        d=$(echo "$e - $s" | bc)
        if [ -z "$best" ] || [ "$(echo "$d < $best" | bc)" = 1 ]; then
            best=$d
        fi
    done
    printf '%.3f' "$best"
}
# Cold: restic lists every repository (its key derived with scrypt each
# time); warm: nothing changed since, the listings come from the memo.
cold=$(secs "$MAMORI" backup --fail-on none --no-memo --config "$T/backup.conf")
"$MAMORI" backup --fail-on none --config "$T/backup.conf" > /dev/null 2>&1
judge=$(secs "$MAMORI" backup --fail-on none --config "$T/backup.conf")
# One new snapshot in one repository: that one is listed by restic again.
restic -q --no-cache -r "$T/r0" backup "$CACHE/data/www" > /dev/null
s=$(date +%s.%N)
"$MAMORI" backup --fail-on none --config "$T/backup.conf" > /dev/null 2>&1
one=$(printf '%.3f' "$(echo "$(date +%s.%N) - $s" | bc)")
snaps=$("$MAMORI" backup -f json --fail-on none --config "$T/backup.conf" |
    jq -r 'select(.type == "summary") | .counters.snapshots')

# The drill: FILES files of one snapshot, mamori --drill (list, restore
# with --verify, compare with the live files) against restic restore of
# the same snapshot alone.
printf '[protect www]\npaths = %s\n[copy r]\nkind = restic\nlocation = %s\npassword-env = RESTIC_PASSWORD\nkey-elsewhere = yes\n' \
    "$CACHE/data/www" "$T/r0" > "$T/drill.conf"
drill=$(secs "$MAMORI" backup --fail-on none --config "$T/drill.conf" \
    --drill --sample "$FILES")
row=$("$MAMORI" backup -f json --fail-on none --config "$T/drill.conf" \
    --drill --sample "$FILES" | jq -r 'select(.type == "summary") |
    .tables.checks[0] | "\(.sampled) sampled, \(.verified) verified, \(.changed) changed, \(.failed) failed"')
restore() { rm -rf "$T/rest"; restic -q --no-cache -r "$T/r0" restore latest --target "$T/rest"; }
rest=$(secs restore)
restv() { rm -rf "$T/rest"; restic -q --no-cache -r "$T/r0" restore latest --verify --target "$T/rest"; }
restverify=$(secs restv)
target=MISS
[ "$(echo "$judge < 1" | bc)" = 1 ] && target=PASS
{
    echo "mamori backup: 10 restic repositories x $N snapshots ($snaps read)"
    echo "  judge, restic lists each (cold) ${cold} s"
    echo "  judge (no --verify)            ${judge} s   target < 1 s: $target"
    echo "  judge, one repository new      ${one} s"
    echo "  load average                   $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  --drill --sample $FILES          ${drill} s   ($row)"
    echo "  restic restore (same snapshot) ${rest} s"
    echo "  restic restore --verify        ${restverify} s"
} | tee "$REPORT"
