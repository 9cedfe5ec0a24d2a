#!/bin/bash
# t0550-password-breachlist.sh — `--breach-list FILE` in the formats the
# issue names: the Pwned Passwords SHA-1 and NTLM downloads (HASH:COUNT,
# CRLF, upper case hex) besides a plain list; detection by line shape;
# lower-case lookup; hostile lines (junk, wrong hex, overlong, NUL) are
# skipped with a clear note and never crash; a file of junk is an error.
# The fixtures are made by tests/password/breach/make-fixtures.py (NT
# hashes from openssl's MD4, not mamori's).
. "$(dirname "$0")/lib.sh"
BR="$TESTS_DIR/password/breach"

check() {  # check LIST PASSWORD: prints the reasons array
    printf '%s\n' "$2" | "$MAMORI" password check --breach-list "$1" --stdin \
        2>>"$TMP/err" | jq -c .reasons
}
breached() { check "$1" "$2" | grep -q '"breached"'; }

for fmt in sha1 ntlm; do
    L="$BR/pwned-$fmt.txt"
    ok "$fmt: a listed password is breached" breached "$L" 'Vq3!zzTop#Kestrel'
    ok "$fmt: multi-byte password (UTF-16 for NTLM)" breached "$L" '東京タワー333m!Sky'
    ok "$fmt: listed in lower case, typed capitalized" \
        breached "$L" 'Mixedcase!long#pass9'
    ok "$fmt: an unlisted strong password passes" sh -c "
        printf '%s\n' 'Wq8!mX3#pL6\$vR1xTz' | '$MAMORI' password check \
          --breach-list '$L' --stdin 2>/dev/null | jq -e .accepted"
    ok "$fmt: the format is detected and said" sh -c "
        echo x | '$MAMORI' password check --breach-list '$L' --stdin 2>&1 >/dev/null |
          grep -q 'entries ($fmt)'"
done

# Plain lists keep working; a plain list of hex-looking junk is plain.
printf 'Vq3!zzTop#Kestrel\n' > "$TMP/plain.txt"
ok "plain: a listed password is breached" breached "$TMP/plain.txt" 'Vq3!zzTop#Kestrel'
ok "plain: not mistaken for a hash list" sh -c "
    echo x | '$MAMORI' password check --breach-list '$TMP/plain.txt' --stdin 2>&1 >/dev/null |
      grep -q 'entries (plain)'"

# Hostile lines between good ones.
H="$BR/hostile-sha1.txt"
ok "hostile: good lines still load" breached "$H" 'Pl@id-Otter-91-Quill'
ok "hostile: a clear note on the skipped lines" sh -c "
    echo x | '$MAMORI' password check --breach-list '$H' --stdin 2>&1 >/dev/null |
      grep -q 'line(s) skipped: not a SHA-1 hash line'"
ok "hostile: the overlong line is named" sh -c "
    echo x | '$MAMORI' password check --breach-list '$H' --stdin 2>&1 >/dev/null |
      grep -q 'line(s) over 1024 bytes skipped'"
ok "hostile: junk lines are no entries" sh -c "
    echo x | '$MAMORI' password check --breach-list '$H' --stdin 2>&1 >/dev/null |
      grep -q 'breach list: 45 entries (sha1)'"

# Nothing usable: an error, exit 2, never a crash.
python3 -c "import sys; sys.stdout.write('A' * 300000)" > "$TMP/junk.txt"
ok "a file of one huge line is an error" sh -c "
    echo x | '$MAMORI' password check --breach-list '$TMP/junk.txt' --stdin 2>'$TMP/junk.err';
    test \$? -eq 2 && grep -q 'no usable line' '$TMP/junk.err'"
head -c 200000 /dev/urandom > "$TMP/noise"
ok "random bytes: no crash" sh -c "
    echo x | '$MAMORI' password check --breach-list '$TMP/noise' --stdin >/dev/null 2>&1;
    test \$? -le 2"
: > "$TMP/empty.txt"
ok "an empty list is an error (exit 2), not a check turned off" sh -c "
    echo 'Wq8!mX3#pL6\$vR1xTz' | '$MAMORI' password check --breach-list '$TMP/empty.txt' \
      --stdin 2>'$TMP/empty.err' >/dev/null; test \$? -eq 2 && grep -q 'no usable line' '$TMP/empty.err'"
printf '\n\r\n\n' > "$TMP/blank.txt"
ok "a list of blank lines is an error (exit 2)" sh -c "
    echo x | '$MAMORI' password check --breach-list '$TMP/blank.txt' --stdin >/dev/null 2>&1;
    test \$? -eq 2"
ok "a missing list is an error" sh -c "
    echo x | '$MAMORI' password check --breach-list '$TMP/nope' --stdin >/dev/null 2>&1;
    test \$? -eq 2"
done_testing
