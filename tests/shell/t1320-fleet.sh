#!/bin/bash
# t1320-fleet.sh — many machines in one PostgreSQL (mamori push, mamori
# fleet) against a real PostgreSQL 15 started here (tests/shell/pg.sh:
# 127.0.0.1, a free port, TLS verified in full): the schema made and made
# again, three simulated hosts pushing their own histories, a run sent
# twice stored once, the server stopped before a push and killed during
# one with every run arriving exactly once from the spool, one host's
# role unable to read, change or claim another's rows, a wrong CA
# refused, and the views in text, JSON and HTML.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"

if ! pg_available; then
    skip "mamori push and fleet against PostgreSQL" "$PG_MISSING"
    test_done
fi
test_lazy_prereq SQLITE 'command -v sqlite3'
trap 'pg_teardown; rm -rf "$TMP"' EXIT
pg_setup "$TMP" || { echo "Bail out! cannot start PostgreSQL: $(cat "$PGD/initdb.log" "$PGD/log" 2>/dev/null | tail -5)"; exit 1; }

# host NAME: its role's conninfo (add-host's hint, pointed at this server).
conn() {
    sed -e "s/ host=[^ ]*//; s/^host=[^ ]* //; s/sslmode=verify-full/sslmode=verify-full sslrootcert=${PG_CA//\//\\/} host=localhost hostaddr=127.0.0.1/" "$TMP/hint-$1"
}
# audit HOST: one more run in that host's history.
audit() {
    "$MAMORI" audit --no-system --db "$TMP/h-$1.db" -f json --fail-on none \
        "$SOURCE_ROOT/examples/logs" > /dev/null
}
push() {
    local h=$1; shift
    "$MAMORI" push --db "$(conn "$h")" --host-id "host-$h" \
        --db-history "$TMP/h-$h.db" --spool "$TMP/spool-$h" "$@"
}
q() { pg_psql -d fleet -At -c "$1"; }
# Runs in a history, and runs and findings the fleet has for a host.
local_runs() { sqlite3 "$TMP/h-$1.db" 'SELECT count(*) FROM runs'; }
local_findings() { sqlite3 "$TMP/h-$1.db" 'SELECT count(*) FROM findings'; }
fleet_runs() { q "SELECT count(*) FROM mamori.runs WHERE host_id = 'host-$1'"; }
fleet_findings() { q "SELECT count(*) FROM mamori.findings WHERE host_id = 'host-$1'"; }

test_expect_success 'fleet init makes the schema, and again leaves it' '
    "$MAMORI" fleet --db "$PG_ADMIN" init &&
    "$MAMORI" fleet --db "$PG_ADMIN" init &&
    test "$(q "SELECT count(*)::text || max(version) FROM mamori.schema_version")" = 11 &&
    test "$(q "SELECT count(*) FROM pg_policies WHERE schemaname = '"'"'mamori'"'"'")" = 8
'

test_expect_success 'add-host makes a role per host and prints its conninfo' '
    for h in a b c; do
        "$MAMORI" fleet --db "$PG_ADMIN" add-host $h > "$TMP/hint-$h" || return 1
    done &&
    grep -q "user=mamori_host_a password=[0-9a-f]\{48\} sslmode=verify-full" "$TMP/hint-a" &&
    test_must_fail "$MAMORI" fleet --db "$PG_ADMIN" add-host "x;drop" 2> err &&
    grep -q "NAME is" err
'

test_expect_success SQLITE 'three hosts push; the first push sends the newest run' '
    for h in a b c; do audit $h && audit $h || return 1; done &&
    for h in a b c; do push $h 2> err-$h || return 1; done &&
    grep -q "1 run stored" err-a &&
    test "$(fleet_runs a)" = 1 && test "$(fleet_runs c)" = 1 &&
    test "$(q "SELECT count(*) FROM mamori.hosts")" = 3 &&
    newest=$(sqlite3 "$TMP/h-a.db" "SELECT uuid FROM runs ORDER BY id DESC LIMIT 1") &&
    test "$(q "SELECT count(*) FROM mamori.findings f JOIN mamori.runs r ON r.uuid = f.run WHERE r.uuid = '"'"'$newest'"'"'")" = \
         "$(sqlite3 "$TMP/h-a.db" "SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run WHERE r.uuid = '"'"'$newest'"'"'")" &&
    test "$(q "SELECT count(*) FROM mamori.grades WHERE host_id = '"'"'host-a'"'"'")" -gt 0 &&
    test "$(q "SELECT os IS NOT NULL AND kernel <> '"'"''"'"' FROM mamori.hosts WHERE host_id = '"'"'host-a'"'"'")" = t
'

