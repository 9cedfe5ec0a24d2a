#!/bin/bash
# t0600-authscan.sh — mamori authscan against a generated scenario with
# ground truth (tests/tools/authgen.c): every attack campaign found with
# its type, every break-in reported, no finding about normal users; then
# the options (--allow, --hours, --emit) and hostile input.
. "$(dirname "$0")/lib.sh"
SRC=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
AUTHGEN=${BUILD_ROOT:-/nonexistent}/tests/authgen
if [ ! -x "$AUTHGEN" ]; then
    # Not built by meson yet: build it on the side (it needs only common.h).
    AUTHGEN=$TMP/authgen
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$SRC/lib" -o "$AUTHGEN" \
        "$SRC/tests/tools/authgen.c" 2>"$TMP/cc.err" || { cat "$TMP/cc.err"; exit 1; }
fi
G=$TMP/gen
export SRC AUTHGEN G
test_expect_success 'authgen writes a scenario' '
    mkdir -p "$G" &&
    "$AUTHGEN" "$G" 7
'
test_expect_success 'authscan runs clean on the scenario' '
    "$MAMORI" authscan -f json --fail-on none "$G/auth.log" "$G/access.log" \
        >"$G/out.jsonl" 2>"$G/err" &&
    test_cmp /dev/null "$G/err"
'
test_expect_success PYTHON3 'every campaign and break-in found, nothing about normal users' '
    python3 "$SRC/tests/tools/authcheck.py" "$G/out.jsonl" "$G/truth.txt"
'
test_expect_success JQ 'four break-ins in the list-based attack' '
    jq -s "[.[] | select(.category==\"break-in\" and (.sources[0] | startswith(\"198.18.\")))] | length" \
        "$G/out.jsonl" >n &&
    echo 4 >expect &&
    test_cmp expect n
'
test_expect_success JQ 'campaign JSON has the fields' '
    jq -e -s "[.[] | select(.type==\"finding\")] | length > 0 and all(has(\"sources\") and has(\"accounts\") and has(\"attempts\") and has(\"successes\") and has(\"first\") and has(\"last\") and has(\"severity\"))" \
        "$G/out.jsonl"
'
test_expect_success JQ 'break-ins are critical' '
    jq -e -s "[.[] | select(.category==\"break-in\") | .severity] | all(. == \"critical\")" \
        "$G/out.jsonl"
'
test_expect_success JQ 'three break-ins in the mail list-based attack, each linked to it' '
    jq -e -s "([.[] | select(.category==\"credential-stuffing\" and (.sources[0] | startswith(\"198.19.\"))) | .id] | first) as \$c | \$c != null and ([.[] | select(.category==\"break-in\" and (.sources[0] | startswith(\"198.19.\")) and .campaign == \$c)] | length) == 3" \
        "$G/out.jsonl"
'
test_expect_success JQ 'the list-based attack counts its successes' '
    jq -e -s "any(.[]; .category==\"credential-stuffing\" and (.sources[0] | startswith(\"198.19.\")) and .successes == 3)" \
        "$G/out.jsonl"
'
test_expect_success JQ 'pam_unix and sshd lines of one attempt count once' '
    jq -e -s "any(.[]; .category==\"brute-force\" and .sources==[\"203.0.113.71\"] and .attempts == 8)" \
        "$G/out.jsonl"
'
test_expect_success JQ 'brute force on root is high' '
    jq -e -s "any(.[]; .category==\"brute-force\" and .sources==[\"203.0.113.10\"] and .severity == \"high\")" \
        "$G/out.jsonl"
'
test_expect_success JQ 'a dictionary attack is not an enumeration' '
    jq -e -s "all(.[]; (.category==\"user-enumeration\" and .sources==[\"203.0.113.72\"]) | not)" \
        "$G/out.jsonl"
