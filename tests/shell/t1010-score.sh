#!/bin/bash
# t1010-score.sh — mamori score: the grades an audit reports are the ones
# `mamori score` gives from the history and from the audit's own JSON
# report; factors no check looked at are "-", never passed; the history
# keeps the grades of every run; bad sources are named and exit 2.
. "$(dirname "$0")/lib.sh"

DB=$TMP/h.db
grades() { jq -c 'select(.type == "summary" and .capability == "score")'; }

test_expect_success JQ 'audit, history and report give the same grades' '
    "$MAMORI" audit --no-system --db "$DB" -f json --fail-on none \
        "$SOURCE_ROOT/examples/logs" > audit.json &&
    grades < audit.json > live &&
    test -s live &&
    "$MAMORI" score --db "$DB" -f json | grades > from-history &&
    "$MAMORI" score --from audit.json -f json | grades > from-report &&
    test_cmp live from-history &&
    test_cmp live from-report &&
    "$MAMORI" score -f json --from - < audit.json | grades > from-stdin &&
    test_cmp live from-stdin
'

test_expect_success JQ 'what no check looked at is not measured' '
    jq -r ".tables.factors[] | select(.factor == \"dns\" or .factor == \"backup\") | .grade + .score" live > got &&
    printf -- "--\n--\n" > want && test_cmp want got &&
    jq -e ".tables.factors[] | select(.factor == \"appsec\") | .score < 100" live &&
    jq -e ".tables.fixes_that_gain_most | length > 0" live
'

test_expect_success JQ 'the history keeps each run grades' '
    "$MAMORI" history --db "$DB" -f json > runs.json &&
    jq -e ".grades.overall.score == $(jq .counters.overall live)" runs.json &&
    jq -e ".grades.dns.grade == null" runs.json &&
    "$MAMORI" history --db "$DB" | grep -E "^ +1 .* [A-F] "
'

test_expect_success 'text and Japanese' '
    "$MAMORI" score --db "$DB" > s.txt &&
    grep "Application Security" s.txt && grep "Patching Cadence" s.txt &&
    "$MAMORI" score --db "$DB" --lang ja > s-ja.txt &&
    grep "評価を最も上げる対策" s-ja.txt
'

test_expect_success 'bad sources are named and exit 2' '
    test_expect_code 2 "$MAMORI" score --db "$TMP/none.db" 2> err &&
    grep "none.db" err &&
    test_expect_code 2 "$MAMORI" score --from "$TMP/none.json" 2> err &&
    grep "none.json" err &&
    test_expect_code 2 "$MAMORI" score --from audit.json --run 1 2> err &&
    grep "give one of them" err &&
    test_expect_code 2 "$MAMORI" score --db "$DB" --run 99 2> err &&
    grep "no run 99" err &&
    printf "garbage\n{\"type\":\"finding\"}\n" > junk.json &&
    "$MAMORI" score --from junk.json 2> err > out &&
    grep "1 lines are not JSON objects" err
'

test_done
