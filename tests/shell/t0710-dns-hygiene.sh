#!/bin/bash
# t0710-dns-hygiene.sh — the checks of `mamori dns` that talk to a
# domain's own servers, against real servers on loopback addresses only:
# nsd on 127.0.0.1 (serves xfr.test, lame.test, open.test; hands xfr.test
# to anyone with provide-xfr, refuses lame.test), a second nsd on
# 127.0.0.2 listed as lame.test's ns2 but serving only other.test (lame
# delegation), a stand-in open resolver on 127.0.0.4
# (tests/dns/hygiene/open_resolver.py), and SMTP servers on 127.0.0.1
# (STARTTLS, TLS with a throwaway certificate) and 127.0.0.3 (none).
# DNS on one free high port, SMTP on another, reached with the test-only
# --ns-port and --smtp-port.
. "$(dirname "$0")/lib.sh"

FIX=$TESTS_DIR/dns/hygiene
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do wait "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

for tool in nsd drill openssl python3 jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        skip "mamori dns hygiene" "$tool not installed (scripts/install-deps.sh)"
        done_testing
        exit
    fi
done
# One port free on every address used (all on lo).
PORT=$(python3 -c '
import socket
for _ in range(50):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    try:
        for a in ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"):
            for t in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                x = socket.socket(socket.AF_INET, t); x.bind((a, p)); x.close()
        print(p); break
    except OSError:
        pass')
# The SMTP servers need a port of their own: nsd takes TCP on PORT too.
SPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chmod 755 "$TMP"

nsd_conf() {  # dir addr zone[:xfr]...
    local dir=$1 addr=$2
    shift 2
    mkdir -p "$dir"
    printf 'server:\n ip-address: %s@%s\n port: %s\n username: ""\n chroot: ""\n database: ""\n' "$addr" "$PORT" "$PORT"
    printf ' pidfile: "%s/nsd.pid"\n xfrdfile: "%s/xfrd"\n zonelistfile: "%s/zl"\n logfile: "%s/nsd.log"\n' "$dir" "$dir" "$dir" "$dir"
    printf ' server-count: 1\n rrl-ratelimit: 0\n rrl-whitelist-ratelimit: 0\nremote-control:\n control-enable: no\n'
    for z in "$@"; do
        printf 'zone:\n name: %s\n zonefile: %s/%s.zone\n' "${z%:xfr}" "$FIX" "${z%:xfr}"
        [ "${z%:xfr}" != "$z" ] && printf ' provide-xfr: 0.0.0.0/0 NOKEY\n'
    done
}
nsd_conf "$TMP/a" 127.0.0.1 xfr.test:xfr lame.test open.test > "$TMP/a.conf"
nsd_conf "$TMP/b" 127.0.0.2 other.test > "$TMP/b.conf"
nsd -d -c "$TMP/a.conf" > "$TMP/a.out" 2>&1 & PIDS="$PIDS $!"
nsd -d -c "$TMP/b.conf" > "$TMP/b.out" 2>&1 & PIDS="$PIDS $!"
python3 "$FIX/open_resolver.py" 127.0.0.4 "$PORT" open.test & PIDS="$PIDS $!"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/mx.key" -out "$TMP/mx.pem" \
    -days 2 -subj /CN=mx.xfr.test > "$TMP/cert.log" 2>&1
python3 "$FIX/smtp_server.py" "$SPORT" "$TMP/mx.pem" "$TMP/mx.key" > "$TMP/smtp.out" 2>&1 & PIDS="$PIDS $!"
up=0
for _ in $(seq 50); do
    if drill -p "$PORT" @127.0.0.1 xfr.test SOA 2>/dev/null | grep -q NOERROR &&
       drill -p "$PORT" @127.0.0.2 other.test SOA 2>/dev/null | grep -q NOERROR; then
        up=1; break
    fi
    sleep 0.1
done
ok "two nsd instances serve the fixtures on 127.0.0.1/.2:$PORT" test "$up" = 1
[ "$up" = 1 ] || { sed 's/^/# /' "$TMP"/a.out "$TMP"/b.out | head; done_testing; exit; }
# The Python servers: wait until both SMTP listeners accept and the open
# resolver answers (a fixed sleep loses the race on a loaded machine).
tcp_up() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for _ in $(seq 100); do
    tcp_up 127.0.0.1 "$SPORT" && tcp_up 127.0.0.3 "$SPORT" &&
        drill -p "$PORT" @127.0.0.4 . NS 2>/dev/null | grep -q NOERROR && break
    sleep 0.1
done

OUT=$TMP/out.jsonl
R=(--resolver "127.0.0.1:$PORT" --ns-port "$PORT" --smtp-port "$SPORT" --no-https --timeout 10)
"$MAMORI" dns --format json --fail-on none "${R[@]}" xfr.test lame.test open.test \
    > "$OUT" 2> "$TMP/err.txt"
st=$?
[ "$st" -eq 0 ] || sed 's/^/# stderr: /' "$TMP/err.txt" | head
ok "mamori dns exits 0 with --fail-on none" test "$st" -eq 0
# What the probes said, for whoever reads a failure.
jq -r 'select(.type == "finding") | "# \(.domain) \(.check): \(.detail)"' "$OUT"

has() {  # has DOMAIN CHECK [jq condition]
    jq -se --arg d "$1" --arg c "$2" "[.[] | select(.type == \"finding\" and .domain == \$d and .check == \$c) | select(${3:-true})] | length > 0" "$OUT"
}
hasnt() { ! has "$@"; }

ok "xfr.test: zone transfer to anyone reported" has xfr.test dns.ns.axfr '.name == "ns.xfr.test" and .severity == "medium"'
ok "lame.test: zone transfer refused: no finding" hasnt lame.test dns.ns.axfr
ok "lame.test: ns2 (127.0.0.2) is lame" has lame.test dns.ns.lame '.name == "ns2.lame.test" and (.detail | test("REFUSED"))'
ok "lame.test: ns1 is not lame" hasnt lame.test dns.ns.lame '.name == "ns1.lame.test"'
ok "xfr.test: its nameserver is not lame" hasnt xfr.test dns.ns.lame
ok "open.test: open resolver reported (high)" has open.test dns.ns.open-resolver '.name == "ns.open.test" and .severity == "high"'
ok "nsd, authoritative only, is no open resolver" sh -c "$(declare -f has hasnt); OUT='$OUT'; hasnt xfr.test dns.ns.open-resolver && hasnt lame.test dns.ns.open-resolver"
ok "open.test: the stand-in answers for its zone with authority" hasnt open.test dns.ns.lame
ok "xfr.test: MX completes STARTTLS: no finding" sh -c "$(declare -f has hasnt); OUT='$OUT'; hasnt xfr.test dns.mx.starttls && hasnt xfr.test dns.mx.smtp-unreachable"
ok "xfr.test: summary shows the TLS version" jq -se '[.[-1].tables.by_domain[] | select(.domain == "xfr.test")][0].mx | test("^1 TLSv1")' "$OUT"
ok "lame.test: MX without STARTTLS (high), banner kept" has lame.test dns.mx.starttls '.severity == "high" and (.detail | test("no STARTTLS")) and .evidence == "mx.test ESMTP test"'
ok "open.test: null MX: no SMTP probe" sh -c "$(declare -f has hasnt); OUT='$OUT'; hasnt open.test dns.mx.starttls && hasnt open.test dns.mx.smtp-unreachable"

# No SMTP server on the port: unreachable, low; --no-probe: none of it.
"$MAMORI" dns --format json --fail-on none --resolver "127.0.0.1:$PORT" --ns-port "$PORT" \
    --smtp-port 1 --no-https xfr.test > "$TMP/closed.jsonl" 2>/dev/null
ok "closed SMTP port: dns.mx.smtp-unreachable (low)" jq -se '[.[] | select(.check == "dns.mx.smtp-unreachable" and .severity == "low")] | length == 1' "$TMP/closed.jsonl"
"$MAMORI" dns --format json --fail-on none "${R[@]}" --no-probe xfr.test lame.test open.test \
    > "$TMP/noprobe.jsonl" 2>/dev/null
ok "--no-probe: no nameserver or SMTP findings" jq -se '[.[] | select(.type == "finding" and (.check | test("^dns\\.ns\\.|starttls|smtp")))] | length == 0' "$TMP/noprobe.jsonl"
"$MAMORI" dns --lang ja --fail-on none "${R[@]}" xfr.test > "$TMP/ja.txt" 2>&1
ok "--lang ja: Japanese title of the AXFR finding" grep -q "ゾーン全体を転送" "$TMP/ja.txt"
done_testing
