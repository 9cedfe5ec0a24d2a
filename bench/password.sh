#!/bin/sh
# password.sh — the password checker's benchmark: builds password_bench
# against the build's libmamori.a and runs it on tests/password (the
# same inputs for mamori, passwdqc, zxcvbn-c and libpwquality), on one
# core (CPU time, fastest of 5 interleaved repetitions). Needs
# `scripts/install-deps.sh --bench` (libpasswdqc-dev, libpwquality-dev,
# libzxcvbn-dev). Also prints the breach filter's size.
#
# usage: bench/password.sh [BUILD_DIR] [ROUNDS]     (default: build, 200)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
ROUNDS=${2:-200}
LIB="$BUILD/lib/libmamori.a"
[ -f "$LIB" ] || { echo "password.sh: build $LIB first (ninja -C $BUILD)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cc -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT/include" \
    -o "$OUT/password_bench" "$ROOT/bench/password_bench.c" "$LIB" \
    -lpasswdqc -lpwquality -lzxcvbn -lzstd -lz -lm -lpthread -lcrypto -lcurl -lunbound
echo "== password checks (one core) =="
taskset -c 0 "$OUT/password_bench" "$ROOT/tests/password/reject.txt" \
    "$ROOT/tests/password/accept.txt" "$ROUNDS" 2>/dev/null ||
    "$OUT/password_bench" "$ROOT/tests/password/reject.txt" \
    "$ROOT/tests/password/accept.txt" "$ROUNDS"
entries=$("$BUILD/src/mamori" password info | sed -n 's/^breach filter entries: //p')
bytes=$(sed -n 's/.*\.array_length = \([0-9]*\)u.*/\1/p' \
    "$BUILD/lib/password/pw_breach_data.c")
echo "breach filter: $entries entries, $((bytes + (bytes + 1) / 2)) bytes" \
     "($(awk "BEGIN{printf \"%.2f\", ($bytes * 1.5) / $entries * 1e6 / 1048576}") MiB per million)"
