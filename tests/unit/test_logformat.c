/*
 * test_logformat.c — the Apache LogFormat and nginx log_format compilers
 * and the field-driven line parser (lib/weblog/parse.h): the stock
 * formats must parse lines exactly as the built-in parser does, unusual
 * formats must put each value in the right place, and bad format strings
 * must be refused with the offset of the mistake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "weblog/parse.h"

static mr_logformat fmt, builtin;   /* big: not on the stack */

#define assert_span(s, lit) assert_span_eq((s), (lit), __FILE__, __LINE__)
static void assert_span_eq(mr_span s, const char *lit, const char *file,
                           int line)
{
    size_t n = strlen(lit);
    if (s.n != n || (n && memcmp(s.p, lit, n) != 0)) {
        print_error("%s:%d: span \"%.*s\" != \"%s\"\n", file, line,
                       (int)s.n, s.p ? s.p : "", lit);
        fail();
    }
}

static void compile_apache(const char *spec)
{
    char err[128];
    int rc = mr_logformat_compile_apache(&fmt, spec, err, sizeof(err));
    if (rc != 0)
        print_error("%s: %s\n", spec, err);
    assert_int_equal(rc, 0);
}

static void compile_nginx(const char *spec)
{
    char err[128];
    int rc = mr_logformat_compile_nginx(&fmt, spec, err, sizeof(err));
    if (rc != 0)
        print_error("%s: %s\n", spec, err);
    assert_int_equal(rc, 0);
}

static int parse(const char *line, mr_http_event *ev)
{
    return mr_logformat_parse_line(&fmt, line, strlen(line), ev);
}

static void same_as_builtin(const char *line)
{
    mr_http_event a, b;
    mr_logformat_init(&builtin, MR_LOGFORMAT_COMBINED);
    assert_int_equal(parse(line, &a), MR_PARSE_OK);
    assert_int_equal(mr_logformat_parse_line(&builtin, line, strlen(line), &b),
                     MR_PARSE_OK);
#define SAME(f) assert_true(a.f.n == b.f.n && memcmp(a.f.p, b.f.p, a.f.n) == 0)
    SAME(client); SAME(user); SAME(time_raw); SAME(method); SAME(target);
    SAME(protocol); SAME(request); SAME(referer); SAME(user_agent);
#undef SAME
    assert_true(a.time == b.time);
    assert_int_equal(a.status, b.status);
    assert_int_equal(a.bytes, b.bytes);
}

static const char *lines[] = {
    "203.0.113.7 - alice [15/Jan/2024:09:12:01 +0900] \"GET /a?b=1 HTTP/1.1\""
    " 200 5120 \"https://ex.jp/\" \"Mozilla/5.0 (X11)\"",
    "1.2.3.4 - - [15/Jan/2024:09:12:01 +0900] \"GET /q?a=\\\" 2 HTTP/1.1\" "
    "404 - \"-\" \"A \\\"b\\\" \\\\\"",
    "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"\\x16\\x03\\x01\" 400 157 "
    "\"-\" \"-\"",
    "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"-\" 408 0 \"-\" \"-\"",
};

