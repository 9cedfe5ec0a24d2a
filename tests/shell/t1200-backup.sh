#!/bin/bash
# t1200-backup.sh — `mamori backup`: a declaration with errors is reported
# line by line with the rest still read (tests/fixtures/backup/errors.conf
# against errors.expect); without a declaration, the backup jobs of a
# fixture root's cron files and systemd units are found with their
# repositories, borg's record of the repositories it used, and what is
# missing (no job off site); no password reaches the report; a root with none is
# "no usable copy". Then real restic and borg repositories made here:
# fresh and stale (backdated with restic backup --time and borg create
# --timestamp), generations fewer than declared, a protected path no
# snapshot holds, a wrong password, the tools missing from PATH, and
# passwords never in the report. Encryption off site and keys kept only
# here. The rules across copies: one copy on
# the live data's disk, an append-only borg repository on this machine
# (not immutable), a copy on another host (a stand-in restic in PATH
# answers for the sftp: location), an offline disk not mounted now,
# tar archives made immutable with chattr +i. Zero errors: --verify and
# --drill on good repositories and on a corrupted pack and segment; a
# locked borg repository; the audit's row on a root with a declaration.
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

"$MAMORI" backup -f json --fail-on none --root "$FX/root-backup-local" \
    > "$TMP/local.json" 2> "$TMP/local.err"
ok "jobs and borg's own record found; none off site is what is missing" \
    test "$(jq -r 'select(.type == "finding") | "\(.check) \(.repository)"' \
        "$TMP/local.json" | tr '\n' ,)" = \
    "backup.undeclared /mnt/disk/srv/,backup.undeclared /mnt/disk/borg,backup.no-offsite null,"

"$MAMORI" audit -f json --fail-on none --root "$FX/root-backup-local" \
    > "$TMP/alocal.json" 2> "$TMP/alocal.err"
ok "the audit's row without a declaration: the jobs found and what is missing" \
    test "$(jq -r 'select(.check | startswith("backup.")?) | .check' \
        "$TMP/alocal.json" | tr '\n' ,)" = \
    "backup.undeclared,backup.undeclared,backup.no-offsite,"
mkdir -p "$TMP/empty/etc"
"$MAMORI" backup -f json --fail-on none --root "$TMP/empty" \
    > "$TMP/empty.json" 2> "$TMP/empty.err"
ok "nothing declared, nothing found: no usable copy (critical)" \
    test "$(jq -r 'select(.type == "finding") | "\(.check) \(.severity)"' \
        "$TMP/empty.json")" = "backup.no-copy critical"
"$MAMORI" audit -f json --fail-on none --root "$TMP/empty" \
    > "$TMP/aempty.json" 2> "$TMP/aempty.err"
ok "the audit leaves out a root with no declaration and no job" \
    test "$(jq -r 'select(.check | startswith("backup.")?) | .check' \
        "$TMP/aempty.json")" = ""

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
# The repositories' set-up, one way for all: restic with the password
# file, borg with its passphrase (BORG_PW= for none).
restic_init() { RESTIC_PASSWORD_FILE=$R/restic.pass restic init -q -r "$1" >/dev/null; }
restic_snap() {  # REPO [backup options] PATH...
    r=$1; shift
    RESTIC_PASSWORD_FILE=$R/restic.pass restic -q -r "$r" backup "$@" >/dev/null
}
borg_init() {  # REPO [init options]
    r=$1; shift
    BORG_PASSPHRASE=${BORG_PW-s3cret-borg} borg init "$@" "$r" 2>/dev/null
}
borg_snap() {  # REPO::NAME [create options]: an archive of $R/data
    a=$1; shift
    BORG_PASSPHRASE=${BORG_PW-s3cret-borg} TZ=UTC borg create "$@" "$a" "$R/data"
}
# [protect www] ($R/data/www) and one copy: FILE NAME KIND LOCATION
# [KEY=VALUE...] for its other keys.
one_copy() {
    f=$1; printf '[protect www]\npaths = %s\n[copy %s]\nkind = %s\nlocation = %s\n' \
        "$R/data/www" "$2" "$3" "$4" > "$f"
    shift 4
    for kv; do printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >> "$f"; done
}
restic_init "$R/fresh" &&
    restic_snap "$R/fresh" --time "$old" "$R/data/www" &&
    restic_snap "$R/fresh" "$R/data/www" &&
    restic_init "$R/stale" &&
    restic_snap "$R/stale" --time "$old" "$R/data" || exit 1
