# lib.sh — sourced by every tests/shell/t*.sh: a small TAP harness in the
# manner of git's t/test-lib.sh. Each check is a named body of shell, run in
# a subshell in $TMP (an `exit`, a `cd` or a variable set in one body cannot
# upset the next: pass state on in files), its output captured and shown
# only when it fails.
#
#   test_expect_success [PREREQ] 'name' 'body'
#       passes when the body's last command succeeds: chain steps with &&.
#       PREREQ is a comma-separated list (ROOT,PAMTESTER or !ROOT); when one
#       is missing the check prints "ok N - name # SKIP missing PREREQ".
#   test_expect_failure [PREREQ] 'name' 'body'
#       a known breakage: prints "not ok N - name # TODO known breakage";
#       when the body passes, "ok ... # TODO" (meson counts that as a
#       failure, so the check gets turned into test_expect_success).
#   test_cmp expected actual    files equal, or a unified diff and failure
#   test_must_fail cmd...       cmd exits non-zero, but not by a signal
#                               (a sanitizer abort), 126 or 127
#   test_expect_code N cmd...   cmd exits with status N
#   test_when_finished 'cmd'    in a body: runs after that body, pass or
#                               fail (last registered first); a failing
#                               clean-up fails the check. At top level:
#                               runs when the script exits.
#   test_set_prereq NAME        declares NAME present
#   test_lazy_prereq NAME 'script'  NAME present when the script succeeds
#                               (run once, in a subshell, on first use)
#   test_have_prereq LIST       true when every prereq of LIST holds
#   test_in_private_etc         see below; for tests that change /etc
#   test_done                   prints the plan and exits: 0 unless a
#                               check failed
# Lazy prereqs defined here: ROOT, PAMTESTER, USERADD, UNSHARE, NSD,
# NGINX, CHROMIUM, MAN, JQ, PYTHON3.
#
# The first helpers remain for tests written before the ones above:
#   ok 'name' cmd...            passes when cmd exits 0 (its output shown
#                               on failure)
#   skip 'name' 'reason'        prints "ok N - name # SKIP reason"
#   done_testing                prints the plan; returns (not exits) 0
#                               unless a check failed
#
# $TMP is the script's scratch directory, removed at exit. The harness
# keeps its own files under $TMP/.testlib. A script that sets its own EXIT
# trap replaces the harness's: it then removes $TMP itself, and top-level
# test_when_finished commands do not run. MAMORI_TEST_VERBOSE=1 shows the
# output of passing bodies too.
set -u
: "${MAMORI:?MAMORI must name the built binary}"
T_N=${T_N_START:-0}
T_FAIL=0
T_SKIP=0
T_BROKEN=0
T_FIXED=0
T_PREREQ_OK=,
# MAMORI_TEST_NO_PREREQ=A,B pretends A and B are missing (to try the
# skips).
T_PREREQ_NO=,${MAMORI_TEST_NO_PREREQ:-},
T_MISSING=
# Every test works in its own directory; without one it must not run at
# all (an empty $TMP would put its files in /).
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mamori-test.XXXXXX") && [ -d "$TMP" ] || {
    echo "Bail out! cannot make a temporary directory under ${TMPDIR:-/tmp}"
    exit 1
}
T_LIB=$TMP/.testlib
# Audits remember their runs (mamori history): in the test's own
# directory, never in the machine's /var/lib/mamori or the user's home.
export MAMORI_HISTORY_DB="$TMP/history.db"
mkdir -p "$T_LIB/cleanup" "$T_LIB/atexit"

# Runs the clean-up commands registered in directory $1, newest first.
# Each runs even when an earlier one failed; the status says if any did.
t_run_cleanups() {
    t_cst=0
    for t_cf in $(ls -r "$1" 2>/dev/null); do
        ( eval "$(cat "$1/$t_cf")" ) || t_cst=1
        rm -f "$1/$t_cf"
    done
    return $t_cst
}

t_exit() {
    t_status=$?
    # A body interrupted mid-way still gets its clean-up.
    t_run_cleanups "$T_LIB/cleanup" >/dev/null 2>&1
    t_run_cleanups "$T_LIB/atexit" >&2
    rm -rf "$TMP"
    exit $t_status
}
trap t_exit EXIT

# Prints lines of stdin as TAP comments (at most $2 lines, default 200).
t_comment() {
    sed "s/^/# $1/" | head -n "${2:-200}"
}

test_when_finished() {
    if [ -n "${T_IN_BODY:-}" ]; then
        t_dir=$T_LIB/cleanup
    else
        t_dir=$T_LIB/atexit
    fi
    t_k=$(ls "$t_dir" | wc -l)
    printf '%s\n' "$*" > "$t_dir/$(printf '%06d' "$t_k")"
}

