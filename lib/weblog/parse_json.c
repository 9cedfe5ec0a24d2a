/*
 * parse_json.c — access logs written one JSON object a line: Caddy's
 * access log (its only format), Traefik's JSON format, nginx log_format
 * with escape=json (and without it: nginx then writes \xHH, which is not
 * JSON but is what such logs hold), and the Elastic Common Schema names
 * that Filebeat and many ingress controllers write.
 *
 * Each line is walked once, without allocating. Member names are folded
 * to lower case and nested ones joined with '.' ("request.headers.
 * user-agent"), then looked up in the table of names below; an array
 * value gives its first element when that is a string or number (Caddy
 * logs each header as a list). Each
 * name has a rank, so that when a line carries two names for one field
 * (Caddy's request.client_ip, the client after trusted proxies, and
 * request.remote_ip, the peer) the better one wins whatever their order.
 * Only the values kept are decoded, and only those holding escapes go
 * through the format's scratch; the others stay spans of the line. An
 * attacker's payload is escaped in these logs (Caddy writes '<' as
 * \u003c), so detection always sees the decoded bytes.
 *
 * Bounds: MR_JSONLOG_DEPTH_MAX levels of nesting, names of
 * MR_JSONLOG_NAME_MAX bytes as written (escapes counted; longer ones
 * match nothing); any syntax error makes the line malformed. A
 * well-formed object that names no request (a server's own message in
 * the same file) is skipped, not malformed, and so is a line of
 * mamori's own JSON report (its findings name a request too).
 *
 * Scratch: the values decoded there come from distinct parts of the
 * line, so they fit in as many bytes as the line has; a path and a query
 * given apart are decoded side by side with the '?' between them, so
 * joining them takes nothing more (parse_custom.c's join would copy them
 * again, and a long pair could then leave the query out).
 */
#include "common.h"

#include "util/time.h"
#include "weblog/parse_internal.h"

#define MR_JSONLOG_DEPTH_MAX 8    /* nested objects and arrays */
#define MR_JSONLOG_NAME_MAX 64    /* bytes of a dotted member name */

/* The event's fields a JSON log can fill, and the time's kinds. */
enum slot {
    S_CLIENT, S_USER, S_TIME, S_METHOD, S_TARGET, S_PATH, S_QUERY, S_REQUEST,
    S_PROTOCOL, S_STATUS, S_BYTES, S_REFERER, S_AGENT, S_VHOST, S_COUNT
};

enum time_kind { T_GUESS, T_CLF, T_ISO, T_EPOCH };

typedef struct json_name {
    const char *name;          /* lower case, nested names joined by '.' */
    unsigned char slot;
    unsigned char rank;        /* lower wins */
    unsigned char time;        /* S_TIME: how to read it */
} json_name;

/* Sources: nginx's variable names (ngx_http_log_module, ngx_http_core
 * "Embedded variables"), Caddy's access log fields (caddyhttp's
 * LoggableHTTPRequest), Traefik's access log fields (ClientHost,
 * RequestMethod...), ECS's http.*, url.*, user_agent.*, source/client. */
