#!/bin/bash
# t0210-logscan-hostile.sh — logs written by attackers: NUL bytes, invalid
# UTF-8, binary garbage, a single line of 1 GB, cut compressed files.
# Each must give a clear message and the results for everything readable,
# in bounded memory.
. "$(dirname "$0")/lib.sh"

ATTACK='203.0.113.7 - - [01/Nov/2026:10:00:00 +0900] "GET /item.php?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1" 200 512 "-" "curl/8.0"'
GOOD='198.51.100.1 - - [01/Nov/2026:10:00:01 +0900] "GET /index.html HTTP/1.1" 200 512 "-" "curl/8.0"'
count_sqli() { jq -s '[.[] | select(.type == "finding" and .category == "sqli")] | length' "$1"; }

# NUL bytes and invalid UTF-8 inside and between lines.
{
    echo "$GOOD"
    printf '198.51.100.2 - - [01/Nov/2026:10:00:02 +0900] "GET /a\0b\xff\xfe HTTP/1.1" 200 1 "-" "\xc0\xaf\x80"\n'
    printf '\0\0\0\n\xff\xfe\xfd garbage\n'
    echo "$ATTACK"
} > "$TMP/nul.log"
"$MAMORI" logscan --format json --fail-on none "$TMP/nul.log" > "$TMP/nul.jsonl" 2>"$TMP/nul.err"; st=$?
ok "NUL bytes and invalid UTF-8: no crash" test "$st" -lt 2
ok "NUL bytes and invalid UTF-8: output is valid JSON" jq -e . "$TMP/nul.jsonl"
ok "NUL bytes and invalid UTF-8: the attack after them is found" test "$(count_sqli "$TMP/nul.jsonl")" -eq 1

# Binary garbage named on the command line.
head -c 1048576 /dev/urandom > "$TMP/garbage.bin"
"$MAMORI" logscan --fail-on none "$TMP/garbage.bin" >/dev/null 2>"$TMP/garbage.err"; st=$?
ok "binary garbage: exit 2" test "$st" -eq 2
ok "binary garbage: says it is not a log" grep -q "not a web access log" "$TMP/garbage.err"

# Lines over the 64 KiB limit, and one single line of 1 GB from a pipe.
{
    echo "$GOOD"
    printf '198.51.100.3 - - [01/Nov/2026:10:00:03 +0900] "GET /%s HTTP/1.1" 200 1 "-" "x"\n' "$(head -c 100000 /dev/zero | tr '\0' a)"
    echo "$ATTACK"
} > "$TMP/long.log"
"$MAMORI" logscan --format json --fail-on none "$TMP/long.log" > "$TMP/long.jsonl" 2>"$TMP/long.err"
ok "overlong line: named by number" grep -q "long.log:2: warning: line longer than" "$TMP/long.err"
ok "overlong line: the next line is still checked, with its own number" jq -se '[.[] | select(.type == "finding")][0].line == 3' "$TMP/long.jsonl"

mem_kb() { /usr/bin/time -f '%M' -o "$TMP/mem" "$@"; cat "$TMP/mem" >&2; }
if [ -x /usr/bin/time ]; then
    { echo "$GOOD"; head -c 1073741824 /dev/zero | tr '\0' A; echo; echo "$ATTACK"; } |
        /usr/bin/time -f '%M' -o "$TMP/mem" "$MAMORI" logscan --format json --fail-on none -j2 - > "$TMP/giant.jsonl" 2>"$TMP/giant.err"
    ok "1 GB line: the attack after it is found on line 3" jq -se '[.[] | select(.type == "finding" and .category == "sqli")][0].line == 3' "$TMP/giant.jsonl"
    ok "1 GB line: reported as overlong" grep -q "warning: line longer than" "$TMP/giant.err"
    ok "1 GB line: memory stays under 200 MB (got $(cat "$TMP/mem" 2>/dev/null) KB)" test "$(cat "$TMP/mem")" -lt 204800
else
    skip "1 GB line" "/usr/bin/time not installed"
fi

# A cut .gz and a cut .zst: results for the readable part, a clear error.
for i in $(seq 1 3000); do echo "$ATTACK"; done > "$TMP/many.log"
gzip -c "$TMP/many.log" > "$TMP/many.gz"
head -c $(( $(stat -c %s "$TMP/many.gz") / 2 )) "$TMP/many.gz" > "$TMP/cut.gz"
"$MAMORI" logscan --format json --fail-on none "$TMP/cut.gz" > "$TMP/cut.jsonl" 2>"$TMP/cut.err"; st=$?
ok "cut .gz: exit 2" test "$st" -eq 2
ok "cut .gz: says it is truncated" grep -q "truncated" "$TMP/cut.err"
ok "cut .gz: findings for the readable part" sh -c "n=\$(jq -s '[.[] | select(.type == \"finding\")] | length' '$TMP/cut.jsonl'); [ \"\$n\" -gt 0 ] && [ \"\$n\" -lt 3000 ]"
ok "cut .gz: the summary is still written" sh -c "tail -n1 '$TMP/cut.jsonl' | jq -e '.type == \"summary\"'"
zstd -q -c "$TMP/many.log" > "$TMP/many.zst"
head -c $(( $(stat -c %s "$TMP/many.zst") - 20 )) "$TMP/many.zst" > "$TMP/cut.zst"
"$MAMORI" logscan --format json --fail-on none "$TMP/cut.zst" > "$TMP/cutz.jsonl" 2>"$TMP/cutz.err"; st=$?
ok "cut .zst: exit 2 and says truncated" sh -c "[ $st -eq 2 ] && grep -q truncated '$TMP/cutz.err'"

# Bounded per-client state: many distinct attacking clients.
for i in $(seq 0 2999); do
    printf '10.%d.%d.%d - - [01/Nov/2026:10:00:00 +0900] "GET /?q=%%3Cscript%%3Ealert(1)%%3C/script%%3E HTTP/1.1" 404 1 "-" "x"\n' $((i / 65536)) $((i / 256 % 256)) $((i % 256))
done > "$TMP/clients.log"
"$MAMORI" logscan --format json --fail-on none --max-clients 100 "$TMP/clients.log" > "$TMP/cl.jsonl" 2>"$TMP/cl.err"
ok "client table capped: eviction counted in the summary" jq -se '.[-1].counters.clients <= 100 and .[-1].counters.clients_evicted > 0' "$TMP/cl.jsonl"
ok "client table capped: said on stderr" grep -q "evicted" "$TMP/cl.err"
ok "client table capped: every attack still reported" test "$(jq -s '[.[] | select(.type == "finding")] | length' "$TMP/cl.jsonl")" -eq 3000
done_testing
