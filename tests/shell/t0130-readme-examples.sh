#!/bin/bash
# t0130-readme-examples.sh — the README's examples run as written. Every
# command line of its ```sh blocks that calls mamori is run from a copy of
# the repository's examples/ (the README's paths are relative to the
# checkout); lines that need this machine's own logs, root, the network or
# the build (make, sudo, /var/log, --domain, dns) are named and skipped.
# A run passes when mamori answers 0 or 1 (findings) and no line of what
# it prints through jq is a stray "null".
. "$(dirname "$0")/lib.sh"
SRC=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$(dirname "$MAMORI")
W=$TMP/w
mkdir -p "$W" && ln -s "$SRC/examples" "$W/examples"

n=0
while IFS= read -r line; do
    cmd=${line%%#*}
    case "$cmd" in
    *mamori*) ;;
    *) continue ;;
    esac
    n=$((n + 1))
    case "$cmd" in
    *make\ *|*sudo\ *|*/var/log*|*/etc/*|*--domain*|*"mamori dns"*|*--journal*)
        skip "README: $cmd" "needs this machine, root or the network"
        continue ;;
    esac
    (cd "$W" && PATH="$BIN:$PATH" bash -o pipefail -c "$cmd" >"$TMP/out" 2>"$TMP/err")
    st=$?
    ok "README runs: $cmd" test "$st" -le 1
    case "$cmd" in
    *jq*) ok "README: no stray null from: $cmd" sh -c "! grep -qx null '$TMP/out'" ;;
    esac
done < <(awk '/^```sh/ {f = 1; next} /^```/ {f = 0} f' "$SRC/README.md")
ok "the README has examples to run" test "$n" -gt 3
done_testing
