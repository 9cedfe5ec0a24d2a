#!/bin/bash
# t0802-patch-apt.sh — on this machine, mamori's updates waiting are
# apt's: the packages `apt-get -s dist-upgrade` would upgrade ("Inst
# NAME [OLD] (NEW ...)": new packages it would pull in are not upgrades)
# and the same candidate versions, and the security ones are those apt
# shows from a security origin. Reads whatever lists exist; never runs
# apt-get update. Skipped where apt, its lists or dpkg are missing.
. "$(dirname "$0")/lib.sh"

if ! command -v apt-get >/dev/null || [ ! -r /var/lib/dpkg/status ]; then
    skip "mamori agrees with apt" "no apt-get or dpkg status here"
    done_testing
    exit
fi
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    skip "mamori agrees with apt" "apt's package lists are empty"
    done_testing
    exit
fi
apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null > "$TMP/apt.out"
awk '/^Inst / && $3 ~ /^\[/ { v = $4; sub(/^\(/, "", v); print $2, v }' \
    "$TMP/apt.out" | sort > "$TMP/apt.txt"
awk '/^Inst / && $3 ~ /^\[/ && /-[Ss]ecurity/ { print $2 }' "$TMP/apt.out" |
    sort > "$TMP/apt-sec.txt"
"$MAMORI" patch --format json --fail-on none > "$TMP/m.json" 2> "$TMP/m.err"
ok "mamori patch runs on this machine" jq -e . "$TMP/m.json"
# apt names a package of a foreign architecture NAME:ARCH.
native=$(dpkg --print-architecture)
jq -r --arg n "$native" 'select(.type == "finding" and
        (.category | startswith("pending-"))) |
    (if .arch == $n or .arch == "all" then .package else .package + ":" + .arch end)
    + " " + .candidate' "$TMP/m.json" | sort > "$TMP/m.txt"
jq -r --arg n "$native" 'select(.type == "finding" and
        .category == "pending-security-update") |
    (if .arch == $n or .arch == "all" then .package else .package + ":" + .arch end)' \
    "$TMP/m.json" | sort > "$TMP/m-sec.txt"
ok "the same $(wc -l < "$TMP/apt.txt") packages and candidate versions as apt" \
    diff "$TMP/apt.txt" "$TMP/m.txt"
ok "the same $(wc -l < "$TMP/apt-sec.txt") security updates as apt" \
    diff "$TMP/apt-sec.txt" "$TMP/m-sec.txt"
done_testing
