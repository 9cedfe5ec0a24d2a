#!/bin/bash
# t0906-host-journald.sh — journald's retention in `mamori host`, as a
# table of small roots made here: journald.conf and its drop-ins read in
# systemd's order (by file name across /etc, /run, /usr/local/lib and
# /usr/lib journald.conf.d; /etc shadowing the same name; the last value
# wins), and the size limit turned into days at the rate the journal's
# archived files show (their names carry their first entry's time).
. "$(dirname "$0")/lib.sh"

now=$(date +%s)
# mkroot NAME: an installed system with journald's main file
mkroot() {
    R="$TMP/$1"
    mkdir -p "$R/var/lib/dpkg" "$R/etc/systemd" || exit 1
    printf 'Package: systemd\nStatus: install ok installed\n\n' \
        > "$R/var/lib/dpkg/status"
    printf '[Journal]\n' > "$R/etc/systemd/journald.conf"
}
# conf NAME PATH LINE...: a file of the root, one line each
conf() {
    local f="$TMP/$1$2"
    shift 2
    mkdir -p "$(dirname "$f")" && printf '%s\n' "$@" > "$f"
}
# journal NAME MIB DAYS: MIB written since DAYS ago (an archived file
# named after its first entry, and the active one)
journal() {
    local d="$TMP/$1/var/log/journal/0123456789abcdef0123456789abcdef"
    mkdir -p "$d" || exit 1
    local head
    head=$(printf '%016x' $(( (now - $3 * 86400) * 1000000 )))
    truncate -s "$2M" \
        "$d/system@00112233445566778899aabbccddeeff-0000000000000001-$head.journal"
    truncate -s 8M "$d/system.journal"
}
# got NAME: one line per journald finding: rule | file | line | value
got() {
    "$MAMORI" host -f json --fail-on none --only 'host.log.*' \
        --root "$TMP/$1" 2> "$TMP/$1.err" |
    jq -r 'select(.type == "finding" and (.rule | startswith("log-journald")))
        | "\(.rule) | " + (.file | sub(".*/'"$1"'"; "")) +
          " | \(.line) | \(.value)"'
}
case_is() { # NAME WANT (empty: no finding)
    diff -u <([ -n "$2" ] && printf '%s\n' "$2") <(got "$1")
}

mkroot dropin
conf dropin /etc/systemd/journald.conf '[Journal]' 'Storage=persistent'
conf dropin /usr/lib/systemd/journald.conf.d/10-vendor.conf '[Journal]' \
    'Storage=volatile'
ok "a drop-in overrides journald.conf" case_is dropin \
    "log-journald-storage | /usr/lib/systemd/journald.conf.d/10-vendor.conf | 2 | volatile"

mkroot shadow
conf shadow /usr/lib/systemd/journald.conf.d/50-x.conf '[Journal]' \
    'Storage=volatile'
conf shadow /etc/systemd/journald.conf.d/50-x.conf '[Journal]' \
    'Storage=persistent'
ok "/etc's drop-in shadows /usr/lib's of the same name" case_is shadow ""

mkroot order
conf order /etc/systemd/journald.conf.d/10-a.conf 'MaxRetentionSec=1y'
conf order /usr/lib/systemd/journald.conf.d/20-b.conf 'MaxRetentionSec=1week'
ok "drop-ins by name across directories: the last one wins" case_is order \
    "log-journald-retention | /usr/lib/systemd/journald.conf.d/20-b.conf | 1 | 1week"

mkroot small
conf small /etc/systemd/journald.conf.d/60-size.conf '[Journal]' \
    'SystemMaxUse=50M'
journal small 100 30
ok "SystemMaxUse=50M at 108 MiB a month (the active file too): 13 days" \
    case_is small \
    "log-journald-size | /etc/systemd/journald.conf.d/60-size.conf | 2 | 13 days"
ok "the evidence says the rate and the fix the size for 90 days" sh -c "
    '$MAMORI' host -f json --fail-on none --root '$TMP/small' 2>/dev/null |
    jq -se 'map(select(.rule == \"log-journald-size\"))[0] |
        (.evidence | contains(\"written in 30 days\")) and
        (.fix | test(\"^SystemMaxUse=32[45]M \"))' >/dev/null"

mkroot unset
journal unset 100 30
ok "SystemMaxUse unset (4G at most) at that rate: enough" case_is unset ""

mkroot big
conf big /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=2G'
journal big 100 10
ok "SystemMaxUse=2G at 100 MiB in 10 days: enough" case_is big ""

# Sizes as systemd's parse_size reads them (issue 14, h31): decimals and
# parts are sizes journald applies, not lines it ignores.
mkroot decimal
conf decimal /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=0.04G 9.5M'
journal decimal 100 30
ok "SystemMaxUse=0.04G 9.5M (50.46 MiB) at 108 MiB a month: 14 days" \
    case_is decimal \
    "log-journald-size | /etc/systemd/journald.conf | 2 | 14 days"
ok "... and no warning: journald applies the line" sh -c "! grep -q 'not a size' '$TMP/decimal.err'"

mkroot young
conf young /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=1M'
mkdir -p "$TMP/young/var/log/journal/x" &&
    truncate -s 20M "$TMP/young/var/log/journal/x/system.journal"
ok "no archived file (no rate): not judged" case_is young ""

mkroot badsize
conf badsize /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=lots'
journal badsize 100 30
got badsize > "$TMP/badsize.got"
ok "a size that is not one: a warning, ignored as journald ignores it" sh -c "
    test ! -s '$TMP/badsize.got' &&
    grep -q 'SystemMaxUse=lots: not a size' '$TMP/badsize.err'"

# A percentage is not a size to journald (systemd 252: "Failed to parse
# size value, ignoring: 10%"): the value before it stands.
mkroot percent
conf percent /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=50M'
conf percent /etc/systemd/journald.conf.d/90-pct.conf '[Journal]' \
    'SystemMaxUse=10%'
journal percent 100 30
ok "SystemMaxUse=10% after 50M: journald keeps 50M (13 days)" sh -c "
    '$MAMORI' host -f json --fail-on none --root '$TMP/percent' \
        2> '$TMP/percent.err' | jq -r 'select(.rule == \"log-journald-size\")
        | (.file | sub(\".*/percent\"; \"\")) + \" \(.line) \(.value)\"' |
    grep -qx '/etc/systemd/journald.conf 2 13 days' &&
    grep -q 'SystemMaxUse=10%: not a size .*no percentage' '$TMP/percent.err'"
mkroot pctonly
conf pctonly /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=1%'
journal pctonly 100 30
ok "SystemMaxUse=1% alone: journald's default (4G at most): enough" \
    case_is pctonly ""
mkroot emptysize
conf emptysize /etc/systemd/journald.conf '[Journal]' 'SystemMaxUse=50M' \
    'SystemMaxUse='
journal emptysize 100 30
ok "SystemMaxUse= (empty) after 50M: back to the default: enough" \
    case_is emptysize ""

mkdir -p "$TMP/nojournald/var/lib/dpkg" &&
    printf 'Package: x\nStatus: install ok installed\n\n' \
        > "$TMP/nojournald/var/lib/dpkg/status"
ok "no journald.conf at all: its rules not judged" sh -c "
    '$MAMORI' host -f json --fail-on none --root '$TMP/nojournald' \
        2>/dev/null | jq -se 'map(select(.rule // \"\" |
        startswith(\"log-journald\"))) | length == 0' >/dev/null"
done_testing
