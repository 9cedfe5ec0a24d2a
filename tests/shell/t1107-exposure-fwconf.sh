#!/bin/bash
# t1107-exposure-fwconf.sh — the firewall configurations `mamori exposure
# --root DIR` used to misread (issue 15): firewalld zones bound to
# interfaces (in their zone files, NetworkManager connections, ifcfg
# files) beside the default zone, rich rules in firewalld's order,
# forward-ports, policies to this host; ufw's before.rules, after.rules
# and their IPv6 twins around user.rules as ufw writes it (tuples, its
# logging section's "-I"); nftables.conf's includes, resolved inside the
# root. Each image is written here from the formats' manuals
# (firewalld.zone(5), firewalld.richlanguage(5), firewalld.policies(5),
# nft(8)) and Debian's shipped files (firewalld 1.3.3: its public, dmz
# and trusted zones, its ssh, dhcpv6-client and redis services, its
# allow-host-ipv6 policy; ufw 0.36.2: the input rules of its before,
# after and user rules files); the firewalls table and every finding,
# with the zone that decided, are compared with what the configuration
# says. Quick: no servers, one process per case.
. "$(dirname "$0")/lib.sh"

# A systemd unit enabled in image $1 (the wants link and its target).
enable() {
    mkdir -p "$1/etc/systemd/system/multi-user.target.wants" \
        "$1/lib/systemd/system" &&
    : > "$1/lib/systemd/system/$2" &&
    ln -sf "/lib/systemd/system/$2" \
        "$1/etc/systemd/system/multi-user.target.wants/$2"
}

# mamori exposure --root $1: the firewalls' rows, then the findings.
stance() {
    "$MAMORI" exposure -f json --fail-on none --root "$1" > "$1.json" \
        2> "$1.err" &&
    jq -r 'select(.type == "summary") | .tables.firewalls[] |
        "\(.firewall) \(.file) \(.enabled) \(.ipv4) \(.ipv6) \(.open_ports)"' \
        "$1.json" &&
    echo -- &&
    jq -r 'select(.type == "finding") |
        "\(.check) \(.severity) \(.firewall) \(.zone // "-") \(.port // "-") \(.file)"' \
        "$1.json"
}

# A firewalld service $2 of image $1 with the ports $3... ("22/tcp").
service() {
    local img=$1 name=$2 p
    shift 2
    {
        printf '<?xml version="1.0" encoding="utf-8"?>\n<service>\n'
        printf '  <short>%s</short>\n' "$name"
        for p in "$@"; do
            printf '  <port protocol="%s" port="%s"/>\n' "${p#*/}" "${p%/*}"
        done
        printf '</service>\n'
    } > "$img/usr/lib/firewalld/services/$name.xml"
}

test_expect_success JQ 'firewalld image: Debian zones and services' '
    mkdir -p fwd/etc/firewalld/zones fwd/usr/lib/firewalld/services \
        fwd/usr/lib/firewalld/zones && enable fwd firewalld.service &&
    printf "DefaultZone=public\n" > fwd/etc/firewalld/firewalld.conf &&
    cat > fwd/usr/lib/firewalld/zones/public.xml <<-\EOF &&
	<?xml version="1.0" encoding="utf-8"?>
	<zone>
	  <short>Public</short>
	  <description>For use in public areas.</description>
	  <service name="ssh"/>
	  <service name="dhcpv6-client"/>
	  <forward/>
	</zone>
	EOF
    cat > fwd/usr/lib/firewalld/zones/dmz.xml <<-\EOF &&
	<?xml version="1.0" encoding="utf-8"?>
	<zone>
	  <short>DMZ</short>
	  <service name="ssh"/>
	  <forward/>
	</zone>
	EOF
    cat > fwd/usr/lib/firewalld/zones/trusted.xml <<-\EOF &&
	<?xml version="1.0" encoding="utf-8"?>
	<zone target="ACCEPT">
	  <short>Trusted</short>
	  <forward/>
	</zone>
	EOF
    service fwd ssh 22/tcp && service fwd dhcpv6-client 546/udp &&
    service fwd redis 6379/tcp &&
    stance fwd > got &&
    cat > want <<-\EOF &&
	firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp
	--
	EOF
    test_cmp want got
