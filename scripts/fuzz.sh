#!/bin/sh
# fuzz.sh — `make fuzz`: every libFuzzer harness for FUZZ_SECONDS, on all
# cores, keeping what it finds in build-fuzz/corpus-<name>/ (the seed
# corpus in fuzz/corpus/ stays as committed). Crashes are left as
# crash-* files in the current directory.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-600}
[ -f "$dir/build.ninja" ] || CC=clang meson setup "$dir" -Dbuildtype=debug \
    -Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false
ninja -C "$dir"
status=0
for f in "$dir"/fuzz/fuzz_*; do
    [ -f "$f" ] && [ -x "$f" ] || continue
    name=$(basename "$f" | sed 's/^fuzz_//')
    mkdir -p "$dir/corpus-$name"
    echo "== $name for ${secs}s"
    "$f" -max_total_time="$secs" -max_len=65536 -timeout=10 -jobs="$(nproc)" \
        -workers="$(nproc)" -rss_limit_mb=2048 "$dir/corpus-$name" \
        "fuzz/corpus/$name" || status=1
done
exit $status
