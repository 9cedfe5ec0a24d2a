/*
 * web.c — `mamori web` (web.h): for each site, the response (fetch.h),
 * the TLS probe and its judgement (tls.h, tlsgrade.h), the exposed files
 * (exposure.h), each turned into findings here; and the summary, one row
 * per site. The nginx/Apache configuration review is conf.c's.
 *
 * The seam to the header grader: once lib/web/observatory.h is merged,
 * grade_headers() below hands it the final response (URL, redirect
 * chain, headers, body) and fills headers_score and headers_grade, which
 * stay null (MAMORI_CELL_NULL) until then.
 */
#include "common.h"

#include <strings.h>

#include <curl/curl.h>

#include "mamori/web.h"
#include "check_ids.h"
#include "web/catalogue.h"
#include "web/conf.h"
#include "web/exposure.h"
#include "web/fetch.h"
#include "web/tls.h"
#include "web/tlsgrade.h"

#define WEB_HOST_MAX 256       /* a host name or address literal */
#define WEB_EVIDENCE_MAX 1024
#define WEB_LIST_MAX 64        /* items of a list field */
#define WEB_ITEM_MAX 96        /* bytes of one item */
#define WEB_CAPS_MAX 512       /* the grade's reasons, joined */

typedef struct web_row {
    char *url;
    char tls_grade[3];         /* "" without TLS */
    char tls_grade_if_trusted[3];
    int tls_score;
    char tls_caps[WEB_CAPS_MAX]; /* why the grade is capped, "; "-joined */
    int64_t headers_score;     /* MAMORI_CELL_NULL until graded */
    char headers_grade[4];     /* "" until graded */
    uint64_t findings;
} web_row;

struct mamori_web {
    const mamori_ctx *ctx;
    char *ca_file;
    unsigned timeout_ms;
    int no_tls, no_exposure;
    mr_web_catalogue cat;
    mr_web_mozilla moz;
    mamori_err first_error;
    web_row *rows;
    size_t nrows;
    uint64_t unreachable, findings, handshakes, config_findings;
};

typedef struct site {
    mamori_web *w;
    const mamori_sink *sink;
    const char *url;
    web_row *row;
    char scheme[8];
    char host[WEB_HOST_MAX];   /* without IPv6 brackets */
    unsigned port;
    int stopped;
} site;

/* A list field built from strings of our own. */
typedef struct web_list {
    char items[WEB_LIST_MAX][WEB_ITEM_MAX];
    const char *ptrs[WEB_LIST_MAX];
    size_t n;
    uint64_t more;
} web_list;

static void list_add(web_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void list_add(web_list *l, const char *fmt, ...)
{
    va_list ap;
    if (l->n >= WEB_LIST_MAX) {
        l->more++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(l->items[l->n], WEB_ITEM_MAX, fmt, ap);
    va_end(ap);
    l->ptrs[l->n] = l->items[l->n];
    l->n++;
}

static void start(mamori_finding *f, const site *s, const char *check,
                  mamori_severity sev, const char *category,
                  const char *evidence)
{
    memset(f, 0, sizeof(*f));
    f->check = mamori_check_find(check);
    f->severity = (int)sev < 0 ? f->check->severity : sev;
    f->category = category;
    f->file = s->url;
    f->time = INT64_MIN;
    f->evidence = evidence;
    f->evidence_len = strlen(evidence);
    mamori_finding_str(f, "url", s->url, strlen(s->url));
}

static void emit(site *s, mamori_finding *f)
{
    if (s->stopped)
        return;
    s->w->findings++;
    s->row->findings++;
    if (s->sink->finding && s->sink->finding(s->sink->user, f) != 0)
        s->stopped = 1;
}

#define SEV_DEFAULT ((mamori_severity)-1)

static void one(site *s, const char *check, mamori_severity sev,
                const char *category, const char *evidence)
{
    mamori_finding f;
    start(&f, s, check, sev, category, evidence);
    emit(s, &f);
}

static void with_list(site *s, const char *check, mamori_severity sev,
                      const char *category, const char *evidence,
                      const char *name, const web_list *l)
{
    mamori_finding f;
    start(&f, s, check, sev, category, evidence);
    mamori_finding_list(&f, name, l->ptrs, l->n, l->more);
    emit(s, &f);
}

/* Splits the URL with libcurl's parser: http or https, host, port. */
static int parse_url(site *s, char *why, size_t cap)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    int rc = -1;
    if (u == NULL) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    if (curl_url_set(u, CURLUPART_URL, s->url, CURLU_DEFAULT_SCHEME) ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
        snprintf(why, cap, "not a URL");
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        snprintf(why, cap, "not an http or https URL");
        goto out;
    }
    size_t hl = strlen(host);
    const char *h = host;
    if (hl >= 2 && host[0] == '[') {
        h = host + 1;
        hl -= 2;
    }
    char *end = NULL;
    unsigned long p = strtoul(port, &end, 10);
    if (hl == 0 || hl >= sizeof(s->host) || *end || p == 0 || p > 65535) {
        snprintf(why, cap, "bad host or port");
        goto out;
    }
    memcpy(s->host, h, hl);
    s->host[hl] = '\0';
    s->port = (unsigned)p;
    snprintf(s->scheme, sizeof(s->scheme), "%s", scheme);
    rc = 0;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

/* scheme://host[:port] of url (the final one), for the exposure probes. */
static int origin_of(const char *url, char *out, size_t cap)
{
    CURLU *u = curl_url();
    char *o = NULL;
    int rc = -1;
    if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_DEFAULT_SCHEME) == 0 &&
        curl_url_set(u, CURLUPART_PATH, "", 0) == 0 &&
        curl_url_set(u, CURLUPART_QUERY, NULL, 0) == 0 &&
        curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == 0 &&
        curl_url_get(u, CURLUPART_URL, &o, 0) == 0) {
        size_t n = strlen(o);
        while (n > 0 && o[n - 1] == '/')
            n--;
        if (n < cap) {
            memcpy(out, o, n);
            out[n] = '\0';
            rc = 0;
        }
    }
    curl_free(o);
    curl_url_cleanup(u);
    return rc;
}