'

test_expect_success JQ 'firewalld: a zone bound to an interface in its file' '
    cat > fwd/etc/firewalld/zones/dmz.xml <<-\EOF &&
	<?xml version="1.0" encoding="utf-8"?>
	<zone>
	  <short>DMZ</short>
	  <service name="ssh"/>
	  <service name="redis"/>
	  <interface name="eth1"/>
	  <forward-port port="2323" protocol="tcp" to-port="23"/>
	  <forward-port port="8080" protocol="tcp" to-port="80" to-addr="10.0.0.2"/>
	  <masquerade/>
	</zone>
	EOF
    stance fwd > got &&
    cat > want <<-\EOF &&
	firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp 6379/tcp 23/tcp
	--
	exposure.risky-service high firewalld dmz 23 /etc/firewalld/zones/dmz.xml
	exposure.no-auth critical firewalld dmz 6379 /etc/firewalld/zones/dmz.xml
	EOF
    test_cmp want got &&
    grep -q "Telnet tcp port 23 opened to every host by firewalld zone dmz" \
        fwd.json
'

test_expect_success JQ 'firewalld: rich rules in firewalld order' '
    cat > fwd/etc/firewalld/zones/dmz.xml <<-\EOF &&
	<zone>
	  <service name="redis"/>
	  <interface name="eth1"/>
	  <rule><service name="redis"/><reject/></rule>
	  <rule family="ipv4"><source address="192.0.2.0/24"/><port port="23" protocol="tcp"/><accept/></rule>
	  <rule><port port="3389" protocol="tcp"/><log prefix="rdp"><limit value="1/m"/></log><accept/></rule>
	  <rule><icmp-block name="echo-request"/><drop/></rule>
	</zone>
	EOF
    stance fwd > got &&
    cat > want <<-\EOF &&
	firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp 3389/tcp
	--
	exposure.risky-service high firewalld dmz 3389 /etc/firewalld/zones/dmz.xml
	EOF
    test_cmp want got
'

test_expect_success JQ 'firewalld: a zone bound to some sources opens nothing to all' '
    cat > fwd/etc/firewalld/zones/dmz.xml <<-\EOF &&
	<zone target="ACCEPT">
	  <source address="192.0.2.0/24"/>
	  <source ipset="office"/>
	  <service name="redis"/>
	</zone>
	EOF
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp" -- \
        > want &&
    test_cmp want got
'

test_expect_success JQ 'firewalld: a zone bound to every IPv4 source' '
    sed -i "s|192.0.2.0/24|0.0.0.0/0|; s|target=\"ACCEPT\"||" \
        fwd/etc/firewalld/zones/dmz.xml &&
    stance fwd > got &&
    cat > want <<-\EOF &&
	firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp 6379/tcp
	--
	exposure.no-auth critical firewalld dmz 6379 /etc/firewalld/zones/dmz.xml
	EOF
    test_cmp want got &&
    grep -q "6379 opened to every host by firewalld zone dmz" fwd.json
'

test_expect_success JQ 'firewalld: a NetworkManager connection in the trusted zone' '
    rm fwd/etc/firewalld/zones/dmz.xml &&
    mkdir -p fwd/etc/NetworkManager/system-connections &&
    cat > fwd/etc/NetworkManager/system-connections/lan.nmconnection <<-\EOF &&
	[connection]
	id=lan
	type=ethernet
	interface-name=eth2
	zone=trusted

	[ipv4]
	method=auto
	EOF
    stance fwd > got &&
    cat > want <<-\EOF &&
	firewalld /usr/lib/firewalld/zones/public.xml yes accept accept all
	--
	exposure.firewall-accept medium firewalld trusted - /usr/lib/firewalld/zones/trusted.xml
	EOF
    test_cmp want got
'

