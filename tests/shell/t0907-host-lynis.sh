#!/bin/bash
# t0907-host-lynis.sh — `mamori host` beside Lynis on a deliberately
# misconfigured throwaway system (issue 14, "Tested for real"). In a
# private mount, network and process namespace (unshare), an overlay of
# this machine's / with a tmpfs upper layer (scripts/deb-test.sh's
# pattern: nothing reaches the real /) gets the misconfigurations of
# tests/fixtures/host-lynis/misconfig, data, each naming the mamori rule
# that must report it. sshd is started inside the root (Lynis grades
# sshd -T only when sshd runs; the namespace ends it), Lynis audits the
# root from inside (chroot; its groups limited to those mamori's rules
# name, its plugins and resolver probes skipped, report and log in the
# root's /tmp), and `mamori host --root` from outside (the build's
# binary). Then: every misconfiguration is found by its rule; every
# Lynis warning and suggestion whose test a mamori rule names
# (data/hostchecks "Lynis" refs; SSH-7408 per option, by the rules'
# sshd setting) has a finding of one of those rules, unless
# tests/fixtures/host-lynis/why-not says why not; the items no rule
# names are listed with that file's reason. Needs root, unshare, an
# overlay file system and Lynis; 15-30 s, nearly all Lynis's.
# MAMORI_LYNIS_LIVE=1 adds the same comparison on this machine (Lynis
# live, the same groups, /etc/lynis overlaid in a private mount
# namespace for its settings; `mamori host` live; KRNL-6000 key by key,
# from Lynis's details[]): about 20 s more, so not in make test.
FX="$TESTS_DIR/fixtures/host-lynis"
SRC=${SOURCE_ROOT:-$TESTS_DIR/..}

# The groups of Lynis tests that mamori's rules name (SSH-, AUTH-,
# KRNL- and KRNL-6000's kernel_hardening, FILE-, HOME-, ACCT-, LOGG-,
# FINT-, HRDN-/MALW-, SHLL-, TIME-, USB-, NETW-3200, FIRE-, MAIL-, INSE-).
LYNIS_GROUPS="ssh authentication kernel kernel_hardening file_permissions
homedirs accounting logging file_integrity malware hardening shells time
usb networking firewalls mail_messaging insecure_services"

# lynis_settings DIR: Lynis's settings for a quick run, in DIR (its
# /etc/lynis): no plugins (Debian's scans every binary: a minute), a
# fixed host id (it hunts for a MAC address otherwise), no resolver
# probes; then lynis_run OUTDIR [CHROOT]: the audit, report and log in
# OUTDIR (a path inside the root when chrooted)
lynis_settings() {
    printf 'skip-plugins=yes\nskip-test=NETW-2704\nskip-test=NETW-2705\n' \
        > "$1/custom.prf"
    printf 'hostid=%s\nhostid2=%s\n' "$(printf '%040d' 7)" \
        "$(printf '%064d' 7)" > "$1/hostids"
}
lynis_run() {
    ${2:+chroot "$2"} env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        lynis audit system --quick --no-colors \
        --tests-from-group "$(echo $LYNIS_GROUPS)" \
        --report-file "$1/lynis.dat" --logfile "$1/lynis.log" \
        > "${OUT_DIR:-$1}/lynis.out" 2>&1 || true
}

# ---- this machine (MAMORI_LYNIS_LIVE=1): /etc/lynis overlaid ---------
# Run as: unshare --mount bash $0 --live OUTDIR MOUNTPOINT
if [ "${1:-}" = --live ]; then
    out=$2 t=$3
    set -e
    mount --make-rprivate /
    mount -t tmpfs -o size=16m,mode=0700 mamori-lynis "$t"
    mkdir "$t/upper" "$t/work"
    mount -t overlay overlay \
        -o "lowerdir=/etc/lynis,upperdir=$t/upper,workdir=$t/work" /etc/lynis
    lynis_settings /etc/lynis
    lynis_run "$out"
    "$MAMORI" host -f json --fail-on none > "$out/mamori.json" \
        2> "$out/mamori.err" || true
    exit 0
fi

