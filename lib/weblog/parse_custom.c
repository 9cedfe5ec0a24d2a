/*
 * parse_custom.c — the field-driven side of the log parsers: building a
 * compiled format (shared by the Apache LogFormat and nginx log_format
 * compilers in parse_apache.c / parse_nginx.c), parsing a line with it,
 * and turning field values into an event (shared with W3C).
 *
 * A compiled format is: a prefix literal, then fields each followed by a
 * literal. A quoted field runs to its closing quote (backslash escapes
 * honoured); an unquoted one runs to the literal that follows it, or to
 * the end of the line for the last. Bytes after the last field are
 * ignored, so a log with fields appended still parses. Some formats log
 * a request in pieces ($uri?$args, cs-uri-stem cs-uri-query): the target
 * is rebuilt in the format's scratch buffer when the pieces are not
 * already adjacent in the line.
 */
#include "common.h"

#include "weblog/parse_internal.h"

int mr_fmt_error(char *err, size_t errlen, size_t offset, const char *fmt,
                 ...)
{
    if (err == NULL || errlen == 0)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < errlen)
        snprintf(err + n, errlen - (size_t)n, " at offset %zu", offset);
    return -1;
}

void mr_fmt_begin(mr_fmt_builder *b, mr_logformat *f, char *err,
                  size_t errlen)
{
    mr_logformat_init(f, MR_LOGFORMAT_CUSTOM);
    b->f = f;
    b->err = err;
    b->errlen = errlen;
    b->lit_len = 0;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
}

int mr_fmt_literal(mr_fmt_builder *b, char c, size_t offset)
{
    if (b->lit_len >= MR_LOGFORMAT_LITERAL_MAX)
        return mr_fmt_error(b->err, b->errlen, offset,
                            "literal text longer than %d bytes",
                            MR_LOGFORMAT_LITERAL_MAX);
    b->lit[b->lit_len++] = c;
    return 0;
}

/* Moves the pending literal to where it belongs: the prefix, or after
 * the last field. */
static void flush_literal(mr_fmt_builder *b)
{
    mr_logformat *f = b->f;
    if (f->nfields == 0) {
        memcpy(f->prefix, b->lit, b->lit_len);
        f->prefix_len = (unsigned char)b->lit_len;
    } else {
        mr_logformat_field *last = &f->fields[f->nfields - 1];
        memcpy(last->literal, b->lit, b->lit_len);
        last->lit_len = (unsigned char)b->lit_len;
    }
    b->lit_len = 0;
}

int mr_fmt_field(mr_fmt_builder *b, mr_field_id id, char quoted,
                 size_t offset)
{
    mr_logformat *f = b->f;
    if (f->nfields >= MR_LOGFORMAT_FIELDS_MAX)
        return mr_fmt_error(b->err, b->errlen, offset,
                            "more than %d fields", MR_LOGFORMAT_FIELDS_MAX);
    flush_literal(b);
    mr_logformat_field *fl = &f->fields[f->nfields++];
    memset(fl, 0, sizeof(*fl));
    fl->id = id;
    fl->quoted = quoted;
    return 0;
}

int mr_fmt_compile(mr_logformat *f, const char *spec, char *err,
                   size_t errlen, char sigil, mr_fmt_decode_fn decode,
                   mr_fmt_directive_fn directive)
{
    mr_fmt_text t;
    mr_fmt_builder b;
    mr_fmt_begin(&b, f, err, errlen);
    if (decode(spec, &t, err, errlen) != 0)
        return -1;
    size_t i = 0;
    while (i < t.n) {
        if (t.c[i] == sigil) {
            if (directive(&b, &t, &i) != 0)
                return -1;
        } else {
            if (mr_fmt_literal(&b, t.c[i], t.off[i]) != 0)
                return -1;
            i++;
        }
    }
    return mr_fmt_end(&b);
}

int mr_fmt_end(mr_fmt_builder *b)
{
    mr_logformat *f = b->f;
    if (f->nfields == 0)
        return mr_fmt_error(b->err, b->errlen, 0, "no fields in format");
    flush_literal(b);
    for (size_t i = 0; i < f->nfields; i++) {
        mr_logformat_field *fl = &f->fields[i];
        char *before = i == 0 ? f->prefix : f->fields[i - 1].literal;
        unsigned char *blen = i == 0 ? &f->prefix_len
                                     : &f->fields[i - 1].lit_len;
        if (fl->quoted != 0 || *blen == 0 || fl->lit_len == 0)
            continue;
        char open = before[*blen - 1], close = fl->literal[0];
        if ((open == '"' && close == '"') || (open == '[' && close == ']')) {
            fl->quoted = open;
            (*blen)--;
            memmove(fl->literal, fl->literal + 1, --fl->lit_len);
        }
    }
    return 0;
}