static const json_name names[] = {
    {"request.client_ip", S_CLIENT, 0, 0},
    {"client.ip", S_CLIENT, 0, 0},
    {"remote_addr", S_CLIENT, 1, 0},
    {"request.remote_ip", S_CLIENT, 1, 0},
    {"clienthost", S_CLIENT, 1, 0},
    {"source.ip", S_CLIENT, 1, 0},
    {"client_ip", S_CLIENT, 1, 0},
    {"remote_ip", S_CLIENT, 1, 0},
    {"clientip", S_CLIENT, 2, 0},
    {"remote_host", S_CLIENT, 2, 0},
    {"ip", S_CLIENT, 3, 0},
    {"remote_user", S_USER, 0, 0},
    {"user_id", S_USER, 1, 0},
    {"clientusername", S_USER, 1, 0},
    {"user.name", S_USER, 1, 0},
    {"time_iso8601", S_TIME, 0, T_ISO},
    {"time_local", S_TIME, 0, T_CLF},
    {"@timestamp", S_TIME, 0, T_GUESS},
    {"startutc", S_TIME, 0, T_ISO},
    {"msec", S_TIME, 0, T_EPOCH},
    {"time", S_TIME, 1, T_GUESS},
    {"timestamp", S_TIME, 1, T_GUESS},
    {"ts", S_TIME, 1, T_GUESS},
    {"startlocal", S_TIME, 1, T_ISO},
    {"request_method", S_METHOD, 0, 0},
    {"request.method", S_METHOD, 0, 0},
    {"requestmethod", S_METHOD, 0, 0},
    {"http.request.method", S_METHOD, 0, 0},
    {"method", S_METHOD, 1, 0},
    {"request_uri", S_TARGET, 0, 0},
    {"request.uri", S_TARGET, 0, 0},
    {"requestpath", S_TARGET, 0, 0},
    {"url.original", S_TARGET, 0, 0},
    {"uri", S_PATH, 0, 0},
    {"url.path", S_PATH, 0, 0},
    {"path", S_PATH, 1, 0},
    {"args", S_QUERY, 0, 0},
    {"query_string", S_QUERY, 0, 0},
    {"url.query", S_QUERY, 0, 0},
    {"query", S_QUERY, 1, 0},
    {"request", S_REQUEST, 0, 0},
    {"server_protocol", S_PROTOCOL, 0, 0},
    {"request.proto", S_PROTOCOL, 0, 0},
    {"requestprotocol", S_PROTOCOL, 0, 0},
    {"protocol", S_PROTOCOL, 1, 0},
    {"http.version", S_PROTOCOL, 1, 0},
    {"status", S_STATUS, 0, 0},
    {"downstreamstatus", S_STATUS, 0, 0},
    {"http.response.status_code", S_STATUS, 0, 0},
    {"status_code", S_STATUS, 1, 0},
    {"response_status", S_STATUS, 1, 0},
    {"originstatus", S_STATUS, 2, 0},
    {"body_bytes_sent", S_BYTES, 0, 0},
    {"downstreamcontentsize", S_BYTES, 0, 0},
    {"http.response.body.bytes", S_BYTES, 0, 0},
    {"bytes_sent", S_BYTES, 1, 0},
    {"size", S_BYTES, 1, 0},
    {"bytes", S_BYTES, 2, 0},
    {"http_referer", S_REFERER, 0, 0},
    {"request.headers.referer", S_REFERER, 0, 0},
    {"request_referer", S_REFERER, 0, 0},
    {"http.request.referrer", S_REFERER, 0, 0},
    {"referer", S_REFERER, 1, 0},
    {"referrer", S_REFERER, 1, 0},
    {"http_user_agent", S_AGENT, 0, 0},
    {"request.headers.user-agent", S_AGENT, 0, 0},
    {"request_user-agent", S_AGENT, 0, 0},
    {"user_agent.original", S_AGENT, 0, 0},
    {"user_agent", S_AGENT, 1, 0},
    {"useragent", S_AGENT, 1, 0},
    {"http_host", S_VHOST, 0, 0},
    {"request.host", S_VHOST, 0, 0},
    {"requesthost", S_VHOST, 0, 0},
    {"host", S_VHOST, 1, 0},
    {"server_name", S_VHOST, 1, 0},
    {"url.domain", S_VHOST, 1, 0},
};

typedef struct json_value {
    mr_span raw;               /* between the quotes, or the bare token */
    bool escaped;              /* holds a backslash: decode before use */
    bool set;
    unsigned char rank;
    unsigned char time;
} json_value;

typedef struct json_walk {
    const char *p, *end;
    bool report;               /* a line of mamori's own JSON report */
    char name[MR_JSONLOG_NAME_MAX + 1];   /* NUL-terminated when it fits */
    size_t name_len;           /* > MR_JSONLOG_NAME_MAX: too long, matches nothing */
    json_value v[S_COUNT];
} json_walk;

static void skip_ws(json_walk *w)
{
    while (w->p < w->end && (*w->p == ' ' || *w->p == '\t' || *w->p == '\r' ||
                             *w->p == '\n'))
        w->p++;
}

/* p just past an opening '"': the span up to the closing one. The quote
 * found is kept until the walk passes it, so a string of backslashes is
 * crossed once. */
