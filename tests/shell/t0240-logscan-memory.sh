#!/bin/bash
# t0240-logscan-memory.sh — logscan stays within --memory whatever the
# thread count (issue 12, defect 4: 69 MB with one thread, 106 MB with
# two, 211 MB with eight). A few hundred thousand lines, every client and
# path distinct, half of them attacks, so that the client and path tables
# fill and evict and the chunks in flight are dense with results: peak
# RSS must stay under the budget with -j1, -j2 and -j8, and the report
# must be the same for every thread count.
. "$(dirname "$0")/lib.sh"
if [ ! -x /usr/bin/time ]; then
    skip "logscan memory bound" "no /usr/bin/time (GNU time) to measure peak RSS"
    done_testing
    exit 0
fi
N=300000
# Distinct clients (10.x.y.z) and paths; even lines carry an SQL injection.
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++) {
    ip = sprintf("%d.%d.%d.%d", 10 + int(i / 16777216), int(i / 65536) % 256, int(i / 256) % 256, i % 256)
    if (i % 2 == 0) req = sprintf("GET /p%d/item.php?id=1%%27%%20OR%%20%%271%%27=%%271 HTTP/1.1", i)
    else            req = sprintf("GET /p%d/view.php?id=%d HTTP/1.1", i, i)
    printf "%s - - [01/Nov/2026:%02d:%02d:%02d +0000] \"%s\" 200 %d \"-\" \"Mozilla/5.0\"\n",
        ip, int(i / 3600) % 24, int(i / 60) % 60, i % 60, req, 1000 + i % 50 } }' >"$TMP/big.log"
# A sanitizer build's shadow memory is not the program's: RSS checks off.
SANITIZED=0
ldd "$MAMORI" 2>/dev/null | grep -q 'lib[a-z]*san' && SANITIZED=1
for MEM in 32 64; do
    for J in 1 2 8; do
        /usr/bin/time -f %M -o "$TMP/rss" "$MAMORI" logscan -j $J --memory $MEM \
            -f json --fail-on none --no-progress "$TMP/big.log" \
            >"$TMP/out-$MEM-$J.jsonl" 2>"$TMP/err-$MEM-$J"
        ok "--memory $MEM -j $J: the scan runs" test $? -eq 0
        RSS=$(tail -1 "$TMP/rss")
        if [ $SANITIZED = 1 ]; then
            skip "--memory $MEM -j $J: peak RSS within the budget" "sanitizer build"
        else
            ok "--memory $MEM -j $J: peak RSS ${RSS} KB within $MEM MB" \
                test "$RSS" -le $((MEM * 1024))
        fi
    done
    ok "--memory $MEM: the same report for -j 1 and -j 2" \
        cmp -s "$TMP/out-$MEM-1.jsonl" "$TMP/out-$MEM-2.jsonl"
    ok "--memory $MEM: the same report for -j 1 and -j 8" \
        cmp -s "$TMP/out-$MEM-1.jsonl" "$TMP/out-$MEM-8.jsonl"
done
ok "every line read and every attack found" \
    jq -e -s "any(.[]; .type==\"summary\" and .counters.lines == $N and .counters.findings == $((N / 2)))" \
    "$TMP/out-64-2.jsonl"
ok "evicted clients counted in the summary" \
    jq -e -s 'any(.[]; .type=="summary" and .counters.clients_evicted > 0)' "$TMP/out-32-1.jsonl"
ok "the eviction is said on stderr" grep -q "state tables were full" "$TMP/err-32-1"
ok "a smaller budget holds fewer clients" \
    jq -e -s --slurpfile big "$TMP/out-64-1.jsonl" \
    '([.[] | select(.type=="summary")][0].counters.clients_evicted) >
     ([$big[] | select(.type=="summary")][0].counters.clients_evicted)' "$TMP/out-32-1.jsonl"
"$MAMORI" logscan --memory 16 "$TMP/big.log" >/dev/null 2>"$TMP/err-small"
ok "a budget below 32 MB is a usage error" test $? -eq 2
ok "...that says the range" grep -q "from 32 to" "$TMP/err-small"
done_testing