static mr_span dash_empty(mr_span s)
{
    return s.n == 1 && s.p[0] == '-' ? MR_SPAN_EMPTY : s;
}

void mr_field_assign(mr_field_id id, mr_span v, mr_http_event *ev,
                     mr_field_acc *acc)
{
    switch (id) {
    case MR_F_IGNORE: break;
    case MR_F_CLIENT: ev->client = v; break;
    case MR_F_USER: ev->user = dash_empty(v); break;
    case MR_F_TIME:
        ev->time_raw = v;
        ev->time = acc->time_cache ? mr_parse_clf_time_cached(v, acc->time_cache)
                                   : mr_parse_clf_time(v);
        break;
    case MR_F_TIME_ISO:
        ev->time_raw = v;
        ev->time = mr_parse_iso_time(v);
        break;
    case MR_F_TIME_EPOCH:
    case MR_F_TIME_MSEC:
        ev->time_raw = v;
        ev->time = mr_parse_epoch(v, 1);
        break;
    case MR_F_TIME_EPOCH_MS:
        ev->time_raw = v;
        ev->time = mr_parse_epoch(v, 1000);
        break;
    case MR_F_TIME_EPOCH_US:
        ev->time_raw = v;
        ev->time = mr_parse_epoch(v, 1000000);
        break;
    case MR_F_DATE: acc->date = v; break;
    case MR_F_TIMEOFDAY: acc->tod = v; break;
    case MR_F_REQUEST:
        acc->request = v;
        acc->has_request = true;
        break;
    case MR_F_METHOD: acc->method = dash_empty(v); break;
    case MR_F_PATH: acc->path = dash_empty(v); break;
    case MR_F_QUERY: acc->query = dash_empty(v); break;
    case MR_F_TARGET: acc->target = dash_empty(v); break;
    case MR_F_PROTOCOL: acc->protocol = dash_empty(v); break;
    case MR_F_STATUS: {
        int st = mr_parse_status(v);
        ev->status = st < 0 ? -1 : st;
        break;
    }
    case MR_F_BYTES: mr_parse_bytes(v, &ev->bytes); break;
    case MR_F_REFERER: ev->referer = dash_empty(v); break;
    case MR_F_USER_AGENT: ev->user_agent = dash_empty(v); break;
    case MR_F_VHOST: ev->vhost = dash_empty(v); break;
    }
}

char *mr_logformat_scratch_take(mr_logformat *f, size_t n)
{
    if (n > sizeof(f->scratch) - f->scratch_used)
        return NULL;
    char *p = f->scratch + f->scratch_used;
    f->scratch_used += n;
    return p;
}

static mr_span join_target(mr_logformat *f, mr_span path, mr_span query)
{
    if (query.n > 0 && query.p[0] == '?') {   /* Apache %q keeps the '?' */
        query.p++;
        query.n--;
    }
    if (query.n == 0)
        return path;
    if (path.n == 0)
        return query;
    if (path.p + path.n + 1 == query.p && path.p[path.n] == '?')
        return mr_span_make(path.p, path.n + 1 + query.n);
    char *buf = mr_logformat_scratch_take(f, path.n + 1 + query.n);
    if (buf == NULL)
        return path;   /* only for lines past MAMORI_LOGSCAN_LINE_MAX */
    memcpy(buf, path.p, path.n);
    buf[path.n] = '?';
    memcpy(buf + path.n + 1, query.p, query.n);
    return mr_span_make(buf, path.n + 1 + query.n);
}

/* "GET /x HTTP/1.1" for formats that log no request line. */
static mr_span synth_request(mr_logformat *f, const mr_http_event *ev)
{
    size_t n = ev->method.n + 1 + ev->target.n +
               (ev->protocol.n ? 1 + ev->protocol.n : 0);
    if (ev->method.n == 0)
        return ev->target;
    char *buf = mr_logformat_scratch_take(f, n);
    if (buf == NULL)
        return ev->target;
    size_t at = 0;
    memcpy(buf, ev->method.p, ev->method.n);
    at += ev->method.n;
    buf[at++] = ' ';
    memcpy(buf + at, ev->target.p, ev->target.n);
    at += ev->target.n;
    if (ev->protocol.n) {
        buf[at++] = ' ';
        memcpy(buf + at, ev->protocol.p, ev->protocol.n);
    }
    return mr_span_make(buf, n);
}

static mr_span plus_to_space(mr_logformat *f, mr_span ua)
{
    const char *end = ua.p + ua.n;
    const char *plus = ua.n ? mr_find_byte(ua.p, end, '+') : NULL;
    if (plus == NULL)
        return ua;
    char *buf = mr_logformat_scratch_take(f, ua.n);
    if (buf == NULL)
        return ua;
    memcpy(buf, ua.p, ua.n);
    while (plus != NULL) {
        buf[plus - ua.p] = ' ';
        plus = mr_find_byte(plus + 1, end, '+');
    }
    return mr_span_make(buf, ua.n);
}

