/*
 * test_authparse.c — the auth log parsers: syslog header forms and year
 * inference (across New Year), sshd messages with hostile user names,
 * FTP servers' lines, and the CIDR matcher of --allow; then every form
 * of the second round, one test per program, with the origin each line
 * gets (direct, pam_unix, summary) that the engine's one-count-per-try
 * rule works from: sshd's pam_unix and summary and preauth lines, su and
 * sudo, Dovecot, Postfix smtpd and Exim (syslog and mainlog).
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"
#include "auth/parse.h"

#define JAN_2026 1767614400   /* 2026-01-05T12:00:00Z */

static int parse(const char *line, mr_auth_event *ev)
{
    mr_auth_clock clk;
    mr_auth_clock_init(&clk, JAN_2026);
    return mr_auth_parse_syslog(&clk, line, strlen(line), ev);
}

static void assert_span(mr_span s, const char *want)
{
    assert_int_equal(s.n, strlen(want));
    assert_memory_equal(s.p, want, s.n);
}

static void test_traditional_year_rollover(void **state)
{
    (void)state;
    mr_auth_event ev;
    assert_int_equal(parse("Dec 31 23:59:59 h sshd[1]: Failed password for root from 192.0.2.1 port 2 ssh2", &ev), MR_PARSE_OK);
    assert_int_equal(ev.time, 1767225599); /* 2025-12-31T23:59:59 */
    assert_int_equal(ev.hour, 23);
    assert_int_equal(ev.pid, 1);
    assert_int_equal(parse("Jan  1 00:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 2 ssh2", &ev), MR_PARSE_OK);
    assert_int_equal(ev.time, 1767225601); /* 2026-01-01T00:00:01 */
    assert_int_equal(parse("Feb 30 00:00:01 h sshd[1]: x", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Foo  1 00:00:01 h sshd[1]: x", &ev), MR_PARSE_MALFORMED);
}

static void test_iso_and_5424(void **state)
{
    (void)state;
    mr_auth_event ev;
    assert_int_equal(parse("2025-11-01T10:00:00.5+09:00 h sshd[7]: Accepted publickey for bob from 2001:db8::1 port 22 ssh2", &ev), MR_PARSE_OK);
    assert_int_equal(ev.time, 1761958800); /* 01:00Z */
    assert_int_equal(ev.hour, 10);
    assert_int_equal(ev.result, MR_AUTH_SUCCESS);
    assert_int_equal(ev.method, MR_AM_PUBLICKEY);
    assert_span(ev.source, "2001:db8::1");
    assert_int_equal(parse("<38>1 2025-11-01T10:00:00Z h sshd 77 - [a b=\"\\]\\\"\"] Invalid user x y from 192.0.2.9 port 1", &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, MR_AUTH_INVALID_USER);
    assert_int_equal(ev.pid, 77);
    assert_span(ev.account, "x y");
}

static void test_sshd_hostile_user(void **state)
{
    (void)state;
    mr_auth_event ev;
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[1]: Failed password for invalid user a from 6.6.6.6 port 1 ssh2 from 192.0.2.4 port 9 ssh2", &ev), MR_PARSE_OK);
    assert_span(ev.source, "192.0.2.4");
    assert_span(ev.account, "a from 6.6.6.6 port 1 ssh2");
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[1]: Failed publickey for bob from 192.0.2.4 port 9 ssh2", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[1]: User root from 192.0.2.5 not allowed because not listed in AllowUsers", &ev), MR_PARSE_OK);
    assert_span(ev.account, "root");
    assert_span(ev.source, "192.0.2.5");
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[1]: Disconnected from user bob 192.0.2.6 port 5", &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, MR_AUTH_SESSION_END);
    assert_span(ev.account, "bob");
    assert_int_equal(parse("Nov  1 10:00:00 h cron[1]: Failed password for x from 1.2.3.4 port 1", &ev), MR_PARSE_SKIP);
}

static void test_ftp(void **state)
{
    (void)state;
    mr_auth_event ev;
    const char *v = "Sat Nov  1 10:00:00 2025 [pid 3] [ftp] OK LOGIN: Client \"::ffff:192.0.2.1\", anon password \"a\"";
    assert_int_equal(mr_auth_parse_vsftpd_log(v, strlen(v), &ev), MR_PARSE_OK);
    assert_int_equal(ev.method, MR_AM_ANONYMOUS);
    assert_span(ev.source, "192.0.2.1");   /* an IPv4 client of a v6 socket: one host */
    assert_int_equal(ev.time, 1761991200);
    assert_int_equal(parse("Jun  9 07:30:58 s proftpd[1] s (m.example[::ffff:192.0.2.66]): USER bob (Login failed): Incorrect password.", &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, MR_AUTH_FAILURE);
    assert_span(ev.source, "192.0.2.66");
    assert_span(ev.account, "bob");
    assert_int_equal(parse("Jun  9 07:30:58 s proftpd[1]: s (m[192.0.2.7]) - USER al: Login successful.", &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, MR_AUTH_SUCCESS);
    assert_int_equal(parse("Jan 31 16:54:07 d pure-ftpd: (?@192.0.2.194) [WARNING] Authentication failed for user [Administrator]", &ev), MR_PARSE_OK);
    assert_span(ev.account, "Administrator");
    assert_int_equal(parse("Oct 23 21:15:42 v vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=t rhost=192.0.2.161 user=t2", &ev), MR_PARSE_OK);
    assert_span(ev.account, "t2");
    assert_span(ev.source, "192.0.2.161");
}

/* One parse: result, origin, count, source and account. */
static void expect(const char *line, mr_auth_result res, mr_auth_origin origin,
                   uint32_t count, const char *src, const char *acct)
{
    mr_auth_event ev;
    assert_int_equal(parse(line, &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, res);
    assert_int_equal(ev.origin, origin);
    assert_int_equal(ev.count, count);
    assert_span(ev.source, src);
    assert_span(ev.account, acct);
}

/* Forms other systems and versions write (OpenSSH's auth-pam.c and
 * packet.c, FreeBSD and macOS, Solaris syslog, Dovecot's own log file,
 * ProFTPD's SystemLog, Postfix with smtpd_client_port_logging). */
static void test_other_systems(void **state)
{
    (void)state;
    mr_auth_event ev;
    expect("Apr 29 12:53:38 mac sshd[47831]: error: PAM: authentication error for james from 203.0.113.88 via 192.168.1.201",
           MR_AUTH_FAILURE, MR_AO_PAM_ECHO, 1, "203.0.113.88", "james");
    expect("Dec 12 20:04:39 bsd sshd[1328]: error: PAM: User not known to the underlying authentication module for illegal user kit from 203.0.113.9",
           MR_AUTH_INVALID_USER, MR_AO_PAM_ECHO, 1, "203.0.113.9", "kit");
    expect("Mar 29 05:59:23 sol sshd[20878]: [ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from 203.0.113.55 port 42742 ssh2",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "203.0.113.55", "<invalid username>");
    expect("Jan  2 01:18:41 h sshd[11808]: error: Received disconnect from 10.0.0.1 port 7736:3: com.jcraft.jsch.JSchException: Auth fail [preauth]",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "10.0.0.1", "");
    /* before OpenSSH 7.4: "A: 3: "; an IPv6 address ending in ":3" stays whole */
    expect("Oct  1 17:27:44 h sshd[24077]: Received disconnect from 2001:db8::3: 3: Auth fail [preauth]",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "2001:db8::3", "");
    assert_int_equal(parse("Apr 27 13:02:04 h sshd[29116]: Received disconnect from 192.0.2.4: 11: Bye Bye [preauth]", &ev), MR_PARSE_SKIP);
    expect("Mar 19 16:47:49 h sshd[5672]: Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]",
           MR_AUTH_INVALID_USER, MR_AO_TOTAL, 1, "192.0.2.117", "admin");
    expect("Jul 05 18:22:44 h sshd[4669]: Failed publickey for invalid user graysky from 192.0.2.5 port 37954 ssh2: RSA SHA256:v3dpapGleDaUKf",
           MR_AUTH_INVALID_USER, MR_AO_DIRECT, 1, "192.0.2.5", "graysky");
    assert_int_equal(parse("Jul 05 18:22:44 h sshd[4669]: Failed publickey for alice from 192.0.2.5 port 37954 ssh2: RSA SHA256:v3dpapGleDaUKf", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Jul 05 18:22:44 h sshd[4669]: Failed none for alice from 192.0.2.5 port 37954 ssh2", &ev), MR_PARSE_SKIP);
    expect("<38>1 2019-07-08T17:40:17.954167-04:00 h.example sshd 55555 - [timeQuality tzKnown=\"1\"][x@123 test=\"[brackets]\"] Failed unknown for invalid user redmond from 192.0.2.2 port 55555 ssh2",
           MR_AUTH_INVALID_USER, MR_AO_DIRECT, 1, "192.0.2.2", "redmond");
    /* no host field: the first word is the tag */
    expect("Nov 23 21:50:37 sshd[8148]: Failed password for root from 198.51.100.61 port 22 ssh2",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "198.51.100.61", "root");
    expect("May 12 09:47:54 vaio sshd[16004]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.12  user=root",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "198.51.100.12", "root");
    expect("Jan  5 01:31:41 www sshd[1643]: ROOT LOGIN REFUSED FROM ::ffff:192.0.2.4",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "192.0.2.4", "root");
    /* Dovecot's own log file: the process is the tag, the level before the text */
    expect("Jun 12 23:06:05 auth-worker(57065): Info: sql(user@example.com,192.0.2.7,<Yx7+W8+Io>): Password mismatch",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "192.0.2.7", "user@example.com");
    expect("2013-08-11 03:56:40 auth-worker(default): Info: pam(username,192.0.2.8): pam_authenticate() failed: Authentication failure (password mismatch?)",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "192.0.2.8", "username");
    expect("Mar 23 06:10:52 auth: Info: ldap(dog,192.0.2.52,): invalid credentials",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "192.0.2.52", "dog");
    expect("Apr 19 05:22:20 vm5 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=informix rhost=192.0.2.104",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "192.0.2.104", "");
    expect("Dec 12 11:19:11 h dovecot: pop3-login: Aborted login (tried to use disabled plaintext auth): rip=192.0.2.21, lip=198.51.100.193",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.21", "");
    expect("Jun 14 00:48:21 h dovecot: imap-login: Disconnected (auth failed, 1 attempts): method=PLAIN, rip=192.0.2.100, lip=198.51.100.194, TLS: Disconnected",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.100", "");
    expect("2013-11-16 21:59:30,121 novo proftpd[25891] localhost (andy[192.0.2.4]): USER kjsad: no such user found from andy [192.0.2.5] to ::ffff:192.168.1.14:21",
           MR_AUTH_INVALID_USER, MR_AO_DIRECT, 1, "192.0.2.4", "kjsad");
    expect("May 31 10:53:25 mail proftpd[15302]: mail (::ffff:192.0.2.9[::ffff:192.0.2.9]) - Maximum login attempts (3) exceeded",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 3, "192.0.2.9", "");
    expect("Aug  4 16:47:52 mail3 postfix/smtpd[31152]: warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.237", "");
    assert_int_equal(parse("Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[192.0.2.1]: SASL LOGIN authentication failed: Connection lost to authentication server", &ev), MR_PARSE_SKIP);
    /* ... but a user name that says so is the client's, not Postfix's */
    expect("Feb  3 08:29:28 mail postfix/smtpd[21022]: warning: unknown[192.0.2.1]: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=admin authentication failed: Invalid authentication mechanism",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.1", "admin authentication failed: Invalid authentication mechanism");
    /* a certificate's key id or hostbased's client names are the
     * client's text after the address: no source taken from such lines */
    assert_int_equal(parse("Jul 05 18:22:44 h sshd[5]: Failed publickey for invalid user bob from 192.0.2.4 port 5 ssh2: RSA-CERT ID x from 203.0.113.66 (serial 0) CA RSA SHA256:abc", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Sep 29 17:15:02 h sshd[6]: Failed hostbased for invalid user dan from 192.0.2.4 port 45785 ssh2: RSA SHA256:x, client user \"a from 203.0.113.66\", client host \"h\"", &ev), MR_PARSE_SKIP);
    /* "none" for an unknown name announces it, as "Invalid user" does */
    assert_int_equal(parse("Jul 05 18:22:44 h sshd[7]: Failed none for invalid user bob from 192.0.2.4 port 5 ssh2", &ev), MR_PARSE_OK);
    assert_int_equal(ev.announce, 1);
    /* another program's text about sshd is no sshd try */
    assert_int_equal(parse("Nov  1 10:00:00 h myapp[5]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.66 user=root", &ev), MR_PARSE_SKIP);
}

static void test_sshd_pam_and_summaries(void **state)
{
    (void)state;
    mr_auth_event ev;
    expect("Dec 10 07:13:31 LabSZ sshd[24227]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76  user=root",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "5.36.59.76", "root");
    expect("Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186 ",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "173.234.31.186", "");
    expect("Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220.135.151.1  user=root",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "220.135.151.1", "root");
    assert_int_equal(parse("Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220.135.151.1  user=root", &ev), MR_PARSE_OK);
    assert_int_equal(ev.pid, 20882);
    expect("Dec 10 07:13:56 LabSZ sshd[24227]: PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76  user=root",
           MR_AUTH_FAILURE, MR_AO_MORE, 5, "5.36.59.76", "root");
    expect("Dec 10 07:13:56 LabSZ sshd[24227]: PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=5.36.59.76",
           MR_AUTH_FAILURE, MR_AO_MORE, 1, "5.36.59.76", "");
    expect("Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 5, "5.36.59.76", "root");
    expect("Nov  1 10:00:00 h sshd[6]: error: maximum authentication attempts exceeded for invalid user admin from 198.51.100.8 port 1 ssh2 [preauth]",
           MR_AUTH_INVALID_USER, MR_AO_TOTAL, 1, "198.51.100.8", "admin");
    expect("Nov  1 10:00:00 h sshd[6]: maximum authentication attempts exceeded for root from 198.51.100.8 port 1 ssh2 [preauth]",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "198.51.100.8", "root");
    expect("Nov  1 10:00:00 h sshd[7]: Disconnecting authenticating user oracle 198.51.100.8 port 2: Too many authentication failures [preauth]",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "198.51.100.8", "oracle");
    expect("Nov  1 10:00:00 h sshd[7]: Disconnecting invalid user a b 2001:db8::8 port 2: Too many authentication failures [preauth]",
           MR_AUTH_INVALID_USER, MR_AO_TOTAL, 1, "2001:db8::8", "a b");
    expect("Nov  1 10:00:00 h sshd-session[8]: Connection closed by invalid user zyxel 198.51.100.8 port 3 [preauth]",
           MR_AUTH_INVALID_USER, MR_AO_TOTAL, 1, "198.51.100.8", "zyxel");
    expect("Nov  1 10:00:00 h sshd[8]: Disconnected from invalid user zyxel 198.51.100.8 port 3 [preauth]",
           MR_AUTH_INVALID_USER, MR_AO_TOTAL, 1, "198.51.100.8", "zyxel");
    /* a known user's close and the old address-less form say nothing new */
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[8]: Connection closed by authenticating user root 198.51.100.8 port 3 [preauth]", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Dec 10 07:13:56 LabSZ sshd[24227]: Disconnecting: Too many authentication failures for root [preauth]", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): check pass; user unknown", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Dec 10 07:07:45 LabSZ sshd[24206]: Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]", &ev), MR_PARSE_SKIP);
    /* sshd's "Invalid user  0101" is user "0101" (its other lines agree) */
    expect("Nov  1 10:00:00 h sshd[9]: Invalid user  0101 from 198.51.100.9 port 4",
           MR_AUTH_INVALID_USER, MR_AO_DIRECT, 1, "198.51.100.9", "0101");
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[9]: Invalid user  0101 from 198.51.100.9 port 4", &ev), MR_PARSE_OK);
    assert_int_equal(ev.announce, 1);
}

static void test_sshd_probes(void **state)
{
    (void)state;
    static const struct { const char *line, *src; } probes[] = {
        {"Dec 10 07:34:33 LabSZ sshd[24301]: Did not receive identification string from 123.235.32.19", "123.235.32.19"},
        {"Nov  1 10:00:00 h sshd[1]: Did not receive identification string from 2001:db8::7 port 5558", "2001:db8::7"},
        {"Dec 10 06:55:48 LabSZ sshd[24200]: Connection closed by 173.234.31.186 [preauth]", "173.234.31.186"},
        {"Nov  1 10:00:00 h sshd[1]: Connection closed by 198.51.100.7 port 5555 [preauth]", "198.51.100.7"},
        {"Nov  1 10:00:00 h sshd[1]: banner exchange: Connection from 198.51.100.7 port 5556: invalid format", "198.51.100.7"},
        {"Nov  1 10:00:00 h sshd[1]: Disconnected from 198.51.100.7 port 5557 [preauth]", "198.51.100.7"},
        {"Nov  1 10:00:00 h sshd[1]: Unable to negotiate with 198.51.100.7 port 5559: no matching key exchange method found. [preauth]", "198.51.100.7"},
        {"Nov  1 10:00:00 h sshd[1]: Bad protocol version identification 'GET / HTTP/1.1' from 198.51.100.7 port 5560", "198.51.100.7"},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(probes); i++)
        expect(probes[i].line, MR_AUTH_PROBE, MR_AO_DIRECT, 1, probes[i].src, "");
    mr_auth_event ev;
    /* a session's end is not a probe */
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[1]: Disconnected from 198.51.100.7 port 5557", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse("Nov  1 10:00:00 h sshd[1]: Connection closed by 198.51.100.7 port 5555", &ev), MR_PARSE_SKIP);
}

static void test_local(void **state)
{
    (void)state;
    expect("Dec 10 08:00:00 h su[100]: pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=root",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "bob", "root");
    expect("Dec 10 08:00:00 h su[100]: pam_unix(su-l:auth): authentication failure; logname=bob uid=1000 euid=0 tty=pts/1 ruser=bob rhost=  user=root",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "bob", "root");
    expect("Jun 15 04:06:18 combo su(pam_unix)[21416]: authentication failure; logname= uid=500 euid=0 tty=pts/1 ruser=alice rhost=  user=root",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "alice", "root");
    expect("Dec 10 08:00:02 h su[100]: FAILED SU (to root) bob on pts/0",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "bob", "root");
    expect("Dec 10 08:00:02 h su[100]: FAILED su for root by bob",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "bob", "root");
    expect("Dec 10 08:01:00 h sudo[200]: pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=bob",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "bob", "bob");
    expect("Dec 10 08:01:09 h sudo[200]:      bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 3, "bob", "bob");
    expect("Dec 10 08:01:09 h sudo[200]: bob : 1 incorrect password attempt ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "bob", "bob");
    mr_auth_event ev;
    assert_int_equal(parse("Dec 10 08:01:09 h sudo[200]:      bob : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls", &ev), MR_PARSE_SKIP);
}

static void test_mail(void **state)
{
    (void)state;
    mr_auth_event ev;
    expect("Dec 10 09:00:00 h dovecot: auth: pam(alice,192.0.2.77,<abc>): pam_authenticate() failed: Authentication failure (password mismatch?)",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "192.0.2.77", "alice");
    expect("Dec 10 09:00:00 h dovecot: auth-worker(123): passwd-file(bob,2001:db8::9): unknown user",
           MR_AUTH_INVALID_USER, MR_AO_PAM, 1, "2001:db8::9", "bob");
    expect("Dec 10 09:00:00 h dovecot: auth: sql(carol@example.com,192.0.2.77,<S>): Password mismatch",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "192.0.2.77", "carol@example.com");
    expect("Dec 10 09:00:02 h dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=192.0.2.77, lip=10.0.0.1, TLS, session=<xyz>",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.77", "alice");
    expect("Dec 10 09:00:03 h dovecot: pop3-login: Aborted login (auth failed, 3 attempts in 10 secs): user=<carol>, method=PLAIN, rip=192.0.2.77, lip=10.0.0.1, session=<xyz>",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 3, "192.0.2.77", "carol");
    expect("Dec 10 09:00:03 h dovecot: imap-login: Login aborted: Connection closed (auth failed, 2 attempts in 4 secs) (auth_failed): user=<a,b>, method=LOGIN, rip=192.0.2.79, lip=10.0.0.1, session=<q>",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 2, "192.0.2.79", "a,b");
    expect("Dec 10 09:00:04 h dovecot: imap-login: Login: user=<dan>, method=PLAIN, rip=192.0.2.78, lip=10.0.0.1, mpid=1, TLS",
           MR_AUTH_SUCCESS, MR_AO_DIRECT, 1, "192.0.2.78", "dan");
    expect("Dec 10 09:00:04 h dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=192.0.2.70, lip=10.0.0.1, session=<r>",
           MR_AUTH_PROBE, MR_AO_DIRECT, 1, "192.0.2.70", "");
    assert_int_equal(parse("Dec 10 09:00:04 h dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x>, method=PLAIN, rip=192.0.2.77", &ev), MR_PARSE_OK);
    assert_int_equal(ev.pid, 0); /* one process serves many clients */
    expect("Dec 10 09:01:00 h postfix/submission/smtpd[300]: warning: unknown[192.0.2.80]: SASL LOGIN authentication failed: authentication failure, sasl_username=info@example.com",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.80", "info@example.com");
    expect("Dec 10 09:01:01 h postfix/smtpd[300]: warning: host.example[192.0.2.81]: SASL PLAIN authentication failed: UGFzc3dvcmQ6",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "192.0.2.81", "");
    expect("Dec 10 09:01:02 h postfix/smtps/smtpd[300]: 4Dq1: client=host.example[192.0.2.82], sasl_method=PLAIN, sasl_username=ok@example.com",
           MR_AUTH_SUCCESS, MR_AO_DIRECT, 1, "192.0.2.82", "ok@example.com");
    assert_int_equal(parse("Dec 10 09:01:02 h postfix/smtpd[300]: connect from unknown[192.0.2.83]", &ev), MR_PARSE_SKIP);
    expect("Dec 10 09:02:00 h exim[400]: 2025-12-10 09:02:00 login authenticator failed for (User) [192.0.2.90]: 535 Incorrect authentication data (set_id=sales@example.com)",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "192.0.2.90", "sales@example.com");
    expect("Dec 10 09:02:00 h exim4[400]: plain authenticator failed for ([192.0.2.92]) [192.0.2.91]:5050 I=[10.0.0.1]:587: 535 Incorrect authentication data",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "192.0.2.91", "");
    expect("2025-12-10 09:03:00 dovecot_plain authenticator failed for H=mx.example ([192.0.2.93]) [192.0.2.94]:5050 I=[10.0.0.1]:587: 535 Incorrect authentication data (set_id=info)",
           MR_AUTH_FAILURE, MR_AO_DIRECT, 1, "192.0.2.94", "info");
    assert_int_equal(parse("2025-12-10 09:03:00 +0900 [123] fixed_login authenticator failed for host.example [192.0.2.95]: 535 Incorrect authentication data (set_id=x)", &ev), MR_PARSE_OK);
    assert_int_equal(ev.time, 1765324980); /* 00:03Z */
    assert_span(ev.source, "192.0.2.95");
    assert_int_equal(parse("2025-12-10 09:03:00 1uXyZa-000Abc-12 <= a@example.com H=x [192.0.2.1] P=esmtpsa", &ev), MR_PARSE_SKIP);
}

/* A user name is the sender's to choose: one that carries an address of
 * its own must never be taken for the source (the block list would hold
 * an address of the attacker's choosing). */
static void test_spoofed_source(void **state)
{
    (void)state;
    expect("Dec 10 09:00:02 h dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<rip=192.0.2.77,u0>, method=PLAIN, rip=203.0.113.9, lip=10.0.0.1, session=<s>",
           MR_AUTH_FAILURE, MR_AO_TOTAL, 1, "203.0.113.9", "rip=192.0.2.77,u0");
    expect("Dec 10 09:00:00 h dovecot: auth: pam(x,192.0.2.77): Password mismatch (,203.0.113.9): Password mismatch",
           MR_AUTH_FAILURE, MR_AO_PAM, 1, "203.0.113.9", "x,192.0.2.77): Password mismatch (");
    mr_auth_event ev;
    assert_int_equal(parse("Nov  1 10:01:00 host sshd[1000]: Disconnecting invalid user x 192.0.2.55 port 22: Too many authentication failures y 203.0.113.10 port 4000: Too many authentication failures [preauth]", &ev), MR_PARSE_OK);
    assert_span(ev.source, "203.0.113.10");
}

static void test_cidr(void **state)
{
    (void)state;
    mr_auth_cidr c[2];
    assert_int_equal(mr_auth_cidr_parse("10.0.0.0/8", &c[0]), 0);
    assert_int_equal(mr_auth_cidr_parse("2001:db8::/32", &c[1]), 0);
    assert_int_equal(mr_auth_cidr_match(c, 2, MR_SPAN_LIT("10.9.8.7")), 1);
    assert_int_equal(mr_auth_cidr_match(c, 2, MR_SPAN_LIT("::ffff:10.9.8.7")), 1);
    assert_int_equal(mr_auth_cidr_match(c, 2, MR_SPAN_LIT("11.0.0.1")), 0);
    assert_int_equal(mr_auth_cidr_match(c, 2, MR_SPAN_LIT("2001:db8:1::5")), 1);
    assert_int_equal(mr_auth_cidr_match(c, 2, MR_SPAN_LIT("host.example")), 0);
    assert_int_equal(mr_auth_cidr_parse("10.0.0.0/33", &c[0]), -1);
    assert_int_equal(mr_auth_cidr_parse("300.0.0.0", &c[0]), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traditional_year_rollover),
        cmocka_unit_test(test_iso_and_5424),
        cmocka_unit_test(test_sshd_hostile_user),
        cmocka_unit_test(test_ftp),
        cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_sshd_pam_and_summaries),
        cmocka_unit_test(test_other_systems),
        cmocka_unit_test(test_sshd_probes),
        cmocka_unit_test(test_local),
        cmocka_unit_test(test_mail),
        cmocka_unit_test(test_spoofed_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
