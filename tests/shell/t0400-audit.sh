#!/bin/bash
# t0400-audit.sh — `mamori audit`, the main job, on the bundled examples:
# one report through every writer, and the README's `make run` promise.
. "$(dirname "$0")/lib.sh"

EX=$SOURCE_ROOT/examples/logs
if [ ! -d "$EX" ]; then
    skip "audit on examples" "examples/logs missing"
    done_testing; exit
fi
"$MAMORI" audit --no-system --format json --fail-on none "$EX" > "$TMP/a.jsonl" 2>"$TMP/a.err"; st=$?
ok "audit on the examples: exit 0 with --fail-on none" test "$st" -eq 0
ok "audit: findings from the examples" jq -se '[.[] | select(.type == "finding")] | length > 10' "$TMP/a.jsonl"
ok "audit: the logscan summary is included" jq -se '[.[] | select(.type == "summary" and .capability == "logscan")] | length == 1' "$TMP/a.jsonl"
ok "audit: compressed rotated logs are read" jq -se '[.[] | select(.type == "finding") | (.file // "") | select(endswith(".gz"))] | length > 0' "$TMP/a.jsonl"
ok "audit: IIS W3C logs are read" jq -se '[.[] | select(.type == "finding") | (.file // "") | select(test("iis"))] | length > 0' "$TMP/a.jsonl"
ok "audit: a possible success is reported" jq -se '[.[] | select(.type == "finding" and .verdict == "possible-success")] | length > 0' "$TMP/a.jsonl"
"$MAMORI" audit --no-system "$EX" > /dev/null 2>&1; st=$?
ok "audit: exit 1 because the examples hold high findings" test "$st" -eq 1
"$MAMORI" audit --no-system --format html -o "$TMP/a.html" "$EX" 2>/dev/null
ok "audit: HTML report written" grep -qi "<!doctype html" "$TMP/a.html"
"$MAMORI" audit --no-system --lang ja "$EX" > "$TMP/ja.txt" 2>/dev/null
ok "audit: Japanese report" grep -q "攻撃" "$TMP/ja.txt"
"$MAMORI" audit --fail-on none --format json > "$TMP/sys.jsonl" 2>"$TMP/sys.err"; st=$?
ok "audit of this machine runs (exit $st)" test "$st" -le 2
ok "audit of this machine: logscan and authscan summaries" jq -se '[.[] | select(.type == "summary") | .capability] | index("logscan") != null and index("authscan") != null' "$TMP/sys.jsonl"
ok "audit of this machine: valid JSON Lines" jq -e . "$TMP/sys.jsonl"
done_testing
