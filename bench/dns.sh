#!/bin/sh
# bench/dns.sh BUILD_DIR — how fast `mamori dns` checks domains against a
# local authoritative server, and libspf2's spfquery on the same SPF
# policies. Generates DNS_DOMAINS domains (default 10000) under one zone
# served by nsd on 127.0.0.1 (a free port): each with MX, SPF (an include
# and ip4 terms), DMARC, a DKIM key and CAA. Prints domains/s for the full
# check, the seconds of one full check, and SPF evaluations/s for mamori
# (spf-eval, one process per query and one process reading them all from
# stdin) and spfquery (likewise, -file -) on DNS_SPF (default 1000) of the
# domains, with the issue's targets (1000 domains/s, one domain under
# 50 ms) as PASS/MISS. spfquery cannot be told a server, so it runs in a private
# mount namespace whose /etc/resolv.conf names a second nsd on
# 127.0.0.2:53 (root and unshare(1) needed; skipped otherwise). Nothing
# leaves 127.0.0.0/8. Output also in bench/out/dns.txt.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
N=${DNS_DOMAINS:-10000}
NSPF=${DNS_SPF:-1000}
OUT=${BENCH_OUT:-bench/out}
MAMORI=$BUILD/src/mamori
REPORT=$OUT/dns.txt
mkdir -p "$OUT" || exit 2
[ -x "$MAMORI" ] || { echo "bench: no $MAMORI (build first)" >&2; exit 2; }
command -v nsd >/dev/null || { echo "bench: nsd not installed" >&2; exit 2; }
T=$(mktemp -d /tmp/mamori-dnsbench.XXXXXX)
PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEY=$(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null |
      openssl pkey -pubout -outform DER 2>/dev/null | base64 -w0 |
      python3 -c 'import sys; k = "p=" + sys.stdin.read().strip(); print(" ".join("\"%s\"" % k[i:i+200] for i in range(0, len(k), 200)))')
awk -v n="$N" -v key="$KEY" 'BEGIN {
    print "$ORIGIN bench.test.\n$TTL 3600"
    print "@ SOA ns.bench.test. h.bench.test. 1 3600 600 86400 300\n@ NS ns.bench.test.\nns A 127.0.0.1"
    print "spf TXT \"v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all\""
    for (i = 0; i < n; i++) {
        d = "d" i
        printf "%s MX 10 mx.%s.bench.test.\nmx.%s A 127.0.0.%d\n", d, d, d, 2 + i % 200
        printf "%s TXT \"v=spf1 mx ip4:192.0.2.%d include:spf.bench.test -all\"\n", d, i % 250
        printf "_dmarc.%s TXT \"v=DMARC1; p=reject; rua=mailto:r@%s.bench.test\"\n", d, d
        printf "s1._domainkey.%s TXT \"v=DKIM1; k=rsa; \" %s\n", d, key
        printf "%s CAA 0 issue \"letsencrypt.org\"\n", d
    }
}' > "$T/bench.test.zone"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) print "d" i ".bench.test" }' > "$T/domains.txt"
nsd_conf() {  # addr port dir
    printf 'server:\n ip-address: %s@%s\n port: %s\n username: ""\n chroot: ""\n database: ""\n' "$1" "$2" "$2"
    printf ' pidfile: "%s/nsd.pid"\n xfrdfile: "%s/xfrd"\n zonelistfile: "%s/zl"\n logfile: "%s/nsd.log"\n' "$3" "$3" "$3" "$3"
    # nsd's response rate limiting (on by default in Debian's build, 200
    # answers/s per client) drops most answers to one busy client: off.
    printf ' server-count: 1\n rrl-ratelimit: 0\n rrl-whitelist-ratelimit: 0\nremote-control:\n control-enable: no\nzone:\n name: bench.test\n zonefile: %s/bench.test.zone\n' "$T"
}
mkdir -p "$T/a" "$T/b"
nsd_conf 127.0.0.1 "$PORT" "$T/a" > "$T/a/nsd.conf"
nsd -d -c "$T/a/nsd.conf" > "$T/a/out" 2>&1 &
PIDS="$PIDS $!"
sleep 2
R="--resolver 127.0.0.1:$PORT --ns-port $PORT --no-https --fail-on none --no-progress"
secs() { date +%s.%N; }   # no interpreter start-up inside the timing
# One domain alone first (the server idle), then again after the bulk run.
ta=$(secs)
# shellcheck disable=SC2086
"$MAMORI" dns $R -q d1.bench.test > /dev/null
tb=$(secs)
t0=$(secs)
# shellcheck disable=SC2086
"$MAMORI" dns $R --format json --concurrency 32 --from-file "$T/domains.txt" > "$T/out.jsonl"
t1=$(secs)
# shellcheck disable=SC2086
"$MAMORI" dns $R -q d1.bench.test > /dev/null
t2=$(secs)
checked=$(tail -n1 "$T/out.jsonl" | jq '.counters.domains')
head -n "$NSPF" "$T/domains.txt" > "$T/spf.txt"
t3=$(secs)
while read -r d; do
    # shellcheck disable=SC2086
    "$MAMORI" dns spf-eval --resolver "127.0.0.1:$PORT" --ip 203.0.113.9 --mail-from "a@$d" --helo x > /dev/null
