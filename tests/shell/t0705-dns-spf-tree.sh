#!/bin/bash
# t0705-dns-spf-tree.sh — `mamori dns` walks the SPF include/redirect
# tree as a receiver's check_host() does (issue 20): nsd on 127.0.0.1
# serves tests/dns/zones/spftree.test.zone, whose domains hide +all, a
# huge range, too many lookups, void lookups, a loop and a missing record
# one or more includes down. The domain check is held against `mamori
# dns spf-eval` for addresses nobody lists: whatever passes there must be
# an open policy in the check. Then the exit status when checks cannot
# be made (issue 12, defect 10): dns with a dead resolver, spf-eval's
# temperror and permerror.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nsd.sh"

NSD_PID=""
cleanup() {
    [ -n "$NSD_PID" ] && kill "$NSD_PID" 2>/dev/null && wait "$NSD_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

for tool in nsd drill python3 jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        skip "mamori dns SPF trees against nsd" "$tool not installed (scripts/install-deps.sh)"
        done_testing
        exit
    fi
done


chmod 755 "$TMP"
cp "$TESTS_DIR/dns/zones/spftree.test.zone" "$TMP/"
if ! nsd_start "$TMP" spftree.test "$TMP/spftree.test.zone"; then
    ok "nsd starts on 127.0.0.1" false
    done_testing
    exit
fi
ok "nsd serves spftree.test on 127.0.0.1:$PORT" true

R=(--resolver "127.0.0.1:$PORT")
NAMES="incl redir neutral wide deep void loop missing clean"
DOMAINS=""
for n in $NAMES; do DOMAINS="$DOMAINS $n.spftree.test"; done
OUT=$TMP/out.jsonl
# shellcheck disable=SC2086
"$MAMORI" dns --format json --fail-on none --no-probe --no-https "${R[@]}" \
    --timeout 10 $DOMAINS > "$OUT" 2> "$TMP/err.txt"
st=$?
[ "$st" -eq 0 ] || sed 's/^/# stderr: /' "$TMP/err.txt" | head -20
ok "mamori dns exits 0 with --fail-on none (every lookup answered)" test "$st" -eq 0

has() {  # has DOMAIN CHECK [jq condition on the finding]
    jq -se --arg d "$1" --arg c "$2" "[.[] | select(.type == \"finding\" and .domain == \$d and .check == \$c) | select(${3:-true})] | length > 0" "$OUT"
}
hasnt() { ! has "$@"; }
spf_findings() {  # the SPF check ids of DOMAIN, sorted, one line
    jq -rs --arg d "$1" '[.[] | select(.type == "finding" and .domain == $d and .category == "spf") | .check] | sort | join(" ")' "$OUT"
}

ok "incl: include of +all is critical, chain named" has incl.spftree.test dns.spf.include-pass-all \
    '.severity == "critical" and (.detail | startswith("incl.spftree.test -> include:_spf.incl.spftree.test: +all"))'
ok "incl: the fix drops the include" has incl.spftree.test dns.spf.include-pass-all \
    '.fix == "incl.spftree.test. TXT \"v=spf1 ip4:192.0.2.0/24 ~all\""'
ok "incl: the summary says the policy is open" jq -se '[.[-1].tables.by_domain[] | select(.domain == "incl.spftree.test")][0].spf == "+all via include"' "$OUT"
ok "redir: redirect to +all is critical, chain named" has redir.spftree.test dns.spf.include-pass-all \
    '.severity == "critical" and (.detail | startswith("redir.spftree.test -> redirect=_spf.redir.spftree.test: +all"))'
ok "redir: the fix ends in -all instead" has redir.spftree.test dns.spf.include-pass-all \
    '.fix == "redir.spftree.test. TXT \"v=spf1 ip4:192.0.2.0/24 -all\""'
ok "neutral: an included ?all opens nothing" test "$(spf_findings neutral.spftree.test)" = ""
ok "wide: ip4 /8 is a high wide-range finding" has wide.spftree.test dns.spf.wide-range \
    '.severity == "high" and (.detail | test("ip4:10.0.0.0/8"))'
ok "wide: ip6:::/0 one include down is critical, chain named" has wide.spftree.test dns.spf.wide-range \
    '.severity == "critical" and .name == "_spf.wide.spftree.test" and (.detail | startswith("wide.spftree.test -> include:_spf.wide.spftree.test: ip6:::/0"))'
ok "deep: 11 lookups over nested includes" has deep.spftree.test dns.spf.too-many-lookups \
    '(.detail | test("^11 DNS-querying terms")) and (.detail | test("d3.deep.spftree.test: a:host.spftree.test$"))'
ok "deep: the summary says receivers get permerror" jq -se '[.[-1].tables.by_domain[] | select(.domain == "deep.spftree.test")][0].spf == "permerror"' "$OUT"
ok "void: 3 void lookups, each with its chain" has void.spftree.test dns.spf.void-lookups \
    '(.detail | test("^3 lookups")) and (.detail | test("void.spftree.test -> include:_spf.void.spftree.test: exists:gone3.spftree.test"))'
ok "loop: l1 -> l2 -> l1 named" has loop.spftree.test dns.spf.include-loop \
    '.detail | startswith("loop.spftree.test -> include:l1.loop.spftree.test -> include:l2.loop.spftree.test -> include:l1.loop.spftree.test")'
ok "loop: the fix is the looping record without the term" has loop.spftree.test dns.spf.include-loop \
    '.name == "l2.loop.spftree.test" and .fix == "l2.loop.spftree.test. TXT \"v=spf1 -all\""'
ok "missing: include of a name without SPF" has missing.spftree.test dns.spf.include-missing \
    '.detail | test("include:nospf.spftree.test: no SPF record there")'
ok "clean: a nested tree of 7 lookups gives no SPF finding" test "$(spf_findings clean.spftree.test)" = ""

# The check against the evaluator: for addresses that no record lists,
# a pass from spf-eval means the check must call the policy open.
open_reported() {  # open_reported DOMAIN IPv4|IPv6: a finding says anyone passes
    jq -se --arg d "$1" --arg fam "every address|every $2 address" '[.[] |
        select(.type == "finding" and .domain == $d and
        (.check == "dns.spf.all-pass" or
         ((.check == "dns.spf.include-pass-all" or .check == "dns.spf.wide-range") and
          .severity == "critical" and (.detail | test($fam)))))] | length > 0' "$OUT"
}
not_open() { ! open_reported "$@"; }
for n in $NAMES; do
    d=$n.spftree.test
    for ip in 203.0.113.77 2001:db8:ffff::1; do
        fam=IPv4; case $ip in *:*) fam=IPv6 ;; esac
        res=$("$MAMORI" dns spf-eval "${R[@]}" --ip "$ip" --mail-from "a@$d" --helo x 2>/dev/null | sed -n 's/^result: //p')
        if [ "$res" = pass ]; then
            ok "$d: spf-eval passes $ip; the check calls the policy open" open_reported "$d" "$fam"
        else
            ok "$d: spf-eval gives ${res:-nothing} for $ip; the check does not call it open" not_open "$d" "$fam"
        fi
    done