test_expect_success JQ 'firewalld: an ifcfg file names a zone with no file' '
    mv fwd/etc/NetworkManager/system-connections/lan.nmconnection \
        "fwd/etc/NetworkManager/system-connections/Wired connection 1" &&
    stance fwd > got &&
    test_cmp want got &&
    rm "fwd/etc/NetworkManager/system-connections/Wired connection 1" &&
    mkdir -p fwd/etc/sysconfig/network-scripts &&
    printf "DEVICE=eth3\nONBOOT=yes\nZONE=nosuch\n" \
        > fwd/etc/sysconfig/network-scripts/ifcfg-eth3 &&
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes unknown unknown 22/tcp 546/udp" -- \
        > want &&
    test_cmp want got
'

test_expect_success JQ 'firewalld: the IPv6 policy Debian ships changes nothing' '
    rm -r fwd/etc/sysconfig &&
    mkdir -p fwd/usr/lib/firewalld/policies fwd/etc/firewalld/policies &&
    cat > fwd/usr/lib/firewalld/policies/allow-host-ipv6.xml <<-\EOF &&
	<?xml version="1.0" encoding="utf-8"?>
	<policy target="CONTINUE" priority="-15000">
	  <short>Allow host IPv6</short>
	  <ingress-zone name="ANY" />
	  <egress-zone name="HOST" />
	  <rule family="ipv6">
	    <icmp-type name="neighbour-advertisement" />
	    <accept />
	  </rule>
	  <rule family="ipv6">
	    <icmp-type name="router-advertisement" />
	    <accept />
	  </rule>
	</policy>
	EOF
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp" -- \
        > want &&
    test_cmp want got
'

test_expect_success JQ 'firewalld: policies to this host open and close ports' '
    cat > fwd/etc/firewalld/policies/to-host.xml <<-\EOF &&
	<policy priority="-100">
	  <ingress-zone name="ANY"/>
	  <egress-zone name="HOST"/>
	  <port port="23" protocol="tcp"/>
	  <rule><service name="ssh"/><reject/></rule>
	</policy>
	EOF
    cat > fwd/etc/firewalld/policies/forwarded.xml <<-\EOF &&
	<policy priority="-1" target="ACCEPT">
	  <ingress-zone name="public"/>
	  <egress-zone name="ANY"/>
	</policy>
	EOF
    cat > fwd/etc/firewalld/policies/from-dmz.xml <<-\EOF &&
	<policy priority="10" target="ACCEPT">
	  <ingress-zone name="dmz"/>
	  <egress-zone name="HOST"/>
	</policy>
	EOF
    stance fwd > got &&
    cat > want <<-\EOF &&
	firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 23/tcp 546/udp
	--
	exposure.risky-service high firewalld public 23 /usr/lib/firewalld/zones/public.xml
	EOF
    test_cmp want got &&
    printf "<policy target=\"DROP\"><ingress-zone name=\"ANY\"/><egress-zone name=\"HOST\"/></policy>\n" \
        > fwd/etc/firewalld/policies/to-host.xml &&
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes drop drop -" -- \
        > want &&
    test_cmp want got &&
    sed -i "s/priority=\"10\"/priority=\"high\"/" \
        fwd/etc/firewalld/policies/from-dmz.xml &&
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes unknown unknown -" -- \
        > want &&
    test_cmp want got
'

# /etc's policy file of a name is the one firewalld uses, whether it
# goes to this host or not: /usr/lib's of that name is hidden.
test_expect_success JQ 'firewalld: an /etc policy hides the /usr/lib one of its name' '
    sed -i "s/priority=\"high\"/priority=\"10\"/" \
        fwd/etc/firewalld/policies/from-dmz.xml &&
    rm fwd/etc/firewalld/policies/to-host.xml &&
    cat > fwd/usr/lib/firewalld/policies/to-host.xml <<-\EOF &&
	<policy priority="-100">
	  <ingress-zone name="ANY"/>
	  <egress-zone name="HOST"/>
	  <port port="23" protocol="tcp"/>
	</policy>
	EOF
    stance fwd > got &&
    grep "^exposure.risky-service high firewalld public 23 " got &&
    cat > fwd/etc/firewalld/policies/to-host.xml <<-\EOF &&
	<policy priority="-100">
	  <ingress-zone name="ANY"/>
	  <egress-zone name="ANY"/>
	</policy>
	EOF
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes drop drop 22/tcp 546/udp" -- \
        > want &&
    test_cmp want got
