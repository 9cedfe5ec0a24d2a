#!/bin/sh
# run-tests.sh — `make test`: builds four ways and runs every suite.
#   build/       release build: unit, corpus and shell tests
#   build-asan/  the same tests under AddressSanitizer + UBSan, then the
#                allocation-failure run of the unit suites
#                (tests/tools/allocfail.sh: each unit test's allocations
#                made to fail in turn, sampled to ALLOCFAIL_SECONDS)
#   build-tsan/  ThreadSanitizer, only the tests that run several threads
#                (meson suite 'threads', listed in tests/meson.build)
#   build-fuzz/  each libFuzzer harness briefly (FUZZ_BRIEF seconds, 10:
#                54 harnesses two at a time are 4.5 minutes; at 15, a
#                slower day pushed the package phase past its deadline;
#                make fuzz runs them long)
#   Debian packages: built (scripts/build-deb.sh, nocheck) and installed,
#                run and purged in a throwaway root (scripts/deb-test.sh),
#                when the run so far leaves time for it (DEB_DEADLINE
#                seconds in, default 26 minutes: the phase takes about a
#                minute and a half; CI stops at 90 minutes, make test
#                aims at 30)
# Counts every TAP case of every suite, names each skip with its reason,
# and ends with one line:
#   N passed, N failed, N skipped
set -u
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)
FUZZ_BRIEF=${FUZZ_BRIEF:-10}
DEB_DEADLINE=${DEB_DEADLINE:-1560}
ALLOCFAIL_SECONDS=${ALLOCFAIL_SECONDS:-150}
export ALLOCFAIL_SECONDS
PASS=0 FAIL=0 SKIP=0
T0=$(date +%s)
# how far into the run, for the phase headers: CI stops at 90 minutes
at() { echo "$(( $(date +%s) - T0 )) s in"; }
NOTES=$(mktemp "${TMPDIR:-/tmp}/mamori-skips.XXXXXX")
TSAN_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/mamori-tsan.XXXXXX")
trap 'rm -rf "$NOTES" "$TSAN_LOGS"' EXIT

setup() { # dir, meson args...
    dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 \
            || { cat "$dir.setup.log"; return 1; }
    else
        # A directory set up before (by `make run`, without the tests, or
        # before the test packages were installed) gets this run's options
        # and looks for its dependencies again.
        meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1 \
            || { cat "$dir.setup.log"; return 1; }
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
}

