#!/bin/bash
# t0808-patch-cadence.sh — the patching cadence: how long security
# updates waited before they were applied over the last 90 days. Built
# on copies of the patch-bad root (openssl and libssl3 from one source,
# libc6 waiting in buster's security suite) and audit histories whose
# runs are moved back in time:
#   - the history and dpkg.log: seen waiting 60 days ago, upgraded (both
#     binaries of openssl, one update) 10 days ago: 50 days, late;
#   - the history alone (no dpkg.log): gone by a run 20 days ago: 40
#     days, counted, not late; removed instead of upgraded: no wait;
#   - dpkg.log against OSV records' published dates (mamori patch
#     --osv, no history): 70 days, and an upgrade older than 90 days
#     left out.
. "$(dirname "$0")/lib.sh"
[ -n "$TMP" ] && [ -d "$TMP" ] || { echo "t0808: no test directory" >&2; exit 1; }
FIX=${TESTS_DIR:-$(dirname "$0")/..}/fixtures

# Sets Version: of a package (name, arch) in a root's dpkg status, or
# removes the package with "-".
set_version() {
    python3 - "$1/var/lib/dpkg/status" "$2" "$3" "$4" <<'EOF'
import sys
path, name, arch, ver = sys.argv[1:]
out = []
for st in open(path).read().split("\n\n"):
    lines = st.split("\n")
    if "Package: " + name in lines and "Architecture: " + arch in lines:
        if ver == "-":
            continue
        lines = ["Version: " + ver if l.startswith("Version: ") else l
                 for l in lines]
    out.append("\n".join(lines))
open(path, "w").write("\n\n".join(out))
EOF
}
# Moves run N of a history back by S seconds.
age_run() {
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE runs SET started = started - ? WHERE id = ?', (int(sys.argv[3]), int(sys.argv[2]))); c.commit()" "$@"
}
audit() { "$MAMORI" audit --root "$1" --db "$2" --format json --fail-on none 2>/dev/null; }
day() { date -u -d "@$(( $(date +%s) - $1 * 86400 ))" '+%Y-%m-%d %H:%M:%S'; }
fnd() { jq -se "[.[] | select(.check == \"patch.cadence\")] | $1" "$TMP/$2.json"; }
sum() { jq -se "[.[] | select(.type == \"summary\" and .capability == \"patch\")][0] | $1" "$TMP/$2.json"; }
OLD=1.1.1n-0+deb10u3
NEW=1.1.1n-0+deb10u6

# 1. The history and dpkg.log.
cp -a "$FIX/patch-bad" "$TMP/a"
audit "$TMP/a" "$TMP/a.db" > "$TMP/a1.json"
ok "the first run sees openssl's update waiting" \
    jq -se '[.[] | select(.check == "patch.pending-security-update") | .package] | index("openssl") != null' "$TMP/a1.json"
ok "no cadence from one run" fnd 'length == 0' a1
age_run "$TMP/a.db" 1 $((60 * 86400 + 3600))
set_version "$TMP/a" openssl amd64 "$NEW"
set_version "$TMP/a" libssl3 amd64 "$NEW"
printf '%s\n' "$(day 10) startup archives unpack" \
    "$(day 10) upgrade openssl:amd64 $OLD $NEW" \
    "$(day 10) upgrade libssl3:amd64 $OLD $NEW" > "$TMP/a/var/log/dpkg.log"
audit "$TMP/a" "$TMP/a.db" > "$TMP/a2.json"
ok "one late update: seen 60 days ago, installed 10 days ago" \
    fnd 'length == 1 and .[0].updates == 1 and .[0].late == 1 and
         .[0].median_days == 50 and .[0].worst_days == 50' a2
ok "named by its source, dated by the history" \
    fnd '.[0].worst_package == "openssl" and .[0].worst_dated_by == "history"' a2
ok "late as a habit (the median past 45 days): high" fnd '.[0].severity == "high"' a2
ok "the window and the period" fnd '.[0].window_days == 45 and .[0].period_days == 90' a2
ok "the summary's figures" \
    sum '.counters.cadence_updates == 1 and .counters.cadence_median_days == 50 and
         .counters.cadence_worst_days == 50 and .counters.cadence_late == 1' a2

# 2. The history alone: the run that saw it gone.
cp -a "$FIX/patch-bad" "$TMP/b"
audit "$TMP/b" "$TMP/b.db" > /dev/null
age_run "$TMP/b.db" 1 $((60 * 86400 + 3600))
set_version "$TMP/b" openssl amd64 "$NEW"
set_version "$TMP/b" libssl3 amd64 "$NEW"
set_version "$TMP/b" libc6 amd64 -
audit "$TMP/b" "$TMP/b.db" > /dev/null
age_run "$TMP/b.db" 2 $((20 * 86400))
audit "$TMP/b" "$TMP/b.db" > "$TMP/b3.json"
ok "gone by a run 20 days ago: 40 days, not late: no finding" fnd 'length == 0' b3
ok "counted once (two binaries, one source); libc6 removed, not counted" \
    sum '.counters.cadence_updates == 1 and .counters.cadence_median_days == 40 and
         .counters.cadence_late == 0' b3

# 3. dpkg.log against OSV (no history).
cp -a "$FIX/patch-bad" "$TMP/c"
mkdir "$TMP/osv"
pub() { date -u -d "@$(( $(date +%s) - $1 * 86400 ))" '+%Y-%m-%dT%H:%M:%SZ'; }
cat > "$TMP/osv/DSA-9001-1.json" <<EOF
{"id": "DSA-9001-1", "published": "$(pub 100)",
 "affected": [{"package": {"ecosystem": "Debian:10", "name": "openssl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1n-0+deb10u5"}]}]}]}
EOF
cat > "$TMP/osv/DSA-9002-1.json" <<EOF
{"id": "DSA-9002-1", "published": "$(pub 200)",
 "affected": [{"package": {"ecosystem": "Debian:10", "name": "bash"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.0-4+deb10u1"}]}]}]}
EOF
set_version "$TMP/c" openssl amd64 "$NEW"
set_version "$TMP/c" libssl3 amd64 "$NEW"
set_version "$TMP/c" bash amd64 5.0-4+deb10u1
printf '%s\n' "$(day 95) upgrade bash:amd64 5.0-4 5.0-4+deb10u1" \
    "$(day 30) upgrade openssl:amd64 $OLD $NEW" \
    "$(day 30) upgrade libssl3:amd64 $OLD $NEW" > "$TMP/c/var/log/dpkg.log"
"$MAMORI" patch --root "$TMP/c" --osv "$TMP/osv" --format json --fail-on none \
    > "$TMP/c.json" 2>/dev/null
ok "OSV's published date: 100 days before, installed 30 days ago: 70" \
    fnd 'length == 1 and .[0].updates == 1 and .[0].worst_days == 70 and
         .[0].worst_dated_by == "DSA-9001-1"' c
ok "an upgrade older than 90 days is left out" sum '.counters.cadence_updates == 1' c
"$MAMORI" patch --root "$FIX/patch-bad" --osv "$TMP/osv" --format json \
    --fail-on none > "$TMP/none.json" 2>/dev/null
ok "no dpkg.log, no history: no cadence figures" \
    sum '.counters.cadence_updates == null' none

done_testing
