/*
 * rules.c — the rules of `mamori host`, as data. Each row says which
 * file and setting it reads, how the value is judged (in a set, not in a
 * set, a number at most, a list holding none of), what the value is when
 * nothing sets it (the program's own default, so that a missing line is
 * judged as the program behaves), the CIS Debian Linux benchmark
 * recommendation or Lynis test that asks the same, the severity and the
 * exact change to make. Titles and remedies in both languages are the
 * check's (data/checks/host.*.check); hostcheck.c applies a row and
 * holds no judgement of its own.
 *
 * Defaults are OpenSSH 9.2's (Debian 12) and Linux's. A new rule is a
 * new row (and, for a new kind of finding, a new .check file).
 */
#include "common.h"

#include "hostcheck/hostcheck.h"
#include "check_ids.h"

#define SSHD "/etc/ssh/sshd_config"
#define SYSCTL "/etc/sysctl.d/60-hardening.conf"

/* Ciphers, MACs and key exchanges the CIS benchmark and ssh-audit call
 * weak: CBC modes, 3DES, RC4, 64-bit tags, MD5, SHA-1 Diffie-Hellman. */
#define WEAK_CIPHERS                                                         \
    "3des-cbc aes128-cbc aes192-cbc aes256-cbc blowfish-cbc cast128-cbc "    \
    "arcfour arcfour128 arcfour256 rijndael-cbc@lysator.liu.se"
#define WEAK_MACS                                                            \
    "hmac-md5 hmac-md5-96 hmac-ripemd160 hmac-ripemd160@openssh.com "       \
    "hmac-sha1-96 umac-64@openssh.com hmac-md5-etm@openssh.com "             \
    "hmac-md5-96-etm@openssh.com hmac-ripemd160-etm@openssh.com "            \
    "hmac-sha1-96-etm@openssh.com umac-64-etm@openssh.com"
#define WEAK_KEX                                                             \
    "diffie-hellman-group1-sha1 diffie-hellman-group14-sha1 "                \
    "diffie-hellman-group-exchange-sha1 gss-gex-sha1-* gss-group1-sha1-* "   \
    "gss-group14-sha1-*"