static int scan_string(json_walk *w, mr_span *out, bool *escaped)
{
    const char *s = w->p, *q = NULL;
    *escaped = false;
    for (;;) {
        if (!q || q < w->p) {
            q = mr_find_byte(w->p, w->end, '"');
            if (!q)
                return -1;
        }
        const char *bs = mr_find_byte(w->p, q, '\\');
        if (!bs) {
            *out = mr_span_make(s, (size_t)(q - s));
            w->p = q + 1;
            return 0;
        }
        *escaped = true;
        w->p = bs + 2;   /* bs < q: the escaped byte is inside the line */
    }
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes s (the inside of a JSON string) into out, which has room for
 * s.n bytes: no escape decodes to more bytes than it is written with.
 * \uXXXX gives UTF-8 (a lone surrogate U+FFFD), nginx's \xHH its byte,
 * an unknown escape the byte after the backslash. */
static size_t unescape(mr_span s, char *out)
{
    const char *p = s.p, *end = s.p + s.n;
    size_t n = 0;
    while (p < end) {
        if (*p != '\\' || p + 1 >= end) {
            out[n++] = *p++;
            continue;
        }
        char e = p[1];
        p += 2;
        switch (e) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'x': {
            int hi = p < end ? hex(p[0]) : -1, lo = p + 1 < end ? hex(p[1]) : -1;
            if (hi < 0 || lo < 0) {
                out[n++] = 'x';
                break;
            }
            out[n++] = (char)(hi * 16 + lo);
            p += 2;
            break;
        }
        case 'u': {
            int cp = hex4(p, end);
            if (cp < 0) {
                out[n++] = 'u';
                break;
            }
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' &&
                p[1] == 'u') {
                int lo = hex4(p + 2, end);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    p += 6;   /* 12 bytes written as 4 */
                    n += put_utf8(out + n,
                                  0x10000u + (((unsigned)cp - 0xD800u) << 10) +
                                      ((unsigned)lo - 0xDC00u));
                    break;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;   /* 3 bytes for 6 */
            n += put_utf8(out + n, (unsigned)cp);
            break;
        }
        default: out[n++] = e; break;   /* \" \\ \/ and anything else */
        }
    }
    return n;
}

static void name_push(json_walk *w, mr_span key, bool escaped, size_t *saved)
{
    *saved = w->name_len;
    if (w->name_len > MR_JSONLOG_NAME_MAX)
        return;
    char buf[MR_JSONLOG_NAME_MAX + 1];
    size_t n;
    if (escaped && key.n <= MR_JSONLOG_NAME_MAX) {
        n = unescape(key, buf);
    } else {
        n = key.n;
        if (n > MR_JSONLOG_NAME_MAX) {
            w->name_len = MR_JSONLOG_NAME_MAX + 1;
            return;
        }
        memcpy(buf, key.p, n);
    }
    size_t at = w->name_len + (w->name_len ? 1 : 0);
    if (at + n > MR_JSONLOG_NAME_MAX) {
        w->name_len = MR_JSONLOG_NAME_MAX + 1;
        return;
    }
    if (w->name_len)
        w->name[w->name_len] = '.';
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        w->name[at + i] = c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
    }
    w->name_len = at + n;
    w->name[w->name_len] = '\0';
}

static void name_pop(json_walk *w, size_t saved)
{
    w->name_len = saved;
    if (saved <= MR_JSONLOG_NAME_MAX)
        w->name[saved] = '\0';
}

/* The current name's table row, or NULL. */
static const json_name *lookup(const json_walk *w)
{
    if (w->name_len > MR_JSONLOG_NAME_MAX)
        return NULL;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].name[0] == w->name[0] && strcmp(names[i].name, w->name) == 0)
            return &names[i];
    return NULL;
}

static void offer(json_walk *w, const json_name *row, mr_span raw, bool escaped)
{
    json_value *v = &w->v[row->slot];
    if (v->set && v->rank <= row->rank)
        return;
    v->raw = raw;
    v->escaped = escaped;
    v->set = true;
    v->rank = row->rank;
    v->time = row->time;
}

static int value(json_walk *w, unsigned depth, const json_name *row);

