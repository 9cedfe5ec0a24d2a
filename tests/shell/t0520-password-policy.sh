#!/bin/bash
# t0520-password-policy.sh — `mamori password policy --root DIR` on two
# fixture machines (tests/password/policy): a weak one (MD5 hashes, no
# strength check, nullok, sshd with passwords, empty passwords and root)
# gives each finding with file and line; a good one gives none.
. "$(dirname "$0")/lib.sh"
P="$TESTS_DIR/password/policy"

"$MAMORI" password policy -f json --fail-on none --root "$P/weak" \
    > "$TMP/weak.json" 2> "$TMP/weak.err"
"$MAMORI" password policy -f json --fail-on none --root "$P/good" \
    > "$TMP/good.json" 2> "$TMP/good.err"
has() { jq -se --arg c "$1" --arg e "$2" \
    'map(select(.check == $c and (.evidence | contains($e)))) | length >= 1' \
    "$TMP/weak.json"; }
ok "login.defs ENCRYPT_METHOD MD5" has password.policy-hash MD5
ok "pam_unix md5" has password.policy-hash md5
ok "no strength check in the PAM stack" has password.policy-strength "no password strength"
ok "no password history" has password.policy-history "no password history"
ok "nullok" has password.policy-empty nullok
ok "PermitEmptyPasswords yes" has password.policy-empty PermitEmptyPasswords
ok "PasswordAuthentication yes from the drop-in" jq -se '
    map(select(.setting == "PasswordAuthentication")) | .[0].file |
    endswith("sshd_config.d/50-cloud.conf")' "$TMP/weak.json"
ok "PermitRootLogin yes" has password.policy-sshd PermitRootLogin
ok "findings carry file and line" jq -se '
    map(select(.type == "finding")) | all(.file != null and .line >= 1)' \
    "$TMP/weak.json"
ok "good machine: no findings" jq -se 'map(select(.type == "finding")) |
    length == 0' "$TMP/good.json"
ok "exit 1 on the weak machine (high findings)" sh -c "
    '$MAMORI' password policy --root '$P/weak' >/dev/null 2>&1; test \$? -eq 1"
ok "exit 0 on the good one" "$MAMORI" password policy --root "$P/good"
ok "empty root: notes, no crash, no findings" sh -c "
    '$MAMORI' password policy -f json --root '$TMP' 2>/dev/null |
    jq -se 'map(select(.type == \"finding\")) | length == 0'"
ok "Japanese titles with --lang ja" sh -c "
    '$MAMORI' password policy --lang ja --fail-on none --root '$P/weak' |
    grep -q 'パスワード'"
done_testing