borg_init "$R/borg" -e repokey &&
    borg_snap "$R/borg::old" --timestamp "$oldiso" &&
    borg_snap "$R/borg::new" || exit 1

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
jq -r 'select(.type == "finding" and .copy and
        (.check | IN("backup.never-checked", "backup.key-beside-data") | not)) | "\(.check) \(.copy) \(.evidence)"' \
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
    test "$(jq -r 'select(.copy == "stale" and .check == "backup.stale") | .age_hours' "$TMP/real.json")" = 72
ok "snapshots and archives counted (2 + 1 + 2)" \
    test "$(jq -r 'select(.type == "summary") | .counters.snapshots' \
        "$TMP/real.json")" = 5
ok "no password in the report or the diagnostics" \
    test_must_fail grep -q -e s3cret -e Wr0ngPw "$TMP/real.json" "$TMP/real.err"

# The memo (lib/backup/memo.c): restic is not run again for a repository
# whose snapshot files, keys and password file are as they were; a new
# snapshot, a file whose bytes no longer hash to its name, a password
# file changed or --no-memo: restic lists it again.
mkdir -p "$TMP/spy"
cat > "$TMP/spy/restic" <<F
#!/bin/sh
echo "\$*" >> "$TMP/spy.log"
exec $(command -v restic) "\$@"
F
chmod +x "$TMP/spy/restic"
cp -a "$R/fresh" "$R/memo"
one_copy "$R/memo.conf" m restic "$R/memo" password-file="$R/restic.pass"
memo_run() {  # name -> $TMP/memo-name.json; the count of restic runs
    n=$1; shift; : > "$TMP/spy.log"
    PATH="$TMP/spy:$PATH" "$MAMORI" backup -f json --fail-on none "$@" \
        --config "$R/memo.conf" > "$TMP/memo-$n.json" 2> "$TMP/memo-$n.err"
    wc -l < "$TMP/spy.log"
}
memo_run first > /dev/null
ok "nothing changed: restic is not run, the report is the same" \
    test "$(memo_run again)" = 0 -a -s "$TMP/memo-first.json" -a \
    "$(diff "$TMP/memo-first.json" "$TMP/memo-again.json" && echo same)" = same
ok "--no-memo: restic runs" test "$(memo_run nomemo --no-memo)" = 1
restic_snap "$R/memo" "$R/data/www" || exit 1
ok "a new snapshot: restic lists it, three counted" \
    test "$(memo_run new)" = 1 -a "$(jq -r 'select(.type == "summary") |
        .counters.snapshots' "$TMP/memo-new.json")" = 3