static int object(json_walk *w, unsigned depth)
{
    if (depth >= MR_JSONLOG_DEPTH_MAX)
        return -1;
    w->p++;   /* '{' */
    skip_ws(w);
    if (w->p < w->end && *w->p == '}') {
        w->p++;
        return 0;
    }
    for (;;) {
        mr_span key;
        bool escaped;
        size_t saved;
        skip_ws(w);
        if (w->p >= w->end || *w->p != '"')
            return -1;
        w->p++;
        if (scan_string(w, &key, &escaped))
            return -1;
        skip_ws(w);
        if (w->p >= w->end || *w->p != ':')
            return -1;
        w->p++;
        name_push(w, key, escaped, &saved);
        if (depth == 0 && strcmp(w->name, "countermeasures") == 0)
            w->report = true;   /* every finding of mamori's report has them */
        int r = value(w, depth + 1, lookup(w));
        name_pop(w, saved);
        if (r)
            return -1;
        skip_ws(w);
        if (w->p >= w->end)
            return -1;
        if (*w->p == '}') {
            w->p++;
            return 0;
        }
        if (*w->p != ',')
            return -1;
        w->p++;
    }
}

/* An array: its first string is the value of its name (a header list). */
static int array(json_walk *w, unsigned depth, const json_name *row)
{
    if (depth >= MR_JSONLOG_DEPTH_MAX)
        return -1;
    w->p++;   /* '[' */
    skip_ws(w);
    if (w->p < w->end && *w->p == ']') {
        w->p++;
        return 0;
    }
    for (;;) {
        skip_ws(w);
        if (value(w, depth + 1, row))
            return -1;
        row = NULL;
        skip_ws(w);
        if (w->p >= w->end)
            return -1;
        if (*w->p == ']') {
            w->p++;
            return 0;
        }
        if (*w->p != ',')
            return -1;
        w->p++;
    }
}

static bool token_byte(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '+' || c == '.' || c == 'E';
}

static int value(json_walk *w, unsigned depth, const json_name *row)
{
    skip_ws(w);
    if (w->p >= w->end)
        return -1;
    char c = *w->p;
    if (c == '{')
        return object(w, depth);
    if (c == '[')
        return array(w, depth, row);
    if (c == '"') {
        mr_span s;
        bool escaped;
        w->p++;
        if (scan_string(w, &s, &escaped))
            return -1;
        if (row)
            offer(w, row, s, escaped);
        return 0;
    }
    /* a number, true, false or null */
    const char *s = w->p;
    while (w->p < w->end && token_byte(*w->p))
        w->p++;
    if (w->p == s)
        return -1;
    mr_span tok = mr_span_make(s, (size_t)(w->p - s));
    bool literal = (tok.n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0)) ||
                   (tok.n == 5 && memcmp(s, "false", 5) == 0);
    if (!literal && !(c == '-' || (c >= '0' && c <= '9')))
        return -1;
    if (row && !literal)
        offer(w, row, tok, false);
    return 0;
}

/* Walks the object on the line; 0 when it is one. */
static int walk(json_walk *w, const char *line, size_t len)
{
    memset(w->v, 0, sizeof(w->v));
    w->report = false;
    w->p = line;
    w->end = line + len;
    w->name_len = 0;
    w->name[0] = '\0';
    skip_ws(w);
    if (w->p >= w->end || *w->p != '{')
        return -1;
    if (object(w, 0))
        return -1;
    skip_ws(w);
    return w->p == w->end ? 0 : -1;
}

static bool names_request(const json_walk *w)
{
    return !w->report &&
           (w->v[S_TARGET].set || w->v[S_PATH].set || w->v[S_REQUEST].set);
}

int mr_json_line_kind(const char *line, size_t len)
{
    json_walk w;
    if (walk(&w, line, len))
        return -1;
    return names_request(&w) ? 1 : 0;
}

/* A kept value as the event wants it: decoded in the scratch when it
 * holds escapes (the raw bytes when the scratch is full, which only a
 * line past MAMORI_LOGSCAN_LINE_MAX can do). */
static mr_span decoded(mr_logformat *f, const json_value *v)
{
    if (!v->escaped)
        return v->raw;
    char *buf = mr_logformat_scratch_take(f, v->raw.n);
    if (!buf)
        return v->raw;
    size_t n = unescape(v->raw, buf);
    f->scratch_used -= v->raw.n - n;   /* give back what decoding saved */
    return mr_span_make(buf, n);
}

/* Path and query given apart: "path?query" decoded into one piece of the
 * scratch, the target. 0 when it did not fit (the caller then joins the
 * raw pieces). */
