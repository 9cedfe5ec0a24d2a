#!/bin/bash
# t0900-host.sh — `mamori host --root DIR` on two fixture machines shaped
# after Debian 12's own files (tests/fixtures/host-bad and host-good):
# every rule fires on the bad one with the file and line that decided it
# and its fix, and none on the good one; Include (relative, globbed) and
# Match blocks as sshd reads them; sysctl files in the order they are
# applied; the modes git cannot keep are set on copies here, host keys
# made by ssh-keygen. Then exceptions, baselines, the Japanese fix, and
# on this machine sshd -T's values against the findings.
. "$(dirname "$0")/lib.sh"
FX="$TESTS_DIR/fixtures"

cp -r "$FX/host-bad" "$TMP/bad" && cp -r "$FX/host-good" "$TMP/good" || exit 1
chmod 666 "$TMP/bad/etc/passwd" "$TMP/bad/etc/ssh/sshd_config"
chmod 664 "$TMP/bad/etc/group"
chmod 644 "$TMP/bad/etc/shadow"
chmod 604 "$TMP/bad/etc/gshadow"
chmod 644 "$TMP/good/etc/passwd" "$TMP/good/etc/group"
chmod 640 "$TMP/good/etc/shadow" "$TMP/good/etc/gshadow"
chmod 600 "$TMP/good/etc/ssh/sshd_config" "$TMP/good/etc/crontab"
chmod 700 "$TMP/good/etc/cron.d" "$TMP/good/etc/cron.daily" \
    "$TMP/good/etc/cron.hourly" "$TMP/good/etc/cron.weekly" \
    "$TMP/good/etc/cron.monthly"
chmod 750 "$TMP/good/etc/sudoers.d"
chmod 600 "$TMP/good"/etc/ssh/ssh_host_*_key
chmod 644 "$TMP/bad"/etc/ssh/ssh_host_*_key
chmod 755 "$TMP/bad/etc/sudoers.d" "$TMP/bad/etc/cron.hourly" \
    "$TMP/bad/etc/cron.weekly" "$TMP/bad/etc/cron.monthly"
chmod 440 "$TMP/good/etc/sudoers"
chmod 644 "$TMP/bad/etc/crontab"
chmod 755 "$TMP/bad/etc/cron.d" "$TMP/bad/etc/cron.daily"
chmod 640 "$TMP/bad/etc/sudoers"
chmod 440 "$TMP/good"/etc/sudoers.d/*
chmod 644 "$TMP/bad"/etc/sudoers.d/*

# Real host keys (ssh-keygen): the good machine's RSA is 3072 bits, the
# bad one's 2048, and it still has a DSA key.
keys() { # ROOT TYPE BITS
    rm -f "$TMP/k" "$TMP/k.pub" &&
    ssh-keygen -q -t "$2" ${3:+-b "$3"} -N '' -C "root@$1" -f "$TMP/k" &&
    cp "$TMP/k.pub" "$TMP/$1/etc/ssh/ssh_host_$2_key.pub"
}
keys good rsa 3072 && keys good ed25519 && keys bad rsa 2048 &&
    keys bad dsa || exit 1
# Found, not named: a world-writable script and a SUID shell no package
# installed on the bad machine; passwd and su (listed as /bin/su, found
# in /usr/bin under usrmerge) on the good one.
mkdir -p "$TMP/bad/usr/local/bin" "$TMP/good/usr/bin" "$TMP/bad/usr/bin"
printf '#!/bin/sh\n' > "$TMP/bad/usr/local/bin/backup.sh"
chmod 777 "$TMP/bad/usr/local/bin/backup.sh"
printf 'fixture\n' > "$TMP/bad/usr/local/bin/rootsh"
chmod 4755 "$TMP/bad/usr/local/bin/rootsh"
printf 'fixture\n' > "$TMP/bad/usr/bin/passwd"
chmod 4755 "$TMP/bad/usr/bin/passwd"
for f in passwd su chsh; do
    printf 'fixture\n' > "$TMP/good/usr/bin/$f" && chmod 4755 "$TMP/good/usr/bin/$f"
done
chmod 1777 "$TMP/good/var/lib/dpkg/info"  # sticky: as /tmp, fine
chmod 777 "$TMP/bad/opt/tools/bin"
# A drop directory anyone may write in /usr/local/lib (t0907 found the
# tree unsearched), a shared one, sticky, on the good machine.
mkdir -p "$TMP/bad/usr/local/lib/drop" "$TMP/good/usr/local/lib/spool"
chmod 777 "$TMP/bad/usr/local/lib/drop"
chmod 1777 "$TMP/good/usr/local/lib/spool"
# A cron job left behind by a removed account (owners are judged only
# when the copies are root's).
printf '# m h dom mon dow user command\n' > "$TMP/bad/etc/cron.d/leftover"
[ "$(id -u)" = 0 ] && chown 4242:4242 "$TMP/bad/etc/cron.d/leftover"
# Homes: open on the bad machine, closed on the good one.
mkdir -p "$TMP/bad/home/taro" "$TMP/bad/home/guest" "$TMP/good/home/taro"
chmod 755 "$TMP/bad/home/taro" && chmod 750 "$TMP/bad/home/guest"
chmod 700 "$TMP/good/home/taro"
# Signatures: fresh on the good machine, ten days old on the bad one.
touch "$TMP/good/var/lib/clamav/daily.cld"
touch -d '10 days ago' "$TMP/bad/var/lib/clamav/daily.cvd"

# One line per finding: rule, check, file inside the root, line, value.
findings() {
    "$MAMORI" host -f json --fail-on none --root "$TMP/$1" 2> "$TMP/$1.err" |
    tee "$TMP/$1.json" |
    jq -r 'select(.type == "finding") | "\(.rule) | \(.check) | " +
        (.file | sub(".*/(bad|good)"; "")) + " | \(.line) | \(.value)"'
}

