/*
 * obs_html.c — what the Observatory reads in a page's HTML: <meta
 * http-equiv="Content-Security-Policy"> and <meta name="referrer">, and
 * the <script> elements its Subresource Integrity test judges
 * (tests/subresource-integrity.js of @mdn/mdn-http-observatory 1.4.8,
 * written anew in C).
 *
 * The Observatory parses with jsdom, a full HTML5 parser. Here a small
 * tokenizer finds start tags the way HTML5 tokenizes them: comments,
 * doctypes and end tags skipped, the contents of raw-text elements
 * (script, style, textarea, title, xmp, iframe, noembed, noframes,
 * plaintext) not searched for tags, attributes quoted or not, the first
 * of a repeated attribute kept, character references decoded in values
 * (the numeric ones and the five XML names, and &nbsp;); the contents
 * of <template> are not searched, as jsdom keeps them apart.
 * It reads only the bytes given and never writes past its buffers.
 */
#include "common.h"

#include <ctype.h>

#include "web/obs_int.h"

#define TAG_ATTRS_MAX 32             /* attributes of one tag kept */
#define TAG_NAME_MAX 16              /* longer tag names are of no use here */
#define SRC_DECODED_MAX 4096         /* bytes of a decoded src and integrity */

typedef struct attr {
    mr_obs_str name;                 /* as written */
    mr_obs_str value;                /* raw, undecoded */
} attr;

typedef struct tag {
    char name[TAG_NAME_MAX];
    attr attrs[TAG_ATTRS_MAX];
    size_t n;
} tag;

static bool ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *find_ci(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    for (; p + n <= end; p++) {
        size_t i = 0;
        while (i < n && mr_obs_lower((unsigned char)p[i]) == (unsigned char)lit[i])
            i++;
        if (i == n)
            return p;
    }
    return NULL;
}

static const char *find(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    for (; p + n <= end; p++)
        if (memcmp(p, lit, n) == 0)
            return p;
    return NULL;
}

/* Past the end tag </name (then whitespace, '/' or '>'), or end. */
static const char *skip_raw(const char *p, const char *end, const char *name)
{
    char close[TAG_NAME_MAX + 3];
    snprintf(close, sizeof close, "</%s", name);
    size_t n = strlen(close);
    while ((p = find_ci(p, end, close)) != NULL) {
        if (p + n == end || ws(p[n]) || p[n] == '/' || p[n] == '>')
            return p + n;
        p += n;
    }
    return end;
}

/* Past the </template> closing the one just opened: its contents are a
 * separate fragment, which querySelectorAll does not search. */
static const char *skip_template(const char *p, const char *end)
{
    int depth = 1;
    while (p < end) {
        const char *open = find_ci(p, end, "<template");
        const char *close = find_ci(p, end, "</template");
        if (close == NULL)
            return end;
        if (open && open < close) {
            depth++;
            p = open + 9;
            continue;
        }
        if (--depth == 0)
            return close + 10;
        p = close + 10;
    }
    return end;
}

