#!/bin/bash
# t0620-authscan-memory.sh — authscan's state stays within --memory: 2.1
# million distinct sources piped in with --memory 64 must peak under 64 MB
# plus a small constant (program, reading chunks), and the summary must
# count the sources it had to evict. A small input must not claim the
# budget up front: the tables grow as entries come.
. "$(dirname "$0")/lib.sh"
if [ ! -x /usr/bin/time ]; then
    skip "authscan memory bound" "no /usr/bin/time (GNU time) to measure peak RSS"
    done_testing
    exit 0
fi
N=2100000
SLACK_KB=16384        # program, libraries, reading chunks
gen() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
        printf "Nov  1 %02d:%02d:%02d h sshd[9]: Failed password for invalid user u%d from %d.%d.%d.%d port 22 ssh2\n",
            int(i / 87500) % 24, int(i / 1500) % 60, i % 60, i % 5000,
            10 + int(i / 16777216), int(i / 65536) % 256, int(i / 256) % 256, i % 256 }'
}
gen $N | /usr/bin/time -f %M -o "$TMP/rss" "$MAMORI" authscan -j 2 -f json \
    --memory 64 --fail-on none --no-progress - >"$TMP/out.jsonl" 2>"$TMP/err"
ok "authscan reads $N distinct sources" test $? -eq 0
RSS=$(tail -1 "$TMP/rss")
# A sanitizer build's shadow memory is not the program's: RSS checks off.
SANITIZED=0
ldd "$MAMORI" 2>/dev/null | grep -q 'lib[a-z]*san' && SANITIZED=1
if [ $SANITIZED = 1 ]; then
    skip "peak RSS within 64 MB + $SLACK_KB KB" "sanitizer build"
else
    ok "peak RSS ${RSS} KB within 64 MB + $SLACK_KB KB" test "$RSS" -le $((65536 + SLACK_KB))
fi
ok "every line read" \
    jq -e -s "any(.[]; .type==\"summary\" and .counters.lines == $N)" "$TMP/out.jsonl"
ok "evicted sources counted in the summary" \
    jq -e -s 'any(.[]; .type=="summary" and .counters.evicted_sources > 1000000)' "$TMP/out.jsonl"
ok "the eviction is said on stderr" grep -q "memory bound reached" "$TMP/err"
# Which sources are evicted does not depend on the run (the table hash
# key is random) nor on the thread count.
gen 400000 > "$TMP/ev.log"
for r in a b; do
    "$MAMORI" authscan -j 1 -f json --memory 4 --fail-on none --no-progress \
        "$TMP/ev.log" > "$TMP/ev-$r.jsonl" 2>/dev/null
done
"$MAMORI" authscan -j 2 -f json --memory 4 --fail-on none --no-progress \
    "$TMP/ev.log" > "$TMP/ev-j2.jsonl" 2>/dev/null
ok "eviction: sources were evicted" \
    jq -e -s 'any(.[]; .type=="summary" and .counters.evicted_sources > 0)' "$TMP/ev-a.jsonl"
ok "eviction: the same report on every run" cmp -s "$TMP/ev-a.jsonl" "$TMP/ev-b.jsonl"
ok "eviction: the same report for -j 1 and -j 2" cmp -s "$TMP/ev-a.jsonl" "$TMP/ev-j2.jsonl"
gen 2000 | /usr/bin/time -f %M -o "$TMP/rss2" "$MAMORI" authscan -q --fail-on none \
    --no-progress - >/dev/null 2>&1
RSS2=$(tail -1 "$TMP/rss2")
if [ $SANITIZED = 1 ]; then
    skip "a small input stays small" "sanitizer build"
else
    ok "a small input stays small (${RSS2} KB < 40 MB with the 256 MB default)" \
        test "$RSS2" -le 40960
fi
done_testing
