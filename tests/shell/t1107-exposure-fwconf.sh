#!/bin/bash
# t1107-exposure-fwconf.sh — the firewall configurations `mamori exposure
# --root DIR` used to misread (issue 15): firewalld zones bound to
# interfaces (in their zone files, NetworkManager connections, ifcfg
# files) beside the default zone, rich rules in firewalld's order,
# forward-ports. Each image is written here from the formats' manuals
# (firewalld.zone(5), firewalld.richlanguage(5)) and Debian's shipped
# files (firewalld 1.3.3: its public, dmz and trusted zones, its ssh,
# dhcpv6-client and redis services); the firewalls table and every
# finding, with the zone that decided, are compared with what the
# configuration says. Quick: no servers, one process per case.
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
    rm fwd/etc/NetworkManager/system-connections/lan.nmconnection &&
    mkdir -p fwd/etc/sysconfig/network-scripts &&
    printf "DEVICE=eth3\nONBOOT=yes\nZONE=nosuch\n" \
        > fwd/etc/sysconfig/network-scripts/ifcfg-eth3 &&
    stance fwd > got &&
    printf "%s\n" "firewalld /usr/lib/firewalld/zones/public.xml yes unknown unknown 22/tcp 546/udp" -- \
        > want &&
    test_cmp want got
'

test_done