static long long hsts_max_age(const mr_web_response *r)
{
    const char *v = r ? mr_web_header_get(r, "Strict-Transport-Security")
                      : NULL;
    const char *m = v ? strcasestr(v, "max-age=") : NULL;
    if (m == NULL)
        return -1;
    m += 8;
    if (*m == '"')
        m++;
    if (*m < '0' || *m > '9')
        return -1;
    return strtoll(m, NULL, 10);
}

/* The seam (see the top of the file): until the Observatory grader is
 * merged, headers are not graded and the row keeps nulls. */
static void grade_headers(site *s, const mr_web_response *r)
{
    (void)r;
    s->row->headers_score = MAMORI_CELL_NULL;
    s->row->headers_grade[0] = '\0';
}

static void tls_findings(site *s, const mr_tls_result *t,
                         const mr_tls_grade *g)
{
    mamori_web *w = s->w;
    char ev[WEB_EVIDENCE_MAX];
    web_list l;

    memset(&l, 0, sizeof(l));
    for (int v = MR_TLS_SSL3; v <= MR_TLS_1_1; v++)
        if (t->proto[v] == MR_TLS_ACCEPTED)
            list_add(&l, "%s", mr_tls_version_names[v]);
    if (l.n) {
        snprintf(ev, sizeof(ev), "accepts %s%s%s%s%s", l.items[0],
                 l.n > 1 ? ", " : "", l.n > 1 ? l.items[1] : "",
                 l.n > 2 ? ", " : "", l.n > 2 ? l.items[2] : "");
        with_list(s, MR_CHECK_WEB_TLS_PROTOCOL_OBSOLETE,
                  t->proto[MR_TLS_SSL3] == MR_TLS_ACCEPTED
                      ? MAMORI_SEV_CRITICAL : SEV_DEFAULT,
                  "tls", ev, "protocols", &l);
    }
    memset(&l, 0, sizeof(l));
    int fs_any = 0, aead_any = 0, best = -1;
    web_list nofs;
    memset(&nofs, 0, sizeof(nofs));
    for (int v = 0; v < MR_TLS_NVERSIONS; v++)
        for (size_t i = 0; i < t->nsuites[v]; i++) {
            const mr_tls_suite *su = &t->suites[v][i];
            best = v;
            if (mr_tls_suite_weak(su))
                list_add(&l, "%s %s", mr_tls_version_names[v], su->name);
            if (!su->fs)
                list_add(&nofs, "%s %s", mr_tls_version_names[v], su->name);
            fs_any |= su->fs && v == best;
            aead_any |= su->aead;
        }
    if (l.n) {
        snprintf(ev, sizeof(ev), "accepts %s", l.items[0]);
        with_list(s, MR_CHECK_WEB_TLS_WEAK_CIPHER, SEV_DEFAULT, "tls", ev,
                  "suites", &l);
    }
    int fs_best = 0;
    for (size_t i = 0; best >= 0 && i < t->nsuites[best]; i++)
        fs_best |= t->suites[best][i].fs;
    if (nofs.n) {
        snprintf(ev, sizeof(ev), "%s without forward secrecy (%s)",
                 fs_best ? "some suites" : "every suite of the best protocol",
                 nofs.items[0]);
        with_list(s, MR_CHECK_WEB_TLS_NO_FORWARD_SECRECY,
                  fs_best ? MAMORI_SEV_LOW : SEV_DEFAULT, "tls", ev, "suites",
                  &nofs);
    }
    if (!aead_any && best >= 0)
        one(s, MR_CHECK_WEB_TLS_NO_AEAD, SEV_DEFAULT, "tls",
            "no AES-GCM, ChaCha20-Poly1305 or CCM suite accepted");

    const mr_tls_cert *c = &t->cert;
    if (c->present) {
        mamori_finding f;
        int expired = c->days_left < 0 || c->not_yet_valid;
        if (!c->verified && !(expired && strstr(c->verify_error, "expired")) &&
            !(c->not_yet_valid && strstr(c->verify_error, "not yet valid"))) {
            snprintf(ev, sizeof(ev), "%s%s (issuer %s)", c->verify_error,
                     c->self_signed && !strstr(c->verify_error, "self")
                         ? ", self-signed" : "", c->issuer);
            start(&f, s, MR_CHECK_WEB_TLS_CERT_UNTRUSTED, SEV_DEFAULT, "certificate", ev);
            mamori_finding_str(&f, "issuer", c->issuer, strlen(c->issuer));
            emit(s, &f);
        }
        if (expired) {
            snprintf(ev, sizeof(ev), c->not_yet_valid
                     ? "not valid yet" : "expired %lld days ago",
                     (long long)-c->days_left);
            start(&f, s, MR_CHECK_WEB_TLS_CERT_EXPIRED, SEV_DEFAULT, "certificate", ev);
            mamori_finding_int(&f, "days_left", c->days_left);
            emit(s, &f);
        } else if (c->days_left <= 60) {
            snprintf(ev, sizeof(ev), "expires in %lld days",
                     (long long)c->days_left);
            start(&f, s, MR_CHECK_WEB_TLS_CERT_EXPIRING,
                  c->days_left <= 30 ? MAMORI_SEV_MEDIUM : MAMORI_SEV_LOW,
                  "certificate", ev);
            mamori_finding_int(&f, "days_left", c->days_left);
            emit(s, &f);
        }
        if (!c->name_match) {
            snprintf(ev, sizeof(ev), "%s is not among the certificate's "
                     "names (subject %s)", s->host, c->subject);
            one(s, MR_CHECK_WEB_TLS_CERT_NAME_MISMATCH, SEV_DEFAULT,
                "certificate", ev);
        }
        int weak_key = (strcmp(c->key_type, "RSA") == 0 ||
                        strcmp(c->key_type, "DSA") == 0)
                           ? c->key_bits < 2048
                       : strcmp(c->key_type, "EC") == 0 ? c->key_bits < 224
                                                        : 0;
        if (weak_key) {
            snprintf(ev, sizeof(ev), "%s %d bits", c->key_type, c->key_bits);
            start(&f, s, MR_CHECK_WEB_TLS_CERT_WEAK_KEY, SEV_DEFAULT, "certificate", ev);
            mamori_finding_int(&f, "key_bits", c->key_bits);
            emit(s, &f);
        }
        if (c->sig_weak) {
            snprintf(ev, sizeof(ev), "signed with %s", c->sig_alg);
            one(s, MR_CHECK_WEB_TLS_CERT_WEAK_SIGNATURE, SEV_DEFAULT,
                "certificate", ev);
        }
        if (w->moz.ocsp_stapling && c->verified && !c->ocsp_stapled)
            one(s, MR_CHECK_WEB_TLS_NO_OCSP_STAPLING, SEV_DEFAULT, "tls",
                "no OCSP response stapled to the handshake");
    }
    mr_tls_diffs d;
    mr_tls_mozilla_diff(t, &w->moz, &d);
    if (d.n) {
        memset(&l, 0, sizeof(l));
        for (size_t i = 0; i < d.n; i++)
            list_add(&l, "%s", d.v[i]);
        l.more += d.more;
        snprintf(ev, sizeof(ev), "%zu difference%s to Mozilla's intermediate "
                 "configuration %s: %s", d.n + d.more,
                 d.n + d.more == 1 ? "" : "s", w->moz.version, d.v[0]);
        mamori_finding f;
        start(&f, s, MR_CHECK_WEB_TLS_MOZILLA_INTERMEDIATE, SEV_DEFAULT,
              "tls", ev);
        mamori_finding_list(&f, "differences", l.ptrs, l.n, l.more);
        mamori_finding_str(&f, "grade", g->grade, strlen(g->grade));
        emit(s, &f);
    }
}