/* The next start tag at or after *pos; false at the end. */
static bool next_tag(const char *b, size_t len, size_t *pos, tag *t)
{
    const char *p = b + *pos, *end = b + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        const char *q = p + 1;
        if (q < end && *q == '!') {
            const char *c;
            if (end - q >= 3 && q[1] == '-' && q[2] == '-') {
                c = q + 3;
                if (c < end && *c == '>')
                    c++;
                else if (end - c >= 2 && c[0] == '-' && c[1] == '>')
                    c += 2;
                else
                    c = (c = find(c, end, "-->")) ? c + 3 : end;
            } else {
                c = memchr(q, '>', (size_t)(end - q));
                c = c ? c + 1 : end;
            }
            p = c;
            continue;
        }
        if (q < end && (*q == '?' || *q == '/')) {
            const char *c = memchr(q, '>', (size_t)(end - q));
            p = c ? c + 1 : end;
            continue;
        }
        if (q >= end || !alpha(*q)) {
            p = q;
            continue;
        }
        size_t nl = 0;
        while (q < end && !ws(*q) && *q != '/' && *q != '>') {
            if (nl + 1 < sizeof t->name)
                t->name[nl++] = (char)mr_obs_lower((unsigned char)*q);
            else
                nl = sizeof t->name;  /* too long: matches nothing below */
            q++;
        }
        t->name[MR_MIN(nl, sizeof t->name - 1)] = '\0';
        if (nl == sizeof t->name)
            t->name[0] = '\0';
        t->n = 0;
        bool closed = false;
        while (q < end) {
            while (q < end && (ws(*q) || *q == '/'))
                q++;
            if (q >= end)
                break;
            if (*q == '>') {
                closed = true;
                q++;
                break;
            }
            const char *an = q++;
            while (q < end && !ws(*q) && *q != '/' && *q != '>' && *q != '=')
                q++;
            attr a = { { an, (size_t)(q - an) }, { "", 0 } };
            while (q < end && ws(*q))
                q++;
            if (q < end && *q == '=') {
                q++;
                while (q < end && ws(*q))
                    q++;
                if (q < end && (*q == '"' || *q == '\'')) {
                    char quote = *q++;
                    const char *v = q;
                    while (q < end && *q != quote)
                        q++;
                    a.value = (mr_obs_str){ v, (size_t)(q - v) };
                    if (q < end)
                        q++;
                } else {
                    const char *v = q;
                    while (q < end && !ws(*q) && *q != '>')
                        q++;
                    a.value = (mr_obs_str){ v, (size_t)(q - v) };
                }
            }
            bool dup = false;
            for (size_t i = 0; i < t->n && !dup; i++) {
                dup = t->attrs[i].name.n == a.name.n;
                for (size_t k = 0; dup && k < a.name.n; k++)
                    dup = mr_obs_lower((unsigned char)t->attrs[i].name.p[k]) ==
                          mr_obs_lower((unsigned char)a.name.p[k]);
            }
            if (!dup && t->n < TAG_ATTRS_MAX)
                t->attrs[t->n++] = a;
        }
        if (!closed)
            return false;            /* EOF in a tag: no tag */
        static const char *const raw[] = { "script", "style", "textarea",
            "title", "xmp", "iframe", "noembed", "noframes" };
        const char *after = q;
        for (size_t i = 0; i < MR_ARRAY_LEN(raw); i++)
            if (strcmp(t->name, raw[i]) == 0)
                after = skip_raw(q, end, raw[i]);
        if (strcmp(t->name, "plaintext") == 0)
            after = end;
        if (strcmp(t->name, "template") == 0)
            after = skip_template(q, end);
        *pos = (size_t)(after - b);
        return true;
    }
    *pos = len;
    return false;
}

static const attr *get_attr(const tag *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (mr_obs_eq_lower(t->attrs[i].name, name))
            return &t->attrs[i];
    return NULL;
}

static size_t put_utf8(char *d, size_t room, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (n > room)
        return 0;
    memcpy(d, u, n);
    return n;
}

