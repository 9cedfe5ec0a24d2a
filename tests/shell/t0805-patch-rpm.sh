#!/bin/bash
# t0805-patch-rpm.sh — `mamori patch --root` on RPM-based roots (Rocky
# Linux 9, RHEL 9, CentOS 7) whose RPM database is built here: tiny rpms
# made with rpmbuild (no files, a source package and its binaries, an
# epoch, noarch and x86_64), recorded with `rpm --root DIR --justdb` in
# a real sqlite rpmdb. The inventory (name, epoch:version-release, source
# rpm) is checked through OSV records of the release's ecosystem matched
# in RPM's version order; dnf-automatic (installed, apply_updates, its
# timers) through no-automatic-updates; the database at
# /usr/lib/sysimage/rpm behind the /var/lib/rpm symlink, a relative
# --root, and a corrupt database.
. "$(dirname "$0")/lib.sh"
# Roots are built under $TMP: never anywhere else.
[ -n "$TMP" ] && [ -d "$TMP" ] || { echo "t0805: no test directory" >&2; exit 1; }

if ! command -v rpmbuild >/dev/null 2>&1 || ! command -v rpm >/dev/null 2>&1
then
    skip "RPM roots" "rpmbuild or rpm missing (Debian package rpm)"
    done_testing
    exit
fi

# The rpms: NAME-VERSION-RELEASE of the source, the binary's name, its
# epoch or "", its arch.
cat > "$TMP/sub.spec" <<'EOF'
Name: %{pname}
Version: %{pver}
Release: %{prel}
%{?pepoch:Epoch: %{pepoch}}
Summary: mamori test fixture
License: MIT
%{?parch:BuildArch: %{parch}}
%description
A source package of a mamori test root.
%package -n %{bname}
Summary: mamori test fixture binary
%description -n %{bname}
A binary package of a mamori test root: no files.
%files -n %{bname}
EOF
sed '/^%package/,$d' "$TMP/sub.spec" > "$TMP/main.spec"
echo '%files' >> "$TMP/main.spec"
mkrpm() { # source version release binary epoch arch
    spec=sub
    [ "$1" = "$4" ] && spec=main
    rpmbuild -bb --quiet --define "_topdir $TMP/top" \
        --define "pname $1" --define "pver $2" --define "prel $3" \
        --define "bname $4" ${5:+--define "pepoch $5"} \
        ${6:+--define "parch $6"} "$TMP/$spec.spec" >/dev/null 2>&1
}
mkrpm openssl 3.0.7 24.el9 openssl-libs 1 ""
mkrpm bash 5.1.8 6.el9 bash "" ""
mkrpm tzdata 2024.a 1.el9 tzdata "" noarch
mkrpm dnf 4.14.0 5.el9 dnf-automatic "" noarch
ok "rpmbuild made the four packages" \
    test "$(find "$TMP/top/RPMS" -name '*.rpm' | wc -l)" = 4

mkroot() { # DIR DBPATH RPM...
    d=$1 db=$2
    shift 2
    mkdir -p "$d/etc"
    rpm --root "$d" --dbpath "$db" --initdb &&
    rpm --root "$d" --dbpath "$db" -i --justdb --nodeps --noscripts \
        --nosignature --ignorearch "$@" >/dev/null 2>&1
    printf '%s\n' 'NAME="Rocky Linux"' 'VERSION="9.4 (Blue Onyx)"' \
        'ID="rocky"' 'VERSION_ID="9.4"' \
        'PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"' > "$d/etc/os-release"
}
ALL=$(find "$TMP/top/RPMS" -name '*.rpm' | sort)
mkroot "$TMP/rocky" /var/lib/rpm $ALL
ok "a real sqlite rpmdb in the root" test -s "$TMP/rocky/var/lib/rpm/rpmdb.sqlite"
ok "rpm itself lists the four" \
    test "$(rpm --root "$TMP/rocky" --dbpath /var/lib/rpm -qa | wc -l)" = 4