static void probe_tls(site *s, const mr_web_response *r, int64_t deadline)
{
    mamori_web *w = s->w;
    mr_tls_result *t = calloc(1, sizeof(*t));
    char err[256];
    if (t == NULL) {
        w->first_error = w->first_error ? w->first_error : MAMORI_E_NOMEM;
        return;
    }
    if (mr_tls_probe(s->host, s->port, w->ca_file, deadline, t, err,
                     sizeof(err)) != 0) {
        mamori_diagf(w->ctx, MAMORI_DIAG_ERROR, s->url, 0, "TLS: %s", err);
        one(s, MR_CHECK_WEB_SITE_UNREACHABLE, SEV_DEFAULT, "tls", err);
        free(t);
        return;
    }
    w->handshakes += t->handshakes;
    mr_tls_grade g;
    mr_tls_grade_of(t, hsts_max_age(r), &g);
    memcpy(s->row->tls_grade, g.grade, sizeof(g.grade));
    memcpy(s->row->tls_grade_if_trusted, g.grade_if_trusted,
           sizeof(g.grade_if_trusted));
    s->row->tls_score = g.score;
    size_t used = 0;
    for (size_t i = 0; i < g.nreasons; i++) {
        int k = snprintf(s->row->tls_caps + used, sizeof(s->row->tls_caps) - used,
                         "%s%s", i ? "; " : "", g.reasons[i]);
        if (k < 0 || (size_t)k >= sizeof(s->row->tls_caps) - used)
            break;
        used += (size_t)k;
    }
    tls_findings(s, t, &g);
    free(t);
}

