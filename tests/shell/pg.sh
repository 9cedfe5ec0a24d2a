# pg.sh — sourced by the fleet's tests and benchmark: a throwaway
# PostgreSQL 15 on 127.0.0.1 and a free port, its data directory made with
# mktemp, run as an unprivileged user (nobody when we are root), TLS with
# a CA and a certificate for "localhost" made here with openssl, so that
# clients connect with sslmode=verify-full. Never the machine's cluster.
#
#   pg_available      true when the binaries are there (else PG_MISSING
#                     says why)
#   pg_setup DIR      makes the CA, the cluster and starts it; sets
#                     PGD (data and socket), PG_PORT, PG_CA, PG_ADMIN (a
#                     conninfo for the superuser "mamori_admin" over TLS)
#   pg_start, pg_stop [MODE], pg_kill   the server
#   pg_psql SQL...    psql as the superuser over the socket
#   pg_teardown       stops the server and removes PGD
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

pg_available() {
    PG_MISSING=
    for b in initdb pg_ctl psql postgres; do
        [ -x "$PGBIN/$b" ] || { PG_MISSING="$PGBIN/$b is not installed (postgresql-15)"; return 1; }
    done
    command -v openssl > /dev/null || { PG_MISSING="openssl is not installed"; return 1; }
    command -v python3 > /dev/null || { PG_MISSING="python3 is not installed"; return 1; }
}

# Runs a command as the cluster's user.
pg_as() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

pg_setup() {
    local ca=$1
    PGD=$(mktemp -d /tmp/mamori-pg.XXXXXX) || return 1
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=mamori-test-ca \
        -keyout "$ca/ca.key" -out "$ca/ca.crt" 2> /dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
        -keyout "$PGD/server.key" -out "$ca/server.csr" 2> /dev/null &&
    printf 'subjectAltName=DNS:localhost\n' > "$ca/ext" &&
    openssl x509 -req -in "$ca/server.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" \
        -CAcreateserial -days 2 -extfile "$ca/ext" -out "$PGD/server.crt" 2> /dev/null || return 1
    PG_CA=$ca/ca.crt
    echo adminpw > "$PGD/pw"
    [ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$PGD"
    chmod 0700 "$PGD" && chmod 0600 "$PGD/server.key"
    (cd "$PGD" && pg_as "$PGBIN/initdb" -D "$PGD/data" -U mamori_admin --pwfile="$PGD/pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync > "$PGD/initdb.log" 2>&1) || return 1
    cat > "$PGD/data/pg_hba.conf" <<HBA
local all all trust
hostssl all all 127.0.0.1/32 scram-sha-256
HBA
    # synchronous_commit off on purpose: push must make its own commits
    # durable (t1310 kills the server right after runs are sent).
    cat >> "$PGD/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGD'
ssl = on
ssl_cert_file = '$PGD/server.crt'
ssl_key_file = '$PGD/server.key'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    pg_start || return 1
    PG_ADMIN="host=localhost hostaddr=127.0.0.1 port=$PG_PORT dbname=fleet user=mamori_admin password=adminpw sslmode=verify-full sslrootcert=$PG_CA"
    pg_psql -d postgres -c 'CREATE DATABASE fleet' > /dev/null
}

pg_start() {
    (cd "$PGD" && pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -t 30 start > /dev/null)
}
pg_stop() {
    (cd "$PGD" && pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -m "${1:-fast}" -w stop > /dev/null)
}
# A crash: the postmaster and its children killed at once, by their ids;
# returns when they are gone (so that the server can start again).
pg_kill() {
    local pid pids p
    pid=$(head -1 "$PGD/data/postmaster.pid" 2> /dev/null) || return 1
    pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
    kill -9 $pids 2> /dev/null
    for p in $pids; do
        while kill -0 "$p" 2> /dev/null; do :; done
    done
}
pg_psql() {
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGD" -p "$PG_PORT" -U mamori_admin "$@"
}
pg_teardown() {
    [ -n "${PGD:-}" ] || return 0
    [ -f "$PGD/data/postmaster.pid" ] && pg_stop immediate 2> /dev/null
    rm -rf "$PGD"
}
