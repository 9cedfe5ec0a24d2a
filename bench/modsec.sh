#!/bin/sh
# bench/modsec.sh BUILD_DIR LOG LINES MAMORI_SECS — the ModSecurity peer
# of the logscan benchmark, run by bench/logscan.sh in the same run as
# mamori: replays the first BENCH_CRS_LINES (10000) lines of LOG through
# ModSecurity v3 with the OWASP CRS (BUILD_DIR/bench/modsec-replay, built
# when libmodsecurity-dev is installed) at paranoia levels 1 and 2, and
# prints CRS lines per second beside mamori's (LINES lines of LOG in
# MAMORI_SECS seconds on one thread) and the ratio. The CRS runs at about
# 1,500 lines/s, so a slice is enough and the whole log would take hours.
# The slice's timing leaves out loading the rules (modsec-replay times
# the replay only). Output: a few report lines on stdout; a missing peer
# is one line on stderr (logscan.sh's notes) and exit 0.
set -u
BUILD=$1 LOG=$2 LINES=$3 MSECS=$4
N=${BENCH_CRS_LINES:-10000}
REPLAY=$BUILD/bench/modsec-replay
case $N in ''|*[!0-9]*|0) echo "modsec: BENCH_CRS_LINES must be >= 1" >&2; exit 0;; esac
if [ ! -x "$REPLAY" ]; then
    echo "ModSecurity: $REPLAY not built (scripts/install-deps.sh --bench: libmodsecurity-dev, modsecurity-crs)" >&2
    exit 0
fi
TMP=$(mktemp -d) || exit 0
trap 'rm -rf "$TMP"' EXIT
head -n "$N" "$LOG" >"$TMP/slice.log"
CRS=$(dpkg-query -W -f='${Version}' modsecurity-crs 2>/dev/null || echo "?")
MSC=$(dpkg-query -W -f='${Version}' libmodsecurity3 2>/dev/null || echo "?")
echo "peer: ModSecurity $MSC with the OWASP CRS $CRS, anomaly scoring at the CRS defaults,"
echo "first $N lines of the log, one thread (a slice: the CRS replays about a thousand lines a second)"
M_LPS=$(awk -v l="$LINES" -v s="$MSECS" 'BEGIN { if (s > 0) printf "%.0f", l / s }')
for pl in 1 2; do
    if ! "$REPLAY" -q -p "$pl" "$TMP/slice.log" 2>"$TMP/pl$pl.err"; then
        echo "ModSecurity PL$pl failed: $(head -c 300 "$TMP/pl$pl.err")" >&2
        continue
    fi
    # "modsec-replay: pl P, N requests, F flagged, U unparsed, S s, R lines/s"
    sum=$(tail -n 1 "$TMP/pl$pl.err")
    lps=$(echo "$sum" | awk -F', ' '{ split($6, a, " "); print a[1] }')
    flagged=$(echo "$sum" | awk -F', ' '{ split($3, a, " "); print a[1] }')
    ratio=$(awk -v m="$M_LPS" -v c="$lps" 'BEGIN { if (m != "" && c > 0) printf "%.0f", m / c }')
    printf '  %-34s %12s lines/s  flagged %s of %s  mamori 1T: %sx\n' \
        "CRS paranoia level $pl" "$lps" "$flagged" "$N" "${ratio:-?}"
done
printf '  %-34s %12s lines/s  (the whole log, 1 thread)\n' "mamori logscan" "${M_LPS:-?}"
exit 0
