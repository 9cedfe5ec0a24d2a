/*
 * format.c — the entry points of the log parsers (parse.h): setting up a
 * format, handing each line to the parser of its type, and guessing a
 * file's format from its first lines.
 *
 * Detection runs once per file on a few KiB, so it stays cheap: at most
 * MR_DETECT_LINES_MAX non-empty lines of at most the sample's length, each
 * parsed by the same code as the scan itself, so a file detected as
 * combined is one whose lines the combined parser accepts (and one
 * detected as JSON holds objects the JSON walker accepts). Binary garbage
 * simply fails to parse and gives MR_LOGFORMAT_UNKNOWN.
 */
#include "common.h"

#include "weblog/parse_internal.h"

#define MR_DETECT_LINES_MAX 20   /* non-empty lines looked at per file */

void mr_http_event_clear(mr_http_event *ev)
{
    ev->client = MR_SPAN_EMPTY;
    ev->user = MR_SPAN_EMPTY;
    ev->time_raw = MR_SPAN_EMPTY;
    ev->time = INT64_MIN;
    ev->method = MR_SPAN_EMPTY;
    ev->target = MR_SPAN_EMPTY;
    ev->protocol = MR_SPAN_EMPTY;
    ev->request = MR_SPAN_EMPTY;
    ev->status = -1;
    ev->bytes = -1;
    ev->referer = MR_SPAN_EMPTY;
    ev->user_agent = MR_SPAN_EMPTY;
    ev->vhost = MR_SPAN_EMPTY;
}

void mr_logformat_init(mr_logformat *f, mr_logformat_type type)
{
    /* everything but the scratch buffer, which is only read after being
     * written for the current line */
    memset(f, 0, offsetof(mr_logformat, scratch));
    f->type = type;
    if (type == MR_LOGFORMAT_W3C)
        mr_w3c_default_fields(f);
}

const char *mr_logformat_type_name(mr_logformat_type t)
{
    switch (t) {
    case MR_LOGFORMAT_COMMON: return "common";
    case MR_LOGFORMAT_COMBINED: return "combined";
    case MR_LOGFORMAT_W3C: return "w3c";
    case MR_LOGFORMAT_CUSTOM: return "custom";
    case MR_LOGFORMAT_JSON: return "json";
    case MR_LOGFORMAT_UNKNOWN: break;
    }
    return "unknown";
}

int mr_logformat_parse_line(mr_logformat *f, const char *line, size_t len,
                            mr_http_event *ev)
{
    bool combined;
    mr_http_event_clear(ev);
    if (len > 0 && line[len - 1] == '\r')
        len--;
    f->scratch_used = 0;
    switch (f->type) {
    case MR_LOGFORMAT_COMMON:
    case MR_LOGFORMAT_COMBINED:
        if (len == 0)
            return MR_PARSE_SKIP;
        return mr_parse_clf_line(line, len, ev, &combined, &f->time_cache);
    case MR_LOGFORMAT_W3C:
        return mr_parse_w3c_line(f, line, len, ev);
    case MR_LOGFORMAT_CUSTOM:
        if (len == 0)
            return MR_PARSE_SKIP;
        if (f->nfields == 0)
            return MR_PARSE_MALFORMED;
        return mr_parse_custom_line(f, line, len, ev);
    case MR_LOGFORMAT_JSON:
        if (len == 0)
            return MR_PARSE_SKIP;
        return mr_parse_json_line(f, line, len, ev);
    case MR_LOGFORMAT_UNKNOWN:
        break;
    }
    return MR_PARSE_MALFORMED;
}

int mr_logformat_in_scratch(const mr_logformat *f, mr_span s)
{
    /* compare as integers: pointers into different objects may not be
     * ordered in C */
    uintptr_t lo = (uintptr_t)f->scratch, hi = lo + sizeof(f->scratch);
    uintptr_t p = (uintptr_t)s.p;
    return s.n > 0 && p >= lo && p < hi;
}

static bool starts_with(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

mr_logformat_type mr_logformat_detect(const char *sample, size_t len)
{
    const char *p = sample, *end = sample + len;
    unsigned seen = 0, clf = 0, combined = 0, json = 0, json_access = 0;
    mr_http_event ev;
    mr_clf_time_cache tc;
    memset(&tc, 0, sizeof(tc));
    while (p < end && seen < MR_DETECT_LINES_MAX) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t n = (size_t)(stop - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        if (line[0] == '#') {
            if (starts_with(line, n, "#Fields:") ||
                starts_with(line, n, "#Software: Microsoft"))
                return MR_LOGFORMAT_W3C;
            continue;
        }
        seen++;
        if (line[0] == '{') {   /* never a CLF line */
            int kind = mr_json_line_kind(line, n);
            json_access += kind == 1;
            json += kind >= 0;   /* a server's own messages may share the file */
            continue;
        }
        bool is_combined;
        mr_http_event_clear(&ev);
        if (mr_parse_clf_line(line, n, &ev, &is_combined, &tc) == MR_PARSE_OK) {
            clf++;
            combined += is_combined;
        }
    }
    if (seen == 0)
        return MR_LOGFORMAT_UNKNOWN;
    if (json * 2 > seen && json_access > 0)
        return MR_LOGFORMAT_JSON;
    if (combined * 2 > seen)
        return MR_LOGFORMAT_COMBINED;
    if (clf * 2 > seen)
        return MR_LOGFORMAT_COMMON;
    return MR_LOGFORMAT_UNKNOWN;
}
