/*
 * cookie.c — the Observatory's cookie test (tests/cookies.js of
 * @mdn/mdn-http-observatory 1.4.8), written anew in C.
 *
 * The Observatory does not read Set-Cookie lines directly: its fetch
 * stores them in a tough-cookie jar, hop by hop along the redirect
 * chain, and the test reads the jar. So a cookie the jar refuses (no
 * name, a Domain the host is not in, a public suffix as Domain, a
 * __Secure- cookie without Secure, a __Host- cookie that is not Secure,
 * host-only and on "/") does not count, and one set twice (same name,
 * domain and path) counts once, as last set. The raw SameSite values of
 * the final response are checked on their own. The jar here keeps at
 * most MR_OBS_COOKIES_MAX cookies.
 */
#include "common.h"

#include "web/obs_int.h"

#define COOKIE_DOMAIN_MAX MR_OBS_HOST_MAX
#define COOKIE_PATH_MAX 1024

typedef struct jar_cookie {
    mr_obs_cookie c;
    char domain[COOKIE_DOMAIN_MAX];
    char path[COOKIE_PATH_MAX];
} jar_cookie;

static bool has_ctl(mr_obs_str s)
{
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)s.p[i] < 0x20)
            return true;
    return false;
}

static mr_obs_str cut(mr_obs_str s, size_t from, size_t to)
{
    return (mr_obs_str){ s.p + from, to - from };
}

bool mr_obs_cookie_parse(mr_obs_str s, mr_obs_cookie *c)
{
    memset(c, 0, sizeof *c);
    if (s.n == 0)
        return false;
    s = mr_obs_js_trim(s);
    const char *semi = memchr(s.p, ';', s.n);
    size_t pair_end = semi ? (size_t)(semi - s.p) : s.n;
    mr_obs_str pair = cut(s, 0, pair_end);
    for (size_t i = 0; i < pair.n; i++)          /* a terminator ends it */
        if (pair.p[i] == '\n' || pair.p[i] == '\r' || pair.p[i] == '\0') {
            pair.n = i;
            break;
        }
    const char *eq = memchr(pair.p, '=', pair.n);
    if (eq == NULL || eq == pair.p)
        return false;                            /* needs a name */
    c->key = mr_obs_js_trim(cut(pair, 0, (size_t)(eq - pair.p)));
    mr_obs_str value = mr_obs_js_trim(cut(pair, (size_t)(eq - pair.p) + 1, pair.n));
    if (has_ctl(c->key) || has_ctl(value))
        return false;
    if (semi == NULL)
        return true;
    mr_obs_str rest = mr_obs_js_trim(cut(s, pair_end + 1, s.n));
    size_t start = 0;
    for (size_t k = 0; k <= rest.n; k++) {
        if (k < rest.n && rest.p[k] != ';')
            continue;
        mr_obs_str av = mr_obs_js_trim(cut(rest, start, k));
        start = k + 1;
        if (av.n == 0)
            continue;
        const char *aeq = memchr(av.p, '=', av.n);
        mr_obs_str key = aeq ? cut(av, 0, (size_t)(aeq - av.p)) : av;
        mr_obs_str val = aeq ? mr_obs_js_trim(cut(av, (size_t)(aeq - av.p) + 1, av.n))
                             : (mr_obs_str){ NULL, 0 };
        key = mr_obs_js_trim(key);
        if (mr_obs_eq_lower(key, "domain")) {
            if (val.n) {
                mr_obs_str d = mr_obs_js_trim(val);
                if (d.n && d.p[0] == '.')
                    d = cut(d, 1, d.n);
                if (d.n)
                    c->domain = d;
            }
        } else if (mr_obs_eq_lower(key, "path")) {
            c->path = val.n && val.p[0] == '/' ? val : (mr_obs_str){ NULL, 0 };
        } else if (mr_obs_eq_lower(key, "secure")) {
            c->secure = true;
        } else if (mr_obs_eq_lower(key, "httponly")) {
            c->http_only = true;
        } else if (mr_obs_eq_lower(key, "samesite")) {
            c->same_site = mr_obs_eq_lower(val, "strict") ? 1
                         : mr_obs_eq_lower(val, "lax") ? 2
                         : mr_obs_eq_lower(val, "none") ? 3 : 0;
        }
    }
    return true;
}

