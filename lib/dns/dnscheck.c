/*
 * dnscheck.c — the driver of `mamori dns` (mamori/dns.h): one domain's
 * checks in order, domains spread over worker threads, findings handed
 * to the sink in input order from the calling thread, and the summary.
 *
 * The domains go through util/pool.h's ordered queue: at most a window
 * of them are in the pool ahead of the one the caller is emitting, so
 * memory stays bounded (window x one mr_domain_result) however long the
 * list. With --concurrency N there are N-1 worker threads and the caller
 * checks domains too while it waits. Each thread owns a resolver (its own
 * libunbound context and cache) kept across calls; every domain gets its
 * own deadline on it.
 */
#include "common.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "dns/check.h"
#include "dns/spf.h"
#include "io/curl_syms.h"
#include "util/pool.h"

#define MR_DNS_ROWS_MAX 10000      /* summary rows, then only counted */
#define MR_DNS_INCOMPLETE_SHOWN 10 /* domains named as not fully checked */

struct mamori_dns {
    mr_dns_cfg cfg;
    char *strings;                 /* copies of opts' strings */
    unsigned workers;
    mr_ub *ub[MAMORI_DNS_CONCURRENCY_MAX];
    mamori_summary *summary;
    uint64_t domains, findings, failed, rows;
    uint64_t incomplete, incomplete_told;  /* domains with failed lookups */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
    if (mr_curl_load(NULL, 0) == 0) /* else each DoH query says why */
        mr_sym_curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool access_root_key(void)
{
    return access("/usr/share/dns/root.key", R_OK) == 0;
}

static char *keep(mamori_dns *d, size_t *used, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = d->strings + *used;
    memcpy(p, s, n);
    *used += n;
    return p;
}

static mamori_err start_summary(mamori_dns *d)
{
    static const char *const cols[] = {"domain", "spf", "dmarc", "dkim_keys",
                                       "mx", "mta_sts", "dnssec", "findings"};
    d->summary = mamori_summary_new("dns");
    if (d->summary == NULL ||
        mamori_summary_table(d->summary, "by_domain", "Domains checked",
                             "チェックしたドメイン", MR_ARRAY_LEN(cols),
                             cols) != MAMORI_OK)
        return MAMORI_E_NOMEM;
    return MAMORI_OK;
}

mamori_err mamori_dns_new(const mamori_ctx *ctx, const mamori_dns_opts *opts,
                          mamori_dns **out)
{
    mamori_dns_opts none = {0};
    size_t need = 0, used = 0;
    char err[MR_UB_ERROR_MAX];

    *out = NULL;
    if (opts == NULL)
        opts = &none;
    if (opts->n_dkim_selectors > MAMORI_DNS_SELECTORS_MAX) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "at most %d DKIM "
                     "selectors", MAMORI_DNS_SELECTORS_MAX);
        return MAMORI_E_INVAL;
    }
    const char *strs[] = {opts->resolver, opts->trust_anchor, opts->https_ca};
    for (size_t i = 0; i < MR_ARRAY_LEN(strs); i++)
        need += strs[i] ? strlen(strs[i]) + 1 : 0;
    for (size_t i = 0; i < opts->n_dkim_selectors; i++)
        need += strlen(opts->dkim_selectors[i]) + 1;
    mamori_dns *d = calloc(1, sizeof *d);
    if (d == NULL || (d->strings = malloc(need + 1)) == NULL) {
        free(d);
        return MAMORI_E_NOMEM;
    }
    pthread_once(&curl_once, curl_init);
    mr_dns_cfg *c = &d->cfg;
    c->ctx = ctx;
    c->ub.server = keep(d, &used, opts->resolver);
    c->ub.trust_anchor = keep(d, &used, opts->trust_anchor);
    c->ub.root_anchor = opts->resolver == NULL && opts->trust_anchor == NULL;
    c->validating = c->ub.trust_anchor != NULL ||
                    (c->ub.root_anchor && access_root_key());
    c->https_ca = keep(d, &used, opts->https_ca);
    c->https_port = opts->https_port;
    c->no_https = opts->no_https != 0;
    c->no_probe = opts->no_probe != 0;
    c->ns_port = opts->ns_port;
    c->smtp_port = opts->smtp_port;
    c->timeout_ms = opts->timeout_ms ? opts->timeout_ms
                                     : MAMORI_DNS_TIMEOUT_DEFAULT_MS;
    for (size_t i = 0; i < opts->n_dkim_selectors; i++)
        c->selectors[c->n_selectors++] = keep(d, &used,
                                              opts->dkim_selectors[i]);
    d->workers = opts->concurrency ? opts->concurrency
                                   : MAMORI_DNS_CONCURRENCY_DEFAULT;
    if (d->workers > MAMORI_DNS_CONCURRENCY_MAX)
        d->workers = MAMORI_DNS_CONCURRENCY_MAX;
    c->psl = mr_psl_load(NULL);
    if (c->psl == NULL)
        mamori_diagf(ctx, MAMORI_DIAG_WARN, NULL, 0, "cannot read %s "
                     "(package publicsuffix): organisational domains are "
                     "guessed as the last two labels", MR_PSL_PATH);
    /* The first resolver now, so that a bad address is an error here. */
    if (mr_ub_new(&c->ub, &d->ub[0], err, sizeof err) != 0) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "%s", err);
        mamori_dns_free(d);
        return MAMORI_E_INVAL;
    }
    if (start_summary(d) != MAMORI_OK) {
        mamori_dns_free(d);
        return MAMORI_E_NOMEM;
    }
    *out = d;
    return MAMORI_OK;
}

