#!/bin/bash
# t0540-password-pam.sh — pam_mamori.so for real: installs the module just
# built into a PAM service of its own (/etc/pam.d/mamori-test-PID), makes
# a throwaway user, and drives password changes with pamtester: weak
# passwords refused with the reason (English and Japanese), a strong one
# accepted and really set by pam_unix, the same one refused the next time
# (history, stored hashed), and an internal error (a missing policy file)
# deferring to the stack instead of locking anyone out. Both the service
# and the user are removed at exit. Needs root, pamtester and useradd;
# skips visibly otherwise.
. "$(dirname "$0")/lib.sh"
MOD="$BUILD_ROOT/pam/pam_mamori.so"
SVC="mamori-test-$$"
USR="mmtest$$"
USR=${USR:0:31}

if [ "$(id -u)" != 0 ] || ! command -v pamtester >/dev/null ||
   ! command -v useradd >/dev/null || [ ! -f "$MOD" ]; then
    skip "pam_mamori with pamtester" "needs root, pamtester, useradd and $MOD"
    done_testing
    exit 0
fi

cleanup() {
    rm -f "/etc/pam.d/$SVC"
    userdel "$USR" >/dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT
useradd -M -s /usr/sbin/nologin -c "Taro Yamada" "$USR" || exit 1
HIST="$TMP/history"

service() {
    cat > "/etc/pam.d/$SVC" <<EOS
password requisite $MOD retry=1 history=$HIST remember=3 $1
password required pam_unix.so use_authtok yescrypt
EOS
}
# In the sanitizer build the module carries ASan, which must be loaded
# before anything else: preload its runtime into the plain pamtester, and
# libcrypt with it, or ASan's crypt() interceptor finds no real crypt when
# pam_unix (dlopen'd later) calls it.
PRELOAD=
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    PRELOAD="$(ldd "$MOD" | awk '/libasan/ {print $3}') $(ldd "$MOD" | awk '/libcrypt\.so/ {print $3}')"
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
fi
# pamtester reads the new password twice from stdin.
change() {
    printf '%s\n%s\n' "$1" "$1" |
        LD_PRELOAD=$PRELOAD pamtester -v "$SVC" "$USR" chauthtok > "$TMP/pam.out" 2>&1
}
shadow_hash() { getent shadow "$USR" | cut -d: -f2; }

service ""
refused() { ! change "$1"; }
ok "weak password refused" refused 'taro1202'
ok "and the user is told why" grep -q "date or year" "$TMP/pam.out"
before=$(shadow_hash)
change 'Suzuki1985!'
ok "Suzuki1985! refused, password unchanged" test "$(shadow_hash)" = "$before"
ok "the user's real name is refused" refused 'Yamada#Vw7!Qx2pLz'
ok "because it is their name" grep -q 'your own name' "$TMP/pam.out"
ok "strong password accepted" change 'Harbor$Violet93Kite'
ok "and really set by pam_unix" test "$(shadow_hash)" != "$before"
ok "history holds hashes, not the password" sh -c "
    grep -q '^$USR:\\\$' '$HIST' && ! grep -q 'Harbor' '$HIST'"
ok "history file is private (0600)" test "$(stat -c %a "$HIST")" = 600
change 'Harbor$Violet93Kite'
ok "the same password again is refused (history)" grep -q "used before" "$TMP/pam.out"
ok "another strong one is fine" change 'Tundra-Velvet-Oxide-Pancake'
service "lang=ja"
change 'qwerty2024'
ok "Japanese message with lang=ja" grep -q "キーボード\|よく使われる" "$TMP/pam.out"
service "policy=/nonexistent/policy.conf"
before=$(shadow_hash)
ok "internal error: defers to the stack (not locked out)" \
    change 'Ledger!Quartz58Maple'
ok "and pam_unix still changed the password" test "$(shadow_hash)" != "$before"
done_testing
