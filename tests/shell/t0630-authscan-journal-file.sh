#!/bin/bash
# t0630-authscan-journal-file.sh — authscan reads sshd's messages from
# journal files: writes a journal of its own from the journal export
# format with systemd-journal-remote (Debian package
# systemd-journal-remote), then checks `authscan --journal-dir` finds the
# brute force, the break-in after it and the root password login, and
# nothing about a key login. Skipped, visibly, without the tool.
. "$(dirname "$0")/lib.sh"
JR=""
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
    [ -x "$p" ] && JR=$p && break
done
if [ -z "$JR" ]; then
    skip "authscan --journal-dir on a written journal" \
        "no systemd-journal-remote (apt-get install systemd-journal-remote)"
    done_testing
    exit 0
fi
T0=1762160400 # 2025-11-03T09:00:00Z
entry() { # cursor time pid message
    printf '__CURSOR=s=0;i=%s\n__REALTIME_TIMESTAMP=%s000000\n__MONOTONIC_TIMESTAMP=%s000000\n' \
        "$1" "$2" "$(($2 - T0 + 10))"
    printf '_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=srv\nSYSLOG_IDENTIFIER=sshd\n'
    printf '_PID=%s\nPRIORITY=6\nMESSAGE=%s\n\n' "$3" "$4"
}
{
    for k in 0 1 2 3 4 5 6 7; do
        entry $k $((T0 + k * 5)) 4242 "Failed password for root from 203.0.113.10 port 4000$k ssh2"
    done
    entry 8 $((T0 + 100)) 4243 "Accepted password for root from 203.0.113.10 port 41000 ssh2"
    entry 9 $((T0 + 200)) 4244 "Accepted publickey for alice from 10.0.0.5 port 41001 ssh2"
    entry 10 $((T0 + 300)) 4245 "Server listening on 0.0.0.0 port 22."
} >"$TMP/export.txt"
mkdir -p "$TMP/jd"
"$JR" -o "$TMP/jd/remote.journal" - <"$TMP/export.txt" 2>"$TMP/jr.err"
ok "systemd-journal-remote writes a journal file" test -s "$TMP/jd/remote.journal"
"$MAMORI" authscan --journal-dir "$TMP/jd" -f json --fail-on none >"$TMP/out.jsonl" 2>"$TMP/err"
ok "authscan --journal-dir exits 0" test $? -eq 0
ok "all 11 entries of sshd read" \
    jq -e -s 'any(.[]; .type=="summary" and .counters.journal_entries == 11 and .counters.events == 10)' "$TMP/out.jsonl"
ok "brute force from the journal" \
    jq -e -s 'any(.[]; .category=="brute-force" and .sources==["203.0.113.10"] and .attempts >= 8)' "$TMP/out.jsonl"
ok "break-in after it" \
    jq -e -s 'any(.[]; .category=="break-in" and .accounts==["root"] and .severity=="critical")' "$TMP/out.jsonl"
ok "root password login" \
    jq -e -s 'any(.[]; .category=="privileged-login" and .accounts==["root"])' "$TMP/out.jsonl"
ok "the key login of alice raises nothing" \
    jq -e -s 'all(.[]; (.accounts // []) | index("alice") | not)' "$TMP/out.jsonl"
ok "journal times are the entries' own" \
    jq -e -s 'any(.[]; .category=="brute-force" and .first=="2025-11-03T09:00:00Z")' "$TMP/out.jsonl"
done_testing
