#!/bin/bash
# t0800-patch.sh — `mamori patch --root` on the fixture roots
# tests/fixtures/patch-bad and patch-good (dpkg status and apt lists cut
# from Debian's own files, lists in every compression apt keeps them:
# plain, lz4, gzip, xz, zstd). Every category fires on the bad root, with
# the JSON fields the issue names; the good root is quiet. The roots are
# copied first: file times (the lists' age, the unattended-upgrades log)
# are set here, relative to today.
. "$(dirname "$0")/lib.sh"
FIX=${TESTS_DIR:-$(dirname "$0")/..}/fixtures
L=var/lib/apt/lists

cp -a "$FIX/patch-bad" "$TMP/bad"
cp -a "$FIX/patch-good" "$TMP/good"
touch -d '30 days ago' "$TMP/bad/$L"/*
touch "$TMP/good/$L"/*
now=$(date -u '+%Y-%m-%d %H:%M:%S')
printf '%s,000 INFO Starting unattended upgrades script\n' "$now" \
    >> "$TMP/good/var/log/unattended-upgrades/unattended-upgrades.log"

"$MAMORI" patch --root "$TMP/bad" --format json > "$TMP/bad.json" \
    2> "$TMP/bad.err"
echo $? > "$TMP/bad.rc"
ok "bad root: exit 1 (high findings)" test "$(cat "$TMP/bad.rc")" = 1
ok "bad root: valid JSON Lines" jq -e . "$TMP/bad.json"
has() { jq -se "[.[] | select(.type == \"finding\") | select($1)] | length $2" \
    "$TMP/$3.json"; }
for c in pending-security-update pending-update stale-package-lists \
         no-automatic-updates reboot-required eol-release \
         unsupported-package; do
    ok "bad root: $c found" has ".category == \"$c\"" '> 0' bad
done
ok "security update: openssl with installed, candidate, origin, suite" \
    has '.category == "pending-security-update" and .package == "openssl" and
         .installed == "1.1.1n-0+deb10u3" and .candidate == "1.1.1n-0+deb10u6"
         and .origin == "Debian" and .label == "Debian-Security"
         and .severity == "high" and .check == "patch.pending-security-update"' \
    '== 1' bad
ok "update: bash from the -updates suite (gzip list), low" \
    has '.category == "pending-update" and .package == "bash" and
         .candidate == "5.0-4+b1" and .severity == "low"' '== 1' bad
ok "xz list read: libc6 security update" \
    has '.package == "libc6" and .arch == "amd64"' '== 1' bad
ok "no i386 candidate without an i386 list" \
    has '.package == "libc6" and .arch == "i386"' '== 0' bad
ok "held package left as apt leaves it" \
    has '(.category | startswith("pending")) and .package == "tzdata"' '== 0' bad
ok "NotAutomatic (experimental) is never a candidate" \
    has '(.category | startswith("pending")) and .package == "base-files"' \
    '== 0' bad
ok "backports lose to the installed version in the archive" \
    has '.package == "apt"' '== 0' bad
ok "removed package (config-files) is not installed" \
    has '.category == "no-automatic-updates" and
         .reasons == ["unattended-upgrades is not installed"]' '== 1' bad
ok "stale lists: refreshed and days given" \
    has '.category == "stale-package-lists" and .days >= 29' '== 1' bad
ok "reboot-required names the packages, once each" \
    has '.category == "reboot-required" and
         .packages == ["linux-image-4.19.0-27-amd64", "libc6"]' '== 1' bad
ok "buster: past all support, high" \
    has '.category == "eol-release" and .stage == "ended" and
         .severity == "high" and .lts_end == "2024-06-30"' '== 1' bad
ok "support ended (debian-security-support's ended list): medium" \
    has '.category == "unsupported-package" and .package == "tzdata" and
         .stage == "ended" and .support_end == "2022-06-30" and
         .severity == "medium"' '== 1' bad
ok "support ending later, matched by a pattern: low" \
    has '.category == "unsupported-package" and .package == "base-files" and
         .stage == "ending" and .severity == "low"' '== 1' bad
ok "limited support, by source package (libc6 from glibc): low" \
    has '.category == "unsupported-package" and .package == "glibc" and
         .binary == "libc6" and .stage == "limited"' '== 1' bad
ok "uninstalled and unreadable entries are passed over" \
    has '.category == "unsupported-package"' '== 3' bad
ok "every finding carries basic.update and meti.patching" \
    jq -se '[.[] | select(.type == "finding") | .countermeasures ==
            ["basic.update", "meti.patching"]] | all' "$TMP/bad.json"
ok "summary counts the packages and lists" \
    jq -se '[.[] | select(.type == "summary" and .capability == "patch")][0]
            .counters | .packages == 8 and .lists == 4 and .updates == 4 and
            .security_updates == 3' "$TMP/bad.json"
ok "apt's history, rotated and gzipped, oldest first; the last unfinished run" \
    jq -se '[.[] | select(.type == "summary")][0].tables.apt_runs |
        map(.date + " " + (.upgraded|tostring) + "/" + (.installed|tostring)
            + "/" + (.removed|tostring)) ==
        ["2024-05-02 3/0/0", "2024-05-03 0/2/0", "2024-06-01 0/0/1",
         "2024-07-01 0/1/0"]' "$TMP/bad.json"
ok "days since the last upgrade (2024-05-02)" \
    jq -se '[.[] | select(.type == "summary")][0].counters.days_since_upgrade
        > 900' "$TMP/bad.json"
ok "the held package is noted" grep -q "on hold" "$TMP/bad.err"
ok "a pattern beyond . and .* is noted" grep -q "not understood" "$TMP/bad.err"
ok "under a root the live probes are skipped with a note" \
    grep -q "under a root" "$TMP/bad.err"

"$MAMORI" patch --root "$TMP/good" --format json > "$TMP/good.json" \
    2> "$TMP/good.err"
echo $? > "$TMP/good.rc"
ok "good root: exit 0" test "$(cat "$TMP/good.rc")" = 0
ok "good root: no findings" has 'true' '== 0' good
ok "good root: security candidate equal to installed (zstd list read)" \
    jq -se '[.[] | select(.type == "summary")][0].counters.lists == 2' \
    "$TMP/good.json"

# One thing wrong at a time on a copy of the good root.
cp -a "$TMP/good" "$TMP/g1"
sed -i 's/Unattended-Upgrade "1"/Unattended-Upgrade "0"/' \
    "$TMP/g1/etc/apt/apt.conf.d/20auto-upgrades"
"$MAMORI" patch --root "$TMP/g1" --format json > "$TMP/g1.json" 2>/dev/null
ok "Unattended-Upgrade \"0\": no-automatic-updates with that reason" \
    has '.category == "no-automatic-updates" and
         .reasons == ["APT::Periodic::Unattended-Upgrade is not set"]' \
    '== 1' g1
cp -a "$TMP/good" "$TMP/g2"
sed -i 's/VERSION_ID="13"/VERSION_ID="12"/' "$TMP/g2/etc/os-release"
"$MAMORI" patch --root "$TMP/g2" --format json > "$TMP/g2.json" 2>/dev/null
if [ "$(date -u +%Y%m%d)" -gt 20260610 ] && [ "$(date -u +%Y%m%d)" -le 20280630 ]
then
    ok "Debian 12 between its regular and LTS end: low, stage lts" \
        has '.category == "eol-release" and .severity == "low" and
             .stage == "lts"' '== 1' g2
else
    skip "Debian 12 LTS stage" "today is outside 2026-06-11..2028-06-30"
fi
cp -a "$TMP/good" "$TMP/g3"
printf '2020-01-01 06:25:01,123 INFO Starting unattended upgrades script\n' \
    > "$TMP/g3/var/log/unattended-upgrades/unattended-upgrades.log"
"$MAMORI" patch --root "$TMP/g3" --format json > "$TMP/g3.json" 2>/dev/null
ok "no run in 48 hours: no-automatic-updates, last_run given" \
    has '.category == "no-automatic-updates" and .last_run == "2020-01-01"' \
    '== 1' g3

# Bad input: a cut lz4 list and a status file cut mid-stanza still give
# what is readable.
cp -a "$TMP/bad" "$TMP/cut"
f=$(ls "$TMP/cut/$L"/*_buster_main_*.lz4)
head -c 2000 "$f" > "$f.tmp" && mv "$f.tmp" "$f"
head -c 3000 "$TMP/bad/var/lib/dpkg/status" > "$TMP/cut/var/lib/dpkg/status"
"$MAMORI" patch --root "$TMP/cut" --format json > "$TMP/cut.json" \
    2> "$TMP/cut.err"
ok "cut list: a warning naming it" grep -q "cut short" "$TMP/cut.err"
ok "cut files: still valid JSON with the other findings" \
    has '.category == "eol-release"' '== 1' cut
# A symlink in the image pointing at an absolute path stays in the root.
cp -a "$TMP/good" "$TMP/ln"
mv "$TMP/ln/var/lib/dpkg/status" "$TMP/ln/var/lib/dpkg/status.real"
ln -s /var/lib/dpkg/status.real "$TMP/ln/var/lib/dpkg/status"
"$MAMORI" patch --root "$TMP/ln" --format json > "$TMP/ln.json" 2>/dev/null
ok "absolute symlink in the root resolves inside it" \
    jq -se '[.[] | select(.type == "summary")][0].counters.packages == 6' \
    "$TMP/ln.json"

# Known vulnerabilities from the security tracker's JSON export.
TR=$FIX/patch-tracker.json
gzip -c "$TR" > "$TMP/tracker.json.gz"
"$MAMORI" patch --root "$TMP/bad" --tracker "$TMP/tracker.json.gz" \
    --format json > "$TMP/tr.json" 2> "$TMP/tr.err"
ok "tracker: openssl, fix released not installed, two CVEs, high" \
    has '.category == "known-vulnerability" and .package == "openssl" and
         .installed == "1.1.1n-0+deb10u3" and .fixed == "1.1.1n-0+deb10u4" and
         .cves == ["CVE-2022-4304", "CVE-2023-0286"] and .severity == "high"' \
    '== 1' tr
ok "tracker: binary libc6 matched by its source glibc" \
    has '.category == "known-vulnerability" and .package == "glibc" and
         .binary == "libc6" and .cves == ["CVE-2023-4911"]' '== 1' tr
ok "tracker: only installed packages, only this release" \
    has '.category == "known-vulnerability"' '== 2' tr
ok "tracker: the other buckets are counted" \
    jq -se '[.[] | select(.type == "summary")][0].counters |
        .cves_fixed_not_installed == 3 and .cves_no_fix == 1 and
        .cves_postponed == 1 and .cves_ignored == 1 and
        .cves_unimportant == 2' "$TMP/tr.json"
touch -d '20 days ago' "$TMP/tracker.json.gz"
"$MAMORI" patch --root "$TMP/bad" --tracker "$TMP/tracker.json.gz" \
    --format json > /dev/null 2> "$TMP/tr-old.err"
ok "tracker older than 7 days: a warning" grep -q "days old" "$TMP/tr-old.err"
# Cut after the glibc package: glibc still judged, then a clear message.
head -c "$(grep -b '"notinstalled"' "$TR" | cut -d: -f1)" "$TR" \
    > "$TMP/cut-tracker.json"
"$MAMORI" patch --root "$TMP/bad" --tracker "$TMP/cut-tracker.json" \
    --format json > "$TMP/trc.json" 2> "$TMP/trc.err"
echo $? > "$TMP/trc.rc"
ok "cut tracker: glibc (read before the cut) still reported" \
    has '.package == "glibc" and .category == "known-vulnerability"' '== 1' trc
ok "cut tracker: said so, exit 2" sh -c \
    "grep -q 'cut short at byte' '$TMP/trc.err' && test \$(cat '$TMP/trc.rc') = 2"
printf '{"openssl": {"CVE-1": {"releases": {"buster": {"status": 7}}}}, "x": ' \
    > "$TMP/wrong.json"
python3 -c 'print("[" * 100000)' >> "$TMP/wrong.json"
"$MAMORI" patch --root "$TMP/bad" --tracker "$TMP/wrong.json" \
    --format json > /dev/null 2> "$TMP/wrong.err"
ok "wrong types and deep nesting: a clear message, no crash" \
    grep -q 'nested too deep' "$TMP/wrong.err"

# OSV records (Debian's DLA/DSA as osv.dev publishes them).
cp -a "$FIX/patch-osv" "$TMP/osv"
today=$(date -u +%Y-%m-%d)
printf '{"id": "DLA-0000-1", "published": "%sT00:00:00Z", "related": ["CVE-2099-1"], "affected": [{"package": {"ecosystem": "Debian:10", "name": "bash"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.0-4+deb10u1"}]}]}]}\n' \
    "$today" | gzip > "$TMP/osv/DLA-0000-1.json.gz"
"$MAMORI" patch --root "$TMP/bad" --osv "$TMP/osv" --format json \
    > "$TMP/osv.json" 2> "$TMP/osv.err"
ok "osv: openssl with fixed, cves (from related), available_since, days" \
    has '.category == "known-vulnerability" and .package == "openssl" and
         .fixed == "1.1.1n-0+deb10u4" and .available_since == "2023-02-21" and
         (.cves | index("CVE-2023-0286")) and .days_exposed > 1000' '== 1' osv
ok "osv: this release's affected entry, ECOSYSTEM range (not GIT)" \
    has '.category == "known-vulnerability" and .package == "glibc" and
         .fixed == "2.28-10+deb10u3" and .severity == "high"' '== 1' osv
ok "osv: a range introduced after the installed version does not match" \
    has '(.cves // []) | index("DLA-3530-1")' '== 0' osv
ok "cadence: fixes left past the window (high 45, medium 90 days)" \
    has '.category == "cadence"' '== 2' osv
ok "cadence: a fix published today is known but not late" \
    has '.package == "bash" and .days_exposed == 0' '== 1' osv
ok "cadence: ... and makes no cadence finding" \
    has '.category == "cadence" and .package == "bash"' '== 0' osv
ok "osv: a cut record is named and the others used" \
    grep -q 'DLA-9999-1.json: warning: cut short' "$TMP/osv.err"
ok "osv: records counted" \
    jq -se '[.[] | select(.type == "summary")][0].counters.osv_records == 4' \
    "$TMP/osv.json"

# mamori audit shows the patch state first.
"$MAMORI" audit --root "$TMP/bad" --format json --fail-on none \
    > "$TMP/audit.json" 2>/dev/null
ok "audit: the first finding is a patch finding" \
    jq -se '[.[] | select(.type == "finding")][0].check | startswith("patch.")' \
    "$TMP/audit.json"
ok "audit: the patch summary comes first" \
    jq -se '[.[] | select(.type == "summary")][0].capability == "patch"' \
    "$TMP/audit.json"
"$MAMORI" patch --root "$TMP/bad" --only patch.eol-release --format json \
    > "$TMP/only.json" 2>/dev/null
ok "--only keeps one check" has '.check != "patch.eol-release"' '== 0' only
ok "patch takes no operands" sh -c '! "$0" patch somefile 2>/dev/null' "$MAMORI"
done_testing
