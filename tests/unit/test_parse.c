/*
 * test_parse.c — the built-in access-log parsers (common, combined,
 * vhost_combined, W3C), the timestamp parsers and per-file format
 * detection (lib/weblog/parse.h), including the hostile lines attackers
 * put in logs: escaped quotes, TLS bytes, garbage, NULs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "weblog/parse.h"

static mr_logformat fmt;   /* big (scratch buffer): not on the stack */

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

static int parse(mr_logformat_type t, const char *line, mr_http_event *ev)
{
    mr_logformat_init(&fmt, t);
    return mr_logformat_parse_line(&fmt, line, strlen(line), ev);
}

static void test_combined(void **state)
{
    (void)state;
    mr_http_event ev;
    const char *l = "203.0.113.7 - alice [15/Jan/2024:09:12:01 +0900] "
                    "\"GET /a/b.php?id=1 HTTP/1.1\" 200 5120 "
                    "\"https://ex.jp/\" \"Mozilla/5.0 (X11)\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.client, "203.0.113.7");
    assert_span(ev.user, "alice");
    assert_span(ev.time_raw, "15/Jan/2024:09:12:01 +0900");
    assert_int_equal(ev.time, 1705277521);
    assert_span(ev.method, "GET");
    assert_span(ev.target, "/a/b.php?id=1");
    assert_span(ev.protocol, "HTTP/1.1");
    assert_span(ev.request, "GET /a/b.php?id=1 HTTP/1.1");
    assert_int_equal(ev.status, 200);
    assert_int_equal(ev.bytes, 5120);
    assert_span(ev.referer, "https://ex.jp/");
    assert_span(ev.user_agent, "Mozilla/5.0 (X11)");
    assert_span(ev.vhost, "");
    assert_false(mr_logformat_in_scratch(&fmt, ev.target));
    assert_false(mr_logformat_in_scratch(&fmt, ev.user_agent));
}

static void test_common(void **state)
{
    (void)state;
    mr_http_event ev;
    const char *l = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
                    "\"GET /apache_pb.gif HTTP/1.0\" 200 2326";
    assert_int_equal(parse(MR_LOGFORMAT_COMMON, l, &ev), MR_PARSE_OK);
    assert_span(ev.client, "127.0.0.1");
    assert_span(ev.user, "frank");
    assert_int_equal(ev.time, 971211336);
    assert_span(ev.target, "/apache_pb.gif");
    assert_int_equal(ev.status, 200);
    assert_int_equal(ev.bytes, 2326);
    assert_span(ev.referer, "");
    assert_span(ev.user_agent, "");
    /* "-" bytes and user */
    l = "::1 - - [10/Oct/2000:13:55:36 -0700] \"HEAD / HTTP/1.0\" 304 -";
    assert_int_equal(parse(MR_LOGFORMAT_COMMON, l, &ev), MR_PARSE_OK);
    assert_int_equal(ev.bytes, -1);
    assert_span(ev.user, "");
    assert_span(ev.client, "::1");
}

static void test_vhost_and_extra_fields(void **state)
{
    (void)state;
    mr_http_event ev;
    const char *l = "www.example.jp:443 198.51.100.1 - - "
                    "[15/Jan/2024:09:12:01 +0900] \"GET / HTTP/1.1\" 200 10 "
                    "\"-\" \"curl/8\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.vhost, "www.example.jp");
    assert_span(ev.client, "198.51.100.1");
    assert_span(ev.user, "");
    assert_span(ev.referer, "");
    assert_span(ev.user_agent, "curl/8");
    /* nginx "$http_x_forwarded_for" and Apache %D after the UA */
    l = "10.0.0.1 - - [15/Jan/2024:09:12:01 +0900] \"GET /x HTTP/1.1\" 200 1 "
        "\"-\" \"UA one\" \"10.1.1.1, 10.2.2.2\" 1234";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.user_agent, "UA one");
    assert_span(ev.client, "10.0.0.1");
    assert_span(ev.vhost, "");
}

