#!/bin/sh
# run-tests.sh — `make test`: builds three ways and runs every suite.
#   build/       release build: unit, corpus and shell tests
#   build-asan/  the same tests under AddressSanitizer + UBSan
#   build-fuzz/  each libFuzzer harness briefly (FUZZ_BRIEF seconds)
# Counts every TAP case of every suite and ends with one line:
#   N passed, N failed, N skipped
set -u
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)
FUZZ_BRIEF=${FUZZ_BRIEF:-15}
PASS=0 FAIL=0 SKIP=0

setup() { # dir, meson args...
    dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 \
            || { cat "$dir.setup.log"; return 1; }
    fi
    ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -50 "$dir.build.log"; return 1; }
}

# Adds the TAP cases of one meson test run to the totals.
tally() { # dir
    log="$1/meson-logs/testlog.json"
    [ -f "$log" ] || return 0
    set -- $(jq -rs '
        [ .[] | (.stdout // "") | split("\n")[] ] as $l
        | [ ($l | map(select(test("^ok [0-9]+") and (test("# SKIP") | not))) | length),
            ($l | map(select(test("^not ok [0-9]+"))) | length),
            ($l | map(select(test("^ok [0-9]+.*# SKIP"))) | length) ]
        | @sh' "$log" | tr -d "'")
    PASS=$((PASS + $1)); FAIL=$((FAIL + $2)); SKIP=$((SKIP + $3))
    # A test program that crashed before printing its plan counts as failed.
    crashed=$(jq -rs '[ .[] | select(.result != "OK" and .result != "SKIP"
                 and ((.stdout // "") | test("not ok") | not)) ] | length' "$log")
    FAIL=$((FAIL + crashed))
}

suite() { # label dir
    echo "== $1"
    meson test -C "$2" --num-processes "$JOBS" --print-errorlogs 2>&1 \
        | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Timeout):' || true
    tally "$2"
}

if setup build -Dbuildtype=release -Db_ndebug=true; then
    suite "release build" build
else
    echo "release build failed"; FAIL=$((FAIL + 1))
fi

if setup build-asan -Dbuildtype=debug -Db_sanitize=address,undefined \
        -Db_lundef=false; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        suite "ASan+UBSan build" build-asan
else
    echo "sanitizer build failed"; FAIL=$((FAIL + 1))
fi

echo "== fuzzers (${FUZZ_BRIEF}s each)"
if CC=clang setup build-fuzz -Dbuildtype=debug -Dfuzzing=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false; then
    for f in build-fuzz/fuzz/fuzz_*; do
        [ -f "$f" ] && [ -x "$f" ] || continue
        name=$(basename "$f" | sed 's/^fuzz_//')
        corpus=fuzz/corpus/$name
        work=$(mktemp -d)
        if "$f" -max_total_time="$FUZZ_BRIEF" -max_len=65536 -timeout=10 \
                -rss_limit_mb=2048 "$work" "$corpus" >"$work.log" 2>&1; then
            echo "ok - fuzz $name ($(grep -c . "$work.log") log lines, clean)"
            PASS=$((PASS + 1))
        else
            echo "not ok - fuzz $name"; tail -40 "$work.log"
            FAIL=$((FAIL + 1))
        fi
        rm -rf "$work" "$work.log"
    done
else
    echo "fuzz build failed"; FAIL=$((FAIL + 1))
fi

echo
echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
