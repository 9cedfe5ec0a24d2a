#!/bin/bash
# t0809-patch-osv-ubuntu.sh — OSV records of Ubuntu (USN, UBUNTU-CVE) on
# an Ubuntu root (a copy of patch-good with Ubuntu's os-release): the
# ecosystem "Ubuntu:22.04:LTS" matched, "Ubuntu:Pro:22.04:LTS" (ESM, a
# subscription) and another release not; versions in Debian's order (a
# '~' fix older than installed is no finding); Ubuntu's own severity
# entry; a non-LTS release ("Ubuntu:24.10").
. "$(dirname "$0")/lib.sh"
[ -n "$TMP" ] && [ -d "$TMP" ] || { echo "t0809: no test directory" >&2; exit 1; }
FIX=${TESTS_DIR:-$(dirname "$0")/..}/fixtures

cp -a "$FIX/patch-good" "$TMP/u"
os() { # VERSION_ID PRETTY
    printf '%s\n' "PRETTY_NAME=\"$2\"" 'NAME="Ubuntu"' "VERSION_ID=\"$1\"" \
        'ID=ubuntu' 'ID_LIKE=debian' > "$TMP/u/etc/os-release"
}
mkdir "$TMP/osv"
rec() { # file id ecosystem fixed [ubuntu-score]
    sev=""
    [ -n "${5:-}" ] && sev="\"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N\"}, {\"type\": \"Ubuntu\", \"score\": \"$5\"}],"
    printf '{"id": "%s", "published": "2026-01-10T00:00:00Z", %s
 "upstream": ["CVE-2026-0001"],
 "affected": [{"package": {"ecosystem": "%s", "name": "openssl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}\n' \
        "$2" "$sev" "$3" "$4" > "$TMP/osv/$1.json"
}
rec a USN-9001-1 "Ubuntu:22.04:LTS" 3.5.4-1~deb13u2 high
rec b USN-9002-1 "Ubuntu:Pro:22.04:LTS" 9.9-1
rec c USN-9003-1 "Ubuntu:24.04:LTS" 9.9-1
rec d USN-9004-1 "Ubuntu:22.04:LTS" '3.5.4-1~deb13u1~esm1'
rec e USN-9005-1 "Ubuntu:24.10" 9.9-1 negligible
kv() { jq -se "[.[] | select(.check == \"patch.known-vulnerability\")] | $1" "$TMP/$2.json"; }

os 22.04 "Ubuntu 22.04.4 LTS"
"$MAMORI" patch --root "$TMP/u" --osv "$TMP/osv" --format json --fail-on none \
    > "$TMP/lts.json" 2> "$TMP/lts.err"
ok "Ubuntu 22.04 LTS: only its own ecosystem's record, newer in Debian's order" \
    kv 'map(.cves[0]) == ["USN-9001-1"]' lts
ok "named with its release, its CVE and Ubuntu's severity" \
    kv '.[0].release == "Ubuntu:22.04:LTS" and .[0].cves == ["USN-9001-1", "CVE-2026-0001"] and
        .[0].severity == "high" and .[0].package == "openssl"' lts
ok "no note that Ubuntu is not matched" \
    sh -c '! grep -q "matched on" "$0"' "$TMP/lts.err"

os 22.04 "Ubuntu 22.04"
"$MAMORI" patch --root "$TMP/u" --osv "$TMP/osv" --format json --fail-on none \
    > "$TMP/lts2.json" 2>/dev/null
ok "an even year's April release is LTS without the word" \
    kv 'map(.cves[0]) == ["USN-9001-1"]' lts2

os 24.10 "Ubuntu 24.10"
"$MAMORI" patch --root "$TMP/u" --osv "$TMP/osv" --format json --fail-on none \
    > "$TMP/interim.json" 2>/dev/null
ok "an interim release: Ubuntu:24.10, negligible is low" \
    kv 'map(.cves[0]) == ["USN-9005-1"] and .[0].severity == "low" and
        .[0].release == "Ubuntu:24.10"' interim

done_testing
