#!/bin/bash
# t0420-audit-config.sh — `mamori audit --config FILE` (mamori.conf, what
# the systemd timer's runs do): the file's settings applied, the command
# line overriding them, a file with errors refused whole with FILE:LINE
# messages and nothing written, the backup declaration it names judged on
# an empty root, and the shipped examples/mamori.conf read as no settings.
. "$(dirname "$0")/lib.sh"

EX=$SOURCE_ROOT/examples/logs
M=$MAMORI
cat > "$TMP/ja.conf" <<EOF
; the settings [audit] and [history] take
[audit]
lang = ja
min-severity = high
fail_on = none
[history]
db = $TMP/history.db
EOF
"$M" audit --config "$TMP/ja.conf" --no-system --format json "$EX" \
    > "$TMP/ja.jsonl" 2>"$TMP/ja.err"; st=$?
ok "the file's fail_on: exit 0 (none)" test "$st" -eq 0
ok "the file's lang: titles in Japanese" \
    jq -se '[.[] | select(.type == "finding") | .title | test("攻撃")] | any' "$TMP/ja.jsonl"
ok "the file's min_severity: nothing below high" \
    jq -se '[.[] | select(.type == "finding") | .severity] | length > 0 and all(. == "high" or . == "critical")' "$TMP/ja.jsonl"
ok "the file's [history] db keeps the run" test -s "$TMP/history.db"

"$M" audit --config "$TMP/ja.conf" --lang en --fail-on high --min-severity info \
    --no-system --format json "$EX" > "$TMP/en.jsonl" 2>/dev/null; st=$?
ok "--fail-on overrides the file: exit 1" test "$st" -eq 1
ok "--lang overrides the file: English" \
    sh -c "! grep -q '攻撃' '$TMP/en.jsonl'"
ok "--min-severity overrides the file: low findings are back" \
    jq -se '[.[] | select(.type == "finding" and (.severity == "low" or .severity == "medium"))] | length > 0' "$TMP/en.jsonl"

cat > "$TMP/bad.conf" <<'EOF'
[audit]
lang = fr
domians = example.jp
[pull]
db = x
[push]
spool = spool
EOF
"$M" audit --config "$TMP/bad.conf" --no-system --format json "$EX" \
    > "$TMP/bad.out" 2>"$TMP/bad.err"; st=$?
ok "a file with errors: exit 2" test "$st" -eq 2
ok "a file with errors: nothing is checked or written" test ! -s "$TMP/bad.out"
cat > "$TMP/bad.want" <<EOF
mamori audit: $TMP/bad.conf:2: error: lang: expected en or ja
mamori audit: $TMP/bad.conf:3: error: unknown key 'domians' in [audit]
mamori audit: $TMP/bad.conf:4: error: unknown section [pull]: expected [audit], [history] or [push]
mamori audit: $TMP/bad.conf:7: error: spool: expected an absolute path
EOF
ok "a file with errors: each is FILE:LINE: error: ..." diff "$TMP/bad.want" "$TMP/bad.err"

"$M" audit --config "$TMP/none.conf" --no-system "$EX" >/dev/null 2>"$TMP/none.err"; st=$?
ok "a missing file: exit 2" test "$st" -eq 2
ok "a missing file: named with the reason" \
    grep -q "cannot read $TMP/none.conf: No such file or directory" "$TMP/none.err"

# root and backup: the declaration the file names is judged, under a root
# that has none of its own (and no history written outside TMP).
mkdir "$TMP/root"
cat > "$TMP/root.conf" <<EOF
[audit]
root = $TMP/root
backup = $SOURCE_ROOT/examples/backup.conf
fail_on = none
EOF
"$M" audit --config "$TMP/root.conf" --no-history --format json \
    > "$TMP/root.jsonl" 2>/dev/null; st=$?
ok "root and backup from the file: exit 0" test "$st" -eq 0
ok "the file's backup declaration is judged" \
    jq -se '[.[] | select(.type == "summary" and .capability == "backup")] | length == 1' "$TMP/root.jsonl"
ok "the file's root is audited (its missing login.defs)" \
    jq -se '[.[] | select(.type == "summary" and .capability == "host")] | length == 1' "$TMP/root.jsonl"
"$M" audit --config "$TMP/root.conf" --no-system --no-history --format json "$EX" \
    > "$TMP/nosys.jsonl" 2>/dev/null
ok "--no-system drops the file's root and backup" \
    jq -se '[.[] | select(.type == "summary") | .capability] | index("logscan") != null and index("host") == null and index("backup") == null' "$TMP/nosys.jsonl"

# The shipped file: every setting commented out, so the same report as
# without it.
"$M" audit --no-system --no-history --format json --fail-on none "$EX" \
    > "$TMP/plain.jsonl"
"$M" audit --config "$SOURCE_ROOT/examples/mamori.conf" --no-system --no-history \
    --format json --fail-on none "$EX" > "$TMP/shipped.jsonl"
ok "examples/mamori.conf changes nothing" diff "$TMP/plain.jsonl" "$TMP/shipped.jsonl"
done_testing
