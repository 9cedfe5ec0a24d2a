#!/bin/sh
# bench/fleet.sh BUILD_DIR — a fleet at scale: BENCH_HOSTS (10,000)
# simulated hosts x BENCH_FLEET_FINDINGS (200) findings pushed into a
# throwaway PostgreSQL 15 (tests/shell/pg.sh: 127.0.0.1, TLS verified in
# full, fsync off as for any throwaway cluster) through the code of
# `mamori push` (bench/fleet_bench.c), then each `mamori fleet` view over
# them, timed. Target of the issue: each view < 1 s. No peer: the figures
# stand alone. Table in bench/out/fleet.txt.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
OUT=${BENCH_OUT:-bench/out}
HOSTS=${BENCH_HOSTS:-10000}
NF=${BENCH_FLEET_FINDINGS:-200}
mkdir -p "$OUT" || exit 2
. tests/shell/pg.sh
if ! pg_available; then
    echo "fleet: skipped: $PG_MISSING" | tee "$OUT/fleet.txt"
    exit 0
fi
CA=$(mktemp -d) || exit 2
trap 'pg_teardown; rm -rf "$CA"' EXIT
pg_setup "$CA" || { echo "cannot start PostgreSQL"; exit 2; }
M=$BUILD/src/mamori
"$M" fleet --db "$PG_ADMIN" init > /dev/null || exit 2
{
    echo "fleet: $HOSTS hosts x $NF findings, PostgreSQL 15 on 127.0.0.1 (TLS)"
    "$BUILD/bench/fleet_bench" "$PG_ADMIN" "$HOSTS" "$NF" || exit 2
    pg_psql -d fleet -c 'VACUUM ANALYZE' > /dev/null
    fp=$("$M" fleet --db "$PG_ADMIN" worst --limit 1 -f json |
         sed -n 's/.*"fingerprint":"\([0-9a-f]*\)".*/\1/p')
    for view in status stale worst "finding $fp"; do
        t0=$(date +%s.%N)
        # shellcheck disable=SC2086
        "$M" fleet --db "$PG_ADMIN" $view -f json > "$OUT/fleet-view.json" || exit 2
        t1=$(date +%s.%N)
        printf '  mamori fleet %-8s %6.3f s  (%s bytes of JSON)\n' "${view%% *}" \
            "$(echo "$t1 - $t0" | bc)" "$(wc -c < "$OUT/fleet-view.json")"
    done
} | tee "$OUT/fleet.txt"
