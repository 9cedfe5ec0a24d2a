#!/bin/bash
# t1106-exposure-smtp.sh — the open-relay probe of `mamori exposure`
# against a real mail server: Debian's OpenSMTPD in a network, mount and
# PID namespace this test creates, relaying for anyone on one address
# (10.99.0.1:25) and only for its own domain on another (10.99.0.2:25 and
# :587). The open one is exposure.open-relay (critical), the closed ones
# no finding; the server's log shows every conversation ended with QUIT,
# RCPT refused on the closed ones, and no DATA ever sent. The greeting
# names the product (the versions table of the summary).
. "$(dirname "$0")/lib.sh"
NS=ROOT,JQ,NETNS,SMTPD
test_lazy_prereq NETNS 'unshare -n -m --mount-proc -p -f true'
test_lazy_prereq SMTPD 'test -x /usr/sbin/smtpd'

test_expect_success $NS 'an open relay is critical, a closed one is not' '
    cat > smtpd.conf <<-\EOF &&
	listen on 10.99.0.1 port 25 tag OPEN
	listen on 10.99.0.2 port 25 tag CLOSED
	listen on 10.99.0.2 port 587 tag CLOSED
	action "relay" relay
	action "local" mbox
	match tag OPEN from any for any action "relay"
	match from any for local action "local"
	EOF
    /usr/sbin/smtpd -n -f smtpd.conf &&
    D=$PWD MAMORI=$MAMORI unshare -n -m --mount-proc -p -f bash -c "
        ip link set lo up &&
        ip addr add 10.99.0.1/32 dev lo && ip addr add 10.99.0.2/32 dev lo &&
        mount -t tmpfs tmpfs /var/spool && mkdir -m 711 /var/spool/smtpd &&
        { /usr/sbin/smtpd -d -f \"\$D/smtpd.conf\" > \"\$D/smtpd.log\" 2>&1 & } &&
        for i in \$(seq 100); do
            ss -Hltn | grep -q 10.99.0.2:587 && break; sleep 0.05
        done &&
        \"\$MAMORI\" exposure -f json --fail-on none --probe-timeout 3000 \
            > \"\$D/out.json\" &&
        \"\$MAMORI\" exposure -f json --fail-on none --probe-timeout 3000 \
            --scan 10.99.0.1 10.99.0.2 --ports 25,587 --no-udp \
            > \"\$D/scan.json\" &&
        ls -A /var/spool/smtpd/queue > \"\$D/queue\" 2>/dev/null; true" &&
    jq -r "select(.type == \"finding\") |
        \"\(.check) \(.severity) \(.address) \(.port) \(.authentication)\"" \
        out.json > got &&
    echo "exposure.open-relay critical 10.99.0.1 25 none" > want &&
    test_cmp want got &&
    jq -r "select(.type == \"summary\") | .tables.listeners[] |
        \"\(.address) \(.port) \(.process) \(.service)\"" out.json > got &&
    printf "%s\n" "10.99.0.1 25 smtpd smtp" "10.99.0.2 25 smtpd smtp" \
        "10.99.0.2 587 smtpd smtp" > want &&
    test_cmp want got
'

test_expect_success $NS 'the mail server named from its greeting' '
    jq -r "select(.type == \"summary\") | .tables.versions[] |
        \"\(.address) \(.port) \(.product) \(.version)\"" out.json > got &&
    printf "%s\n" "10.99.0.1 25 OpenSMTPD -" "10.99.0.2 25 OpenSMTPD -" \
        "10.99.0.2 587 OpenSMTPD -" > want &&
    test_cmp want got
'

test_expect_success $NS '--scan: named by its greeting, the open relay found' '
    jq -r "select(.type == \"finding\") |
        \"\(.check) \(.address) \(.port) \(.found)\"" scan.json > got &&
    echo "exposure.open-relay 10.99.0.1 25 scan" > want &&
    test_cmp want got &&
    jq -r "select(.type == \"summary\") | .tables.open_ports[] |
        \"\(.host) \(.port) \(.service) \(.authentication)\"" scan.json > got &&
    printf "%s\n" "10.99.0.1 25 smtp none" "10.99.0.2 25 smtp required" \
        "10.99.0.2 587 smtp required" > want &&
    test_cmp want got &&
    jq -r "select(.type == \"summary\") | .tables.open_versions[] |
        \"\(.address) \(.port) \(.product)\"" scan.json > got &&
    printf "%s\n" "10.99.0.1 25 OpenSMTPD" "10.99.0.2 25 OpenSMTPD" \
        "10.99.0.2 587 OpenSMTPD" > want &&
    test_cmp want got
'

test_expect_success $NS 'always QUIT, never DATA, nothing queued' '
    # the review: three relay questions and three banner reads; the
    # scan: three banners read and three relay questions; each ended
    # with QUIT but the scan'"'"'s banner reads (it closes)
    test "$(grep -c "disconnected reason=quit" smtpd.log)" = 9 &&
    test "$(grep -c "RCPT TO.*result=\"550" smtpd.log)" = 4 &&
    ! grep -i "DATA" smtpd.log &&
    ! test -s queue
'

test_done
