/*
 * parse_nginx.c — compiles an nginx log_format string ('$remote_addr -
 * $remote_user [$time_local] "$request" ...') into an mr_logformat
 * (parse_custom.c parses lines with it).
 *
 * Accepted bare, as the quoted pieces of a config file ('...' '...';),
 * or as a whole `log_format name [escape=...] '...' '...';` directive.
 * Variables are $name or ${name}; the ones the scan needs map to fields,
 * every other variable is an ignored field.
 */
#include "common.h"

#include "weblog/parse_internal.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static int put(mr_fmt_text *t, char c, size_t at, char *err, size_t errlen)
{
    if (t->n >= MR_LOGFORMAT_SPEC_MAX)
        return mr_fmt_error(err, errlen, at, "format longer than %d bytes",
                            MR_LOGFORMAT_SPEC_MAX);
    t->c[t->n] = c;
    t->off[t->n++] = (uint32_t)at;
    return 0;
}

/* Joins the config-file pieces ('a' "b" c;) into one string. */
static int decode_pieces(const char *s, size_t i, size_t n, mr_fmt_text *t,
                         char *err, size_t errlen)
{
    for (;;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n || s[i] == ';')
            return 0;
        char q = s[i] == '\'' || s[i] == '"' ? s[i] : 0;
        if (q)
            i++;
        for (; i < n; i++) {
            char c = s[i];
            size_t at = i;
            if (q ? c == q : (is_space(c) || c == ';'))
                break;
            if (q && c == '\\' && i + 1 < n) {
                c = s[++i];
                c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
            }
            if (put(t, c, at, err, errlen) != 0)
                return -1;
        }
        if (q) {
            if (i >= n)
                return mr_fmt_error(err, errlen, n, "unterminated %c string", q);
            i++;
        }
    }
}

static int decode_spec(const char *spec, mr_fmt_text *t, char *err,
                       size_t errlen)
{
    size_t n = strlen(spec), i = 0;
    t->n = 0;
    if (n > 10 && memcmp(spec, "log_format", 10) == 0 && is_space(spec[10])) {
        i = 10;
        for (int word = 0; word < 2; word++) {   /* name, then escape= */
            while (i < n && is_space(spec[i]))
                i++;
            if (word == 1 && strncmp(spec + i, "escape=", 7) != 0)
                break;
            while (i < n && !is_space(spec[i]))
                i++;
        }
        return decode_pieces(spec, i, n, t, err, errlen);
    }
    if (n > 0 && spec[0] == '\'')
        return decode_pieces(spec, 0, n, t, err, errlen);
    for (; i < n; i++)
        if (put(t, spec[i], i, err, errlen) != 0)
            return -1;
    return 0;
}

static mr_field_id variable_field(const char *name, size_t n)
{
    static const struct { const char *name; mr_field_id id; } vars[] = {
        {"remote_addr", MR_F_CLIENT},      {"remote_user", MR_F_USER},
        {"time_local", MR_F_TIME},         {"time_iso8601", MR_F_TIME_ISO},
        {"msec", MR_F_TIME_MSEC},          {"request", MR_F_REQUEST},
        {"request_method", MR_F_METHOD},   {"request_uri", MR_F_TARGET},
        {"uri", MR_F_PATH},                {"document_uri", MR_F_PATH},
        {"args", MR_F_QUERY},              {"query_string", MR_F_QUERY},
        {"status", MR_F_STATUS},           {"body_bytes_sent", MR_F_BYTES},
        {"bytes_sent", MR_F_BYTES},        {"http_referer", MR_F_REFERER},
        {"http_user_agent", MR_F_USER_AGENT}, {"host", MR_F_VHOST},
        {"http_host", MR_F_VHOST},         {"server_name", MR_F_VHOST},
        {"server_protocol", MR_F_PROTOCOL},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(vars); i++)
        if (mr_span_eq(mr_span_make(name, n), vars[i].name))
            return vars[i].id;
    return MR_F_IGNORE;
}

/* One variable starting at t->c[*ip] == '$'; moves *ip past it. */
static int variable(mr_fmt_builder *b, const mr_fmt_text *t, size_t *ip)
{
    size_t i = *ip + 1, at = t->off[*ip], start, stop;
    if (i < t->n && t->c[i] == '{') {
        start = ++i;
        while (i < t->n && t->c[i] != '}')
            i++;
        if (i >= t->n)
            return mr_fmt_error(b->err, b->errlen, at, "unterminated ${");
        stop = i++;
    } else {
        start = i;
        while (i < t->n && is_name_char(t->c[i]))
            i++;
        stop = i;
    }
    if (stop == start)
        return mr_fmt_error(b->err, b->errlen, at, "empty variable name");
    for (size_t k = start; k < stop; k++)
        if (!is_name_char(t->c[k]))
            return mr_fmt_error(b->err, b->errlen, at,
                                "invalid variable name");
    *ip = i;
    return mr_fmt_field(b, variable_field(t->c + start, stop - start), 0, at);
}

int mr_logformat_compile_nginx(mr_logformat *f, const char *spec,
                               char *err, size_t errlen)
{
    return mr_fmt_compile(f, spec, err, errlen, '$', decode_spec, variable);
}