ok "then the memo again" test "$(memo_run new2)" = 0
touch "$R/restic.pass"
ok "the password file changed: restic runs" test "$(memo_run pw)" = 1
f=$(ls "$R"/memo/snapshots/* | head -1)
chmod u+w "$f" && printf 'X' | dd of="$f" bs=1 seek=20 conv=notrunc 2>/dev/null
ok "a snapshot file whose bytes are not its name: restic runs" \
    test "$(memo_run bad)" = 1
ok "the memo holds no password" \
    test_must_fail grep -rq s3cret "$TMP/backup"

# The last check: no job runs it, so mamori's record of its own checks
# (--verify; lib/backup/record.c) is the evidence.
judged_check() {
    jq -r 'select(.check == "backup.never-checked" or
        .check == "backup.check-failed") | "\(.check) \(.evidence)"' "$1" |
        sed "s|$R|R|g; s|[0-9-]*T[0-9:]*Z|DATE|"
}
cp -a "$R/fresh" "$R/chk"
one_copy "$R/chk.conf" c restic "$R/chk" password-file="$R/restic.pass"
chk() { "$MAMORI" backup -f json --fail-on none --config "$R/chk.conf" "$@"; }
chk > "$TMP/chk1.json" 2> "$TMP/chk.err"
ok "no job, no record: never checked, saying what was looked at" \
    test "$(judged_check "$TMP/chk1.json")" = "backup.never-checked no cron entry or systemd unit runs restic check on R/chk, and mamori has no record of checking it (--verify)"
chk --verify > /dev/null 2>&1
chk > "$TMP/chk2.json" 2> "$TMP/chk.err"
ok "mamori checked it and it passed: nothing to say" \
    test "$(judged_check "$TMP/chk2.json")" = ""
for f in "$TMP"/backup/check-*; do
    printf 'mamori-check 1 %s passed\n' $(($(date +%s) - 40 * 86400)) > "$f"
done
chk > "$TMP/chk3.json" 2> "$TMP/chk.err"
ok "passed 40 days ago: too long, with the date" \
    test "$(judged_check "$TMP/chk3.json")" = "backup.never-checked no cron entry or systemd unit runs restic check on R/chk, and mamori's last check of it (--verify) passed on DATE, 40 days ago (one counts 31 days)"
for f in "$R"/chk/data/*/*; do
    chmod u+w "$f"; printf 'XXXXXXXX' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
done
chk --verify --verify-subset 100% > /dev/null 2>&1
chk > "$TMP/chk4.json" 2> "$TMP/chk.err"
ok "its last check failed: check-failed from the record (critical)" \
    test "$(judged_check "$TMP/chk4.json")" = "backup.check-failed mamori's last check of R/chk (restic check, --verify) on DATE failed, and none has passed since"

# 3-2-1-1 with one copy on the live data's own disk.
cat > "$R/one.conf" <<C
[protect www]
paths = $R/data/www
[copy local]
kind = restic
location = $R/fresh
password-file = $R/restic.pass
C
"$MAMORI" backup -f json --fail-on none --config "$R/one.conf" \
    > "$TMP/one.json" 2> "$TMP/one.err"
ok "one copy on the live disk: too few copies, one medium, none off site or immutable" \
    test "$(jq -r 'select(.type == "finding" and
            (.check | IN("backup.never-checked", "backup.key-beside-data") | not)) | .check' "$TMP/one.json" |
        tr '\n' ,)" = \
    "backup.too-few-copies,backup.one-medium,backup.no-offsite,backup.no-immutable,"
ok "this machine can delete it, and mamori says so" \
    grep -q '"why":\["local: this machine can delete it"\]' "$TMP/one.json"

# Every rule met: a stand-in restic answers for the copy on another host.
mkdir -p "$TMP/fake"
now=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
cat > "$TMP/fake/restic" <<F
#!/bin/sh
for a; do case \$a in sftp:*)
    echo '[{"time":"$now","paths":["$R/data/www"],"id":"x"}]'; exit 0;;
esac; done
exec $(command -v restic) "\$@"
F
chmod +x "$TMP/fake/restic"
borg_init "$R/ao" -e repokey --append-only && borg_snap "$R/ao::a" || exit 1
cat > "$R/all.conf" <<C
[protect www]
paths = $R/data/www
[copy local]
kind = restic
location = $R/fresh
password-file = $R/restic.pass
[copy ao]
kind = borg
location = $R/ao
password-file = $R/borg.pass
[copy vault]
kind = restic
location = sftp:backup@vault.example.org:/srv/restic
role = offsite
append-only = yes
[copy usb]
kind = dir
location = $TMP/not-mounted-now
role = offline
C
PATH="$TMP/fake:$PATH" "$MAMORI" backup -f json --fail-on none \
    --config "$R/all.conf" > "$TMP/all.json" 2> "$TMP/all.err"
