#!/bin/sh
# deb-test.sh DEBDIR — the packages of DEBDIR (scripts/build-deb.sh)
# installed, run and purged in a throwaway root, never this machine's /:
# in a private mount and network namespace (unshare), an overlay whose
# lower layer is / (read-only: dpkg sees this machine's packages, so the
# dependencies are met) and whose upper layer is a tmpfs that vanishes
# with the namespace. Inside it (chroot): dpkg -i the four packages; the
# files, the conffile, the enabled timer, the pam-auth-update profile
# (registered, not enabled) and the state directories are there; the
# ExecStart of the installed mamori-audit.service runs once, as systemd
# would start it (no network: probes find nothing), and writes
# /var/lib/mamori/last-audit.json; then again in the unit's sandbox as
# far as it goes without systemd (the root read-only but its
# ReadWritePaths, no new privileges, only its CapabilityBoundingSet),
# which must report the same checks and complain of nothing more; its
# ExecStartPost runs and may fail ('-'); dpkg --purge leaves nothing of mamori behind (the upper layer
# is searched) and the PAM stack as it was. Prints TAP; exit 0 when all
# passed. Needs root (mount, chroot).
set -u
debs=${1:?usage: deb-test.sh DEBDIR}
case $debs in /*) ;; *) debs=$PWD/$debs ;; esac
if [ -z "${DEB_TEST_DIR:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (mount, chroot)"; exit 0; }
    # The mount point stays on this machine's /tmp: removed, empty, after.
    t=$(mktemp -d /tmp/mamori-deb-test.XXXXXX) || exit 2
    DEB_TEST_DIR=$t unshare --mount --net --fork -- sh "$0" "$debs"
    st=$?
    rmdir "$t"
    exit $st
fi

n=0; failed=0
ok() { # name command...
    name=$1; shift
    n=$((n + 1))
    if "$@" > "$log" 2>&1; then
        echo "ok $n - $name"
    else
        failed=$((failed + 1))
        echo "not ok $n - $name"
        sed 's/^/#   /' "$log" | head -20
    fi
}

mount --make-rprivate /
t=$DEB_TEST_DIR
mount -t tmpfs -o size=1g,mode=0700 mamori-deb-test "$t"
mkdir "$t/upper" "$t/work" "$t/root"
log=$t/log
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$t/upper,workdir=$t/work" \
        "$t/root"; then
    echo "1..0 # SKIP no overlay file system here"
    exit 0
fi
R=$t/root
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount -t tmpfs tmpfs "$R/run"
mount -t tmpfs tmpfs "$R/tmp"
mkdir "$R/tmp/debs"
for p in mamori libmamori1 libmamori-dev libpam-mamori; do
    cp "$debs"/${p}_*.deb "$R/tmp/debs/" 2>/dev/null
done
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
# No service starts from a maintainer script (there is no systemd here
# anyway; invoke-rc.d asks policy-rc.d).
printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
cp "$R/etc/pam.d/common-password" "$t/common-password.before"

ok "the four packages are there" test "$(ls "$R/tmp/debs" | wc -l)" -eq 4
ok "dpkg -i installs them" in_root sh -c 'dpkg -i /tmp/debs/*.deb'
ok "dpkg: all four installed" in_root sh -c \
    'for p in mamori libmamori1 libmamori-dev libpam-mamori; do
         dpkg-query -W -f="\${Status}\n" $p | grep -qx "install ok installed" || exit 1
     done'
ok "mamori runs from /usr/bin" in_root /usr/bin/mamori --version
ok "the command links libmamori.so.1 from the package" in_root sh -c \
    'ldd /usr/bin/mamori | grep -q "libmamori.so.1 => /.*lib/x86_64-linux-gnu/libmamori.so.1"'
ok "/etc/mamori/mamori.conf is a conffile, mode 0640" in_root sh -c \
    'dpkg-query -W -f="\${Conffiles}\n" mamori | grep -q " /etc/mamori/mamori.conf " &&
     test "$(stat -c %a /etc/mamori/mamori.conf)" = 640'
ok "the shipped mamori.conf reads without an error" in_root sh -c \
    'mamori audit --config /etc/mamori/mamori.conf --help > /dev/null'
ok "the timer is enabled (timers.target wants it)" \
    test -L "$R/etc/systemd/system/timers.target.wants/mamori-audit.timer"
ok "the state directories are made (tmpfiles.d)" \
    test -d "$R/var/lib/mamori" -a -d "$R/var/spool/mamori"
ok "the pam-auth-update profile is registered" \
    test -f "$R/usr/share/pam-configs/mamori"
ok "... and not enabled (Default: no)" \
    sh -c "! grep -q pam_mamori '$R/etc/pam.d/common-password'"
ok "pam_mamori.so is where libpam looks" \
    sh -c "ls '$R'/lib/*/security/pam_mamori.so"