cat > "$TMP/bad.want" <<'W'
ssh-permit-root-login | host.ssh.root-login | /etc/ssh/sshd_config | 13 | yes
ssh-password-authentication | host.ssh.password-auth | /etc/ssh/sshd_config.d/50-cloud-init.conf | 1 | yes
ssh-permit-empty-passwords | host.ssh.empty-passwords | /etc/ssh/sshd_config.d/60-legacy.conf | 2 | yes
ssh-max-auth-tries | host.ssh.max-auth-tries | /etc/ssh/sshd_config.d/60-legacy.conf | 3 | 10
ssh-x11-forwarding | host.ssh.x11-forwarding | /etc/ssh/sshd_config | 27 | yes
ssh-login-grace-time | host.ssh.login-grace-time | /etc/ssh/sshd_config.d/60-legacy.conf | 4 | 2m
ssh-ciphers | host.ssh.weak-ciphers | /etc/ssh/sshd_config.d/60-legacy.conf | 5 | aes256-ctr,aes128-cbc,3des-cbc
ssh-macs | host.ssh.weak-macs | /etc/ssh/sshd_config.d/60-legacy.conf | 6 | hmac-sha2-256,hmac-md5,hmac-sha1-96
ssh-kex | host.ssh.weak-kex | /etc/ssh/sshd_config.d/60-legacy.conf | 7 | +diffie-hellman-group1-sha1
ssh-kbd-interactive | host.ssh.password-auth | /etc/ssh/sshd_config | 23 | yes
ssh-permit-user-environment | host.ssh.user-environment | /etc/ssh/sshd_config.d/60-legacy.conf | 8 | yes
ssh-ignore-rhosts | host.ssh.rhosts | /etc/ssh/sshd_config.d/60-legacy.conf | 9 | no
ssh-hostbased-authentication | host.ssh.rhosts | /etc/ssh/sshd_config.d/60-legacy.conf | 10 | yes
ssh-log-level | host.ssh.log-level | /etc/ssh/sshd_config.d/60-legacy.conf | 11 | QUIET
ssh-allow-users | host.ssh.allow-users | /etc/ssh/sshd_config | null | (none)
ssh-tcp-forwarding | host.ssh.forwarding | /etc/ssh/sshd_config | null | yes
ssh-agent-forwarding | host.ssh.forwarding | /etc/ssh/sshd_config | null | yes
ssh-permit-tunnel | host.ssh.forwarding | /etc/ssh/sshd_config.d/60-legacy.conf | 12 | yes
ssh-host-key-dsa | host.ssh.host-key | /etc/ssh/ssh_host_dsa_key.pub | null | ssh-dss
ssh-host-key-rsa-size | host.ssh.host-key | /etc/ssh/ssh_host_rsa_key.pub | null | 2048
account-uid0 | host.account.uid0 | /etc/passwd | 17 | toor
account-empty-password | host.account.empty-hash | /etc/shadow | 25 | guest
account-system-shell | host.account.system-shell | /etc/passwd | 22 | /bin/bash
account-umask | host.account.umask | /etc/login.defs | 20 | 022
account-pass-min-days | host.account.password-min-age | /etc/login.defs | 25 | 0
account-encrypt-method | host.account.password-hash | /etc/login.defs | 41 | MD5
password-pam-strength | password.policy-strength | /etc/pam.d/common-password | 3 | (none)
password-pam-history | password.policy-history | /etc/pam.d/common-password | 3 | (none)
password-pam-hash | password.policy-hash | /etc/pam.d/common-password | 3 | md5
password-pam-nullok | password.policy-empty | /etc/pam.d/common-auth | 2 | nullok
sudo-nopasswd | host.account.sudo | /etc/sudoers.d/90-ops | 2 | %ops
sudo-all-commands | host.account.sudo | /etc/sudoers.d/90-ops | 2 | %ops
sudo-noauthenticate | host.account.sudo | /etc/sudoers.d/90-ops | 3 | deploy
sudo-nopasswd | host.account.sudo | /etc/sudoers.d/90-ops | 4 | backup
file-passwd | host.file.permissions | /etc/passwd | null | 0666 0:0
file-group | host.file.permissions | /etc/group | null | 0664 0:0
file-shadow | host.file.permissions | /etc/shadow | null | 0644 0:0
file-gshadow | host.file.permissions | /etc/gshadow | null | 0604 0:0
file-sshd-config | host.file.permissions | /etc/ssh/sshd_config | null | 0666 0:0
file-crontab | host.file.permissions | /etc/crontab | null | 0644 0:0
file-cron-d | host.file.permissions | /etc/cron.d | null | 0755 0:0
file-cron-daily | host.file.permissions | /etc/cron.daily | null | 0755 0:0
file-sudoers | host.file.permissions | /etc/sudoers | null | 0640 0:0
file-cron-hourly | host.file.permissions | /etc/cron.hourly | null | 0755 0:0
file-cron-weekly | host.file.permissions | /etc/cron.weekly | null | 0755 0:0
file-cron-monthly | host.file.permissions | /etc/cron.monthly | null | 0755 0:0
file-sudoers-d | host.file.permissions | /etc/sudoers.d | null | 0755 0:0
file-ssh-host-ed25519-key | host.file.permissions | /etc/ssh/ssh_host_ed25519_key | null | 0644 0:0
file-ssh-host-rsa-key | host.file.permissions | /etc/ssh/ssh_host_rsa_key | null | 0644 0:0
file-ssh-host-ecdsa-key | host.file.permissions | /etc/ssh/ssh_host_ecdsa_key | null | 0644 0:0
file-sudoers-d-files | host.file.permissions | /etc/sudoers.d/90-ops | null | 0644 0:0
file-sudoers-d-files | host.file.permissions | /etc/sudoers.d/README | null | 0644 0:0
file-world-writable | host.file.world-writable | /usr/local/bin/backup.sh | null | 0777
file-world-writable | host.file.world-writable | /usr/local/lib/drop | null | 0777
file-suid-unowned | host.file.suid-unowned | /usr/local/bin/rootsh | null | 4755
file-root-path | host.file.root-path | /root/.profile | 2 | .
file-root-path | host.file.root-path | /root/.profile | 2 | /opt/tools/bin
file-home-modes | host.file.home | /etc/passwd | 24 | 0755
file-unowned | host.file.unowned | /etc/cron.d/leftover | null | 4242:4242
kernel-randomize-va-space | host.kernel.aslr | /etc/sysctl.d/70-appliance.conf | 3 | 0
kernel-suid-dumpable | host.kernel.suid-dumpable | /etc/sysctl.d/70-appliance.conf | 2 | 2
kernel-accept-redirects | host.kernel.redirects | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-send-redirects | host.kernel.redirects | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-tcp-syncookies | host.kernel.syncookies | /etc/sysctl.conf | 25 | 0
kernel-ip-forward | host.kernel.ip-forward | /etc/sysctl.conf | 28 | 1
kernel-default-accept-redirects | host.kernel.redirects | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-secure-redirects | host.kernel.redirects | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-ipv6-accept-redirects | host.kernel.redirects | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-accept-source-route | host.kernel.source-route | /etc/sysctl.d/70-appliance.conf | 4 | 1
kernel-rp-filter | host.kernel.rp-filter | /etc/sysctl.d/60-hardening.conf | null | 0
kernel-kptr-restrict | host.kernel.info-leak | /etc/sysctl.d/60-hardening.conf | null | 0
kernel-dmesg-restrict | host.kernel.info-leak | /etc/sysctl.d/60-hardening.conf | null | 0
kernel-protected-symlinks | host.kernel.protected-links | /etc/sysctl.d/99-protect-links.conf | 6 | 0
kernel-protected-hardlinks | host.kernel.protected-links | /etc/sysctl.d/99-protect-links.conf | 4 | 0
kernel-protected-fifos | host.kernel.protected-links | /etc/sysctl.d/99-protect-links.conf | 3 | 0
kernel-protected-regular | host.kernel.protected-links | /etc/sysctl.d/99-protect-links.conf | 5 | 0
kernel-icmp-echo-ignore-broadcasts | host.kernel.icmp | /etc/sysctl.d/70-appliance.conf | 5 | 0
kernel-icmp-ignore-bogus | host.kernel.icmp | /etc/sysctl.d/70-appliance.conf | 6 | 0
kernel-log-martians | host.kernel.martians | /etc/sysctl.d/60-hardening.conf | null | 0
kernel-default-log-martians | host.kernel.martians | /etc/sysctl.d/60-hardening.conf | null | 0
kernel-default-accept-source-route | host.kernel.source-route | /etc/sysctl.d/70-appliance.conf | 7 | 1
kernel-ipv6-default-accept-redirects | host.kernel.redirects | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-ipv6-accept-ra | host.kernel.ipv6-ra | /etc/sysctl.d/60-hardening.conf | null | 1
kernel-ptrace-scope | host.kernel.ptrace | /etc/sysctl.d/60-hardening.conf | null | 0
log-auditd | host.log.audit | /var/lib/dpkg/status | null | (none)
security-antivirus | host.security.antivirus | /var/lib/dpkg/status | null | (none)
service-telnetd | host.service.legacy | /var/lib/dpkg/status | 65 | inetutils-telnetd
service-rsh | host.service.legacy | /var/lib/dpkg/status | 75 | rsh-server
service-tftpd | host.service.legacy | /var/lib/dpkg/status | 85 | tftpd-hpa
service-nis | host.service.legacy | /var/lib/dpkg/status | 95 | nis
service-xinetd | host.service.legacy | /var/lib/dpkg/status | 105 | xinetd
service-talkd | host.service.legacy | /var/lib/dpkg/status | 115 | inetutils-talkd
service-time-sync | host.service.time-sync | /var/lib/dpkg/status | null | (none)
account-faillock-pam | host.account.lockout | /etc/pam.d/common-auth | null | (none)
account-faillock-deny | host.account.lockout | /etc/security/faillock.conf | 2 | 0
account-faillock-unlock-time | host.account.lockout | /etc/security/faillock.conf | 3 | 60
kernel-coredump-storage | host.kernel.core-dumps | /etc/systemd/coredump.conf | null | external
kernel-core-limit | host.kernel.core-dumps | /etc/security/limits.conf | null | (none)
kernel-module-dccp | host.kernel.modules | /etc/modprobe.d/blacklist.conf | null | (none)
kernel-module-sctp | host.kernel.modules | /etc/modprobe.d/blacklist.conf | null | (none)
kernel-module-rds | host.kernel.modules | /etc/modprobe.d/blacklist.conf | null | (none)
kernel-module-tipc | host.kernel.modules | /etc/modprobe.d/blacklist.conf | null | (none)
kernel-module-usb-storage | host.kernel.modules | /etc/modprobe.d/blacklist.conf | null | (none)
log-persistent | host.log.persistent | /var/log/journal | null | (none)
log-journald-storage | host.log.persistent | /etc/systemd/journald.conf | 2 | volatile
log-journald-retention | host.log.retention | /etc/systemd/journald.conf | 3 | 1week
log-rotation | host.log.retention | /etc/logrotate.conf | 3 | 28 days
log-rotation | host.log.retention | /etc/logrotate.d/rsyslog | 1 | 28 days
log-remote | host.log.remote | /etc/rsyslog.conf | null | (none)
log-audit-identity | host.log.audit | /etc/audit/rules.d/audit.rules | null | (none)
log-audit-privileged | host.log.audit | /etc/audit/rules.d/audit.rules | null | (none)
security-antivirus-signatures | host.security.antivirus | /var/lib/clamav/daily.cvd | null | 10 days
security-aide | host.security.integrity | /var/lib/aide/aide.db | null | (none)
security-firewall | host.security.firewall | /etc/nftables.conf | null | (none)
service-mta-loopback | host.service.mta | /etc/postfix/main.cf | 4 | all
service-mta-postfix-relay | host.service.mta-relay | /etc/postfix/main.cf | 5 | mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128 0.0.0.0/0
service-mta-exim-interfaces | host.service.mta | /etc/exim4/update-exim4.conf.conf | 7 | (empty)
service-mta-exim-relay | host.service.mta-relay | /etc/exim4/update-exim4.conf.conf | 11 | 192.168.0.0/16 ; 0.0.0.0/0
service-mta-exim-relay-domains | host.service.mta-relay | /etc/exim4/update-exim4.conf.conf | 9 | *
service-mta-exim-configtype | host.service.mta | /etc/exim4/update-exim4.conf.conf | 5 | internet
service-mta-opensmtpd-listen | host.service.mta | /etc/smtpd.conf | 6 | listen on all
service-mta-opensmtpd-relay | host.service.mta-relay | /etc/smtpd.conf | 12 | match from any for any action "relay"
service-mta-sendmail-listen | host.service.mta | /etc/mail/sendmail.mc | 8 | DAEMON_OPTIONS(`Family=inet,  Name=MTA-v4, Port=smtp')dnl
service-mta-sendmail-relay | host.service.mta-relay | /etc/mail/sendmail.mc | 10 | FEATURE(`promiscuous_relay')dnl
W

# Owners are judged only when the copies are root's (the test runs as root).
if [ "$(id -u)" != 0 ]; then
    sed -i 's/ 0:0$/ '"$(id -u):$(id -g)"'/' "$TMP/bad.want"
    sed -i '/^file-unowned /d' "$TMP/bad.want"
fi

findings bad > "$TMP/bad.got"
findings good > "$TMP/good.got"
ok "bad machine: every rule fires, with file, line and value" \
    diff -u "$TMP/bad.want" "$TMP/bad.got"
# Rules that fire once per file, line or account count once.
cut -d' ' -f1 "$TMP/bad.want" | sort -u > "$TMP/bad.rules"
ok "bad machine: every rule of the table is there" sh -c "
    test \$(jq -se 'map(select(.type == \"summary\")) | .[0].counters.rules' \
        '$TMP/bad.json') -eq \$(wc -l < '$TMP/bad.rules')"
ok "good machine: no findings" test ! -s "$TMP/good.got"
ok "good machine: every rule judged and passed" jq -se '
    map(select(.type == "summary"))[0].counters as $c |
    $c.rules == ($n | tonumber) and $c.passed == $c.rules and
    $c.findings == 0' --arg n "$(wc -l < "$TMP/bad.rules")" "$TMP/good.json"
ok "hardening index: 100 on the good machine, 0 on the bad one" sh -c "
    jq -se 'map(select(.type == \"summary\"))[0].counters.hardening_index == 100' \
        '$TMP/good.json' >/dev/null &&
    jq -se 'map(select(.type == \"summary\"))[0].counters.hardening_index == 0' \
        '$TMP/bad.json' >/dev/null"
ok "hardening index: one row per area, points possible weighed by severity" \
    jq -se 'map(select(.type == "summary"))[0].tables.by_area |
        map(.area) == ["ssh", "accounts", "files", "kernel", "services",
                       "logging", "security"] and
        all(.possible >= .rules and .points == .possible and .index == 100)' \
    "$TMP/good.json"
ok "good machine: nothing on standard error" test ! -s "$TMP/good.err"
ok "every finding has check, file, line or null, fix and reference" jq -se '
    map(select(.type == "finding")) | all(
        (.check | startswith("host.") or startswith("password.policy-")) and (.file | length > 0) and
        (.line == null or .line > 0) and (.fix | length > 0) and
        (.reference | length > 0) and (.countermeasures | length > 0))' \
    "$TMP/bad.json"
ok "sshd fix names the line it replaces" jq -se '
    map(select(.rule == "ssh-permit-root-login"))[0].fix ==
    "PermitRootLogin no (in place of \"PermitRootLogin yes\" on that line), then systemctl reload ssh"' \
    "$TMP/bad.json"
ok "account fix names the account" jq -se '
    map(select(.rule == "account-system-shell"))[0].fix ==
    "usermod -s /usr/sbin/nologin postgres"' "$TMP/bad.json"
ok "every NAME of a fix is the account" jq -se '
    map(select(.rule == "account-uid0"))[0].fix ==
    "usermod -u NEW_UID toor (or userdel toor)"' "$TMP/bad.json"
ok "weak ciphers: only the weak ones named" jq -se '
    map(select(.rule == "ssh-ciphers"))[0].evidence ==
    "Ciphers offers aes128-cbc,3des-cbc"' "$TMP/bad.json"
ok "package fix: purge the package installed" jq -se '
    map(select(.rule == "service-telnetd"))[0].fix ==
    "apt purge inetutils-telnetd"' "$TMP/bad.json"
ok "a removed package (config-files) is not installed" sh -c "
    grep -q 'Package: telnetd' '$TMP/good/var/lib/dpkg/status' &&
    ! grep -q telnetd '$TMP/good.got'"
ok "Japanese report: the change in Japanese label" sh -c "
    '$MAMORI' host --lang ja --fail-on none --root '$TMP/bad' 2>/dev/null |
    grep -q '変更: PermitRootLogin no'"
"$MAMORI" host --lang ja -f json --fail-on none --root "$TMP/bad" \
    > "$TMP/ja.json" 2>/dev/null
ok "Japanese fix: the glue around the change in Japanese" jq -se '
    (map(select(.rule == "ssh-permit-root-login"))[0].fix ==
     "PermitRootLogin no（その行の「PermitRootLogin yes」を置き換える）。その後 systemctl reload ssh") and
    (map(select(.rule == "account-pass-min-days"))[0].fix ==
     "PASS_MIN_DAYS 1（その行を置き換える）")' "$TMP/ja.json"
ok "Japanese fix: a rule's own Japanese fix, with the file put in" jq -se '
    map(select(.rule == "sudo-nopasswd"))[0].fix |
    test("^visudo -f .*/etc/sudoers.d/90-ops でその行から NOPASSWD: を削除する$")' \
    "$TMP/ja.json"
ok "Japanese fix: no English glue left" jq -se '
    map(select(.type == "finding") | .fix) |
    all(test("in place of|then systemctl|add to|\\(or ") | not)' "$TMP/ja.json"
ok "exit 1 on the bad machine, 0 on the good one" sh -c "
    '$MAMORI' host --root '$TMP/bad' >/dev/null 2>&1; test \$? -eq 1 &&
    '$MAMORI' host --root '$TMP/good' >/dev/null"
ok "--only picks rules of one area" sh -c "
    '$MAMORI' host -f json --fail-on none --only 'host.kernel.*' --root '$TMP/bad' \
        2>/dev/null | jq -se 'map(select(.type == \"finding\")) |
        length == $(grep -c '^kernel-' "$TMP/bad.want") and
        all(.category == \"kernel\")' >/dev/null"
ok "a root that does not exist: exit 2 and the reason" sh -c "
    '$MAMORI' host --root '$TMP/none' 2>&1 >/dev/null |
    grep -q 'cannot open the root'"
ok "an empty root: notes, no findings about missing files" sh -c "
    mkdir -p '$TMP/empty' &&
    '$MAMORI' host -f json --fail-on none --root '$TMP/empty' 2>'$TMP/empty.err' |
    jq -se 'map(select(.type == \"finding\")) | all(.category == \"kernel\")' \
        >/dev/null && grep -q 'SSH rules skipped' '$TMP/empty.err'"
# Include that loops (a file including itself) ends at sshd's depth.
mkdir -p "$TMP/loop/etc/ssh"
printf 'Include /etc/ssh/sshd_config\nPermitRootLogin yes\n' \
    > "$TMP/loop/etc/ssh/sshd_config"
ok "an Include loop ends with a warning" sh -c "
    '$MAMORI' host --fail-on none --root '$TMP/loop' 2>&1 >/dev/null |
    grep -q 'Include nested more than'"
ok "mamori audit --root includes the host review" sh -c "
    '$MAMORI' audit -f json --fail-on none --root '$TMP/bad' 2>/dev/null |
    jq -se 'map(select(.check == \"host.account.uid0\")) | length == 1' \
        >/dev/null"
# Exceptions: accepted findings stay in the report, marked; an expired
# exception is a finding; a line without a reason is refused.
cat > "$TMP/exc" <<'E'
# accepted deviations of the bad machine
ssh-x11-forwarding # the designers run CAD over SSH
host.kernel.* /etc/sysctl.d/70-appliance.conf until=2099-12-31 # vendor's settings
service-telnetd until=2020-01-01 # old terminal, retired
sudo-nopasswd
E
"$MAMORI" host -f json --fail-on none --root "$TMP/bad" --exceptions "$TMP/exc" \
    --save-baseline "$TMP/base" > "$TMP/exc.json" 2> "$TMP/exc.err"
ok "exceptions: accepted findings reported as accepted, severity info" jq -se '
    map(select(.accepted)) | length == 7 and all(.severity == "info") and
    (map(select(.rule == "ssh-x11-forwarding"))[0].accepted ==
        "the designers run CAD over SSH") and
    (map(select(.check | startswith("host.kernel.")))
        | all(.accepted_until == "2099-12-31"))' "$TMP/exc.json"
ok "exceptions: nothing hidden" jq -se '
    map(select(.type == "finding")) | length ==
    ($n | tonumber) + 1' --arg n "$(wc -l < "$TMP/bad.want")" "$TMP/exc.json"
ok "exceptions: an expired one is a finding, and accepts nothing" jq -se '
    (map(select(.check == "host.exception.expired")) | length == 1 and
        .[0].line == 4 and .[0].rule == "service-telnetd") and
    (map(select(.rule == "service-telnetd" and .check == "host.service.legacy"))
        | .[0].accepted == null and .[0].severity == "high")' "$TMP/exc.json"
ok "exceptions: a line without a reason is a warning, and ignored" sh -c "
    grep -q 'exc:5: warning: exception without a reason' '$TMP/exc.err' &&
    jq -se 'map(select(.rule == \"sudo-nopasswd\")) | all(.accepted == null)' \
        '$TMP/exc.json' >/dev/null"
ok "exceptions: the summary counts the accepted" jq -se '
    map(select(.type == "summary"))[0].counters.accepted == 7' "$TMP/exc.json"
ok "exceptions: a file that cannot be read is exit 2" sh -c "
    '$MAMORI' host --root '$TMP/bad' --exceptions '$TMP/none' >/dev/null 2>&1
    test \$? -eq 2"
# Baseline: one setting fixed and one sudo rule added since.
cp -a "$TMP/bad" "$TMP/bad2"
sed -i 's/^X11Forwarding yes/X11Forwarding no/' "$TMP/bad2/etc/ssh/sshd_config"
printf 'eve ALL=(ALL) NOPASSWD: /bin/sh\n' > "$TMP/bad2/etc/sudoers.d/95-eve"
chmod 440 "$TMP/bad2/etc/sudoers.d/95-eve"
"$MAMORI" host -f json --fail-on none --root "$TMP/bad2" --baseline "$TMP/base" \
    > "$TMP/base.json" 2>/dev/null
ok "baseline: saved with a line per finding" sh -c "
    test \$(grep -vc '^@file' '$TMP/base') -eq \$((\$(wc -l < '$TMP/bad.want') + 1)) &&
    head -1 '$TMP/base' | grep -q '^# mamori host baseline'"
ok "baseline: the new finding is marked new, and only it" jq -se '
    map(select(.baseline)) | length == 1 and .[0].rule == "sudo-nopasswd" and
    .[0].baseline == "new" and (.[0].file | endswith("/etc/sudoers.d/95-eve"))' \
    "$TMP/base.json"
ok "baseline: the fixed finding is in the summary" jq -se '
    map(select(.type == "summary"))[0] | .counters.new == 1 and
    .counters.fixed == 1 and .tables.fixed == [{"rule": "ssh-x11-forwarding",
        "file": "/etc/ssh/sshd_config", "value": "yes"}]' "$TMP/base.json"
ok "baseline: the configuration files are hashed, secrets and /var aside" sh -c "
    grep -q '^@file	/etc/ssh/sshd_config	[0-9a-f]\{64\}\$' '$TMP/base' &&
    grep -q '^@file	/etc/sudoers.d/90-ops	' '$TMP/base' &&
    ! grep -q '^@file	\(/etc/shadow\|/etc/gshadow\|/var/\)' '$TMP/base'"
ok "baseline: drift names the changed and added files and their findings" jq -se '
    map(select(.type == "summary"))[0] |
    .counters.changed_files == 2 and .tables.changed_files == [
        {"file": "/etc/ssh/sshd_config", "change": "changed", "owner": $o,
         "new_findings": 0},
        {"file": "/etc/sudoers.d/95-eve", "change": "added", "owner": $o,
         "new_findings": 1}]' --arg o "$(id -u):$(id -g)" "$TMP/base.json"
ok "baseline: not a baseline is exit 2 and the reason" sh -c "
    '$MAMORI' host --root '$TMP/bad' --baseline '$TMP/exc' 2>&1 >/dev/null |
    grep -q 'not a mamori host baseline'"
# On this machine sshd -T decides (when it runs here): the SSH findings
# are exactly those its values call for.
if [ -x /usr/sbin/sshd ] && /usr/sbin/sshd -T > "$TMP/sshd-T" 2>/dev/null; then
    "$MAMORI" host -f json --fail-on none --only 'host.ssh.*' \
        > "$TMP/live.json" 2>/dev/null
    t() { awk -v k="$1" '$1 == k { print $2; exit }' "$TMP/sshd-T"; }
    want=
    [ "$(t maxauthtries)" -gt 4 ] && want="$want ssh-max-auth-tries"
    [ "$(t logingracetime)" -gt 60 ] && want="$want ssh-login-grace-time"
    [ "$(t x11forwarding)" != no ] && want="$want ssh-x11-forwarding"
    [ "$(t allowtcpforwarding)" != no ] && want="$want ssh-tcp-forwarding"
    [ "$(t permittunnel)" != no ] && want="$want ssh-permit-tunnel"
    got=$(jq -r 'select(.rule == "ssh-max-auth-tries" or
        .rule == "ssh-login-grace-time" or .rule == "ssh-x11-forwarding" or
        .rule == "ssh-tcp-forwarding" or .rule == "ssh-permit-tunnel") |
        .rule' "$TMP/live.json" | sort | tr '\n' ' ')
    want=$(printf '%s\n' $want | sort | tr '\n' ' ')
    ok "live: sshd -T's values decide (want: $want)" test "$got" = "$want"
    ok "live: a value from sshd -T says so" jq -se '
        map(select(.type == "finding" and .setting != "AllowUsers AllowGroups"
            and (.evidence | test(" offers ") | not)))
        | all(.evidence | endswith("(sshd -T)"))' "$TMP/live.json"
else
    skip "live: sshd -T's values decide" "sshd -T does not run here (not root, or no sshd)"
    skip "live: a value from sshd -T says so" "sshd -T does not run here"
fi
# --log-days moves the retention bar of every rule that judges it
cp -r "$FX/host-bad" "$TMP/ldbad" && cp -r "$FX/host-good" "$TMP/ldgood" || exit 1
retention() { "$MAMORI" host --fail-on none --root "$1" ${2:-} -f json --only host.log.retention 2>/dev/null |
    jq -s '[.[] | select(.type == "finding")] | length'; }
ok "--log-days: the bad root's 28 days of logs and a week of journal fall short of 90" test "$(retention "$TMP/ldbad")" -ge 2
ok "--log-days 7: a week of each is enough" test "$(retention "$TMP/ldbad" "--log-days 7")" -eq 0
ok "--log-days: the good root keeps 91 days, so 90 pass" test "$(retention "$TMP/ldgood")" -eq 0
ok "--log-days 400: and 400 do not (rotation and journald alike)" test "$(retention "$TMP/ldgood" "--log-days 400")" -ge 2
"$MAMORI" host --root "$TMP/ldgood" --log-days 0 >/dev/null 2>"$TMP/days.err"; st=$?
ok "--log-days 0: a usage error naming the range" sh -c "test $st -eq 2 && grep -q 'takes 1 to 3650' '$TMP/days.err'"
# limits.conf read as pam_limits reads it (issue 14, h31): the '#'
# comment cut, exactly four fields: "LINE | finding or -".
while IFS='|' read -r line want; do
    line=$(printf '%s' "$line" | sed 's/ *$//') want=$(echo $want)
    rm -rf "$TMP/lim" && cp -r "$FX/host-good" "$TMP/lim" &&
    printf '%s\n' "$line" > "$TMP/lim/etc/security/limits.conf"
    got=$("$MAMORI" host -f json --fail-on none --only host.kernel.core-dumps \
        --root "$TMP/lim" 2>/dev/null |
        jq -r 'select(.type == "finding" and .rule == "kernel-core-limit") | .rule')
    ok "limits.conf '$line': ${want}" test "$got" = "$([ "$want" = - ] || echo "$want")"
done <<'T'
* hard core 0 # CIS 1.5            | -
*	-	core	0                  | -
* hard core 5 # was 0              | kernel-core-limit
* hard corefile 0                  | kernel-core-limit
* hard core 0 extra                | kernel-core-limit
#* hard core 0                     | kernel-core-limit
T
done_testing
