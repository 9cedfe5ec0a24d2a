#!/bin/bash
# t1300-systemd-units.sh — the daily audit's units as this build installs
# them (data/systemd/): systemd-analyze verify finds nothing to say about
# mamori-audit.service and .timer (it parses them as systemd does, without
# systemd as PID 1), the service runs the mamori of this build's bindir
# with the file the package installs, pushes with a '-' (skipped cleanly),
# keeps its sandbox, and the timer is daily, randomised and persistent.
# That the units start is t1310's (an installed package) and a machine's.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?}"

U=$BUILD_ROOT/data/systemd
if [ ! -f "$U/mamori-audit.service" ]; then
    skip "systemd units" "not built (-Dsystemdsystemunitdir=no)"
    done_testing; exit
fi
SVC=$U/mamori-audit.service
TIMER=$SOURCE_ROOT/data/systemd/mamori-audit.timer

BINDIR=$(sed -n 's|^ExecStart=\(/.*\)/mamori audit .*|\1|p' "$SVC")
ok "ExecStart runs mamori from bindir ($BINDIR)" test -n "$BINDIR"
ok "ExecStart: audit --config /etc/mamori/mamori.conf into last-audit.json" \
    grep -qx "ExecStart=$BINDIR/mamori audit --config /etc/mamori/mamori.conf --format json --output /var/lib/mamori/last-audit.json --no-progress" "$SVC"
ok "ExecStartPost: push with '-' (a push not configured fails nothing)" \
    grep -qx "ExecStartPost=-$BINDIR/mamori push --config /etc/mamori/mamori.conf" "$SVC"
ok "exit 1 (findings) is a success: the push still runs" grep -qx 'SuccessExitStatus=1' "$SVC"
for want in Type=oneshot ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes \
        ProtectHome=read-only 'ReadWritePaths=/var/lib/mamori -/var/spool/mamori -/root/.cache/borg -/root/.config/borg' \
        'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' \
        'CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_PTRACE CAP_NET_ADMIN' \
        ProtectKernelTunables=yes StateDirectory=mamori; do
    ok "service: $want" grep -qx "$want" "$SVC"
done
for want in OnCalendar=daily RandomizedDelaySec=1h Persistent=true WantedBy=timers.target; do
    ok "timer: $want" grep -qx "$want" "$TIMER"
done

# The options ExecStart gives are the command's (a renamed option would
# fail every night, not here).
cmdline=$(sed -n 's|^ExecStart=[^ ]*/mamori ||p' "$SVC")
# shellcheck disable=SC2086
"$MAMORI" $cmdline --help > "$TMP/help" 2>&1; st=$?
ok "mamori takes ExecStart's options (--help exit $st)" test "$st" -eq 0

if ! command -v systemd-analyze > /dev/null; then
    skip "systemd-analyze verify" "systemd-analyze not installed"
    done_testing; exit
fi
# verify checks that ExecStart's program exists: the units point at the
# mamori under test in a private copy.
mkdir "$TMP/units"
sed "s|$BINDIR/mamori|$MAMORI|" "$SVC" > "$TMP/units/mamori-audit.service"
cp "$TIMER" "$TMP/units/"
verify() { # unit...: nothing said, exit 0
    (cd "$TMP/units" && systemd-analyze verify --man=no "$@") > "$TMP/verify" 2>&1 &&
        ! [ -s "$TMP/verify" ] || { cat "$TMP/verify"; return 1; }
}
ok "systemd-analyze verify: the service and the timer" \
    verify ./mamori-audit.service ./mamori-audit.timer
# ... and it can fail: a misspelt directive is reported.
sed 's/^ProtectSystem=/ProtectSystm=/' "$TMP/units/mamori-audit.service" \
    > "$TMP/units/broken.service"
ok "systemd-analyze verify notices a misspelt directive" \
    sh -c "cd '$TMP/units' && systemd-analyze verify --man=no ./broken.service 2>&1 | grep -q ProtectSystm"
done_testing
