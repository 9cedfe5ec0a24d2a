#!/bin/bash
# t1100-exposure.sh — `mamori exposure` against real Debian servers
# (redis-server with and without requirepass and protected mode,
# memcached, vsftpd with anonymous on, OpenSSH with and without password
# logins) started inside a network and PID namespace this test creates,
# on loopback, on one address and on every address, IPv4 and IPv6; then
# again behind an nftables ruleset that filters some of them (live, and
# saved as JSON for --ruleset). Every listener's scope and filtered
# verdict and every finding's check, severity and authentication are
# compared with tests/fixtures/exposure/*.want; secrets never appear.
. "$(dirname "$0")/lib.sh"
FX="$TESTS_DIR/fixtures/exposure"
NS=ROOT,NETNS,JQ,SERVERS
test_lazy_prereq NETNS 'unshare -n -m --mount-proc -p -f true'
test_lazy_prereq SERVERS 'command -v redis-server && command -v memcached &&
    command -v vsftpd && test -x /usr/sbin/sshd && command -v nft'

# Runs mamori exposure ARGS... inside a fresh namespace with the servers
# up (and the ruleset RS loaded when set; the file HIDE, when set, made
# unreadable there by /dev/null mounted over it); its JSON in
# $TMP/$1.json. Probes get 3 s, not 300 ms: a loaded test machine must
# not turn a verdict into "unprobed".
in_ns() {
    out=$1; shift
    W=$(mktemp -d "$TMP/ns.XXXXXX")
    chmod 755 "$W"
    W=$W RS=${RS:-} HIDE=${HIDE:-} FX=$FX MAMORI=$MAMORI unshare -n -m --mount-proc -p -f \
        bash -c '. "$FX/services.sh"
                 [ -z "$RS" ] || nft -f "$RS" || exit 1
                 [ -z "$HIDE" ] || mount --bind /dev/null "$HIDE" || exit 1
                 "$MAMORI" exposure -f json --fail-on none \
                     --probe-timeout 3000 "$@"' \
        _ "$@" > "$TMP/$out.json" 2> "$TMP/$out.err"
}

# The listeners and findings as the .want files list them.
verdicts() {
    jq -r 'select(.type == "summary") | .tables.listeners[] |
        "\(.proto) \(.address) \(.port) \(.process) \(.scope) " +
        "\(.filtered) \(.service)"' "$TMP/$1.json" &&
    echo -- &&
    jq -r 'select(.type == "finding") |
        "\(.check) \(.severity) \(.port) \(.authentication)"' "$TMP/$1.json"
}

test_expect_success $NS 'every listener and verdict without a firewall' '
    in_ns open &&
    verdicts open > open.got &&
    test_cmp "$FX/open.want" open.got
'

test_expect_success $NS 'the products and versions the servers name' '
    jq -r "select(.type == \"summary\") | .tables.versions[] |
        \"\(.port) \(.product)\"" "$TMP/open.json" | sort -u > got &&
    printf "%s\n" "2121 vsFTPd" "2222 OpenSSH" "2223 OpenSSH" > want &&
    test_cmp want got &&
    jq -e "select(.type == \"summary\") | [.tables.versions[] |
        select(.product == \"OpenSSH\") | .version | test(\"^[0-9]\")] |
        all" "$TMP/open.json" &&
    # Debian'"'"'s own servers: supported, or the branch Debian ships
    jq -e "select(.type == \"summary\") | [.tables.versions[] |
        .supported != false] | all" "$TMP/open.json" &&
    ! grep -q exposure.eol-product "$TMP/open.json"
'

test_expect_success $NS 'nothing filtered: no firewall chain was read' '
    jq -e "select(.type == \"summary\") | .counters.input_chains == 0" \
        "$TMP/open.json"
'

test_expect_success $NS 'the live nftables ruleset filters some' '
    RS=$FX/filtered.nft in_ns filtered &&
    verdicts filtered > filtered.got &&
    test_cmp "$FX/filtered.want" filtered.got
'

test_expect_success $NS 'the same ruleset saved as JSON (--ruleset)' '
    unshare -n sh -c "nft -f \"$FX/filtered.nft\" && nft -j list ruleset" \
        > "$TMP/rules.json" &&
    in_ns saved --ruleset "$TMP/rules.json" &&
    verdicts saved > saved.got &&
    test_cmp "$FX/filtered.want" saved.got
