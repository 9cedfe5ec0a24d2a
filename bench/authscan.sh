#!/bin/sh
# bench/authscan.sh BUILD_DIR — how fast `mamori authscan` reads a big
# auth log, next to fail2ban-regex with Debian's sshd filter on the same
# file. Generates AUTH_LINES lines (default 10 million) of sshd syslog
# with AUTH_SOURCES distinct sources (default 1 million): mostly failed
# passwords, invalid users and some accepted logins. Prints lines/s on one
# and two threads, peak RSS (GNU time %M) and the speed-up over
# fail2ban-regex, with the issue's targets as PASS/MISS. fail2ban-regex
# is slow: it reads at most F2B_LINES lines (default 200000) and its rate
# is scaled. Output also in bench/out/authscan.txt.
# AUTH_MIX=2 writes the second round's line forms too, as a UsePAM sshd
# and a mail server log them: a pam_unix line before each failed password,
# rsyslog's "message repeated", summaries, [preauth] probes, Dovecot.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
LINES=${AUTH_LINES:-10000000}
SOURCES=${AUTH_SOURCES:-1000000}
F2B_LINES=${F2B_LINES:-200000}
OUT=${BENCH_OUT:-bench/out}
MAMORI=$BUILD/src/mamori
MIX=${AUTH_MIX:-1}
LOG=$OUT/auth-$LINES-$SOURCES$( [ "$MIX" = 1 ] || echo "-mix$MIX").log
REPORT=$OUT/authscan.txt
mkdir -p "$OUT" || exit 2
[ -x "$MAMORI" ] || { echo "bench: no $MAMORI (build first)" >&2; exit 2; }
if [ ! -s "$LOG" ]; then
    echo "bench: writing $LINES lines with $SOURCES sources to $LOG"
    awk -v n="$LINES" -v s="$SOURCES" -v mix="$MIX" 'BEGIN {
        srand(1); split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ");
        for (i = 0; i < n; i++) {
            src = int(rand() * s); t = int(i * 2592000 / n);
            d = 1 + int(t / 86400); h = int(t % 86400 / 3600); m = int(t % 3600 / 60);
            ip = sprintf("%d.%d.%d.%d", 11 + int(src / 65536) % 200, int(src / 256) % 256, src % 256, 1 + src % 250);
            r = rand();
            if (r < 0.6) msg = sprintf("Failed password for root from %s port %d ssh2", ip, 1024 + i % 60000);
            else if (r < 0.9) msg = sprintf("Failed password for invalid user u%d from %s port %d ssh2", int(rand() * 5000), ip, 1024 + i % 60000);
            else if (r < 0.95) msg = sprintf("Invalid user a%d from %s port %d", int(rand() * 5000), ip, 1024 + i % 60000);
            else msg = sprintf("Accepted publickey for user%d from %s port %d ssh2", src % 300, ip, 1024 + i % 60000);
            prog = "sshd";
            if (mix == 2 && rand() < 0.25) { # the lines around those
                if (r < 0.6) msg = sprintf("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root", ip);
                else if (r < 0.7) msg = sprintf("message repeated 3 times: [ Failed password for root from %s port %d ssh2]", ip, 1024 + i % 60000);
                else if (r < 0.8) msg = sprintf("Connection closed by %s port %d [preauth]", ip, 1024 + i % 60000);
                else if (r < 0.85) msg = sprintf("Did not receive identification string from %s port %d", ip, 1024 + i % 60000);
                else if (r < 0.9) msg = sprintf("PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root", ip);
                else { prog = "dovecot"; msg = sprintf("imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<u%d@example.com>, method=PLAIN, rip=%s, lip=10.0.0.1, TLS, session=<s%d>", int(rand() * 5000), ip, i); }
            }
            if (prog == "sshd") printf "Nov %2d %02d:%02d:%02d host sshd[%d]: %s\n", d, h, m, t % 60, 1000 + i % 30000, msg;
            else printf "Nov %2d %02d:%02d:%02d host %s: %s\n", d, h, m, t % 60, prog, msg;
        } }' >"$LOG" || exit 2
fi
TIME=/usr/bin/time
run() { # threads -> "seconds maxrss_kb"
    s=$(date +%s.%N)
    $TIME -f %M -o "$OUT/time.out" "$MAMORI" authscan -j "$1" -q --fail-on none --no-progress "$LOG" >/dev/null 2>&1 || echo "bench: mamori failed" >&2
    e=$(date +%s.%N)
    echo "$(echo "$e - $s" | bc -l) $(tail -1 "$OUT/time.out")"
}
cat "$LOG" >/dev/null
set -- $(run 1); T1=$1; M1=$2
set -- $(run 2); T2=$1; M2=$2
R1=$(echo "$LINES / $T1" | bc); R2=$(echo "$LINES / $T2" | bc)
F2B="-"; X="-"
if command -v fail2ban-regex >/dev/null 2>&1; then
    head -n "$F2B_LINES" "$LOG" >"$OUT/f2b.log"
    s=$(date +%s.%N)
    fail2ban-regex "$OUT/f2b.log" /etc/fail2ban/filter.d/sshd.conf >/dev/null 2>&1
    e=$(date +%s.%N)
    F2B=$(echo "$F2B_LINES / ($e - $s)" | bc)
    X=$(echo "$R1 / $F2B" | bc)
fi
pf() { [ "$1" = "-" ] && echo "n/a" || { [ "$1" -ge "$2" ] && echo PASS || echo MISS; }; }
{
echo "mamori authscan: $LINES lines, $SOURCES distinct sources"
echo "  1 thread : $R1 lines/s  peak RSS ${M1} KB   target 2000000/s/core: $(pf "$R1" 2000000)"
echo "  2 threads: $R2 lines/s  peak RSS ${M2} KB"
echo "  fail2ban-regex (sshd.conf, $F2B_LINES lines): $F2B lines/s; mamori is ${X}x   target 100x: $(pf "$X" 100)"
echo "  memory bound 256 MB: $( [ "$M1" -le 262144 ] && echo PASS || echo MISS)"
} | tee "$REPORT"
