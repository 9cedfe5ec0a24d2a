#!/bin/sh
# install-deps.sh — every Debian package mamori needs to build, test and
# benchmark, in one list. Run as root on Debian 12; installs only what is
# missing, so a second run costs a dpkg query. Called by `make run`,
# `make test` and `make bench`; never run by the library or the tool.
set -eu

# Build toolchain and libraries the code links against.
BUILD="build-essential pkg-config meson ninja-build clang libclang-rt-14-dev
       zlib1g-dev libzstd-dev libhyperscan-dev"
# Tests: unit tests, shell tests, the HTML report in a real browser.
TEST="libcmocka-dev jq gzip zstd chromium"
# Benchmarks: the peers each benchmark compares mamori with.
BENCH="ripgrep goaccess time"

PKGS="$BUILD $TEST"
[ "${1:-}" = "--bench" ] && PKGS="$PKGS $BENCH"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

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
