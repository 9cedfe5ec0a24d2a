#!/bin/sh
# bench/logscan.sh BUILD_DIR — how fast `mamori logscan` reads a
# big access log, next to the floor (wc -l) and the peers people use
# instead: a naive ten-pattern `rg -i` rule set and GoAccess.
#
# Generates BENCH_MB MiB of combined-format log with genlog (reused when
# one of the same seed and size is already in bench/out/), warms the page
# cache (again before every run), times each command BENCH_RUNS times
# with /usr/bin/time (elapsed from a nanosecond clock, peak RSS from
# time's %M), keeps the BEST run,
# and prints a table plus the issue's targets as PASS/MISS (speed targets
# on one core are checked with --threads 1). For context it then compares
# the lines mamori and rg flag with genlog's list of attack lines (-t).
# Then ModSecurity with the OWASP CRS (bench/modsec.sh) on a slice of
# the same log: lines per second and the ratio. Last, the memory bound:
# peak RSS of mamori with 1, 2 and 8 threads on a log where every
# client and path is distinct and half the lines are attacks
# (BENCH_MEM_LINES lines, made with awk), the input that fills
# the per-client and per-path tables and the chunks' results.
# The table is also written to bench/out/logscan.txt. MB means 2^20
# bytes, GB 2^30.
#
# Environment: BENCH_MB (512), BENCH_SEED (1), BENCH_RUNS (3),
# BENCH_CRS_LINES (10000, the slice ModSecurity replays),
# BENCH_OUT (bench/out), BENCH_MEM_LINES (3000000), BENCH_SHAPE ("" or
# "real": genlog -r, the query strings of real shop traffic — median
# request over 150 bytes, most with five parameters or more, browser
# percent-encoding; report in logscan-real.txt). A missing peer is skipped with a note; the exit
# status is non-zero only when mamori itself fails to run. After changing
# genlog, delete bench/out/ so the log is generated again.
set -u

cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
MB=${BENCH_MB:-512}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
OUT=${BENCH_OUT:-bench/out}
MAMORI=$BUILD/src/mamori
SHAPE=${BENCH_SHAPE:-}
case $SHAPE in '') SHAPE_FLAG= SUFFIX= ;; real) SHAPE_FLAG=-r SUFFIX=-real ;;
    *) echo "bench: BENCH_SHAPE must be empty or real" >&2; exit 2;; esac
LOG=$OUT/access$SUFFIX-s$SEED-${MB}m.log
META=$LOG.meta               # genlog's "bytes N lines N attacks N"
TRUTH=$LOG.truth             # line numbers of the attack lines
REPORT=$OUT/logscan$SUFFIX.txt
TMP=$OUT/tmp
NCPU=$(nproc 2>/dev/null || echo 1)

# Targets of the logscan issues (the second round's, on both logs).
T_ONE_CORE=600               # MB/s on one thread
T_TWO_CORES=1126             # MB/s on two threads (1.1 GB/s)
T_WC_FACTOR=5                # at most this many times wc -l's time
T_RG_FACTOR=4                # at least this many times faster than rg
T_MEM_MB=64                  # peak RSS below this
MEM_LINES=${BENCH_MEM_LINES:-3000000}
MEMLOG=$OUT/distinct-${MEM_LINES}.log

case $MB in ''|*[!0-9]*) echo "bench: BENCH_MB must be a number" >&2; exit 2;; esac
case $RUNS in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be >= 1" >&2; exit 2;; esac
case $MEM_LINES in ''|*[!0-9]*|0) echo "bench: BENCH_MEM_LINES must be >= 1" >&2; exit 2;; esac
mkdir -p "$OUT" "$TMP" || exit 2

# ---- the log -----------------------------------------------------------

genlog_bin() {
    if [ -x "$BUILD/bench/genlog" ]; then
        echo "$BUILD/bench/genlog"
        return
    fi
    # Not in this build (bench/ not in meson yet): build it on the side.
    cc=${CC:-cc}
    if $cc -O2 -std=c11 -D_GNU_SOURCE -Ilib -o "$OUT/genlog" \
            bench/genlog.c bench/genlog_traffic.c bench/genlog_attacks.c \
            bench/genlog_data.c; then
        echo "$OUT/genlog"
    fi
}

if [ -s "$LOG" ] && [ -s "$META" ] && [ -f "$TRUTH" ]; then
    echo "bench: reusing $LOG"
