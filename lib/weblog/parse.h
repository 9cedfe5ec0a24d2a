/*
 * parse.h (weblog) — access-log line parsers and per-file format
 * detection, shared by the web attack scan (logscan/) and the web-login
 * part of the login-attack scan (auth/web.c).
 *
 * A format (mr_logformat) is compiled once — from a built-in (common,
 * combined, W3C) or from an Apache LogFormat / nginx log_format string —
 * and then parses lines without allocating. W3C extended logs carry their
 * field list in "#Fields:" lines; mr_logformat_parse_line() handles those
 * directives itself, so the format object is per-file state (copy it per
 * file; it holds no pointers to the heap). It is large (~67 KiB, mostly
 * the scratch buffer below): keep it in a heap or per-thread object, not
 * in a small stack frame.
 *
 * Some formats log the request in pieces (W3C cs-uri-stem + cs-uri-query,
 * nginx $uri + $args) or encode it (IIS writes '+' for spaces in the user
 * agent): the parser then rebuilds the target, request and user agent in
 * the format's own scratch buffer; JSON logs escape what they hold, and
 * their decoded values (any field) go there too. Those spans (target,
 * request, user agent with W3C and custom formats that log pieces; any
 * field of a JSON line that held an escape) are valid only until the next
 * parse_line call on the same format object: a caller that keeps an event
 * longer copies the spans mr_logformat_in_scratch() names. Every other
 * span points into the line.
 *
 * Lines are untrusted bytes: any byte sequence (NUL, invalid UTF-8,
 * unbalanced quotes) gives MR_PARSE_MALFORMED or an event, never a crash.
 */
#ifndef MR_WEBLOG_PARSE_H
#define MR_WEBLOG_PARSE_H

#include <stddef.h>

#include "util/time.h"
#include "weblog/event.h"

#define MR_LOGFORMAT_FIELDS_MAX 64   /* directives in one format */
#define MR_LOGFORMAT_LITERAL_MAX 32  /* bytes of a literal between fields */
/* Rebuilt target + user agent of one line fit in this when the line fits
 * in MAMORI_LOGSCAN_LINE_MAX (64 KiB); past it they are left in pieces. */
#define MR_LOGFORMAT_SCRATCH_MAX (64 * 1024 + 256)
#define MR_LOG_BYTES_MAX ((uint64_t)1 << 53)  /* larger byte counts are garbage */

typedef enum mr_logformat_type {
    MR_LOGFORMAT_UNKNOWN = 0,
    MR_LOGFORMAT_COMMON,     /* NCSA common: host ident user [time] "req" status bytes */
    MR_LOGFORMAT_COMBINED,   /* common + "referer" "user-agent" (and any extra fields) */
    MR_LOGFORMAT_W3C,        /* IIS W3C extended, fields from #Fields: */
    MR_LOGFORMAT_CUSTOM,     /* compiled from a LogFormat / log_format string */
    MR_LOGFORMAT_JSON        /* one JSON object a line (Caddy, Traefik, nginx escape=json, ECS) */
} mr_logformat_type;

/* What one field of a W3C or custom format is. */
typedef enum mr_field_id {
    MR_F_IGNORE = 0, MR_F_CLIENT, MR_F_USER, MR_F_TIME, MR_F_DATE,
    MR_F_TIMEOFDAY, MR_F_REQUEST, MR_F_METHOD, MR_F_PATH, MR_F_QUERY,
    MR_F_PROTOCOL, MR_F_STATUS, MR_F_BYTES, MR_F_REFERER, MR_F_USER_AGENT,
    MR_F_VHOST, MR_F_TIME_ISO, MR_F_TIME_EPOCH, MR_F_TIME_MSEC,
    MR_F_TARGET,          /* path and query together ($request_uri) */
    MR_F_TIME_EPOCH_MS,   /* Apache %{msec}t: integer milliseconds */
    MR_F_TIME_EPOCH_US    /* Apache %{usec}t: integer microseconds */
} mr_field_id;
/* MR_F_TIME is a CLF time ("10/Oct/2000:13:55:36 -0700"), MR_F_TIME_MSEC
 * nginx $msec ("1700000000.123"), MR_F_TIME_EPOCH integer seconds, MR_F_DATE
 * + MR_F_TIMEOFDAY the W3C pair ("2024-01-15" "12:34:56", UTC). */

typedef struct mr_logformat_field {
    mr_field_id id;
    char quoted;                                  /* '"' or '[' or 0 */
    unsigned char lit_len;                        /* literal after the field */
    char literal[MR_LOGFORMAT_LITERAL_MAX];
} mr_logformat_field;

typedef struct mr_logformat {
    mr_logformat_type type;
    size_t nfields;                               /* W3C and CUSTOM */
    char prefix[MR_LOGFORMAT_LITERAL_MAX];        /* CUSTOM: literal before the first field */
    unsigned char prefix_len;
    mr_logformat_field fields[MR_LOGFORMAT_FIELDS_MAX];
    mr_clf_time_cache time_cache;                 /* parser-private */
    size_t scratch_used;                          /* parser-private */
    char scratch[MR_LOGFORMAT_SCRATCH_MAX];       /* rebuilt spans, see above */
} mr_logformat;

enum {
    MR_PARSE_OK = 0,         /* *ev filled */
    MR_PARSE_SKIP = 1,       /* a directive or blank line: not a request, not an error */
    MR_PARSE_MALFORMED = -1  /* not a line of this format */
};

/* A W3C format starts with the default IIS field list until a "#Fields:"
 * line replaces it; CUSTOM starts empty (use a compile function). */
void mr_logformat_init(mr_logformat *f, mr_logformat_type type);
/* "common", "combined", "w3c", "custom", "json", "unknown". */
const char *mr_logformat_type_name(mr_logformat_type t);

/* Compiles an Apache LogFormat ("%h %l %u %t \"%r\" %>s %b") or an nginx
 * log_format ('$remote_addr - $remote_user [$time_local] "$request" ...').
 * On error returns -1 and writes a message naming the byte offset to err. */
int mr_logformat_compile_apache(mr_logformat *f, const char *spec,
                                char *err, size_t errlen);
int mr_logformat_compile_nginx(mr_logformat *f, const char *spec,
                               char *err, size_t errlen);

/* Guesses the format from the first bytes of a file (a few KiB of whole
 * lines): W3C as soon as a "#Fields:" or "#Software: Microsoft" line is
 * seen, else JSON when most of the first 20 non-empty lines are JSON
 * objects and one names a request, COMBINED when most parse with a
 * referer and user agent, COMMON when most parse at all, else
 * MR_LOGFORMAT_UNKNOWN (custom formats are never guessed). */
mr_logformat_type mr_logformat_detect(const char *sample, size_t len);

/* Parses one line (without its newline; a trailing '\r' is ignored).
 * COMMON and COMBINED parse the same way: a common line gives empty
 * referer and user agent, a combined line may carry extra fields after
 * the user agent, and the vhost_combined prefix ("%v:%p ") is accepted. */
int mr_logformat_parse_line(mr_logformat *f, const char *line, size_t len,
                            mr_http_event *ev);

/* Nonzero when s points into f's scratch buffer (see the top of this file):
 * valid only until the next mr_logformat_parse_line(f, ...). */
int mr_logformat_in_scratch(const mr_logformat *f, mr_span s);

/* The times these formats write are parsed by util/time.h. */

#endif
