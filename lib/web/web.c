/*
 * web.c — `mamori web` (web.h): the run. Sites are probed by a pool of
 * workers (opts.concurrency; sites of one host and port one at a time,
 * site.c) and come back in the order given, when the caller reports each
 * (findings.c) and keeps its summary row. The nginx/Apache configuration
 * review is conf.c's; this file hands its weaknesses to the sink.
 */
#include "common.h"

#include <time.h>

#include "mamori/web.h"
#include "util/pool.h"
#include "dns/psl.h"
#include "io/curl_syms.h"
#include "web/catalogue.h"
#include "web/conf.h"
#include "web/findings.h"
#include "web/recheck.h"
#include "web/site.h"

struct mamori_web {
    const mamori_ctx *ctx;
    char *ca_file;
    unsigned timeout_ms, concurrency;
    int no_tls, no_exposure;
    unsigned http_port, https_port;
    mr_web_catalogue cat;
    mr_web_catalogue *recheck;  /* opts.from_logscan's and opts.served's paths, or NULL */
    mr_web_mozilla moz;
    mr_psl *psl;               /* NULL: Debian's publicsuffix is missing */
    mamori_err first_error;
    mr_web_row *rows;
    size_t nrows;
    uint64_t unreachable, findings, handshakes;
};

static mamori_err run_site(void *job, unsigned worker, void *user)
{
    (void)worker;
    mr_web_site_probe(job, user);
    return MAMORI_OK;
}

static int row_new(mamori_web *w, const char *url, mr_web_row **out)
{
    mr_web_row *rows = realloc(w->rows, (w->nrows + 1) * sizeof(*rows));
    if (rows == NULL)
        return -1;
    w->rows = rows;
    mr_web_row *r = &rows[w->nrows];
    memset(r, 0, sizeof(*r));
    r->headers_score = MAMORI_CELL_NULL;
    if ((r->url = strdup(url)) == NULL)
        return -1;
    w->nrows++;
    *out = r;
    return 0;
}

/* Takes the oldest site back from the pool and reports it. */
static void report_next(mamori_web *w, mr_pool *pool, mr_web_report *rp)
{
    mamori_err st;
    mr_web_site *s = mr_pool_next(pool, &st);
    mr_web_row *row = NULL;
    if (s == NULL)
        return;
    if (st == MAMORI_OK && !rp->stopped) {
        if (row_new(w, s->url, &row) != 0) {
            w->first_error = MAMORI_E_NOMEM;
            rp->stopped = 1;
        } else {
            mr_web_report_site(rp, s, row);
            if (s->nomem && !w->first_error)
                w->first_error = MAMORI_E_NOMEM;
        }
    }
    mr_web_site_clear(s);
    free(s);
    if (w->ctx && w->ctx->progress)
        w->ctx->progress(w->ctx->progress_user, "sites", w->nrows, 0);
}

