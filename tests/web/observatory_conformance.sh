#!/bin/bash
# observatory_conformance.sh — lib/web/observatory.c against the MDN HTTP
# Observatory itself: every header set in tests/web/headers/ is graded by
# the Observatory's own analyzer (observatory.mjs, node, no network, one
# process for every set) and
# by obs_driver, and both must print the same score, grade and result
# of each of the ten tests. TAP, one case per set. Then the same live
# (observatory_live.sh): sites on 127.0.0.1 fetched by the Observatory's
# own retriever and by mamori's, which must agree on what they fetch
# too (both schemes' redirections, the CORS preflight, certificates).
# Skipped, saying so, when node or the package
# (scripts/fetch-observatory.sh) is missing.
#   observatory_conformance.sh OBS_DRIVER
set -u
driver=$1
here=$(cd "$(dirname "$0")" && pwd)
obs=${MAMORI_OBSERVATORY:-/var/cache/mamori/observatory}
pkg=$obs/node_modules/@mdn/mdn-http-observatory
if ! command -v node >/dev/null 2>&1; then
    echo "1..0 # SKIP node not found (Debian package nodejs)"
    exit 0
fi
if [ ! -f "$pkg/package.json" ]; then
    echo "1..0 # SKIP $pkg missing: run scripts/fetch-observatory.sh"
    exit 0
fi
. "$here/observatory_live.sh"
sets=("$here"/headers/*.txt)
echo "1..$((${#sets[@]} + LIVE_CASES))"
i=0
fail=0
want_all=$(mktemp)
trap 'rm -f "$want_all"' EXIT
node "$here/observatory.mjs" "$obs" "${sets[@]}" > "$want_all" 2>&1
for set in "${sets[@]}"; do
    i=$((i + 1))
    name=$(basename "$set" .txt)
    want=$(awk -v k="$i" '/^== /{on = ($2 == k); next} on' "$want_all")
    [ -n "$want" ] || want=$(cat "$want_all")
    got=$("$driver" "$set" 2>&1)
    if [ "$want" = "$got" ]; then
        echo "ok $i - $name: $(head -n 1 <<<"$got")"
    else
        echo "not ok $i - $name"
        diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
        fail=1
    fi
done
live_run
exit $fail