ok "five copies, three media, one off site, one immutable: no finding" \
    test "$(jq -r 'select(.type == "finding" and
        (.check | IN("backup.never-checked", "backup.key-beside-data") | not)) | .check' "$TMP/all.json")" = ""
ok "the offline disk is noted as not mounted" \
    grep -q "copy usb: .* is not mounted now (offline)" "$TMP/all.err"
cat > "$R/noao.conf" <<C
[protect www]
paths = $R/data/www
[copy local]
kind = restic
location = $R/fresh
password-file = $R/restic.pass
[copy ao]
kind = borg
location = $R/ao
password-file = $R/borg.pass
[copy vault]
kind = restic
location = sftp:backup@vault.example.org:/srv/restic
role = offsite
C
PATH="$TMP/fake:$PATH" "$MAMORI" backup -f json --fail-on none \
    --config "$R/noao.conf" > "$TMP/noao.json" 2> "$TMP/noao.err"
ok "without append-only declared, no copy is immutable" \
    test "$(jq -r 'select(.type == "finding" and
        (.check | IN("backup.never-checked", "backup.key-beside-data") | not)) | .check' "$TMP/noao.json")" = \
    backup.no-immutable
ok "a local append-only borg repository is not immutable (root rewrites its config)" \
    grep -q "ao: append-only on this machine's own disk" "$TMP/noao.json"

# chattr +i on every archive of a tar copy.
mkdir -p "$R/tars" && tar -cf "$R/tars/www-1.tar" -C "$R/data" www &&
    tar -cf "$R/tars/www-2.tar" -C "$R/data" www
if chattr +i "$R/tars/www-1.tar" "$R/tars/www-2.tar" 2>/dev/null; then
    test_when_finished "chattr -i '$R/tars/www-1.tar' '$R/tars/www-2.tar'"
    cat > "$R/tar.conf" <<C
[protect www]
paths = $R/data/www
[copy tars]
kind = tar
location = $R/tars
retention = 2
C
    "$MAMORI" backup -f json --fail-on none --config "$R/tar.conf" \
        > "$TMP/tar.json" 2> "$TMP/tar.err"
    ok "tar archives with chattr +i: immutable" \
        test_must_fail grep -q backup.no-immutable "$TMP/tar.json"
    chattr -i "$R/tars/www-2.tar"
    "$MAMORI" backup -f json --fail-on none --config "$R/tar.conf" \
        > "$TMP/tar2.json" 2> "$TMP/tar2.err"
    ok "one archive without it: not immutable" \
        grep -q backup.no-immutable "$TMP/tar2.json"
else
    skip "chattr +i" "this file system or user cannot set it"
fi

# Zero errors: --verify and --drill on the good repositories, then on
# copies with a corrupted pack (restic) and segment (borg).
cat > "$R/zero.conf" <<C
[protect www]
paths = $R/data/www
[copy r]
kind = restic
location = $R/zr
password-file = $R/restic.pass
[copy b]
kind = borg
location = $R/zb
password-file = $R/borg.pass
C
cp -a "$R/fresh" "$R/zr" && borg_init "$R/zb" -e repokey &&
    for i in $(seq 1 20); do echo "file $i" > "$R/data/www/f$i.txt"; done &&
    mkdir -p "$R/data/www/sub/deep" && echo deep > "$R/data/www/sub/deep/d.txt" &&
    borg_snap "$R/zb::a" && borg_snap "$R/zb::b" &&
    restic_snap "$R/zr" "$R/data/www" || exit 1
echo "changed since" >> "$R/data/www/f3.txt"
"$MAMORI" backup -f json --fail-on none --config "$R/zero.conf" --verify \
    --verify-subset 100% --drill --sample 1000 > "$TMP/zero.json" \
    2> "$TMP/zero.err"
ok "good repositories: checks pass, nothing to report" \
    test "$(jq -r 'select(.type == "finding") | .check' "$TMP/zero.json" |
        grep -e check -e restore)" = ""