# OSV records of Rocky Linux 9 (and one of AlmaLinux 9).
OSV=$TMP/osv
mkdir -p "$OSV"
osv() { # file id ecosystem name fixed
    printf '{"id": "%s", "published": "2024-01-10T00:00:00Z",
  "aliases": ["CVE-2024-%s"], "database_specific": {"severity": "high"},
  "affected": [{"package": {"ecosystem": "%s", "name": "%s"},
    "ranges": [{"type": "ECOSYSTEM",
      "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}\n' \
        "$2" "${2##*:}" "$3" "$4" "$5" > "$OSV/$1.json"
}
osv a RLSA-2024:0001 "Rocky Linux:9" openssl-libs 1:3.0.7-27.el9
osv b RLSA-2024:0002 "Rocky Linux:9" openssl 1:3.0.7-25.el9
osv c RLSA-2024:0003 "Rocky Linux:9" bash 5.1.8-6.el9
osv d RLSA-2024:0004 "Rocky Linux:9" tzdata 2024.1-1.el9
osv e ALSA-2024:0005 "AlmaLinux:9" bash 5.1.8-9.el9
osv f RLSA-2024:0006 "Rocky Linux:9" openssl-libs 3.0.7-30.el9

(cd "$TMP" && "$MAMORI" patch --root rocky --osv "$OSV" --format json) \
    > "$TMP/rocky.json" 2> "$TMP/rocky.err"
if grep -q "built without librpm" "$TMP/rocky.err"; then
    skip "RPM inventory" "mamori built without librpm (-Drpm)"
    done_testing
    exit
fi
has() { jq -se "[.[] | select(.type == \"finding\") | select($1)] | length $2" \
    "$TMP/$3.json"; }
ok "relative --root: the four packages read" \
    jq -se '[.[] | select(.type == "summary")][0].counters.packages == 4' \
    "$TMP/rocky.json"
ok "no dpkg note on an RPM root" sh -c '! grep -q "no dpkg status" "$0"' \
    "$TMP/rocky.err"
ok "binary name, epoch:version-release: openssl-libs 1:3.0.7-24.el9" \
    has '.category == "known-vulnerability" and .package == "openssl-libs"
         and .installed == "1:3.0.7-24.el9" and .fixed == "1:3.0.7-27.el9"
         and .release == "Rocky Linux:9"' '== 1' rocky
ok "source rpm name and version, the binary's epoch: openssl" \
    has '.category == "known-vulnerability" and .package == "openssl"
         and .binary == "openssl-libs" and .installed == "1:3.0.7-24.el9"'\
    '== 1' rocky
ok "the fixed version installed: no finding" \
    has '.package == "bash"' '== 0' rocky
ok "RPM's order (2024.1 newer than 2024.a; Debian's says older)" \
    has '.category == "known-vulnerability" and .package == "tzdata"' \
    '== 1' rocky
ok "no epoch in the fix is epoch 0: older than 1:" \
    has '.fixed == "3.0.7-30.el9"' '== 0' rocky
ok "dnf-automatic installed, not applying, no timer: both reasons" \
    has '.category == "no-automatic-updates" and .reasons ==
         ["apply_updates is not set in /etc/dnf/automatic.conf",
          "no dnf-automatic timer is enabled"] and (.fix | test("dnf"))' \
    '== 1' rocky
ok "Rocky 9.4 is supported: no eol-release" \
    has '.category == "eol-release"' '== 0' rocky

# The image is never written: librpm's sqlite would leave -shm and -wal
# files beside the database; mamori reads a private copy in TMPDIR.
cp -a "$TMP/rocky" "$TMP/ro"
rm -f "$TMP/ro/var/lib/rpm/"rpmdb.sqlite-* "$TMP/ro/var/lib/rpm/.rpm.lock"
(cd "$TMP/ro" && find . -printf '%p %s %T@\n' | sort) > "$TMP/ro.before"
mkdir "$TMP/tmpdir"
TMPDIR=$TMP/tmpdir "$MAMORI" patch --root "$TMP/ro" --format json \
    > "$TMP/ro.json" 2>/dev/null
(cd "$TMP/ro" && find . -printf '%p %s %T@\n' | sort) > "$TMP/ro.after"
ok "read from a copy: four packages" \
    jq -se '[.[] | select(.type == "summary")][0].counters.packages == 4' \
    "$TMP/ro.json"
ok "the root is left as it was (no -shm, -wal or lock file)" \
    test_cmp "$TMP/ro.before" "$TMP/ro.after"
ok "the private copy is removed" test -z "$(ls -A "$TMP/tmpdir")"

# dnf-automatic configured: apply_updates and the timer enabled.
cp -a "$TMP/rocky" "$TMP/auto"
mkdir -p "$TMP/auto/etc/dnf" "$TMP/auto/usr/lib/systemd/system" \
    "$TMP/auto/etc/systemd/system/timers.target.wants"
printf '[commands]\nupgrade_type = security\napply_updates = yes\n' \
    > "$TMP/auto/etc/dnf/automatic.conf"
touch "$TMP/auto/usr/lib/systemd/system/dnf-automatic.timer"
ln -s /usr/lib/systemd/system/dnf-automatic.timer \
    "$TMP/auto/etc/systemd/system/timers.target.wants/"
"$MAMORI" patch --root "$TMP/auto" --format json > "$TMP/auto.json" 2>/dev/null
ok "configured, never run (no stamp, no dnf.log): that reason" \
    has '.category == "no-automatic-updates" and .reasons ==
         ["no run in the last 48 hours (its timer'"'"'s stamp, dnf.log)"] and
         .last_run == null' '== 1' auto
mkdir -p "$TMP/auto/var/lib/systemd/timers" "$TMP/auto/var/log"
touch -d '3 days ago' "$TMP/auto/var/lib/systemd/timers/stamp-dnf-automatic.timer"
printf '%s DDEBUG Command: dnf upgrade\n' "$(date -u +%Y-%m-%dT%H:%M:%S+0000)" \
    > "$TMP/auto/var/log/dnf.log"
"$MAMORI" patch --root "$TMP/auto" --format json > "$TMP/auto.json" 2>/dev/null
ok "its timer last triggered 3 days ago (the stamp wins over dnf.log)" \
    has '.category == "no-automatic-updates" and
         .last_run == "'"$(date -u -d '3 days ago' +%Y-%m-%d)"'"' '== 1' auto
rm "$TMP/auto/var/lib/systemd/timers/stamp-dnf-automatic.timer"
"$MAMORI" patch --root "$TMP/auto" --format json > "$TMP/auto.json" 2>/dev/null
ok "no stamp: dnf.log's run of today" \
    has '.category == "no-automatic-updates"' '== 0' auto
rm "$TMP/auto/var/log/dnf.log"
touch "$TMP/auto/var/lib/systemd/timers/stamp-dnf-automatic.timer"
"$MAMORI" patch --root "$TMP/auto" --format json > "$TMP/auto.json" 2>/dev/null
ok "apply_updates = yes, dnf-automatic.timer enabled and run now: quiet" \
    has '.category == "no-automatic-updates"' '== 0' auto
cp -a "$TMP/auto" "$TMP/auto2"
printf '[commands]\napply_updates = no\n' > "$TMP/auto2/etc/dnf/automatic.conf"
"$MAMORI" patch --root "$TMP/auto2" --format json > "$TMP/auto2.json" 2>/dev/null
ok "apply_updates = no: that reason alone" \
    has '.category == "no-automatic-updates" and .reasons ==
         ["apply_updates is not set in /etc/dnf/automatic.conf"]' '== 1' auto2
rm "$TMP/auto2/etc/systemd/system/timers.target.wants/dnf-automatic.timer"
touch "$TMP/auto2/usr/lib/systemd/system/dnf-automatic-install.timer"
ln -s /usr/lib/systemd/system/dnf-automatic-install.timer \
    "$TMP/auto2/etc/systemd/system/timers.target.wants/"
"$MAMORI" patch --root "$TMP/auto2" --format json > "$TMP/auto3.json" 2>/dev/null
ok "dnf-automatic-install.timer installs whatever apply_updates says" \
    has '.category == "no-automatic-updates"' '== 0' auto3

# Without dnf-automatic, in /usr/lib/sysimage/rpm behind /var/lib/rpm.
mkroot "$TMP/sysimage" /usr/lib/sysimage/rpm \
    $(echo "$ALL" | grep -v dnf-automatic)
mkdir -p "$TMP/sysimage/var/lib"
ln -s ../../usr/lib/sysimage/rpm "$TMP/sysimage/var/lib/rpm"
sed -i 's/^ID=.*/ID="rhel"/; s/^VERSION_ID=.*/VERSION_ID="9.4"/' \
    "$TMP/sysimage/etc/os-release"
"$MAMORI" patch --root "$TMP/sysimage" --format json \
    > "$TMP/sysimage.json" 2>/dev/null
ok "the database in /usr/lib/sysimage/rpm: three packages" \
    jq -se '[.[] | select(.type == "summary")][0].counters.packages == 3' \
    "$TMP/sysimage.json"
ok "dnf-automatic not installed: that reason" \
    has '.category == "no-automatic-updates" and .reasons ==
         ["dnf-automatic is not installed"]' '== 1' sysimage
sed -i 's/^ID=.*/ID="centos"/; s/^VERSION_ID=.*/VERSION_ID="7"/' \
    "$TMP/sysimage/etc/os-release"
"$MAMORI" patch --root "$TMP/sysimage" --format json \
    > "$TMP/centos.json" 2>/dev/null
ok "CentOS 7: past all support, high" \
    has '.category == "eol-release" and .stage == "ended" and
         .severity == "high" and .lts_end == "2024-06-30"' '== 1' centos
sed -i 's/^ID=.*/ID="rhel"/; s/^VERSION_ID=.*/VERSION_ID="7.9"/' \
    "$TMP/sysimage/etc/os-release"
"$MAMORI" patch --root "$TMP/sysimage" --format json \
    > "$TMP/rhel7.json" 2>/dev/null
if [ "$(date -u +%Y%m%d)" -gt 20240630 ] && [ "$(date -u +%Y%m%d)" -le 20280630 ]
then
    ok "RHEL 7.9 (the row of 7): past maintenance, in paid ELS: low" \
        has '.category == "eol-release" and .stage == "lts" and
             .severity == "low" and .regular_end == "2024-06-30"' '== 1' rhel7
else
    skip "RHEL 7 ELS stage" "today is outside 2024-07-01..2028-06-30"
fi

# A corrupt database: a warning, the other findings still come.
cp -a "$TMP/rocky" "$TMP/bad"
rm -f "$TMP/bad/var/lib/rpm/"rpmdb.sqlite-*
head -c 8192 /dev/urandom > "$TMP/bad/var/lib/rpm/rpmdb.sqlite"
"$MAMORI" patch --root "$TMP/bad" --format json > "$TMP/bad.json" \
    2> "$TMP/bad.err"
ok "corrupt rpmdb: a warning naming it" \
    grep -q "rpmdb.sqlite: warning: librpm cannot open" "$TMP/bad.err"
ok "corrupt rpmdb: still valid JSON" jq -e . "$TMP/bad.json"
ok "nothing of librpm's own on stderr" \
    sh -c '! grep -v "^mamori patch: " "$0"' "$TMP/bad.err"

# A damaged database behind a valid header (librpm would leak its
# connection on it): SQLite's header kept, the schema page overwritten.
cp -a "$TMP/rocky" "$TMP/damaged"
rm -f "$TMP/damaged/var/lib/rpm/"rpmdb.sqlite-*
python3 - "$TMP/damaged/var/lib/rpm/rpmdb.sqlite" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[100:4096] = bytes((i * 37 + 11) % 256 for i in range(100, 4096))
open(p, "wb").write(b)
PY
"$MAMORI" patch --root "$TMP/damaged" --format json > "$TMP/damaged.json" \
    2> "$TMP/damaged.err"
ok "a damaged database: found before librpm opens it" \
    grep -q "rpmdb.sqlite: warning: librpm cannot open the RPM database: damaged" "$TMP/damaged.err"
ok "a damaged database: still valid JSON, no package read" \
    jq -se '[.[] | select(.type == "summary")] | length == 0' "$TMP/damaged.json"
ok "a sound database with no Packages table: named" sh -c '
    cp -a "$0/rocky" "$0/nopk" && rm -f "$0/nopk/var/lib/rpm/"rpmdb.sqlite-* &&
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"DROP TABLE Packages\"); c.commit()" "$0/nopk/var/lib/rpm/rpmdb.sqlite" &&
    "$1" patch --root "$0/nopk" --format json 2>&1 >/dev/null | grep -q "no Packages table"' "$TMP" "$MAMORI"

# dnf's cached repositories: candidates from primary.xml (gzip, zstd),
# security ones from updateinfo.xml.
cp -a "$TMP/rocky" "$TMP/dnf"
HA=$(uname -m)
repo() { # DIR PRIMARY-PACKAGES [UPDATEINFO-UPDATES]
    d=$TMP/dnf/var/cache/dnf/$1/repodata
    mkdir -p "$d"
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm">%s</metadata>\n' "$2" > "$d/primary.xml"
    ui=""
    if [ -n "${3:-}" ]; then
        printf '<?xml version="1.0"?>\n<updates>%s</updates>\n' "$3" | gzip > "$d/abc-updateinfo.xml.gz"
        ui='<data type="updateinfo"><location href="repodata/abc-updateinfo.xml.gz"/></data>'
    fi
    printf '<?xml version="1.0"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo"><revision>1</revision><data type="primary"><location href="repodata/%s"/></data>%s</repomd>\n' "$4" "$ui" > "$d/repomd.xml"
}
pk() { # name arch epoch ver rel
    printf '<package type="rpm"><name>%s</name><arch>%s</arch><version epoch="%s" ver="%s" rel="%s"/><format><rpm:sourcerpm>x.src.rpm</rpm:sourcerpm></format></package>' "$@"
}
repo baseos-0123456789abcdef \
    "$(pk bash "$HA" 0 5.1.8 9.el9)$(pk openssl-libs "$HA" 1 3.0.7 27.el9)$(pk openssl-libs i686 1 3.0.7 30.el9)$(pk zsh "$HA" 0 5.8 9.el9)" \
    '<update type="security"><id>RLSA-2024:0001</id><pkglist><collection><package name="openssl-libs" arch="'"$HA"'" epoch="1" version="3.0.7" release="27.el9"><filename>x.rpm</filename></package></collection></pkglist></update><update type="bugfix"><id>RLBA-2024:0002</id><pkglist><collection><package name="bash" arch="'"$HA"'" epoch="0" version="5.1.8" release="9.el9"/></collection></pkglist></update>' \
    abc-primary.xml.gz
gzip "$TMP/dnf/var/cache/dnf/baseos-0123456789abcdef/repodata/primary.xml"
mv "$TMP/dnf/var/cache/dnf/baseos-0123456789abcdef/repodata/primary.xml.gz" \
    "$TMP/dnf/var/cache/dnf/baseos-0123456789abcdef/repodata/abc-primary.xml.gz"
repo appstream-fedcba9876543210 "$(pk tzdata noarch 0 2024.b 1.el9)" "" abc-primary.xml.zst
zstd -q --rm "$TMP/dnf/var/cache/dnf/appstream-fedcba9876543210/repodata/primary.xml" \
    -o "$TMP/dnf/var/cache/dnf/appstream-fedcba9876543210/repodata/abc-primary.xml.zst"
# a repository whose repomd points out of its directory: not followed
repo evil-00 "$(pk bash "$HA" 0 9 9)" "" ../../../../etc/os-release
"$MAMORI" patch --root "$TMP/dnf" --format json > "$TMP/dnf.json" 2> "$TMP/dnf.err"
ok "openssl-libs: a security update (updateinfo), from baseos" \
    has '.category == "pending-security-update" and .package == "openssl-libs" and
         .candidate == "1:3.0.7-27.el9" and .origin == "baseos"' '== 1' dnf
ok "bash: a bugfix update (low)" \
    has '.category == "pending-update" and .package == "bash" and
         .candidate == "5.1.8-9.el9"' '== 1' dnf
ok "tzdata from appstream (zstd)" \
    has '.category == "pending-update" and .package == "tzdata" and
         .candidate == "2024.b-1.el9" and .origin == "appstream"' '== 1' dnf
ok "nothing else: another arch, a package not installed, an href out of the repo" \
    has '(.category | test("^pending"))' '== 3' dnf
ok "the summary counts them" \
    jq -se '[.[] | select(.type == "summary")][0].counters |
            .updates == 3 and .security_updates == 1' "$TMP/dnf.json"
ok "metadata refreshed now: not stale" \
    has '.category == "stale-package-lists"' '== 0' dnf
touch -d '10 days ago' "$TMP/dnf/var/cache/dnf/"*/repodata/repomd.xml
"$MAMORI" patch --root "$TMP/dnf" --format json > "$TMP/dnf-old.json" 2>/dev/null
ok "every repomd.xml 10 days old: stale-package-lists, with dnf's step" \
    has '.category == "stale-package-lists" and .days == 10 and (.fix | test("dnf makecache"))' '== 1' dnf-old
# a primary list cut short: what came before it is used
B=$TMP/dnf/var/cache/dnf/baseos-0123456789abcdef/repodata
zcat "$B/abc-primary.xml.gz" | head -c 200 | gzip > "$B/cut.gz" && mv "$B/cut.gz" "$B/abc-primary.xml.gz"
"$MAMORI" patch --root "$TMP/dnf" --format json > "$TMP/dnf2.json" 2> "$TMP/dnf2.err"
ok "a cut primary list is named" grep -q "abc-primary.xml.gz.*what came before is used" "$TMP/dnf2.err"
ok "and the other repository still read" \
    has '.package == "tzdata"' '== 1' dnf2

# Kernels installed side by side; under a root GRUB's default entry
# stands for the running one.
mkrpm kernel 5.14.0 362.8.1.el9_3 kernel-core "" ""
mkrpm kernel 5.14.0 427.13.1.el9_4 kernel-core "" ""
KA=$(uname -m)
# the newer recorded first, the older after it (--oldpackage)
mkroot "$TMP/kern" /var/lib/rpm $ALL $(find "$TMP/top/RPMS" -name 'kernel-core-*427*.rpm')
rpm --root "$TMP/kern" --dbpath /var/lib/rpm -i --justdb --nodeps --noscripts \
    --nosignature --ignorearch --oldpackage \
    $(find "$TMP/top/RPMS" -name 'kernel-core-*362*.rpm') >/dev/null 2>&1
ok "both kernels in the database" \
    test "$(rpm --root "$TMP/kern" --dbpath /var/lib/rpm -q kernel-core | wc -l)" = 2
mkdir -p "$TMP/kern/boot/grub2"
printf '# GRUB Environment Block\nsaved_entry=%s-5.14.0-362.8.1.el9_3.%s\n' \
    0123456789abcdef0123456789abcdef "$KA" > "$TMP/kern/boot/grub2/grubenv"
"$MAMORI" patch --root "$TMP/kern" --format json > "$TMP/kern.json" 2>/dev/null
ok "the default boot entry older than the newest kernel-core: reboot-required" \
    has '.category == "reboot-required" and .running == "5.14.0-362.8.1.el9_3.'"$KA"'" and
         .candidate == "5.14.0-427.13.1.el9_4.'"$KA"'" and (.file | endswith("grubenv"))' '== 1' kern
printf 'saved_entry=5.14.0-427.13.1.el9_4.%s\n' "$KA" > "$TMP/kern/boot/grub2/grubenv"
"$MAMORI" patch --root "$TMP/kern" --format json > "$TMP/kern2.json" 2>/dev/null
ok "the newest is the default: no reboot" \
    has '.category == "reboot-required"' '== 0' kern2
# A repository offering the newest kernel installed: no update (the
# inventory weighs it against the newest of the two, not the last read).
mkdir -p "$TMP/kern/var/cache/dnf/baseos-1/repodata"
printf '<?xml version="1.0"?>\n<metadata>%s</metadata>\n' \
    "$(pk kernel-core "$KA" 0 5.14.0 427.13.1.el9_4)" \
    > "$TMP/kern/var/cache/dnf/baseos-1/repodata/primary.xml"
printf '<?xml version="1.0"?>\n<repomd><data type="primary"><location href="repodata/primary.xml"/></data></repomd>\n' \
    > "$TMP/kern/var/cache/dnf/baseos-1/repodata/repomd.xml"
"$MAMORI" patch --root "$TMP/kern" --format json > "$TMP/kern3.json" 2>/dev/null
ok "kernels side by side: the newest is what updates are weighed against" \
    has '.package == "kernel-core" and (.category | test("^pending"))' '== 0' kern3

done_testing