void mamori_dns_free(mamori_dns *d)
{
    if (d == NULL)
        return;
    for (unsigned i = 0; i < MAMORI_DNS_CONCURRENCY_MAX; i++)
        mr_ub_free(d->ub[i]);
    mr_psl_free(d->cfg.psl);
    mamori_summary_free(d->summary);
    free(d->strings);
    free(d);
}

/* Lower case, no final dot, LDH-or-underscore labels of 1..63 bytes. */
static bool normalize_domain(const char *in, char *out)
{
    size_t n = strlen(in), lab = 0;
    if (n > 0 && in[n - 1] == '.')
        n--;
    if (n == 0 || n > MR_DNS_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = in[i];
        if (ch == '.') {
            if (lab == 0)
                return false;
            lab = 0;
        } else if (((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
                   (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
            if (++lab > MR_DNS_LABEL_MAX)
                return false;
        } else {
            return false;
        }
        out[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch | 0x20) : ch;
    }
    out[n] = '\0';
    return lab > 0;
}

/* Sends the questions every domain's check asks, all at once (see
 * mr_ub_prefetch): the checks then find their answers waiting. */
static void prefetch_domain(mr_dcheck *dc)
{
    static const struct { const char *prefix; int type; } ask[] = {
        {"", MR_DNS_T_MX}, {"", MR_DNS_T_TXT}, {"_dmarc.", MR_DNS_T_TXT},
        {"_domainkey.", MR_DNS_T_TXT}, {"_mta-sts.", MR_DNS_T_TXT},
        {"_smtp._tls.", MR_DNS_T_TXT}, {"", MR_DNS_T_CAA},
        {"", MR_DNS_T_DNSKEY}, {"", MR_DNS_T_NS},
    };
    char name[MR_DNS_NAME_MAX + 16];
    for (size_t i = 0; i < MR_ARRAY_LEN(ask); i++) {
        snprintf(name, sizeof name, "%s%s", ask[i].prefix, dc->domain);
        if (strlen(name) <= MR_DNS_NAME_MAX)
            mr_ub_prefetch(dc->ub, name, ask[i].type);
    }
}

/* Runs every check of one domain into r (r->domain already set). */
static void check_domain(mr_dcheck *dc, mr_domain_result *r)
{
    int64_t t0 = mr_now_ms();
    uint64_t q0 = mr_ub_queries(dc->ub);
    dc->r = r;
    dc->domain = r->domain;
    dc->lookup_notes = 0;
    dc->nxdomain = false;
    dc->null_mx = false;
    dc->n_mx = 0;
    dc->dmarc_p = MR_DMARC_UNSET;
    dc->bogus[0] = '\0';
    snprintf(r->spf, sizeof r->spf, "-");
    snprintf(r->dmarc, sizeof r->dmarc, "-");
    snprintf(r->mta_sts, sizeof r->mta_sts, "-");
    snprintf(r->dnssec, sizeof r->dnssec, "-");
    snprintf(r->starttls, sizeof r->starttls, "-");
    mr_ub_set_deadline(dc->ub, dc->cfg->timeout_ms);
    prefetch_domain(dc);
    mr_check_mx(dc);
    if (!dc->nxdomain) {
        mr_check_dmarc(dc);
        mr_check_spf(dc);
        mr_check_dkim(dc);
        if (!dc->null_mx && dc->n_mx > 0) {
            mr_check_mta_sts(dc);
            mr_check_tlsrpt(dc);
        }
        mr_check_caa(dc);
        mr_check_dnssec(dc);
        mr_check_ns(dc);
        if (!dc->null_mx && dc->n_mx > 0)
            mr_check_starttls(dc);
    }
    mr_ub_prefetch_clear(dc->ub);
    mr_ub_set_deadline(dc->ub, 0);
    r->queries = (unsigned)(mr_ub_queries(dc->ub) - q0);
    r->ms = mr_now_ms() - t0;
}

/* ---- the worker pool -------------------------------------------------- */

/* One domain in the pool: its name in, its result out. */
typedef struct domain_job {
    const char *name;
    mr_domain_result *r;           /* NULL: out of memory */
} domain_job;

typedef struct check_run {
    mr_dcheck *dc[MAMORI_DNS_CONCURRENCY_MAX];   /* one per thread */
} check_run;

static mr_dcheck *dcheck_new(const mr_dns_cfg *cfg, mr_ub *ub)
{
    mr_dcheck *dc = calloc(1, sizeof *dc);
    if (dc == NULL)
        return NULL;
    dc->ans = malloc(sizeof *dc->ans);
    if (dc->ans == NULL) {
        free(dc);
        return NULL;
    }
    dc->cfg = cfg;
    dc->ub = ub;
    dc->res = mr_ub_resolver(ub);
    return dc;
}

static void dcheck_free(mr_dcheck *dc)
{
    if (dc) {
        free(dc->ans);
        free(dc);
    }
}

/* Checks one domain, on any thread (util/pool.h). */
static mamori_err run_domain(void *job, unsigned worker, void *user)
{
    domain_job *j = job;
    check_run *run = user;
    mr_dcheck *dc = run->dc[worker];
    if (!(j->r = calloc(1, sizeof(*j->r))))
        return MAMORI_E_NOMEM;
    if (dc && normalize_domain(j->name, j->r->domain))
        check_domain(dc, j->r);
    else
        j->r->domain[0] = '\0';   /* invalid name: the caller says */
    return MAMORI_OK;
}

static int emit(mamori_dns *d, const mr_domain_result *r,
                const mamori_sink *sink)
{
    int worst = -1;
    for (size_t i = 0; i < r->n; i++) {
        const mr_note *nt = &r->notes[i];
        mamori_finding f;
        memset(&f, 0, sizeof f);
        f.check = mamori_check_find(nt->check);
        if (f.check == NULL)
            continue;
        f.severity = nt->sev;
        f.category = nt->category;
        f.file = r->domain;
        f.time = INT64_MIN;
        if (nt->record[0]) {
            f.evidence = nt->record;
            f.evidence_len = strlen(nt->record);
        }
        mamori_finding_str(&f, "domain", r->domain, strlen(r->domain));
        mamori_finding_str(&f, "name", nt->name, strlen(nt->name));
        if (nt->detail[0])
            mamori_finding_str(&f, "detail", nt->detail, strlen(nt->detail));
        if (nt->fix[0])
            mamori_finding_str(&f, "fix", nt->fix, strlen(nt->fix));
        if (nt->offset >= 0)
            mamori_finding_int(&f, "offset", nt->offset);
        if (nt->bits >= 0)
            mamori_finding_int(&f, "bits", nt->bits);
        d->findings++;
        worst = MR_MAX(worst, (int)nt->sev);
        if (sink && sink->finding && sink->finding(sink->user, &f) != 0)
            return -1;
    }
    /* A check that could not be made is an error, never a clean result:
     * the caller's exit status must say so (issue 12). */
    if (r->failed && d->incomplete++ < MR_DNS_INCOMPLETE_SHOWN) {
        d->incomplete_told++;
        mamori_diagf(d->cfg.ctx, MAMORI_DIAG_ERROR, r->domain, 0, "%u "
                     "lookup%s failed: not every check could be made (see "
                     "the dns.lookup findings)", r->failed,
                     r->failed == 1 ? "" : "s");
    }
    if (r->dropped)
        mamori_diagf(d->cfg.ctx, MAMORI_DIAG_NOTE, r->domain, 0, "%zu more "
                     "findings not shown (limit %d per domain)", r->dropped,
                     MR_NOTES_MAX);
    if (d->rows++ < MR_DNS_ROWS_MAX) {
        /* MAMORI_SUMMARY_COLS_MAX is 8: STARTTLS shares the mx column. */
        char mx[sizeof r->mx + sizeof r->starttls + 2];
        snprintf(mx, sizeof mx, strcmp(r->starttls, "-") ? "%s %s" : "%s",
                 r->mx, r->starttls);
        mamori_cell cells[8] = {
            {r->domain, 0}, {r->spf, 0}, {r->dmarc, 0}, {NULL, r->dkim_keys},
            {mx, 0}, {r->mta_sts, 0}, {r->dnssec, 0},
            {NULL, (int64_t)(r->n + r->dropped)}};
        mamori_summary_row(d->summary, cells);
    } else {
        mamori_summary_more_rows(d->summary, d->rows - MR_DNS_ROWS_MAX);
    }
    return 0;
}

/* Emits the oldest domain of the pool, or after a stop (*stopped) only
 * frees it. */
static mamori_err take_back(mamori_dns *d, mr_pool *pool, size_t *emitted,
                            size_t n, const mamori_sink *sink, bool *stopped)
{
    const mamori_ctx *ctx = d->cfg.ctx;
    mamori_err st, ret = MAMORI_OK;
    domain_job *j = mr_pool_next(pool, &st);
    if (st == MAMORI_E_NOMEM)
        ret = MAMORI_E_NOMEM;
    if (st == MAMORI_OK && !*stopped) {
        d->domains++;
        if (j->r->domain[0] == '\0') {
            d->failed++;
            mamori_diagf(ctx, MAMORI_DIAG_WARN, NULL, 0, "'%.80s' is not "
                         "a domain name; skipped", j->name);
        } else if (emit(d, j->r, sink) != 0) {
            mr_pool_cancel(pool);  /* the rest come back unrun */
            *stopped = true;
            ret = MAMORI_E_ABORTED;
        }
        if (ctx->progress)
            ctx->progress(ctx->progress_user, "domains", *emitted + 1, n);
    }
    free(j->r);
    j->r = NULL;
    (*emitted)++;
    return ret;
}

mamori_err mamori_dns_check(mamori_dns *d, const char *const *domains,
                            size_t n, const mamori_sink *sink)
{
    char err[MR_UB_ERROR_MAX];
    mamori_err ret = MAMORI_OK;
    const mamori_ctx *ctx = d->cfg.ctx;
    check_run run = {{0}};
    domain_job *jobs = NULL;
    mr_pool *pool = NULL;

    if (n == 0)
        return MAMORI_OK;
    unsigned nw = (unsigned)MR_MIN((size_t)d->workers, n);
    for (unsigned i = 0; i < nw; i++)
        if (d->ub[i] == NULL &&
            mr_ub_new(&d->cfg.ub, &d->ub[i], err, sizeof err) != 0) {
            mamori_diagf(ctx, MAMORI_DIAG_WARN, NULL, 0, "%s", err);
            nw = i;
            break;
        }
    if (nw == 0)
        return MAMORI_E_NOMEM;
    for (unsigned i = 0; i < nw; i++)
        run.dc[i] = dcheck_new(&d->cfg, d->ub[i]);
    /* Threads 0..nw-2 work; the caller, thread nw-1, checks domains too
     * while it waits for the oldest. */
    size_t window = 2 * (size_t)nw;
    mr_pool_opts o = {.workers = nw - 1, .inflight = window,
                      .caller_helps = 1, .run = run_domain, .user = &run};
    if (!(jobs = calloc(window, sizeof(*jobs))) ||
        mr_pool_new(&o, &pool) != MAMORI_OK) {
        ret = MAMORI_E_NOMEM;
        goto out;
    }
    size_t emitted = 0;
    bool stopped = false;
    for (size_t e = 0; e < n && !stopped; e++) {
        if (mr_pool_full(pool)) {
            mamori_err r = take_back(d, pool, &emitted, n, sink, &stopped);
            if (r != MAMORI_OK && ret != MAMORI_E_ABORTED)
                ret = r;
        }
        if (stopped)
            break;
        /* Slots go round in submission order: this one was taken back. */
        domain_job *j = &jobs[e % window];
        *j = (domain_job){domains[e], NULL};
        mr_pool_submit(pool, j);
    }
    while (mr_pool_pending(pool)) {
        mamori_err r = take_back(d, pool, &emitted, n, sink, &stopped);
        if (r != MAMORI_OK && ret != MAMORI_E_ABORTED)
            ret = r;
    }
out:
    mr_pool_free(pool);
    free(jobs);
    for (unsigned i = 0; i < nw; i++)
        dcheck_free(run.dc[i]);
    return ret;
}

mamori_err mamori_dns_finish(mamori_dns *d, const mamori_sink *sink)
{
    if (d->summary == NULL)
        return MAMORI_OK;
    if (d->incomplete > d->incomplete_told) {
        mamori_diagf(d->cfg.ctx, MAMORI_DIAG_ERROR, NULL, 0, "%llu more "
                     "domains not fully checked: lookups failed",
                     (unsigned long long)(d->incomplete - d->incomplete_told));
        d->incomplete_told = d->incomplete;
    }
    mamori_summary_counter(d->summary, "domains", "Domains checked",
                           "チェックしたドメイン数", (int64_t)d->domains);
    mamori_summary_counter(d->summary, "findings", "Findings", "検出事項",
                           (int64_t)d->findings);
    mamori_summary_counter(d->summary, "invalid_names", "Invalid names",
                           "不正なドメイン名", (int64_t)d->failed);
    mamori_summary *s = d->summary;
    d->summary = NULL;
    if (sink && sink->summary) {
        if (sink->summary(sink->user, s) != 0)
            return MAMORI_E_ABORTED;
    } else {
        mamori_summary_free(s);
    }
    return start_summary(d);
}

mamori_err mamori_dns_audit(const mamori_ctx *ctx, const char *domain,
                            const char *resolver, const mamori_sink *sink)
{
    mamori_dns_opts o = {0};
    mamori_dns *d = NULL;
    o.resolver = resolver;
    mamori_err e = mamori_dns_new(ctx, &o, &d);
    if (e != MAMORI_OK)
        return e;
    e = mamori_dns_check(d, &domain, 1, sink);
    if (e != MAMORI_E_ABORTED) {
        mamori_err f = mamori_dns_finish(d, sink);
        if (e == MAMORI_OK)
            e = f;
    }
    mamori_dns_free(d);
    return e;
}

mamori_err mamori_dns_spf_eval(mamori_dns *d, const char *ip,
                               const char *mail_from, const char *helo,
                               mamori_spf_outcome *out)
{
    mr_spf_verdict *v = malloc(sizeof *v);
    memset(out, 0, sizeof *out);
    if (v == NULL)
        return MAMORI_E_NOMEM;
    mr_dns_resolver res = mr_ub_resolver(d->ub[0]);
    mr_spf_request req = {ip, mail_from, helo ? helo : "", NULL, NULL,
                          (int64_t)time(NULL)};
    mr_ub_set_deadline(d->ub[0], d->cfg.timeout_ms);
    int r = mr_spf_check(&res, &req, v);
    mr_ub_set_deadline(d->ub[0], 0);
    if (r != 0) {
        snprintf(out->reason, sizeof out->reason, "%s", v->reason);
        free(v);
        return MAMORI_E_INVAL;
    }
    snprintf(out->result, sizeof out->result, "%s",
             mr_spf_result_name(v->result));
    snprintf(out->explanation, sizeof out->explanation, "%s", v->explanation);
    snprintf(out->reason, sizeof out->reason, "%s", v->reason);
    snprintf(out->mechanism, sizeof out->mechanism, "%s", v->mechanism);
    snprintf(out->domain, sizeof out->domain, "%s", v->domain);
    out->dns_terms = v->dns_terms;
    out->void_lookups = v->void_lookups;
    out->queries = v->queries;
    free(v);
    return MAMORI_OK;
}
