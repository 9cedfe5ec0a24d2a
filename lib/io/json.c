/*
 * json.c — see json.h. A recursive-descent reader over a refilled
 * buffer; the recursion is bounded by MR_JSON_DEPTH_MAX, every string by
 * MR_JSON_STR_MAX (the rest is read and dropped), so neither deep
 * nesting nor a huge string costs more than the fixed state.
 */
#include "common.h"

#include "io/json.h"

typedef struct jr {
    mr_source *src;
    unsigned char *buf;
    size_t pos, len;
    uint64_t base;           /* bytes before buf[0] */
    mamori_err err;
    int eof;
    const mr_json_cb *cb;
    mr_json_path *path;
    char *str;               /* MR_JSON_STR_MAX + 1 */
} jr;

/* The next byte without taking it; -1 at the end or after an error. */
static int peek(jr *r)
{
    if (r->pos < r->len)
        return r->buf[r->pos];
    if (r->eof || r->err)
        return -1;
    size_t got = 0;
    r->base += r->len;
    r->pos = r->len = 0;
    mamori_err e = mr_source_read(r->src, r->buf, MR_JSON_BUF, &got);
    if (e) {
        r->err = e;
        return -1;
    }
    if (got == 0) {
        r->eof = 1;
        return -1;
    }
    r->len = got;
    return r->buf[0];
}

static int next(jr *r)
{
    int c = peek(r);
    if (c >= 0)
        r->pos++;
    return c;
}

