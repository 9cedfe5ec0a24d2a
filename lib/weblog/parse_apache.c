/*
 * parse_apache.c — compiles an Apache LogFormat string ("%h %l %u %t
 * \"%r\" %>s %b") into an mr_logformat (parse_custom.c parses lines with
 * it).
 *
 * Accepted as given on the command line, with or without the config
 * quoting: `%h "%r"`, `%h \"%r\"`, or a whole `LogFormat "..." combined`
 * line. Directives Apache or its stock modules define are accepted; those
 * the scan does not need become ignored fields. A letter Apache does not
 * know is an error naming its offset, as Apache itself refuses it.
 */
#include "common.h"

#include <strings.h>

#include "weblog/parse_internal.h"

/* Takes off the config quoting and mod_log_config's escapes (\" \\ \n \t). */
static int decode_spec(const char *spec, mr_fmt_text *t, char *err,
                       size_t errlen)
{
    size_t i = 0, n = strlen(spec);
    bool quoted = false;
    if (n >= 10 && strncasecmp(spec, "LogFormat", 9) == 0 &&
        (spec[9] == ' ' || spec[9] == '\t')) {
        i = 9;
        while (i < n && (spec[i] == ' ' || spec[i] == '\t'))
            i++;
    }
    if (i < n && spec[i] == '"' && (i > 0 || strstr(spec, "\\\"") != NULL)) {
        quoted = true;
        i++;
    }
    t->n = 0;
    for (; i < n; i++) {
        char c = spec[i];
        size_t at = i;
        if (c == '"' && quoted)
            break;   /* the nickname after the string is not the format */
        if (c == '\\' && i + 1 < n) {
            c = spec[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        if (t->n >= MR_LOGFORMAT_SPEC_MAX)
            return mr_fmt_error(err, errlen, at, "format longer than %d bytes",
                                MR_LOGFORMAT_SPEC_MAX);
        t->c[t->n] = c;
        t->off[t->n++] = (uint32_t)at;
    }
    return 0;
}

static bool arg_is(const char *arg, size_t n, const char *lit)
{
    return mr_span_ieq(mr_span_make(arg, n), lit);
}

/* %{...}t: what its strftime-ish argument makes the field. */
static mr_field_id time_field(const char *arg, size_t n)
{
    if (n >= 6 && strncmp(arg, "begin:", 6) == 0) {
        arg += 6;
        n -= 6;
    } else if (n >= 4 && strncmp(arg, "end:", 4) == 0) {
        arg += 4;
        n -= 4;
    }
    if (arg_is(arg, n, "sec"))
        return MR_F_TIME_EPOCH;
    if (arg_is(arg, n, "msec"))
        return MR_F_TIME_EPOCH_MS;
    if (arg_is(arg, n, "usec"))
        return MR_F_TIME_EPOCH_US;
    if (arg_is(arg, n, "%d/%b/%Y:%H:%M:%S %z"))
        return MR_F_TIME;
    if (n >= 8 && memcmp(arg, "%Y-%m-%d", 8) == 0)
        return MR_F_TIME_ISO;   /* ISO-like; unparseable variants give no time */
    return MR_F_IGNORE;
}

static mr_field_id header_field(const char *arg, size_t n)
{
    if (arg_is(arg, n, "Referer") || arg_is(arg, n, "Referrer"))
        return MR_F_REFERER;
    if (arg_is(arg, n, "User-Agent"))
        return MR_F_USER_AGENT;
    if (arg_is(arg, n, "Host"))
        return MR_F_VHOST;
    return MR_F_IGNORE;
}

/* The field of directive letter c; -1 for a letter Apache does not know. */
static int letter_field(char c, const char *arg, size_t argn)
{
    switch (c) {
    case 'a': case 'h': return MR_F_CLIENT;
    case 'b': case 'B': case 'O': return MR_F_BYTES;
    case 'H': return MR_F_PROTOCOL;
    case 'i': return header_field(arg, argn);
    case 'm': return MR_F_METHOD;
    case 'q': return MR_F_QUERY;
    case 'r': return MR_F_REQUEST;
    case 's': return MR_F_STATUS;
    case 't': return arg ? time_field(arg, argn) : MR_F_TIME;
    case 'u': return MR_F_USER;
    case 'U': return MR_F_PATH;
    case 'v': case 'V': return MR_F_VHOST;
    /* known to Apache (core, mod_logio, mod_ssl), not needed here */
    case 'A': case 'C': case 'D': case 'e': case 'f': case 'k': case 'l':
    case 'L': case 'n': case 'o': case 'p': case 'P': case 'R': case 'T':
    case 'X': case 'I': case 'S': case 'c': case 'x':
        return MR_F_IGNORE;
    default: return -1;
    }
}

/* One directive starting at t->c[*ip] == '%'; moves *ip past it. */
static int directive(mr_fmt_builder *b, const mr_fmt_text *t, size_t *ip)
{
    size_t i = *ip + 1, at = t->off[*ip];
    if (i < t->n && t->c[i] == '%') {
        *ip = i + 1;
        return mr_fmt_literal(b, '%', at);
    }
    /* modifiers: %>s, %<s, %!200,304{Referer}i, %400r */
    while (i < t->n && strchr("<>!,0123456789", t->c[i]) != NULL &&
           t->c[i] != '\0')
        i++;
    const char *arg = NULL;
    size_t argn = 0;
    if (i < t->n && t->c[i] == '{') {
        size_t close = i + 1;
        while (close < t->n && t->c[close] != '}')
            close++;
        if (close >= t->n)
            return mr_fmt_error(b->err, b->errlen, at, "unterminated %%{");
        arg = t->c + i + 1;
        argn = close - i - 1;
        i = close + 1;
        while (i < t->n && (t->c[i] == '<' || t->c[i] == '>'))
            i++;
    }
    if (i >= t->n)
        return mr_fmt_error(b->err, b->errlen, at, "incomplete directive");
    char c = t->c[i];
    int id;
    if (c == '^') {   /* %{VAR}^ti / ^to: trailers */
        if (i + 2 >= t->n || t->c[i + 1] != 't' ||
            (t->c[i + 2] != 'i' && t->c[i + 2] != 'o'))
            return mr_fmt_error(b->err, b->errlen, at,
                                "unknown directive %%^");
        i += 2;
        id = MR_F_IGNORE;
    } else {
        id = letter_field(c, arg, argn);
        if (id < 0) {
            unsigned char u = (unsigned char)c;
            if (u >= 0x21 && u < 0x7f)
                return mr_fmt_error(b->err, b->errlen, at,
                                    "unknown directive %%%c", c);
            return mr_fmt_error(b->err, b->errlen, at,
                                "unknown directive %%\\x%02X", u);
        }
    }
    *ip = i + 1;
    char quoted = c == 't' && arg == NULL ? '[' : 0;   /* %t has its [] */
    return mr_fmt_field(b, (mr_field_id)id, quoted, at);
}

int mr_logformat_compile_apache(mr_logformat *f, const char *spec,
                                char *err, size_t errlen)
{
    return mr_fmt_compile(f, spec, err, errlen, '%', decode_spec, directive);
}