ok "mamori.pc and the headers: pkg-config --cflags --libs mamori" in_root sh -c \
    'pkg-config --exists mamori && test -f /usr/include/mamori/conf.h'

# The service, as systemd would run it: ExecStart, then ExecStartPost
# with its '-' (a failure is no failure).
unit=$R/lib/systemd/system/mamori-audit.service
start=$(sed -n 's/^ExecStart=//p' "$unit")
post=$(sed -n 's/^ExecStartPost=-//p' "$unit")
ok "the unit names ExecStart and ExecStartPost" test -n "$start" -a -n "$post"
# shellcheck disable=SC2086
in_root $start > "$t/start.out" 2> "$t/start.err"; st=$?
ok "ExecStart ran: exit 0 or 1 (SuccessExitStatus=1) — exit $st" test "$st" -le 1
ok "ExecStart wrote /var/lib/mamori/last-audit.json" \
    test -s "$R/var/lib/mamori/last-audit.json"
ok "last-audit.json is JSON Lines with the audit's summaries" sh -c \
    "grep -q '\"type\":\"summary\",\"capability\":\"patch\"' '$R/var/lib/mamori/last-audit.json' &&
     grep -q '\"capability\":\"host\"' '$R/var/lib/mamori/last-audit.json'"
ok "the run is kept in /var/lib/mamori/history.db" \
    test -s "$R/var/lib/mamori/history.db"

# Again in the service's sandbox, as far as it goes without systemd:
# the root read-only but the unit's ReadWritePaths (ProtectSystem=strict),
# a private /tmp (the tmpfs above), no new privileges, and only the
# unit's CapabilityBoundingSet. Nothing may be refused that the run
# above could do: the same checks report, and no new complaint.
cp "$R/var/lib/mamori/last-audit.json" "$t/free.json"
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z ' 'a-z,' |
       sed 's/cap_/+/g')
rw=$(sed -n 's/^ReadWritePaths=//p' "$unit")
sandboxed() { # caps command...
    caps_=$1; shift
    unshare --mount -- sh -c '
        R=$1; rw=$2; CAPS=$3; shift 3
        for p in $rw; do
            p=${p#-}
            [ -d "$R$p" ] && mount --bind "$R$p" "$R$p"
        done
        mount -o remount,bind,ro "$R" && mount -o remount,bind,ro "$R/run" &&
        exec chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            setpriv --no-new-privs --inh-caps=-all \
            --bounding-set="-all,$CAPS" -- "$@"' _ "$R" "$rw" "$caps_" "$@"
}
# shellcheck disable=SC2086
sandboxed "$caps" $start > "$t/box.out" 2> "$t/box.err"; st=$?
ok "ExecStart in the sandbox ($caps): exit 0 or 1 — exit $st" test "$st" -le 1
# The history's comparison with the run before comes from the second run
# on: the sandboxed run has one, the first free run on a fresh machine none
# (with an earlier history.db under the overlay, both had it).
checks() {
    grep -o '"\(check\|capability\)":"[^"]*"' "$1" | grep -vx '"capability":"history"' |
        sort -u
}
checks "$t/free.json" > "$t/free.checks"
checks "$R/var/lib/mamori/last-audit.json" > "$t/box.checks"
ok "the sandboxed run reports the same checks" diff "$t/free.checks" "$t/box.checks"
sort -u "$t/start.err" > "$t/free.err"
sort -u "$t/box.err" | comm -13 "$t/free.err" - > "$t/box.new"
ok "the sandboxed run says nothing the free one did not" \
    sh -c "! grep . '$t/box.new'"
# shellcheck disable=SC2086
in_root $post > "$t/post.out" 2>&1; st=$?
echo "# ExecStartPost exit $st (ignored: '-'): $(head -c 200 "$t/post.out" | tr '\n' ' ')"

ok "dpkg --purge removes them" in_root dpkg --purge libpam-mamori libmamori-dev \
    mamori libmamori1
# In the upper layer, a character device is a whiteout: something of
# this machine's / the purge deleted in the overlay (an earlier
# /var/lib/mamori of `make install`'s audits).
ok "nothing of mamori is left (outside dpkg's own records)" sh -c \
    "cd '$t/upper' && ! find . -path '*mamori*' ! -type c \
         ! -path './var/lib/dpkg/*' ! -path './var/log/*' | grep ."
ok "the PAM stack is as it was" cmp "$t/common-password.before" \
    "$R/etc/pam.d/common-password"
ok "ld.so's cache no longer names the package's libmamori" sh -c \
    "! grep -q /usr/lib/x86_64-linux-gnu/libmamori.so '$R/etc/ld.so.cache'"
echo "1..$n"
[ "$failed" -eq 0 ]
