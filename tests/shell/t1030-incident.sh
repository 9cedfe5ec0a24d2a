#!/bin/bash
# t1030-incident.sh — mamori incident: from an audit kept in the history,
# a record of the findings that may be a break-in, in time order, with
# read-only copies of the logs that `sha256sum -c` accepts and originals
# left exactly as they were; whom to tell follows the answers on personal
# data and crime; a window with --all, a problem by fingerprint; an
# existing directory is never written over; a log gone since the audit
# is listed as missing; file names from the logs are made safe.
. "$(dirname "$0")/lib.sh"

DB=$TMP/h.db

test_expect_success JQ 'setup: an audit of the example logs' '
    cp -r "$SOURCE_ROOT/examples/logs" logs &&
    cp logs/apache/access.log.1 "logs/apache/a b;\$(touch pwned).log" &&
    "$MAMORI" audit --no-system --db "$DB" -f json --fail-on none logs > audit.json &&
    find logs -type f -exec sha256sum {} + | sort > originals.before &&
    find logs -type f -printf "%p %T@ %m\n" | sort > stat.before
'

test_expect_success JQ 'a record of what may be a break-in' '
    "$MAMORI" incident --db "$DB" --out rec > out &&
    grep "Recorded" out &&
    jq -e ".break_in and (.timeline | length) > 0" rec/record.json &&
    jq -r ".timeline[].verdict" rec/record.json | sort -u > verdicts &&
    ! grep -x attempt verdicts &&
    jq -r ".timeline[].time" rec/record.json > times && sort -c times &&
    (cd rec && sha256sum -c SHA256SUMS) &&
    test "$(find rec/evidence -type f ! -perm 0400 | wc -l)" = 0 &&
    test "$(find rec/evidence -type f | wc -l)" = "$(jq "[.evidence[] | select(.copy)] | length" rec/record.json)" &&
    ! ls pwned 2>/dev/null && ! ls rec/evidence/pwned 2>/dev/null &&
    ls rec/evidence | grep -v "^[0-9][0-9]-[A-Za-z0-9._-]*$" > bad-names;
    test ! -s bad-names
'

test_expect_success 'the originals are exactly as they were' '
    find logs -type f -exec sha256sum {} + | sort > originals.after &&
    test_cmp originals.before originals.after &&
    find logs -type f -printf "%p %T@ %m\n" | sort > stat.after &&
    test_cmp stat.before stat.after
'

test_expect_success 'whom to tell follows personal data and crime' '
    grep "Personal Information Protection Commission" rec/report.en.txt &&
    grep "個人情報保護委員会" rec/report.ja.txt &&
    grep "police" rec/report.en.txt &&
    "$MAMORI" incident --db "$DB" --out rec2 --personal-data no --crime no > /dev/null &&
    ! grep "Personal Information Protection Commission" rec2/report.en.txt &&
    ! grep "police" rec2/report.en.txt &&
    grep "CSIRT" rec2/report.en.txt &&
    grep "<table>" rec2/report.html
'

test_expect_success JQ,PYTHON3 'a window with --all, and one problem by fingerprint' '
    "$MAMORI" incident --db "$DB" --out win --all --since 2026-11-19 --until 2026-11-19T23:59:59Z > /dev/null &&
    jq -r ".timeline[].time" win/record.json | cut -c1-10 | sort -u > days &&
    echo 2026-11-19 > want && test_cmp want days &&
    jq -e "[.timeline[].verdict] | index(\"attempt\") != null" win/record.json &&
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
        \"select fingerprint from findings where check_id = ? limit 1\",
        (\"auth.brute-force\",)).fetchone()[0])" "$DB" > fp &&
    "$MAMORI" incident --db "$DB" --out one --fingerprint "$(cat fp)" > /dev/null &&
    jq -r ".timeline[].check" one/record.json | sort -u > checks &&
    echo auth.brute-force > want && test_cmp want checks
'

test_expect_success 'an existing directory is never written over' '
    mkdir taken && echo keep > taken/file &&
    test_expect_code 2 "$MAMORI" incident --db "$DB" --out taken 2> err &&
    grep "never written over" err &&
    test "$(ls taken)" = file && test "$(cat taken/file)" = keep
'

test_expect_success JQ 'a log gone since the audit is listed as missing' '
    rm logs/iis/u_ex261101.log &&
    "$MAMORI" incident --db "$DB" --out gone > /dev/null 2> err &&
    grep "evidence not copied" err &&
    jq -e "[.evidence[] | select(.copy == null and .missing)] | length == 1" gone/record.json &&
    (cd gone && sha256sum -c SHA256SUMS)
'

test_expect_success 'nothing that looks like an incident: said, nothing written' '
    mkdir clean &&
    echo "192.0.2.10 - - [01/Dec/2026:10:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"" > clean/access.log &&
    "$MAMORI" audit --no-system --db "$DB" --fail-on none clean > /dev/null &&
    "$MAMORI" incident --db "$DB" --out none > out &&
    grep "No finding" out && test ! -e none
'

test_done
