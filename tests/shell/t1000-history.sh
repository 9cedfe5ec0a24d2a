#!/bin/bash
# t1000-history.sh — every audit is remembered (mamori history, mamori
# diff): two audits of the same logs show nothing new; removing a log and
# adding an attacker shows the attacker as new and the removed log's
# problems as fixed, in the audit's own report and in `mamori diff`;
# runs of another scope are not compared; --no-history keeps nothing; a
# history on a full or read-only file system still prints the whole
# report and exits 2.
. "$(dirname "$0")/lib.sh"

DB=$TMP/h.db
audit() {
    "$MAMORI" audit --no-system --db "$DB" -f json --fail-on none "$@" logs
}
# One line per problem: change, check, client.
changes() {
    jq -r 'select(.type == "finding") | "\(.change) \(.check) \(.client // "-")"' | sort
}

test_expect_success 'setup: a copy of the example logs' '
    cp -r "$SOURCE_ROOT/examples/logs" logs
'

test_expect_success JQ 'two audits of the same logs: nothing new, nothing fixed' '
    audit > a1.json && audit > a2.json &&
    ! jq -e "select(.capability == \"history\")" a1.json &&
    jq -c "select(.capability == \"history\") | .counters | [.new, .fixed, .run, .previous_run]" a2.json > got &&
    echo "[0,0,2,1]" > want && test_cmp want got &&
    "$MAMORI" history --db "$DB" -f json > runs.json &&
    test "$(jq -s length runs.json)" = 2 &&
    jq -e -s ".[0].findings == .[1].findings and .[0].findings > 0 and
              .[1].exit_status == 0 and .[0].scope == .[1].scope" runs.json
'

test_expect_success JQ 'a new attacker is new, a removed log is fixed' '
    rm logs/nginx/access.log &&
    echo "203.0.113.77 - - [02/Dec/2026:10:00:00 +0000] \"GET /item.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users--%20- HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"" >> logs/apache/access.log.1 &&
    audit > a3.json &&
    jq -c "select(.capability == \"history\") | .counters.new" a3.json > got &&
    echo 1 > want && test_cmp want got &&
    jq -e "select(.capability == \"history\") | .counters.fixed > 0" a3.json &&
    "$MAMORI" diff --db "$DB" -f json --fail-on none > d.json &&
    changes < d.json > all &&
    grep "^new logscan.sqli 203.0.113.77$" all &&
    test "$(grep -c "^new " all)" = 1 &&
    grep "^fixed " all &&
    grep "^open " all &&
    jq -r "select(.type == \"finding\" and .change == \"fixed\") | .file" d.json |
        sort -u > fixed-files &&
    grep "nginx/access.log" fixed-files &&
    ! grep -v "nginx/access.log" fixed-files
'

test_expect_success JQ 'diff with runs named, and in the text report' '
    "$MAMORI" diff --db "$DB" -f json 1 2 | changes > same &&
    ! grep -v "^open " same &&
    "$MAMORI" diff --db "$DB" --fail-on none 2 3 > d.txt &&
    grep "203.0.113.77" d.txt &&
    test_expect_code 2 "$MAMORI" diff --db "$DB" 1 99 2> err &&
    grep "no run 99" err &&
    test_expect_code 2 "$MAMORI" diff --db "$DB" one 2> err &&
    grep "not a run number" err
'

test_expect_success JQ 'another scope is not compared; --no-history keeps nothing' '
    "$MAMORI" audit --no-system --db "$DB" -f json --fail-on none logs/apache > s.json &&
    ! jq -e "select(.capability == \"history\")" s.json &&
    n=$("$MAMORI" history --db "$DB" -f json --limit 0 | jq -s length) &&
    "$MAMORI" audit --no-system --db "$DB" --no-history -f json --fail-on none logs > /dev/null &&
    test "$("$MAMORI" history --db "$DB" -f json --limit 0 | jq -s length)" = "$n" &&
    test "$("$MAMORI" history --db "$DB" -f json --limit 2 | jq -s length)" = 2
'

