/*
 * parse_clf.c — the built-in NCSA common / combined line parser (Apache
 * and nginx defaults, vhost_combined, combined with extra trailing
 * fields) and the small pieces every format shares: the quoted-field
 * scanner, the request-line splitter, status and byte counts.
 *
 * This is the hot path of a log scan (hundreds of MB/s), so it walks the
 * line with memchr and fixed offsets, never copies, never allocates and
 * calls no function per byte. Attackers write these lines: a quoted field
 * ends only at a '"' that no backslash escapes (Apache writes \" and \\,
 * nginx \x22 and \x5C, so counting backslashes is right for both) and
 * that is followed by the separator, so "\"" inside a user agent does not
 * shift the fields after it.
 */
#include "common.h"

#include "weblog/parse_internal.h"

#define MR_CLF_TIME_LEN 28   /* "[10/Oct/2000:13:55:36 -0700]" */

const char *mr_scan_quoted(const char *p, const char *end, char follow)
{
    const char *start = p;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (q == NULL)
            return NULL;
        size_t bs = 0;
        while (q - bs > start && q[-1 - (ptrdiff_t)bs] == '\\')
            bs++;
        if ((bs & 1) == 0 && (follow == 0 || q + 1 == end || q[1] == follow))
            return q;
        p = q + 1;
    }
    return NULL;
}

void mr_split_request(mr_span req, mr_http_event *ev)
{
    ev->request = req;
    ev->method = MR_SPAN_EMPTY;
    ev->target = MR_SPAN_EMPTY;
    ev->protocol = MR_SPAN_EMPTY;
    if (req.n == 0 || (req.n == 1 && req.p[0] == '-'))
        return;
    const char *end = req.p + req.n;
    const char *sp = req.p;
    while (sp < end && *sp != ' ')   /* methods are short: no memchr call */
        sp++;
    if (sp == end) {
        /* no method: TLS bytes, a bare path, garbage — keep it as the
         * target so the detectors still see every byte */
        ev->target = req;
        return;
    }
    ev->method = mr_span_make(req.p, (size_t)(sp - req.p));
    const char *t = sp + 1;
    /* almost always " HTTP/1.1": check the tail before searching for it */
    const char *last = end - t >= 9 && end[-9] == ' ' ? end - 9
                       : memrchr(t, ' ', (size_t)(end - t));
    if (last != NULL && end - last > 5 && memcmp(last + 1, "HTTP/", 5) == 0) {
        ev->target = mr_span_make(t, (size_t)(last - t));
        ev->protocol = mr_span_make(last + 1, (size_t)(end - last - 1));
    } else {
        ev->target = mr_span_make(t, (size_t)(end - t));   /* HTTP/0.9 */
    }
}

int mr_parse_status(mr_span s)
{
    if (s.n == 3) {
        unsigned a = (unsigned char)s.p[0] - '0';
        unsigned b = (unsigned char)s.p[1] - '0';
        unsigned c = (unsigned char)s.p[2] - '0';
        if (a >= 1 && a <= 9 && b <= 9 && c <= 9)
            return (int)(a * 100 + b * 10 + c);
        return -2;
    }
    if (s.n == 1 && s.p[0] == '-')
        return -1;
    return -2;
}

