#!/bin/sh
# fetch-observatory.sh — installs the MDN HTTP Observatory (npm package
# @mdn/mdn-http-observatory, MPL-2.0) into $MAMORI_OBSERVATORY (default
# /var/cache/mamori/observatory), outside the repository: nothing from
# here is ever committed or linked. Only the conformance test
# (tests/web/observatory_conformance.sh) uses it: it feeds the same header
# sets to the Observatory's own analyzer and to lib/web/observatory.c and
# requires the same score and grade. Without it that test is skipped,
# visibly; the build never needs it.
#
# The version is pinned and npm, the registry's own client, checks the
# package's integrity. Install scripts are not run: the package's
# postinstall downloads the Chromium HSTS preload list and the IANA TLD
# list over the network. The preload list is written empty instead, so
# the analyzer runs offline; the header sets use hosts that are not
# preloaded, and mamori's grader takes preload status from its caller.
# npm's own settings apply (npm_config_https_proxy, npm_config_cafile,
# npm_config_registry); see scripts/fetch-wordlists.sh. Never fatal.
set -eu

DIR=${MAMORI_OBSERVATORY:-/var/cache/mamori/observatory}
NAME=@mdn/mdn-http-observatory
VERSION=1.4.8
PKG=$DIR/node_modules/$NAME

give_up() {
    echo "fetch-observatory: WARNING: $1" >&2
    echo "fetch-observatory: the Observatory conformance test will be skipped" >&2
    exit 0
}

if ! grep -q "\"version\": *\"$VERSION\"" "$PKG/package.json" 2>/dev/null; then
    command -v npm >/dev/null 2>&1 || give_up "npm not found (Debian package npm)"
    mkdir -p "$DIR" 2>/dev/null || give_up "cannot create $DIR"
    [ -f "$DIR/package.json" ] ||
        printf '{"name":"mamori-observatory","private":true}\n' > "$DIR/package.json"
    echo "fetch-observatory: installing $NAME@$VERSION into $DIR"
    (cd "$DIR" && npm install --no-audit --no-fund --ignore-scripts --omit=dev \
        --fetch-retries=1 --fetch-retry-maxtimeout=10000 --fetch-timeout=60000 \
        --loglevel=error "$NAME@$VERSION") || give_up "npm install failed (see above)"
fi
# What the skipped postinstall would have fetched, empty: offline, and the
# same for every run.
[ -f "$PKG/conf/hsts-preload.json" ] || printf '{}\n' > "$PKG/conf/hsts-preload.json"
[ -f "$PKG/conf/tld-list.json" ] || printf '[]\n' > "$PKG/conf/tld-list.json"
echo "fetch-observatory: done"