else
    GENLOG=$(genlog_bin)
    [ -n "$GENLOG" ] || { echo "bench: cannot build genlog" >&2; exit 2; }
    echo "bench: generating $MB MiB log (seed $SEED) into $LOG"
    rm -f "$META"
    "$GENLOG" -v $SHAPE_FLAG -s "$SEED" -m "$MB" -o "$LOG" -t "$TRUTH" 2>"$META.tmp" \
        || { cat "$META.tmp" >&2; rm -f "$LOG" "$TRUTH" "$META.tmp"; exit 2; }
    mv "$META.tmp" "$META"
fi
BYTES=$(wc -c <"$LOG" | tr -d ' ')
LINES=$(awk '{print $4}' "$META")
ATTACKS=$(awk '{print $6}' "$META")

# ---- timing ------------------------------------------------------------

HAVE_TIME=0
[ -x /usr/bin/time ] && HAVE_TIME=1

now_ns() { date +%s%N; }

# timeit NAME CMD... — runs CMD $RUNS times (stdout to $TMP/NAME.out,
# stderr to $TMP/NAME.err); sets SECS (best), RSS_KB (largest peak of
# all runs, "" when unknown) and RC (exit status of the last run).
timeit() {
    name=$1; shift
    SECS="" RSS_KB="" RC=0
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        i=$((i + 1))
        # before each run: a machine that reclaims cold page cache in the
        # background (DAMON) would otherwise time some runs on the disk
        [ "$name" = overhead ] || cat "$LOG" >/dev/null
        t0=$(now_ns)
        if [ "$HAVE_TIME" = 1 ]; then
            /usr/bin/time -f '%e %M' -o "$TMP/$name.time" "$@" \
                </dev/null >"$TMP/$name.out" 2>"$TMP/$name.err"
            RC=$?
        else
            "$@" </dev/null >"$TMP/$name.out" 2>"$TMP/$name.err"
            RC=$?
        fi
        t1=$(now_ns)
        s=$(awk -v a="$t0" -v b="$t1" -v o="$OVERHEAD" \
            'BEGIN { s = (b - a) / 1e9; s -= (o < s / 2 ? o : s / 2); printf "%.4f", s }')
        if [ -z "$SECS" ] || awk -v a="$s" -v b="$SECS" 'BEGIN { exit !(a < b) }'; then
            SECS=$s
        fi
        if [ "$HAVE_TIME" = 1 ]; then
            # time writes "Command exited with non-zero status N" first
            # when the command fails; the figures are on the last line.
            kb=$(tail -n 1 "$TMP/$name.time" | awk '{print $2}')
            case $kb in ''|*[!0-9]*) kb="";; esac
            if [ -n "$kb" ] && { [ -z "$RSS_KB" ] || [ "$kb" -gt "$RSS_KB" ]; }; then
                RSS_KB=$kb
            fi
        fi
    done
}

mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", (s > 0 ? b / 1048576 / s : 0) }'; }
mb_of_kb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo "n/a"; }
# a / b with two decimals; nothing when either is unknown.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b }'; }
# cmp_ok A OP B: prints 1 if A OP B holds (OP is >=, <= or <), 0 if not,
# nothing when A or B is unknown.
cmp_ok() {
    [ -n "$1" ] && [ -n "$3" ] || return 0
    awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
        r = op == ">=" ? a >= b : op == "<=" ? a <= b : a < b; print r ? 1 : 0 }'
}

# Results, one "name|label|secs|MB/s|peakMB" line each.
RESULTS=$TMP/results
: >"$RESULTS"
rm -f "$TMP/mamori.lines" "$TMP/rg.lines"
NOTES=$TMP/notes
: >"$NOTES"
record() { # name label
    echo "$1|$2|$SECS|$(mbps "$SECS")|$(mb_of_kb "$RSS_KB")" >>"$RESULTS"
}
get() { # name field(3=secs 4=MB/s 5=peak)
    awk -F'|' -v n="$1" -v f="$2" '$1 == n { print $f }' "$RESULTS"
}

# What starting a command through `time` costs (best of 10), subtracted
# from every figure, but never more than half of it: it matters for wc -l,
# which takes a few hundredths of a second.
OVERHEAD=0
RUNS_SAVED=$RUNS
RUNS=10
timeit overhead true
RUNS=$RUNS_SAVED
OVERHEAD=$SECS

