#!/bin/bash
# t0807-patch-dpkglog.sh — the last upgrade and what it changed from
# dpkg's log and its rotations (dpkg.log, dpkg.log.1, dpkg.log.2.gz),
# written here into a copy of the patch-good root: the last upgrade
# session (upgrade, install and remove lines until ten quiet minutes)
# in the summary table, later install-only runs left out, the rotations
# read oldest first and gzip read, the later of apt's history and dpkg's
# log counted in days_since_upgrade, junk lines passed over.
. "$(dirname "$0")/lib.sh"
[ -n "$TMP" ] && [ -d "$TMP" ] || { echo "t0807: no test directory" >&2; exit 1; }
FIX=${TESTS_DIR:-$(dirname "$0")/..}/fixtures

cp -a "$FIX/patch-good" "$TMP/r"
L=$TMP/r/var/log
# the oldest: an upgrade long ago, gzipped
printf '%s\n' \
    '2024-01-10 10:00:00 startup archives unpack' \
    '2024-01-10 10:00:01 upgrade bash:amd64 5.2.15-2 5.2.15-2+b1' \
    '2024-01-10 10:00:02 status installed bash:amd64 5.2.15-2+b1' |
    gzip > "$L/dpkg.log.2.gz"
# the last upgrade session, in dpkg.log.1
printf '%s\n' \
    '2025-03-01 08:00:00 startup archives unpack' \
    '2025-03-01 08:00:01 upgrade libssl3:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2' \
    '2025-03-01 08:00:02 status half-configured libssl3:amd64 3.0.15-1~deb12u1' \
    'garbage line without a date' \
    '2025-03-01 08:00:03 install linux-image-6.1.0-31-amd64:amd64 <none> 6.1.128-1' \
    '2025-03-01 08:05:00 configure libssl3:amd64 3.0.17-1~deb12u2 <none>' \
    '2025-03-01 08:09:00 upgrade openssl:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2' \
    '2025-03-01 08:09:30 remove linux-image-6.1.0-25-amd64:amd64 6.1.106-3 <none>' \
    '2025-03-01 08:09:31 upgrade' \
    > "$L/dpkg.log.1"
# later: an install alone (not an upgrade), then nothing
printf '%s\n' \
    '2025-04-02 12:00:00 startup archives unpack' \
    '2025-04-02 12:00:01 install jq:amd64 <none> 1.6-2.1' \
    > "$L/dpkg.log"

"$MAMORI" patch --root "$TMP/r" --format json --fail-on none \
    > "$TMP/out.json" 2> "$TMP/out.err"
sum() { jq -se "[.[] | select(.type == \"summary\")][0] | $1" "$TMP/$2.json"; }
ok "the last upgrade session: its changes in order (action, package, from, to)" \
    sum '.tables.last_upgrade | map(.action + " " + .package + " " + .from +
         " " + .to) == [
        "upgrade libssl3:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2",
        "install linux-image-6.1.0-31-amd64:amd64  6.1.128-1",
        "upgrade openssl:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2",
        "remove linux-image-6.1.0-25-amd64:amd64 6.1.106-3 "]' out
ok "dated the day it ran" \
    sum '.tables.last_upgrade | map(.date) | unique == ["2025-03-01"]' out
ok "counted" sum '.counters.last_upgrade_changes == 4' out
ok "no apt history: days_since_upgrade from dpkg.log (2025-03-01)" \
    sum '.counters.days_since_upgrade == ((now - 1740816001) / 86400 | floor)' out

# A later upgrade more than ten minutes after: a new session.
printf '%s\n' '2025-04-02 12:30:00 upgrade jq:amd64 1.6-2.1 1.6-2.1+deb12u1' \
    >> "$L/dpkg.log"
"$MAMORI" patch --root "$TMP/r" --format json --fail-on none \
    > "$TMP/out2.json" 2>/dev/null
ok "a later upgrade is the last one, alone in its session" \
    sum '.tables.last_upgrade | map(.package) == ["jq:amd64"]' out2

# Only the gzipped rotation has an upgrade.
rm "$L/dpkg.log.1"
head -2 "$L/dpkg.log" > "$L/dpkg.log.tmp" && mv "$L/dpkg.log.tmp" "$L/dpkg.log"
"$MAMORI" patch --root "$TMP/r" --format json --fail-on none \
    > "$TMP/out3.json" 2>/dev/null
ok "dpkg.log.2.gz read: the upgrade of 2024-01-10" \
    sum '.tables.last_upgrade == [{"date": "2024-01-10", "action": "upgrade",
         "package": "bash:amd64", "from": "5.2.15-2", "to": "5.2.15-2+b1"}]' out3

# apt's history newer than dpkg's last upgrade: the later wins.
mkdir -p "$L/apt"
printf '%s\n' '' 'Start-Date: 2025-06-01  09:00:00' \
    'Commandline: apt-get upgrade' \
    'Upgrade: tzdata:amd64 (2024a-0+deb12u1, 2025a-0+deb12u1)' \
    'End-Date: 2025-06-01  09:00:10' > "$L/apt/history.log"
"$MAMORI" patch --root "$TMP/r" --format json --fail-on none \
    > "$TMP/out4.json" 2>/dev/null
ok "history.log's later upgrade (2025-06-01) counts" \
    sum '.counters.days_since_upgrade == ((now - 1748768400) / 86400 | floor)' out4
ok "both tables present" \
    sum '(.tables.apt_runs | length) == 1 and (.tables.last_upgrade | length) == 1' out4

# No dpkg.log at all: no table, no counter from it.
"$MAMORI" patch --root "$FIX/patch-good" --format json --fail-on none \
    > "$TMP/none.json" 2>/dev/null
ok "no dpkg.log: no last_upgrade table" \
    sum '(.tables.last_upgrade == null) and (.counters.last_upgrade_changes == null)' none

done_testing
