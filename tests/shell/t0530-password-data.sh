#!/bin/bash
# t0530-password-data.sh — the password data built from the word lists:
# on this machine every list is present (the built-in filter holds at
# least a million breached passwords, no list is reported missing); and
# without any list the generator still produces valid data, says what is
# missing, and pw_mkfilter turns the smaller breach list into a filter.
. "$(dirname "$0")/lib.sh"
GEN="$SOURCE_ROOT/tools/gen_password_data.py"
MKF="$BUILD_ROOT/lib/password/pw_mkfilter"

"$MAMORI" password info > "$TMP/info"
ok "info names the lists" grep -q "top 1M passwords" "$TMP/info"
ok "no list missing at build time" sh -c "! grep -q missing '$TMP/info'"
ok "breach filter holds at least 1,000,000 entries" sh -c "
    test \$(sed -n 's/^breach filter entries: //p' '$TMP/info') -ge 1000000"
ok "ENAMDICT names compiled in" grep -q "ENAMDICT person names kept" "$TMP/info"

python3 "$GEN" --no-system "$SOURCE_ROOT/data/password" "$TMP/d.c" \
    "$TMP/b.txt" 2> "$TMP/gen.err"
ok "generator without lists: succeeds" test -s "$TMP/d.c"
ok "and warns which lists are missing" grep -q "WARNING: word lists missing" "$TMP/gen.err"
ok "and the data says so" grep -q "missing at build time" "$TMP/d.c"
ok "the breach list falls back to mamori's own defaults" \
    test "$(wc -l < "$TMP/b.txt")" -ge 50
ok "pw_mkfilter builds a filter from it" sh -c "
    '$MKF' '$TMP/b.txt' '$TMP/f.c' | grep -q 'entries' && grep -q mr_pw_breach_builtin '$TMP/f.c'"
: > "$TMP/empty.txt"
ok "pw_mkfilter on an empty list: an empty filter" sh -c "
    '$MKF' '$TMP/empty.txt' '$TMP/e.c' && grep -q '.entries = 0u' '$TMP/e.c'"
ok "data compiles" sh -c "
    cc -std=c11 -D_GNU_SOURCE -I'$SOURCE_ROOT/lib' -I'$SOURCE_ROOT/include' \
      -c '$TMP/d.c' -o '$TMP/d.o' && cc -std=c11 -I'$SOURCE_ROOT/lib' \
      -I'$SOURCE_ROOT/include' -c '$TMP/f.c' -o '$TMP/f.o'"
done_testing
