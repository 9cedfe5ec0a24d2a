#!/bin/bash
# t0510-password-audit.sh — `mamori password audit` on exports of every
# supported password manager (tests/password/exports): reused passwords
# across sites, weak ones with reasons, breached ones; never a password
# in the output, in any format; unknown files are an input error.
. "$(dirname "$0")/lib.sh"
EX="$TESTS_DIR/password/exports"

audit_json() { "$MAMORI" password audit -f json --fail-on none "$@"; }

for f in chrome firefox bitwarden keepassxc 1password; do
    audit_json "$EX/$f.csv" > "$TMP/$f.json" 2> "$TMP/$f.err"
    ok "$f: reads the export" jq -se 'map(select(.type=="summary")) |
        .[0].counters.entries >= 3' "$TMP/$f.json"
done
ok "chrome: the reused password names both sites" jq -se '
    map(select(.check=="password.reused")) | length == 1 and
    (.[0].sites | index("mail.example.jp") and index("bank.example.jp"))' \
    "$TMP/chrome.json"
ok "chrome: taro1202 is weak with reasons" jq -se '
    map(select(.check=="password.weak" and .site=="shop.example.com")) |
    length == 1 and (.[0].reasons | index("date"))' "$TMP/chrome.json"
ok "chrome: Passw0rd is breached" jq -se '
    map(select(.check=="password.breached")) | map(.site) |
    index("news.example.org")' "$TMP/chrome.json"
ok "chrome: the strong unique one gives no finding" jq -se '
    map(select(.site=="cloud.example.net")) | length == 0' "$TMP/chrome.json"
ok "firefox: reuse across wiki and git" jq -se '
    map(select(.check=="password.reused")) | .[0].count == 2' \
    "$TMP/firefox.json"
ok "bitwarden: router default admin/admin" jq -se '
    map(select(.site=="Router" and .check=="password.weak")) |
    .[0].reasons | index("default_credential")' "$TMP/bitwarden.json"
ok "bitwarden: Suzuki1985! reused on VPN and Intranet" jq -se '
    map(select(.check=="password.reused")) | .[0].sites == ["VPN","Intranet"]' \
    "$TMP/bitwarden.json"
ok "keepassxc: BOM and header read, zaq12wsx weak" jq -se '
    map(select(.site=="NAS" and .check=="password.weak")) | length == 1' \
    "$TMP/keepassxc.json"
ok "1password: one password on three sites" jq -se '
    map(select(.check=="password.reused")) | .[0].count == 3' \
    "$TMP/1password.json"

# Never a password in any output format.
for fmt in text json sarif html; do
    for f in chrome firefox bitwarden keepassxc 1password; do
        "$MAMORI" password audit -f "$fmt" --fail-on none "$EX/$f.csv"
    done > "$TMP/all.$fmt" 2>&1
    ok "$fmt: no password appears" sh -c "! grep -E -e 'Kawa-Semi|taro1202|Passw0rd|Ruri!Kasa|Hanako0315|Suzuki1985|zaq12wsx|Mei19630417|Tsuru#Kame|qwerty2024|Hoshi!Mori|xK9#' '$TMP/all.$fmt'"
done
ok "exit 1 when findings reach --fail-on" sh -c "
    '$MAMORI' password audit '$EX/chrome.csv' >/dev/null; test \$? -eq 1"
ok "unknown CSV: exit 2 and says why" sh -c "
    '$MAMORI' password audit '$EX/unknown.csv' >/dev/null 2>'$TMP/u.err';
    test \$? -eq 2 && grep -q 'password manager export' '$TMP/u.err'"
ok "missing file: exit 2" sh -c "
    '$MAMORI' password audit '$TMP/nope.csv' >/dev/null 2>&1; test \$? -eq 2"
ok "no file: usage error" sh -c "
    '$MAMORI' password audit >/dev/null 2>&1; test \$? -eq 2"
# Several reused passwords: the findings come in the order of each
# password's first line, the same on every run (the hash key is random).
{ echo 'name,url,username,password'
  for i in 1 2 3 4; do echo "a$i,https://a$i.example,u,Reused-$((5 - i))-pass!"; done
  for i in 1 2 3 4; do echo "b$i,https://b$i.example,u,Reused-$((5 - i))-pass!"; done
} > "$TMP/reuse.csv"
audit_json "$TMP/reuse.csv" > "$TMP/reuse1.json" 2>/dev/null
audit_json "$TMP/reuse.csv" > "$TMP/reuse2.json" 2>/dev/null
audit_json "$TMP/reuse.csv" > "$TMP/reuse3.json" 2>/dev/null
ok "several reuse groups: in first-line order" jq -se '
    map(select(.check=="password.reused") | .line) == [2,3,4,5]' \
    "$TMP/reuse1.json"
ok "several reuse groups: the same report every run" sh -c "
    cmp -s '$TMP/reuse1.json' '$TMP/reuse2.json' &&
    cmp -s '$TMP/reuse1.json' '$TMP/reuse3.json'"
head -c 200000 /dev/urandom | tr -d '\000' > "$TMP/noise.csv"
{ echo 'name,url,username,password'; cat "$TMP/noise.csv"; } > "$TMP/noise2.csv"
ok "random bytes after a valid header: no crash" sh -c "
    '$MAMORI' password audit --fail-on none '$TMP/noise2.csv' >/dev/null 2>&1; test \$? -le 2"
done_testing
