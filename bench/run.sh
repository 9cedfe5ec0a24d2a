#!/bin/sh
# bench/run.sh BUILD_DIR — `make bench`: every benchmark, each comparing
# mamori with the peers its issue names, in the same run:
#   logscan   MB/s vs wc -l, a naive ripgrep rule set, GoAccess;
#             lines/s vs ModSecurity with the OWASP CRS (bench/modsec.sh)
#   authscan  lines/s vs fail2ban-regex (Debian's sshd filter)
#   password  µs per check vs passwdqc, libpwquality, zxcvbn-c
#   dns       domains/s against a local nsd; SPF vs libspf2's spfquery
#   web       one site fully checked vs testssl.sh; 100 sites at once
#   history   storing an audit of 100,000 findings, and diffing two
#   exposure  ms of the local review (sockets, firewall, probes) vs ss
#   patch     a 70 MB tracker export against 3,000 packages vs debsecan on
#             the same data; this machine vs apt-get -s and needrestart -b
#   host      the host review's wall time and memory vs lynis --quick
#   backup    10 restic repositories x 1000 snapshots; a drill vs restic restore
# BENCH=logscan (or a space-separated list) runs only those. Each writes
# its table to bench/out/<name>.txt; the README keeps the latest figures.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
status=0
# Every benchmark, one a line, in the order they run.
ALL="logscan
authscan
password
dns
patch
host
exposure
web
backup
history
fleet"
for b in ${BENCH:-$ALL}; do
    echo
    echo "=============== $b ==============="
    sh "bench/$b.sh" "$BUILD" || { echo "bench $b failed"; status=1; }
    if [ "$b" = logscan ]; then
        # the same on real-shaped traffic (long query strings, many parameters)
        echo
        echo "=============== logscan (real-shaped log) ==============="
        BENCH_SHAPE=real sh bench/logscan.sh "$BUILD" || { echo "bench logscan (real) failed"; status=1; }
    fi
done
exit $status
