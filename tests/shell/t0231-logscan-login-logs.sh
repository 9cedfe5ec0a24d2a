#!/bin/bash
# t0231-logscan-login-logs.sh — `mamori logscan /var/log` must not drop
# login attacks silently: a login log (auth.log, secure, a syslog with
# sshd, vsftpd.log) is named with the command that reads it (authscan)
# and counted in the summary; named on the command line it is refused
# with that message (exit 2), never read as a broken web log.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/log"
for i in 1 2 3 4 5 6; do
    printf 'Nov  9 10:00:0%d web sshd[812]: Failed password for root from 203.0.113.9 port 5002%d ssh2\n' "$i" "$i"
done > "$TMP/log/auth.log"
printf 'Sat Nov  9 10:00:01 2026 [pid 42] [bob] FAIL LOGIN: Client "::ffff:203.0.113.9"\n' > "$TMP/log/vsftpd.log"
printf 'Nov  9 10:00:01 web kernel: [    1.000000] eth0: link up\n' > "$TMP/log/kern.log"
echo '203.0.113.7 - - [01/Nov/2026:10:00:00 +0900] "GET /item.php?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1" 200 512 "-" "curl/8.0"' > "$TMP/log/access.log"

"$MAMORI" logscan --format json --fail-on none "$TMP/log" > "$TMP/dir.jsonl" 2>"$TMP/dir.err"; st=$?
ok "directory: exit below 2" test "$st" -lt 2
ok "directory: the web attack is found" \
    jq -se '[.[] | select(.type == "finding" and .category == "sqli")] | length == 1' "$TMP/dir.jsonl"
ok "directory: auth.log is named with the command that reads it" \
    grep -q "auth.log: note: a login log .*mamori authscan" "$TMP/dir.err"
ok "directory: vsftpd.log is named too" grep -q "vsftpd.log: note: a login log" "$TMP/dir.err"
ok "directory: kern.log is no login log" sh -c "! grep -q 'kern.log: note: a login log' '$TMP/dir.err'"
ok "directory: the summary counts the login logs" \
    jq -se '[.[] | select(.type == "summary")][0].counters.login_logs == 2' "$TMP/dir.jsonl"

"$MAMORI" logscan --fail-on none "$TMP/log/auth.log" >/dev/null 2>"$TMP/one.err"; st=$?
ok "auth.log named: exit 2" test "$st" -eq 2
ok "auth.log named: the message names mamori authscan" grep -q "error: a login log .*mamori authscan" "$TMP/one.err"

# What logscan leaves, authscan reads.
"$MAMORI" authscan --format json --fail-on none "$TMP/log/auth.log" > "$TMP/auth.jsonl" 2>/dev/null
ok "authscan reads the login log logscan named" jq -se '[.[] | select(.type == "summary")] | length == 1' "$TMP/auth.jsonl"

done_testing