echo "bench: warming the page cache"
cat "$LOG" >/dev/null

echo "bench: wc -l"
timeit wc wc -l "$LOG"
record wc "wc -l (the floor)"

MAMORI_OK=1
if [ ! -x "$MAMORI" ]; then
    echo "mamori: $MAMORI not found (build first)" >>"$NOTES"
    MAMORI_OK=0
fi
run_mamori() { # name threads label
    [ "$MAMORI_OK" = 1 ] || return
    echo "bench: mamori logscan --threads $2"
    timeit "$1" "$MAMORI" logscan --threads "$2" --format json -o /dev/null "$LOG"
    # 0: no finding at --fail-on, 1: findings; anything else is a failure.
    if [ "$RC" -gt 1 ]; then
        echo "mamori --threads $2 failed (exit $RC): $(head -c 300 "$TMP/$1.err")" >>"$NOTES"
        MAMORI_OK=0
        return
    fi
    record "$1" "$3"
}
run_mamori m1 1 "mamori logscan, 1 thread"
run_mamori mall 0 "mamori logscan, all cores ($NCPU)"
TWO=mall
if [ "$NCPU" -ne 2 ]; then
    run_mamori m2 2 "mamori logscan, 2 threads"
    TWO=m2
fi

if command -v rg >/dev/null 2>&1; then
    echo "bench: rg, ten naive patterns"
    timeit rg rg -i -c -e 'union.*select' -e '<script' -e '\.\./' \
        -e '/etc/passwd' -e '\$\{jndi:' -e 'select.+from' -e 'cmd=' \
        -e '/\.env' -e 'sqlmap' -e 'onerror=' "$LOG"
    if [ "$RC" -le 1 ]; then
        record rg "rg -i, 10 naive patterns"
        RG_MATCHES=$(cat "$TMP/rg.out")
        # Which lines, for the detection figures (untimed).
        rg -i -n --no-filename -e 'union.*select' -e '<script' -e '\.\./' \
            -e '/etc/passwd' -e '\$\{jndi:' -e 'select.+from' -e 'cmd=' \
            -e '/\.env' -e 'sqlmap' -e 'onerror=' "$LOG" \
            | cut -d: -f1 | sort -u >"$TMP/rg.lines"
    else
        echo "rg failed (exit $RC): $(head -c 300 "$TMP/rg.err")" >>"$NOTES"
    fi
else
    echo "rg: not installed, skipped (scripts/install-deps.sh --bench)" >>"$NOTES"
fi

if command -v goaccess >/dev/null 2>&1; then
    echo "bench: goaccess (may take a while)"
    timeit goaccess goaccess "$LOG" --log-format=COMBINED --no-global-config \
        --no-progress -o "$TMP/goaccess.json"
    if [ "$RC" -eq 0 ]; then
        record goaccess "goaccess, COMBINED to JSON"
    else
        echo "goaccess failed (exit $RC): $(head -c 300 "$TMP/goaccess.err")" >>"$NOTES"
    fi
else
    echo "goaccess: not installed, skipped (scripts/install-deps.sh --bench)" >>"$NOTES"
fi

# ModSecurity + CRS on a slice of the same log (bench/modsec.sh), with
# mamori's one-thread lines/s from the timed run above.
: >"$TMP/crs.txt"
if [ "$MAMORI_OK" = 1 ]; then
    echo "bench: ModSecurity + OWASP CRS, paranoia levels 1 and 2, on a slice"
    sh bench/modsec.sh "$BUILD" "$LOG" "$LINES" "$(get m1 3)" >"$TMP/crs.txt" 2>>"$NOTES"
fi

# What mamori found, for context: one untimed run writing the findings.
FINDINGS=""
if [ "$MAMORI_OK" = 1 ]; then
    "$MAMORI" logscan --threads 0 --format json -o "$TMP/findings.jsonl" "$LOG" \
        >/dev/null 2>"$TMP/findings.err"
    rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "mamori (findings run) failed (exit $rc): $(head -c 300 "$TMP/findings.err")" >>"$NOTES"
        MAMORI_OK=0
    fi
    # A finding names its check ("check":"logscan.sqli"); summaries don't.
    FINDINGS=$(grep -c -E '"check" *: *"logscan\.' "$TMP/findings.jsonl" 2>/dev/null)
    # Lines with at least one finding, comparable with rg's count.
    grep -E '"check" *: *"logscan\.' "$TMP/findings.jsonl" 2>/dev/null \
        | grep -o -E '"line" *: *[0-9]+' | tr -dc '0-9\n' | sort -u \
        >"$TMP/mamori.lines"
    FLINES=$(wc -l <"$TMP/mamori.lines" | tr -d ' ')