static void test_escaped_quotes(void **state)
{
    (void)state;
    mr_http_event ev;
    /* Apache: \" inside the request and the user agent */
    const char *l = "1.2.3.4 - - [15/Jan/2024:09:12:01 +0900] "
                    "\"GET /q?a=\\\" 200 1 \\\"x HTTP/1.1\" 404 7 "
                    "\"-\" \"A \\\" \\\\\" \"xff\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.target, "/q?a=\\\" 200 1 \\\"x");
    assert_int_equal(ev.status, 404);
    assert_int_equal(ev.bytes, 7);
    assert_span(ev.user_agent, "A \\\" \\\\");
    /* nginx: \x22 */
    l = "1.2.3.4 - - [15/Jan/2024:09:12:01 +0900] "
        "\"GET /s?q=\\x22><svg> HTTP/1.1\" 200 3 \"-\" \"M \\x22q\\x22\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.target, "/s?q=\\x22><svg>");
    assert_span(ev.user_agent, "M \\x22q\\x22");
    /* an unescaped quote not followed by a space does not end the field */
    l = "1.2.3.4 - - [15/Jan/2024:09:12:01 +0900] "
        "\"GET /a\"b HTTP/1.1\" 200 3 \"-\" \"x\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.target, "/a\"b");
}

static void test_garbage_requests(void **state)
{
    (void)state;
    mr_http_event ev;
    const char *l = "198.51.100.2 - - [15/Jan/2024:12:01:10 +0000] "
                    "\"\\x16\\x03\\x01\\x02\\x00\" 400 157 \"-\" \"-\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.method, "");
    assert_span(ev.target, "\\x16\\x03\\x01\\x02\\x00");
    assert_int_equal(ev.status, 400);
    assert_span(ev.user_agent, "");

    l = "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"-\" 408 - \"-\" \"-\"";
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, l, &ev), MR_PARSE_OK);
    assert_span(ev.request, "-");
    assert_span(ev.method, "");
    assert_span(ev.target, "");
    assert_int_equal(ev.bytes, -1);

    l = "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET /old\" 200 5";
    assert_int_equal(parse(MR_LOGFORMAT_COMMON, l, &ev), MR_PARSE_OK);
    assert_span(ev.method, "GET");
    assert_span(ev.target, "/old");
    assert_span(ev.protocol, "");

    l = "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] "
        "\"GET /a b c HTTP/1.1\" 200 5";
    assert_int_equal(parse(MR_LOGFORMAT_COMMON, l, &ev), MR_PARSE_OK);
    assert_span(ev.target, "/a b c");
    assert_span(ev.protocol, "HTTP/1.1");

    l = "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"\" 400 0";
    assert_int_equal(parse(MR_LOGFORMAT_COMMON, l, &ev), MR_PARSE_OK);
    assert_span(ev.target, "");
}