test_set_prereq() {
    T_PREREQ_OK="$T_PREREQ_OK$1,"
}

test_lazy_prereq() { # name script
    eval "T_LAZY_$1=\$2"
}

# True when every prereq of the comma-separated list holds (!NAME: when
# NAME does not); the ones that do not are left in $T_MISSING.
test_have_prereq() {
    T_MISSING=
    t_old_ifs=$IFS; IFS=,
    set -- $1
    IFS=$t_old_ifs
    for t_p in "$@"; do
        t_want=yes
        case $t_p in !*) t_want=no; t_p=${t_p#!} ;; esac
        case $T_PREREQ_OK in *",$t_p,"*) t_have=yes ;; *)
        case $T_PREREQ_NO in *",$t_p,"*) t_have=no ;; *)
            t_have=no
            if eval "[ -n \"\${T_LAZY_$t_p:-}\" ]"; then
                mkdir -p "$T_LIB/prereq"
                if (cd "$T_LIB/prereq" && eval "eval \"\$T_LAZY_$t_p\"") \
                        >/dev/null 2>&1; then
                    t_have=yes
                fi
            fi
            if [ $t_have = yes ]; then
                T_PREREQ_OK="$T_PREREQ_OK$t_p,"
            else
                T_PREREQ_NO="$T_PREREQ_NO$t_p,"
            fi ;;
        esac ;;
        esac
        if [ $t_have != $t_want ]; then
            [ $t_want = no ] && t_p="!$t_p"
            T_MISSING="${T_MISSING:+$T_MISSING,}$t_p"
        fi
    done
    [ -z "$T_MISSING" ]
}

# One check: expect (success|failure), prereqs, name, body.
t_check() {
    T_N=$((T_N + 1))
    if [ -n "$2" ] && ! test_have_prereq "$2"; then
        T_SKIP=$((T_SKIP + 1))
        echo "ok $T_N - $3 # SKIP missing $T_MISSING"
        return 0
    fi
    t_out=$T_LIB/out
    ( T_IN_BODY=1; cd "$TMP" && eval "$4" ) >"$t_out" 2>&1 </dev/null
    t_st=$?
    t_run_cleanups "$T_LIB/cleanup" >>"$t_out" 2>&1 || {
        echo "test_when_finished: a clean-up command failed" >>"$t_out"
        t_st=1
    }
    case $1,$t_st in
    success,0)
        echo "ok $T_N - $3" ;;
    success,*)
        T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - $3"
        printf '%s\n' "$4" | t_comment "  " 40
        t_comment "" < "$t_out" ;;
    failure,0)
        T_FIXED=$((T_FIXED + 1))
        echo "ok $T_N - $3 # TODO known breakage vanished" ;;
    failure,*)
        T_BROKEN=$((T_BROKEN + 1))
        echo "not ok $T_N - $3 # TODO known breakage" ;;
    esac
    if [ -n "${MAMORI_TEST_VERBOSE:-}" ] && [ "$1,$t_st" = success,0 ]; then
        t_comment "" < "$t_out"
    fi
    return 0
}

t_usage() {
    echo "Bail out! $1: wants [PREREQ] 'name' 'body'"
    exit 1
}

test_expect_success() {
    case $# in
    2) t_check success "" "$1" "$2" ;;
    3) t_check success "$1" "$2" "$3" ;;
    *) t_usage test_expect_success ;;
    esac
}

test_expect_failure() {
    case $# in
    2) t_check failure "" "$1" "$2" ;;
    3) t_check failure "$1" "$2" "$3" ;;
    *) t_usage test_expect_failure ;;
    esac
}

test_cmp() { # expected actual
    diff -u -- "$1" "$2"
}

test_must_fail() {
    "$@"
    t_mf=$?
    if [ $t_mf -eq 0 ]; then
        echo "test_must_fail: succeeded: $*" >&2
        return 1
    elif [ $t_mf -gt 128 ] && [ $t_mf -le 192 ]; then
        echo "test_must_fail: killed by signal $((t_mf - 128)): $*" >&2
        return 1
    elif [ $t_mf -eq 126 ] || [ $t_mf -eq 127 ]; then
        echo "test_must_fail: could not run ($t_mf): $*" >&2
        return 1
    fi
    return 0
}

test_expect_code() { # status cmd...
    t_ec_want=$1; shift
    "$@"
    t_ec=$?
    [ $t_ec -eq "$t_ec_want" ] && return 0
    echo "test_expect_code: exit $t_ec, wanted $t_ec_want: $*" >&2
    return 1
}