static int on_hit(void *user, const mr_web_hit *h)
{
    site *s = user;
    char ev[WEB_EVIDENCE_MAX];
    mamori_finding f;
    snprintf(ev, sizeof(ev), "%s answered %ld: %s", h->url, h->status,
             h->evidence);
    start(&f, s, h->probe->check, SEV_DEFAULT, "exposure", ev);
    mamori_finding_str(&f, "path", h->probe->path, strlen(h->probe->path));
    mamori_finding_int(&f, "status", h->status);
    emit(s, &f);
    return s->stopped;
}

static void disclosure(site *s, const mr_web_response *r)
{
    static const char *const names[] = {"Server", "X-Powered-By",
                                        "X-AspNet-Version"};
    char tok[WEB_ITEM_MAX], ev[WEB_EVIDENCE_MAX];
    for (size_t i = 0; i < MR_ARRAY_LEN(names); i++)
        for (size_t h = 0; h < r->nheaders; h++) {
            if (strcasecmp(r->headers[h].name, names[i]) != 0 ||
                !mr_web_version_token(r->headers[h].value, tok, sizeof(tok)))
                continue;
            mamori_finding f;
            snprintf(ev, sizeof(ev), "%s: %s", names[i], r->headers[h].value);
            start(&f, s, MR_CHECK_WEB_VERSION_DISCLOSURE, SEV_DEFAULT,
                  "exposure", ev);
            mamori_finding_str(&f, "header", names[i], strlen(names[i]));
            mamori_finding_str(&f, "product", tok, strlen(tok));
            emit(s, &f);
            break;
        }
}

static int row_new(mamori_web *w, const char *url, web_row **out)
{
    web_row *rows = realloc(w->rows, (w->nrows + 1) * sizeof(*rows));
    if (rows == NULL)
        return -1;
    w->rows = rows;
    web_row *r = &rows[w->nrows];
    memset(r, 0, sizeof(*r));
    r->headers_score = MAMORI_CELL_NULL;
    if ((r->url = strdup(url)) == NULL)
        return -1;
    w->nrows++;
    *out = r;
    return 0;
}

