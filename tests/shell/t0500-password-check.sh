#!/bin/bash
# t0500-password-check.sh — `mamori password check`: the measured test set
# (tests/password/reject.txt must be rejected 100%, accept.txt accepted
# at least 99%; the rates are printed), JSON Lines output, languages,
# context, policies, a user breach list, hostile input, no echo.
. "$(dirname "$0")/lib.sh"
PW="$TESTS_DIR/password"

strip() { grep -v '^#' "$1" | grep -v '^$'; }

strip "$PW/reject.txt" > "$TMP/reject"
strip "$PW/accept.txt" > "$TMP/accept"
"$MAMORI" password check --stdin < "$TMP/reject" > "$TMP/reject.json"
"$MAMORI" password check --stdin < "$TMP/accept" > "$TMP/accept.json"
nrej=$(wc -l < "$TMP/reject"); nacc=$(wc -l < "$TMP/accept")
rejected=$(jq -s 'map(select(.accepted == false)) | length' "$TMP/reject.json")
accepted=$(jq -s 'map(select(.accepted == true)) | length' "$TMP/accept.json")
echo "# rejection rate: $rejected/$nrej; acceptance rate: $accepted/$nacc"
paste -d' ' "$TMP/reject" "$TMP/reject.json" | grep '"accepted":true' |
    sed 's/^/# wrongly accepted: /' | cut -c1-60
paste -d' ' "$TMP/accept" "$TMP/accept.json" | grep '"accepted":false' |
    sed 's/^/# wrongly rejected: /' | cut -c1-60
ok "one JSON line per input" test "$(wc -l < "$TMP/reject.json")" -eq "$nrej"
ok "rejects 100% of the guidance's bad passwords" test "$rejected" -eq "$nrej"
ok "accepts at least 99% of strong ones" \
    test $((accepted * 100)) -ge $((nacc * 99))
ok "at least 100 of each in the test set" test "$nrej" -ge 100 -a "$nacc" -ge 200

ok "JSON has the documented keys and types" sh -c "
    head -1 '$TMP/reject.json' | jq -e '(.accepted|type)==\"boolean\" and
      (.score|type)==\"number\" and .score>=0 and .score<=4 and
      (.guesses_log10|type)==\"number\" and (.reasons|type)==\"array\" and
      (.feedback|type)==\"string\"'"
ok "reasons name the patterns of Suzuki1985!" sh -c "
    echo 'Suzuki1985!' | '$MAMORI' password check --stdin |
    jq -e '.reasons | index(\"name\") and index(\"date\")'"
ok "keyboard walk found in zaq12wsx!" sh -c "
    echo 'Zaq12wsx!Zaq12wsx' | '$MAMORI' password check --stdin |
    jq -e '.accepted == false'"
ok "feedback in Japanese with --lang ja" sh -c "
    echo 'taro1202' | '$MAMORI' password check --stdin --lang ja |
    jq -r .feedback | grep -q 'パスワード'"
ok "the password is never echoed" sh -c "
    echo 'Hanako0315' | '$MAMORI' password check --stdin | grep -vq Hanako"
ok "single check: exit 1 on reject" sh -c "
    echo 'p@ssw0rd' | '$MAMORI' password check; test \$? -eq 1"
ok "single check: exit 0 on accept" sh -c "
    echo 'tundra-velvet-oxidize-pancake' | '$MAMORI' password check"
ok "a password on the command line is refused" sh -c "
    '$MAMORI' password check hunter2 2>&1; test \$? -eq 2"
ok "context: the user's own name rejects" sh -c "
    echo 'Matsumoto#Vw7!Qx2' | '$MAMORI' password check --stdin \
      --name 'Kenta Matsumoto' | jq -e '.reasons | index(\"personal_info\")'"
ok "nist policy: 15 characters, no classes" sh -c "
    echo 'wkzbqtrvmplxjdh' | '$MAMORI' password check --policy nist --stdin |
    jq -e '.accepted'"
ok "nist with --mfa: 8 characters" sh -c "
    echo 'wkzbqtrv!x' | '$MAMORI' password check --policy nist --mfa --stdin |
    jq -e '.accepted'"
printf 'min_length = 20\n' > "$TMP/policy.conf"
ok "policy file raises the minimum" sh -c "
    echo 'xK9#mQ2\$vL7@abcZ' | '$MAMORI' password check --policy '$TMP/policy.conf' \
      --stdin | jq -e '.reasons | index(\"too_short\")'"
printf 'min_lenght = 20\n' > "$TMP/typo.conf"
ok "a typo in the policy file is an error" sh -c "
    echo x | '$MAMORI' password check --policy '$TMP/typo.conf' --stdin; test \$? -eq 2"
printf 'Vq3!zzTop#Kestrel\n' > "$TMP/mine.txt"
ok "--breach-list rejects the user's own list" sh -c "
    echo 'Vq3!zzTop#Kestrel' | '$MAMORI' password check --breach-list '$TMP/mine.txt' \
      --stdin | jq -e '.reasons | index(\"breached\")'"
ok "without it the same password passes" sh -c "
    echo 'Vq3!zzTop#Kestrel' | '$MAMORI' password check --stdin | jq -e .accepted"
head -c 100000 /dev/urandom > "$TMP/noise"
ok "random bytes: one JSON object per line, no crash" sh -c "
    '$MAMORI' password check --stdin < '$TMP/noise' > '$TMP/noise.json';
    test \$? -le 1 && jq -e . '$TMP/noise.json' >/dev/null"
python3 -c "print('a' * 100000)" > "$TMP/long"
ok "a huge line is judged too long" sh -c "
    '$MAMORI' password check --stdin < '$TMP/long' | jq -e '.reasons | index(\"too_long\")'"
if command -v script >/dev/null; then
    ok "no echo on a terminal" sh -c "
        (sleep 1; printf 'Hanako0315\n') | script -qec '$MAMORI password check' /dev/null \
          > '$TMP/tty.out'; ! grep -q Hanako0315 '$TMP/tty.out' &&
          grep -q 'Password:' '$TMP/tty.out'"
else
    skip "no echo on a terminal" "script(1) not installed"
fi
done_testing
