#!/bin/bash
# t0215-walk-symlinks.sh — directory links planted in a log directory
# (issue 12, defect 3): `d/a -> .`, `d/b -> .`, `d/c -> .` once made
# `mamori logscan d` walk 3^16 paths, a self-link reported every finding
# 17 times, a link to `../..` was scanned, and a planted link in a log
# directory hung `mamori audit`. Now each file is read once, links out of
# the tree are followed only with --follow, and every skipped link is named.
. "$(dirname "$0")/lib.sh"

ATTACK='203.0.113.7 - - [01/Nov/2026:10:00:00 +0900] "GET /item.php?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1" 200 512 "-" "curl/8.0"'
findings() { jq -s '[.[] | select(.type == "finding")] | length' "$1"; }

D=$TMP/tree/d
mkdir -p "$D" "$TMP/tree/out"
echo "$ATTACK" > "$D/access.log"
echo "$ATTACK" > "$TMP/tree/out/other.log"
for i in 1 2 3 4 5 6; do
    echo "Nov  1 10:00:0$i h sshd[1]: Failed password for root from 192.0.2.9 port $i ssh2"
done > "$D/auth.log"
ln -s . "$D/a"; ln -s . "$D/b"; ln -s . "$D/c"

timeout 30 "$MAMORI" logscan --format json --fail-on none "$D" > "$TMP/loop.jsonl" 2>"$TMP/loop.err"; st=$?
ok "three links to .: logscan finishes" test "$st" -eq 0
ok "three links to .: the finding is reported once" test "$(findings "$TMP/loop.jsonl")" -eq 1
ok "three links to .: each skipped link is named" test "$(grep -c 'note: link to .* inside the tree' "$TMP/loop.err")" -eq 3

timeout 30 "$MAMORI" authscan --format json --fail-on none "$D" > "$TMP/aloop.jsonl" 2>"$TMP/aloop.err"; st=$?
ok "three links to .: authscan finishes" test "$st" -eq 0
ok "three links to .: authscan counts each failure once" \
    jq -se '[.[] | select(.type == "finding")][0].attempts == 6' "$TMP/aloop.jsonl"

rm "$D/a" "$D/b" "$D/c"
ln -s . "$D/me"      # once reported every finding 17 times
ln -s self "$D/self" # a link to itself
timeout 30 "$MAMORI" logscan --format json --fail-on none "$D" > "$TMP/self.jsonl" 2>"$TMP/self.err"; st=$?
ok "one link to .: reported once" test "$(findings "$TMP/self.jsonl")" -eq 1
ok "one link to .: named" grep -q "me: note: link to .* inside the tree" "$TMP/self.err"
ok "link to itself: named" grep -q "self: note: link loop: skipped" "$TMP/self.err"
rm "$D/me"

ln -s ../.. "$D/up"
ln -s ../out "$D/ext"
timeout 30 "$MAMORI" logscan --format json --fail-on none "$D" > "$TMP/up.jsonl" 2>"$TMP/up.err"; st=$?
ok "link to ../..: not followed" test "$(findings "$TMP/up.jsonl")" -eq 1
ok "link to ../..: named" grep -q "up: note: link to the directory .* not followed" "$TMP/up.err"
ok "link out of the tree: named" grep -q "ext: note: link to the directory .*out outside the tree" "$TMP/up.err"
rm "$D/up"
timeout 30 "$MAMORI" logscan --follow --format json --fail-on none "$D" > "$TMP/follow.jsonl" 2>"$TMP/follow.err"; st=$?
ok "--follow: the directory outside is read" test "$(findings "$TMP/follow.jsonl")" -eq 2
ln -s ../.. "$TMP/tree/out/back"
timeout 30 "$MAMORI" logscan --follow --format json --fail-on none "$D" > "$TMP/follow2.jsonl" 2>"$TMP/follow2.err"; st=$?
ok "--follow into a loop: finishes, each file once" test "$st" -eq 0 -a "$(findings "$TMP/follow2.jsonl")" -eq 2
ok "--follow into a loop: the second visit is named" grep -q "already walked" "$TMP/follow2.err"

# A planted link in a log directory handed to audit.
ln -s . "$D/a"; ln -s . "$D/b"; ln -s . "$D/c"; ln -s / "$D/root"
timeout 60 "$MAMORI" audit --no-system --format json --fail-on none "$D" > "$TMP/audit.jsonl" 2>"$TMP/audit.err"; st=$?
ok "audit with planted links: does not hang" test "$st" -ne 124
ok "audit with planted links: the web finding once" \
    test "$(jq -s '[.[] | select(.type == "finding" and .category == "sqli")] | length' "$TMP/audit.jsonl")" -eq 1

done_testing