ok "the drill restored and compared the 22 files of each (one nested), f3 changed apart" \
    test "$(jq -r 'select(.type == "summary") | .tables.checks[] |
        "\(.copy) \(.check) \(.sampled) \(.verified) \(.changed) \(.failed)"' \
        "$TMP/zero.json" | tr '\n' ,)" = "r passed 22 21 1 0,b passed 22 21 1 0,"
ok "no drill directory is left behind" \
    test "$(ls "${TMPDIR:-/tmp}" | grep -c mamori-drill)" = 0

# Corruption: bytes overwritten in every restic pack, and in the borg
# segment that holds the chunks of both archives (the first create's).
for f in "$R"/zr/data/*/* "$R"/zb/data/0/2; do
    size=$(stat -c %s "$f"); [ "$size" -gt 200 ] || continue
    chmod u+w "$f"
    printf 'XXXXXXXX' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc \
        2>/dev/null
done
"$MAMORI" backup -f json --fail-on none --config "$R/zero.conf" --verify \
    --verify-subset 100% --drill --sample 1000 > "$TMP/bad.json" \
    2> "$TMP/bad.err"
ok "a corrupted pack and segment: both checks fail (critical)" \
    test "$(jq -r 'select(.check == "backup.check-failed") |
        "\(.copy) \(.severity)"' "$TMP/bad.json" | tr '\n' ,)" = \
    "r critical,b critical,"
ok "and the drill's restore fails" \
    test "$(jq -r 'select(.check == "backup.restore-failed") | .copy' \
        "$TMP/bad.json" | tr '\n' ,)" = "r,b,"
ok "no drill directory is left behind after a failure" \
    test "$(ls "${TMPDIR:-/tmp}" | grep -c mamori-drill)" = 0

# The drill of a plain directory copy (cp -a keeps sizes and mtimes, as
# rsync -a does): every file back, compared with the live one.
mkdir -p "$R/dcopy" && cp -a "$R/data/www" "$R/dcopy/" || exit 1
one_copy "$R/dir.conf" d dir "$R/dcopy"
ddrill() {
    "$MAMORI" backup -f json --fail-on none --config "$R/dir.conf" --drill \
        --sample 1000 > "$TMP/$1.json" 2> "$TMP/$1.err"
    jq -r 'select(.type == "summary") | .tables.checks[] |
        "\(.copy) \(.sampled) \(.verified) \(.changed) \(.failed)"' \
        "$TMP/$1.json"
}
ok "a dir copy drilled: 22 files back, all as the live ones" \
    test "$(ddrill dir1)" = "d 22 22 0 0"
echo "changed since" >> "$R/data/www/f5.txt"
ok "a live file changed since is counted apart" \
    test "$(ddrill dir2)" = "d 22 21 1 0"
printf 'X' | dd of="$R/dcopy/www/f7.txt" bs=1 seek=2 conv=notrunc 2>/dev/null &&
    touch -r "$R/data/www/f7.txt" "$R/dcopy/www/f7.txt"
ok "a file of the copy with other bytes: restore-failed (critical)" \
    test "$(ddrill dir3)" = "d 22 20 1 1" -a \
    "$(jq -r 'select(.check == "backup.restore-failed") | .severity' \
        "$TMP/dir3.json")" = critical
ok "no drill directory is left behind by a dir drill" \
    test "$(ls "${TMPDIR:-/tmp}" | grep -c mamori-drill)" = 0

# The drill of tar archives: the newest listed whole (its gzip checked),
# a sample extracted by tar and compared; a damaged archive fails.
mkdir -p "$R/tgz" && tar -czf "$R/tgz/www-2.tar.gz" -C "$R/data" www &&
    touch -d '2 days ago' "$R/tgz/www-2.tar.gz" &&
    tar -czf "$R/tgz/www-3.tar.gz" -C "$R/data" www || exit 1
one_copy "$R/dir.conf" t tar "$R/tgz"
ok "a tar copy drilled: 22 files of the newest archive back, as the live ones" \
    test "$(ddrill tar1 | sed 's/^d /t /')" = "t 22 22 0 0"
f=$R/tgz/www-3.tar.gz; size=$(stat -c %s "$f")
printf 'XXXXXXXX' | dd of="$f" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
ok "a damaged archive: restore-failed, it could not be read whole" \
    test "$(jq -r 'select(.check == "backup.restore-failed") | .evidence' \
        <(ddrill tar2 > /dev/null; cat "$TMP/tar2.json") |
        grep -c 'could not be read whole')" = 1
ok "no drill directory is left behind by a tar drill" \
    test "$(ls "${TMPDIR:-/tmp}" | grep -c mamori-drill)" = 0

# Encryption: an unencrypted borg repository declared off site; a key
# kept only on this machine, and one declared kept elsewhere too.
BORG_PW= borg_init "$R/plain" -e none && BORG_PW= borg_snap "$R/plain::a" ||
    exit 1
cat > "$R/crypt.conf" <<C
[protect www]
paths = $R/data/www
[copy plain]
kind = borg
location = $R/plain
role = offsite
[copy here]
kind = restic
location = $R/fresh
password-file = $R/restic.pass
[copy safe]
kind = borg
location = $R/borg
password-file = $R/borg.pass
key-elsewhere = yes
C
"$MAMORI" backup -f json --fail-on none --config "$R/crypt.conf" \
    > "$TMP/crypt.json" 2> "$TMP/crypt.err"
ok "an unencrypted borg repository off site (high)" \
    test "$(jq -r 'select(.check == "backup.unencrypted-offsite") |
        "\(.copy) \(.severity) \(.evidence)"' "$TMP/crypt.json")" = \
    "plain high borg repository with encryption mode none, kept off site"
ok "a password kept only on this machine; none for the key kept elsewhere" \
    test "$(jq -r 'select(.check == "backup.key-beside-data") | .copy' \
        "$TMP/crypt.json")" = here

# The audit's row: a root with a declaration and a dir copy inside it.
A=$TMP/aroot
mkdir -p "$A/etc/mamori" "$A/srv/www" "$A/backup/www" &&
    echo hi > "$A/srv/www/index.html" && cp "$A/srv/www/index.html" "$A/backup/www/"
printf '[protect www]\npaths = /srv/www\n[copy disk]\nkind = dir\nlocation = /backup/www\n' \
    > "$A/etc/mamori/backup.conf"
"$MAMORI" audit -f json --fail-on none --root "$A" > "$TMP/audit.json" \
    2> "$TMP/audit.err"
ok "the audit judges a root's declared copies" \
    test "$(jq -r 'select(.check | startswith("backup.")?) | .check' \
        "$TMP/audit.json" | tr '\n' ,)" = \
    "backup.too-few-copies,backup.one-medium,backup.no-offsite,backup.no-immutable,"

# A locked repository: borg waits a second for the lock, then the copy is
# unreadable; restic lists a locked one (--no-lock).
BORG_PASSPHRASE=s3cret-borg borg with-lock "$R/borg" sleep 30 >/dev/null 2>&1 &
lockpid=$!
test_when_finished "kill $lockpid 2>/dev/null"
for i in 1 2 3 4 5 6 7 8 9 10; do
    [ -e "$R/borg/lock.roster" ] && break; sleep 0.5
done
"$MAMORI" backup -f json --fail-on none --config "$R/backup.conf" \
    > "$TMP/locked.json" 2> "$TMP/locked.err"
kill $lockpid 2>/dev/null; wait $lockpid 2>/dev/null
ok "a locked borg repository is unreadable, with borg's reason" \
    test "$(jq -r 'select(.check == "backup.copy-unreadable" and
        .copy == "borg") | .evidence' "$TMP/locked.json")" != ""
ok "the restic copies are still read" \
    test "$(jq -r 'select(.check == "backup.copy-unreadable") | .copy' \
        "$TMP/locked.json" | tr '\n' ,)" = "borg,wrongpw,"

# A declaration read from an image under --root is the image's: its
# password command is never run here.
B=$TMP/broot
mkdir -p "$B/etc/mamori" && cp -a "$R/fresh" "$B/repo" &&
    printf '[protect www]\npaths = /srv\n[copy r]\nkind = restic\nlocation = /repo\npassword-command = touch %s\n' \
        "$TMP/ran" > "$B/etc/mamori/backup.conf"
"$MAMORI" backup -f json --fail-on none --root "$B" > "$TMP/broot.json" \
    2> "$TMP/broot.err"
ok "an image's password-command is not run" test ! -e "$TMP/ran"
ok "and the copy says why it was not read" \
    grep -q "password-command: not run for a declaration read under --root" \
    "$TMP/broot.json"

# Copies on other hosts in an image's declaration are not contacted
# under --root: noted, and counted as declared.
C=$TMP/croot
mkdir -p "$C/etc/mamori" "$C/srv" && printf '%s\n' '[protect www]' \
    'paths = /srv' '[copy v]' 'kind = restic' \
    'location = sftp:backup@vault.example.org:/r' 'append-only = yes' \
    '[copy w]' 'kind = borg' 'location = ssh://b@vault2.example.org/./r' \
    'append-only = yes' > "$C/etc/mamori/backup.conf"
"$MAMORI" backup -f json --fail-on none \
    --root "$C" > "$TMP/croot.json" 2> "$TMP/croot.err"
ok "remote copies under --root: not contacted, counted as declared" \
    test "$(jq -r 'select(.type == "finding") | .check' "$TMP/croot.json")" = "" -a \
    "$(grep -c 'not contacted under --root' "$TMP/croot.err")" = 2

# Plain files on another host cannot be listed: counted as declared, and
# unencrypted off site.
printf '%s\n' '[protect www]' "paths = $R/data/www" '[copy r]' 'kind = rsync' \
    'location = backup@vault.example.org:/srv/copy' > "$R/rsync.conf"
"$MAMORI" backup -f json --fail-on none --config "$R/rsync.conf" \
    > "$TMP/rsync.json" 2> "$TMP/rsync.err"
ok "an rsync copy on another host: counted, noted, unencrypted off site" \
    test "$(jq -r 'select(.type == "finding") | .check' "$TMP/rsync.json" |
        tr '\n' ,)" = \
    "backup.unencrypted-offsite,backup.too-few-copies,backup.no-immutable," -a \
    "$(grep -c 'cannot be listed from here: counted as declared' \
        "$TMP/rsync.err")" = 1

# The audit's row reads the record of mamori backup --verify too.
V=$TMP/vroot
mkdir -p "$V/etc/mamori" "$V/srv" && cp -a "$R/fresh" "$V/repo" &&
    cp "$R/restic.pass" "$V/pw" &&
    printf '[protect www]\npaths = /srv\n[copy r]\nkind = restic\nlocation = /repo\npassword-file = /pw\n' \
        > "$V/etc/mamori/backup.conf"
vaudit() {
    "$MAMORI" audit -f json --fail-on none --root "$V" 2> /dev/null |
        jq -r 'select(.check == "backup.never-checked") | .check'
}
ok "the audit: never checked before mamori backup --verify" \
    test "$(vaudit)" = backup.never-checked
"$MAMORI" backup --fail-on none --root "$V" --verify > /dev/null 2>&1
ok "and not after it passed" test "$(vaudit)" = ""

PATH=/nonexistent "$MAMORI" backup -f json --fail-on none \
    --config "$R/backup.conf" > "$TMP/nopath.json" 2>&1
ok "restic and borg missing: each copy unreadable, no usable copy" \
    test "$(jq -r 'select(.type == "finding") | .check' "$TMP/nopath.json" |
        grep -e unreadable -e no-copy | sort | uniq -c | tr -s ' ' |
        tr '\n' ,)" = " 4 backup.copy-unreadable, 1 backup.no-copy,"
ok "a missing tool is named" \
    grep -q "restic is not installed (not found in PATH)" "$TMP/nopath.json"

done_testing
