# nsd.sh — sourced by the DNS tests after lib.sh: nsd on 127.0.0.1 serving
# fixture zones, on a port of its own.
#   free_port                      prints a free port on 127.0.0.1
#   nsd_start DIR PROBE ZONEFILE...
#       writes $TMP/nsd.conf serving each ZONEFILE (named after its file:
#       NAME.zone) with DIR as zonesdir, on 127.0.0.1:$PORT (PORT is set
#       here), starts nsd and waits until PROBE answers its SOA. Sets
#       NSD_PID (the caller's clean-up stops it); returns 1 after showing
#       nsd's log when it does not answer.

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

nsd_start() {
    dir=$1 probe=$2
    shift 2
    PORT=$(free_port)
    {
        cat <<CONF
server:
    ip-address: 127.0.0.1@$PORT
    port: $PORT
    zonesdir: "$dir"
    username: ""
    chroot: ""
    database: ""
    pidfile: "$TMP/nsd.pid"
    xfrdfile: "$TMP/xfrd.state"
    zonelistfile: "$TMP/zone.list"
    logfile: "$TMP/nsd.log"
    server-count: 1
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
    verbosity: 1
remote-control:
    control-enable: no
CONF
        for f in "$@"; do
            printf 'zone:\n    name: %s\n    zonefile: %s\n' \
                "$(basename "$f" .zone)" "$f"
        done
    } > "$TMP/nsd.conf"
    nsd -d -c "$TMP/nsd.conf" > "$TMP/nsd.out" 2>&1 &
    NSD_PID=$!
    for _ in $(seq 50); do
        if drill -p "$PORT" @127.0.0.1 "$probe" SOA 2>/dev/null | grep -q NOERROR; then
            return 0
        fi
        sleep 0.1
    done
    sed 's/^/# nsd: /' "$TMP/nsd.out" "$TMP/nsd.log" 2>/dev/null | head -20
    return 1
}