# Re-runs the calling script inside a private mount namespace whose /etc
# is a throwaway copy, so useradd, pam_unix and /etc/pam.d files change
# only the copy: it lives in $TMP and goes with the namespace. The
# shadow-utils records under /var/log (lastlog, faillog) and the mail
# spools are covered the same way. Use it as
#   if test_in_private_etc; then ...checks that change /etc...; test_done; fi
#   ...checks on the host's own /etc (that nothing changed)...; test_done
# In the namespace it returns 0 and that test_done hands the counts back to
# the outer script; outside it returns 1 once the inner run is over. When
# ROOT or UNSHARE is missing it returns 0 without a namespace: every check
# in the block must then carry ROOT,UNSHARE among its prereqs, so all of
# them skip.
test_in_private_etc() {
    if [ -n "${T_PRIVATE_STATE:-}" ]; then
        t_etc=$TMP/etc
        mkdir "$t_etc" && cp -a /etc/. "$t_etc/" &&
            mount --bind "$t_etc" /etc || {
                echo "Bail out! cannot cover /etc with a private copy"
                exit 1
            }
        for t_f in /var/log/lastlog /var/log/faillog /var/log/tallylog; do
            [ -f "$t_f" ] || continue
            cp -a "$t_f" "$TMP/${t_f##*/}" && mount --bind "$TMP/${t_f##*/}" "$t_f" ||
                { echo "Bail out! cannot cover $t_f"; exit 1; }
        done
        for t_f in /var/mail /var/spool/mail; do
            [ -d "$t_f" ] && [ ! -L "$t_f" ] || continue
            mkdir -p "$TMP/spool${t_f//\//_}" &&
                mount --bind "$TMP/spool${t_f//\//_}" "$t_f" ||
                { echo "Bail out! cannot cover $t_f"; exit 1; }
        done
        test_set_prereq PRIVATE_ETC
        return 0
    fi
    test_have_prereq ROOT,UNSHARE || return 0
    T_PRIVATE_STATE=$T_LIB/private.state T_N_START=$T_N \
        unshare --mount --propagation private -- bash "$0"
    if [ -s "$T_LIB/private.state" ]; then
        read -r T_N t_fail t_skip t_broken t_fixed < "$T_LIB/private.state"
        T_FAIL=$((T_FAIL + t_fail)); T_SKIP=$((T_SKIP + t_skip))
        T_BROKEN=$((T_BROKEN + t_broken)); T_FIXED=$((T_FIXED + t_fixed))
    else
        T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - the checks in a private mount namespace finished"
    fi
    return 1
}

t_plan() {
    if [ -n "${T_PRIVATE_STATE:-}" ]; then
        echo "$T_N $T_FAIL $T_SKIP $T_BROKEN $T_FIXED" > "$T_PRIVATE_STATE"
    else
        echo "1..$T_N"
    fi
}

test_done() {
    t_plan
    [ "$T_FAIL" -eq 0 ] && exit 0
    exit 1
}

# The first helpers (see the top of this file).
ok() {
    t_name=$1; shift
    T_N=$((T_N + 1))
    if "$@" >"$T_LIB/last.out" 2>"$T_LIB/last.err"; then
        echo "ok $T_N - $t_name"
    else
        T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - $t_name"
        t_comment "out: " 20 < "$T_LIB/last.out"
        t_comment "err: " 20 < "$T_LIB/last.err"
    fi
}

skip() {
    T_N=$((T_N + 1))
    T_SKIP=$((T_SKIP + 1))
    echo "ok $T_N - $1 # SKIP $2"
}

done_testing() {
    t_plan
    [ "$T_FAIL" -eq 0 ]
}

test_lazy_prereq ROOT '[ "$(id -u)" = 0 ]'
test_lazy_prereq PAMTESTER 'command -v pamtester'
test_lazy_prereq USERADD 'command -v useradd && command -v getent'
# A private mount namespace in which bind mounts work (root, and not
# refused by a container's seccomp policy).
test_lazy_prereq UNSHARE '
    mkdir a b && unshare --mount --propagation private -- mount --bind a b'
test_lazy_prereq NSD 'command -v nsd && command -v drill'
test_lazy_prereq NGINX 'command -v nginx'
test_lazy_prereq CHROMIUM '
    command -v chromium || command -v chromium-browser || command -v google-chrome'
test_lazy_prereq MAN 'command -v man'
test_lazy_prereq JQ 'command -v jq'
test_lazy_prereq PYTHON3 'command -v python3'
