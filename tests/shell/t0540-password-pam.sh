#!/bin/bash
# t0540-password-pam.sh — pam_mamori.so for real: installs the module just
# built into a PAM service of its own (/etc/pam.d/mamori-test-PID), makes
# a throwaway user, and drives password changes with pamtester: weak
# passwords refused with the reason (English and Japanese), a strong one
# accepted and really set by pam_unix, the same one refused the next time
# (history, stored hashed), and an internal error (a missing policy file)
# deferring to the stack instead of locking anyone out.
# All of it runs in a private mount namespace over a throwaway copy of /etc
# (test_in_private_etc in lib.sh): the host's own /etc is never written,
# which the last checks prove from outside. Needs root, unshare, pamtester
# and useradd; skips visibly otherwise.
. "$(dirname "$0")/lib.sh"
MOD="$BUILD_ROOT/pam/pam_mamori.so"
SVC="mamori-test-$$"
USR="mmtest$$"
USR=${USR:0:31}
export MOD SVC USR
test_lazy_prereq PAM_MODULE 'test -f "$MOD"'
PAM=ROOT,UNSHARE,PAMTESTER,USERADD,PAM_MODULE

# What the host's /etc looks like before: the files useradd and pam_unix
# write, and the PAM services.
HOST_FILES="/etc/passwd /etc/shadow /etc/group /etc/gshadow /etc/subuid
            /etc/subgid /var/log/lastlog /var/log/faillog"
host_state() {
    for f in $HOST_FILES; do
        [ -f "$f" ] && sha256sum "$f"
    done
    ls -a /etc/pam.d
}
host_state > "$TMP/host.before"

if test_in_private_etc; then
    # In the sanitizer build the module carries ASan, which must be loaded
    # before anything else: preload its runtime into the plain pamtester,
    # and libcrypt with it, or ASan's crypt() interceptor finds no real
    # crypt when pam_unix (dlopen'd later) calls it.
    PRELOAD=
    if ldd "$MOD" 2>/dev/null | grep -q libasan; then
        PRELOAD="$(ldd "$MOD" | awk '/libasan/ {print $3}') $(ldd "$MOD" | awk '/libcrypt\.so/ {print $3}')"
        export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
    fi
    export PRELOAD
    HIST=$TMP/history
    export HIST
    service() {
        cat > "/etc/pam.d/$SVC" <<EOS
password requisite $MOD retry=1 history=$HIST remember=3 $1
password required pam_unix.so use_authtok yescrypt
EOS
    }
    # pamtester reads the new password twice from stdin; its output is
    # kept in $TMP/pam.out for the checks after it.
    change() {
        printf '%s\n%s\n' "$1" "$1" |
            LD_PRELOAD=$PRELOAD pamtester -v "$SVC" "$USR" chauthtok > "$TMP/pam.out" 2>&1
    }
    shadow_hash() { getent shadow "$USR" | cut -d: -f2; }

    test_expect_success $PAM,PRIVATE_ETC '/etc is a private copy' '
        test "$(stat -c %d:%i /etc)" != "$(stat -c %d:%i /proc/1/root/etc)"
    '
    test_expect_success $PAM,PRIVATE_ETC 'set-up: a throwaway user and service' '
        useradd -M -s /usr/sbin/nologin -c "Taro Yamada" "$USR" &&
        getent passwd "$USR" &&
        service ""
    '
    test_expect_success $PAM,PRIVATE_ETC 'weak password refused' '
        test_must_fail change "taro1202"
    '
    test_expect_success $PAM,PRIVATE_ETC 'and the user is told why' '
        grep -q "date or year" pam.out
    '
    test_expect_success $PAM,PRIVATE_ETC 'Suzuki1985! refused, password unchanged' '
        before=$(shadow_hash) &&
        test_must_fail change "Suzuki1985!" &&
        test "$(shadow_hash)" = "$before"
    '
    test_expect_success $PAM,PRIVATE_ETC "the user's real name is refused" '
        test_must_fail change "Yamada#Vw7!Qx2pLz"
    '
    test_expect_success $PAM,PRIVATE_ETC 'because it is their name' '
        grep -q "your own name" pam.out
    '
    test_expect_success $PAM,PRIVATE_ETC 'strong password accepted' '
        shadow_hash > hash.before &&
        change "Harbor\$Violet93Kite"
    '
    test_expect_success $PAM,PRIVATE_ETC 'and really set by pam_unix' '
        test "$(shadow_hash)" != "$(cat hash.before)"
    '
    test_expect_success $PAM,PRIVATE_ETC 'history holds hashes, not the password' '
        grep -q "^$USR:\\\$" "$HIST" &&
        ! grep -q Harbor "$HIST"
    '
    test_expect_success $PAM,PRIVATE_ETC 'history file is private (0600)' '
        test "$(stat -c %a "$HIST")" = 600
    '
    test_expect_success $PAM,PRIVATE_ETC 'the same password again is refused (history)' '
        test_must_fail change "Harbor\$Violet93Kite" &&
        grep -q "used before" pam.out
    '
    test_expect_success $PAM,PRIVATE_ETC 'another strong one is fine' '
        change "Tundra-Velvet-Oxide-Pancake"
    '
    test_expect_success $PAM,PRIVATE_ETC 'Japanese message with lang=ja' '
        service "lang=ja" &&
        test_must_fail change "qwerty2024" &&
        grep -q "キーボード\|よく使われる" pam.out
    '
    test_expect_success $PAM,PRIVATE_ETC 'internal error: defers to the stack (not locked out)' '
        service "policy=/nonexistent/policy.conf" &&
        shadow_hash > hash.before &&
        change "Ledger!Quartz58Maple"
    '
    test_expect_success $PAM,PRIVATE_ETC 'and pam_unix still changed the password' '
        test "$(shadow_hash)" != "$(cat hash.before)"
    '
    test_done
fi

# Back on the host: nothing of the above reached its /etc.
test_expect_success $PAM "the host's passwd, shadow, group files and PAM services are unchanged" '
    host_state > host.after &&
    test_cmp host.before host.after
'
test_expect_success $PAM 'no mamori-test service file left on the host' '
    ! ls /etc/pam.d | grep -q "^mamori-test"
'
test_expect_success $PAM 'the throwaway user never existed on the host' '
    ! getent passwd "$USR"
'
test_done
