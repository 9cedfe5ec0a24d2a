#!/bin/sh
# allocfail.sh — the allocation-failure run of the unit suites, in the
# manner of curl's `runtests.pl -t`: every unit test binary (meson suite
# 'unit') is run once to count its allocations (tests/tools/allocshim.c),
# then again with MAMORI_FAIL_ALLOC=N for N = 1, 1+S, 1+2S... so that the
# Nth allocation returns NULL. A test assertion failing then is expected;
# what fails a binary is a crash (a signal, or cmocka's "exception"), a
# sanitizer report, a hang (ALLOCFAIL_TIMEOUT seconds), or a leak in a run
# whose checks all passed (after a failed assertion cmocka abandons the
# test's own objects, so leaks are not judged there).
#   usage: tests/tools/allocfail.sh BUILD_DIR    (an ASan+UBSan build)
# Bounds: all binaries together get ALLOCFAIL_SECONDS (default 150) of
# runs, shared equally; a binary whose allocations do not all fit in its
# share is sampled with the stride S that fits (at least ALLOCFAIL_MIN_RUNS,
# default 10, runs each). ALLOCFAIL_STRIDE=1 forces every allocation.
# Prints TAP, one line per binary, with the command that reproduces a
# failure and the first lines of its report.
set -u
build=${1:?usage: allocfail.sh BUILD_DIR}
budget=${ALLOCFAIL_SECONDS:-150}
min_runs=${ALLOCFAIL_MIN_RUNS:-10}
timeout_s=${ALLOCFAIL_TIMEOUT:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/allocfail.XXXXXX")
trap 'rm -rf "$work"' EXIT

: "${ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allow_user_segv_handler=0}"
: "${UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS UBSAN_OPTIONS
export CMOCKA_MESSAGE_OUTPUT=TAP

bins=$(meson introspect --tests "$build" |
    jq -r '.[] | select(any(.suite[]; test("(^|:)unit$"))) | .cmd[0]' | sort)
nbins=$(echo "$bins" | grep -c .)
[ "$nbins" -gt 0 ] || { echo "1..0 # SKIP no unit tests in $build"; exit 0; }
share_ms=$((budget * 1000 / nbins))

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

echo "1..$nbins"
k=0 bad=0
for bin in $bins; do
    k=$((k + 1))
    name=${bin##*/}
    t0=$(now_ms)
    MAMORI_ALLOC_COUNT_FILE=$work/count timeout "$timeout_s" "$bin" \
        >"$work/log" 2>&1
    st=$?
    dt=$(($(now_ms) - t0 + 1))
    count=$(cat "$work/count" 2>/dev/null || echo 0)
    why=$(judge "$work/log" "$st")
    if [ "$st" -ne 0 ] || [ -n "$why" ]; then
        echo "not ok $k - $name: fails with no allocation failing (${why:-exit $st})"
        sed 's/^/# /' "$work/log" | head -30
        bad=$((bad + 1))
        continue
    fi
    runs=$((share_ms / dt))
    [ "$runs" -lt "$min_runs" ] && runs=$min_runs
    stride=${ALLOCFAIL_STRIDE:-$(((count + runs - 1) / (runs > 0 ? runs : 1)))}
    [ "$stride" -lt 1 ] && stride=1
    n=1 tried=0 failed_runs=""
    while [ "$n" -le "$count" ]; do
        MAMORI_FAIL_ALLOC=$n timeout "$timeout_s" "$bin" >"$work/log" 2>&1
        st=$?
        tried=$((tried + 1))
        why=$(judge "$work/log" "$st")
        if [ -n "$why" ]; then
            at=$(where "$work/log")
            failed_runs="$failed_runs $n"
            echo "# $name, allocation $n made to fail: $why${at:+ at $at}"
            echo "#   reproduce: MAMORI_FAIL_ALLOC=$n $bin"
            sed 's/^/#   /' "$work/log" | grep -v '^#   ok ' | head -30
        fi
        n=$((n + stride))
    done
    if [ -z "$failed_runs" ]; then
        echo "ok $k - $name: $tried of $count allocations made to fail (stride $stride), no crash, report, hang or leak"
    else
        echo "not ok $k - $name: allocations$failed_runs made to fail went wrong ($tried of $count tried)"
        bad=$((bad + 1))
    fi
done
[ "$bad" -eq 0 ]