fi

# The memory bound: distinct clients and paths, half of the lines an SQL
# injection (so each is an attacking client), one run per thread count.
MEM_RESULTS=$TMP/mem
: >"$MEM_RESULTS"
if [ "$MAMORI_OK" = 1 ] && [ "$HAVE_TIME" = 1 ]; then
    if [ ! -s "$MEMLOG" ]; then
        echo "bench: generating $MEM_LINES lines with distinct clients and paths"
        awk -v n="$MEM_LINES" 'BEGIN { for (i = 0; i < n; i++) {
            ip = sprintf("%d.%d.%d.%d", 10 + int(i / 16777216), int(i / 65536) % 256, int(i / 256) % 256, i % 256)
            if (i % 2 == 0) req = sprintf("GET /p%d/item.php?id=1%%27%%20OR%%20%%271%%27=%%271 HTTP/1.1", i)
            else            req = sprintf("GET /p%d/view.php?id=%d HTTP/1.1", i, i)
            printf "%s - - [%02d/Nov/2026:%02d:%02d:%02d +0000] \"%s\" 200 %d \"-\" \"Mozilla/5.0\"\n",
                ip, 1 + int(i / 86400) % 28, int(i / 3600) % 24, int(i / 60) % 60, i % 60, req, 1000 + i % 50 } }' \
            >"$MEMLOG.tmp" && mv "$MEMLOG.tmp" "$MEMLOG"
    fi
    for t in 1 2 8; do
        echo "bench: mamori logscan --threads $t, distinct clients and paths (peak memory)"
        /usr/bin/time -f '%e %M' -o "$TMP/mem$t.time" "$MAMORI" logscan --threads "$t" \
            --format json --fail-on none --no-progress -o /dev/null "$MEMLOG" \
            </dev/null >/dev/null 2>"$TMP/mem$t.err"
        rc=$?
        kb=$(tail -n 1 "$TMP/mem$t.time" | awk '{print $2}')
        secs=$(tail -n 1 "$TMP/mem$t.time" | awk '{print $1}')
        if [ "$rc" -gt 1 ]; then
            echo "mamori --threads $t (memory run) failed (exit $rc): $(head -c 300 "$TMP/mem$t.err")" >>"$NOTES"
            continue
        fi
        echo "$t|$secs|$(mb_of_kb "$kb")" >>"$MEM_RESULTS"
    done
fi

# detection LINES_FILE: "N of the attack lines (P%), N other lines" against
# genlog's ground truth.
sort -u "$TRUTH" >"$TMP/truth.lines"
detection() {
    [ -f "$1" ] || { echo "n/a"; return; }
    hit=$(comm -12 "$TMP/truth.lines" "$1" | wc -l | tr -d ' ')
    other=$(comm -13 "$TMP/truth.lines" "$1" | wc -l | tr -d ' ')
    echo "$hit of $ATTACKS attack lines ($(awk -v h="$hit" -v a="$ATTACKS" \
        'BEGIN { printf "%.1f", (a > 0 ? 100 * h / a : 0) }')%), $other other lines"
}

# ---- the table -----------------------------------------------------------

M1=$(get m1 4); MALL=$(get mall 4); MTWO=$(get "$TWO" 4)
target() { # ok(1/0/"") text value
    case $1 in 1) v=PASS;; 0) v=MISS;; *) v="n/a ";; esac
    printf '  %s  %-44s %s\n' "$v" "$2" "$3"
}

