/*
 * authgen.c — writes a scenario of login logs and its ground truth, for
 * the authscan detection test (tests/shell/t0600-authscan.sh):
 *
 *   authgen DIR [SEED]  ->  DIR/auth.log     sshd + vsftpd/proftpd/pure-ftpd
 *                           DIR/access.log   web logins (combined format)
 *                           DIR/truth.txt    "category source account" lines
 *
 * A week of normal users (daily logins from office addresses, password
 * typos followed by a success, a mistyped user name, key logins, hour-long
 * sessions) with, on separate days, one campaign of each attack type and
 * successful break-ins. Times are ISO 8601 (UTC); the traditional form is
 * covered by the unit tests. Deterministic for a seed.
 *
 * The second list-based attack (day 5, IMAP/POP3 through Dovecot) holds
 * the break-ins that hide inside a campaign: a success before the
 * source's failures elsewhere, a success between failures, and a success
 * from a fresh address of the campaign's network shortly after it. Day 6
 * adds what a real log holds: sshd failures told by pam_unix only (old
 * Red Hat) and by pam_unix and sshd both (one count each), a dictionary
 * attack (many passwords on each of many names: brute force, not
 * enumeration), root brute force mixed with an enumeration (both), and a
 * scanner that never tries a login (probing).
 */
#include "common.h"

#define DAY 86400
#define T0 1761955200 /* 2025-11-01T00:00:00Z */
#define NUSERS 40

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static FILE *auth, *web, *truth;
static unsigned pidc = 1000;

static void stamp(FILE *f, long t)
{
    long d = t / DAY, s = t % DAY;
    /* days since 2025-11-01; the scenario stays in November */
    fprintf(f, "2025-11-%02ldT%02ld:%02ld:%02ld+00:00 srv ", d - (T0 / DAY) + 1,
            s / 3600, s / 60 % 60, s % 60);
}

__attribute__((format(printf, 3, 4)))
static void ssh(long t, unsigned pid, const char *fmt, ...)
{
    va_list ap;
    stamp(auth, t);
    fprintf(auth, "sshd[%u]: ", pid);
    va_start(ap, fmt);
    vfprintf(auth, fmt, ap);
    va_end(ap);
    fputc('\n', auth);
}

static void prog(long t, const char *tag, const char *msg)
{
    stamp(auth, t);
    fprintf(auth, "%s: %s\n", tag, msg);
}

static void user(char *buf, size_t n, unsigned i) { snprintf(buf, n, "user%02u", i); }

static void dovecot_fail(long t, const char *u, const char *ip, int pop)
{
    char msg[256];
    snprintf(msg, sizeof(msg), pop
             ? "pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<%s>, method=PLAIN, rip=%s, lip=10.0.0.2, session=<x%ld>"
             : "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<%s>, method=PLAIN, rip=%s, lip=10.0.0.2, TLS, session=<x%ld>",
             u, ip, t);
    prog(t, "dovecot", msg);
}

static void dovecot_login(long t, const char *u, const char *ip)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "imap-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=10.0.0.2, mpid=%ld, TLS, session=<y%ld>",
             u, ip, t % 30000, t);
    prog(t, "dovecot", msg);
}

/* Day 5, 20:00: 150 leaked addresses once each from 30 sources of
 * 198.19.0.0/24, and the three break-ins hidden in it. */
static void mail_stuffing(void)
{
    char u[64], ip[32];
    long t = T0 + 5 * DAY + 20 * 3600 + 300;
    for (unsigned a = 0; a < 150; a++) {
        unsigned src = a % 30;
        snprintf(ip, sizeof(ip), "198.19.0.%u", 10 + src);
        snprintf(u, sizeof(u), "leak%03u@example.com", 500 + a);
        long ta = t + a * 20;
        if (a == 1) { /* success first, failures elsewhere after */
            user(u, sizeof(u), 5);
            dovecot_login(ta, u, ip);
            fprintf(truth, "break-in %s %s\n", ip, u);
            continue;
        }
        if (a == 62) { /* a success between failures */
            user(u, sizeof(u), 6);
            dovecot_login(ta, u, ip);
            fprintf(truth, "break-in %s %s\n", ip, u);
            continue;
        }
        dovecot_fail(ta, u, ip, a % 3 == 0);
    }
    /* a fresh address of the same network, ten minutes after the end */
    user(u, sizeof(u), 9);
    dovecot_login(t + 150 * 20 + 600, u, "198.19.0.200");
    fprintf(truth, "break-in 198.19.0.200 %s\ncredential-stuffing - -\n", u);
}