static void test_malformed(void **state)
{
    (void)state;
    mr_http_event ev;
    static const char *bad[] = {
        "hello world",
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000]",
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\"",
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200",
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 2000 1",
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" OK 1",
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 x",
        ("1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 "
         "99999999999999999999999"),
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1 200 1",
        "1.2.3.4 [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1",
        "[15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1",
        "1.2.3.4 - - [short] \"GET / HTTP/1.1\" 200 1",
        "\"",
        "[",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse(MR_LOGFORMAT_COMBINED, bad[i], &ev);
        if (rc != MR_PARSE_MALFORMED)
            print_error("accepted: %s\n", bad[i]);
        assert_int_equal(rc, MR_PARSE_MALFORMED);
    }
    /* NUL bytes inside a line: parsed by length, not by C string */
    const char nul[] = "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] "
                       "\"GET /\0x HTTP/1.1\" 200 1";
    mr_logformat_init(&fmt, MR_LOGFORMAT_COMMON);
    assert_int_equal(mr_logformat_parse_line(&fmt, nul, sizeof(nul) - 1, &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.target.n, 3);
    /* blank line and CRLF */
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, "", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse(MR_LOGFORMAT_COMBINED, "\r", &ev), MR_PARSE_SKIP);
    assert_int_equal(parse(MR_LOGFORMAT_COMMON,
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1\r",
        &ev), MR_PARSE_OK);
    assert_int_equal(ev.bytes, 1);
    /* unknown format */
    assert_int_equal(parse(MR_LOGFORMAT_UNKNOWN, "x", &ev),
                     MR_PARSE_MALFORMED);
    /* every prefix of a good line: no crash, no read past the length */
    const char *good = "www:80 1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] "
                       "\"GET / HTTP/1.1\" 200 1 \"r\" \"u\" \"x\"";
    for (size_t n = 0; n <= strlen(good); n++) {
        char *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, good, n);
        mr_logformat_init(&fmt, MR_LOGFORMAT_COMBINED);
        (void)mr_logformat_parse_line(&fmt, copy, n, &ev);
        free(copy);
    }
}

static int64_t clf(const char *s)
{
    return mr_parse_clf_time(mr_span_make(s, strlen(s)));
}

static int64_t iso(const char *s)
{
    return mr_parse_iso_time(mr_span_make(s, strlen(s)));
}

static void test_clf_time(void **state)
{
    (void)state;
    assert_int_equal(clf("10/Oct/2000:13:55:36 -0700"), 971211336);
    assert_int_equal(clf("[10/Oct/2000:13:55:36 -0700]"), 971211336);
    assert_int_equal(clf("10/Oct/2000:20:55:36 +0000"), 971211336);
    assert_int_equal(clf("11/Oct/2000:05:55:36 +0900"), 971211336);
    assert_int_equal(clf("29/Feb/2024:23:59:59 +0000"), 1709251199);
    assert_int_equal(clf("29/Feb/2000:00:00:00 +0000"), 951782400);
    assert_int_equal(clf("31/Dec/1969:23:59:59 +0000"), -1);
    assert_int_equal(clf("01/Jan/1970:00:00:00 +0000"), 0);
    assert_int_equal(clf("01/Jan/1600:00:00:00 +0000"), -11676096000LL);
    assert_int_equal(clf("31/Dec/9999:23:59:59 -1400"), 253402351199LL);
    assert_int_equal(clf("31/Dec/2016:23:59:60 +0000"), 1483228800);
    static const char *bad[] = {
        "29/Feb/2023:00:00:00 +0000", "29/Feb/1900:00:00:00 +0000",
        "31/Feb/2024:00:00:00 +0000", "31/Apr/2024:00:00:00 +0000",
        "00/Jan/2024:00:00:00 +0000", "32/Jan/2024:00:00:00 +0000",
        "10/oct/2000:13:55:36 -0700", "10/Foo/2000:13:55:36 -0700",
        "10/Oct/2000:24:00:00 -0700", "10/Oct/2000:13:60:36 -0700",
        "10/Oct/2000:13:55:61 -0700", "10/Oct/2000:13:55:36 -0760",
        "10/Oct/2000:13:55:36 -2400", "10/Oct/2000:13:55:36 0700",
        "10/Oct/2000:13:55:36 +07:0", "10/Oct/2000:13:55:36",
        "1/Oct/2000:13:55:36 -0700",  "10/Oct/2000 13:55:36 -0700",
        "10/Oct/20a0:13:55:36 -0700", "", "[]",
        "10/Oct/2000:13:55:36 -0700 ", "10/Oct/2000:1:55:36 -07000",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (clf(bad[i]) != INT64_MIN)
            print_error("accepted: %s\n", bad[i]);
        assert_true(clf(bad[i]) == INT64_MIN);
    }
}