static void ws(jr *r)
{
    int c;
    while ((c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        r->pos++;
}

static mamori_err bad(jr *r)
{
    if (r->err)
        return r->err;
    return r->eof ? MAMORI_E_TRUNCATED : MAMORI_E_CORRUPT;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put(char *out, size_t cap, size_t *n, int *cut, unsigned c)
{
    if (*n < cap)
        out[(*n)++] = (char)c;
    else
        *cut = 1;
}

static void put_utf8(char *out, size_t cap, size_t *n, int *cut, unsigned cp)
{
    if (cp < 0x80) {
        put(out, cap, n, cut, cp);
    } else if (cp < 0x800) {
        put(out, cap, n, cut, 0xc0 | (cp >> 6));
        put(out, cap, n, cut, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        put(out, cap, n, cut, 0xe0 | (cp >> 12));
        put(out, cap, n, cut, 0x80 | ((cp >> 6) & 0x3f));
        put(out, cap, n, cut, 0x80 | (cp & 0x3f));
    } else {
        put(out, cap, n, cut, 0xf0 | (cp >> 18));
        put(out, cap, n, cut, 0x80 | ((cp >> 12) & 0x3f));
        put(out, cap, n, cut, 0x80 | ((cp >> 6) & 0x3f));
        put(out, cap, n, cut, 0x80 | (cp & 0x3f));
    }
}

static int hex4(jr *r, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(next(r));
        if (h < 0)
            return -1;
        *v = *v << 4 | (unsigned)h;
    }
    return 0;
}

/* A string after its opening quote, into out[cap] (NUL-terminated). */
static mamori_err string(jr *r, char *out, size_t cap, size_t *n, int *cut)
{
    *n = 0;
    *cut = 0;
    for (;;) {
        int c = next(r);
        if (c < 0)
            return bad(r);
        if (c == '"')
            break;
        if (c < 0x20)
            return MAMORI_E_CORRUPT;
        if (c != '\\') {
            put(out, cap, n, cut, (unsigned)c);
            continue;
        }
        c = next(r);
        unsigned cp;
        switch (c) {
        case '"': case '\\': case '/':
            put(out, cap, n, cut, (unsigned)c);
            break;
        case 'b': put(out, cap, n, cut, '\b'); break;
        case 'f': put(out, cap, n, cut, '\f'); break;
        case 'n': put(out, cap, n, cut, '\n'); break;
        case 'r': put(out, cap, n, cut, '\r'); break;
        case 't': put(out, cap, n, cut, '\t'); break;
        case 'u':
            if (hex4(r, &cp))
                return bad(r);
            if (cp >= 0xd800 && cp < 0xdc00 && peek(r) == '\\') {
                unsigned lo;
                r->pos++;
                if (next(r) != 'u' || hex4(r, &lo))
                    return bad(r);
                cp = lo >= 0xdc00 && lo < 0xe000
                         ? 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
                         : 0xfffd;
            } else if (cp >= 0xd800 && cp < 0xe000) {
                cp = 0xfffd;
            }
            put_utf8(out, cap, n, cut, cp);
            break;
        default:
            return bad(r);
        }
    }
    out[*n] = '\0';
    return MAMORI_OK;
}

static mamori_err value(jr *r, unsigned depth);

static mamori_err scalar_cb(jr *r, mr_json_kind k, const char *s, size_t n,
                            int cut)
{
    if (r->cb->scalar && r->cb->scalar(r->cb->user, r->path, k, s, n, cut))
        return MAMORI_E_ABORTED;
    return MAMORI_OK;
}

static mamori_err container(jr *r, unsigned depth, int is_array)
{
    mamori_err e;
    r->path->depth = depth;
    if (r->cb->open && r->cb->open(r->cb->user, r->path, is_array))
        return MAMORI_E_ABORTED;
    if (depth == MR_JSON_DEPTH_MAX)
        return MAMORI_E_TOO_LARGE; /* nesting deeper than we follow */
    ws(r);
    if (peek(r) == (is_array ? ']' : '}')) {
        r->pos++;
    } else {
        for (;;) {
            ws(r);
            char *key = r->path->keys[depth + 1];
            if (is_array) {
                key[0] = '\0';
            } else {
                size_t n;
                int cut;
                if (next(r) != '"')
                    return bad(r);
                if ((e = string(r, key, MR_JSON_KEY_MAX - 1, &n, &cut)))
                    return e;
                ws(r);
                if (next(r) != ':')
                    return bad(r);
            }
            if ((e = value(r, depth + 1)))
                return e;
            ws(r);
            int c = next(r);
            if (c == ',')
                continue;
            if (c == (is_array ? ']' : '}'))
                break;
            return bad(r);
        }
    }
    r->path->depth = depth;
    if (r->cb->close && r->cb->close(r->cb->user, r->path, is_array))
        return MAMORI_E_ABORTED;
    return MAMORI_OK;
}

static mamori_err literal(jr *r, const char *word, mr_json_kind k)
{
    for (const char *p = word; *p; p++)
        if (next(r) != *p)
            return bad(r);
    return scalar_cb(r, k, word, strlen(word), 0);
}

static mamori_err value(jr *r, unsigned depth)
{
    ws(r);
    r->path->depth = depth;
    int c = peek(r);
    size_t n = 0;
    int cut = 0;
    mamori_err e;
    switch (c) {
    case '{':
    case '[':
        r->pos++;
        return container(r, depth, c == '[');
    case '"':
        r->pos++;
        if ((e = string(r, r->str, MR_JSON_STR_MAX, &n, &cut)))
            return e;
        return scalar_cb(r, MR_JSON_STRING, r->str, n, cut);
    case 't': return literal(r, "true", MR_JSON_TRUE);
    case 'f': return literal(r, "false", MR_JSON_FALSE);
    case 'n': return literal(r, "null", MR_JSON_NULL);
    default:
        while ((c = peek(r)) >= 0 &&
               ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
                c == 'e' || c == 'E')) {
            put(r->str, MR_JSON_STR_MAX, &n, &cut, (unsigned)c);
            r->pos++;
        }
        if (n == 0)
            return bad(r);
        r->str[n] = '\0';
        return scalar_cb(r, MR_JSON_NUMBER, r->str, n, cut);
    }
}

mamori_err mr_json_read(mr_source *src, const mr_json_cb *cb,
                        uint64_t *offset)
{
    jr r;
    memset(&r, 0, sizeof(r));
    r.src = src;
    r.cb = cb;
    r.buf = malloc(MR_JSON_BUF);
    r.path = calloc(1, sizeof(*r.path));
    r.str = malloc(MR_JSON_STR_MAX + 1);
    mamori_err e = MAMORI_E_NOMEM;
    if (r.buf && r.path && r.str) {
        e = value(&r, 0);
        if (!e) {
            ws(&r);
            if (peek(&r) >= 0)
                e = MAMORI_E_CORRUPT; /* something after the document */
            else if (r.err)
                e = r.err;
        }
    }
    if (offset)
        *offset = r.base + r.pos;
    free(r.buf);
    free(r.path);
    free(r.str);
    return e;
}
