#!/bin/sh
# host.sh — the host review's benchmark (issue 14): `mamori host` on this
# machine and on the bad fixture root, wall time and peak resident memory
# (/usr/bin/time, fastest of 5), beside `lynis audit system --quick` on
# the same machine (one run: it takes minutes). Lynis comes with
# `scripts/install-deps.sh --bench`; without it only mamori is timed.
#
# Then the two side by side, as docs/host.md's table "Beside Lynis"
# compares them by hand: every Lynis test a mamori rule names in its
# reference (data/hostchecks/*.conf, "ref: ...; Lynis ID"), Lynis's
# verdict from its report (warning[] and suggestion[] lines,
# tests_executed) and mamori's (a finding of one of those rules, or
# none), a disagreement flagged "!!"; then the Lynis warnings and
# suggestions no rule names, with tests/fixtures/host-lynis/why-not's
# reason. The table is Markdown, to paste.
# LYNIS_REPORT=FILE compares with a report already made (no Lynis run).
#
# usage: bench/host.sh [BUILD_DIR]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
M="$BUILD/src/mamori"
[ -x "$M" ] || { echo "host.sh: build $M first (ninja -C $BUILD)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null 2>&1 ||
    { echo "host.sh: needs /usr/bin/time (package time)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cp -r "$ROOT/tests/fixtures/host-bad" "$OUT/bad"

# best WHAT CMD...: the fastest of 5 runs, "seconds KB"
best() {
    what=$1; shift
    for i in 1 2 3 4 5; do
        /usr/bin/time -f '%e %M' -o "$OUT/t" "$@" >/dev/null 2>&1 || true
        cat "$OUT/t"
    done | sort -n | head -1 > "$OUT/best"
    read -r s kb < "$OUT/best"
    printf '%-34s %8s s %8s MB\n' "$what" "$s" "$(awk "BEGIN{printf \"%.1f\", $kb/1024}")"
    echo "$s" > "$OUT/$what.s"
}

echo "== host review: wall time and peak memory (fastest of 5) =="
best "mamori host (this machine)" "$M" host --fail-on none
best "mamori host --configured" "$M" host --configured --fail-on none
best "mamori host --root fixture" "$M" host --fail-on none --root "$OUT/bad"
REPORT=${LYNIS_REPORT:-}
if [ -n "$REPORT" ]; then
    echo "lynis: comparing with $REPORT (not run)"
elif command -v lynis >/dev/null 2>&1; then
    /usr/bin/time -f '%e %M' -o "$OUT/t" lynis audit system --quick \
        --no-colors --logfile "$OUT/lynis.log" --report-file "$OUT/lynis.dat" \
        >/dev/null 2>&1 || true
    read -r s kb < "$OUT/t"
    printf '%-34s %8s s %8s MB\n' "lynis audit system --quick" "$s" \
        "$(awk "BEGIN{printf \"%.1f\", $kb/1024}")"
    m=$(cat "$OUT/mamori host (this machine).s")
    echo "mamori is $(awk "BEGIN{printf \"%.0f\", $s / ($m > 0 ? $m : 0.01)}")x faster than Lynis on this machine"
    REPORT="$OUT/lynis.dat"
else
    echo "lynis: not installed (scripts/install-deps.sh --bench), not compared"
    exit 0
fi
[ -r "$REPORT" ] || { echo "host.sh: no Lynis report at $REPORT" >&2; exit 2; }

# Lynis test -> mamori rule, from the rules' references; the rules of
# `mamori password policy` alone (view: password) are not the host's.
awk '
    function flush() {
        if (rule != "" && (view == "" || view ~ /host/))
            for (i = 1; i <= nids; i++) print ids[i], rule
        rule = ""; view = ""; nids = 0
    }
    /^[[:space:]]*$/ { flush(); next }
    /^rule:/ { rule = $2 }
    /^view:/ { view = $0 }
    /^ref:/ {
        s = $0
        while (match(s, /Lynis [A-Z]+-[0-9]+/)) {
            ids[++nids] = substr(s, RSTART + 6, RLENGTH - 6)
            s = substr(s, RSTART + RLENGTH)
        }
    }
    END { flush() }' "$ROOT"/data/hostchecks/*.conf | sort -u > "$OUT/map"

"$M" host -f json --fail-on none > "$OUT/mamori.json" 2>/dev/null || true
jq -r 'select(.type == "finding" and .rule) | .rule' "$OUT/mamori.json" |
    sort -u > "$OUT/fired"

# Lynis's verdict per test: warning, suggestion, ok (run, nothing said),
# or not run; with the first thing it said.
awk -F'|' '
    /^warning\[\]=/    { id = substr($1, 11); if (!(id in v) || v[id] != "warning") { v[id] = "warning"; t[id] = $2 } }
    /^suggestion\[\]=/ { id = substr($1, 14); if (!(id in v)) { v[id] = "suggestion"; t[id] = $2 } }
    /^tests_executed=/ { sub(/^tests_executed=/, ""); n = split($0, a, "|"); for (i = 1; i <= n; i++) ran[a[i]] = 1 }
    END {
        for (id in ran) if (!(id in v)) v[id] = "ok"
        for (id in v) printf "%s\t%s\t%s\n", id, v[id], t[id]
    }' "$REPORT" | sort > "$OUT/lynis.verdicts"

# Disagreements on purpose and the items no rule names, with the reason
# (tests/fixtures/host-lynis/why-not, which t0907-host-lynis.sh reads
# too): "ID reason".
grep -v '^#' "$ROOT/tests/fixtures/host-lynis/why-not" | grep . > "$OUT/known" ||
    : > "$OUT/known"

echo
echo "== Lynis and mamori, test by test (\"!!\": they disagree) =="
echo
echo "| Lynis | Lynis says | mamori rules (finding: *) | mamori says | |"
echo "|---|---|---|---|---|"
agree=0; differ=0
for id in $(cut -d' ' -f1 "$OUT/map" | sort -u); do
    rules=$(awk -v id="$id" '$1 == id { print $2 }' "$OUT/map")
    line=$(awk -F'\t' -v id="$id" '$1 == id' "$OUT/lynis.verdicts")
    lv=$(printf '%s' "$line" | cut -f2); lt=$(printf '%s' "$line" | cut -f3)
    [ -n "$lv" ] || lv="not run"
    shown=""; fired=0
    for r in $rules; do
        if grep -qx "$r" "$OUT/fired"; then shown="$shown $r*"; fired=1
        else shown="$shown $r"; fi
    done
    mv=$([ $fired = 1 ] && echo finding || echo "no finding")
    flag=""
    if [ "$lv" != "not run" ]; then
        lf=$([ "$lv" = warning ] || [ "$lv" = suggestion ] && echo 1 || echo 0)
        if [ "$lf" = "$fired" ]; then agree=$((agree + 1))
        else
            differ=$((differ + 1)); flag="!!"
            why=$(awk -v id="$id" '$1 == id { $1 = ""; print substr($0, 2) }' \
                "$OUT/known")
            [ -z "$why" ] || flag="!! on purpose: $why"
        fi
    fi
    printf '| %s | %s%s | %s | %s | %s |\n' "$id" "$lv" \
        "${lt:+: $lt}" "$(echo $shown | sed 's/ /, /g')" "$mv" "$flag"
done
echo
echo "Lynis tests a rule names: $((agree + differ)) run here, $agree agree, $differ disagree"
echo
echo "== Lynis warnings and suggestions no mamori rule names =="
cut -d' ' -f1 "$OUT/map" | sort -u > "$OUT/mapped"
awk -F'\t' '$2 == "warning" || $2 == "suggestion"' "$OUT/lynis.verdicts" |
    while IFS="$(printf '\t')" read -r id v t; do
        grep -qx "$id" "$OUT/mapped" && continue
        why=$(awk -v id="$id" '$1 == id { $1 = ""; print substr($0, 2) }' \
            "$OUT/known")
        printf '%s (%s): %s%s\n' "$id" "$v" "$t" "${why:+ -- $why}"
    done