static void test_iso_time(void **state)
{
    (void)state;
    assert_int_equal(iso("2024-01-15T21:00:00+09:00"), 1705320000);
    assert_int_equal(iso("2024-01-15T12:00:00Z"), 1705320000);
    assert_int_equal(iso("2024-01-15T12:00:00"), 1705320000);
    assert_int_equal(iso("2024-01-15 12:00:00.123456Z"), 1705320000);
    assert_int_equal(iso("2024-01-15T07:00:00-0500"), 1705320000);
    assert_int_equal(iso("2024-01-15T21:00:00+09"), 1705320000);
    assert_int_equal(iso("2024-02-29T00:00:00Z"), 1709164800);
    static const char *bad[] = {
        "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-15",
        "2024-01-15T12:00Z", "2024-01-15T12:00:00+9", "2024/01/15T12:00:00",
        "2024-01-15T12:00:00.Z", "2024-01-15T12:00:00 +09:00", "",
        "2024-01-15X12:00:00", "2024-01-15T12:00:00+09:00:00",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (iso(bad[i]) != INT64_MIN)
            print_error("accepted: %s\n", bad[i]);
        assert_true(iso(bad[i]) == INT64_MIN);
    }
}

static int w3c_line(const char *line, mr_http_event *ev)
{
    return mr_logformat_parse_line(&fmt, line, strlen(line), ev);
}

static void test_w3c(void **state)
{
    (void)state;
    mr_http_event ev;
    mr_logformat_init(&fmt, MR_LOGFORMAT_W3C);
    /* default IIS layout before any #Fields: */
    assert_int_equal(w3c_line("2024-01-15 00:00:01 10.0.0.5 GET /default.aspx"
        " - 443 - 203.0.113.40 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 46",
        &ev), MR_PARSE_OK);
    assert_span(ev.client, "203.0.113.40");
    assert_span(ev.target, "/default.aspx");
    assert_span(ev.user_agent, "Mozilla/5.0 (Windows NT 10.0)");
    assert_int_equal(ev.time, 1705276801);
    assert_span(ev.time_raw, "2024-01-15 00:00:01");
    assert_span(ev.request, "GET /default.aspx");
    assert_span(ev.user, "");
    assert_span(ev.referer, "");
    assert_int_equal(ev.status, 200);

    assert_int_equal(w3c_line("#Software: Microsoft Internet Information "
                              "Services 10.0", &ev), MR_PARSE_SKIP);
    assert_int_equal(w3c_line("#Version: 1.0", &ev), MR_PARSE_SKIP);
    assert_int_equal(w3c_line("#Date: 2024-01-15 00:00:00", &ev),
                     MR_PARSE_SKIP);
    assert_int_equal(w3c_line("", &ev), MR_PARSE_SKIP);
    assert_int_equal(w3c_line("#Fields: date time s-ip cs-method cs-uri-stem "
        "cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) "
        "sc-status sc-substatus sc-win32-status time-taken\r", &ev),
        MR_PARSE_SKIP);
    assert_int_equal(w3c_line("2024-01-15 00:00:09 10.0.0.5 GET /p.aspx "
        "id=1;DROP+TABLE+users-- 443 bob 198.51.100.50 sqlmap/1.7 "
        "http://r/ 500 0 0 120\r", &ev), MR_PARSE_OK);
    assert_span(ev.target, "/p.aspx?id=1;DROP+TABLE+users--");
    assert_true(mr_logformat_in_scratch(&fmt, ev.target));
    assert_true(mr_logformat_in_scratch(&fmt, ev.request));
    assert_false(mr_logformat_in_scratch(&fmt, ev.client));
    assert_span(ev.request, "GET /p.aspx?id=1;DROP+TABLE+users--");
    assert_span(ev.user, "bob");
    assert_span(ev.referer, "http://r/");
    assert_int_equal(ev.status, 500);
    assert_int_equal(ev.bytes, -1);

    /* a new layout mid-file */
    assert_int_equal(w3c_line("#Fields: date time c-ip cs-username cs-method "
        "cs-uri-stem cs-uri-query sc-status sc-bytes cs-bytes time-taken "
        "cs-host cs-version cs(User-Agent) cs(Referer)", &ev), MR_PARSE_SKIP);
    assert_int_equal(w3c_line("2024-01-15 01:00:00 203.0.113.41 - GET "
        "/web.config - 404 1245 310 0 www.example.jp HTTP/1.1 curl/8.4.0 -",
        &ev), MR_PARSE_OK);
    assert_span(ev.client, "203.0.113.41");
    assert_span(ev.target, "/web.config");
    assert_span(ev.protocol, "HTTP/1.1");
    assert_span(ev.request, "GET /web.config HTTP/1.1");
    assert_span(ev.vhost, "www.example.jp");
    assert_int_equal(ev.status, 404);
    assert_int_equal(ev.bytes, 1245);
    assert_span(ev.user_agent, "curl/8.4.0");
    /* too few values for the layout */
    assert_int_equal(w3c_line("2024-01-15 01:00:00 203.0.113.41", &ev),
                     MR_PARSE_MALFORMED);
    /* garbage values: an event with unknowns, never a crash */
    assert_int_equal(w3c_line("a b c d e f g h i j k l m n o", &ev),
                     MR_PARSE_OK);
    assert_true(ev.time == INT64_MIN);
    assert_int_equal(ev.status, -1);
    /* an empty #Fields: makes every line malformed */
    assert_int_equal(w3c_line("#Fields:", &ev), MR_PARSE_SKIP);
    assert_int_equal(w3c_line("2024-01-15 01:00:00", &ev),
                     MR_PARSE_MALFORMED);
}