'

# A zone file under /etc/firewalld/zones that cannot be read may bind
# any interface: its zone is unknown, never skipped (nor read from
# /usr/lib instead); blanks around '=' are XML.
test_expect_success JQ 'firewalld: an /etc zone file that cannot be read' '
    rm -r fwd/etc/firewalld/policies fwd/usr/lib/firewalld/policies &&
    printf "<zone>\n  <interface name = \"eth1\"/>\n  <port port=\"23\" protocol=\"tcp\"/>\n</zone>\n" \
        > fwd/etc/firewalld/zones/dmz.xml &&
    stance fwd > got &&
    grep "^exposure.risky-service high firewalld dmz 23 " got &&
    head -c 300000 /dev/zero | tr "\0" " " >> fwd/etc/firewalld/zones/dmz.xml &&
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes unknown unknown 22/tcp 546/udp" -- \
        > want &&
    test_cmp want got &&
    printf "<zone><interface name=\"eth1\"/><port port=\"23\" protocol=\"&#116;cp\"/></zone>\n" \
        > fwd/etc/firewalld/zones/dmz.xml &&
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes unknown unknown -" -- \
        > want &&
    test_cmp want got &&
    rm fwd/etc/firewalld/zones/dmz.xml
'

# ufw's files as Debian's ufw 0.36.2 ships them in /etc/ufw (the rules
# of the input hook; output and forward ones change nothing here).
ufw_image() {
    mkdir -p "$1/etc/ufw" "$1/etc/default" &&
    printf "ENABLED=yes\nLOGLEVEL=low\n" > "$1/etc/ufw/ufw.conf" &&
    printf "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\nDEFAULT_OUTPUT_POLICY=\"ACCEPT\"\n" \
        > "$1/etc/default/ufw" &&
    cat > "$1/etc/ufw/before.rules" <<-\EOF &&
	# Don't delete these required lines, otherwise there will be errors
	*filter
	:ufw-before-input - [0:0]
	:ufw-before-output - [0:0]
	:ufw-before-forward - [0:0]
	:ufw-not-local - [0:0]
	# End required lines
	-A ufw-before-input -i lo -j ACCEPT
	-A ufw-before-output -o lo -j ACCEPT
	-A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	-A ufw-before-input -m conntrack --ctstate INVALID -j ufw-logging-deny
	-A ufw-before-input -m conntrack --ctstate INVALID -j DROP
	-A ufw-before-input -p icmp --icmp-type destination-unreachable -j ACCEPT
	-A ufw-before-input -p icmp --icmp-type echo-request -j ACCEPT
	-A ufw-before-input -p udp --sport 67 --dport 68 -j ACCEPT
	-A ufw-before-input -j ufw-not-local
	-A ufw-not-local -m addrtype --dst-type LOCAL -j RETURN
	-A ufw-not-local -m addrtype --dst-type MULTICAST -j RETURN
	-A ufw-not-local -m addrtype --dst-type BROADCAST -j RETURN
	-A ufw-not-local -m limit --limit 3/min --limit-burst 10 -j ufw-logging-deny
	-A ufw-not-local -j DROP
	-A ufw-before-input -p udp -d 224.0.0.251 --dport 5353 -j ACCEPT
	-A ufw-before-input -p udp -d 239.255.255.250 --dport 1900 -j ACCEPT
	COMMIT
	EOF
    cat > "$1/etc/ufw/before6.rules" <<-\EOF &&
	*filter
	:ufw6-before-input - [0:0]
	:ufw6-before-output - [0:0]
	:ufw6-before-forward - [0:0]
	-A ufw6-before-input -i lo -j ACCEPT
	-A ufw6-before-input -m rt --rt-type 0 -j DROP
	-A ufw6-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	-A ufw6-before-input -p icmpv6 --icmpv6-type echo-reply -j ACCEPT
	-A ufw6-before-input -m conntrack --ctstate INVALID -j ufw6-logging-deny
	-A ufw6-before-input -m conntrack --ctstate INVALID -j DROP
	-A ufw6-before-input -p icmpv6 --icmpv6-type router-advertisement -m hl --hl-eq 255 -j ACCEPT
	-A ufw6-before-input -p icmpv6 --icmpv6-type 130 -s fe80::/10 -j ACCEPT
	-A ufw6-before-input -p udp -s fe80::/10 --sport 547 -d fe80::/10 --dport 546 -j ACCEPT
	-A ufw6-before-input -p udp -d ff02::fb --dport 5353 -j ACCEPT
	-A ufw6-before-input -p udp -d ff02::f --dport 1900 -j ACCEPT
	COMMIT
	EOF
    cat > "$1/etc/ufw/after.rules" <<-\EOF &&
	*filter
	:ufw-after-input - [0:0]
	:ufw-after-output - [0:0]
	:ufw-after-forward - [0:0]
	-A ufw-after-input -p udp --dport 137 -j ufw-skip-to-policy-input
	-A ufw-after-input -p tcp --dport 445 -j ufw-skip-to-policy-input
	-A ufw-after-input -p udp --dport 67 -j ufw-skip-to-policy-input
	-A ufw-after-input -m addrtype --dst-type BROADCAST -j ufw-skip-to-policy-input
	COMMIT
	EOF
    cat > "$1/etc/ufw/after6.rules" <<-\EOF &&
	*filter
	:ufw6-after-input - [0:0]
	:ufw6-after-output - [0:0]
	:ufw6-after-forward - [0:0]
	-A ufw6-after-input -p udp --dport 546 -j ufw6-skip-to-policy-input
	COMMIT
	EOF
    cat > "$1/etc/ufw/user.rules" <<-\EOF &&
	*filter
	:ufw-user-input - [0:0]
	:ufw-user-output - [0:0]
	:ufw-user-forward - [0:0]
	:ufw-user-limit - [0:0]
	:ufw-user-limit-accept - [0:0]
	### RULES ###
	### END RULES ###
	-A ufw-user-limit -m limit --limit 3/minute -j LOG --log-prefix "[UFW LIMIT BLOCK] "
	-A ufw-user-limit -j REJECT
	-A ufw-user-limit-accept -j ACCEPT
	COMMIT
	EOF
    cat > "$1/etc/ufw/user6.rules" <<-\EOF
	*filter
	:ufw6-user-input - [0:0]
	:ufw6-user-output - [0:0]
	:ufw6-user-forward - [0:0]
	### RULES ###
	### END RULES ###
	COMMIT
	EOF
}

