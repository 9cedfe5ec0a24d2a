/*
 * test_parse_json.c — access logs written one JSON object a line
 * (lib/weblog/parse_json.c), as a table: lines shaped as each server
 * documents its fields (Caddy's access log, Traefik's JSON access log,
 * nginx log_format with and without escape=json, the Elastic Common
 * Schema), what the event must hold, then format detection and the
 * hostile lines (deep nesting, backslash runs, cut strings, bad escapes).
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

static mr_logformat fmt;   /* big (scratch buffer): not on the stack */

typedef struct json_case {
    const char *what;
    const char *line;
    int result;
    const char *client, *method, *target, *request, *referer, *agent, *vhost;
    int status;
    int64_t bytes, time;
} json_case;

/* 2026-10-10T04:55:36Z */
#define T0 INT64_C(1791608136)

static const json_case cases[] = {
    {"Caddy: the client after trusted proxies wins over the peer, headers are lists, "
     "'<' '>' '&' escaped as Go writes them",
     "{\"level\":\"info\",\"ts\":1791608136.123,\"logger\":\"http.log.access.log0\","
     "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.0.0.1\","
     "\"remote_port\":\"51234\",\"client_ip\":\"203.0.113.9\",\"proto\":\"HTTP/2.0\","
     "\"method\":\"GET\",\"host\":\"example.com\",\"uri\":\"/p?x=\\u003cb\\u003e\\u0026y=1\","
     "\"headers\":{\"User-Agent\":[\"Mozilla/5.0\"],\"Referer\":[\"https://a.example/\"]}},"
     "\"bytes_read\":0,\"user_id\":\"\",\"duration\":0.0012,\"size\":2326,\"status\":200,"
     "\"resp_headers\":{\"Server\":[\"Caddy\"]}}",
     MR_PARSE_OK, "203.0.113.9", "GET", "/p?x=<b>&y=1", "GET /p?x=<b>&y=1 HTTP/2.0",
     "https://a.example/", "Mozilla/5.0", "example.com", 200, 2326, T0},
    {"Caddy: the peer alone (before client_ip existed), the order of members free",
     "{\"status\":404,\"size\":0,\"request\":{\"uri\":\"/x\",\"method\":\"POST\","
     "\"remote_ip\":\"198.51.100.4\"},\"ts\":1791608136}",
     MR_PARSE_OK, "198.51.100.4", "POST", "/x", "POST /x", "", "", "", 404, 0, T0},
    {"Caddy: the server's own message in the access file is not a request",
     "{\"level\":\"info\",\"ts\":1791608137.5,\"logger\":\"http\",\"msg\":\"server running\","
     "\"name\":\"srv0\",\"protocols\":[\"h1\",\"h2\",\"h3\"]}",
     MR_PARSE_SKIP, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"Traefik: CamelCase names, headers as request_<Name>, nanoseconds",
     "{\"ClientAddr\":\"203.0.113.9:51234\",\"ClientHost\":\"203.0.113.9\","
     "\"DownstreamContentSize\":17,\"DownstreamStatus\":403,\"RequestHost\":\"shop.example\","
     "\"RequestMethod\":\"GET\",\"RequestPath\":\"/q?s=%27\",\"RequestProtocol\":\"HTTP/1.1\","
     "\"StartUTC\":\"2026-10-10T04:55:36.123456789Z\",\"request_User-Agent\":\"curl/8.0\","
     "\"request_Referer\":\"-\",\"time\":\"2026-10-10T04:55:37Z\"}",
     MR_PARSE_OK, "203.0.113.9", "GET", "/q?s=%27", "GET /q?s=%27 HTTP/1.1", "", "curl/8.0",
     "shop.example", 403, 17, T0},
    {"nginx escape=json: the request line, $time_local, numbers as strings",
     "{\"time_local\":\"10/Oct/2026:13:55:36 +0900\",\"remote_addr\":\"203.0.113.9\","
     "\"remote_user\":\"\",\"request\":\"GET /a?q=\\\"x\\\"\\\\y HTTP/1.1\",\"status\":\"200\","
     "\"body_bytes_sent\":\"5\",\"http_referer\":\"\",\"http_user_agent\":\"Mozilla/5.0\"}",
     MR_PARSE_OK, "203.0.113.9", "GET", "/a?q=\"x\"\\y", "GET /a?q=\"x\"\\y HTTP/1.1", "",
     "Mozilla/5.0", "", 200, 5, T0},
    {"nginx without escape=json writes \\xHH: taken as the byte",
     "{\"remote_addr\":\"203.0.113.9\",\"request\":\"GET /a?id=1\\x22+or+\\x221 HTTP/1.1\","
     "\"status\":200,\"time_iso8601\":\"2026-10-10T13:55:36+09:00\"}",
     MR_PARSE_OK, "203.0.113.9", "GET", "/a?id=1\"+or+\"1", "GET /a?id=1\"+or+\"1 HTTP/1.1",
     "", "", "", 200, -1, T0},
    {"nginx $uri and $args joined; $msec",
     "{\"remote_addr\":\"::1\",\"request_method\":\"GET\",\"uri\":\"/s\",\"args\":\"q=1\","
     "\"msec\":\"1791608136.500\",\"status\":200}",
     MR_PARSE_OK, "::1", "GET", "/s?q=1", "GET /s?q=1", "", "", "", 200, -1, T0},
    {"ECS: nested objects, @timestamp",
     "{\"@timestamp\":\"2026-10-10T04:55:36.000Z\",\"source\":{\"ip\":\"203.0.113.9\"},"
     "\"http\":{\"request\":{\"method\":\"GET\",\"referrer\":\"https://r.example/\"},"
     "\"response\":{\"status_code\":200,\"body\":{\"bytes\":12}},\"version\":\"1.1\"},"
     "\"url\":{\"original\":\"/../../etc/passwd\"},\"user_agent\":{\"original\":\"curl/8.0\"}}",
     MR_PARSE_OK, "203.0.113.9", "GET", "/../../etc/passwd", "GET /../../etc/passwd 1.1",
     "https://r.example/", "curl/8.0", "", 200, 12, T0},
    {"ECS flattened: dotted member names match the same way",
     "{\"@timestamp\":\"2026-10-10T04:55:36Z\",\"client.ip\":\"203.0.113.9\","
     "\"http.request.method\":\"HEAD\",\"url.original\":\"/\",\"http.response.status_code\":301}",
     MR_PARSE_OK, "203.0.113.9", "HEAD", "/", "HEAD /", "", "", "", 301, -1, T0},
    {"surrogate pairs give UTF-8, a lone surrogate U+FFFD, an unknown escape its byte",
     "{\"remote_addr\":\"1.2.3.4\",\"request_uri\":\"/\\ud83d\\ude00\\ud800\\q\",\"time\":1791608136}",
     MR_PARSE_OK, "1.2.3.4", "", "/\xf0\x9f\x98\x80\xef\xbf\xbdq", "/\xf0\x9f\x98\x80\xef\xbf\xbdq",
     "", "", "", -1, -1, T0},
    {"epoch milliseconds by their digits",
     "{\"ip\":\"1.2.3.4\",\"path\":\"/\",\"timestamp\":1791608136999}",
     MR_PARSE_OK, "1.2.3.4", "", "/", "/", "", "", "", -1, -1, T0},
    {"a name case-insensitively; the first of two equal ranks stays",
     "{\"REMOTE_ADDR\":\"1.2.3.4\",\"Request_URI\":\"/a\",\"request_uri\":\"/b\"}",
     MR_PARSE_OK, "1.2.3.4", "", "/a", "/a", "", "", "", -1, -1, INT64_MIN},
    {"not an object", "[1,2,3]", MR_PARSE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"a string cut short", "{\"request\":\"GET /", MR_PARSE_MALFORMED,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"an escape at the very end", "{\"request\":\"GET /\\", MR_PARSE_MALFORMED,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"garbage after the object", "{\"request\":\"GET / HTTP/1.1\"} x", MR_PARSE_MALFORMED,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"a bare word", "{\"request\":\"GET /\",\"x\":nope}", MR_PARSE_MALFORMED,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"a missing colon", "{\"request\" \"GET /\"}", MR_PARSE_MALFORMED,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
    {"nesting past the bound",
     "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}},\"request\":\"GET /\"}",
     MR_PARSE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
};

static void span_is(mr_span s, const char *want, const char *what, const char *field)
{
    size_t n = strlen(want);
    if (s.n != n || (n && memcmp(s.p, want, n) != 0)) {
        print_error("%s: %s \"%.*s\" != \"%s\"\n", what, field, (int)s.n, s.p ? s.p : "", want);
        fail();
    }
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const json_case *c = &cases[i];
        mr_http_event ev;
        mr_logformat_init(&fmt, MR_LOGFORMAT_JSON);
        int r = mr_logformat_parse_line(&fmt, c->line, strlen(c->line), &ev);
        if (r != c->result) {
            print_error("%s: result %d, want %d\n", c->what, r, c->result);
            fail();
        }
        if (r != MR_PARSE_OK)
            continue;
        span_is(ev.client, c->client, c->what, "client");
        span_is(ev.method, c->method, c->what, "method");
        span_is(ev.target, c->target, c->what, "target");
        span_is(ev.request, c->request, c->what, "request");
        span_is(ev.referer, c->referer, c->what, "referer");
        span_is(ev.user_agent, c->agent, c->what, "user agent");
        span_is(ev.vhost, c->vhost, c->what, "vhost");
        if (ev.status != c->status || ev.bytes != c->bytes || ev.time != c->time) {
            print_error("%s: status %d bytes %lld time %lld, want %d %lld %lld\n", c->what,
                        ev.status, (long long)ev.bytes, (long long)ev.time, c->status,
                        (long long)c->bytes, (long long)c->time);
            fail();
        }
    }
}

/* Escaped values live in the scratch (the chunk copies them when it keeps
 * an event); plain ones stay in the line. */
static void test_scratch(void **state)
{
    (void)state;
    const char *l = "{\"remote_addr\":\"1.2.3.4\",\"request_uri\":\"/a\\u0026b\","
                    "\"http_referer\":\"https://r/\\u003c\"}";
    mr_http_event ev;
    mr_logformat_init(&fmt, MR_LOGFORMAT_JSON);
    assert_int_equal(mr_logformat_parse_line(&fmt, l, strlen(l), &ev), MR_PARSE_OK);
    assert_false(mr_logformat_in_scratch(&fmt, ev.client));
    assert_true(mr_logformat_in_scratch(&fmt, ev.target));
    assert_true(mr_logformat_in_scratch(&fmt, ev.referer));
}

/* A long run of backslashes is walked once, and a value that fills the
 * line still parses. */
static void test_long_values(void **state)
{
    (void)state;
    enum { RUN = 60000 };
    static char line[RUN + 64];
    size_t n = 0;
    n += (size_t)snprintf(line, sizeof(line), "{\"request_uri\":\"/");
    for (size_t i = 0; i < RUN / 2; i++) {
        line[n++] = '\\';
        line[n++] = '\\';
    }
    n += (size_t)snprintf(line + n, sizeof(line) - n, "\"}");
    mr_http_event ev;
    mr_logformat_init(&fmt, MR_LOGFORMAT_JSON);
    assert_int_equal(mr_logformat_parse_line(&fmt, line, n, &ev), MR_PARSE_OK);
    assert_int_equal(ev.target.n, 1 + RUN / 2);
    /* unterminated: malformed, not a crash or a hang */
    assert_int_equal(mr_logformat_parse_line(&fmt, line, n - 2, &ev), MR_PARSE_MALFORMED);
}

/* A long escaped path and query given apart (nginx $uri and $args):
 * the query is never left out of the target for want of scratch. */
static void test_long_path_and_query(void **state)
{
    (void)state;
    enum { HALF = 30000 };
    static char line[2 * HALF + 256];
    size_t n = (size_t)snprintf(line, sizeof(line),
                                "{\"remote_addr\":\"1.2.3.4\",\"request_method\":\"GET\",\"uri\":\"/");
    memset(line + n, 'a', HALF);
    n += HALF;
    n += (size_t)snprintf(line + n, sizeof(line) - n, "\\\"\",\"args\":\"");
    memset(line + n, 'b', HALF);
    n += HALF;
    n += (size_t)snprintf(line + n, sizeof(line) - n, "\\\"&id=1%%27 UNION\"}");
    mr_http_event ev;
    mr_logformat_init(&fmt, MR_LOGFORMAT_JSON);
    assert_int_equal(mr_logformat_parse_line(&fmt, line, n, &ev), MR_PARSE_OK);
    assert_int_equal(ev.target.n, 1 + HALF + 1 + 1 + HALF + 1 + 14);
    assert_non_null(memchr(ev.target.p, '?', ev.target.n));
    assert_memory_equal(ev.target.p + ev.target.n - 14, "&id=1%27 UNION", 14);
}

static void test_detect(void **state)
{
    (void)state;
    const char *caddy =
        "{\"level\":\"info\",\"ts\":1,\"logger\":\"http\",\"msg\":\"server running\"}\n"
        "{\"level\":\"info\",\"ts\":2,\"request\":{\"uri\":\"/\",\"method\":\"GET\"},\"status\":200}\n"
        "{\"level\":\"info\",\"ts\":3,\"request\":{\"uri\":\"/a\",\"method\":\"GET\"},\"status\":200}\n";
    assert_int_equal(mr_logformat_detect(caddy, strlen(caddy)), MR_LOGFORMAT_JSON);
    /* JSON that never names a request is some other program's log */
    const char *app = "{\"level\":\"info\",\"msg\":\"started\"}\n{\"level\":\"warn\",\"msg\":\"x\"}\n";
    assert_int_equal(mr_logformat_detect(app, strlen(app)), MR_LOGFORMAT_UNKNOWN);
    /* mamori's own JSON report names requests too: it is no access log */
    const char *report =
        "{\"type\":\"finding\",\"check\":\"logscan.sqli\",\"countermeasures\":[\"meti.appsec\"],"
        "\"client\":\"203.0.113.9\",\"method\":\"GET\",\"request\":\"GET /?id=1' OR 1=1-- HTTP/1.1\"}\n";
    assert_int_equal(mr_logformat_detect(report, strlen(report)), MR_LOGFORMAT_UNKNOWN);
    /* a combined log stays combined */
    const char *clf = "1.2.3.4 - - [10/Oct/2026:13:55:36 +0900] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"\n";
    assert_int_equal(mr_logformat_detect(clf, strlen(clf)), MR_LOGFORMAT_COMBINED);
    assert_string_equal(mr_logformat_type_name(MR_LOGFORMAT_JSON), "json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_scratch),
        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_long_path_and_query),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