static void check_site(mamori_web *w, const char *url, const mamori_sink *sink,
                       int *stopped)
{
    site s;
    char why[256], origin[MR_WEB_URL_MAX];
    mr_web_response r;
    memset(&s, 0, sizeof(s));
    memset(&r, 0, sizeof(r));
    s.w = w;
    s.sink = sink;
    s.url = url;
    if (row_new(w, url, &s.row) != 0) {
        w->first_error = MAMORI_E_NOMEM;
        *stopped = 1;
        return;
    }
    if (parse_url(&s, why, sizeof(why)) != 0) {
        mamori_diagf(w->ctx, MAMORI_DIAG_ERROR, url, 0, "%s", why);
        w->unreachable++;
        if (!w->first_error)
            w->first_error = MAMORI_E_INVAL;
        return;
    }
    int64_t deadline = mr_web_now_ms() + w->timeout_ms;
    mr_web_fetcher *f = mr_web_fetcher_new(deadline);
    if (f == NULL) {
        w->first_error = MAMORI_E_NOMEM;
        *stopped = 1;
        return;
    }
    if (mr_web_fetch(f, url, 1, MR_WEB_BODY_MAX, &r) != 0) {
        mamori_diagf(w->ctx, MAMORI_DIAG_ERROR, url, 0, "%s", r.error);
        w->unreachable++;
        one(&s, MR_CHECK_WEB_SITE_UNREACHABLE, SEV_DEFAULT, "site", r.error);
        goto out;
    }
    grade_headers(&s, &r);
    /* TLS where the site ends up: an http:// URL redirected to https://
     * is judged on the https side */
    if (!w->no_tls && strncmp(r.final_url, "https://", 8) == 0) {
        site t = s;
        t.url = r.final_url;
        if (strcmp(s.scheme, "https") != 0 &&
            parse_url(&t, why, sizeof(why)) != 0)
            t = s;
        t.url = url;
        probe_tls(&t, &r, deadline);
        s.stopped = t.stopped;
    }
    disclosure(&s, &r);
    if (!w->no_exposure && !s.stopped &&
        origin_of(r.final_url, origin, sizeof(origin)) == 0) {
        int rc = mr_web_exposure(f, origin, &w->cat, on_hit, &s, why,
                                 sizeof(why));
        if (rc == -1) {
            mamori_diagf(w->ctx, MAMORI_DIAG_ERROR, url, 0,
                         "exposed files: %s", why);
            one(&s, MR_CHECK_WEB_SITE_UNREACHABLE, SEV_DEFAULT, "exposure",
                why);
        }
    }
out:
    if (s.stopped)
        *stopped = 1;
    mr_web_response_free(&r);
    mr_web_fetcher_free(f);
}

