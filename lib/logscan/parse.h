/*
 * parse.h — access-log line parsers and per-file format detection.
 *
 * A format (mr_logformat) is compiled once — from a built-in (common,
 * combined, W3C) or from an Apache LogFormat / nginx log_format string —
 * and then parses lines without allocating. W3C extended logs carry their
 * field list in "#Fields:" lines; mr_logformat_parse_line() handles those
 * directives itself, so the format object is per-file state (copy it per
 * file; it holds no pointers to the heap).
 *
 * Lines are untrusted bytes: any byte sequence (NUL, invalid UTF-8,
 * unbalanced quotes) gives MR_PARSE_MALFORMED or an event, never a crash.
 */
#ifndef MR_PARSE_H
#define MR_PARSE_H

#include <stddef.h>

#include "logscan/event.h"

#define MR_LOGFORMAT_FIELDS_MAX 64   /* directives in one format */
#define MR_LOGFORMAT_LITERAL_MAX 32  /* bytes of a literal between fields */

typedef enum mr_logformat_type {
    MR_LOGFORMAT_UNKNOWN = 0,
    MR_LOGFORMAT_COMMON,     /* NCSA common: host ident user [time] "req" status bytes */
    MR_LOGFORMAT_COMBINED,   /* common + "referer" "user-agent" (and any extra fields) */
    MR_LOGFORMAT_W3C,        /* IIS W3C extended, fields from #Fields: */
    MR_LOGFORMAT_CUSTOM      /* compiled from a LogFormat / log_format string */
} mr_logformat_type;

/* What one field of a W3C or custom format is. */
typedef enum mr_field_id {
    MR_F_IGNORE = 0, MR_F_CLIENT, MR_F_USER, MR_F_TIME, MR_F_DATE,
    MR_F_TIMEOFDAY, MR_F_REQUEST, MR_F_METHOD, MR_F_PATH, MR_F_QUERY,
    MR_F_PROTOCOL, MR_F_STATUS, MR_F_BYTES, MR_F_REFERER, MR_F_USER_AGENT,
    MR_F_VHOST, MR_F_TIME_ISO, MR_F_TIME_EPOCH, MR_F_TIME_MSEC
} mr_field_id;

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
} mr_logformat;

enum {
    MR_PARSE_OK = 0,         /* *ev filled */
    MR_PARSE_SKIP = 1,       /* a directive or blank line: not a request, not an error */
    MR_PARSE_MALFORMED = -1  /* not a line of this format */
};

void mr_logformat_init(mr_logformat *f, mr_logformat_type type);

/* Compiles an Apache LogFormat ("%h %l %u %t \"%r\" %>s %b") or an nginx
 * log_format ('$remote_addr - $remote_user [$time_local] "$request" ...').
 * On error returns -1 and writes a message naming the byte offset to err. */
int mr_logformat_compile_apache(mr_logformat *f, const char *spec,
                                char *err, size_t errlen);
int mr_logformat_compile_nginx(mr_logformat *f, const char *spec,
                               char *err, size_t errlen);

/* Guesses the format from the first bytes of a file (a few KiB of whole
 * lines). Returns MR_LOGFORMAT_UNKNOWN when no line fits any format. */
mr_logformat_type mr_logformat_detect(const char *sample, size_t len);

/* Parses one line (without its newline). */
int mr_logformat_parse_line(mr_logformat *f, const char *line, size_t len,
                            mr_http_event *ev);

/* Parses an Apache/nginx "%t" time ("10/Oct/2000:13:55:36 -0700") or an
 * ISO 8601 time; returns INT64_MIN when it is not one. */
int64_t mr_parse_clf_time(mr_span s);
int64_t mr_parse_iso_time(mr_span s);

#endif
