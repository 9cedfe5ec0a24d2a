#!/bin/sh
# allocfail.sh — the allocation-failure run of the unit suites, in the
# manner of curl's `runtests.pl -t`: every unit test binary (meson suite
# 'unit') is run once to count its allocations (tests/tools/allocshim.c),
# then again with MAMORI_FAIL_ALLOC=N for N = 1, 1+S, 1+2S... so that the
# Nth allocation returns NULL. A test assertion failing then is expected;
# what fails a binary is a crash (a signal, or cmocka's "exception"), a
# sanitizer report, a hang (ALLOCFAIL_TIMEOUT seconds, default 90: test_prefilter
# replays the corpus, ~20 s under ASan on a loaded machine), or a
# leak in a run whose checks all passed (after a failed assertion cmocka
# abandons the test's own objects, so leaks are not judged there).
#   usage: tests/tools/allocfail.sh BUILD_DIR    (an ASan+UBSan build)
# Bounds: all binaries together get about ALLOCFAIL_SECONDS (default 150)
# of runs, ALLOCFAIL_JOBS (default: the cores) at a time. They go fewest
# allocations first, each getting an equal share of the time left, so
# what the small ones leave goes to the large ones; a binary whose
# allocations do not all fit in its share is sampled with the stride S
# that fits, and stopped at twice its share, though never before its
# first ALLOCFAIL_MIN_RUNS (default 10) samples. ALLOCFAIL_STRIDE=1 tries every allocation, with no
# time bound (over an hour on 2 busy cores, most of it test_table's 10,000).
# Prints TAP, one line per binary, with the command that reproduces a
# failure and the first lines of its report.
set -u
timeout_s=${ALLOCFAIL_TIMEOUT:-90}
: "${ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allow_user_segv_handler=0}"
: "${UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
export CMOCKA_MESSAGE_OUTPUT=TAP

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Judges one run's log and status; prints the reason it is bad, if it is.
judge() { # log status
    if [ "$2" -eq 124 ]; then
        echo "hang (over ${timeout_s}s)"
    elif grep -qE 'ERROR: (Address|Thread|Memory)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$1"; then
        echo "sanitizer report"
    elif grep -q 'Test failed with exception' "$1"; then
        echo "crash"
    elif [ "$2" -gt 128 ] && ! grep -q 'LeakSanitizer' "$1"; then
        echo "killed by signal $(($2 - 128))"
    elif grep -q 'ERROR: LeakSanitizer' "$1" && ! grep -q '^not ok' "$1"; then
        echo "leak"
    fi
}

# The library frame nearest the fault, to name in the report.
where() { # log
    grep -oE ' in [A-Za-z_0-9]+ [^ ]*/(lib|src)/[^ ]+:[0-9]+' "$1" | head -1 |
        sed 's/^ in //'
}

# One run with allocation N made to fail (run by xargs, several at a
# time): leaves tried.N, and bad.N with the reason and log.N when it went
# wrong. Past the deadline (ms since the epoch) it does nothing, unless N
# is at most FIRST (the first ALLOCFAIL_MIN_RUNS samples always run).
if [ "${1:-}" = --one ]; then
    bin=$2 n=$3 out=$4 deadline=$5 first=$6
    [ "$n" -gt "$first" ] && [ "$(now_ms)" -gt "$deadline" ] && exit 0
    MAMORI_FAIL_ALLOC=$n timeout "$timeout_s" "$bin" >"$out/log.$n" 2>&1
    st=$?
    why=$(judge "$out/log.$n" "$st")
    if [ -n "$why" ]; then
        echo "$why" >"$out/bad.$n"
    else
        rm -f "$out/log.$n"
    fi
    : >"$out/tried.$n"
    exit 0
fi

build=${1:?usage: allocfail.sh BUILD_DIR}
budget=${ALLOCFAIL_SECONDS:-150}
min_runs=${ALLOCFAIL_MIN_RUNS:-10}
jobs=${ALLOCFAIL_JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d "${TMPDIR:-/tmp}/allocfail.XXXXXX")
trap 'rm -rf "$work"' EXIT

bins=$(meson introspect --tests "$build" |
    jq -r '.[] | select(any(.suite[]; test("(^|:)unit$"))) | .cmd[0]' | sort)
nbins=$(echo "$bins" | grep -c .)
[ "$nbins" -gt 0 ] || { echo "1..0 # SKIP no unit tests in $build"; exit 0; }
echo "1..$nbins"

# First pass: each binary's allocation count and the time of one run; a
# binary that fails with nothing made to fail is reported here.
k=0 bad=0
: >"$work/plan"
for bin in $bins; do
    t0=$(now_ms)
    MAMORI_ALLOC_COUNT_FILE=$work/count timeout "$timeout_s" "$bin" \
        >"$work/log" 2>&1
    st=$?
    dt=$(($(now_ms) - t0 + 1))
    count=$(cat "$work/count" 2>/dev/null || echo 0)
    rm -f "$work/count"
    why=$(judge "$work/log" "$st")
    if [ "$st" -ne 0 ] || [ -n "$why" ]; then
        k=$((k + 1)) bad=$((bad + 1))
        echo "not ok $k - ${bin##*/}: fails with no allocation failing (${why:-exit $st})"
        sed 's/^/# /' "$work/log" | head -30
        continue
    fi
    echo "$count $dt $bin" >>"$work/plan"
done

# Second pass, fewest allocations first, so the time a small binary does
# not need goes to the larger ones after it.
left_ms=$((budget * 1000))
left_bins=$(grep -c . "$work/plan")
sort -n "$work/plan" >"$work/plan.sorted"
while read -r count dt bin; do
    k=$((k + 1))
    name=${bin##*/}
    share_ms=$((left_ms / left_bins))
    runs=$((share_ms * jobs / dt))
    [ "$runs" -lt "$min_runs" ] && runs=$min_runs
    stride=${ALLOCFAIL_STRIDE:-$(((count + runs - 1) / runs))}
    [ "$stride" -lt 1 ] && stride=1
    deadline=$(($(now_ms) + 2 * share_ms))
    [ -n "${ALLOCFAIL_STRIDE:-}" ] && deadline=$(($(now_ms) + 86400000))
    out=$work/$name
    mkdir "$out"
    t0=$(now_ms)
    [ "$count" -gt 0 ] && seq 1 "$stride" "$count" |
        xargs -P "$jobs" -I{} sh "$0" --one "$bin" {} "$out" "$deadline" \
            $((1 + (min_runs - 1) * stride))
    left_ms=$((left_ms - ($(now_ms) - t0)))
    [ "$left_ms" -lt 0 ] && left_ms=0
    left_bins=$((left_bins - 1))
    tried=$(ls "$out" | grep -c '^tried\.')
    failed=$(ls "$out" | sed -n 's/^bad\.//p' | sort -n | tr '\n' ' ')
    for n in $failed; do
        at=$(where "$out/log.$n")
        echo "# $name, allocation $n made to fail: $(cat "$out/bad.$n")${at:+ at $at}"
        echo "#   reproduce: MAMORI_FAIL_ALLOC=$n $bin"
        sed 's/^/#   /' "$out/log.$n" | grep -v '^#   ok ' | head -30
    done
    if [ -z "$failed" ]; then
        echo "ok $k - $name: $tried of $count allocations made to fail (stride $stride), no crash, report, hang or leak"
    else
        echo "not ok $k - $name: allocations ${failed% } made to fail went wrong ($tried of $count tried)"
        bad=$((bad + 1))
    fi
    rm -rf "$out"
done <"$work/plan.sorted"
[ "$bad" -eq 0 ]
