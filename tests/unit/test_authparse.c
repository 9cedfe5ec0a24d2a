/*
 * test_authparse.c — the auth log parsers: syslog header forms and year
 * inference (across New Year), sshd messages with hostile user names,
 * FTP servers' lines, and the CIDR matcher of --allow.
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
    assert_span(ev.source, "::ffff:192.0.2.1");
    assert_int_equal(ev.time, 1761991200);
    assert_int_equal(parse("Jun  9 07:30:58 s proftpd[1] s (m.example[::ffff:192.0.2.66]): USER bob (Login failed): Incorrect password.", &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, MR_AUTH_FAILURE);
    assert_span(ev.source, "::ffff:192.0.2.66");
    assert_span(ev.account, "bob");
    assert_int_equal(parse("Jun  9 07:30:58 s proftpd[1]: s (m[192.0.2.7]) - USER al: Login successful.", &ev), MR_PARSE_OK);
    assert_int_equal(ev.result, MR_AUTH_SUCCESS);
    assert_int_equal(parse("Jan 31 16:54:07 d pure-ftpd: (?@192.0.2.194) [WARNING] Authentication failed for user [Administrator]", &ev), MR_PARSE_OK);
    assert_span(ev.account, "Administrator");
    assert_int_equal(parse("Oct 23 21:15:42 v vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=t rhost=192.0.2.161 user=t2", &ev), MR_PARSE_OK);
    assert_span(ev.account, "t2");
    assert_span(ev.source, "192.0.2.161");
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
