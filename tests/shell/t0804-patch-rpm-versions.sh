#!/bin/bash
# t0804-patch-rpm-versions.sh — `mamori patch --compare-versions --rpm`
# orders versions as librpm does: hand-picked cases ('~', '^', epochs,
# releases, separators), and 100,000 random pairs of realistic RPM
# versions (tests/tools/rpmver_pairs.py) against librpm itself through
# its Python binding (python3-rpm: rpm.ver, rpmverCmp over rpmvercmp).
. "$(dirname "$0")/lib.sh"
SRC=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
PAIRS=${MAMORI_RPMVER_PAIRS:-100000}
SEED=${MAMORI_RPMVER_SEED:-13}

printf '%s\n' '1.0 1.0-1' '1.0^ 1.0' '1.0~ 1.0' 'a 1' '2:1 10:0' \
    ':1.0 1.0' '1e 1-e' '1.0- 1.0-0' '1~ 1^' '1_0 1.0' '010 10' \
    '1.0-1.el9 1.0-1.el9_2' > "$TMP/hand.in"
printf '%s\n' -1 1 -1 -1 -1 0 1 -1 -1 0 0 -1 > "$TMP/hand.want"
"$MAMORI" patch --compare-versions --rpm < "$TMP/hand.in" > "$TMP/hand.got"
ok "tilde, caret, epochs, releases, separators" \
    cmp "$TMP/hand.want" "$TMP/hand.got"
ok "--rpm without --compare-versions is a usage error" \
    sh -c '"$0" patch --rpm >/dev/null 2>&1; test $? = 2' "$MAMORI"

PY=/usr/bin/python3
if ! "$PY" -c 'import rpm; rpm.ver' 2>/dev/null; then
    skip "random pairs against librpm" "python3-rpm missing"
    done_testing
    exit
fi
python3 "$SRC/tests/tools/rpmver_pairs.py" "$PAIRS" "$SEED" > "$TMP/rand.in"
"$PY" -c '
import sys, rpm
out = []
for line in sys.stdin:
    a, b = line.split()
    x, y = rpm.ver(a), rpm.ver(b)
    out.append("-1" if x < y else "1" if x > y else "0")
print("\n".join(out))' < "$TMP/rand.in" > "$TMP/rand.rpm"
"$MAMORI" patch --compare-versions --rpm < "$TMP/rand.in" > "$TMP/rand.got"
paste -d ' ' "$TMP/rand.in" "$TMP/rand.rpm" "$TMP/rand.got" |
    awk '$3 != $4' > "$TMP/rand.diff"
ok "$PAIRS random pairs agree with librpm (seed $SEED)" \
    test ! -s "$TMP/rand.diff"
[ -s "$TMP/rand.diff" ] && head -5 "$TMP/rand.diff" | sed 's/^/# /'
ok "the random pairs hold all three answers" \
    test "$(sort -u "$TMP/rand.got" | tr '\n' ' ')" = "-1 0 1 "
done_testing