int mr_parse_bytes(mr_span s, int64_t *out)
{
    uint64_t v;
    if (s.n == 1 && s.p[0] == '-') {
        *out = -1;
        return 0;
    }
    if (s.n > 0 && s.n <= 15) {   /* 10^15 < MR_LOG_BYTES_MAX: no overflow */
        v = 0;
        for (size_t i = 0; i < s.n; i++) {
            unsigned d = (unsigned char)s.p[i] - '0';
            if (d > 9) {
                *out = -1;
                return -1;
            }
            v = v * 10 + d;
        }
        *out = (int64_t)v;
        return 0;
    }
    if (mr_span_u64(s, MR_LOG_BYTES_MAX, &v) != 0) {
        *out = -1;
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

/* "-" means absent in these formats. */
static mr_span dash_empty(mr_span s)
{
    return s.n == 1 && s.p[0] == '-' ? MR_SPAN_EMPTY : s;
}

/* True when s is "name:digits" — the %v:%p of vhost_combined. */
static bool is_vhost_port(const char *p, size_t n, size_t *host_len)
{
    const char *colon = memrchr(p, ':', n);
    if (colon == NULL || colon == p || colon + 1 == p + n)
        return false;
    for (const char *d = colon + 1; d < p + n; d++)
        if (*d < '0' || *d > '9')
            return false;
    *host_len = (size_t)(colon - p);
    return true;
}

/* Finds the '[' of the time: the first " [" whose ']' sits where a CLF
 * time ends, so a '[' in a user name cannot move it. */
static const char *find_time(const char *line, const char *end)
{
    const char *p = line;
    while (p < end) {
        const char *lb = memchr(p, '[', (size_t)(end - p));
        if (lb == NULL)
            return NULL;
        if (lb > line && lb[-1] == ' ' && end - lb >= MR_CLF_TIME_LEN &&
            lb[MR_CLF_TIME_LEN - 1] == ']')
            return lb;
        p = lb + 1;
    }
    return NULL;
}

/* host ident user, or vhost:port host ident user, before the time. */
static int parse_prefix(const char *line, const char *sp_end,
                        mr_http_event *ev)
{
    const char *sp1 = mr_find_byte(line, sp_end, ' ');
    if (sp1 == NULL || sp1 == line)
        return -1;
    const char *t2 = sp1 + 1;
    const char *sp2 = mr_find_byte(t2, sp_end, ' ');
    if (sp2 == NULL)
        return -1;
    const char *rest = sp2 + 1;
    size_t host_len;
    const char *sp3 = mr_find_byte(rest, sp_end, ' ');
    if (sp3 != NULL && is_vhost_port(line, (size_t)(sp1 - line), &host_len)) {
        ev->vhost = mr_span_make(line, host_len);
        ev->client = mr_span_make(t2, (size_t)(sp2 - t2));
        rest = sp3 + 1;
    } else {
        ev->client = mr_span_make(line, (size_t)(sp1 - line));
    }
    ev->user = dash_empty(mr_span_make(rest, (size_t)(sp_end - rest)));
    return 0;
}

/* The token at *pp up to the next ' ' or end; moves *pp past the space. */
static mr_span next_token(const char **pp, const char *end)
{
    const char *p = *pp;
    const char *sp = mr_find_byte(p, end, ' ');
    const char *stop = sp ? sp : end;
    *pp = sp ? sp + 1 : end;
    return mr_span_make(p, (size_t)(stop - p));
}

int mr_parse_clf_line(const char *line, size_t len, mr_http_event *ev,
                      bool *combined, mr_clf_time_cache *tc)
{
    const char *end = line + len;
    *combined = false;
    const char *lb = find_time(line, end);
    if (lb == NULL || parse_prefix(line, lb - 1, ev) != 0)
        return MR_PARSE_MALFORMED;
    ev->time_raw = mr_span_make(lb + 1, MR_CLF_TIME_LEN - 2);
    ev->time = mr_parse_clf_time_cached(ev->time_raw, tc);

    const char *p = lb + MR_CLF_TIME_LEN;
    if (end - p < 3 || p[0] != ' ' || p[1] != '"')
        return MR_PARSE_MALFORMED;
    p += 2;
    const char *q = mr_scan_quoted(p, end, ' ');
    if (q == NULL)
        return MR_PARSE_MALFORMED;
    mr_split_request(mr_span_make(p, (size_t)(q - p)), ev);
    p = q + 1;
    if (p >= end || *p != ' ')
        return MR_PARSE_MALFORMED;
    p++;
    ev->status = mr_parse_status(next_token(&p, end));
    if (ev->status == -2 || p == end)
        return MR_PARSE_MALFORMED;   /* bad status or no byte count */
    if (mr_parse_bytes(next_token(&p, end), &ev->bytes) != 0)
        return MR_PARSE_MALFORMED;
    if (p >= end || p[0] != '"')
        return MR_PARSE_OK;   /* common, or common + fields we don't know */

    /* "referer" "user-agent", then anything (X-Forwarded-For, %D...) */
    const char *r = p + 1;
    const char *rq = mr_scan_quoted(r, end, ' ');
    if (rq == NULL || end - rq < 3 || rq[1] != ' ' || rq[2] != '"')
        return MR_PARSE_OK;
    const char *u = rq + 3;
    const char *uq = mr_scan_quoted(u, end, ' ');
    if (uq == NULL)
        return MR_PARSE_OK;
    ev->referer = dash_empty(mr_span_make(r, (size_t)(rq - r)));
    ev->user_agent = dash_empty(mr_span_make(u, (size_t)(uq - u)));
    *combined = true;
    return MR_PARSE_OK;
}