void mr_field_finish(mr_logformat *f, mr_field_acc *acc, mr_http_event *ev)
{
    if (acc->has_request)
        mr_split_request(acc->request, ev);
    if (acc->method.n)
        ev->method = acc->method;
    if (acc->protocol.n)
        ev->protocol = acc->protocol;
    /* the logged request line's target is the rawest; pieces fill in */
    if (acc->target.n) {
        ev->target = acc->target;
    } else if (ev->target.n == 0 && (acc->path.n || acc->query.n)) {
        ev->target = join_target(f, acc->path, acc->query);
    }
    if (acc->date.n && ev->time == INT64_MIN) {
        ev->time = mr_parse_w3c_time(acc->date, acc->tod, acc->time_cache);
        ev->time_raw = acc->date;
        if (acc->tod.p == acc->date.p + acc->date.n + 1)
            ev->time_raw.n += 1 + acc->tod.n;
    }
    /* before the request: target + user agent always fit the scratch
     * for a line within MAMORI_LOGSCAN_LINE_MAX, the request may not */
    if (acc->plus_in_ua)
        ev->user_agent = plus_to_space(f, ev->user_agent);
    if (!acc->has_request && ev->target.n)
        ev->request = synth_request(f, ev);
}

/* Where an unquoted field with no literal after it stops. */
static char adjacent_stop(const mr_logformat *f, size_t i)
{
    const mr_logformat_field *next = &f->fields[i + 1];
    if (next->quoted)
        return next->quoted;
    return next->id == MR_F_QUERY ? '?' : ' ';
}

/* Whether the n bytes at p are lit; inline, as literals are a few bytes. */
static bool literal_at(const char *p, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != lit[i])
            return false;
    return true;
}

/* The end of an unquoted field's value: where its literal starts. */
static const char *find_literal(const mr_logformat_field *fl, const char *p,
                                const char *end)
{
    const char *from = p;
    if (fl->id == MR_F_TIME) {   /* "10/Oct/2000:13:55:36 -0700" has a space */
        const char *sp = mr_find_byte(p, end, ' ');
        if (sp != NULL)
            from = sp + 1;
    }
    while (from < end) {
        const char *c = mr_find_byte(from, end, fl->literal[0]);
        if (c == NULL || (size_t)(end - c) < fl->lit_len)
            return NULL;
        if (literal_at(c, fl->literal, fl->lit_len))
            return c;
        from = c + 1;
    }
    return NULL;
}

int mr_parse_custom_line(mr_logformat *f, const char *line, size_t len,
                         mr_http_event *ev)
{
    const char *p = line, *end = line + len;
    mr_field_acc acc;
    memset(&acc, 0, sizeof(acc));
    acc.time_cache = &f->time_cache;
    if (len < f->prefix_len || !literal_at(p, f->prefix, f->prefix_len))
        return MR_PARSE_MALFORMED;
    p += f->prefix_len;
    for (size_t i = 0; i < f->nfields; i++) {
        const mr_logformat_field *fl = &f->fields[i];
        bool last = i + 1 == f->nfields;
        const char *vend;
        mr_span v;
        if (fl->quoted) {
            if (p >= end || *p != fl->quoted)
                return MR_PARSE_MALFORMED;
            p++;
            if (fl->quoted == '"') {
                char follow = fl->lit_len ? fl->literal[0] : last ? ' ' : 0;
                vend = mr_scan_quoted(p, end, follow);
            } else {
                vend = mr_find_byte(p, end, ']');
            }
            if (vend == NULL)
                return MR_PARSE_MALFORMED;
            v = mr_span_make(p, (size_t)(vend - p));
            p = vend + 1;
        } else {
            if (fl->lit_len)
                vend = find_literal(fl, p, end);
            else if (last)
                vend = end;
            else {
                /* "%U%q": up to the next field's first byte or a space */
                const char *stop = mr_find_byte(p, end, adjacent_stop(f, i));
                const char *sp = mr_find_byte(p, end, ' ');
                vend = stop == NULL ? end : stop;
                if (sp != NULL && sp < vend)
                    vend = sp;
            }
            if (vend == NULL)
                return MR_PARSE_MALFORMED;
            v = mr_span_make(p, (size_t)(vend - p));
            p = vend;
        }
        if ((size_t)(end - p) < fl->lit_len ||
            !literal_at(p, fl->literal, fl->lit_len))
            return MR_PARSE_MALFORMED;
        p += fl->lit_len;
        mr_field_assign(fl->id, v, ev, &acc);
    }
    mr_field_finish(f, &acc, ev);
    return MR_PARSE_OK;
}
