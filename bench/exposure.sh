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