/* Day 6, 05:00-07:00: the line forms of real logs. */
static void real_forms(void)
{
    char msg[256], u[32];
    long t = T0 + 6 * DAY + 5 * 3600;
    /* pam_unix only (sshd(pam_unix) of old Red Hat): 12 root guesses */
    for (int k = 0; k < 12; k++) {
        stamp(auth, t + k * 20);
        fprintf(auth, "sshd(pam_unix)[%u]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=%s  user=root\n",
                pidc++, "203.0.113.70");
    }
    fprintf(truth, "brute-force 203.0.113.70 root\n");
    /* pam_unix and sshd both, and a summary: 8 attempts in all */
    t += 600;
    for (int k = 0; k < 2; k++) {
        unsigned pid = pidc++;
        long tc = t + k * 120;
        snprintf(msg, sizeof(msg), "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root", "203.0.113.71");
        stamp(auth, tc);
        fprintf(auth, "sshd[%u]: %s\n", pid, msg);
        ssh(tc + 2, pid, "Failed password for root from %s port %d ssh2", "203.0.113.71", 46000 + k);
        ssh(tc + 9, pid, "message repeated 3 times: [ Failed password for root from %s port %d ssh2]", "203.0.113.71", 46000 + k);
        ssh(tc + 9, pid, "error: maximum authentication attempts exceeded for root from %s port %d ssh2 [preauth]", "203.0.113.71", 46000 + k);
        ssh(tc + 9, pid, "Disconnecting authenticating user root %s port %d: Too many authentication failures [preauth]", "203.0.113.71", 46000 + k);
        stamp(auth, tc + 9);
        fprintf(auth, "sshd[%u]: PAM 3 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root\n", pid, "203.0.113.71");
    }
    fprintf(truth, "brute-force 203.0.113.71 root\n");
    /* a dictionary attack: 10 names, 6 passwords each */
    static const char *const names[] = {"test", "nagios", "oracle", "git", "ubnt",
                                        "hadoop", "mysql", "tomcat", "ftp", "www"};
    t += 900;
    for (int k = 0; k < 60; k++) {
        unsigned pid = pidc++;
        const char *n = names[k / 6];
        ssh(t + k * 8, pid, "Invalid user %s from %s port %d", n, "203.0.113.72", 47000 + k);
        ssh(t + k * 8 + 2, pid, "Failed password for invalid user %s from %s port %d ssh2", n, "203.0.113.72", 47000 + k);
        ssh(t + k * 8 + 3, pid, "Connection closed by invalid user %s %s port %d [preauth]", n, "203.0.113.72", 47000 + k);
    }
    fprintf(truth, "brute-force 203.0.113.72 -\n");
    /* root brute force with an enumeration mixed in: both */
    t += 900;
    for (int k = 0; k < 48; k++) {
        unsigned pid = pidc++;
        if (k % 6 == 5) {
            snprintf(u, sizeof(u), "%s", names[k / 6]);
            ssh(t + k * 6, pid, "Invalid user %s from %s port %d", u, "203.0.113.73", 48000 + k);
            ssh(t + k * 6 + 2, pid, "Failed password for invalid user %s from %s port %d ssh2", u, "203.0.113.73", 48000 + k);
        } else {
            ssh(t + k * 6 + 2, pid, "Failed password for %s from %s port %d ssh2", "root", "203.0.113.73", 48000 + k);
        }
    }
    fprintf(truth, "brute-force 203.0.113.73 root\nuser-enumeration 203.0.113.73 -\n");
    /* a scanner: 30 connections in an hour, no login try */
    t += 900;
    for (int k = 0; k < 30; k++) {
        unsigned pid = pidc++;
        switch (k % 3) {
        case 0: ssh(t + k * 120, pid, "Did not receive identification string from %s port %d", "203.0.113.60", 49000 + k); break;
        case 1: ssh(t + k * 120, pid, "banner exchange: Connection from %s port %d: invalid format", "203.0.113.60", 49000 + k); break;
        default: ssh(t + k * 120, pid, "Connection closed by %s port %d [preauth]", "203.0.113.60", 49000 + k); break;
        }
    }
    fprintf(truth, "probing 203.0.113.60 -\n");
}