/* Rebuilt spans live in the format's scratch; past its size the pieces
 * are left as they are, never overflowing it. */
static void test_w3c_scratch_limits(void **state)
{
    (void)state;
    mr_http_event ev;
    size_t stem = 40000, query = 19000, ua = 6000;   /* line < 64 KiB */
    size_t cap = stem + query + ua + 64;
    char *line = malloc(cap);
    assert_non_null(line);
    size_t at = 0;
    memcpy(line + at, "2024-01-15 00:00:01 GET /", 25);
    at += 25;
    memset(line + at, 'a', stem - 1);
    at += stem - 1;
    line[at++] = ' ';
    memset(line + at, 'q', query);
    at += query;
    line[at++] = ' ';
    memset(line + at, '+', ua);
    at += ua;
    mr_logformat_init(&fmt, MR_LOGFORMAT_W3C);
    assert_int_equal(w3c_line("#Fields: date time cs-method cs-uri-stem "
                              "cs-uri-query cs(User-Agent)", &ev),
                     MR_PARSE_SKIP);
    assert_int_equal(mr_logformat_parse_line(&fmt, line, at, &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.target.n, stem + 1 + query);
    assert_int_equal(ev.target.p[stem], '?');
    assert_int_equal(ev.user_agent.n, ua);
    assert_int_equal(ev.user_agent.p[0], ' ');   /* fits: converted */
    assert_true(ev.request.p == ev.target.p);    /* does not: the target */
    /* a longer user agent no longer fits: left as logged */
    free(line);
    ua = 8000;
    query = 20000;   /* line > 64 KiB: the driver skips those anyway */
    line = malloc(stem + query + ua + 64);
    assert_non_null(line);
    at = 0;
    memcpy(line + at, "2024-01-15 00:00:01 GET /x ", 27);
    at += 27;
    memset(line + at, 'q', stem + query);
    at += stem + query;
    line[at++] = ' ';
    memset(line + at, '+', ua);
    at += ua;
    assert_int_equal(mr_logformat_parse_line(&fmt, line, at, &ev),
                     MR_PARSE_OK);
    assert_int_equal(ev.target.n, 3 + stem + query);
    assert_int_equal(ev.user_agent.n, ua);
    assert_int_equal(ev.user_agent.p[0], '+');
    free(line);
}

static void test_detect(void **state)
{
    (void)state;
    const char *combined =
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1 "
        "\"-\" \"curl\"\n"
        "\n"
        "1.2.3.5 - - [15/Jan/2024:12:01:11 +0000] \"GET /x HTTP/1.1\" 404 2 "
        "\"-\" \"Mozilla\"\r\n"
        "1.2.3.5 - - [15/Jan/2024:12:01:11 +0000] \"GET /x HTTP/1.1\" 404 2 "
        "\"-\" \"Mozilla\"\n"
        "garbage\n";
    assert_int_equal(mr_logformat_detect(combined, strlen(combined)),
                     MR_LOGFORMAT_COMBINED);
    const char *common =
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1\n"
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1\n"
        "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] \"GET / HTTP/1.1\" 200 1 "
        "\"-\" \"curl\"\n";
    assert_int_equal(mr_logformat_detect(common, strlen(common)),
                     MR_LOGFORMAT_COMMON);
    const char *w3c = "#Software: Microsoft Internet Information Services "
                      "10.0\r\n#Version: 1.0\r\n";
    assert_int_equal(mr_logformat_detect(w3c, strlen(w3c)), MR_LOGFORMAT_W3C);
    const char *w3c2 = "#Version: 1.0\n#Fields: date time c-ip\n";
    assert_int_equal(mr_logformat_detect(w3c2, strlen(w3c2)),
                     MR_LOGFORMAT_W3C);
    const char *junk = "a\nb\nc\n1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] "
                       "\"GET / HTTP/1.1\" 200 1\n";
    assert_int_equal(mr_logformat_detect(junk, strlen(junk)),
                     MR_LOGFORMAT_UNKNOWN);
    assert_int_equal(mr_logformat_detect("", 0), MR_LOGFORMAT_UNKNOWN);
    assert_int_equal(mr_logformat_detect("\n\n\r\n", 4), MR_LOGFORMAT_UNKNOWN);
    /* binary garbage, including NULs and lone quotes/brackets */
    unsigned char bin[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof(bin); i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    assert_int_equal(mr_logformat_detect((const char *)bin, sizeof(bin)),
                     MR_LOGFORMAT_UNKNOWN);
    /* 20 lines are looked at, no more: combined after 25 junk lines is
     * unknown */
    char big[2048] = "";
    size_t at = 0;
    for (int i = 0; i < 25; i++)
        big[at++] = 'x', big[at++] = '\n';
    const char *cl = "1.2.3.4 - - [15/Jan/2024:12:01:10 +0000] "
                     "\"GET / HTTP/1.1\" 200 1 \"-\" \"c\"\n";
    for (int i = 0; i < 10; i++) {
        memcpy(big + at, cl, strlen(cl));
        at += strlen(cl);
    }
    assert_int_equal(mr_logformat_detect(big, at), MR_LOGFORMAT_UNKNOWN);
    assert_string_equal(mr_logformat_type_name(MR_LOGFORMAT_COMBINED),
                        "combined");
    assert_string_equal(mr_logformat_type_name(MR_LOGFORMAT_W3C), "w3c");
}

static void test_event_clear(void **state)
{
    (void)state;
    mr_http_event ev;
    memset(&ev, 0x5a, sizeof(ev));
    mr_http_event_clear(&ev);
    assert_int_equal(ev.client.n, 0);
    assert_non_null(ev.client.p);
    assert_int_equal(ev.user_agent.n, 0);
    assert_true(ev.time == INT64_MIN);
    assert_int_equal(ev.status, -1);
    assert_int_equal(ev.bytes, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_combined),
        cmocka_unit_test(test_common),
        cmocka_unit_test(test_vhost_and_extra_fields),
        cmocka_unit_test(test_escaped_quotes),
        cmocka_unit_test(test_garbage_requests),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_clf_time),
        cmocka_unit_test(test_iso_time),
        cmocka_unit_test(test_w3c),
        cmocka_unit_test(test_w3c_scratch_limits),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_event_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