test_expect_success SQLITE 'later runs are sent once; a run sent twice is stored once' '
    audit a && audit a && push a 2> err &&
    grep -q "2 runs stored" err &&
    test "$(fleet_runs a)" = 3 &&
    push a 2> err && grep -q "0 runs stored" err &&
    rm "$TMP/spool-a/sent" && push a 2> err &&
    grep -q "1 already there" err &&
    test "$(fleet_runs a)" = 3
'

test_expect_success SQLITE 'server stopped: runs spooled (exit 0, the spool named), then sent in order exactly once' '
    pg_stop &&
    audit b && audit b && push b 2> err &&
    grep -q "warning: .*spool $TMP/spool-b" err &&
    test "$(ls "$TMP/spool-b"/*.run | wc -l)" = 2 &&
    audit b && push b 2> err && test "$(ls "$TMP/spool-b"/*.run | wc -l)" = 3 &&
    pg_start &&
    push b 2> err && grep -q "3 runs stored (3 from the spool)" err &&
    test -z "$(ls "$TMP/spool-b"/*.run 2>/dev/null)" &&
    test "$(fleet_runs b)" = 4 &&
    test "$(q "SELECT bool_and(o) FROM (SELECT started >= lag(started, 1, started) OVER (ORDER BY received, started) AS o FROM mamori.runs WHERE host_id = '"'"'host-b'"'"') x")" = t &&
    test "$(fleet_findings b)" = "$(sqlite3 "$TMP/h-b.db" "SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run WHERE r.id > 1")"
'

test_expect_success SQLITE 'server killed during a push: everything arrives exactly once' '
    for i in 1 2 3; do audit c || return 1; done &&
    { push c 2> err-kill; echo $? > rc; } &
    pg_kill; wait;
    test "$(cat rc)" = 0 &&
    pg_start &&
    push c 2> err && cat err-kill err &&
    test "$(fleet_runs c)" = 4 &&
    test "$(q "SELECT count(DISTINCT run) FROM mamori.findings WHERE host_id = '"'"'host-c'"'"'")" = 4 &&
    test "$(fleet_findings c)" = "$(sqlite3 "$TMP/h-c.db" "SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run WHERE r.id > 1")"
'

test_expect_success 'a host role sees only its own rows and cannot change or claim another host' '
    A=$(conn a) &&
    test "$("$PGBIN/psql" -X -At "$A" -c "SELECT count(*) FROM mamori.runs WHERE host_id <> '"'"'host-a'"'"'")" = 0 &&
    test "$("$PGBIN/psql" -X -At "$A" -c "SELECT count(*) FROM mamori.findings WHERE host_id = '"'"'host-b'"'"'")" = 0 &&
    test "$("$PGBIN/psql" -X -At "$A" -c "SELECT count(*) FROM mamori.hosts")" = 1 &&
    test_must_fail "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 "$A" -c "UPDATE mamori.runs SET grade = '"'"'A'"'"' WHERE host_id = '"'"'host-b'"'"'" &&
    test_must_fail "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 "$A" -c "DELETE FROM mamori.findings WHERE host_id = '"'"'host-b'"'"'" &&
    "$PGBIN/psql" -X "$A" -c "UPDATE mamori.hosts SET hostname = '"'"'x'"'"' WHERE host_id = '"'"'host-b'"'"'" > out &&
    grep -qx "UPDATE 0" out &&
    test "$(q "SELECT hostname <> '"'"'x'"'"' FROM mamori.hosts WHERE host_id = '"'"'host-b'"'"'")" = t &&
    test_must_fail "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 "$A" -c "INSERT INTO mamori.runs (uuid, host_id, started, findings, dropped) VALUES (gen_random_uuid(), '"'"'host-b'"'"', now(), 0, 0)" &&
    b_runs=$(fleet_runs b) &&
    "$MAMORI" push --db "$A" --host-id host-b --db-history "$TMP/h-a.db" --spool "$TMP/spool-claim" --newest 2> err &&
    grep -q "row-level security" err &&
    test "$(fleet_runs b)" = "$b_runs"
'

test_expect_success 'a wrong CA is refused (verify-full); push then spools' '
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=other \
        -keyout other.key -out other.crt 2> /dev/null &&
    test_expect_code 2 "$MAMORI" fleet --db "${PG_ADMIN%sslrootcert=*}sslrootcert=$TMP/other.crt" status 2> err &&
    grep -q "certificate verify failed" err &&
    audit a &&
    "$MAMORI" push --db "$(conn a | sed "s|sslrootcert=[^ ]*|sslrootcert=$TMP/other.crt|")" --host-id host-a \
        --db-history "$TMP/h-a.db" --spool "$TMP/spool-a" 2> err &&
    grep -q "certificate verify failed" err && test "$(ls "$TMP/spool-a"/*.run | wc -l)" = 1 &&
    push a && test "$(fleet_runs a)" = 4