static void normal_week(void)
{
    char u[32], ip[32];
    for (int day = 0; day < 7; day++)
        for (unsigned i = 0; i < NUSERS; i++) {
            long t = T0 + (long)day * DAY + 9 * 3600 + rnd(8 * 3600);
            unsigned pid = pidc++;
            user(u, sizeof(u), i);
            snprintf(ip, sizeof(ip), "10.0.%u.%u", i % 4, 10 + i % 15);
            unsigned r = rnd(100);
            if (r < 10) /* password typo, then right */
                ssh(t - 20, pid, "Failed password for %s from %s port 50000 ssh2", u, ip);
            if (r >= 10 && r < 13) { /* user name typo */
                char typo[40];
                snprintf(typo, sizeof(typo), "%sx", u);
                ssh(t - 30, pid, "Invalid user %s from %s port 50001", typo, ip);
                ssh(t - 28, pid, "Failed password for invalid user %s from %s port 50001 ssh2", typo, ip);
            }
            ssh(t, pid, r % 3 ? "Accepted password for %s from %s port 50002 ssh2"
                              : "Accepted publickey for %s from %s port 50002 ssh2", u, ip);
            ssh(t + 1800 + rnd(7200), pid, "Disconnected from user %s %s port 50002", u, ip);
            if (i % 8 == 0) { /* web users */
                long w = t + 600;
                if (r < 20)
                    fprintf(web, "%s - - [%02d/Nov/2025:%02ld:%02ld:%02ld +0000] \"POST /wp-login.php HTTP/1.1\" 200 4000 \"-\" \"Mozilla/5.0\"\n",
                            ip, day + 1, (w % DAY) / 3600, w / 60 % 60, w % 60);
                w += 15;
                fprintf(web, "%s - - [%02d/Nov/2025:%02ld:%02ld:%02ld +0000] \"POST /wp-login.php HTTP/1.1\" 302 0 \"-\" \"Mozilla/5.0\"\n",
                        ip, day + 1, (w % DAY) / 3600, w / 60 % 60, w % 60);
            }
        }
}