test_expect_success 'the default place comes from MAMORI_HISTORY_DB' '
    MAMORI_HISTORY_DB=$TMP/env.db "$MAMORI" audit --no-system -q --fail-on none logs &&
    MAMORI_HISTORY_DB=$TMP/env.db "$MAMORI" history > h.txt &&
    grep -c "root=/ no-system" h.txt
'

test_expect_success 'a history that is not a database: report printed, exit 2' '
    echo "not a database" > junk.db &&
    test_expect_code 2 "$MAMORI" audit --no-system --db junk.db -f json logs > r.json 2> err &&
    grep "history junk.db" err && grep "the run is not stored" err &&
    grep "\"type\":\"finding\"" r.json &&
    test "$(cat junk.db)" = "not a database"
'

test_expect_success 'a history from a newer mamori is left untouched' '
    cp "$DB" newer.db &&
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"PRAGMA user_version=99\"); c.commit()" newer.db &&
    cp newer.db newer.before &&
    test_expect_code 2 "$MAMORI" audit --no-system --db newer.db -q logs 2> err &&
    grep "newer" err && cmp newer.db newer.before
'

test_expect_success JQ,PYTHON3 'a state seen in an earlier run says since when it is open' '
    "$MAMORI" audit --root "$TESTS_DIR/fixtures/host-bad" --db aged.db -f json --fail-on none > first.json 2>/dev/null;
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE runs SET started = started - 10*86400\"); c.commit()" aged.db &&
    "$MAMORI" audit --root "$TESTS_DIR/fixtures/host-bad" --db aged.db -f json --fail-on none > second.json 2>/dev/null;
    ! jq -e "select(.type == \"finding\") | .first_seen" first.json &&
    jq -r "select(.type == \"finding\" and .time == null) | .days_open" second.json | sort -u > days &&
    echo 10 > want && test_cmp want days &&
    jq -r "select(.type == \"finding\" and .time != null) | .first_seen" second.json | sort -u > events &&
    ! grep -v null events
'

test_expect_success JQ,PYTHON3 'a security update waiting since an earlier run has its days exposed' '
    "$MAMORI" audit --root "$TESTS_DIR/fixtures/patch-bad" --db patch.db -f json --fail-on none > /dev/null 2>&1;
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE runs SET started = started - 50*86400\"); c.commit()" patch.db &&
    "$MAMORI" audit --root "$TESTS_DIR/fixtures/patch-bad" --db patch.db -f json --fail-on none > p2.json 2>/dev/null;
    jq -r "select(.check == \"patch.pending-security-update\") | .days_exposed" p2.json | sort -u > got &&
    echo 50 > want && test_cmp want got
'

# A full disk and a read-only file system: a small tmpfs, mounted in a
# private mount namespace (root only) so that nothing outlives the test.
in_ns() { unshare --mount --propagation private -- bash -c "$1"; }
export MAMORI DB

test_expect_success ROOT,UNSHARE 'a full disk: the report is complete, exit 2' '
    mkdir small &&
    in_ns "mount -t tmpfs -o size=64k tmpfs small &&
        head -c 200000 /dev/zero > small/filler 2>/dev/null;
        \"\$MAMORI\" audit --no-system --db small/h.db -f json --fail-on none logs > r.json 2> err;
        echo \$? > status" &&
    echo 2 > want && test_cmp want status &&
    grep "history small/h.db" err &&
    audit > full.json &&
    test "$(grep -c "\"type\":\"finding\"" r.json)" = "$(grep -c "\"type\":\"finding\"" full.json)"
'

test_expect_success ROOT,UNSHARE 'a read-only file system: exit 2, nothing changed' '
    mkdir ro && cp "$DB" ro/h.db &&
    in_ns "mount --bind ro ro && mount -o remount,bind,ro ro &&
        \"\$MAMORI\" audit --no-system --db ro/h.db -f json --fail-on none logs > r.json 2> err;
        echo \$? > status; \"\$MAMORI\" history --db ro/h.db > ro-list" &&
    echo 2 > want && test_cmp want status &&
    grep "history ro/h.db" err && grep "\"type\":\"finding\"" r.json &&
    cmp ro/h.db "$DB" && grep "no-system" ro-list
'

test_done