static int joined_target(mr_logformat *f, const json_value *path,
                         const json_value *query, mr_span *target)
{
    mr_span q = query->raw;
    if (q.n && q.p[0] == '?') {
        q.p++;
        q.n--;
    }
    char *buf = mr_logformat_scratch_take(f, path->raw.n + 1 + q.n);
    if (!buf)
        return 0;
    size_t n = path->escaped ? unescape(path->raw, buf) : path->raw.n;
    if (!path->escaped)
        memcpy(buf, path->raw.p, n);
    buf[n++] = '?';
    if (query->escaped) {
        n += unescape(q, buf + n);
    } else {
        memcpy(buf + n, q.p, q.n);
        n += q.n;
    }
    f->scratch_used -= path->raw.n + 1 + q.n - n;
    *target = mr_span_make(buf, n);
    return 1;
}

static bool all_digits(mr_span s, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
    return true;
}

/* Caddy's "ts" (seconds with a fraction), Traefik's and ECS's RFC 3339,
 * nginx's $msec, $time_local and $time_iso8601, and epoch integers in
 * seconds, milliseconds, microseconds or nanoseconds (by their digits). */
static void set_time(mr_http_event *ev, const json_value *v, mr_span s,
                     mr_clf_time_cache *cache)
{
    unsigned kind = v->time;
    if (kind == T_GUESS) {
        if (s.n >= 10 && s.p[4] == '-' && all_digits(s, 0, 4))
            kind = T_ISO;
        else if (s.n >= 20 && s.p[2] == '/')
            kind = T_CLF;
        else
            kind = T_EPOCH;
    }
    ev->time_raw = s;
    if (kind == T_ISO) {
        ev->time = mr_parse_iso_time(s);
    } else if (kind == T_CLF) {
        ev->time = mr_parse_clf_time_cached(s, cache);
    } else {
        size_t digits = 0;
        while (digits < s.n && s.p[digits] >= '0' && s.p[digits] <= '9')
            digits++;
        uint64_t unit = digits >= 18 ? 1000000000u : digits >= 15 ? 1000000u
                      : digits >= 12 ? 1000u : 1u;
        ev->time = mr_parse_epoch(s, unit);
    }
}

int mr_parse_json_line(mr_logformat *f, const char *line, size_t len,
                       mr_http_event *ev)
{
    json_walk w;
    if (walk(&w, line, len))
        return MR_PARSE_MALFORMED;
    if (!names_request(&w))
        return MR_PARSE_SKIP;
    static const mr_field_id field_of[S_COUNT] = {
        [S_CLIENT] = MR_F_CLIENT, [S_USER] = MR_F_USER, [S_TIME] = MR_F_IGNORE,
        [S_METHOD] = MR_F_METHOD, [S_TARGET] = MR_F_TARGET, [S_PATH] = MR_F_PATH,
        [S_QUERY] = MR_F_QUERY, [S_REQUEST] = MR_F_REQUEST,
        [S_PROTOCOL] = MR_F_PROTOCOL, [S_STATUS] = MR_F_STATUS,
        [S_BYTES] = MR_F_BYTES, [S_REFERER] = MR_F_REFERER,
        [S_AGENT] = MR_F_USER_AGENT, [S_VHOST] = MR_F_VHOST,
    };
    mr_field_acc acc;
    memset(&acc, 0, sizeof(acc));
    acc.time_cache = &f->time_cache;
    /* a path and a query that need decoding become one target */
    mr_span target;
    if (!w.v[S_TARGET].set && w.v[S_PATH].set && w.v[S_QUERY].set &&
        w.v[S_QUERY].raw.n && !(w.v[S_QUERY].raw.n == 1 && w.v[S_QUERY].raw.p[0] == '-') &&
        (w.v[S_PATH].escaped || w.v[S_QUERY].escaped) &&
        joined_target(f, &w.v[S_PATH], &w.v[S_QUERY], &target)) {
        mr_field_assign(MR_F_TARGET, target, ev, &acc);
        w.v[S_PATH].set = w.v[S_QUERY].set = false;
    }
    for (int s = 0; s < S_COUNT; s++) {
        if (!w.v[s].set)
            continue;
        mr_span v = decoded(f, &w.v[s]);
        if (s == S_TIME)
            set_time(ev, &w.v[s], v, &f->time_cache);
        else
            mr_field_assign(field_of[s], v, ev, &acc);
    }
    mr_field_finish(f, &acc, ev);
    return MR_PARSE_OK;
}