bool mr_obs_cookie_samesite_invalid(mr_obs_str s)
{
    s = mr_obs_js_trim(s);
    size_t start = 0;
    for (size_t k = 0; k <= s.n; k++) {
        if (k < s.n && s.p[k] != ';')
            continue;
        mr_obs_str p = mr_obs_js_trim(cut(s, start, k));
        start = k + 1;
        /* p.split("=") -> [key, value]: value is the second piece only */
        const char *eq = memchr(p.p, '=', p.n);
        mr_obs_str key = eq ? cut(p, 0, (size_t)(eq - p.p)) : p;
        if (!mr_obs_eq_lower(mr_obs_js_trim(key), "samesite"))
            continue;
        if (eq == NULL)
            return true;
        mr_obs_str val = cut(p, (size_t)(eq - p.p) + 1, p.n);
        const char *eq2 = memchr(val.p, '=', val.n);
        if (eq2)
            val.n = (size_t)(eq2 - val.p);
        if (val.n == 0)
            return true;
        val = mr_obs_js_trim(val);
        if (!mr_obs_eq_lower(val, "lax") && !mr_obs_eq_lower(val, "strict") &&
            !mr_obs_eq_lower(val, "none"))
            return true;
    }
    return false;
}

static bool is_ip(const char *h)
{
    return strchr(h, ':') != NULL || strspn(h, "0123456789.") == strlen(h);
}

/* RFC 6265 default-path of a URL's path. */
static void default_path(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    p += strcspn(p, "/#");
    size_t n = strcspn(p, "#");
    const char *last = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '/')
            last = p + i;
    if (n == 0 || p[0] != '/' || last == p || last == NULL || (size_t)(last - p) >= cap) {
        snprintf(out, cap, "/");
        return;
    }
    memcpy(out, p, (size_t)(last - p));
    out[last - p] = '\0';
}

/* The jar's setCookie with ignoreError: false when refused. */
static bool jar_set(const mr_obs_input *in, jar_cookie *jar, size_t *n,
                    const char *url, mr_obs_str line, bool *truncated)
{
    jar_cookie nc;
    memset(&nc, 0, sizeof nc);
    if (!mr_obs_cookie_parse(line, &nc.c))
        return false;
    char host[MR_OBS_HOST_MAX];
    bool https, http;
    if (!mr_obs_url_host(url, host, sizeof host, &https, &http))
        return false;
    bool host_only = nc.c.domain.n == 0;
    if (!host_only) {
        if (nc.c.domain.n >= sizeof nc.domain)
            return false;
        for (size_t i = 0; i < nc.c.domain.n; i++)
            nc.domain[i] = (char)mr_obs_lower((unsigned char)nc.c.domain.p[i]);
        char org[MR_OBS_HOST_MAX];
        if (mr_obs_org_domain(in, nc.domain, true, org, sizeof org) != 0)
            return false;                        /* a public suffix */
        size_t hl = strlen(host), dl = strlen(nc.domain);
        bool match = strcmp(host, nc.domain) == 0 ||
                     (hl > dl && !is_ip(host) && host[hl - dl - 1] == '.' &&
                      strcmp(host + hl - dl, nc.domain) == 0);
        if (!match)
            return false;
    } else {
        snprintf(nc.domain, sizeof nc.domain, "%s", host);
    }
    if (nc.c.path.n && nc.c.path.n < sizeof nc.path)
        memcpy(nc.path, nc.c.path.p, nc.c.path.n);
    else
        default_path(url, nc.path, sizeof nc.path);
    if (mr_obs_starts(nc.c.key, "__Secure-") && !nc.c.secure)
        return false;
    if (mr_obs_starts(nc.c.key, "__Host-") &&
        !(nc.c.secure && host_only && strcmp(nc.path, "/") == 0))
        return false;
    for (size_t i = 0; i < *n; i++)
        if (jar[i].c.key.n == nc.c.key.n &&
            memcmp(jar[i].c.key.p, nc.c.key.p, nc.c.key.n) == 0 &&
            strcmp(jar[i].domain, nc.domain) == 0 && strcmp(jar[i].path, nc.path) == 0) {
            jar[i] = nc;
            return true;
        }
    if (*n == MR_OBS_COOKIES_MAX) {
        *truncated = true;
        return false;
    }
    jar[(*n)++] = nc;
    return true;
}

