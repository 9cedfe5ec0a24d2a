/*
 * obs_site.c — the Observatory's retrieval for one site of `mamori web`
 * and its grade (obs_site.h). The requests are made as the Observatory's
 * retriever (src/retriever/retriever.js and session.js of
 * @mdn/mdn-http-observatory) makes them, because the grade depends on
 * them: its Accept header; certificates verified, and on a certificate
 * error the whole chain fetched again without verification and marked
 * unverified; the preflight sent to the end of the graded chain, except
 * after such an error, when the retriever's robots.txt request has
 * become the last entry of its redirect history and the preflight goes
 * to /robots.txt instead. The preflight's Origin is not handed to the
 * grader: the live Observatory never sees it (observatory.h).
 */
#include "common.h"

#include "dns/psl.h"
#include "io/curl_syms.h"
#include "web/obs_site.h"

#define OBS_ACCEPT "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

static const char *const GET_HEADERS[] = {OBS_ACCEPT, NULL};
static const char *const CORS_HEADERS[] = {
    "Access-Control-Request-Method: GET", "Origin: " MR_WEB_CORS_ORIGIN, NULL};

int mr_web_obs_fetch(mr_web_fetcher *f, const char *url, const mr_web_cfg *cfg,
                     mr_web_response *r, int *unverified)
{
    mr_web_req q = {1, MR_WEB_BODY_MAX, 1, cfg->ca_file, NULL, GET_HEADERS};
    *unverified = 0;
    if (mr_web_fetch_req(f, url, &q, r) == 0)
        return 0;
    if (!r->cert_error)
        return -1;
    mr_web_response_free(r);
    q.verify = 0;
    *unverified = 1;
    return mr_web_fetch_req(f, url, &q, r);
}

/* url with its scheme, port or path replaced (NULL: kept; port "" the
 * scheme's default; path also drops the query); -1 when it cannot be. */
static int url_with(const char *url, const char *scheme, const char *port,
                    const char *path, char *out, size_t cap)
{
    CURLU *u = mr_curl_load(NULL, 0) == 0 ? mr_sym_curl_url() : NULL;
    char *o = NULL;
    int rc = -1;
    if (u && mr_sym_curl_url_set(u, CURLUPART_URL, url, CURLU_DEFAULT_SCHEME) == 0 &&
        (scheme == NULL || mr_sym_curl_url_set(u, CURLUPART_SCHEME, scheme, 0) == 0) &&
        (port == NULL || mr_sym_curl_url_set(u, CURLUPART_PORT, port[0] ? port : NULL, 0) == 0) &&
        (path == NULL || (mr_sym_curl_url_set(u, CURLUPART_PATH, path, 0) == 0 &&
                          mr_sym_curl_url_set(u, CURLUPART_QUERY, NULL, 0) == 0)) &&
        mr_sym_curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == 0 &&
        mr_sym_curl_url_get(u, CURLUPART_URL, &o, 0) == 0 && strlen(o) < cap) {
        memcpy(out, o, strlen(o) + 1);
        rc = 0;
    }
    if (u) { /* NULL where libcurl could not be opened */
        mr_sym_curl_free(o);
        mr_sym_curl_url_cleanup(u);
    }
    return rc;
}

/* The URL given in the other scheme, or -1 when its port is not known. */
static int other_url(const mr_web_site *s, const mr_web_cfg *cfg, char *out,
                     size_t cap)
{
    int https = strcmp(s->scheme, "https") == 0;
    unsigned port = https ? cfg->http_port : cfg->https_port;
    unsigned def = https ? 80 : 443;
    char ps[16] = "";
    if (port == 0) {
        if (s->port != (https ? 443u : 80u))
            return -1;
        port = def;
    }
    if (port != def)
        snprintf(ps, sizeof(ps), "%u", port);
    return url_with(s->url, https ? "http" : "https", ps, NULL, out, cap);
}

static int is_nomem(const mr_web_response *r)
{
    return strcmp(r->error, "out of memory") == 0;
}

/* The chain the Observatory grades: https when it answered. */
static const mr_web_response *auto_chain(const mr_web_site *s, int *unverified)
{
    if (strcmp(s->scheme, "https") == 0 || !s->other_fetched) {
        *unverified = s->resp_unverified;
        return &s->resp;
    }
    *unverified = s->other_unverified;
    return &s->other;
}

int mr_web_obs_retrieve(mr_web_site *s, mr_web_fetcher *f,
                        const mr_web_cfg *cfg)
{
    char url[MR_WEB_URL_MAX];
    if (other_url(s, cfg, url, sizeof(url)) == 0) {
        s->other_fetched =
            mr_web_obs_fetch(f, url, cfg, &s->other, &s->other_unverified) == 0;
        if (!s->other_fetched && is_nomem(&s->other))
            return -1;
    }
    int unverified;
    const mr_web_response *a = auto_chain(s, &unverified);
    if (a->final_url == NULL)
        return 0;
    if (unverified ? url_with(a->url, NULL, NULL, "/robots.txt", url, sizeof(url))
                   : url_with(a->final_url, NULL, NULL, NULL, url, sizeof(url)))
        return 0;
    mr_web_req q = {1, MR_WEB_PROBE_BODY_MAX, !unverified, cfg->ca_file,
                    "OPTIONS", CORS_HEADERS};
    s->cors_fetched = mr_web_fetch_req(f, url, &q, &s->cors) == 0;
    return !s->cors_fetched && is_nomem(&s->cors) ? -1 : 0;
}