# Adds the TAP cases of one meson test run to the totals, and its skips
# (and known breakages, "not ok ... # TODO") to the notes: label dir.
tally() {
    log="$2/meson-logs/testlog.json"
    [ -f "$log" ] || return 0
    set -- "$1" $(jq -rs '
        [ .[] | (.stdout // "") | split("\n")[] ] as $l
        | [ ($l | map(select(test("^ok [0-9]+") and (test("# (SKIP|TODO)") | not))) | length),
            ($l | map(select(test("^not ok [0-9]+") and (test("# TODO") | not)
                             or test("^ok [0-9]+.*# TODO"))) | length),
            ($l | map(select(test("^ok [0-9]+.*# SKIP"))) | length)
              + ([ .[] | select(.result == "SKIP" and
                     ((.stdout // "") | test("(^|\n)ok [0-9]+.*# SKIP") | not)) ] | length) ]
        | @sh' "$log" | tr -d "'")
    PASS=$((PASS + $2)); FAIL=$((FAIL + $3)); SKIP=$((SKIP + $4))
    # A test program that crashed before printing its plan counts as failed.
    crashed=$(jq -rs '[ .[] | select(.result != "OK" and .result != "SKIP"
                 and .result != "EXPECTEDFAIL"
                 and ((.stdout // "") | test("not ok") | not)) ] | length' "$log")
    FAIL=$((FAIL + crashed))
    jq -r --arg b "$1" '
        (.name | sub("^[^/]*/ "; "")) as $t
        | if .result == "SKIP" and
             ((.stdout // "") | test("(^|\n)ok [0-9]+.*# SKIP") | not) then
            "\($b): \($t): the whole test (\((.stdout // "") | capture("# SKIP *(?<w>[^\n]*)").w // "exit status 77"))"
          else
            (.stdout // "") | split("\n")[]
            | (capture("^ok [0-9]+ *-? *(?<c>.*?) *# SKIP *(?<w>.*)$")
                 | "\($b): \($t): \(.c) (\(.w))"),
              (capture("^not ok [0-9]+ *-? *(?<c>.*?) *# TODO *(?<w>.*)$")
                 | "\($b): \($t): \(.c) (TODO: \(.w))")
          end' "$log" >>"$NOTES"
}

# Adds a TAP stream's cases (a script's output) to the totals: file.
tally_tap() {
    p=$(grep -cE '^ok [0-9]+' "$1"); f=$(grep -cE '^not ok [0-9]+' "$1")
    PASS=$((PASS + p)); FAIL=$((FAIL + f))
}

suite() { # label dir [meson test args...]
    label=$1 dir=$2; shift 2
    echo "== $label ($(at))"
    meson test -C "$dir" --num-processes "$JOBS" --print-errorlogs "$@" 2>&1 \
        | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Timeout):' || true
    tally "$label" "$dir"
}

if setup build -Dbuildtype=release -Db_ndebug=true -Dtests=true; then
    suite "release build" build
else
    echo "release build failed"; FAIL=$((FAIL + 1))
fi

if setup build-asan -Dbuildtype=debug -Db_sanitize=address,undefined \
        -Db_lundef=false; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        suite "ASan+UBSan build" build-asan
    echo "== allocation failures, unit suites (${ALLOCFAIL_SECONDS}s; $(at))"
    out=$(mktemp)
    sh tests/tools/allocfail.sh build-asan >"$out" 2>&1
    # The lines per binary, and the reports of what went wrong.
    grep -E '^(not )?ok |^# ' "$out" | grep -vE '^#   (ok|1\.\.)' | head -200
    tally_tap "$out"
    rm -f "$out"
else
    echo "sanitizer build failed"; FAIL=$((FAIL + 1))
fi

# ThreadSanitizer writes its reports to files, so a report from a command
# whose stderr a shell test throws away still counts.
if setup build-tsan -Dbuildtype=debugoptimized -Db_sanitize=thread \
        -Db_lundef=false; then
    TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:log_path=$TSAN_LOGS/report" \
        suite "ThreadSanitizer build, suite threads" build-tsan --suite threads
    for r in "$TSAN_LOGS"/report*; do
        [ -f "$r" ] || continue
        echo "not ok - ThreadSanitizer report ($(grep -m1 -oE 'WARNING: ThreadSanitizer: [a-z -]+' "$r"))"
        sed 's/^/# /' "$r" | head -60
        FAIL=$((FAIL + 1))
    done
else
    echo "thread sanitizer build failed"; FAIL=$((FAIL + 1))
fi

echo "== fuzzers (${FUZZ_BRIEF}s each, $(nproc) at a time; $(at))"
if CC=clang setup build-fuzz -Dbuildtype=debug -Dfuzzing=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false; then
    # One harness a core at a time; each reports in order once its batch
    # is done, so the output reads the same whatever finished first.
    fuzzwork=$(mktemp -d)
    # only the harnesses, not meson's fuzz_*.p object directories beside
    # them (which took every other slot of a batch)
    set --
    for f in build-fuzz/fuzz/fuzz_*; do
        [ -f "$f" ] && [ -x "$f" ] && set -- "$@" "$f"
    done
    while [ $# -gt 0 ]; do
        batch=
        for _ in $(seq "$(nproc)"); do
            [ $# -gt 0 ] || break
            f=$1; shift
            name=$(basename "$f" | sed 's/^fuzz_//')
            mkdir -p "$fuzzwork/$name"
            ( "$f" -max_total_time="$FUZZ_BRIEF" -max_len=65536 -timeout=10 \
                -rss_limit_mb=2048 -artifact_prefix="$fuzzwork/$name-" \
                "$fuzzwork/$name" "fuzz/corpus/$name" \
                >"$fuzzwork/$name.log" 2>&1; echo $? > "$fuzzwork/$name.rc" ) &
            batch="$batch $name"
        done
        wait
        for name in $batch; do
            if [ "$(cat "$fuzzwork/$name.rc")" = 0 ]; then
                echo "ok - fuzz $name ($(grep -c . "$fuzzwork/$name.log") log lines, clean)"
                PASS=$((PASS + 1))
            else
                echo "not ok - fuzz $name"; tail -40 "$fuzzwork/$name.log"
                FAIL=$((FAIL + 1))
            fi
        done
    done
    rm -rf "$fuzzwork"
else
    echo "fuzz build failed"; FAIL=$((FAIL + 1))
fi

# The packages: minutes to build, so only when the run leaves time.
if [ $(( $(date +%s) - T0 )) -gt "$DEB_DEADLINE" ]; then
    echo "== Debian packages: skipped ($(at), past DEB_DEADLINE=$DEB_DEADLINE)"
    echo "make test: Debian packages (started $(at), past DEB_DEADLINE=$DEB_DEADLINE s; make deb builds and tests them)" >>"$NOTES"
    SKIP=$((SKIP + 1))
elif [ "$(id -u)" != 0 ]; then
    echo "make test: Debian packages (needs root to install them in a throwaway root; make deb)" >>"$NOTES"
    SKIP=$((SKIP + 1))
else
    echo "== Debian packages ($(at))"
    debdir=$(mktemp -d)
    if DEB_BUILD_OPTIONS="nocheck parallel=$JOBS" sh scripts/build-deb.sh "$debdir" \
            >"$debdir.log" 2>&1; then
        echo "ok - the packages build, lintian finds no error ($(grep -o 'built in [0-9]* s' "$debdir.log"))"
        PASS=$((PASS + 1))
        out=$(mktemp)
        sh scripts/deb-test.sh "$debdir" >"$out" 2>&1
        grep -E '^(not )?ok |^# ' "$out" | head -100
        tally_tap "$out"
        rm -f "$out"
    else
        echo "not ok - the packages build"; tail -40 "$debdir.log"
        FAIL=$((FAIL + 1))
    fi
    rm -rf "$debdir" "$debdir.log"
fi

echo
if [ -s "$NOTES" ]; then
    echo "== skipped, and why"
    sed 's/^/  /' "$NOTES"
    echo
fi
echo "== done ($(at))"
echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
