#!/bin/bash
# t0610-authscan-journal.sh — mamori authscan reads this machine's systemd
# journal without error (skipped, visibly, where there is none).
. "$(dirname "$0")/lib.sh"
if ! ls /var/log/journal/*/*.journal /run/log/journal/*/*.journal >/dev/null 2>&1; then
    skip "authscan --journal" "no journal files on this machine"
else
    "$MAMORI" authscan --journal -f json --fail-on none >"$TMP/j.jsonl" 2>"$TMP/j.err"
    ok "authscan --journal exits 0" test $? -eq 0
    ok "authscan --journal writes a summary" \
        jq -e -s 'any(.[]; .type=="summary" and .capability=="authscan")' "$TMP/j.jsonl"
fi
ok "authscan --journal-dir on an empty directory is not an error" \
    sh -c "mkdir -p '$TMP/jd' && '$MAMORI' authscan --journal-dir '$TMP/jd' -q --fail-on none"
done_testing