# ---- inside the namespace: the root, its faults, both audits ---------
# Run as: unshare ... bash $0 --inside OUTDIR MOUNTPOINT
if [ "${1:-}" = --inside ]; then
    out=$2 t=$3
    set -e
    mount --make-rprivate /
    mount -t tmpfs -o size=512m,mode=0700 mamori-lynis "$t"
    mkdir "$t/upper" "$t/work" "$t/root"
    R=$t/root
    mount -t overlay overlay \
        -o "lowerdir=/,upperdir=$t/upper,workdir=$t/work" "$R" ||
        { echo overlay > "$out/skip"; exit 0; }
    mount -t proc proc "$R/proc"
    mount --rbind /dev "$R/dev"
    mount -t tmpfs tmpfs "$R/run"
    mount -t tmpfs tmpfs "$R/tmp"
    ip link set lo up 2>/dev/null || true  # the network namespace's own
    # apply: one line of the misconfig file
    while read -r rule op path rest; do
        case $rule in ''|'#'*) continue ;; esac
        f=$R$path
        case $op in
        first) { printf '%s\n' "$rest"; cat "$f"; } > "$f.new" &&
               cat "$f.new" > "$f" && rm "$f.new" ;;
        set)   key=${rest%% *}
               if grep -q "^[[:blank:]]*$key[[:blank:]]" "$f"; then
                   sed -i "s|^[[:blank:]]*$key[[:blank:]].*|$rest|" "$f"
               else printf '%s\n' "$rest" >> "$f"; fi ;;
        line)  mkdir -p "$(dirname "$f")" && printf '%s\n' "$rest" >> "$f" ;;
        mode)  chmod "$rest" "$f" ;;
        dir)   mkdir -p "$f" && chmod "$rest" "$f" ;;
        package) printf '\nPackage: %s\nStatus: install ok installed\nPriority: optional\nSection: net\nArchitecture: amd64\nVersion: 1.0-1\nDescription: fixture\n' \
                   "$path" >> "$R/var/lib/dpkg/status" ;;
        *)     echo "misconfig: unknown action $op" >&2; exit 1 ;;
        esac
    done < "$FX/misconfig"
    # sshd, so that Lynis reads its effective settings (sshd -T)
    mkdir -p "$R/run/sshd"
    chroot "$R" /usr/sbin/sshd >> "$out/sshd.err" 2>&1 || true
    lynis_settings "$R/etc/lynis"
    OUT_DIR=$out lynis_run /tmp "$R"
    cp "$R/tmp/lynis.dat" "$R/tmp/lynis.log" "$out/" 2>/dev/null || true
    "$MAMORI" host -f json --fail-on none --root "$R" \
        > "$out/mamori.json" 2> "$out/mamori.err" || true
    exit 0
fi

. "$(dirname "$0")/lib.sh"
test_lazy_prereq LYNIS 'command -v lynis >/dev/null 2>&1'
test_lazy_prereq SSHD 'test -x /usr/sbin/sshd'

# ---- the comparison --------------------------------------------------
test_expect_success ROOT,UNSHARE,LYNIS,SSHD,JQ \
    'Lynis and mamori audit a misconfigured overlay of this machine' '
    mkdir "$TMP/out" "$TMP/mnt" &&
    unshare --mount --net --pid --fork --mount-proc -- \
        bash "$TESTS_DIR/shell/t0907-host-lynis.sh" --inside \
        "$TMP/out" "$TMP/mnt" &&
    rmdir "$TMP/mnt" &&
    if [ -e "$TMP/out/skip" ]; then :; else
        grep -a "^tests_executed=" "$TMP/out/lynis.dat" | tr "|" "\n" |
            grep -qx SSH-7408 &&
        jq -r "select(.type == \"finding\") | .rule" "$TMP/out/mamori.json" |
            grep -q .
    fi
'
[ -s "$TMP/out/lynis.dat" ] && test_set_prereq RAN

# Lynis test (or SSH-7408:option, KRNL-6000:sysctl.key) -> mamori rule,
# from the references and, for sshd's options and sysctl keys, the
# rules' settings; host rules only.
awk '
    function flush() {
        if (rule != "" && (view == "" || view ~ /host/))
            for (i = 1; i <= nids; i++) {
                print ids[i], rule
                if (ids[i] == "SSH-7408" && source == "sshd" ||
                    ids[i] == "KRNL-6000" && source == "sysctl")
                    print ids[i] ":" tolower(setting), rule
            }
        rule = ""; view = ""; source = ""; setting = ""; nids = 0
    }
    /^[[:space:]]*$/ { flush(); next }
    /^rule:/ { rule = $2 }
    /^view:/ { view = $0 }
    /^source:/ { source = $2 }
    /^setting:/ { setting = $2 }
    /^ref:/ {
        s = $0
        while (match(s, /Lynis [A-Z]+-[0-9]+/)) {
            ids[++nids] = substr(s, RSTART + 6, RLENGTH - 6)
            s = substr(s, RSTART + RLENGTH)
        }
    }
    END { flush() }' "$SRC"/data/hostchecks/*.conf | sort -u > "$TMP/map"