/* ---- the grade ---- */

int mr_web_obs_org_domain(void *ctx, const char *host, bool private_too,
                          char *out, size_t cap)
{
    static const char *const special[] = {"local", "example", "invalid",
                                          "localhost", "test"};
    size_t n = strlen(host);
    if (n == 0 || strspn(host, "0123456789.") == n || strchr(host, ':'))
        return -1;                            /* an address */
    const char *dot = strrchr(host, '.');
    const char *tld = dot ? dot + 1 : host;
    for (size_t i = 0; private_too && i < MR_ARRAY_LEN(special); i++) {
        if (strcmp(tld, special[i]) != 0)
            continue;
        /* tough-cookie: "name.localhost" is its own registrable domain,
         * and a bare "localhost" or "invalid" too */
        const char *from = dot ? dot : NULL;
        while (from && from > host && from[-1] != '.')
            from--;
        if (from == NULL && i != 2 && i != 3)
            break;
        const char *r = from ? from : host;
        if (strlen(r) >= cap)
            return -1;
        memcpy(out, r, strlen(r) + 1);
        return 0;
    }
    return mr_psl_registrable(ctx, private_too, host, out, cap);
}

typedef struct chain_buf {
    mr_obs_response r[MR_WEB_REDIRECTS_MAX + 1];
    mr_obs_header h[MR_WEB_REDIRECTS_MAX + 1][MR_WEB_HEADERS_MAX];
} chain_buf;

typedef struct grade_work {
    chain_buf http, https;
    mr_obs_header cors[MR_WEB_HEADERS_MAX];
    char host[MR_OBS_HOST_MAX];
} grade_work;

static void headers_of(const mr_web_header *in, size_t n, mr_obs_header *out)
{
    for (size_t i = 0; i < n && i < MR_WEB_HEADERS_MAX; i++)
        out[i] = (mr_obs_header){in[i].name, in[i].value};
}

/* Each redirect with its headers, then the final answer. */
static size_t chain_of(const mr_web_response *w, chain_buf *c)
{
    size_t n = 0;
    for (size_t i = 0; i < w->nhops && n < MR_WEB_REDIRECTS_MAX; i++, n++) {
        size_t nh = MR_MIN(w->hops[i].nheaders, (size_t)MR_WEB_HEADERS_MAX);
        headers_of(w->hops[i].headers, nh, c->h[n]);
        c->r[n] = (mr_obs_response){w->hops[i].url, (int)w->hops[i].status,
                                    c->h[n], nh};
    }
    headers_of(w->headers, w->nheaders, c->h[n]);
    c->r[n] = (mr_obs_response){w->final_url, (int)w->status, c->h[n],
                                w->nheaders};
    return n + 1;
}

int mr_web_obs_grade(const mr_web_site *s,
                     bool (*preloaded)(void *, const char *),
                     int (*org_domain)(void *, const char *, bool, char *,
                                       size_t),
                     void *ctx, mr_obs_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    if (!s->fetched || s->resp.final_url == NULL || s->resp.status == 0)
        return MR_OBS_EINVAL;
    grade_work *w = malloc(sizeof(*w));
    if (w == NULL)
        return MR_OBS_ENOMEM;
    int https = strcmp(s->scheme, "https") == 0;
    const mr_web_response *hr = https ? (s->other_fetched ? &s->other : NULL) : &s->resp;
    const mr_web_response *sr = https ? &s->resp : (s->other_fetched ? &s->other : NULL);
    int hu = https ? s->other_unverified : s->resp_unverified;
    int su = https ? s->resp_unverified : s->other_unverified;
    /* the host as a URL names it: lower case, an IPv6 address bracketed */
    size_t n = strlen(s->host), k = 0;
    if (n + 3 > sizeof(w->host)) {
        free(w);
        return MR_OBS_EINVAL;
    }
    if (strchr(s->host, ':'))
        w->host[k++] = '[';
    for (size_t i = 0; i < n; i++) {
        char c = s->host[i];
        w->host[k++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    if (strchr(s->host, ':'))
        w->host[k++] = ']';
    w->host[k] = '\0';
    int unverified;
    const mr_web_response *a = auto_chain(s, &unverified);
    mr_obs_input in = {
        .host = w->host,
        .http = hr ? w->http.r : NULL,
        .n_http = hr ? chain_of(hr, &w->http) : 0,
        .http_verified = !hu,
        .https = sr ? w->https.r : NULL,
        .n_https = sr ? chain_of(sr, &w->https) : 0,
        .https_verified = !su,
        .body = a->body,
        .body_len = a->body_len,
        .preloaded = preloaded,
        .org_domain = org_domain,
        .ctx = ctx,
    };
    if (s->cors_fetched) {
        headers_of(s->cors.headers, s->cors.nheaders, w->cors);
        in.cors_headers = w->cors;
        in.n_cors = s->cors.nheaders;
    }
    int e = mr_obs_grade(&in, rep);
    free(w);
    return e;
}