static const mr_hc_rule rules[] = {
    /* ---- SSH: the effective global configuration ---- */
    {"ssh-permit-root-login", MR_CHECK_HOST_SSH_ROOT_LOGIN, MAMORI_SEV_HIGH,
     MR_HC_SSHD, SSHD, "PermitRootLogin", MR_HC_IN,
     "no prohibit-password without-password forced-commands-only", 0,
     "prohibit-password", NULL,
     "CIS Debian 12: Ensure sshd PermitRootLogin is disabled; Lynis SSH-7408",
     "PermitRootLogin no"},
    {"ssh-password-authentication", MR_CHECK_HOST_SSH_PASSWORD_AUTH,
     MAMORI_SEV_MEDIUM, MR_HC_SSHD, SSHD, "PasswordAuthentication", MR_HC_IN,
     "no", 0, "yes", NULL, "Lynis SSH-7408",
     "PasswordAuthentication no"},
    {"ssh-permit-empty-passwords", MR_CHECK_HOST_SSH_EMPTY_PASSWORDS,
     MAMORI_SEV_HIGH, MR_HC_SSHD, SSHD, "PermitEmptyPasswords", MR_HC_IN,
     "no", 0, "no", NULL,
     "CIS Debian 12: Ensure sshd PermitEmptyPasswords is disabled; "
     "Lynis SSH-7408",
     "PermitEmptyPasswords no"},
    {"ssh-max-auth-tries", MR_CHECK_HOST_SSH_MAX_AUTH_TRIES, MAMORI_SEV_LOW,
     MR_HC_SSHD, SSHD, "MaxAuthTries", MR_HC_LE, NULL, 4, "6", NULL,
     "CIS Debian 12: Ensure sshd MaxAuthTries is configured; Lynis SSH-7408",
     "MaxAuthTries 4"},
    {"ssh-x11-forwarding", MR_CHECK_HOST_SSH_X11_FORWARDING, MAMORI_SEV_LOW,
     MR_HC_SSHD, SSHD, "X11Forwarding", MR_HC_IN, "no", 0, "no", NULL,
     "CIS Debian 12: Ensure sshd X11Forwarding is disabled; Lynis SSH-7408",
     "X11Forwarding no"},
    {"ssh-login-grace-time", MR_CHECK_HOST_SSH_LOGIN_GRACE_TIME,
     MAMORI_SEV_LOW, MR_HC_SSHD, SSHD, "LoginGraceTime", MR_HC_LE, NULL, 60,
     "120", NULL, "CIS Debian 12: Ensure sshd LoginGraceTime is configured",
     "LoginGraceTime 60"},
    {"ssh-ciphers", MR_CHECK_HOST_SSH_WEAK_CIPHERS, MAMORI_SEV_MEDIUM,
     MR_HC_SSHD, SSHD, "Ciphers", MR_HC_NONE_OF, WEAK_CIPHERS, 0, NULL, NULL,
     "CIS Debian 12: Ensure sshd Ciphers are configured; Lynis SSH-7408",
     "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,"
     "aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr"},
    {"ssh-macs", MR_CHECK_HOST_SSH_WEAK_MACS, MAMORI_SEV_MEDIUM, MR_HC_SSHD,
     SSHD, "MACs", MR_HC_NONE_OF, WEAK_MACS, 0, NULL, NULL,
     "CIS Debian 12: Ensure sshd MACs are configured; Lynis SSH-7408",
     "MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
     "umac-128-etm@openssh.com,hmac-sha2-512,hmac-sha2-256"},
    {"ssh-kex", MR_CHECK_HOST_SSH_WEAK_KEX, MAMORI_SEV_MEDIUM, MR_HC_SSHD,
     SSHD, "KexAlgorithms", MR_HC_NONE_OF, WEAK_KEX, 0, NULL, NULL,
     "CIS Debian 12: Ensure sshd KexAlgorithms is configured",
     "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
     "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
     "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512"},

    /* ---- accounts ---- */
    {"account-uid0", MR_CHECK_HOST_ACCOUNT_UID0, MAMORI_SEV_CRITICAL,
     MR_HC_PASSWD_UID0, "/etc/passwd", "UID", MR_HC_IN, NULL, 0, NULL, NULL,
     "CIS Debian 12: Ensure root is the only UID 0 account; Lynis AUTH-9204",
     "usermod -u NEW_UID NAME (or userdel NAME)"},
    {"account-empty-password", MR_CHECK_HOST_ACCOUNT_EMPTY_HASH,
     MAMORI_SEV_HIGH, MR_HC_SHADOW_EMPTY, "/etc/shadow", "password hash",
     MR_HC_IN, NULL, 0, NULL, NULL,
     "CIS Debian 12: Ensure /etc/shadow password fields are not empty; "
     "Lynis AUTH-9283",
     "passwd -l NAME (or passwd NAME to set one)"},
    {"account-system-shell", MR_CHECK_HOST_ACCOUNT_SYSTEM_SHELL,
     MAMORI_SEV_MEDIUM, MR_HC_SYSTEM_SHELL, "/etc/passwd", "shell", MR_HC_IN,
     "/usr/sbin/nologin /sbin/nologin /bin/false /usr/bin/false /bin/sync "
     "/usr/sbin/halt /sbin/halt /usr/sbin/shutdown /sbin/shutdown", 1000,
     NULL, NULL,
     "CIS Debian 12: Ensure system accounts do not have a valid login shell",
     "usermod -s /usr/sbin/nologin NAME"},

    /* ---- files: limit holds the mode bits that must not be set ---- */
    {"file-passwd", MR_CHECK_HOST_FILE_PERMISSIONS, MAMORI_SEV_HIGH,
     MR_HC_MODE, "/etc/passwd", "mode", MR_HC_IN, NULL, 07133, NULL, NULL,
     "CIS Debian 12: Ensure permissions on /etc/passwd are configured; "
     "Lynis FILE-7524",
     "chown root:root /etc/passwd && chmod 644 /etc/passwd"},
    {"file-group", MR_CHECK_HOST_FILE_PERMISSIONS, MAMORI_SEV_HIGH,
     MR_HC_MODE, "/etc/group", "mode", MR_HC_IN, NULL, 07133, NULL, NULL,
     "CIS Debian 12: Ensure permissions on /etc/group are configured; "
     "Lynis FILE-7524",
     "chown root:root /etc/group && chmod 644 /etc/group"},
    {"file-shadow", MR_CHECK_HOST_FILE_PERMISSIONS, MAMORI_SEV_HIGH,
     MR_HC_MODE, "/etc/shadow", "mode", MR_HC_IN, NULL, 07137, NULL,
     "shadow",
     "CIS Debian 12: Ensure permissions on /etc/shadow are configured; "
     "Lynis FILE-7524",
     "chown root:shadow /etc/shadow && chmod 640 /etc/shadow"},
    {"file-gshadow", MR_CHECK_HOST_FILE_PERMISSIONS, MAMORI_SEV_HIGH,
     MR_HC_MODE, "/etc/gshadow", "mode", MR_HC_IN, NULL, 07137, NULL,
     "shadow",
     "CIS Debian 12: Ensure permissions on /etc/gshadow are configured",
     "chown root:shadow /etc/gshadow && chmod 640 /etc/gshadow"},
    {"file-sshd-config", MR_CHECK_HOST_FILE_PERMISSIONS, MAMORI_SEV_MEDIUM,
     MR_HC_MODE, SSHD, "mode", MR_HC_IN, NULL, 07133, NULL, NULL,
     "CIS Debian 12: Ensure permissions on /etc/ssh/sshd_config are "
     "configured; Lynis FILE-7524",
     "chown root:root /etc/ssh/sshd_config && chmod 600 "
     "/etc/ssh/sshd_config"},

    /* ---- kernel: runtime (live) or configured; unset is the kernel's
     * default ---- */
    {"kernel-randomize-va-space", MR_CHECK_HOST_KERNEL_ASLR, MAMORI_SEV_MEDIUM,
     MR_HC_SYSCTL, SYSCTL, "kernel.randomize_va_space", MR_HC_IN, "2", 0, "2",
     NULL, "CIS Debian 12: Ensure address space layout randomization is "
     "enabled; Lynis KRNL-6000",
     "kernel.randomize_va_space = 2"},
    {"kernel-suid-dumpable", MR_CHECK_HOST_KERNEL_SUID_DUMPABLE,
     MAMORI_SEV_LOW, MR_HC_SYSCTL, SYSCTL, "fs.suid_dumpable", MR_HC_IN, "0",
     0, "0", NULL, "CIS Debian 12: Ensure core dumps are restricted; "
     "Lynis KRNL-6000",
     "fs.suid_dumpable = 0"},
    {"kernel-accept-redirects", MR_CHECK_HOST_KERNEL_REDIRECTS,
     MAMORI_SEV_LOW, MR_HC_SYSCTL, SYSCTL,
     "net.ipv4.conf.all.accept_redirects", MR_HC_IN, "0", 0, "1", NULL,
     "CIS Debian 12: Ensure ICMP redirects are not accepted; "
     "Lynis KRNL-6000",
     "net.ipv4.conf.all.accept_redirects = 0"},
    {"kernel-send-redirects", MR_CHECK_HOST_KERNEL_REDIRECTS, MAMORI_SEV_LOW,
     MR_HC_SYSCTL, SYSCTL, "net.ipv4.conf.all.send_redirects", MR_HC_IN, "0",
     0, "1", NULL,
     "CIS Debian 12: Ensure packet redirect sending is disabled; "
     "Lynis KRNL-6000",
     "net.ipv4.conf.all.send_redirects = 0"},
    {"kernel-tcp-syncookies", MR_CHECK_HOST_KERNEL_SYNCOOKIES, MAMORI_SEV_LOW,
     MR_HC_SYSCTL, SYSCTL, "net.ipv4.tcp_syncookies", MR_HC_IN, "1 2", 0, "1",
     NULL, "CIS Debian 12: Ensure TCP SYN Cookies is enabled; "
     "Lynis KRNL-6000",
     "net.ipv4.tcp_syncookies = 1"},
    {"kernel-ip-forward", MR_CHECK_HOST_KERNEL_IP_FORWARD, MAMORI_SEV_MEDIUM,
     MR_HC_SYSCTL, SYSCTL, "net.ipv4.ip_forward", MR_HC_IN, "0", 0, "0", NULL,
     "CIS Debian 12: Ensure IP forwarding is disabled; Lynis KRNL-6000",
     "net.ipv4.ip_forward = 0"},

    /* ---- services: legacy packages installed (dpkg) ---- */
    {"service-telnetd", MR_CHECK_HOST_SERVICE_LEGACY, MAMORI_SEV_HIGH,
     MR_HC_PACKAGE, "/var/lib/dpkg/status",
     "telnetd inetutils-telnetd telnetd-ssl telnet-server", MR_HC_IN, NULL, 0,
     NULL, NULL, "CIS Debian 12: Ensure telnet server services are not in use",
     "apt purge PACKAGE"},
    {"service-rsh", MR_CHECK_HOST_SERVICE_LEGACY, MAMORI_SEV_HIGH,
     MR_HC_PACKAGE, "/var/lib/dpkg/status",
     "rsh-server rsh-redone-server", MR_HC_IN, NULL, 0, NULL, NULL,
     "CIS Debian 12: Ensure rsh client is not installed",
     "apt purge PACKAGE"},
    {"service-tftpd", MR_CHECK_HOST_SERVICE_LEGACY, MAMORI_SEV_HIGH,
     MR_HC_PACKAGE, "/var/lib/dpkg/status", "tftpd tftpd-hpa atftpd",
     MR_HC_IN, NULL, 0, NULL, NULL,
     "CIS Debian 12: Ensure tftp server services are not in use",
     "apt purge PACKAGE"},
    {"service-nis", MR_CHECK_HOST_SERVICE_LEGACY, MAMORI_SEV_HIGH,
     MR_HC_PACKAGE, "/var/lib/dpkg/status", "nis", MR_HC_IN, NULL, 0, NULL,
     NULL, "CIS Debian 12: Ensure NIS Server services are not in use",
     "apt purge PACKAGE"},
    {"service-xinetd", MR_CHECK_HOST_SERVICE_LEGACY, MAMORI_SEV_MEDIUM,
     MR_HC_PACKAGE, "/var/lib/dpkg/status", "xinetd openbsd-inetd "
     "inetutils-inetd", MR_HC_IN, NULL, 0, NULL, NULL,
     "CIS Debian 12: Ensure xinetd is not installed",
     "apt purge PACKAGE"},
};

const mr_hc_rule *mr_hc_rules(size_t *n)
{
    *n = MR_ARRAY_LEN(rules);
    return rules;
}
