#!/bin/sh
# bench/authscan-real.sh BUILD_DIR LOG — mamori authscan next to
# fail2ban-regex (Debian's sshd filter, normal and aggressive modes, with
# the sshd jail's maxretry 5 / findtime 10 min applied by f2b_jail.py) on
# one real sshd log: the sources each one flags, and what mamori names.
# The figures in docs/authscan.md come from Loghub's OpenSSH_2k.log
# (github.com/logpai/loghub, OpenSSH/; "freely available for research or
# academic work", so it is not shipped here: fetch it and pass its path).
set -u
BUILD=${1:?usage: authscan-real.sh BUILD_DIR LOG}
LOG=${2:?usage: authscan-real.sh BUILD_DIR LOG}
HERE=$(cd "$(dirname "$0")" && pwd)
MAMORI=$BUILD/src/mamori
echo "== mamori authscan: findings (category severity sources accounts attempts)"
"$MAMORI" authscan -f json --fail-on none "$LOG" |
    jq -r 'select(.type=="finding") | [.category, .severity, (.sources|join(",")), (.accounts|join(",")), .attempts] | @tsv'
"$MAMORI" authscan -f json --fail-on none "$LOG" |
    jq -r 'select(.type=="finding") | .sources[]' | sort -u >"${TMPDIR:-/tmp}/mamori-sources.$$"
echo "mamori flags $(wc -l <"${TMPDIR:-/tmp}/mamori-sources.$$") sources"
if command -v fail2ban-regex >/dev/null 2>&1; then
    for mode in normal aggressive; do
        fail2ban-regex -o row "$LOG" "/etc/fail2ban/filter.d/sshd.conf[mode=$mode]" 2>/dev/null |
            python3 "$HERE/f2b_jail.py" >"${TMPDIR:-/tmp}/f2b-$mode.$$"
        awk '$3 == "BAN" {print $1}' "${TMPDIR:-/tmp}/f2b-$mode.$$" | sort -u >"${TMPDIR:-/tmp}/f2b-ban-$mode.$$"
        echo "== fail2ban sshd mode=$mode: $(wc -l <"${TMPDIR:-/tmp}/f2b-ban-$mode.$$") sources banned"
        echo "   only mamori: $(comm -23 "${TMPDIR:-/tmp}/mamori-sources.$$" "${TMPDIR:-/tmp}/f2b-ban-$mode.$$" | tr '\n' ' ')"
        echo "   only fail2ban: $(comm -13 "${TMPDIR:-/tmp}/mamori-sources.$$" "${TMPDIR:-/tmp}/f2b-ban-$mode.$$" | tr '\n' ' ')"
        rm -f "${TMPDIR:-/tmp}/f2b-$mode.$$" "${TMPDIR:-/tmp}/f2b-ban-$mode.$$"
    done
else
    echo "fail2ban-regex not installed (Debian package fail2ban)"
fi
rm -f "${TMPDIR:-/tmp}/mamori-sources.$$"
