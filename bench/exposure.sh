#!/bin/sh
# bench/exposure.sh BUILD_DIR — the local exposure review's time: inside
# a network and PID namespace created here, the servers of t1000
# (tests/fixtures/exposure/services.sh: 6 redis-server, 2 memcached,
# vsftpd, 2 sshd) behind its nftables ruleset, `mamori exposure` run
# BENCH_RUNS times (sockets, processes, the ruleset through libnftables,
# the probes: Redis PING, memcached stats, FTP anonymous, SSH's methods
# through libssh), then with --no-probe, beside `ss -ltnup` (sockets and
# processes only) as the floor. Median wall time in milliseconds.
# Needs root (unshare -n) and the servers; the issue's target is 200 ms.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
RUNS=${BENCH_RUNS:-15}
M=$PWD/$BUILD/src/mamori
FX=$PWD/tests/fixtures/exposure
OUT=bench/out
mkdir -p "$OUT"
for c in redis-server memcached vsftpd nft ss; do
    command -v "$c" >/dev/null || { echo "exposure bench: $c missing"; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/mamori-xbench.XXXXXX")
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT
W=$W FX=$FX M=$M RUNS=$RUNS unshare -n -m --mount-proc -p -f bash -c '
    . "$FX/services.sh" >/dev/null 2>&1
    nft -f "$FX/filtered.nft" || exit 1
    # median of RUNS wall times of "$@", in ms
    med() {
        for i in $(seq "$RUNS"); do
            s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
            echo $(( (e - s) / 1000 ))
        done | sort -n | awk "{a[NR]=\$1} END {printf \"%.1f\", a[int((NR+1)/2)]/1000}"
    }
    n=$(ss -Hltun | wc -l)
    echo "listeners: $n; runs: $RUNS (median)"
    echo
    echo "| what | ms |"
    echo "|---|---|"
    echo "| ss -ltnup (sockets and processes only) | $(med ss -ltnup) |"
    echo "| nft -j list ruleset | $(med nft -j list ruleset) |"
    echo "| **mamori exposure --no-probe** (sockets, processes, firewall) | **$(med "$M" exposure -f json --fail-on none --no-probe)** |"
    echo "| **mamori exposure** (the same and the probes) | **$(med "$M" exposure -f json --fail-on none)** |"
' | tee "$OUT/exposure.txt"

# --scan: all 65,535 TCP ports of one loopback address with the servers
# up, beside nmap -sT -p- (same open ports?), then 1,024 hosts x 100
# ports inside the namespace (10.98.0.0/22 is local on lo) at --rate
# 20000: the achieved rate must stay under it.
command -v nmap >/dev/null || { echo "exposure bench: nmap missing: no scan figures"; exit 0; }
W2=$(mktemp -d "${TMPDIR:-/tmp}/mamori-xbench.XXXXXX")
chmod 755 "$W2"
W=$W2 FX=$FX M=$M unshare -n -m --mount-proc -p -f bash -c '
    . "$FX/services.sh" >/dev/null 2>&1
    ip addr add 10.98.0.1/22 dev lo
    t() { s=$(date +%s%N); "$@"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) >> "$W/ms"; }
    : > "$W/ms"
    t "$M" exposure -f json --fail-on none --no-probe --scan 127.0.0.1 \
        --ports 1-65535 --rate 1000000 --concurrency 2048 > "$W/m.json"
    t nmap -sT -p- -n -T4 127.0.0.1 -oG "$W/n.txt" > /dev/null
    t "$M" exposure -f json --fail-on none --no-probe --scan 10.98.0.0/22 \
        --ports 1-100 --rate 20000 > "$W/r.json"
    jq -r "select(.type == \"summary\") | .tables.open_ports[].port" \
        "$W/m.json" | sort -n > "$W/m.ports"
    tr "," "\n" < "$W/n.txt" | grep -o "[0-9]*/open" | cut -d/ -f1 |
        sort -n > "$W/n.ports"
    ms1=$(sed -n 1p "$W/ms"); ms2=$(sed -n 2p "$W/ms"); ms3=$(sed -n 3p "$W/ms")
    tried=$(jq -r "select(.type == \"summary\") | .counters |
        .scan_open + .scan_closed + .scan_no_answer + .scan_errors" "$W/r.json")
    echo
    echo "| scan | s | open ports |"
    echo "|---|---|---|"
    echo "| **mamori exposure --scan 127.0.0.1 --ports 1-65535** | **$(awk "BEGIN{printf \"%.2f\", $ms1/1000}")** | $(wc -l < "$W/m.ports") |"
    echo "| nmap -sT -p- -T4 127.0.0.1 | $(awk "BEGIN{printf \"%.2f\", $ms2/1000}") | $(wc -l < "$W/n.ports") |"
    if cmp -s "$W/m.ports" "$W/n.ports"; then echo; echo "same open ports: yes"
    else echo; echo "same open ports: NO"; diff "$W/m.ports" "$W/n.ports"; fi
    echo "1,024 hosts x 100 ports at --rate 20000: $tried connects in $(awk "BEGIN{printf \"%.2f\", $ms3/1000}") s = $(awk "BEGIN{printf \"%d\", $tried/($ms3/1000)}")/s"
' | tee -a "$OUT/exposure.txt"
rm -rf "$W2"