static void attacks(void)
{
    char u[64], ip[32], msg[256];
    long t;
    /* day 1: brute force on root; brute force then break-in on backup */
    t = T0 + DAY + 2 * 3600;
    for (int k = 0; k < 60; k++)
        ssh(t + k * 10, pidc++, "Failed password for %s from %s port 40000 ssh2", "root", "203.0.113.10");
    fprintf(truth, "brute-force 203.0.113.10 root\n");
    t += 3600;
    for (int k = 0; k < 30; k++)
        ssh(t + k * 8, pidc++, "Failed password for %s from %s port 40001 ssh2", "backup", "203.0.113.11");
    ssh(t + 300, pidc++, "Accepted password for %s from %s port 40001 ssh2", "backup", "203.0.113.11");
    fprintf(truth, "brute-force 203.0.113.11 backup\nbreak-in 203.0.113.11 backup\n");
    /* day 2: user enumeration; spraying of real accounts */
    static const char *const names[] = {"admin", "test", "oracle", "ubuntu", "pi",
        "git", "postgres", "guest", "ftpuser", "support", "deploy1", "jenkins"};
    t = T0 + 2 * DAY + 3 * 3600;
    for (size_t k = 0; k < MR_ARRAY_LEN(names); k++) {
        ssh(t + (long)k * 5, pidc, "Invalid user %s from %s port 41000", names[k], "203.0.113.20");
        ssh(t + (long)k * 5 + 1, pidc++, "Failed password for invalid user %s from %s port 41000 ssh2", names[k], "203.0.113.20");
    }
    fprintf(truth, "user-enumeration 203.0.113.20 -\n");
    t += 3 * 3600;
    for (unsigned i = 0; i < 25; i++) {
        user(u, sizeof(u), i);
        ssh(t + i * 60, pidc++, "Failed password for %s from %s port 42000 ssh2", u, "203.0.113.30");
    }
    fprintf(truth, "spraying 203.0.113.30 -\n");
    /* day 3: list-based attack from 40 sources, 200 accounts once each,
     * three of them real with the leaked password: break-ins */
    t = T0 + 3 * DAY + 1 * 3600;
    for (unsigned a = 0; a < 200; a++) {
        snprintf(ip, sizeof(ip), "198.18.%u.%u", a % 40 / 10, 1 + a % 40);
        long ta = t + a * 15;
        if (a % 50 == 7) {
            user(u, sizeof(u), a % NUSERS);
            ssh(ta, pidc++, "Accepted password for %s from %s port 43000 ssh2", u, ip);
            fprintf(truth, "break-in %s %s\n", ip, u);
        } else if (a % 5 < 2) {
            user(u, sizeof(u), a % NUSERS);
            ssh(ta, pidc++, "Failed password for %s from %s port 43000 ssh2", u, ip);
        } else {
            snprintf(u, sizeof(u), "leak%03u@example.com", a);
            ssh(ta, pidc, "Invalid user %s from %s port 43000", u, ip);
            ssh(ta + 1, pidc++, "Failed password for invalid user %s from %s port 43000 ssh2", u, ip);
        }
    }
    fprintf(truth, "credential-stuffing - -\n");
    /* day 4: distributed brute force on one account */
    t = T0 + 4 * DAY + 4 * 3600;
    for (unsigned s = 0; s < 30; s++) {
        snprintf(ip, sizeof(ip), "192.0.2.%u", 10 + s);
        for (int k = 0; k < 2; k++)
            ssh(t + s * 100 + k * 40, pidc++, "Failed password for %s from %s port 44000 ssh2", "deploy", ip);
    }
    fprintf(truth, "distributed-brute-force - deploy\n");
    /* day 5: FTP — vsftpd brute force (PAM), anonymous login, ProFTPD
     * user enumeration, Pure-FTPd brute force */
    t = T0 + 5 * DAY + 5 * 3600;
    for (int k = 0; k < 20; k++) {
        prog(t + k * 6, "vsftpd",
             "pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=ftpuser rhost=203.0.113.40 user=ftpuser");
    }
    fprintf(truth, "brute-force 203.0.113.40 ftpuser\n");
    prog(t + 600, "vsftpd", "[pid 3321] [ftp] OK LOGIN: Client \"203.0.113.41\", anon password \"a@b\"");
    fprintf(truth, "anonymous-login 203.0.113.41 -\n");
    for (int k = 0; k < 10; k++) {
        snprintf(msg, sizeof(msg), "srv (scan.example[203.0.113.42]) - USER %s: no such user found from 203.0.113.42 [203.0.113.42] to 10.0.0.1:21",
                 names[k]);
        prog(t + 900 + k * 3, "proftpd[777]", msg);
    }
    fprintf(truth, "user-enumeration 203.0.113.42 -\n");
    for (int k = 0; k < 15; k++)
        prog(t + 1500 + k * 4, "pure-ftpd",
             "(?@203.0.113.43) [WARNING] Authentication failed for user [webmaster]");
    fprintf(truth, "brute-force 203.0.113.43 webmaster\n");
    /* day 6: WordPress brute force; root by password; a long session */
    t = T0 + 6 * DAY + 2 * 3600;
    for (int k = 0; k < 30; k++)
        fprintf(web, "203.0.113.50 - - [07/Nov/2025:02:%02d:%02d +0000] \"POST /wp-login.php HTTP/1.1\" 200 4000 \"-\" \"python-requests/2.31\"\n",
                k / 6, k * 10 % 60);
    fprintf(truth, "brute-force 203.0.113.50 -\n");
    ssh(t + 7200, 9001, "Accepted password for %s from %s port 45000 ssh2", "root", "10.0.0.5");
    fprintf(truth, "privileged-login 10.0.0.5 root\n");
    ssh(t + 7300, 9002, "Accepted publickey for %s from %s port 45001 ssh2", "dave", "10.0.1.9");
    ssh(t + 7300 + 14 * 3600, 9002, "Disconnected from user %s %s port 45001", "dave", "10.0.1.9");
    fprintf(truth, "long-session 10.0.1.9 dave\n");
}

int main(int argc, char **argv)
{
    char path[4096];
    if (argc < 2) {
        fprintf(stderr, "usage: authgen DIR [SEED]\n");
        return 2;
    }
    if (argc > 2)
        rng ^= strtoull(argv[2], NULL, 10) * 0x9e3779b97f4a7c15ULL;
    snprintf(path, sizeof(path), "%s/auth.log", argv[1]);
    auth = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/access.log", argv[1]);
    web = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/truth.txt", argv[1]);
    truth = fopen(path, "w");
    if (!auth || !web || !truth) {
        perror("authgen");
        return 2;
    }
    normal_week();
    attacks();
    mail_stuffing();
    real_forms();
    if (fclose(auth) || fclose(web) || fclose(truth)) {
        perror("authgen");
        return 2;
    }
    return 0;
}