grep -v '^#' "$FX/why-not" | grep . > "$TMP/why" || : > "$TMP/why"

# fired DIR: the rules with a finding in DIR's mamori report
fired() {
    jq -r 'select(.type == "finding" and .rule) | .rule' \
        "$1/mamori.json" | sort -u
}

test_expect_success RAN 'every misconfiguration applied is found by its rule' '
    fired "$TMP/out" > fired &&
    grep -v "^#" "$FX/misconfig" | awk "NF { print \$1 }" | sort -u > want &&
    comm -23 want fired > missing &&
    if [ -s missing ]; then
        echo "applied, and mamori did not report:"; cat missing; false
    fi
'

# items DIR [keys]: the warnings and suggestions of DIR's Lynis report,
# "KEY<TAB>verdict<TAB>text"; KEY is the test id, or SSH-7408:option
# (lower case) for sshd's; with "keys", KRNL-6000's suggestion is one
# item per sysctl key its details[] name (the running kernel's values:
# on this machine only, where mamori reads them too).
items() {
    LC_ALL=C awk -F'|' -v keys="${2:-}" '
        /^(warning|suggestion)\[\]=/ {
            v = substr($1, 1, index($1, "[") - 1)
            key = substr($1, index($1, "=") + 1)
            if (key == "KRNL-6000" && keys != "") next
            if (key == "SSH-7408") { split($3, o, " "); key = key ":" tolower(o[1]) }
            printf "%s\t%s\t%s\n", key, v, $2
        }
        /^details\[\]=KRNL-6000\|/ && keys != "" {
            f = $3; sub(/.*field:/, "", f); sub(/;.*/, "", f)
            d = $3; sub(/^desc:/, "", d); sub(/;.*/, "", d)
            printf "KRNL-6000:%s\tsuggestion\t%s (%s)\n", tolower(f), d, $3
        }' "$1/lynis.dat" | sort -u
}
# rest_of KEY FILE: the rest of FILE's lines whose first word is KEY
# (sshd's option names in any case)
rest_of() {
    awk -v k="$1" 'tolower($1) == tolower(k) { $1 = ""; print substr($0, 2) }' "$2"
}
# compare: prints each item with mamori's verdict; the items no rule
# names to ./uncovered, the ones a rule names and mamori missed to
# ./failed
compare() {
    : > failed && : > uncovered
    while IFS="$(printf '\t')" read -r key v text; do
        id=${key%%:*}
        rules=$(rest_of "$key" "$TMP/map")
        # an option or key no rule names is not covered by the test's
        [ -n "$rules" ] || [ "$id" != "$key" ] || rules=$(rest_of "$id" "$TMP/map")
        why=$(rest_of "$key" "$TMP/why")
        [ -n "$why" ] || why=$(rest_of "$id" "$TMP/why")
        if [ -z "$rules" ]; then
            echo "$key ($v): ${why:-no reason in why-not} [$text]" >> uncovered
            continue
        fi
        hit=
        for r in $rules; do grep -qx "$r" fired && hit="$hit $r"; done
        if [ -n "$hit" ]; then echo "$key: Lynis $v, mamori$hit"
        elif [ -n "$why" ]; then echo "$key: Lynis $v, mamori quiet on purpose: $why"
        else echo "$key ($v: $text): none of" $rules "reported" >> failed; fi
    done
}

test_expect_success RAN 'Lynis items a mamori rule names are mamori findings' '
    fired "$TMP/out" > fired && items "$TMP/out" > items && compare < items &&
    echo "Lynis items no mamori rule names:" && cat uncovered &&
    if [ -s failed ]; then echo "MISSED:"; cat failed; false; fi
'

# The same on this machine, on request (MAMORI_LYNIS_LIVE=1).
[ "${MAMORI_LYNIS_LIVE:-}" = 1 ] && test_set_prereq LIVE
test_expect_success LIVE,ROOT,UNSHARE,LYNIS,JQ \
    'on this machine too, Lynis items a mamori rule names are findings' '
    mkdir "$TMP/live" "$TMP/live-mnt" &&
    unshare --mount -- bash "$TESTS_DIR/shell/t0907-host-lynis.sh" --live \
        "$TMP/live" "$TMP/live-mnt" &&
    rmdir "$TMP/live-mnt" &&
    fired "$TMP/live" > fired && items "$TMP/live" keys > items &&
    test -s items && compare < items &&
    echo "Lynis items no mamori rule names:" && cat uncovered &&
    if [ -s failed ]; then echo "MISSED:"; cat failed; false; fi
'

test_done
