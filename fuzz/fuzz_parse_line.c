/*
 * fuzz_parse_line.c — libFuzzer harness for the access-log line parsers
 * and format detection (lib/weblog/parse.h). The first byte picks the
 * format (common, combined, W3C, an nginx and an Apache custom format,
 * JSON); the rest is lines, each parsed; detection runs on the whole
 * input. Every span of an event must point into its line or into the
 * format's scratch (JSON decodes there): anything else would be read
 * after the line is gone.
 */
#include "common.h"


#include "weblog/parse.h"

static mr_logformat fmt;   /* large: keep it off the stack */

static void span_inside(mr_span s, const char *line, size_t len)
{
    uintptr_t p = (uintptr_t)s.p, lo = (uintptr_t)line;
    if (s.n == 0)
        return;
    if (p >= lo && p + s.n <= lo + len)
        return;
    if (mr_logformat_in_scratch(&fmt, s) &&
        p + s.n <= (uintptr_t)fmt.scratch + sizeof(fmt.scratch))
        return;
    __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    (void)mr_logformat_detect((const char *)data, size);
    switch (data[0] % 6) {
    case 0: mr_logformat_init(&fmt, MR_LOGFORMAT_COMMON); break;
    case 1: mr_logformat_init(&fmt, MR_LOGFORMAT_COMBINED); break;
    case 2: mr_logformat_init(&fmt, MR_LOGFORMAT_W3C); break;
    case 3:
        if (mr_logformat_compile_nginx(&fmt, "$remote_addr - $remote_user "
                "[$time_local] \"$request\" $status $body_bytes_sent "
                "\"$http_referer\" \"$http_user_agent\" $uri?$args $msec",
                NULL, 0) != 0)
            __builtin_trap();
        break;
    case 5: mr_logformat_init(&fmt, MR_LOGFORMAT_JSON); break;
    default:
        if (mr_logformat_compile_apache(&fmt, "%v:%p %h %l %u %t \"%r\" %>s "
                "%b %U%q [%{%Y-%m-%dT%H:%M:%S%z}t] %{sec}t \"%{User-Agent}i\"",
                NULL, 0) != 0)
            __builtin_trap();
        break;
    }
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        mr_http_event ev;
        size_t n = (size_t)(stop - p);
        if (mr_logformat_parse_line(&fmt, p, n, &ev) == MR_PARSE_OK) {
            mr_span *all[MR_HTTP_EVENT_SPANS];
            mr_http_event_spans(&ev, all);
            for (size_t i = 0; i < MR_HTTP_EVENT_SPANS; i++)
                span_inside(*all[i], p, n);
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}