test_expect_success JQ 'ufw as Debian ships it: everything dropped, nothing unknown' '
    ufw_image ufw &&
    stance ufw > got &&
    printf "%s\n" "ufw /etc/ufw/ufw.conf yes drop drop -" -- > want &&
    test_cmp want got &&
    ! grep "not read" ufw.err
'

test_expect_success JQ 'ufw: the user rules as ufw writes them, logging on' '
    cat > ufw/etc/ufw/user.rules <<-\EOF &&
	*filter
	:ufw-user-input - [0:0]
	:ufw-user-output - [0:0]
	:ufw-user-forward - [0:0]
	:ufw-user-logging-input - [0:0]
	:ufw-logging-deny - [0:0]
	:ufw-logging-allow - [0:0]
	:ufw-user-limit - [0:0]
	:ufw-user-limit-accept - [0:0]
	### RULES ###

	### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in
	-A ufw-user-input -p tcp --dport 22 -j ACCEPT -m comment --comment '"'"'dapp_OpenSSH'"'"'

	### tuple ### deny tcp 6379 0.0.0.0/0 any 0.0.0.0/0 in
	-A ufw-user-input -p tcp --dport 6379 -j DROP

	### tuple ### allow tcp 6379 0.0.0.0/0 any 0.0.0.0/0 in
	-A ufw-user-input -p tcp --dport 6379 -j ACCEPT

	### tuple ### allow udp 161 0.0.0.0/0 any 0.0.0.0/0 in
	-A ufw-user-input -p udp --dport 161 -j ACCEPT

	### END RULES ###

	### LOGGING ###
	-A ufw-after-logging-input -j LOG --log-prefix "[UFW BLOCK] " -m limit --limit 3/min --limit-burst 10
	-I ufw-logging-deny -m conntrack --ctstate INVALID -j RETURN -m limit --limit 3/min --limit-burst 10
	-A ufw-logging-deny -j LOG --log-prefix "[UFW BLOCK] " -m limit --limit 3/min --limit-burst 10
	-A ufw-logging-allow -j LOG --log-prefix "[UFW ALLOW] " -m limit --limit 3/min --limit-burst 10
	### END LOGGING ###
	COMMIT
	EOF
    cat > ufw/etc/ufw/user6.rules <<-\EOF &&
	*filter
	:ufw6-user-input - [0:0]
	### RULES ###

	### tuple ### allow tcp 5900 ::/0 any ::/0 in
	-A ufw6-user-input -p tcp --dport 5900 -j ACCEPT
	### END RULES ###
	COMMIT
	EOF
    stance ufw > got &&
    cat > want <<-\EOF &&
	ufw /etc/ufw/ufw.conf yes drop drop 22/tcp 161/udp 5900/tcp
	--
	exposure.risky-service high ufw - 5900 /etc/ufw/ufw.conf
	exposure.risky-service medium ufw - 161 /etc/ufw/ufw.conf
	EOF
    test_cmp want got