mamori_err mamori_web_check(mamori_web *w, const char *const *urls, size_t n,
                            const mamori_sink *sink)
{
    mr_web_hosts hosts;
    mr_web_cfg cfg = {w->ca_file, w->timeout_ms, w->no_tls, w->no_exposure,
                      w->http_port, w->https_port, &w->cat, w->recheck,
                      &hosts};
    mr_web_report rp = {w->ctx, sink, &w->moz, w->psl, 0, 0, 0, 0,
                        (int64_t)time(NULL)};
    mr_pool *pool = NULL;
    if (w->nrows + n > MAMORI_WEB_SITES_MAX) {
        mamori_diagf(w->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "more than %d sites in one run", MAMORI_WEB_SITES_MAX);
        return MAMORI_E_TOO_LARGE;
    }
    if (mr_web_hosts_init(&hosts) != 0)
        return MAMORI_E_NOMEM;
    mr_pool_opts po = {w->concurrency, w->concurrency * 2, 0, 0, run_site,
                       &cfg};
    mamori_err e = mr_pool_new(&po, &pool);
    for (size_t i = 0; e == MAMORI_OK && i < n && !rp.stopped; i++) {
        mr_web_site *s = calloc(1, sizeof(*s));
        if (s == NULL) {
            e = MAMORI_E_NOMEM;
            break;
        }
        s->url = urls[i];
        while (mr_pool_full(pool))
            report_next(w, pool, &rp);
        if ((e = mr_pool_submit(pool, s)) != MAMORI_OK)
            free(s);
    }
    if (rp.stopped || e)
        mr_pool_cancel(pool);
    while (pool && mr_pool_pending(pool) > 0)
        report_next(w, pool, &rp);
    mr_pool_free(pool);
    mr_web_hosts_destroy(&hosts);
    w->findings += rp.findings;
    w->handshakes += rp.handshakes;
    w->unreachable += rp.unreachable;
    if (e)
        return e;
    if (rp.stopped)
        return w->first_error == MAMORI_E_NOMEM ? MAMORI_E_NOMEM
                                                : MAMORI_E_ABORTED;
    return MAMORI_OK;
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
    w->concurrency = MAMORI_WEB_CONCURRENCY_DEFAULT;
    if (opts) {
        if (opts->timeout_ms)
            w->timeout_ms = opts->timeout_ms;
        if (opts->concurrency)
            w->concurrency = opts->concurrency;
        w->no_tls = opts->no_tls;
        w->no_exposure = opts->no_exposure;
        w->http_port = opts->http_port;
        w->https_port = opts->https_port;
        if (opts->http_port > 65535 || opts->https_port > 65535) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "a port above 65535");
            free(w);
            return MAMORI_E_INVAL;
        }
        if (w->concurrency > MAMORI_WEB_CONCURRENCY_MAX) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "concurrency %u: at most %d", w->concurrency,
                         MAMORI_WEB_CONCURRENCY_MAX);
            free(w);
            return MAMORI_E_INVAL;
        }
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
    if (opts && opts->from_logscan) {
        uint64_t bad_lines, dropped;
        mamori_err e;
        if ((w->recheck = malloc(sizeof(*w->recheck))) == NULL) {
            mamori_web_free(w);
            return MAMORI_E_NOMEM;
        }
        e = mr_web_recheck_read(opts->from_logscan, &w->cat, w->recheck,
                                &bad_lines, &dropped);
        if (e) {
            if (e == MAMORI_E_IO)
                mamori_diagf(ctx, MAMORI_DIAG_ERROR, opts->from_logscan, 0,
                             "cannot read the logscan report: %s",
                             strerror(errno));
            mamori_web_free(w);
            return e == MAMORI_E_IO ? MAMORI_E_INVAL : e;
        }
        if (bad_lines)
            mamori_diagf(ctx, MAMORI_DIAG_WARN, opts->from_logscan, 0,
                         "%llu lines are not JSON: not a logscan --format "
                         "json report?", (unsigned long long)bad_lines);
        if (dropped)
            mamori_diagf(ctx, MAMORI_DIAG_WARN, opts->from_logscan, 0,
                         "%llu served paths not asked again (more than %d, "
                         "or too long)", (unsigned long long)dropped,
                         MR_WEB_PROBES_MAX);
    }
    if (opts && opts->nserved > 0) {
        uint64_t dropped = 0;
        if (!w->recheck && (w->recheck = calloc(1, sizeof(*w->recheck))) == NULL) {
            mamori_web_free(w);
            return MAMORI_E_NOMEM;
        }
        for (size_t i = 0; i < opts->nserved; i++)
            if (opts->served[i])
                mr_web_recheck_request(opts->served[i], &w->cat, w->recheck, &dropped);
        if (dropped)
            mamori_diagf(ctx, MAMORI_DIAG_WARN, NULL, 0,
                         "web: %llu served paths not asked again (more than %d, "
                         "or too long)", (unsigned long long)dropped, MR_WEB_PROBES_MAX);
    }
    w->psl = mr_psl_load(NULL);
    char why[MR_DLIB_WHY_MAX];
    if (mr_curl_load(why, sizeof(why)) != 0) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "web: %s", why);
        mamori_web_free(w);
        return MAMORI_E_IO;
    }
    /* once per process in practice; libcurl counts the calls */
    if (mr_sym_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        mamori_web_free(w);
        return MAMORI_E_NOMEM;
    }
    *out = w;
    return MAMORI_OK;
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
    return u->sink->finding ? u->sink->finding(u->sink->user, &f) : 0;
}

