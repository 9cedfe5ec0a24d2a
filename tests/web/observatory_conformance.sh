#!/bin/bash
# observatory_conformance.sh — lib/web/observatory.c against the MDN HTTP
# Observatory itself: every header set in tests/web/headers/ is graded by
# the Observatory's own analyzer (observatory.mjs, node, no network) and
# by obs_driver, and both must print the same score, grade and result
# of each of the ten tests. TAP, one case per set. Skipped, saying so,
# when node or the package (scripts/fetch-observatory.sh) is missing.
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
sets=("$here"/headers/*.txt)
echo "1..${#sets[@]}"
i=0
fail=0
for set in "${sets[@]}"; do
    i=$((i + 1))
    name=$(basename "$set" .txt)
    want=$(node "$here/observatory.mjs" "$obs" "$set" 2>&1)
    got=$("$driver" "$set" 2>&1)
    if [ "$want" = "$got" ]; then
        echo "ok $i - $name: $(head -n 1 <<<"$got")"
    else
        echo "not ok $i - $name"
        diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
        fail=1
    fi
done
exit $fail
