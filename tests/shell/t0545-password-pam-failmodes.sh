#!/bin/bash
# t0545-password-pam-failmodes.sh — pam_mamori.so when a resource it was
# given cannot be used (pam_mamori(8), FAILURE MODES): a missing or empty
# breach_list=, a missing policy file, a history file over 4 MiB, an
# unreadable history. Each turns off that resource alone: the built-in
# checks still refuse 'password', and a history of any size still refuses
# a reused password. Driven with pamtester, like t0540.
#
# Nothing is left in /etc: the test runs in a private mount namespace
# (unshare --mount) over a copy of /etc bind-mounted on /etc, so the PAM
# service, the throwaway user and pam_unix's shadow update all go to the
# copy, which goes away with the namespace. syslog(3) goes to a socket of
# the test's own at /dev/log (a private /dev of the namespace) so that
# the warnings can be read. Needs root, unshare, pamtester, useradd;
# skips visibly otherwise.
MOD="$BUILD_ROOT/pam/pam_mamori.so"
if [ -z "${T0545_IN_NS:-}" ] && [ "$(id -u)" = 0 ] &&
   command -v unshare >/dev/null && unshare --mount true 2>/dev/null &&
   command -v pamtester >/dev/null && command -v useradd >/dev/null &&
   [ -f "$MOD" ]; then
    T0545_IN_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
if [ -z "${T0545_IN_NS:-}" ]; then
    skip "pam_mamori failure modes with pamtester" \
        "needs root, unshare --mount, pamtester, useradd and $MOD"
    done_testing
    exit 0
fi

# A private /etc: a copy bind-mounted over the real one.
cp -a /etc "$TMP/etc" && mount --bind "$TMP/etc" /etc || {
    echo "Bail out! cannot set up a private /etc"; exit 1; }

# A private /dev holding the usual devices and our own syslog socket.
LOGPID=
if mkdir -p "$TMP/dev" && for d in null zero full random urandom tty; do
       [ -e "/dev/$d" ] || continue
       touch "$TMP/dev/$d" && mount --bind "/dev/$d" "$TMP/dev/$d" || exit 1
   done; then
    python3 - "$TMP/dev/log" "$TMP/syslog.txt" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
PY
    LOGPID=$!
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$TMP/dev/log" ] && break; sleep 0.1; done
    if [ ! -S "$TMP/dev/log" ] || ! mount --rbind "$TMP/dev" /dev; then
        kill "$LOGPID" 2>/dev/null
        LOGPID=
    fi
fi
cleanup() {
    [ -n "$LOGPID" ] && kill "$LOGPID" 2>/dev/null
    umount -l /dev 2>/dev/null
    for d in "$TMP"/dev/*; do umount -l "$d" 2>/dev/null; done
    umount -l /etc 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

SVC="mamori-failmodes-$$"
USR="mmfail$$"
USR=${USR:0:31}
useradd -M -s /usr/sbin/nologin "$USR" || { echo "Bail out! useradd"; exit 1; }
HIST="$TMP/history"

service() {
    cat > "/etc/pam.d/$SVC" <<EOS
password requisite $MOD retry=1 history=$HIST remember=3 $1
password required pam_unix.so use_authtok yescrypt
EOS
}
PRELOAD=
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    PRELOAD="$(ldd "$MOD" | awk '/libasan/ {print $3}') $(ldd "$MOD" | awk '/libcrypt\.so/ {print $3}')"
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
fi
change() {
    printf '%s\n%s\n' "$1" "$1" |
        LD_PRELOAD=$PRELOAD pamtester -v "$SVC" "$USR" chauthtok > "$TMP/pam.out" 2>&1
}
refused() { ! change "$1"; }
shadow_hash() { getent shadow "$USR" | cut -d: -f2; }
logged() {
    if [ -z "$LOGPID" ]; then return 0; fi
    sleep 0.2
    grep -q "$1" "$TMP/syslog.txt"
}
log_case() {
    if [ -n "$LOGPID" ]; then ok "$1" logged "$2"
    else skip "$1" "no private /dev/log to read syslog from"; fi
}

# A typo in the extra list: the built-in checks still run.
service "breach_list=/nonexistent/list.txt"
ok "breach_list missing: 'password' still refused" refused 'password'
ok "breach_list missing: the user is told why" grep -qi "common\|breach\|guess" "$TMP/pam.out"
log_case "breach_list missing: a syslog warning names it" "cannot use breach list /nonexistent/list.txt"
ok "breach_list missing: a strong password is accepted" change 'Harbor$Violet93Kite'

# A failed download: an empty list is the same.
: > "$TMP/empty.txt"
service "breach_list=$TMP/empty.txt"
ok "breach_list empty: 'password' still refused" refused 'password'
log_case "breach_list empty: a syslog warning names it" "cannot use breach list $TMP/empty.txt"

# A missing policy file: the built-in policy, not no policy.
service "policy=/nonexistent/policy.conf"
before=$(shadow_hash)
ok "policy missing: 'password' still refused" refused 'password'
ok "policy missing: the password is unchanged" test "$(shadow_hash)" = "$before"
log_case "policy missing: a syslog warning names it" "cannot use policy file /nonexistent/policy.conf"
ok "policy missing: a strong password is accepted" change 'Tundra-Velvet-Oxide-Pancake'

# A history over 4 MiB (many users): reuse is still checked.
service ""
python3 -c "
import sys
with open('$HIST', 'w') as f:
    for i in range(60000):
        f.write('user%06d:\$y\$j9T\$AAAAAAAAAAAAAAAAAAAAAA\$' % i + 'B' * 43 + '\n')
"
chmod 600 "$HIST"
ok "the history is over 4 MiB" test "$(stat -c %s "$HIST")" -gt $((4 * 1024 * 1024))
ok "big history: a new password is accepted" change 'Quasar!Mellow47Drift'
ok "big history: the user's hash is added" grep -q "^$USR:\\\$" "$HIST"
ok "big history: the other users' lines are kept" \
    test "$(grep -c '^user' "$HIST")" -eq 60000
ok "big history: the same password again is refused" refused 'Quasar!Mellow47Drift'
ok "big history: and the user is told it was used before" grep -q "used before" "$TMP/pam.out"

# An unreadable history (a directory at its path): reuse off, rest on.
rm -f "$HIST"
mkdir "$HIST"
ok "history unreadable: 'password' still refused" refused 'password'
ok "history unreadable: a strong password is accepted" change 'Velvet#Cobalt62Prairie'
log_case "history unreadable: a syslog warning names it" "cannot read history $HIST"
done_testing