{
    echo "logscan benchmark: $(awk -v b="$BYTES" 'BEGIN { printf "%.0f", b / 1048576 }') MiB, $LINES lines, $ATTACKS attack lines (genlog seed $SEED${SHAPE_FLAG:+, real-shaped: -r})"
    echo "file: $LOG"
    echo "machine: $NCPU cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
    echo "best of $RUNS run(s), page cache warm, launch overhead ($OVERHEAD s) subtracted; MB = 2^20 bytes"
    echo
    printf '%-34s %9s %9s %9s %11s %11s\n' tool seconds MB/s "peak MB" "1T vs it" "all vs it"
    while IFS='|' read -r name label secs rate peak; do
        r1=$(ratio "$M1" "$rate"); ra=$(ratio "$MALL" "$rate")
        case $name in m1|mall|m2) r1=""; ra="";; esac
        printf '%-34s %9s %9s %9s %11s %11s\n' "$label" "$secs" "$rate" "$peak" "${r1:+${r1}x}" "${ra:+${ra}x}"
    done <"$RESULTS"
    echo "(\"1T vs it\": mamori on one thread is that many times as fast; \"all vs it\": on all cores)"
    echo
    echo "targets"
    target "$(cmp_ok "$M1" ">=" "$T_ONE_CORE")" ">= $T_ONE_CORE MB/s on one core" "${M1:-?} MB/s"
    if [ "$NCPU" -lt 2 ]; then
        target "" ">= 1.1 GB/s on two cores" "only $NCPU core here"
    else
        target "$(cmp_ok "$MTWO" ">=" "$T_TWO_CORES")" ">= 1.1 GB/s on two cores" "${MTWO:-?} MB/s"
    fi
    WC=$(get wc 4)
    if [ -n "$M1" ] && [ -n "$WC" ]; then
        f=$(ratio "$WC" "$M1")
        target "$(cmp_ok "$f" "<=" "$T_WC_FACTOR")" "within ${T_WC_FACTOR}x of wc -l (one core)" "${f}x wc's time"
    else
        target "" "within ${T_WC_FACTOR}x of wc -l" "not measured"
    fi
    RG=$(get rg 4)
    if [ -n "$M1" ] && [ -n "$RG" ]; then
        f=$(ratio "$M1" "$RG")
        target "$(cmp_ok "$f" ">=" "$T_RG_FACTOR")" ">= ${T_RG_FACTOR}x faster than naive rg (one core)" "${f}x"
    else
        target "" ">= ${T_RG_FACTOR}x faster than naive rg" "not measured"
    fi
    PEAK=$(awk -F'|' '$1 ~ /^m/ && $5 != "n/a" { if (p == "" || $5 + 0 > p + 0) p = $5 } END { if (p != "") print p }' "$RESULTS")
    if [ -n "$PEAK" ]; then
        target "$(cmp_ok "$PEAK" "<" "$T_MEM_MB")" "peak memory < $T_MEM_MB MB" "$PEAK MB"
    else
        target "" "peak memory < $T_MEM_MB MB" "not measured"
    fi
    MPEAK=$(awk -F'|' '$3 != "n/a" { if (p == "" || $3 + 0 > p + 0) p = $3 } END { if (p != "") print p }' "$MEM_RESULTS")
    if [ -n "$MPEAK" ]; then
        target "$(cmp_ok "$MPEAK" "<" "$T_MEM_MB")" "peak < $T_MEM_MB MB, distinct clients, 1/2/8 thr." "$MPEAK MB"
    else
        target "" "peak < $T_MEM_MB MB, distinct clients" "not measured"
    fi
    echo
    echo "memory: $MEM_LINES lines, every client and path distinct, half of them attacks"
    printf '  %-10s %9s %9s\n' threads seconds "peak MB"
    while IFS='|' read -r t secs peak; do
        printf '  %-10s %9s %9s\n' "$t" "$secs" "$peak"
    done <"$MEM_RESULTS"
    echo "  (default --memory 64; threads beyond the $NCPU core(s) here are cut to $NCPU)"
    echo
    echo "context"
    echo "  attack lines genlog wrote:         $ATTACKS of $LINES"
    echo "  findings mamori reported:          ${FINDINGS:-n/a} (on ${FLINES:-n/a} lines)"
    echo "  lines the naive rg rules matched:  ${RG_MATCHES:-n/a}"
    echo "  (one line can hold several findings: a sqlmap user agent and its payload)"
    echo "  mamori flagged:                    $(detection "$TMP/mamori.lines")"
    echo "  naive rg matched:                  $(detection "$TMP/rg.lines")"
    echo "  (\"other lines\" are benign by construction: false positives)"
    if [ -s "$TMP/crs.txt" ]; then
        echo
        cat "$TMP/crs.txt"
    fi
    if [ -s "$NOTES" ]; then
        echo
        echo "notes"
        sed 's/^/  /' "$NOTES"
    fi
} >"$REPORT"

echo
cat "$REPORT"
echo "(also in $REPORT)"
[ "$MAMORI_OK" = 1 ] || exit 1
exit 0