'

test_expect_success JQ 'ufw: before.rules opens a port, before6.rules closes one' '
    sed -i "s/^-A ufw-before-input -j ufw-not-local$/&\n-A ufw-before-input -p tcp --dport 23 -j ACCEPT/" \
        ufw/etc/ufw/before.rules &&
    sed -i "s/^COMMIT$/-A ufw6-before-input -p tcp --dport 5900 -j DROP\nCOMMIT/" \
        ufw/etc/ufw/before6.rules &&
    sed -i "s/^COMMIT$/-A ufw-after-input -p udp --dport 161 -j DROP\nCOMMIT/" \
        ufw/etc/ufw/after.rules &&
    stance ufw > got &&
    cat > want <<-\EOF &&
	ufw /etc/ufw/ufw.conf yes drop drop 23/tcp 22/tcp 161/udp
	--
	exposure.risky-service high ufw - 23 /etc/ufw/ufw.conf
	exposure.risky-service medium ufw - 161 /etc/ufw/ufw.conf
	EOF
    test_cmp want got
'

test_expect_success JQ 'ufw: policy ACCEPT reaches what after.rules skips to it' '
    sed -i "s/\"DROP\"/\"ACCEPT\"/" ufw/etc/default/ufw &&
    stance ufw > got &&
    printf "%s\n" "ufw /etc/ufw/ufw.conf yes accept accept all" -- \
        "exposure.firewall-accept medium ufw - - /etc/ufw/ufw.conf" > want &&
    test_cmp want got
'

test_expect_success JQ 'ufw: a before.rules line not in the grammar makes it unknown' '
    sed -i "s/\"ACCEPT\"/\"DROP\"/" ufw/etc/default/ufw &&
    sed -i "s/^COMMIT$/-A ufw-before-input -p tcp --dport 80 -j ACCEPT now\nCOMMIT/" \
        ufw/etc/ufw/before.rules &&
    stance ufw > got &&
    printf "%s\n" "ufw /etc/ufw/ufw.conf yes unknown unknown -" -- > want &&
    test_cmp want got &&
    grep "1 lines of the ufw configuration not read" ufw.err
'

# /etc/default/ufw: "IPV6=no" means only IPv6 on loopback accepted.
test_expect_success JQ 'ufw: IPV6=no drops IPv6 but on loopback' '
    ufw_image ufw6 &&
    sed -i "s/IPV6=yes/IPV6=no/" ufw6/etc/default/ufw &&
    stance ufw6 > got &&
    printf "%s\n" "ufw /etc/ufw/ufw.conf yes drop drop -" -- > want &&
    test_cmp want got &&
    sed -i "s/\"DROP\"/\"ACCEPT\"/" ufw6/etc/default/ufw &&
    stance ufw6 > got &&
    printf "%s\n" "ufw /etc/ufw/ufw.conf yes accept drop all" -- \
        "exposure.firewall-accept medium ufw - - /etc/ufw/ufw.conf" > want &&
    test_cmp want got