'
test_expect_success JQ 'probing is low and names its rate' '
    jq -e -s "any(.[]; .category==\"probing\" and .severity==\"low\" and (.evidence | test(\"^30 connections .* per (minute|hour)\")))" \
        "$G/out.jsonl"
'
test_expect_success JQ 'evidence says 1 attempt, not 1 attempts' '
    jq -e -s "all(.[]; (.evidence // \"\") | test(\"(^|[^0-9])1 (attempts|sources|accounts|connections)\") | not)" \
        "$G/out.jsonl"
'

# --allow and --hours flag the successes outside them.
test_expect_success 'set-up: --allow/--hours scan' '
    printf "%s\n" \
      "2025-11-03T03:10:00+00:00 srv sshd[5]: Accepted password for night from 10.0.0.9 port 1 ssh2" \
      "2025-11-03T11:00:00+00:00 srv sshd[6]: Accepted password for carol from 100.64.5.5 port 2 ssh2" \
      "2025-11-03T11:00:00+00:00 srv sshd[7]: Accepted password for erin from 10.0.3.3 port 3 ssh2" \
        >"$G/opts.log" &&
    "$MAMORI" authscan -f json --fail-on none --allow 10.0.0.0/16 --hours 7-20 \
        "$G/opts.log" >"$G/opts.jsonl"
'
test_expect_success JQ '--hours: off-hours login found' '
    jq -e -s "any(.[]; .category==\"off-hours\" and .accounts==[\"night\"])" "$G/opts.jsonl"
'
test_expect_success JQ '--allow: login from outside found' '
    jq -e -s "any(.[]; .category==\"outside-allowlist\" and .accounts==[\"carol\"])" "$G/opts.jsonl"
'
test_expect_success JQ '--allow/--hours: inside and in hours is quiet' '
    jq -e -s "all(.[]; (.accounts // []) | index(\"erin\") | not)" "$G/opts.jsonl"
'

# --emit writes only well-formed addresses of the offenders.
for kind in nft fail2ban hosts-deny; do
    export kind
    test_expect_success "--emit $kind lists the brute-force source" '
        { "$MAMORI" authscan -q --fail-on none --emit $kind \
            --emit-file "$G/block.$kind" "$G/auth.log" >/dev/null 2>&1 || :; } &&
        grep -q "203\.0\.113\.10" "$G/block.$kind"
    '
    test_expect_success "--emit $kind leaves normal users out" '
        ! grep -q "10\.0\." "$G/block.$kind"
    '
done
test_expect_success '--emit nft is an nft define' '
    grep -q "^define mamori_block_v4 = {" "$G/block.nft"
'

# Traditional syslog, compressed, from standard input; hostile bytes.
test_expect_success 'reads .gz' '
    gzip -c "$G/auth.log" >"$G/auth.log.gz" &&
    "$MAMORI" authscan -f json --fail-on none "$G/auth.log.gz" >out &&
    grep -q credential-stuffing out
'
test_expect_success 'reads standard input' '
    "$MAMORI" authscan -f json --fail-on none - <"$G/auth.log" >out &&
    grep -q distributed-brute-force out
'
test_expect_success 'hostile bytes: no crash' '
    head -c 200000 /dev/urandom >"$G/junk.log" &&
    printf "Nov  1 10:00:00 h sshd[1]: Failed password for x from 1.2.3.4 port 1 ssh2 from 9.9.9.9 port 2 ssh2\n" \
        >>"$G/junk.log" &&
    { "$MAMORI" authscan -f json --fail-on none "$G/junk.log" >/dev/null 2>err; st=$?; } &&
    cat err && test $st -lt 128
'
test_expect_success 'bad --allow is a usage error' '
    test_expect_code 2 "$MAMORI" authscan --allow 300.1.1.1 "$G/opts.log"
'
test_expect_success 'bad --hours is a usage error' '
    test_expect_code 2 "$MAMORI" authscan --hours 9 "$G/opts.log"
'
test_done
