#!/bin/bash
# t0525-password-policy-root.sh — `mamori password policy --root DIR` on
# the fixture machines of tests/fixtures (shaped after Debian 12's and
# RHEL 9's own files): the exact findings of each in JSON, an absolute
# symlink in the image resolved inside it, and no notes about the PAM
# files of the other family (issue 20).
. "$(dirname "$0")/lib.sh"
FX="$TESTS_DIR/fixtures"

# One line per finding: check, setting, file inside the root, line.
findings() {
    "$MAMORI" password policy -f json --fail-on none --root "$FX/$1" \
        2> "$TMP/$1.err" |
    jq -r 'select(.type == "finding") | "\(.check) | \(.setting) | " +
        (.file | sub(".*/fixtures/root-[a-z-]+"; "")) + " | \(.line)"'
}
same() { findings "$1" > "$TMP/$1.got" && diff -u "$TMP/$1.want" "$TMP/$1.got"; }

cat > "$TMP/root-debian-weak.want" <<'W'
password.policy-hash | ENCRYPT_METHOD | /etc/login.defs | 42
password.policy-strength | password stack | /etc/pam.d/common-password | 8
password.policy-history | password stack | /etc/pam.d/common-password | 8
password.policy-empty | pam_unix nullok | /etc/pam.d/common-auth | 7
password.policy-sshd | PasswordAuthentication | /etc/ssh/sshd_config.d/50-cloud-init.conf | 1
password.policy-empty | PermitEmptyPasswords | /etc/ssh/sshd_config.d/60-image.conf | 2
password.policy-sshd | PermitRootLogin | /etc/ssh/sshd_config | 13
W
: > "$TMP/root-debian-hardened.want"
cat > "$TMP/root-redhat.want" <<'W'
password.policy-strength | minlen | /etc/pam.d/system-auth | 15
password.policy-history | password stack | /etc/pam.d/system-auth | 15
password.policy-empty | pam_unix nullok | /etc/pam.d/system-auth | 10
password.policy-sshd | PasswordAuthentication | /etc/ssh/sshd_config | null
W

ok "weak Debian 12: every weakness, with file and line" same root-debian-weak
ok "the absolute drop-in link (60-image.conf -> /etc/ssh/...) is read in the root" \
    test -L "$FX/root-debian-weak/etc/ssh/sshd_config.d/60-image.conf"
ok "hardened Debian 12: no findings" same root-debian-hardened
ok "Red Hat (system-auth, pwquality minlen 8): its findings" same root-redhat
ok "Debian: no note about system-auth or password-auth" \
    sh -c "! grep -E 'system-auth|password-auth' '$TMP/root-debian-weak.err'"
ok "Red Hat: no note about common-password or common-auth" \
    sh -c "! grep -E 'common-password|common-auth' '$TMP/root-redhat.err'"
ok "hardened: nothing on standard error" test ! -s "$TMP/root-debian-hardened.err"
ok "exit 1 on the weak machine" sh -c "
    '$MAMORI' password policy --root '$FX/root-debian-weak' >/dev/null 2>&1
    test \$? -eq 1"
ok "exit 0 on the hardened machine" \
    "$MAMORI" password policy --root "$FX/root-debian-hardened"
ok "a root that does not exist: exit 2 and the reason" sh -c "
    '$MAMORI' password policy --root '$TMP/none' 2>&1 >/dev/null |
    grep -q 'cannot open the root'"
# A root whose system files are links at the host's: inside the root
# each names itself again (a loop, refused), and nothing of the host is
# read (its /etc/login.defs or its PAM stack would give findings).
mkdir -p "$TMP/links/etc/pam.d" "$TMP/links/etc/ssh" "$TMP/links/var"
ln -s /../../../../etc/login.defs "$TMP/links/etc/login.defs"
ln -s ../../../../../../etc/pam.d/common-password \
    "$TMP/links/etc/pam.d/common-password"
ln -s / "$TMP/links/var/top"
ln -s /var/top/var/top/etc/ssh/sshd_config "$TMP/links/etc/ssh/sshd_config"
"$MAMORI" password policy -f json --fail-on none --root "$TMP/links" \
    > "$TMP/links.json" 2> "$TMP/links.err"
ok "links at the host's files loop inside the root" sh -c "
    grep -c 'Too many levels of symbolic links' '$TMP/links.err' | grep -qx 3"
ok "links at the host's files: no findings from the host" \
    jq -se 'map(select(.type == "finding")) | length == 0' "$TMP/links.json"
done_testing
