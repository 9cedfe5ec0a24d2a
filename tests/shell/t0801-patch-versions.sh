#!/bin/bash
# t0801-patch-versions.sh — `mamori patch --compare-versions` orders
# Debian versions exactly as dpkg does: every vector of
# ../shared/conformance/debian-version/vectors.txt (read in place), and
# 100,000 random pairs of realistic versions (tests/tools/debver_pairs.py)
# against dpkg's own Dpkg::Version (libdpkg-perl, one process for all),
# itself checked against `dpkg --compare-versions` on the first 1,000.
# One answer a line, malformed lines included.
. "$(dirname "$0")/lib.sh"
SRC=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
VECTORS=$SRC/../shared/conformance/debian-version/vectors.txt
PAIRS=${MAMORI_DEBVER_PAIRS:-100000}
SEED=${MAMORI_DEBVER_SEED:-13}

if [ -r "$VECTORS" ]; then
    awk 'NF >= 3 && $1 !~ /^#/ {print $1, $2}' "$VECTORS" > "$TMP/vec.in"
    awk 'NF >= 3 && $1 !~ /^#/ {print $3}' "$VECTORS" > "$TMP/vec.want"
    "$MAMORI" patch --compare-versions < "$TMP/vec.in" > "$TMP/vec.got"
    ok "every conformance vector ($(wc -l < "$TMP/vec.in"))" \
        cmp "$TMP/vec.want" "$TMP/vec.got"
else
    skip "conformance vectors" "$VECTORS not found"
fi

# The cases dpkg's policy turns on, by hand.
printf '%s\n' '1.0~rc1 1.0' '1.0 1.0+b1' '1:0.1 2.0' '1.0a 1.0+' \
    '1.010 1.9' '1.0-1 1.0-1~bpo1' '0:1.0 1.0' '1.0~~ 1.0~' > "$TMP/hand.in"
printf '%s\n' -1 -1 1 -1 1 1 0 -1 > "$TMP/hand.want"
"$MAMORI" patch --compare-versions < "$TMP/hand.in" > "$TMP/hand.got"
ok "epochs, tilde, letters before others, digits as numbers" \
    cmp "$TMP/hand.want" "$TMP/hand.got"

# Malformed lines: still exactly one answer each, exit status 2.
printf '%s\n' '1.0 2.0' '' 'onlyone' '1: 2' '1.0- 1' 'a b c' ':1 2' \
    '1.0 1.0' > "$TMP/bad.in"
"$MAMORI" patch --compare-versions < "$TMP/bad.in" > "$TMP/bad.got" \
    2> "$TMP/bad.err"
echo $? > "$TMP/bad.rc"
ok "one answer per line, malformed ones included" \
    test "$(tr '\n' ' ' < "$TMP/bad.got")" = \
    "-1 error error error error error error 0 "
ok "malformed lines make exit status 2" test "$(cat "$TMP/bad.rc")" = 2
ok "each malformed line is named by its number" \
    grep -q -- '-:5: warning: revision number is empty' "$TMP/bad.err"

if ! command -v python3 >/dev/null || ! perl -MDpkg::Version -e1 2>/dev/null
then
    skip "random pairs against dpkg" "python3 or libdpkg-perl missing"
    done_testing
    exit
fi
python3 "$SRC/tests/tools/debver_pairs.py" "$PAIRS" "$SEED" > "$TMP/rand.in"
perl -MDpkg::Version -ne '
    chomp; my ($a, $b) = split / /;
    print version_compare($a, $b) <=> 0, "\n";' \
    < "$TMP/rand.in" > "$TMP/rand.dpkg"
# The Perl module is dpkg's; the binary is the reference. They agree on
# the first 1,000 pairs or the comparison below proves nothing.
head -1000 "$TMP/rand.in" | while read -r a b; do
    if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1
    elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0
    else echo 1; fi
done > "$TMP/rand.bin"
ok "Dpkg::Version agrees with dpkg --compare-versions (1,000 pairs)" \
    cmp "$TMP/rand.bin" <(head -1000 "$TMP/rand.dpkg")
"$MAMORI" patch --compare-versions < "$TMP/rand.in" > "$TMP/rand.got"
paste -d ' ' "$TMP/rand.in" "$TMP/rand.dpkg" "$TMP/rand.got" |
    awk '$3 != $4' > "$TMP/rand.diff"
ok "$PAIRS random pairs agree with dpkg (seed $SEED)" \
    test ! -s "$TMP/rand.diff"
[ -s "$TMP/rand.diff" ] && head -5 "$TMP/rand.diff" | sed 's/^/# /'
ok "the random pairs hold all three answers" \
    test "$(sort -u "$TMP/rand.got" | tr '\n' ' ')" = "-1 0 1 "
done_testing