'

test_expect_success $NS 'no probes: severities from the catalogue alone' '
    in_ns noprobe --no-probe &&
    jq -r "select(.type == \"finding\") | \"\(.port) \(.authentication)\"" \
        "$TMP/noprobe.json" | sort -u > got &&
    ! grep -v " unprobed$" got &&
    grep "^6379 " got && ! grep "^2222 " got
'

test_expect_success $NS 'SSH with passwords under attack in the logs is critical' '
    for i in $(seq 10 21); do
        echo "Dec  6 10:00:$i h sshd[$i]: Failed password for root from 203.0.113.9 port 4$i ssh2"
    done > auth.log &&
    in_ns attacked --auth-log "$PWD/auth.log" &&
    jq -es "map(select(.type == \"finding\" and .port == 2222)) |
        length == 1 and .[0].severity == \"critical\" and
        .[0].login_attacks == 1" "$TMP/attacked.json"
'

test_expect_success $NS 'without libssh: SSH servers unprobed, one warning says why' '
    lib=$(ldconfig -p | awk "/libssh\.so\.4 / {print \$NF; exit}") &&
    test -n "$lib" &&
    HIDE=$(readlink -f "$lib") in_ns nossh &&
    test "$(grep -c "SSH servers are not asked which logins they accept: libssh" \
        "$TMP/nossh.err")" = 1 &&
    jq -r "select(.type == \"finding\") | \"\(.port) \(.authentication)\"" \
        "$TMP/nossh.json" | sort -u > got &&
    ! grep "^2222 " got &&
    grep "^6379 none$" got
'