mamori_err mamori_web_new(const mamori_ctx *ctx, const mamori_web_opts *opts,
                          mamori_web **out)
{
    size_t bad = 0;
    *out = NULL;
    mamori_web *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return MAMORI_E_NOMEM;
    w->ctx = ctx;
    w->timeout_ms = MAMORI_WEB_TIMEOUT_DEFAULT_MS;
    if (opts) {
        if (opts->timeout_ms)
            w->timeout_ms = opts->timeout_ms;
        w->no_tls = opts->no_tls;
        w->no_exposure = opts->no_exposure;
        if (opts->ca_file) {
            FILE *fp = fopen(opts->ca_file, "re");
            if (fp == NULL) {
                mamori_diagf(ctx, MAMORI_DIAG_ERROR, opts->ca_file, 0,
                             "cannot read the CA file: %s", strerror(errno));
                free(w);
                return MAMORI_E_INVAL;
            }
            fclose(fp);
            if ((w->ca_file = strdup(opts->ca_file)) == NULL) {
                free(w);
                return MAMORI_E_NOMEM;
            }
        }
    }
    if (mr_web_catalogue_parse(mr_webdata_exposed, mr_webdata_exposed_len,
                               &w->cat, &bad) != 0 ||
        mr_web_mozilla_parse(mr_webdata_mozilla_intermediate,
                             mr_webdata_mozilla_intermediate_len, &w->moz,
                             &bad) != 0) {
        mamori_web_free(w);
        return MAMORI_E_INTERNAL;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    *out = w;
    return MAMORI_OK;
}

mamori_err mamori_web_check(mamori_web *w, const char *const *urls, size_t n,
                            const mamori_sink *sink)
{
    int stopped = 0;
    for (size_t i = 0; i < n && !stopped; i++) {
        if (w->nrows >= MAMORI_WEB_SITES_MAX) {
            mamori_diagf(w->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "more than %d sites: the rest is not checked",
                         MAMORI_WEB_SITES_MAX);
            return MAMORI_E_TOO_LARGE;
        }
        check_site(w, urls[i], sink, &stopped);
        if (w->ctx && w->ctx->progress)
            w->ctx->progress(w->ctx->progress_user, "sites", i + 1, n);
    }
    if (stopped && w->first_error == MAMORI_E_NOMEM)
        return MAMORI_E_NOMEM;
    return stopped ? MAMORI_E_ABORTED : MAMORI_OK;
}

static int conf_emit(void *user, const mr_web_conf_hit *h)
{
    struct { mamori_web *w; const mamori_sink *sink; } *u = user;
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(h->check);
    f.severity = f.check->severity;
    f.category = "config";
    f.file = h->file;
    f.line = h->line;
    f.time = INT64_MIN;
    f.evidence = h->evidence;
    f.evidence_len = strlen(h->evidence);
    mamori_finding_str(&f, "server", h->server, strlen(h->server));
    mamori_finding_str(&f, "directive", h->directive, strlen(h->directive));
    mamori_finding_str(&f, "fix", h->fix, strlen(h->fix));
    u->w->findings++;
    u->w->config_findings++;
    return u->sink->finding ? u->sink->finding(u->sink->user, &f) : 0;
}

mamori_err mamori_web_config(mamori_web *w, const mamori_sysroot *sr,
                             const mamori_sink *sink)
{
    struct { mamori_web *w; const mamori_sink *sink; } u = {w, sink};
    return mr_web_conf_review(w->ctx, sr, conf_emit, &u);
}

mamori_err mamori_web_finish(mamori_web *w, const mamori_sink *sink)
{
    static const char *const cols[] = {"url", "tls_grade", "tls_score",
                                       "tls_grade_if_trusted", "tls_caps",
                                       "headers_score", "headers_grade",
                                       "findings"};
    mamori_summary *s = mamori_summary_new("web");
    mamori_err e = s ? MAMORI_OK : MAMORI_E_NOMEM;
    if (!e)
        e = mamori_summary_counter(s, "sites", "sites checked",
                                   "検査したサイト", (int64_t)w->nrows);
    if (!e)
        e = mamori_summary_counter(s, "unreachable", "sites not reached",
                                   "接続できなかったサイト",
                                   (int64_t)w->unreachable);
    if (!e)
        e = mamori_summary_counter(s, "handshakes", "TLS handshakes made",
                                   "TLSハンドシェイク数",
                                   (int64_t)w->handshakes);
    if (!e)
        e = mamori_summary_counter(s, "findings", "findings", "検出数",
                                   (int64_t)w->findings);
    if (!e && w->nrows)
        e = mamori_summary_table(s, "sites", "Sites", "サイト",
                                 MR_ARRAY_LEN(cols), cols);
    for (size_t i = 0; !e && i < w->nrows; i++) {
        const web_row *r = &w->rows[i];
        int tls = r->tls_grade[0] != '\0';
        mamori_cell c[MR_ARRAY_LEN(cols)] = {
            {r->url, 0},
            {tls ? r->tls_grade : NULL, MAMORI_CELL_NULL},
            {NULL, tls ? r->tls_score : MAMORI_CELL_NULL},
            {tls ? r->tls_grade_if_trusted : NULL, MAMORI_CELL_NULL},
            {tls ? r->tls_caps : NULL, MAMORI_CELL_NULL},
            {NULL, r->headers_score},
            {r->headers_grade[0] ? r->headers_grade : NULL, MAMORI_CELL_NULL},
            {NULL, (int64_t)r->findings},
        };
        e = mamori_summary_row(s, c);
    }
    if (e) {
        mamori_summary_free(s);
        return e;
    }
    if (sink->summary && sink->summary(sink->user, s) != 0)
        return MAMORI_E_ABORTED;
    if (!sink->summary)
        mamori_summary_free(s);
    return w->first_error;
}

void mamori_web_free(mamori_web *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; i < w->nrows; i++)
        free(w->rows[i].url);
    free(w->rows);
    free(w->ca_file);
    free(w);
}