mamori_err mamori_web_config(mamori_web *w, const mamori_sysroot *sr,
                             const mamori_sink *sink)
{
    struct { mamori_web *w; const mamori_sink *sink; } u = {w, sink};
    return mr_web_conf_review(w->ctx, sr, conf_emit, &u);
}

/* The products and versions the sites' headers named, with their end
 * of upstream support (eol/eol.h), when any did. */
static mamori_err versions_table(const mamori_web *w, mamori_summary *s)
{
    static const char *const cols[] = {"url", "header", "product",
                                       "version", "eol", "supported"};
    size_t n = 0;
    for (size_t i = 0; i < w->nrows; i++)
        n += w->rows[i].nvers;
    if (!n)
        return MAMORI_OK;
    mamori_err e = mamori_summary_table(s, "versions", "Products and versions",
                                        "製品とバージョン", MR_ARRAY_LEN(cols),
                                        cols);
    for (size_t i = 0; !e && i < w->nrows; i++)
        for (size_t k = 0; !e && k < w->rows[i].nvers; k++) {
            const mr_web_ver *v = &w->rows[i].vers[k];
            mamori_cell c[MR_ARRAY_LEN(cols)] = {
                {w->rows[i].url, 0},
                {v->header, 0},
                {v->product, 0},
                {v->version, 0},
                {v->eol, MAMORI_CELL_NULL},
                {NULL, v->supported},
            };
            e = mamori_summary_row(s, c);
        }
    return e;
}

mamori_err mamori_web_finish(mamori_web *w, const mamori_sink *sink)
{
    static const char *const cols[] = {"url", "tls_grade", "tls_score",
                                       "tls_grade_if_trusted", "tls_caps",
                                       "protocols",
                                       "headers_score", "headers_grade"};
    static const char *const pcols[] = {"url", "hsts_preload", "reasons"};
    _Static_assert(MR_ARRAY_LEN(cols) <= MAMORI_SUMMARY_COLS_MAX,
                   "a summary table has at most MAMORI_SUMMARY_COLS_MAX columns");
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
        const mr_web_row *r = &w->rows[i];
        int tls = r->tls_grade[0] != '\0';
        mamori_cell c[MR_ARRAY_LEN(cols)] = {
            {r->url, 0},
            {tls ? r->tls_grade : NULL, MAMORI_CELL_NULL},
            {NULL, tls ? r->tls_score : MAMORI_CELL_NULL},
            {tls ? r->tls_grade_if_trusted : NULL, MAMORI_CELL_NULL},
            {tls ? r->tls_caps : NULL, MAMORI_CELL_NULL},
            {tls ? r->protocols : NULL, MAMORI_CELL_NULL},
            {NULL, r->headers_score},
            {r->headers_grade[0] ? r->headers_grade : NULL, MAMORI_CELL_NULL},
        };
        e = mamori_summary_row(s, c);
    }
    /* HSTS preload eligibility: sites that answered over https */
    size_t npre = 0;
    for (size_t i = 0; i < w->nrows; i++)
        npre += w->rows[i].hsts_preload != NULL;
    if (!e && npre)
        e = mamori_summary_table(s, "hsts_preload",
                                 "HSTS preload eligibility (hstspreload.org)",
                                 "HSTSプリロードの要件（hstspreload.org）",
                                 MR_ARRAY_LEN(pcols), pcols);
    for (size_t i = 0; !e && i < w->nrows; i++) {
        const mr_web_row *r = &w->rows[i];
        if (r->hsts_preload == NULL)
            continue;
        mamori_cell c[MR_ARRAY_LEN(pcols)] = {
            {r->url, 0},
            {r->hsts_preload, 0},
            {r->preload_why, 0},
        };
        e = mamori_summary_row(s, c);
    }
    if (!e)
        e = versions_table(w, s);
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
    mr_psl_free(w->psl);
    free(w->recheck);
    free(w);
}