done < "$T/spf.txt"
t4=$(secs)
# The same queries to one process each: spf-eval --stdin, spfquery -file -.
awk '{ print "203.0.113.9 a@" $1 " x" }' "$T/spf.txt" > "$T/spf-queries.txt"
t7=$(secs)
"$MAMORI" dns spf-eval --stdin --resolver "127.0.0.1:$PORT" < "$T/spf-queries.txt" > "$T/spf-stream.txt"
t8=$(secs)
streamed=$(grep -c . "$T/spf-stream.txt")
spfq="skipped (needs root, unshare and spfquery)"
spfqs="skipped"
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v spfquery >/dev/null; then
    nsd_conf 127.0.0.2 53 "$T/b" > "$T/b/nsd.conf"
    nsd -d -c "$T/b/nsd.conf" > "$T/b/out" 2>&1 &
    PIDS="$PIDS $!"
    sleep 2
    echo "nameserver 127.0.0.2" > "$T/resolv.conf"
    t5=$(secs)
    unshare -m sh -c "mount --bind '$T/resolv.conf' /etc/resolv.conf &&
        while read -r d; do spfquery -ip 203.0.113.9 -sender a@\$d -helo x >/dev/null; done < '$T/spf.txt'"
    t6=$(secs)
    spfq=$(python3 -c "print('%.0f evaluations/s' % ($NSPF / ($t6 - $t5)))")
    t9=$(secs)
    unshare -m sh -c "mount --bind '$T/resolv.conf' /etc/resolv.conf &&
        spfquery -file - < '$T/spf-queries.txt' > /dev/null"
    t10=$(secs)
    spfqs=$(python3 -c "print('%.0f evaluations/s' % ($NSPF / ($t10 - $t9)))")
fi
python3 - "$N" "$checked" "$t0" "$t1" "$t2" "$t3" "$t4" "$NSPF" "$spfq" "$ta" "$tb" "$t7" "$t8" "$streamed" "$spfqs" <<'PY' | tee "$REPORT"
import sys
n, checked, t0, t1, t2, t3, t4, nspf, spfq, ta, tb, t7, t8, streamed, spfqs = sys.argv[1:]
n = int(n); t0, t1, t2, t3, t4, ta, tb, t7, t8 = map(float, (t0, t1, t2, t3, t4, ta, tb, t7, t8))
rate = n / (t1 - t0)
one = tb - ta
after = t2 - t1
print(f"mamori dns: {checked} domains in {t1 - t0:.2f} s = {rate:.0f} domains/s "
      f"(full checks, 32 at once)  target 1000/s: {'PASS' if rate >= 1000 else 'MISS'}")
print(f"one full domain check (process start included): {one * 1000:.0f} ms  "
      f"target 50 ms: {'PASS' if one < 0.05 else 'MISS'}; "
      f"{after * 1000:.0f} ms right after the bulk run")
print(f"SPF evaluation, one process per query: mamori spf-eval "
      f"{int(nspf) / (t4 - t3):.0f} evaluations/s; libspf2 spfquery: {spfq}")
print(f"SPF evaluation, one process for all: mamori spf-eval --stdin "
      f"{int(nspf) / (t8 - t7):.0f} evaluations/s ({streamed} results); "
      f"libspf2 spfquery -file -: {spfqs}")
PY