static void test_apache_stock(void **state)
{
    (void)state;
    compile_apache("%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" "
                   "\\\"%{User-Agent}i\\\"");
    assert_int_equal(fmt.type, MR_LOGFORMAT_CUSTOM);
    assert_int_equal(fmt.nfields, 9);
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        same_as_builtin(lines[i]);
    /* plain quotes, and a whole LogFormat line from apache2.conf */
    compile_apache("%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" "
                   "\"%{User-Agent}i\"");
    same_as_builtin(lines[0]);
    compile_apache("LogFormat \"%h %l %u %t \\\"%r\\\" %>s %O "
                   "\\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" combined");
    assert_int_equal(fmt.nfields, 9);
    same_as_builtin(lines[1]);
    /* common */
    mr_http_event ev;
    compile_apache("%h %l %u %t \"%r\" %>s %b");
    assert_int_equal(parse("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
                           "\"GET /apache_pb.gif HTTP/1.0\" 200 2326", &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.time, 971211336);
    assert_span(ev.user, "frank");
    assert_span(ev.target, "/apache_pb.gif");
    assert_int_equal(ev.bytes, 2326);
    /* not this format */
    assert_int_equal(parse("garbage", &ev), MR_PARSE_MALFORMED);
    assert_int_equal(parse("1.2.3.4 - - 15/Jan/2024 \"GET / HTTP/1.1\" 200 1",
                           &ev), MR_PARSE_MALFORMED);
    assert_int_equal(parse("", &ev), MR_PARSE_SKIP);
}

static void test_apache_vhost_unusual(void **state)
{
    (void)state;
    mr_http_event ev;
    compile_apache("%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" "
                   "\"%{User-Agent}i\"");
    assert_int_equal(parse("www.ex.jp:443 1.2.3.4 - - [15/Jan/2024:12:01:10 "
                           "+0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"c\"", &ev),
                     MR_PARSE_OK);
    assert_span(ev.vhost, "www.ex.jp");
    assert_span(ev.client, "1.2.3.4");
}

static void test_apache_unusual_fields(void **state)
{
    (void)state;
    mr_http_event ev;
    compile_apache("%a %{X-Forwarded-For}i %D %m %U%q %H %<s "
                   "%!200,304{Referer}i [%{%Y-%m-%dT%H:%M:%S%z}t] "
                   "%{begin:msec}t %% \"%{User-agent}i\" %{SSL_PROTOCOL}x "
                   "%{X}^ti");
    assert_int_equal(parse("10.0.0.9 203.0.113.1,10.0.0.1 1234 POST /login.php"
                           "?u=admin'-- HTTP/1.1 401 - [2024-01-15T21:00:00+0900]"
                           " 1705320000123 % \"sqlmap/1.7\" TLSv1.3 -", &ev),
                     MR_PARSE_OK);
    assert_span(ev.client, "10.0.0.9");
    assert_span(ev.method, "POST");
    assert_span(ev.target, "/login.php?u=admin'--");
    assert_span(ev.protocol, "HTTP/1.1");
    assert_span(ev.request, "POST /login.php?u=admin'-- HTTP/1.1");
    assert_int_equal(ev.status, 401);
    assert_span(ev.referer, "");
    assert_int_equal(ev.time, 1705320000);   /* %{msec}t comes last */
    assert_span(ev.user_agent, "sqlmap/1.7");
    /* %q empty */
    assert_int_equal(parse("10.0.0.9 - 1 GET /x HTTP/1.1 200 - [x] 1 % \"u\" "
                           "- -", &ev), MR_PARSE_OK);
    assert_span(ev.target, "/x");
    assert_int_equal(ev.status, 200);
    /* the time alone, ISO via strftime */
    compile_apache("%h [%{%Y-%m-%dT%H:%M:%S%z}t] %>s");
    assert_int_equal(parse("h [2024-01-15T21:00:00+0900] 200", &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.time, 1705320000);
    /* %{sec}t and tabs */
    compile_apache("%{sec}t\\t%h\\t%r\\t%s");
    assert_int_equal(parse("1705320000\t1.2.3.4\tGET / HTTP/1.0\t302", &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.time, 1705320000);
    assert_span(ev.target, "/");
    assert_int_equal(ev.status, 302);
}

static void test_nginx_stock(void **state)
{
    (void)state;
    mr_http_event ev;
    compile_nginx("$remote_addr - $remote_user [$time_local] \"$request\" "
                  "$status $body_bytes_sent \"$http_referer\" "
                  "\"$http_user_agent\"");
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        same_as_builtin(lines[i]);
    /* main, as it appears in nginx.conf */
    compile_nginx("log_format  main  '$remote_addr - $remote_user "
                  "[$time_local] \"$request\" '\n"
                  "                  '$status $body_bytes_sent "
                  "\"$http_referer\" '\n"
                  "                  '\"$http_user_agent\" "
                  "\"$http_x_forwarded_for\"';");
    assert_int_equal(fmt.nfields, 9);
    const char *l = "198.51.100.5 - - [15/Jan/2024:12:03:00 +0000] "
                    "\"GET /search?q=\\x22><svg/onload=alert(1)> HTTP/1.1\" "
                    "200 2048 \"-\" \"Mozilla/5.0 \\x22quoted\\x22\" "
                    "\"10.0.0.1\"";
    assert_int_equal(parse(l, &ev), MR_PARSE_OK);
    assert_span(ev.target, "/search?q=\\x22><svg/onload=alert(1)>");
    assert_span(ev.user_agent, "Mozilla/5.0 \\x22quoted\\x22");
    assert_int_equal(ev.bytes, 2048);
    same_as_builtin(l);
    /* escape=json and the ${var} form */
    compile_nginx("log_format j escape=json '${remote_addr} [${time_local}] "
                  "\"${request}\" ${status}';");
    assert_int_equal(parse("1.2.3.4 [15/Jan/2024:12:03:00 +0000] \"GET / "
                           "HTTP/1.1\" 200", &ev), MR_PARSE_OK);
    assert_int_equal(ev.status, 200);
    assert_int_equal(ev.time, 1705320180);
}

static void test_nginx_custom(void **state)
{
    (void)state;
    mr_http_event ev;
    /* tests/logs/nginx-custom.format */
    compile_nginx("$remote_addr - $remote_user [$time_iso8601] $host "
                  "\"$request\" $status $body_bytes_sent $request_time "
                  "\"$http_referer\" \"$http_user_agent\" "
                  "\"$http_x_forwarded_for\"");
    assert_int_equal(parse("198.51.100.31 - bob [2024-01-15T21:01:00+09:00] "
                           "api.example.jp \"GET /d?p=....//etc/passwd "
                           "HTTP/1.1\" 403 146 0.000 \"-\" \"Nikto/2.5.0\" "
                           "\"10.1.2.3, 10.1.2.4\"", &ev), MR_PARSE_OK);
    assert_span(ev.client, "198.51.100.31");
    assert_span(ev.user, "bob");
    assert_int_equal(ev.time, 1705320060);
    assert_span(ev.vhost, "api.example.jp");
    assert_span(ev.target, "/d?p=....//etc/passwd");
    assert_int_equal(ev.status, 403);
    assert_int_equal(ev.bytes, 146);
    assert_span(ev.user_agent, "Nikto/2.5.0");

    /* pieces of the request; $uri?$args adjacent in the line */
    compile_nginx("$remote_addr $msec $request_method $uri?$args "
                  "$server_protocol $status");
    assert_int_equal(parse("1.2.3.4 1705320000.123 GET /a/b?x=1&y=2 HTTP/1.1 "
                           "200", &ev), MR_PARSE_OK);
    assert_int_equal(ev.time, 1705320000);
    assert_span(ev.target, "/a/b?x=1&y=2");
    assert_span(ev.request, "GET /a/b?x=1&y=2 HTTP/1.1");
    /* $uri and $args apart: rebuilt */
    compile_nginx("$remote_addr \"$uri\" \"$args\" $status \"$http_user_agent\"");
    assert_int_equal(parse("1.2.3.4 \"/p\" \"id=1 or 1=1\" 500 \"x y\"", &ev),
                     MR_PARSE_OK);
    assert_span(ev.target, "/p?id=1 or 1=1");
    assert_span(ev.request, "/p?id=1 or 1=1");
    assert_span(ev.user_agent, "x y");
    assert_int_equal(parse("1.2.3.4 \"/p\" \"-\" 500 \"x\"", &ev),
                     MR_PARSE_OK);
    assert_span(ev.target, "/p");
    /* $request_uri, $time_local without brackets */
    compile_nginx("$time_local $remote_addr $request_uri $status");
    assert_int_equal(parse("15/Jan/2024:12:03:00 +0000 1.2.3.4 /x?y 404", &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.time, 1705320180);
    assert_span(ev.client, "1.2.3.4");
    assert_span(ev.target, "/x?y");
    assert_int_equal(ev.status, 404);
    /* status garbage is unknown, not fatal, in a custom format */
    assert_int_equal(parse("15/Jan/2024:12:03:00 +0000 1.2.3.4 /x?y abc", &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.status, -1);
}

static void expect_error(int nginx, const char *spec, const char *msg)
{
    char err[128];
    int rc = nginx ? mr_logformat_compile_nginx(&fmt, spec, err, sizeof(err))
                   : mr_logformat_compile_apache(&fmt, spec, err, sizeof(err));
    assert_int_equal(rc, -1);
    if (strcmp(err, msg) != 0)
        print_error("%s: got \"%s\" want \"%s\"\n", spec, err, msg);
    assert_string_equal(err, msg);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(0, "%h %l %Z %u", "unknown directive %Z at offset 6");
    expect_error(0, "%h %{Referer", "unterminated %{ at offset 3");
    expect_error(0, "%h %", "incomplete directive at offset 3");
    expect_error(0, "%h %>", "incomplete directive at offset 3");
    expect_error(0, "%h %\x01", "unknown directive %\\x01 at offset 3");
    expect_error(0, "%h %^tx", "unknown directive %^ at offset 3");
    expect_error(0, "", "no fields in format at offset 0");
    expect_error(0, "just text", "no fields in format at offset 0");
    expect_error(0, "%h 0123456789012345678901234567890123 %u",
                 "literal text longer than 32 bytes at offset 34");
    expect_error(1, "$remote_addr ${host", "unterminated ${ at offset 13");
    expect_error(1, "$remote_addr $ x", "empty variable name at offset 13");
    expect_error(1, "${a b}", "invalid variable name at offset 0");
    expect_error(1, "log_format x '$remote_addr", "unterminated ' string at "
                 "offset 26");
    char many[512];
    for (int i = 0; i < MR_LOGFORMAT_FIELDS_MAX + 1; i++)
        memcpy(many + 3 * i, "%h ", 4);
    expect_error(0, many, "more than 64 fields at offset 192");
    /* exactly the maximum is fine */
    many[3 * MR_LOGFORMAT_FIELDS_MAX] = '\0';
    compile_apache(many);
    assert_int_equal(fmt.nfields, MR_LOGFORMAT_FIELDS_MAX);
    /* a long format string */
    static char huge[8192];
    memset(huge, 'x', sizeof(huge) - 1);
    expect_error(1, huge, "format longer than 4096 bytes at offset 4096");
    /* no error buffer, or a tiny one */
    assert_int_equal(mr_logformat_compile_apache(&fmt, "%Z", NULL, 0), -1);
    char tiny[4];
    assert_int_equal(mr_logformat_compile_nginx(&fmt, "${", tiny, sizeof(tiny)),
                     -1);
    assert_string_equal(tiny, "unt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apache_stock),
        cmocka_unit_test(test_apache_vhost_unusual),
        cmocka_unit_test(test_apache_unusual_fields),
        cmocka_unit_test(test_nginx_stock),
        cmocka_unit_test(test_nginx_custom),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