/* An attribute value with character references decoded, into buf. */
static bool decode(mr_obs_str v, char *buf, size_t cap, size_t *used,
                   mr_obs_str *out)
{
    static const struct { const char *name; unsigned long cp; } named[] = {
        { "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' },
        { "apos;", '\'' }, { "nbsp;", 0xA0 } };
    char *d = buf + *used;
    size_t room = cap - *used, n = 0;
    for (size_t i = 0; i < v.n; i++) {
        size_t w = 0;
        if (v.p[i] == '&' && i + 2 < v.n && v.p[i + 1] == '#') {
            size_t k = i + 2;
            bool hex = k < v.n && (v.p[k] == 'x' || v.p[k] == 'X');
            k += hex;
            unsigned long cp = 0;
            size_t digits = 0;
            while (k < v.n && (hex ? isxdigit((unsigned char)v.p[k])
                                   : isdigit((unsigned char)v.p[k]))) {
                char c = v.p[k++];
                unsigned dv = isdigit((unsigned char)c) ? (unsigned)(c - '0')
                                                        : (unsigned)((c | 0x20) - 'a' + 10);
                if (cp < 0x110000)
                    cp = cp * (hex ? 16 : 10) + dv;
                digits++;
            }
            if (digits) {
                if (k < v.n && v.p[k] == ';')
                    k++;
                w = put_utf8(d + n, room - n, cp);
                if (w == 0)
                    return false;
                n += w;
                i = k - 1;
                continue;
            }
        } else if (v.p[i] == '&') {
            for (size_t j = 0; j < MR_ARRAY_LEN(named) && w == 0; j++) {
                size_t nl = strlen(named[j].name);
                if (i + 1 + nl <= v.n && memcmp(v.p + i + 1, named[j].name, nl) == 0) {
                    w = put_utf8(d + n, room - n, named[j].cp);
                    if (w == 0)
                        return false;
                    n += w;
                    i += nl;
                }
            }
            if (w)
                continue;
        }
        if (n + 1 > room)
            return false;
        d[n++] = v.p[i];
    }
    *used += n;
    *out = (mr_obs_str){ d, n };
    return true;
}

size_t mr_obs_html_meta(const char *body, size_t len, mr_obs_str *csp,
                        size_t max, mr_obs_str *referrer, char *buf,
                        size_t cap, bool *truncated)
{
    size_t pos = 0, n = 0, used = 0;
    tag t;
    referrer->p = NULL;
    referrer->n = 0;
    while (next_tag(body, len, &pos, &t)) {
        if (strcmp(t.name, "meta") != 0)
            continue;
        const attr *equiv = get_attr(&t, "http-equiv");
        const attr *content = get_attr(&t, "content");
        const attr *name = get_attr(&t, "name");
        mr_obs_str v, c;
        if (equiv && content) {
            if (!decode(equiv->value, buf, cap, &used, &v) ||
                !decode(content->value, buf, cap, &used, &c)) {
                *truncated = true;
                break;
            }
            if (c.n && mr_obs_eq_lower(mr_obs_js_trim(v), "content-security-policy")) {
                if (n == max)
                    *truncated = true;
                else
                    csp[n++] = c;
            }
        } else if (name) {
            if (!decode(name->value, buf, cap, &used, &v)) {
                *truncated = true;
                break;
            }
            if (mr_obs_eq_lower(mr_obs_js_trim(v), "referrer") && content) {
                if (!decode(content->value, buf, cap, &used, &c)) {
                    *truncated = true;
                    break;
                }
                if (c.n)
                    *referrer = c;
            }
        }
    }
    return n;
}

/* The goodness order of the SRI results, best first. */
static const char *const SRI_ORDER[] = {
    "sri-implemented-and-all-scripts-loaded-securely",
    "sri-implemented-and-external-scripts-loaded-securely",
    "sri-implemented-but-external-scripts-not-loaded-securely",
    "sri-not-implemented-but-external-scripts-loaded-securely",
    "sri-not-implemented-and-external-scripts-not-loaded-securely",
    "sri-not-implemented-response-not-html",
};

static int sri_rank(const char *r)
{
    for (size_t i = 0; r && i < MR_ARRAY_LEN(SRI_ORDER); i++)
        if (strcmp(SRI_ORDER[i], r) == 0)
            return (int)i;
    return -1;
}

static const char *sri_worse(const char *now, const char *cand)
{
    return now == NULL || sri_rank(cand) > sri_rank(now) ? cand : now;
}

/* A script's src as jsdom's script.src gives it (against about:blank):
 * an http(s) URL's scheme and host, or the raw value. */
typedef struct script_src {
    bool absolute;                   /* http: or https: URL */
    bool https;
    char host[MR_OBS_HOST_MAX];
    mr_obs_str raw;
} script_src;

static bool src_of(mr_obs_str raw, script_src *s)
{
    memset(s, 0, sizeof *s);
    s->raw = raw;
    mr_obs_str t = raw;              /* the URL parser strips C0 and space */
    while (t.n && (unsigned char)t.p[0] <= 0x20) {
        t.p++;
        t.n--;
    }
    while (t.n && (unsigned char)t.p[t.n - 1] <= 0x20)
        t.n--;
    size_t k = 0;
    if (t.n && alpha(t.p[0]))
        while (k < t.n && (isalnum((unsigned char)t.p[k]) || t.p[k] == '+' ||
                           t.p[k] == '-' || t.p[k] == '.'))
            k++;
    if (k == 0 || k >= t.n || t.p[k] != ':')
        return true;                 /* relative: the raw value */
    mr_obs_str scheme = { t.p, k };
    bool https = mr_obs_eq_lower(scheme, "https");
    if (!https && !mr_obs_eq_lower(scheme, "http"))
        return true;                 /* another scheme: not http(s) */
    size_t h = k + 1;
    while (h < t.n && (t.p[h] == '/' || t.p[h] == '\\' || t.p[h] == '\t' ||
                       t.p[h] == '\n' || t.p[h] == '\r'))
        h++;
    char url[MR_OBS_HOST_MAX + 16];
    size_t e = h;
    while (e < t.n && t.p[e] != '/' && t.p[e] != '\\' && t.p[e] != '?' && t.p[e] != '#')
        e++;
    if (e == h || e - h >= MR_OBS_HOST_MAX)
        return false;                /* no host: jsdom would fail */
    snprintf(url, sizeof url, "x://%.*s/", (int)(e - h), t.p + h);
    bool hs, hp;
    if (!mr_obs_url_host(url, s->host, sizeof s->host, &hs, &hp))
        return false;
    s->absolute = true;
    s->https = https;
    return true;
}

const char *mr_obs_sri_test(const mr_obs_input *in, const char *body,
                            size_t len, bool session_https, bool *pass)
{
    const char *res = NULL;
    size_t pos = 0, nscripts = 0;
    bool foreign = false;
    char site[MR_OBS_HOST_MAX], sdom[MR_OBS_HOST_MAX];
    bool site_ok = mr_obs_org_domain(in, in->host, false, site, sizeof site) == 0;
    tag t;
    while (next_tag(body, len, &pos, &t)) {
        if (strcmp(t.name, "script") != 0)
            continue;
        nscripts++;
        const attr *src = get_attr(&t, "src");
        if (src == NULL || src->value.n == 0)
            continue;
        const attr *integ = get_attr(&t, "integrity");
        char dbuf[SRC_DECODED_MAX];
        size_t used = 0;
        mr_obs_str sv, iv = { "", 0 };
        if (!decode(src->value, dbuf, sizeof dbuf, &used, &sv))
            sv = src->value;     /* too long to decode: as written */
        if (integ && !decode(integ->value, dbuf, sizeof dbuf, &used, &iv))
            iv = integ->value;
        bool integrity = iv.n > 0;
        script_src s;
        if (!src_of(sv, &s))
            continue;
        bool rel_protocol = false, rel_origin = false, same_sld = false;
        if (!s.absolute && s.raw.n >= 3 && s.raw.p[0] == '/' && s.raw.p[1] == '/' &&
            s.raw.p[2] != '/') {
            rel_protocol = true;
            same_sld = true;
        } else if (s.absolute) {
            bool ok = mr_obs_org_domain(in, s.host, false, sdom, sizeof sdom) == 0;
            same_sld = ok == site_ok && (!ok || strcmp(sdom, site) == 0);
        } else {
            rel_origin = true;
            same_sld = true;
        }
        bool secure_origin = rel_origin || (same_sld && !rel_protocol);
        if (!secure_origin)
            foreign = true;
        bool secure_scheme = (s.absolute && s.https) || (rel_origin && session_https);
        if (!secure_origin) {
            if (integrity && !secure_scheme)
                res = sri_worse(res, "sri-implemented-but-external-scripts-not-loaded-securely");
            else if (!integrity && secure_scheme)
                res = sri_worse(res, "sri-not-implemented-but-external-scripts-loaded-securely");
            else if (!integrity && !secure_scheme)
                res = sri_worse(res, "sri-not-implemented-and-external-scripts-not-loaded-securely");
        } else if (integrity && secure_scheme && res == NULL) {
            res = "sri-implemented-and-all-scripts-loaded-securely";
        }
    }
    if (nscripts == 0)
        res = "sri-not-implemented-but-no-scripts-loaded";
    else if (res == NULL)
        res = foreign ? "sri-implemented-and-external-scripts-loaded-securely"
                      : "sri-not-implemented-but-all-scripts-loaded-from-secure-origin";
    *pass = strcmp(res, "sri-implemented-and-all-scripts-loaded-securely") == 0 ||
            strcmp(res, "sri-implemented-and-external-scripts-loaded-securely") == 0 ||
            strcmp(res, "sri-not-implemented-response-not-html") == 0 ||
            strcmp(res, "sri-not-implemented-but-all-scripts-loaded-from-secure-origin") == 0 ||
            strcmp(res, "sri-not-implemented-but-no-scripts-loaded") == 0;
    return res;
}
