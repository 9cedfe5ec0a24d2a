#!/bin/sh
# bench/history.sh BUILD_DIR — the history of audits at scale: one run of
# BENCH_FINDINGS findings (100,000) stored, a second one, and their diff
# (bench/history_bench.c), on a fresh database in bench/out. Targets of
# the issue: store < 1 s, diff < 0.5 s. No peer keeps such a history, so
# the figures stand alone. Table in bench/out/history.txt.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
OUT=${BENCH_OUT:-bench/out}
N=${BENCH_FINDINGS:-100000}
mkdir -p "$OUT" || exit 2
rm -f "$OUT/history-bench.db" "$OUT/history-bench.db-wal" "$OUT/history-bench.db-shm"
"$BUILD/bench/history_bench" "$OUT/history-bench.db" "$N" | tee "$OUT/history.txt"
