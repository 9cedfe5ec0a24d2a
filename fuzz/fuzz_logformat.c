/*
 * fuzz_logformat.c — libFuzzer harness for the Apache LogFormat and nginx
 * log_format compilers (lib/weblog/parse.h): the input is a format
 * string for both; each format that compiles then parses a few fixed
 * lines and the input itself.
 */
#include "common.h"


#include "weblog/parse.h"

#define FUZZ_SPEC_MAX 8192

static mr_logformat fmt;   /* large: keep it off the stack */
static char spec[FUZZ_SPEC_MAX + 1];

static const char *const lines[] = {
    ("203.0.113.7 - alice [15/Jan/2024:09:12:01 +0900] \"GET /a?b=1 HTTP/1.1\""
     " 200 5120 \"https://ex.jp/\" \"Mozilla/5.0 \\\"x\\\" (X11)\" \"10.0.0.1\""),
    "2024-01-15 00:00:01 10.0.0.5 GET /x q=1 443 - 1.2.3.4 UA+x - 200 0 0 46",
    "1.2.3.4 1705320000.123 GET /a/b?x=1 HTTP/1.1 200 [2024-01-15T21:00:00Z]",
};

static void parse_all(const uint8_t *data, size_t size)
{
    mr_http_event ev;
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        (void)mr_logformat_parse_line(&fmt, lines[i], strlen(lines[i]), &ev);
    (void)mr_logformat_parse_line(&fmt, (const char *)data, size, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    size_t n = size < FUZZ_SPEC_MAX ? size : FUZZ_SPEC_MAX;
    memcpy(spec, data, n);
    spec[n] = '\0';
    if (mr_logformat_compile_apache(&fmt, spec, err, sizeof(err)) == 0)
        parse_all(data, size);
    if (mr_logformat_compile_nginx(&fmt, spec, err, sizeof(err)) == 0)
        parse_all(data, size);
    return 0;
}
