/*
 * observatory.c — the MDN HTTP Observatory's grade of a site's headers
 * (see observatory.h): its ten tests run over what `mamori web` fetched,
 * each result's modifier summed from 100 (bonuses only once the score
 * without them reaches 90), the grade read off in steps of 5.
 *
 * The analyzer reads headers through Node.js and axios, and the score
 * depends on how they read: repeated headers are joined with ", " (but
 * Set-Cookie, kept apart, and a few such as Content-Type, where the first
 * wins), control bytes are dropped and the value trimmed. hdr_get() does
 * the same, so a site sending X-Frame-Options twice is graded as the
 * Observatory grades it. CSP lives in csp.c, cookies in cookie.c, the
 * HTML (<meta>, <script>) in obs_html.c.
 */
#include "common.h"

#include "web/obs_int.h"

/* ---- JavaScript string rules over Latin-1 bytes ---- */

bool mr_obs_js_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0;
}

mr_obs_str mr_obs_js_trim(mr_obs_str s)
{
    while (s.n && mr_obs_js_space((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && mr_obs_js_space((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

unsigned char mr_obs_lower(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return (unsigned char)(c + 32);
    return c;
}

bool mr_obs_eq_lower(mr_obs_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (mr_obs_lower((unsigned char)s.p[i]) != (unsigned char)lit[i])
            return false;
    return true;
}

bool mr_obs_starts(mr_obs_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static mr_obs_str cstr(const char *s)
{
    return (mr_obs_str){ s, s ? strlen(s) : 0 };
}

bool mr_obs_url_host(const char *url, char *host, size_t cap, bool *https,
                     bool *http)
{
    const char *p = strstr(url, "://");
    if (p == NULL || cap == 0)
        return false;
    mr_obs_str scheme = { url, (size_t)(p - url) };
    *https = mr_obs_eq_lower(scheme, "https");
    *http = mr_obs_eq_lower(scheme, "http");
    p += 3;
    size_t end = strcspn(p, "/?#\\");
    const char *at = memchr(p, '@', end);
    while (at) {                 /* user info: up to the last '@' */
        end -= (size_t)(at + 1 - p);
        p = at + 1;
        at = memchr(p, '@', end);
    }
    size_t n = end;
    if (n && p[0] == '[') {      /* [v6]:port */
        const char *rb = memchr(p, ']', n);
        n = rb ? (size_t)(rb - p + 1) : n;
    } else {
        const char *colon = memchr(p, ':', n);
        n = colon ? (size_t)(colon - p) : n;
    }
    if (n == 0 || n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        host[i] = (char)mr_obs_lower((unsigned char)p[i]);
    host[n] = '\0';
    return true;
}

int mr_obs_org_domain(const mr_obs_input *in, const char *host,
                      bool private_too, char *out, size_t cap)
{
    if (in->org_domain)
        return in->org_domain(in->ctx, host, private_too, out, cap);
    size_t n = strlen(host);
    if (n == 0 || strspn(host, "0123456789.") == n || strchr(host, ':'))
        return -1;               /* an address */
    const char *last = strrchr(host, '.');
    if (last == NULL)
        return -1;
    const char *p = last;
    while (p > host && p[-1] != '.')
        p--;
    if (p == last)
        return -1;
    size_t len = n - (size_t)(p - host);
    if (len >= cap)
        return -1;
    memcpy(out, p, len + 1);
    return 0;
}

/* ---- headers as Node.js and axios give them ---- */

/* Node keeps the first of these and drops repeats. */
static const char *const FIRST_WINS[] = { "age", "authorization",
    "content-length", "content-type", "etag", "expires", "from", "host",
    "if-modified-since", "if-unmodified-since", "last-modified", "location",
    "max-forwards", "proxy-authorization", "referer", "retry-after",
    "server", "user-agent" };

static bool first_wins(const char *name)
{
    for (size_t i = 0; i < MR_ARRAY_LEN(FIRST_WINS); i++)
        if (strcmp(name, FIRST_WINS[i]) == 0)
            return true;
    return false;
}

/* One combined header value, lower-case name given. */
typedef struct hval {
    bool present;
    mr_obs_str v;
    char buf[MR_OBS_VALUE_MAX];
} hval;

static mr_obs_str ows_trim(mr_obs_str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
        s.n--;
    return s;
}

static void hdr_get(const mr_obs_header *h, size_t n, const char *name,
                    hval *out, bool *truncated)
{
    size_t len = 0;
    out->present = false;
    const char *sep = strcmp(name, "cookie") == 0 ? "; " : ", ";
    if (n > MR_OBS_HEADERS_MAX) {
        n = MR_OBS_HEADERS_MAX;
        *truncated = true;
    }
    for (size_t i = 0; h && i < n; i++) {
        if (h[i].name == NULL || !mr_obs_eq_lower(ows_trim(cstr(h[i].name)), name))
            continue;
        if (out->present && first_wins(name))
            continue;
        if (out->present) {
            size_t sl = strlen(sep);
            if (len + sl < sizeof out->buf) {
                memcpy(out->buf + len, sep, sl);
                len += sl;
            }
        }
        mr_obs_str v = ows_trim(cstr(h[i].value));
        out->present = true;
        for (size_t k = 0; k < v.n; k++) {
            unsigned char c = (unsigned char)v.p[k];
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                continue;        /* axios drops control bytes */
            if (len + 1 >= sizeof out->buf) {
                *truncated = true;
                break;
            }
            out->buf[len++] = (char)c;
        }
    }
    out->buf[len] = '\0';
    out->v = ows_trim((mr_obs_str){ out->buf, len });
}

/* ---- the score table (src/grader/charts.js) ---- */

typedef struct score_row {
    const char *id;
    int modifier;
    const char *description;
} score_row;

static const score_row SCORES[] = {
    { "csp-implemented-with-no-unsafe-default-src-none", 10, "CSP with default-src 'none' and nothing unsafe" },
    { "csp-implemented-with-no-unsafe", 5, "CSP without 'unsafe-inline' or 'unsafe-eval'" },
    { "csp-implemented-with-unsafe-inline-in-style-src-only", 0, "CSP, unsafe sources in style-src only" },
    { "csp-implemented-with-insecure-scheme-in-passive-content-only", -10, "CSP lets images or media load over HTTP" },
    { "csp-implemented-with-unsafe-eval", -10, "CSP allows 'unsafe-eval'" },
    { "csp-implemented-with-unsafe-inline", -20, "CSP allows inline or broadly sourced scripts or objects" },
    { "csp-implemented-with-insecure-scheme", -20, "CSP lets resources load over HTTP" },
    { "csp-header-invalid", -25, "CSP cannot be parsed" },
    { "csp-not-implemented", -25, "no CSP" },
    { "csp-not-implemented-but-reporting-enabled", -25, "CSP in report-only mode only" },
    { "csp-implemented-but-duplicate-directives", 0, "CSP with repeated directives" },
    { "cookies-secure-with-httponly-sessions-and-samesite", 5, "cookies Secure, sessions HttpOnly, SameSite set" },
    { "cookies-secure-with-httponly-sessions", 0, "cookies Secure, sessions HttpOnly" },
    { "cookies-not-found", 0, "no cookies" },
    { "cookies-without-secure-flag-but-protected-by-hsts", -5, "cookies without Secure, HSTS protects them" },
    { "cookies-session-without-secure-flag-but-protected-by-hsts", -10, "session cookie without Secure, HSTS protects it" },
    { "cookies-without-secure-flag", -20, "cookies without Secure" },
    { "cookies-samesite-flag-invalid", -20, "cookie SameSite neither Strict nor Lax" },
    { "cookies-anticsrf-without-samesite-flag", -20, "anti-CSRF cookie without SameSite" },
    { "cookies-session-without-httponly-flag", -30, "session cookie without HttpOnly" },
    { "cookies-session-without-secure-flag", -40, "session cookie without Secure" },
    { "cross-origin-resource-sharing-not-implemented", 0, "no CORS" },
    { "cross-origin-resource-sharing-implemented-with-public-access", 0, "CORS: public content for every origin" },
    { "cross-origin-resource-sharing-implemented-with-restricted-access", 0, "CORS restricted to some origins" },
    { "cross-origin-resource-sharing-implemented-with-universal-access", -50, "CORS reflects any origin with credentials" },
    { "redirection-all-redirects-preloaded", 0, "every host redirected to is HSTS-preloaded" },
    { "redirection-to-https", 0, "HTTP redirects to HTTPS on the same host first" },
    { "redirection-not-needed-no-http", 0, "no HTTP, no redirection needed" },
    { "redirection-off-host-from-http", -5, "HTTP redirects to HTTPS on another host first" },
    { "redirection-not-to-https-on-initial-redirection", -10, "HTTP redirects to HTTP first" },
    { "redirection-not-to-https", -20, "redirection does not end on HTTPS" },
    { "redirection-missing", -20, "HTTP does not redirect to HTTPS" },
    { "redirection-invalid-cert", -20, "invalid certificate on the redirection" },
    { "referrer-policy-private", 5, "Referrer-Policy keeps referrers private" },
    { "referrer-policy-not-implemented", 0, "no Referrer-Policy" },
    { "referrer-policy-unsafe", -5, "Referrer-Policy leaks referrers" },
    { "referrer-policy-header-invalid", -5, "Referrer-Policy not recognised" },
    { "hsts-preloaded", 5, "HSTS preloaded" },
    { "hsts-implemented-max-age-at-least-six-months", 0, "HSTS max-age at least six months" },
    { "hsts-implemented-max-age-less-than-six-months", -10, "HSTS max-age under six months" },
    { "hsts-not-implemented", -20, "no HSTS" },
    { "hsts-header-invalid", -20, "HSTS header not recognised" },
    { "hsts-not-implemented-no-https", -20, "no HTTPS, so no HSTS" },
    { "hsts-invalid-cert", -20, "invalid certificate, HSTS cannot apply" },
    { "sri-implemented-and-all-scripts-loaded-securely", 5, "SRI used, scripts from the same site" },
    { "sri-implemented-and-external-scripts-loaded-securely", 5, "SRI used, external scripts over HTTPS" },
    { "sri-not-implemented-response-not-html", 0, "not HTML, SRI not needed" },
    { "sri-not-implemented-but-no-scripts-loaded", 0, "no scripts, SRI not needed" },
    { "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, "no SRI, scripts from the same site" },
    { "sri-not-implemented-but-external-scripts-loaded-securely", -5, "no SRI on external scripts loaded over HTTPS" },
    { "sri-implemented-but-external-scripts-not-loaded-securely", -20, "SRI, but external scripts over HTTP or //" },
    { "sri-not-implemented-and-external-scripts-not-loaded-securely", -50, "no SRI, external scripts over HTTP or //" },
    { "x-content-type-options-nosniff", 0, "X-Content-Type-Options nosniff" },
    { "x-content-type-options-not-implemented", -5, "no X-Content-Type-Options" },
    { "x-content-type-options-header-invalid", -5, "X-Content-Type-Options not recognised" },
    { "x-frame-options-implemented-via-csp", 5, "framing limited by CSP frame-ancestors" },
    { "x-frame-options-sameorigin-or-deny", 0, "X-Frame-Options SAMEORIGIN or DENY" },
    { "x-frame-options-allow-from-origin", 0, "X-Frame-Options ALLOW-FROM" },
    { "x-frame-options-not-implemented", -20, "no X-Frame-Options" },
    { "x-frame-options-header-invalid", -20, "X-Frame-Options not recognised" },
    { "corp-header-invalid", -5, "Cross-Origin-Resource-Policy not recognised" },
    { "corp-implemented-with-cross-origin", 0, "Cross-Origin-Resource-Policy cross-origin" },
    { "corp-implemented-with-same-origin", 10, "Cross-Origin-Resource-Policy same-origin" },
    { "corp-implemented-with-same-site", 10, "Cross-Origin-Resource-Policy same-site" },
    { "corp-not-implemented", 0, "no Cross-Origin-Resource-Policy" },
    { "html-not-parseable", -20, "HTML cannot be parsed" },
};

static const score_row *score_of(const char *id)
{
    for (size_t i = 0; id && i < MR_ARRAY_LEN(SCORES); i++)
        if (strcmp(SCORES[i].id, id) == 0)
            return &SCORES[i];
    return NULL;
}

int mr_obs_modifier(const char *result)
{
    const score_row *r = score_of(result);
    return r ? r->modifier : 0;
}

const char *mr_obs_description(const char *result)
{
    const score_row *r = score_of(result);
    return r ? r->description : "";
}

const char *mr_obs_grade_for_score(int score)
{
    static const char *const grades[] = { "F", "F", "F", "F", "F",
        "D-", "D", "D", "D+", "C-", "C", "C", "C+", "B-", "B", "B", "B+",
        "A-", "A", "A", "A+" };
    score = MR_MAX(score, 0);
    int key = MR_MIN(score - score % 5, 100);
    return grades[key / 5];
}

/* ---- the tests that need no parser of their own ---- */

static const char *cors_test(const mr_obs_input *in, hval *hv, bool *pass,
                             bool *tr)
{
    const char *res = "cross-origin-resource-sharing-not-implemented";
    if (in->cors_headers || in->n_cors) {
        hdr_get(in->cors_headers, in->n_cors, "access-control-allow-origin", hv, tr);
        if (hv->present && hv->v.n) {
            mr_obs_str acao = hv->v;
            mr_obs_str d = mr_obs_js_trim((mr_obs_str){ acao.p, MR_MIN(acao.n, 256) });
            bool origin_eq = in->cors_origin && strlen(in->cors_origin) == acao.n &&
                             memcmp(in->cors_origin, acao.p, acao.n) == 0;
            if (d.n == 1 && d.p[0] == '*') {
                res = "cross-origin-resource-sharing-implemented-with-public-access";
            } else {
                bool cred = false;
                if (origin_eq) {
                    hdr_get(in->cors_headers, in->n_cors,
                            "access-control-allow-credentials", hv, tr);
                    cred = hv->present && mr_obs_eq_lower(mr_obs_js_trim(hv->v), "true");
                }
                res = cred ? "cross-origin-resource-sharing-implemented-with-universal-access"
                           : "cross-origin-resource-sharing-implemented-with-restricted-access";
            }
        }
    }
    *pass = strcmp(res, "cross-origin-resource-sharing-implemented-with-universal-access") != 0;
    return res;
}

static bool preloaded(const mr_obs_input *in, const char *host)
{
    return in->preloaded && in->preloaded(in->ctx, host);
}

static const char *redirection_test(const mr_obs_input *in, bool *pass)
{
    const char *res;
    if (in->n_http == 0) {
        res = "redirection-not-needed-no-http";
    } else if (!in->http_verified) {
        res = "redirection-invalid-cert";
    } else {
        size_t n = MR_MIN(in->n_http, (size_t)MR_OBS_CHAIN_MAX);
        char h0[MR_OBS_HOST_MAX], h1[MR_OBS_HOST_MAX], hl[MR_OBS_HOST_MAX];
        bool s0 = false, s1 = false, sl = false, p0 = false, p1 = false, pl = false;
        bool all = true;
        for (size_t i = 0; i < n; i++) {
            bool s, p;
            if (!mr_obs_url_host(in->http[i].url ? in->http[i].url : "", hl,
                                 sizeof hl, &s, &p) || !preloaded(in, hl))
                all = false;
        }
        bool ok0 = mr_obs_url_host(in->http[0].url ? in->http[0].url : "", h0, sizeof h0, &s0, &p0);
        bool ok1 = n > 1 && mr_obs_url_host(in->http[1].url ? in->http[1].url : "", h1, sizeof h1, &s1, &p1);
        mr_obs_url_host(in->http[n - 1].url ? in->http[n - 1].url : "", hl, sizeof hl, &sl, &pl);
        if (all)
            res = "redirection-all-redirects-preloaded";
        else if (n == 1)
            res = "redirection-missing";
        else if (!sl)
            res = "redirection-not-to-https";
        else if (p1)
            res = "redirection-not-to-https-on-initial-redirection";
        else if (p0 && s1 && ok0 && ok1 && strcmp(h0, h1) != 0)
            res = "redirection-off-host-from-http";
        else
            res = "redirection-to-https";
    }
    *pass = strcmp(res, "redirection-not-needed-no-http") == 0 ||
            strcmp(res, "redirection-all-redirects-preloaded") == 0 ||
            strcmp(res, "redirection-to-https") == 0;
    return res;
}

static bool valid_referrer(mr_obs_str t, bool *good)
{
    static const char *const goodness[] = { "no-referrer", "same-origin",
        "strict-origin", "strict-origin-when-cross-origin" };
    static const char *const badness[] = { "origin", "origin-when-cross-origin",
        "unsafe-url", "no-referrer-when-downgrade" };
    for (size_t i = 0; i < 4; i++) {
        if (mr_obs_eq_lower(t, goodness[i]))
            return *good = true;
        if (mr_obs_eq_lower(t, badness[i])) {
            *good = false;
            return true;
        }
    }
    return false;
}

static const char *referrer_test(const hval *http, mr_obs_str meta, bool has_meta,
                                 bool *pass)
{
    const char *res;
    if (!http->present && !has_meta) {
        *pass = true;
        return "referrer-policy-not-implemented";
    }
    /* the header, then the <meta>, joined by ", "; the last valid wins */
    mr_obs_str parts[2] = { http->v, meta };
    bool use[2] = { http->present, has_meta };
    bool found = false, good = false;
    for (size_t j = 0; j < 2; j++) {
        if (!use[j])
            continue;
        size_t start = 0;
        for (size_t k = 0; k <= parts[j].n; k++) {
            if (k < parts[j].n && parts[j].p[k] != ',')
                continue;
            bool g;
            if (valid_referrer(mr_obs_js_trim((mr_obs_str){ parts[j].p + start, k - start }), &g)) {
                found = true;
                good = g;
            }
            start = k + 1;
        }
    }
    res = !found ? "referrer-policy-header-invalid"
        : good ? "referrer-policy-private" : "referrer-policy-unsafe";
    *pass = good && found;
    return res;
}

/* JavaScript's parseInt(s, 10) sign: 1 a number >= limit, 0 below,
 * and NaN (no digits) counts as >= limit, as `NaN < x` is false. */
static bool js_int_at_least(mr_obs_str s, long long limit)
{
    size_t k = 0;
    while (k < s.n && mr_obs_js_space((unsigned char)s.p[k]))
        k++;
    bool neg = false;
    if (k < s.n && (s.p[k] == '+' || s.p[k] == '-'))
        neg = s.p[k++] == '-';
    long long v = 0;
    size_t digits = 0;
    while (k < s.n && s.p[k] >= '0' && s.p[k] <= '9') {
        if (v < 1000000000000LL)
            v = v * 10 + (s.p[k] - '0');
        k++;
        digits++;
    }
    if (digits == 0)
        return true;
    return neg ? v == 0 && limit <= 0 : v >= limit;
}

static const char *hsts_test(const mr_obs_input *in, hval *hv, bool *pass,
                             bool *tr)
{
    const char *res = "hsts-not-implemented";
    if (in->n_https == 0) {
        res = "hsts-not-implemented-no-https";
    } else if (!in->https_verified) {
        res = "hsts-invalid-cert";
    } else {
        const mr_obs_response *r = &in->https[MR_MIN(in->n_https, (size_t)MR_OBS_CHAIN_MAX) - 1];
        hdr_get(r->headers, r->n_headers, "strict-transport-security", hv, tr);
        if (hv->present) {
            mr_obs_str d = { hv->v.p, MR_MIN(hv->v.n, 1024) };
            bool have_age = false, six = false;
            size_t start = 0;
            for (size_t k = 0; k <= d.n; k++) {
                if (k < d.n && d.p[k] != ';')
                    continue;
                mr_obs_str p = mr_obs_js_trim((mr_obs_str){ d.p + start, k - start });
                if (p.n >= 8 && mr_obs_eq_lower((mr_obs_str){ p.p, 8 }, "max-age=")) {
                    have_age = true;
                    six = js_int_at_least((mr_obs_str){ p.p + 8, MR_MIN(p.n - 8, 120) },
                                          15552000);
                }
                start = k + 1;
            }
            if (memchr(d.p, ',', d.n) || !have_age)
                res = "hsts-header-invalid";
            else
                res = six ? "hsts-implemented-max-age-at-least-six-months"
                          : "hsts-implemented-max-age-less-than-six-months";
        }
    }
    if (in->n_https && preloaded(in, in->host))
        res = "hsts-preloaded";
    *pass = strcmp(res, "hsts-implemented-max-age-at-least-six-months") == 0 ||
            strcmp(res, "hsts-preloaded") == 0;
    return res;
}

static const char *xcto_test(const hval *h, bool *pass)
{
    const char *res = "x-content-type-options-not-implemented";
    if (h->present && h->v.n)
        res = mr_obs_eq_lower(mr_obs_js_trim((mr_obs_str){ h->v.p, MR_MIN(h->v.n, 256) }), "nosniff")
            ? "x-content-type-options-nosniff" : "x-content-type-options-header-invalid";
    *pass = strcmp(res, "x-content-type-options-nosniff") == 0;
    return res;
}

static const char *xfo_test(const hval *h, bool via_csp, bool *pass)
{
    const char *res = "x-frame-options-not-implemented";
    if (h->present && h->v.n) {
        mr_obs_str x = mr_obs_js_trim((mr_obs_str){ h->v.p, MR_MIN(h->v.n, 1024) });
        if (mr_obs_eq_lower(x, "deny") || mr_obs_eq_lower(x, "sameorigin"))
            res = "x-frame-options-sameorigin-or-deny";
        else if (x.n >= 10 && mr_obs_eq_lower((mr_obs_str){ x.p, 10 }, "allow-from"))
            res = "x-frame-options-allow-from-origin";
        else
            res = "x-frame-options-header-invalid";
    }
    if (via_csp)
        res = "x-frame-options-implemented-via-csp";
    *pass = strcmp(res, "x-frame-options-not-implemented") != 0 &&
            strcmp(res, "x-frame-options-header-invalid") != 0;
    return res;
}

static const char *corp_test(const hval *h, bool *pass)
{
    const char *res = "corp-not-implemented";
    if (h->present && h->v.n) {
        mr_obs_str c = mr_obs_js_trim((mr_obs_str){ h->v.p, MR_MIN(h->v.n, 256) });
        if (c.n == 0)
            res = "corp-not-implemented";
        else if (mr_obs_eq_lower(c, "same-site"))
            res = "corp-implemented-with-same-site";
        else if (mr_obs_eq_lower(c, "same-origin"))
            res = "corp-implemented-with-same-origin";
        else if (mr_obs_eq_lower(c, "cross-origin"))
            res = "corp-implemented-with-cross-origin";
        else
            res = "corp-header-invalid";
    }
    *pass = strcmp(res, "corp-header-invalid") != 0;
    return res;
}

/* ---- the scan ---- */

static const char *const TEST_NAMES[MR_OBS_N_TESTS] = {
    "content-security-policy", "cookies", "cross-origin-resource-sharing",
    "redirection", "referrer-policy", "strict-transport-security",
    "subresource-integrity", "x-content-type-options", "x-frame-options",
    "cross-origin-resource-policy" };

typedef struct work {
    hval h;                          /* scratch */
    hval csp, ctype, referrer, xcto, xfo, corp, report_only;
    mr_obs_str meta_csp[MR_OBS_CSP_POLICIES_MAX];
    char meta_buf[MR_OBS_BODY_MAX / 4];
} work;

static bool is_html(const hval *ctype)
{
    if (!ctype->present)
        return false;
    mr_obs_str t = ctype->v;
    const char *semi = memchr(t.p, ';', t.n);
    if (semi)
        t.n = (size_t)(semi - t.p);
    return (t.n == 9 && memcmp(t.p, "text/html", 9) == 0) ||
           (t.n == 21 && memcmp(t.p, "application/xhtml+xml", 21) == 0);
}

static void set_result(mr_obs_report *out, mr_obs_test t, const char *res, bool pass)
{
    out->tests[t].name = TEST_NAMES[t];
    out->tests[t].result = res;
    out->tests[t].modifier = mr_obs_modifier(res);
    out->tests[t].pass = pass;
    out->tests[t].description = mr_obs_description(res);
}

int mr_obs_grade(const mr_obs_input *in, mr_obs_report *out)
{
    if (out == NULL)
        return MR_OBS_EINVAL;
    memset(out, 0, sizeof *out);
    if (in == NULL || in->host == NULL || (in->n_http == 0 && in->n_https == 0))
        return MR_OBS_EINVAL;
    work *w = malloc(sizeof *w);
    if (w == NULL)
        return MR_OBS_ENOMEM;
    bool tr = false, pass;
    bool https = in->n_https > 0;
    const mr_obs_response *chain = https ? in->https : in->http;
    size_t nchain = MR_MIN(https ? in->n_https : in->n_http, (size_t)MR_OBS_CHAIN_MAX);
    if ((https ? in->n_https : in->n_http) > MR_OBS_CHAIN_MAX)
        tr = true;
    const mr_obs_response *fin = &chain[nchain - 1];

    hdr_get(fin->headers, fin->n_headers, "content-security-policy", &w->csp, &tr);
    hdr_get(fin->headers, fin->n_headers, "content-type", &w->ctype, &tr);
    hdr_get(fin->headers, fin->n_headers, "referrer-policy", &w->referrer, &tr);
    hdr_get(fin->headers, fin->n_headers, "x-content-type-options", &w->xcto, &tr);
    hdr_get(fin->headers, fin->n_headers, "x-frame-options", &w->xfo, &tr);
    hdr_get(fin->headers, fin->n_headers, "cross-origin-resource-policy", &w->corp, &tr);
    hdr_get(fin->headers, fin->n_headers, "content-security-policy-report-only",
            &w->report_only, &tr);

    size_t body_len = in->body ? in->body_len : 0;
    if (body_len > MR_OBS_BODY_MAX) {
        body_len = MR_OBS_BODY_MAX;
        tr = true;
    }
    bool html = is_html(&w->ctype);
    size_t n_meta = 0;
    mr_obs_str meta_ref = { NULL, 0 };
    if (html && body_len)
        n_meta = mr_obs_html_meta(in->body, body_len, w->meta_csp,
                                  MR_ARRAY_LEN(w->meta_csp), &meta_ref,
                                  w->meta_buf, sizeof w->meta_buf, &tr);

    bool frame_ancestors;
    const char *csp = mr_obs_csp_test(&w->csp.v, w->csp.present ? 1 : 0,
                                      w->meta_csp, n_meta, https,
                                      w->report_only.present && w->report_only.v.n,
                                      &frame_ancestors, &pass, &tr);
    if (csp == NULL) {
        free(w);
        memset(out, 0, sizeof *out);
        return MR_OBS_ENOMEM;
    }
    set_result(out, MR_OBS_CSP, csp, pass);

    const char *res;
    bool hsts_pass;
    res = hsts_test(in, &w->h, &hsts_pass, &tr);
    set_result(out, MR_OBS_HSTS, res, hsts_pass);
    res = mr_obs_cookie_test(in, chain, nchain, hsts_pass, &pass, &tr);
    if (res == NULL) {
        free(w);
        memset(out, 0, sizeof *out);
        return MR_OBS_ENOMEM;
    }
    set_result(out, MR_OBS_COOKIES, res, pass);
    res = cors_test(in, &w->h, &pass, &tr);
    set_result(out, MR_OBS_CORS, res, pass);
    res = redirection_test(in, &pass);
    set_result(out, MR_OBS_REDIRECTION, res, pass);
    res = referrer_test(&w->referrer, meta_ref, meta_ref.p != NULL, &pass);
    set_result(out, MR_OBS_REFERRER, res, pass);
    if (html)
        res = mr_obs_sri_test(in, in->body ? in->body : "", body_len, https, &pass);
    else {
        res = "sri-not-implemented-response-not-html";
        pass = true;
    }
    set_result(out, MR_OBS_SRI, res, pass);
    res = xcto_test(&w->xcto, &pass);
    set_result(out, MR_OBS_XCTO, res, pass);
    res = xfo_test(&w->xfo, frame_ancestors, &pass);
    set_result(out, MR_OBS_XFO, res, pass);
    res = corp_test(&w->corp, &pass);
    set_result(out, MR_OBS_CORP, res, pass);
    free(w);

    int with_credit = 100, uncurved = 100;
    for (size_t t = 0; t < MR_OBS_N_TESTS; t++) {
        out->tests_passed += out->tests[t].pass;
        with_credit += out->tests[t].modifier;
        if (out->tests[t].modifier < 0)
            uncurved += out->tests[t].modifier;
    }
    out->tests_failed = MR_OBS_N_TESTS - out->tests_passed;
    int score = uncurved >= 90 ? with_credit : uncurved;
    out->score = MR_MAX(score, 0);
    out->grade = mr_obs_grade_for_score(out->score);
    out->truncated = tr;
    int status = fin->status;
    if (status < 200 || (status >= 400 && status != 401 && status != 403))
        return MR_OBS_ESTATUS;
    return MR_OBS_OK;
}
