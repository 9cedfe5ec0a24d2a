#!/bin/bash
# t0410-audit-root.sh — `mamori audit --root DIR` audits a system that is
# not running (a mounted disk image, a container root; here the fixture
# trees of tests/fixtures): the logs under the root's /var/log and its
# password settings, symlinks resolved inside the root, the live journal
# skipped with a note.
. "$(dirname "$0")/lib.sh"
FX="$TESTS_DIR/fixtures"
W="$FX/root-debian-weak"

"$MAMORI" audit -f json --fail-on none --root "$W" > "$TMP/w.json" \
    2> "$TMP/w.err"; st=$?
ok "audit --root on the weak Debian: exit 0 with --fail-on none" test "$st" -eq 0
ok "web logs under the root's /var/log/nginx are read" jq -se '
    map(select(.check == "logscan.sqli" and
        (.file | endswith("root-debian-weak/var/log/nginx/access.log")))) |
    length == 1' "$TMP/w.json"
ok "an absolute symlink among the logs resolves inside the root" jq -se '
    map(select(.check == "logscan.xss" and
        (.file | endswith("root-debian-weak/srv/logs/access.log.1")))) |
    length == 1' "$TMP/w.json"
ok "a link at /etc/shadow reads the image's file, not the host's" \
    grep -q 'root-debian-weak/etc/shadow: note: not a web access log' "$TMP/w.err"
ok "the root's /var/log/auth.log is read" jq -se '
    map(select(.check == "auth.brute-force")) | length == 1' "$TMP/w.json"
ok "the root's password settings are reviewed (the host row's rules)" jq -se '
    (map(select(.check == "host.account.password-hash" and
        (.file | endswith("root-debian-weak/etc/login.defs")))) | length == 1) and
    (map(select(.check == "password.policy-strength" and .rule and
        (.file | endswith("root-debian-weak/etc/pam.d/common-password")))) |
        length == 1)' "$TMP/w.json"
ok "nothing of this machine's files is named" sh -c "
    ! jq -r '.file // empty' '$TMP/w.json' | grep -v '^$W/'"
ok "logscan, authscan, host and exposure (the firewall it boots with) summaries" jq -se '
    [.[] | select(.type == "summary") | .capability] ==
        ["logscan", "authscan", "host", "exposure", "score"]' \
    "$TMP/w.json"

"$MAMORI" audit -f json --fail-on none --root "$FX/root-redhat" \
    > "$TMP/r.json" 2> "$TMP/r.err"
ok "Red Hat: /var/log/secure is read" jq -se '
    map(select(.check == "auth.user-enumeration" or .check == "auth.brute-force")) |
    length >= 1' "$TMP/r.json"
ok "Red Hat: no web logs, said under the root's name" \
    grep -q 'no web server logs under .*root-redhat' "$TMP/r.err"
ok "Red Hat: no note about Debian's PAM files" \
    sh -c "! grep -E 'common-(password|auth)' '$TMP/r.err'"

"$MAMORI" audit --root "$FX/root-debian-hardened" > /dev/null 2> "$TMP/h.err"
st=$?
ok "hardened Debian: exit 0, nothing to report" test "$st" -eq 0

# A root with a journal: the live journal is not read, and a note says so.
mkdir -p "$TMP/j/var/log/journal"
"$MAMORI" audit -f json --fail-on none --root "$TMP/j" > "$TMP/j.json" \
    2> "$TMP/j.err"
ok "a root's journal is skipped with a note" \
    grep -q 'journal under .* is not read with --root' "$TMP/j.err"

# Links that loop back up the tree: every log is read once.
cp -a "$W" "$TMP/loop"
ln -s /var/log/nginx "$TMP/loop/var/log/nginx/again"
ln -s . "$TMP/loop/var/log/nginx/here"
"$MAMORI" audit -f json --fail-on none --root "$TMP/loop" > "$TMP/loop.json" \
    2> /dev/null
ok "directory loops in the root: each log read once" jq -se '
    map(select(.type == "finding" and (.check | startswith("logscan")))) |
    length == 3' "$TMP/loop.json"

ok "--root with --no-system is a usage error" sh -c "
    '$MAMORI' audit --root '$W' --no-system x >/dev/null 2>&1; test \$? -eq 2"
ok "a root that does not exist is a usage error" sh -c "
    '$MAMORI' audit --root '$TMP/none' >/dev/null 2>&1; test \$? -eq 2"
# One finding for one setting: sshd's password logins are the host row's,
# and so is every password setting (the password row is gone).
ok "audit: sshd's PasswordAuthentication reported once (host.ssh.*)" \
    jq -se '([.[] | select(.check == "password.policy-sshd")] | length == 0) and
            ([.[] | select(.check == "host.ssh.password-auth")] | length == 1)' "$TMP/w.json"
ok "audit: each password setting reported once" jq -se '
    [.[] | select(.type == "finding" and (.check | startswith("password.policy-")))
        | [.check, .file, .line]] | (length == 3) and (unique | length == 3) and
    ([.[] | select(.[0] == "password.policy-hash")] | length == 0)' "$TMP/w.json"
done_testing