'

test_expect_success 'the latest run per host and the problems of the latest runs are kept exactly' '
    test "$(q "SELECT count(*) FROM mamori.hosts h LEFT JOIN mamori.latest l USING (host_id)
              WHERE l.started IS DISTINCT FROM (SELECT max(started) FROM mamori.runs r WHERE r.host_id = h.host_id)")" = 0 &&
    q "SELECT f.fingerprint, count(DISTINCT f.host_id) FROM mamori.findings f
       JOIN mamori.latest l ON f.run = l.run GROUP BY 1 ORDER BY 1" > want &&
    q "SELECT fingerprint, hosts FROM mamori.current_problems WHERE hosts > 0 ORDER BY 1" > got &&
    test -s want && test_cmp want got &&
    test "$(q "SELECT count(*) FROM mamori.current_problems WHERE hosts < 0")" = 0 &&
    test_must_fail "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 "$(conn a)" -c "SELECT count(*) FROM mamori.current_problems"
'

test_expect_success JQ 'fleet status, stale, worst and finding: text, JSON, HTML' '
    "$MAMORI" fleet --db "$PG_ADMIN" > status.txt &&
    grep -q host-a status.txt && grep -q host-c status.txt &&
    "$MAMORI" fleet --db "$PG_ADMIN" status -f json > status.json &&
    test "$(jq -s "[.[] | select(.type == \"summary\") | .tables.hosts[]] | length" status.json)" = 3 &&
    q "UPDATE mamori.hosts SET last_seen = now() - interval '"'"'3 days'"'"' WHERE host_id = '"'"'host-c'"'"'" &&
    "$MAMORI" fleet --db "$PG_ADMIN" stale -f json > stale.json &&
    jq -e -s "[.[] | select(.type == \"summary\") | .tables.stale[].host] == [\"host-c\"]" stale.json &&
    "$MAMORI" fleet --db "$PG_ADMIN" stale --stale-after 4d -f json > stale4.json &&
    jq -e -s "[.[] | select(.type == \"summary\") | .tables.stale[]] == []" stale4.json &&
    "$MAMORI" fleet --db "$PG_ADMIN" worst -f json --limit 5 > worst.json &&
    fp=$(jq -r -s "[.[] | select(.type == \"summary\") | .tables.worst[0].fingerprint][0]" worst.json) &&
    test "$(jq -r -s "[.[] | select(.type == \"summary\") | .tables.worst[0].hosts][0]" worst.json)" = 3 &&
    "$MAMORI" fleet --db "$PG_ADMIN" finding "$fp" -f json > finding.json &&
    jq -e -s "[.[] | select(.type == \"summary\") | .tables.finding[].open] == [\"yes\",\"yes\",\"yes\"]" finding.json &&
    "$MAMORI" fleet --db "$PG_ADMIN" worst -f html -o fleet.html &&
    grep -q "<table" fleet.html && grep -q "$fp" fleet.html &&
    test_expect_code 2 "$MAMORI" fleet --db "$PG_ADMIN" finding nothex 2> err &&
    grep -q "32 hex digits" err
'

test_expect_success SQLITE 'push --config reads [push] and [history] of mamori.conf' '
    { echo "[history]"; echo "db = $TMP/h-b.db"; echo "[push]"; echo "db = port=$PG_PORT";
      conn b | tr " " "\n" | grep -v "^port=" | sed "s/^/  /";
      echo "host_id = host-b"; echo "spool = $TMP/spool-b"; } > mamori.conf &&
    audit b && "$MAMORI" push --config mamori.conf 2> err &&
    cat err && grep -q "1 run stored" err && n=$(fleet_runs b) && echo "runs of host-b: $n" &&
    q "SELECT uuid, started FROM mamori.runs WHERE host_id = '"'"'host-b'"'"' ORDER BY started" &&
    sqlite3 "$TMP/h-b.db" "SELECT uuid, started FROM runs" && test "$n" = 5 &&
    printf "[history]\ndb = $TMP/h-b.db\n" > off.conf &&
    "$MAMORI" push --config off.conf 2> err && grep -q "no \[push\] db" err &&
    printf "[push]\nbogus = 1\n" > bad.conf &&
    test_expect_code 2 "$MAMORI" push --config bad.conf 2> err && grep -q "bad.conf:2" err
'

test_expect_success 'push without a reachable database and no spool room exits 2' '
    test_expect_code 2 "$MAMORI" push --db "host=127.0.0.1 port=1 connect_timeout=2" --host-id host-a \
        --db-history "$TMP/h-a.db" --spool /proc/nonexistent/spool 2> err
'

test_done