test_expect_success $NS 'no secret in any report' '
    ! grep -l t1000-not-a-secret "$TMP"/*.json "$TMP"/*.err
'

test_expect_success $NS '--scan: open ports, banners, probes, findings' '
    in_ns scan --scan 10.99.0.1 127.0.0.1 \
        --ports 1,2121,2222,2223,6379,6380,6381,7000,11211,11212 &&
    jq -r "select(.type == \"summary\") | .tables.open_ports[] |
        \"\(.host) \(.port) \(.service) \(.authentication)\"" \
        "$TMP/scan.json" > scan.got &&
    echo -- >> scan.got &&
    jq -r "select(.type == \"finding\") |
        \"\(.check) \(.severity) \(.address) \(.port)\"" \
        "$TMP/scan.json" >> scan.got &&
    test_cmp "$FX/scan.want" scan.got &&
    jq -e "select(.type == \"summary\") | .counters.scan_closed == 5 and
        .counters.scan_hosts == 2" "$TMP/scan.json"
'

test_expect_success $NS,PYTHON3 'UDP: an open resolver, found by the review and by --scan' '
    W=$(mktemp -d "$TMP/ns.XXXXXX") && chmod 755 "$W" &&
    W=$W FX=$FX MAMORI=$MAMORI unshare -n -m --mount-proc -p -f \
        bash -c ". \"\$FX/services.sh\" &&
                 { python3 \"\$FX/resolver.py\" 10.99.0.1 & } &&
                 for i in \$(seq 50); do
                     ss -Hlun | grep -q 10.99.0.1:53 && break; sleep 0.1
                 done &&
                 \"\$MAMORI\" exposure -f json --fail-on none \
                     --probe-timeout 3000 > udp.json &&
                 \"\$MAMORI\" exposure -f json --fail-on none --no-probe \
                     --scan 10.99.0.1 --ports 1 > udpscan.json" &&
    jq -r "select(.type == \"finding\" and .proto == \"udp\") |
        \"\(.check) \(.port) \(.authentication)\"" udp.json > got &&
    printf "%s\n" "exposure.no-auth 53 none" "exposure.no-auth 11211 none" \
        > want && test_cmp want got &&
    jq -r "select(.type == \"summary\") | .tables.open_ports[] |
        \"\(.proto) \(.port) \(.service)\"" udpscan.json > got &&
    echo "udp 53 dns" > want && test_cmp want got
'

test_expect_success ROOT,NETNS,JQ,PYTHON3 '--scan: old branches in banners are past their end of life' '
    W=$(mktemp -d "$TMP/ns.XXXXXX") && chmod 755 "$W" &&
    FX=$FX MAMORI=$MAMORI unshare -n bash -c "ip link set lo up &&
        { python3 \"\$FX/banners.py\" & } &&
        for i in \$(seq 50); do
            [ \$(ss -Hltn | wc -l) -ge 4 ] && break; sleep 0.1
        done &&
        \"\$MAMORI\" exposure -f json --fail-on none --no-udp \
            --probe-timeout 1000 --scan 127.0.0.1 --ports 2201-2203,8080;
        st=\$?; kill %1; exit \$st" > eol.json &&
    jq -r "select(.type == \"finding\" and .check == \"exposure.eol-product\") |
        \"\(.port) \(.severity) \(.branch) \(.eol) \(.distribution)\"" \
        eol.json > got &&
    printf "%s\n" "2201 high 7.4 2017-03-20 not named" \
        "2202 medium 7.4 2017-03-20 named" \
        "8080 high 6.0 2015-07-14 not named" > want &&
    test_cmp want got &&
    jq -r "select(.type == \"summary\") | .tables.open_versions[] |
        \"\(.port) \(.eol) \(.supported)\"" eol.json > got &&
    printf "%s\n" "2201 2017-03-20 false" "2202 2017-03-20 false" \
        "2203 2023-03-15 null" "8080 2015-07-14 false" > want &&
    test_cmp want got
'

test_expect_success $NS '--scan honours --rate' '
    in_ns rate --scan 127.0.0.1/30 --ports 1-300 --rate 1000 --no-probe &&
    jq -e "select(.type == \"summary\") |
        .counters.scan_hosts == 4 and .counters.scan_closed >= 1190" \
        "$TMP/rate.json" &&
    # 1,200 connects at 1,000 a second take at least 1.1 s
    s=$(date +%s%N) &&
    in_ns rate2 --scan 127.0.0.1/30 --ports 1-300 --rate 1000 --no-probe &&
    e=$(date +%s%N) &&
    test $(( (e - s) / 1000000 )) -ge 1100
'

test_expect_success '--scan refuses names and ranges over 65,536 addresses' '
    test_expect_code 2 "$MAMORI" exposure --scan localhost 2> err &&
    grep "not an address" err &&
    test_expect_code 2 "$MAMORI" exposure --scan 10.0.0.0/8 2> err &&
    grep "more than 65536" err &&
    test_expect_code 2 "$MAMORI" exposure --scan 2> err &&
    test_expect_code 2 "$MAMORI" exposure --scan 127.0.0.1 --ports 0-3 2> err
'

test_expect_success $NS 'not root: every listener unknown, one warning, nothing else printed' '
    W=$(mktemp -d "$TMP/ns.XXXXXX") && chmod 755 "$W" "$TMP" &&
    W=$W FX=$FX MAMORI=$MAMORI unshare -n -m --mount-proc -p -f \
        bash -c ". \"\$FX/services.sh\" && nft -f \"\$FX/filtered.nft\" &&
                 setpriv --reuid=65534 --regid=65534 --clear-groups \
                 \"\$MAMORI\" exposure -f json --fail-on none --no-probe" \
        > user.json 2> user.err &&
    test "$(wc -l < user.err)" = 1 &&
    grep "cannot read the nftables ruleset (not root" user.err &&
    jq -r "select(.type == \"summary\") | .tables.listeners[].filtered" \
        user.json | sort -u > got &&
    echo unknown > want && test_cmp want got
'

test_expect_success 'under --root: a note, nothing judged' '
    mkdir -p img/etc &&
    "$MAMORI" exposure -f json --root img > out.json 2> err &&
    grep "not a running system" err &&
    jq -e "select(.type == \"summary\") | .counters.listeners == 0" out.json
'

test_expect_success 'a ruleset that is not JSON is an error' '
    echo "table inet x {" > bad.json &&
    test_expect_code 2 "$MAMORI" exposure --ruleset bad.json --no-probe \
        -f json > /dev/null 2> err &&
    grep "cannot read the ruleset" err
'

test_done