'

test_lazy_prereq NFTNS 'unshare -n nft -c -f /dev/null ||
    unshare -rn nft -c -f /dev/null'

# nft(8), INCLUDE FILES: a plain name is looked for in the include path
# (/etc), an absolute one or one with ./ is opened as given, wildcards
# in the last component, no match no error.
test_expect_success JQ,NFTNS 'nftables.conf: includes read inside the root' '
    mkdir -p nft/etc/nftables.d/empty nft/etc/nftables.d/rules-9.nft &&
    enable nft nftables.service &&
    cat > nft/etc/nftables.conf <<-\EOF &&
	#!/usr/sbin/nft -f
	flush ruleset
	include "nftables.d/defs.nft"   # the ports
	table inet filter {
	  chain input {
	    type filter hook input priority filter; policy drop;
	    ct state established,related accept
	    include "/etc/nftables.d/rules-*.nft";
	    include "./etc/nftables.d/empty/*.nft"
	  }
	}
	EOF
    echo "define admin = { 22, 10000 }" > nft/etc/nftables.d/defs.nft &&
    echo "tcp dport \$admin accept" > nft/etc/nftables.d/rules-1.nft &&
    echo "udp dport 69 accept" > nft/etc/nftables.d/rules-2.nft &&
    echo "tcp dport 23 accept" > nft/etc/nftables.d/.rules-3.nft &&
    stance nft > got &&
    cat > want <<-\EOF &&
	nftables /etc/nftables.conf yes drop drop 22/tcp 10000/tcp 69/udp
	--
	exposure.no-auth high nftables - 69 /etc/nftables.conf
	exposure.risky-service high nftables - 10000 /etc/nftables.conf
	EOF
    test_cmp want got
'

test_expect_success JQ 'nftables.conf: an include never leaves the root' '
    mkdir -p nfo/etc/nftables.d &&
    echo "table inet outside { }" > "$TMP/outside.nft" &&
    ln -s "$TMP/outside.nft" nfo/etc/nftables.d/link.nft &&
    printf "include \"/etc/nftables.d/link.nft\"\n" > nfo/etc/nftables.conf &&
    stance nfo > got &&
    printf "%s\n" "nftables /etc/nftables.conf no unread unread -" -- > want &&
    test_cmp want got &&
    grep "link.nft, included by /etc/nftables.conf, is missing" nfo.err &&
    printf "include \"../../..$TMP/outside.nft\"\n" > nfo/etc/nftables.conf &&
    stance nfo > got &&
    test_cmp want got &&
    grep "outside.nft, included by /etc/nftables.conf, is missing" nfo.err
'

test_expect_success JQ 'nftables.conf: includes nested too deep, or mid-line' '
    printf "include \"/etc/nftables.conf\"\n" > nfo/etc/nftables.conf &&
    stance nfo > got &&
    test_cmp want got &&
    grep "includes nested over 16 deep" nfo.err &&
    printf "table inet t { include \"/etc/x.nft\" }\n" > nfo/etc/nftables.conf &&
    stance nfo > got &&
    test_cmp want got &&
    grep "line 1 of /etc/nftables.conf holds an include mamori does not read" \
        nfo.err
'

# libnftables reads a C string: what follows a NUL in an included file
# would never be loaded, so the file is refused as the top one is.
test_expect_success JQ 'nftables.conf: an included file with a NUL byte' '
    printf "table inet t {\n}\n\0table inet u { }\n" > nfo/etc/nul.nft &&
    printf "include \"/etc/nul.nft\"\n" > nfo/etc/nftables.conf &&
    stance nfo > got &&
    test_cmp want got &&
    grep "/etc/nul.nft, included by /etc/nftables.conf, holds a NUL byte" \
        nfo.err
'

test_done