static bool key_has(mr_obs_str key, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i + n <= key.n; i++) {
        size_t j = 0;
        while (j < n && mr_obs_lower((unsigned char)key.p[i + j]) == (unsigned char)lit[j])
            j++;
        if (j == n)
            return true;
    }
    return false;
}

/* The test's order of results, best first. */
static const char *const GOODNESS[] = {
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
};

enum { W_HSTS, W_NOSECURE, W_SESS_HSTS, W_SAMESITE, W_CSRF, W_HTTPONLY,
       W_SESS_NOSECURE };

/* The worse of the result so far (-1: none) and cand. */
static void worse(int *now, int cand)
{
    if (cand > *now)
        *now = cand;
}

static bool is_set_cookie(const mr_obs_header *h)
{
    if (h->name == NULL || h->value == NULL)
        return false;
    mr_obs_str n = { h->name, strlen(h->name) };
    return mr_obs_eq_lower(n, "set-cookie");
}

const char *mr_obs_cookie_test(const mr_obs_input *in,
                               const mr_obs_response *chain, size_t n,
                               bool hsts_pass, bool *pass, bool *truncated)
{
    int w = -1;
    const mr_obs_response *fin = &chain[n - 1];
    for (size_t i = 0; i < fin->n_headers && i < MR_OBS_HEADERS_MAX; i++)
        if (is_set_cookie(&fin->headers[i]) &&
            mr_obs_cookie_samesite_invalid((mr_obs_str){ fin->headers[i].value,
                                           strlen(fin->headers[i].value) }))
            worse(&w, W_SAMESITE);

    jar_cookie *jar = malloc(MR_OBS_COOKIES_MAX * sizeof *jar);
    if (jar == NULL)
        return NULL;
    size_t nj = 0;
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < chain[r].n_headers && i < MR_OBS_HEADERS_MAX; i++)
            if (is_set_cookie(&chain[r].headers[i]) && chain[r].url)
                jar_set(in, jar, &nj, chain[r].url,
                        (mr_obs_str){ chain[r].headers[i].value,
                                      strlen(chain[r].headers[i].value) }, truncated);

    size_t counted = 0;
    bool missing_samesite = false;
    for (size_t i = 0; i < nj; i++) {
        const mr_obs_cookie *c = &jar[i].c;
        /* the Observatory drops this one (exact name, case-sensitive) */
        static const char heroku[] = "heroku-session-affinity";
        if (c->key.n == 0 || (c->key.n == strlen(heroku) &&
                              memcmp(c->key.p, heroku, c->key.n) == 0))
            continue;
        counted++;
        bool session = key_has(c->key, "login") || key_has(c->key, "sess");
        bool csrf = key_has(c->key, "csrf");
        if (!c->secure && c->same_site == 3)
            worse(&w, W_SAMESITE);
        if (!c->secure)
            worse(&w, hsts_pass ? W_HSTS : W_NOSECURE);
        if (csrf && c->same_site == 0)
            worse(&w, W_CSRF);
        if (session && !c->secure)
            worse(&w, hsts_pass ? W_SESS_HSTS : W_SESS_NOSECURE);
        if (session && !c->http_only)
            worse(&w, W_HTTPONLY);
        if (c->same_site == 0)
            missing_samesite = true;
    }
    free(jar);
    const char *res = w >= 0 ? GOODNESS[w] : NULL;
    if (counted == 0)
        res = "cookies-not-found";
    else if (res == NULL)
        res = missing_samesite ? "cookies-secure-with-httponly-sessions"
                               : "cookies-secure-with-httponly-sessions-and-samesite";
    *pass = strcmp(res, "cookies-not-found") == 0 ||
            strcmp(res, "cookies-secure-with-httponly-sessions-and-samesite") == 0 ||
            strcmp(res, "cookies-secure-with-httponly-sessions") == 0;
    return res;
}
