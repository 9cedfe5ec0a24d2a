#!/bin/bash
# t1000-backup.sh — `mamori backup`: a declaration with errors is reported
# line by line with the rest still read (tests/fixtures/backup/errors.conf
# against errors.expect); without a declaration, the backup jobs of a
# fixture root's cron files and systemd units are found with their
# repositories and no password reaches the report; a root with none is
# "no usable copy". Then real restic and borg repositories made here:
# fresh and stale (backdated with restic backup --time and borg create
# --timestamp), generations fewer than declared, a protected path no
# snapshot holds, a wrong password, the tools missing from PATH, and
# passwords never in the report.
. "$(dirname "$0")/lib.sh"
FX="$TESTS_DIR/fixtures"

"$MAMORI" backup -f json --fail-on none --config "$FX/backup/errors.conf" \
    > "$TMP/errors.json" 2> "$TMP/errors.err"
jq -r 'select(.check == "backup.declaration") | "\(.line) \(.evidence)"' \
    "$TMP/errors.json" > "$TMP/errors.got"
ok "every declaration error with its line" \
    test_cmp "$FX/backup/errors.expect" "$TMP/errors.got"
ok "what is right is still read (one protect, one copy)" \
    test "$(jq -r 'select(.type == "summary") |
        "\(.counters.protected_paths) \(.counters.copies)"' \
        "$TMP/errors.json")" = "1 1"

"$MAMORI" backup -f json --fail-on none --config "$TMP/none.conf" \
    > "$TMP/missing.json" 2> "$TMP/missing.err"
ok "a declaration named but missing is an error of the run" \
    grep -q "cannot read the backup declaration" "$TMP/missing.err"

"$MAMORI" backup -f json --fail-on none --root "$FX/root-backup" \
    > "$TMP/found.json" 2> "$TMP/found.err"
jq -r 'select(.check == "backup.undeclared") |
    (.file | sub(".*/root-backup"; "")) +
    " \(.line) \(.tool) \(.repository) \(.scheduled)"' \
    "$TMP/found.json" > "$TMP/found.got"
cat > "$TMP/found.want" <<'W'
/etc/cron.d/restic 3 restic /srv/restic-repo yes
/etc/cron.daily/sync-home 3 rsync /mnt/second/home/ yes
/etc/cron.daily/sync-home 4 tar /var/backups/etc.tar.gz yes
/etc/systemd/system/borg-backup.service 8 borg ssh://backup@vault.example.org/./host yes
W
ok "jobs of cron and systemd found, with their repositories" \
    test_cmp "$TMP/found.want" "$TMP/found.got"
ok "no password in the report" \
    test_must_fail grep -q -e hunter2 -e correct-horse "$TMP/found.json"

mkdir -p "$TMP/empty/etc"
"$MAMORI" backup -f json --fail-on none --root "$TMP/empty" \
    > "$TMP/empty.json" 2> "$TMP/empty.err"
ok "nothing declared, nothing found: no usable copy (critical)" \
    test "$(jq -r 'select(.type == "finding") | "\(.check) \(.severity)"' \
        "$TMP/empty.json")" = "backup.no-copy critical"

if ! command -v restic >/dev/null || ! command -v borg >/dev/null; then
    skip "real repositories" "restic or borg missing"
    done_testing
    exit
fi

R=$TMP/repos
mkdir -p "$R/data/www" "$R/data/db" && echo hello > "$R/data/www/index.html"
echo 's3cret-restic' > "$R/restic.pass"
echo 's3cret-borg' > "$R/borg.pass"
old=$(date -u -d '3 days ago' '+%Y-%m-%d %H:%M:%S')
oldiso=$(date -u -d '3 days ago' '+%Y-%m-%dT%H:%M:%S')
export RESTIC_PASSWORD_FILE=$R/restic.pass
restic init -q -r "$R/fresh" >/dev/null &&
    restic -q -r "$R/fresh" backup --time "$old" "$R/data/www" >/dev/null &&
    restic -q -r "$R/fresh" backup "$R/data/www" >/dev/null &&
    restic init -q -r "$R/stale" >/dev/null &&
    restic -q -r "$R/stale" backup --time "$old" "$R/data" >/dev/null ||
    exit 1
unset RESTIC_PASSWORD_FILE
export BORG_PASSPHRASE=s3cret-borg
borg init -e repokey "$R/borg" 2>/dev/null &&
    TZ=UTC borg create --timestamp "$oldiso" "$R/borg::old" "$R/data" &&
    borg create "$R/borg::new" "$R/data" || exit 1
unset BORG_PASSPHRASE

cat > "$R/backup.conf" <<C
[protect www]
paths = $R/data/www
[protect db]
paths = $R/data/db
[copy fresh]
kind = restic
location = $R/fresh
protects = www db
retention = 7
password-file = $R/restic.pass
[copy stale]
kind = restic
location = $R/stale
password-file = $R/restic.pass
[copy borg]
kind = borg
location = $R/borg
retention = 2
password-command = cat $R/borg.pass
[copy wrongpw]
kind = restic
location = $R/fresh
password-env = MAMORI_T1000_PW
C
MAMORI_T1000_PW=Wr0ngPw-t1000 "$MAMORI" backup -f json --fail-on none \
    --config "$R/backup.conf" > "$TMP/real.json" 2> "$TMP/real.err"
jq -r 'select(.type == "finding") | "\(.check) \(.copy) \(.evidence)"' \
    "$TMP/real.json" | sed "s|$R|R|g; s|[0-9-]*T[0-9:]*Z|DATE|; s|[0-9]* h old|N h old|" \
    > "$TMP/real.got"
cat > "$TMP/real.want" <<'W'
backup.stale fresh no snapshot of R/fresh holds R/data/db
backup.retention fresh 2 generations kept, 7 declared; the oldest from DATE
backup.stale stale newest snapshot DATE, N h old; RPO 24 h
backup.copy-unreadable wrongpw restic exited with status 1: Fatal: wrong password or no key found
W
ok "fresh, stale, retention, a path not held, a wrong password" \
    test_cmp "$TMP/real.want" "$TMP/real.got"
ok "the stale copy is 3 days old" \
    test "$(jq -r 'select(.copy == "stale") | .age_hours' "$TMP/real.json")" = 72
ok "snapshots and archives counted (2 + 1 + 2)" \
    test "$(jq -r 'select(.type == "summary") | .counters.snapshots' \
        "$TMP/real.json")" = 5
ok "no password in the report or the diagnostics" \
    test_must_fail grep -q -e s3cret -e Wr0ngPw "$TMP/real.json" "$TMP/real.err"

PATH=/nonexistent "$MAMORI" backup -f json --fail-on none \
    --config "$R/backup.conf" > "$TMP/nopath.json" 2>&1
ok "restic and borg missing: each copy unreadable, no usable copy" \
    test "$(jq -r 'select(.type == "finding") | .check' "$TMP/nopath.json" |
        sort | uniq -c | tr -s ' ' | tr '\n' ,)" = \
    " 4 backup.copy-unreadable, 1 backup.no-copy,"

done_testing
