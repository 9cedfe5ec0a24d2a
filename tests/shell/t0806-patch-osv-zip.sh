#!/bin/bash
# t0806-patch-osv-zip.sh — `mamori patch --osv ZIP`: the all.zip osv.dev
# publishes per ecosystem, built here with Python's zipfile from the OSV
# fixture records (tests/fixtures/patch-osv) against the patch-bad root:
# the same findings as the directory gives, deflated and stored entries,
# ZIP64 (more than 65,535 entries, the record that matters last), and
# bad archives — cut, a CRC that does not match, an entry that inflates
# past what the directory says, not a ZIP at all — each named, the
# readable records still used.
. "$(dirname "$0")/lib.sh"
[ -n "$TMP" ] && [ -d "$TMP" ] || { echo "t0806: no test directory" >&2; exit 1; }
FIX=${TESTS_DIR:-$(dirname "$0")/..}/fixtures
OSV=$FIX/patch-osv

has() { jq -se "[.[] | select(.type == \"finding\") | select($1)] | length $2" \
    "$TMP/$3.json"; }
# The findings without their file (a directory's path or ZIP/ENTRY).
findings() { jq -sc '[.[] | select(.type == "finding") | del(.file)]' "$1"; }
run() { # NAME OSV-ARG
    "$MAMORI" patch --root "$FIX/patch-bad" --osv "$2" --format json \
        --fail-on none > "$TMP/$1.json" 2> "$TMP/$1.err"
    echo $? > "$TMP/$1.rc"
}

run dir "$OSV"
python3 - "$OSV" "$TMP" <<'EOF'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
names = sorted(n for n in os.listdir(src) if n.endswith(".json"))
with zipfile.ZipFile(out + "/deflated.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for n in names:
        z.write(os.path.join(src, n), n)
# stored entries, a directory entry and a file that is not a record
with zipfile.ZipFile(out + "/stored.zip", "w", zipfile.ZIP_STORED) as z:
    z.writestr("README.txt", "not a record")
    z.writestr("records/", "")
    for n in names:
        z.write(os.path.join(src, n), n)
# ZIP64: 70,000 small entries first, the fixtures last
with zipfile.ZipFile(out + "/many.zip", "w", zipfile.ZIP_DEFLATED,
                     allowZip64=True) as z:
    for i in range(70000):
        z.writestr("PAD-%05d.txt" % i, "x")
    for n in names:
        z.write(os.path.join(src, n), n)
# an entry whose CRC-32 in the directory is wrong; one that inflates to
# more than its size says (the sizes in both headers patched)
def patched(name, fix):
    with zipfile.ZipFile(out + "/" + name, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.write(os.path.join(src, n), n)
    data = bytearray(open(out + "/" + name, "rb").read())
    fix(data)
    open(out + "/" + name, "wb").write(data)
def entry_offsets(data, sig):
    i = 0
    while True:
        i = data.find(sig, i)
        if i < 0:
            return
        yield i
        i += 4
def bad_crc(data):
    for i in entry_offsets(data, b"PK\x01\x02"):   # DSA-5514-1 is last
        last = i
    data[last + 16] ^= 0xff
def bad_size(data):
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for i in entry_offsets(data, sig):
            last = i
        data[last + off:last + off + 4] = (10).to_bytes(4, "little")
patched("crc.zip", bad_crc)
patched("size.zip", bad_size)
EOF
ok "python wrote the archives" test -s "$TMP/many.zip"

run zip "$TMP/deflated.zip"
findings "$TMP/dir.json" > "$TMP/dir.f"
findings "$TMP/zip.json" > "$TMP/zip.f"
ok "deflated ZIP: the same findings as the directory" test_cmp "$TMP/dir.f" "$TMP/zip.f"
ok "deflated ZIP: findings name ZIP/ENTRY" \
    has '.file == "'"$TMP"'/deflated.zip/DSA-5514-1.json"' '>= 1' zip
ok "deflated ZIP: glibc from DSA-5514-1" \
    has '.category == "known-vulnerability" and .package == "glibc" and
         .fixed == "2.28-10+deb10u3"' '== 1' zip
ok "the cut record inside the ZIP is named" \
    grep -q 'deflated.zip/DLA-9999-1.json: warning: cut short' "$TMP/zip.err"
ok "exit status as with the directory (2: a record not read)" \
    test "$(cat "$TMP/zip.rc")" = "$(cat "$TMP/dir.rc")"

run stored "$TMP/stored.zip"
findings "$TMP/stored.json" > "$TMP/stored.f"
ok "stored entries, a directory and a text file among them: the same" \
    test_cmp "$TMP/dir.f" "$TMP/stored.f"
ok "records counted (the text file is not one)" \
    jq -se '[.[] | select(.type == "summary")][0].counters.osv_records == 3' \
    "$TMP/stored.json"

run many "$TMP/many.zip"
findings "$TMP/many.json" > "$TMP/many.f"
ok "ZIP64 with 70,000 entries: the records after them found" \
    test_cmp "$TMP/dir.f" "$TMP/many.f"

run crc "$TMP/crc.zip"
ok "a wrong CRC-32: the entry named, not used" \
    grep -q 'crc.zip/DSA-5514-1.json: warning: damaged' "$TMP/crc.err"
ok "... and the other records still used" \
    has '.category == "known-vulnerability" and .package == "openssl"' \
    '== 1' crc
ok "... glibc (from that entry) not reported" \
    has '.category == "known-vulnerability" and .package == "glibc"' \
    '== 0' crc

run size "$TMP/size.zip"
ok "an entry inflating past its stated size is not used" \
    grep -q 'size.zip/DSA-5514-1.json: warning: damaged' "$TMP/size.err"

head -c $(( $(stat -c %s "$TMP/deflated.zip") / 2 )) "$TMP/deflated.zip" \
    > "$TMP/cut.zip"
run cut "$TMP/cut.zip"
ok "a cut archive: an error naming it, exit 2" \
    sh -c 'grep -q "cut.zip: error: cannot read: cut short" "$0" &&
           test "$(cat "$1")" = 2' "$TMP/cut.err" "$TMP/cut.rc"
ok "a cut archive: the other checks still report" \
    has '.category == "eol-release"' '== 1' cut
printf 'not a zip at all\n' > "$TMP/junk.zip"
run junk "$TMP/junk.zip"
ok "not a ZIP: said so" grep -q "not a ZIP archive" "$TMP/junk.err"

done_testing
