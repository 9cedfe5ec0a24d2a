/*
 * event.h (weblog) — one HTTP request as an access-log line describes it:
 * what the log parsers (parse.h) give to the web attack detectors
 * (logscan/detect.h) and to the web-login rules (auth/web.h).
 *
 * Every span points into the line buffer the parser was given, so an
 * event lives exactly as long as that line — except target, request and
 * user_agent of formats that log them in pieces (W3C, some custom ones)
 * and any field of a JSON line that held an escape, which the parser
 * builds in its format object's scratch buffer and which last only until
 * it parses the next line (parse.h, mr_logformat_in_scratch; a caller
 * that keeps an event copies them all, mr_http_event_spans). A field the
 * format does not carry is an empty span, never NULL (or -1 / INT64_MIN
 * for numbers).
 */
#ifndef MR_WEBLOG_EVENT_H
#define MR_WEBLOG_EVENT_H

#include <stdint.h>

#include "util/span.h"

typedef struct mr_http_event {
    mr_span client;      /* remote address or host (%h, $remote_addr, c-ip) */
    mr_span user;        /* authenticated user (%u) */
    mr_span time_raw;    /* the timestamp as written */
    int64_t time;        /* unix seconds (UTC); INT64_MIN when unknown */
    mr_span method;      /* "GET" */
    mr_span target;      /* request target as sent: path and query, raw */
    mr_span protocol;    /* "HTTP/1.1"; empty for HTTP/0.9 or unknown */
    mr_span request;     /* the whole request line as logged ("GET / HTTP/1.1") */
    int status;          /* 100..999, or -1 */
    int64_t bytes;       /* response size, -1 when unknown ("-") */
    mr_span referer;
    mr_span user_agent;
    mr_span vhost;       /* virtual host when the format has it */
} mr_http_event;

/* Empties every field (spans "" length 0, time INT64_MIN, status and
 * bytes -1). */
void mr_http_event_clear(mr_http_event *ev);

/* Every span of ev, in out, for code that must treat them all alike
 * (copying those a parser built in its scratch): a field added to the
 * event is added here, and every such caller sees it. */
#define MR_HTTP_EVENT_SPANS 10
static inline void mr_http_event_spans(mr_http_event *ev,
                                       mr_span *out[MR_HTTP_EVENT_SPANS])
{
    out[0] = &ev->client;
    out[1] = &ev->user;
    out[2] = &ev->time_raw;
    out[3] = &ev->method;
    out[4] = &ev->target;
    out[5] = &ev->protocol;
    out[6] = &ev->request;
    out[7] = &ev->referer;
    out[8] = &ev->user_agent;
    out[9] = &ev->vhost;
}

#endif