done

# Exit status (issue 12, defect 10): a check that could not be made is
# exit 2, never a clean result.
"$MAMORI" dns --format json --fail-on none --no-probe --no-https \
    --resolver 127.0.0.1:1 --timeout 2 incl.spftree.test > "$TMP/dead.jsonl" 2> "$TMP/dead.err"
st=$?
ok "dns: every lookup failing is exit 2, even with --fail-on none" test "$st" -eq 2
ok "dns: standard error says which domain was not fully checked" \
    grep -q "incl.spftree.test: error: .*lookups failed: not every check could be made" "$TMP/dead.err"
ok "dns: the report still lists the failed lookups" jq -se '[.[] | select(.check == "dns.lookup")] | length >= 1' "$TMP/dead.jsonl"

"$MAMORI" audit --no-system --domain incl.spftree.test --resolver 127.0.0.1:1 \
    --format json --fail-on none > /dev/null 2> "$TMP/audit.err"
st=$?
ok "audit --domain: a failed lookup is exit 2 too" test "$st" -eq 2
"$MAMORI" audit --no-system --domain incl.spftree.test "${R[@]}" \
    --format json --fail-on none > "$TMP/audit.jsonl" 2> "$TMP/audit.err"
st=$?
ok "audit --domain: answered lookups, exit 0 with --fail-on none" test "$st" -eq 0
ok "audit --domain: the include of +all is reported" jq -se '[.[] | select(.check == "dns.spf.include-pass-all")] | length == 1' "$TMP/audit.jsonl"

spf_eval() { "$MAMORI" dns spf-eval "$@" >/dev/null 2>&1; echo $?; }
ok "spf-eval: pass is exit 0" test "$(spf_eval "${R[@]}" --ip 192.0.2.5 --mail-from a@incl.spftree.test --helo x)" -eq 0
ok "spf-eval: fail is exit 0" test "$(spf_eval "${R[@]}" --ip 203.0.113.77 --mail-from a@clean.spftree.test --helo x)" -eq 0
ok "spf-eval: none is exit 0" test "$(spf_eval "${R[@]}" --ip 203.0.113.77 --mail-from a@nospf.spftree.test --helo x)" -eq 0
ok "spf-eval: permerror is exit 1" test "$(spf_eval "${R[@]}" --ip 203.0.113.77 --mail-from a@missing.spftree.test --helo x)" -eq 1
ok "spf-eval: temperror is exit 2" test "$(spf_eval --resolver 127.0.0.1:1 --timeout 2 --ip 203.0.113.77 --mail-from a@incl.spftree.test --helo x)" -eq 2
printf '192.0.2.5 a@incl.spftree.test x\n203.0.113.77 a@missing.spftree.test x\n' |
    "$MAMORI" dns spf-eval --stdin "${R[@]}" > "$TMP/stream.txt" 2>&1; st=$?
ok "spf-eval --stdin: a permerror line makes exit 1" test "$st" -eq 1
printf '192.0.2.5 a@incl.spftree.test x\n' |
    "$MAMORI" dns spf-eval --stdin "${R[@]}" > "$TMP/stream.txt" 2>&1; st=$?
ok "spf-eval --stdin: answers only is exit 0" test "$st" -eq 0
done_testing
