/*
 * parse_internal.h — helpers shared by the access-log parsers (format.c,
 * parse_clf.c, parse_custom.c, parse_w3c.c, parse_json.c); not part of any API outside
 * lib/weblog. Nothing here allocates; spans returned point
 * into the caller's bytes.
 */
#ifndef MR_WEBLOG_PARSE_INTERNAL_H
#define MR_WEBLOG_PARSE_INTERNAL_H

#include <stdbool.h>
#include <string.h>

#include "weblog/parse.h"

/* An empty span that is safe to hand to memcmp/memcpy (never NULL). */
#define MR_SPAN_EMPTY ((mr_span){"", 0})

/* The first c in [p, end), or NULL. Most fields are short (addresses,
 * status, sizes, W3C values), where a memchr call costs more than the
 * scan: look 8 bytes at a time (a byte equal to c gives a zero byte in
 * word ^ c*0x01..; the classic has-zero test finds the first), then hand
 * long fields to memchr. */
static inline const char *mr_find_byte(const char *p, const char *end, char c)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const uint64_t pattern = ones * (unsigned char)c;
    const char *swar_end = end - p > 64 ? p + 64 : end;
    while (swar_end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= pattern;
        uint64_t hit = (w - ones) & ~w & highs;
        if (hit)
            return p + (__builtin_ctzll(hit) >> 3);
        p += 8;
    }
    if (swar_end == end) {
        for (; p < end; p++)
            if (*p == c)
                return p;
        return NULL;
    }
#else
    const char *inline_end = end - p > 24 ? p + 24 : end;
    for (; p < inline_end; p++)
        if (*p == c)
            return p;
#endif
    return p < end ? (const char *)memchr(p, c, (size_t)(end - p)) : NULL;
}

/* parse_clf.c: pieces every format uses. */
/* p points just past an opening '"'; returns the closing '"' that no odd
 * run of backslashes escapes and that is followed by `follow` (or by the
 * end), or NULL. follow == 0 accepts any next byte. */
const char *mr_scan_quoted(const char *p, const char *end, char follow);
/* Splits "GET /x HTTP/1.1" into ev->method, target, protocol. */
void mr_split_request(mr_span req, mr_http_event *ev);
/* "200" -> 200, "-" -> -1; -2 when it is neither. */
int mr_parse_status(mr_span s);
/* "1234" -> 1234, "-" -> -1; returns -1 on garbage, 0 on success. */
int mr_parse_bytes(mr_span s, int64_t *out);
/* The built-in common/combined/vhost_combined parser. *combined says
 * whether referer and user agent were present. */
int mr_parse_clf_line(const char *line, size_t len, mr_http_event *ev,
                      bool *combined, mr_clf_time_cache *tc);

/* Values a field-driven line gave, combined into the event afterwards. */
typedef struct mr_field_acc {
    mr_span path, query, target, method, protocol, request, date, tod;
    bool has_request;
    bool plus_in_ua;   /* W3C: '+' in the user agent means a space */
    mr_clf_time_cache *time_cache;   /* the format's, for MR_F_TIME */
} mr_field_acc;

/* Stores one field's value in ev / acc. */
void mr_field_assign(mr_field_id id, mr_span v, mr_http_event *ev,
                     mr_field_acc *acc);
/* Builds target, request, time and user agent from the pieces. */
void mr_field_finish(mr_logformat *f, mr_field_acc *acc, mr_http_event *ev);
/* n bytes of the format's scratch, or NULL when they do not fit. */
char *mr_logformat_scratch_take(mr_logformat *f, size_t n);

/* parse_custom.c: what both format compilers build with. Literal bytes
 * and fields are appended in order; mr_fmt_end() then decides which
 * fields are quoted ("..." or [...]) from the literals around them. */
#define MR_LOGFORMAT_SPEC_MAX 4096   /* bytes of a format string */

/* A format string after the config quoting is taken off: the bytes and,
 * for error messages, where each came from in what the user gave. */
typedef struct mr_fmt_text {
    size_t n;
    char c[MR_LOGFORMAT_SPEC_MAX];
    uint32_t off[MR_LOGFORMAT_SPEC_MAX];
} mr_fmt_text;

typedef struct mr_fmt_builder {
    mr_logformat *f;
    char *err;
    size_t errlen;
    char lit[MR_LOGFORMAT_LITERAL_MAX];
    size_t lit_len;
} mr_fmt_builder;

void mr_fmt_begin(mr_fmt_builder *b, mr_logformat *f, char *err,
                  size_t errlen);
/* Both return 0, or -1 after writing an error naming `offset`. */
int mr_fmt_literal(mr_fmt_builder *b, char c, size_t offset);
int mr_fmt_field(mr_fmt_builder *b, mr_field_id id, char quoted,
                 size_t offset);
int mr_fmt_end(mr_fmt_builder *b);

/* The compile loop both format languages share: decode the spec into
 * text, then hand each `sigil` ('%' or '$') to `directive` (which moves
 * *i past what it read) and every other byte to the literal. */
typedef int (*mr_fmt_decode_fn)(const char *spec, mr_fmt_text *t, char *err,
                                size_t errlen);
typedef int (*mr_fmt_directive_fn)(mr_fmt_builder *b, const mr_fmt_text *t,
                                   size_t *i);
int mr_fmt_compile(mr_logformat *f, const char *spec, char *err,
                   size_t errlen, char sigil, mr_fmt_decode_fn decode,
                   mr_fmt_directive_fn directive);
/* Writes "<msg> at offset N" to err (if any); returns -1. */
int mr_fmt_error(char *err, size_t errlen, size_t offset, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* parse_custom.c / parse_w3c.c */
int mr_parse_custom_line(mr_logformat *f, const char *line, size_t len,
                         mr_http_event *ev);
int mr_parse_w3c_line(mr_logformat *f, const char *line, size_t len,
                      mr_http_event *ev);
/* Sets the IIS default field list (used until a "#Fields:" line). */
void mr_w3c_default_fields(mr_logformat *f);

/* parse_json.c: one JSON object a line. */
int mr_parse_json_line(mr_logformat *f, const char *line, size_t len,
                       mr_http_event *ev);
/* For detection: 1 for a JSON object that names a request, 0 for one
 * that does not (a server's own message), -1 for anything else. */
int mr_json_line_kind(const char *line, size_t len);

#endif
