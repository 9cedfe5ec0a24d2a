#!/bin/bash
# t1000-backup.sh — `mamori backup`: a declaration with errors is reported
# line by line with the rest still read (tests/fixtures/backup/errors.conf
# against errors.expect); without a declaration, the backup jobs of a
# fixture root's cron files and systemd units are found with their
# repositories and no password reaches the report; a root with none is
# "no usable copy".
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

done_testing
