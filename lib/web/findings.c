/*
 * findings.c — a probed site turned into findings (findings.h). Every
 * finding names the URL as given (field "url", and as its "file"), the
 * check whose remedy says what an attacker gains and the nginx and
 * Apache directives that fix it, and the evidence seen.
 *
 * The header grade: grade_headers() below has the MDN HTTP
 * Observatory's scoring grade what obs_site.c fetched as its retriever
 * does (both schemes' chains, the CORS preflight) and fills
 * headers_score and headers_grade.
 */
#include "common.h"

#include <strings.h>

#include "check_ids.h"
#include "eol/eol.h"
#include "web/findings.h"
#include "web/hsts.h"
#include "web/ocsp.h"
#include "web/obs_site.h"

#define WEB_EVIDENCE_MAX (MR_WEB_URL_MAX + 512) /* a URL and what it showed */
#define WEB_LIST_MAX 64        /* items of a list field */
#define WEB_ITEM_MAX 96        /* bytes of one item */
#define SEV_DEFAULT ((mamori_severity)-1)

typedef struct site {
    mr_web_report *rp;
    const mr_web_site *ps;
    const char *url;
    const char *host;          /* the one the certificate must name */
    mr_web_row *row;
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
    mr_web_report *rp = s->rp;
    if (rp->stopped)
        return;
    rp->findings++;
    s->row->findings++;
    if (rp->sink->finding && rp->sink->finding(rp->sink->user, f) != 0)
        rp->stopped = 1;
}

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

/* The Observatory's grade of the site (obs_site.c), for the row. */
static void grade_headers(site *s)
{
    mr_obs_report rep;
    s->row->headers_score = MAMORI_CELL_NULL;
    s->row->headers_grade[0] = '\0';
    int e = mr_web_obs_grade(s->ps, NULL, mr_web_obs_org_domain,
                             (void *)s->rp->psl, &rep);
    if (e != MR_OBS_OK && e != MR_OBS_ESTATUS)
        return;
    s->row->headers_score = rep.score;
    snprintf(s->row->headers_grade, sizeof(s->row->headers_grade), "%s", rep.grade);
}

/* HSTS preload eligibility (hsts.c): a column of the row, and a finding
 * when the header asks for preloading that cannot be granted. */
static void preload(site *s)
{
    mr_web_preload p;
    web_list l;
    char ev[WEB_EVIDENCE_MAX];
    mr_web_hsts_preload(s->ps, s->rp->psl, &p);
    s->row->hsts_preload = !p.https ? NULL : p.eligible ? "eligible"
                                                        : "ineligible";
    size_t used = 0;
    for (size_t i = 0; i < p.n; i++) {
        size_t room = sizeof(s->row->preload_why) - used;
        int k = snprintf(s->row->preload_why + used, room, "%s%s",
                         i ? "; " : "", p.reasons[i]);
        if (k < 0 || (size_t)k >= room)
            break;
        used += (size_t)k;
    }
    if (!p.asked || p.eligible)
        return;
    memset(&l, 0, sizeof(l));
    for (size_t i = 0; i < p.n; i++)
        list_add(&l, "%s", p.reasons[i]);
    snprintf(ev, sizeof(ev), "preload asked, but %s%s", p.reasons[0],
             p.n > 1 ? " (and more)" : "");
    with_list(s, MR_CHECK_WEB_HSTS_PRELOAD_INELIGIBLE, SEV_DEFAULT, "headers",
              ev, "reasons", &l);
}

static void tls_findings(site *s, const mr_tls_result *t,
                         const mr_tls_grade *g)
{
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
    int aead_any = 0, best = -1;
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
        int revoked = c->ocsp_status == MR_OCSP_REVOKED;
        if (revoked) {
            snprintf(ev, sizeof(ev), "OCSP (%s): %s",
                     c->ocsp_from_staple ? "stapled" : "responder",
                     c->ocsp_why);
            start(&f, s, MR_CHECK_WEB_TLS_CERT_REVOKED, SEV_DEFAULT,
                  "certificate", ev);
            mamori_finding_str(&f, "ocsp", c->ocsp_from_staple ? "stapled"
                               : "responder", strlen(c->ocsp_from_staple
                               ? "stapled" : "responder"));
            emit(s, &f);
        }
        if (c->ocsp_status == MR_OCSP_UNKNOWN) {
            /* not "good": revocation cannot be checked at all */
            const char *from = c->ocsp_from_staple ? "stapled" : "responder";
            snprintf(ev, sizeof(ev), "OCSP (%s): %s", from, c->ocsp_why);
            start(&f, s, MR_CHECK_WEB_TLS_CERT_OCSP_UNKNOWN, SEV_DEFAULT,
                  "certificate", ev);
            mamori_finding_str(&f, "ocsp", from, strlen(from));
            emit(s, &f);
        }
        if (!c->verified && !revoked &&
            !(expired && strstr(c->verify_error, "expired")) &&
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
        if (s->rp->moz->ocsp_stapling && c->verified && !c->ocsp_stapled)
            one(s, MR_CHECK_WEB_TLS_NO_OCSP_STAPLING, SEV_DEFAULT, "tls",
                "no OCSP response stapled to the handshake");
    }
    mr_tls_diffs d;
    mr_tls_mozilla_diff(t, s->rp->moz, &d);
    if (d.n) {
        memset(&l, 0, sizeof(l));
        for (size_t i = 0; i < d.n; i++)
            list_add(&l, "%s", d.v[i]);
        l.more += d.more;
        snprintf(ev, sizeof(ev), "%zu difference%s to Mozilla's intermediate "
                 "configuration %s: %s", d.n + d.more,
                 d.n + d.more == 1 ? "" : "s", s->rp->moz->version, d.v[0]);
        mamori_finding f;
        start(&f, s, MR_CHECK_WEB_TLS_MOZILLA_INTERMEDIATE, SEV_DEFAULT,
              "tls", ev);
        mamori_finding_list(&f, "differences", l.ptrs, l.n, l.more);
        mamori_finding_str(&f, "grade", g->grade, strlen(g->grade));
        emit(s, &f);
    }
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
            /* for the patch review's end-of-life data, later */
            const char *slash = strchr(tok, '/');
            mamori_finding_str(&f, "software", tok, (size_t)(slash - tok));
            mamori_finding_str(&f, "version", slash + 1, strlen(slash + 1));
            emit(s, &f);
            break;
        }
}

/* What eol_token() needs of the header it reads. */
typedef struct eol_header {
    site *s;
    const char *header, *value;
} eol_header;

/* One product and version a header named: kept for the summary and,
 * past its upstream's support, reported (web.eol-product). */
static int eol_token(void *user, const char *name, size_t nn,
                     const char *ver, size_t vn)
{
    eol_header *eh = user;
    site *s = eh->s;
    char version[MR_WEB_VER_MAX], ev[WEB_EVIDENCE_MAX];
    if (nn >= MR_WEB_VER_NAME_MAX || vn >= MR_WEB_VER_MAX)
        return 0;
    memcpy(version, ver, vn);
    version[vn] = '\0';
    mr_eol_result r;
    mr_eol_judge(name, nn, version,
                 mr_eol_distro_marker(eh->value, strlen(eh->value)),
                 s->rp->now, &r);
    if (s->row->nvers < MR_WEB_VERS_MAX) {
        mr_web_ver *v = &s->row->vers[s->row->nvers++];
        v->header = eh->header;
        memcpy(v->product, name, nn);
        v->product[nn] = '\0';
        memcpy(v->version, version, vn + 1);
        v->eol = mr_eol_date(&r);
        v->supported = mr_eol_supported_cell(&r);
    }
    if (!r.report)
        return 0;
    mr_eol_evidence(&r, name, nn, version, ev, sizeof(ev));
    mamori_finding f;
    start(&f, s, MR_CHECK_WEB_EOL_PRODUCT, r.severity, "eol", ev);
    mamori_finding_str(&f, "header", eh->header, strlen(eh->header));
    mamori_finding_str(&f, "value", eh->value, strlen(eh->value));
    mamori_finding_str(&f, "software", name, nn);
    mamori_finding_str(&f, "version", version, vn);
    mr_eol_finding_fields(&f, &r);
    emit(s, &f);
    return 0;
}

/* Every "name/version" of the Server and X-Powered-By values joined
 * with its end of upstream support (eol/eol.h). */
static void eol_check(site *s, const mr_web_response *r)
{
    static const char *const names[] = {"Server", "X-Powered-By"};
    for (size_t i = 0; i < MR_ARRAY_LEN(names); i++)
        for (size_t h = 0; h < r->nheaders; h++) {
            if (strcasecmp(r->headers[h].name, names[i]) != 0)
                continue;
            eol_header eh = {s, names[i], r->headers[h].value};
            (void)mr_eol_tokens(eh.value, strlen(eh.value), eol_token, &eh);
            break;
        }
}

static void grade(site *s, const mr_tls_result *t, const mr_web_response *r,
                  mr_tls_grade *g)
{
    mr_tls_grade_of(t, hsts_max_age(r), g);
    memcpy(s->row->tls_grade, g->grade, sizeof(g->grade));
    memcpy(s->row->tls_grade_if_trusted, g->grade_if_trusted,
           sizeof(g->grade_if_trusted));
    s->row->tls_score = g->score;
    size_t pu = 0;
    for (int v = 0; v < MR_TLS_NVERSIONS; v++) {
        const char *what = t->proto[v] == MR_TLS_ACCEPTED ? ""
                         : t->proto[v] == MR_TLS_UNTESTED ? "?" : NULL;
        size_t room = sizeof(s->row->protocols) - pu;
        int k = what ? snprintf(s->row->protocols + pu, room, "%s%s%s",
                                pu ? " " : "", mr_tls_version_names[v], what)
                     : 0;
        if (k < 0 || (size_t)k >= room)
            break;
        pu += (size_t)k;
    }
    size_t used = 0;
    for (size_t i = 0; i < g->nreasons; i++) {
        size_t room = sizeof(s->row->tls_caps) - used;
        int k = snprintf(s->row->tls_caps + used, room, "%s%s",
                         i ? "; " : "", g->reasons[i]);
        if (k < 0 || (size_t)k >= room)
            break;
        used += (size_t)k;
    }
}

void mr_web_report_site(mr_web_report *rp, const mr_web_site *ps,
                        mr_web_row *row)
{
    site s = {rp, ps, ps->url, ps->tls_host, row};
    char ev[WEB_EVIDENCE_MAX];
    if (!ps->parsed) {
        mamori_diagf(rp->ctx, MAMORI_DIAG_ERROR, ps->url, 0, "%s", ps->why);
        rp->unreachable++;
        return;
    }
    if (!ps->fetched) {
        const char *why = ps->nomem ? "out of memory" : ps->resp.error;
        mamori_diagf(rp->ctx, MAMORI_DIAG_ERROR, ps->url, 0, "%s", why);
        rp->unreachable++;
        one(&s, MR_CHECK_WEB_SITE_UNREACHABLE, SEV_DEFAULT, "site", why);
        return;
    }
    grade_headers(&s);
    preload(&s);
    if (ps->tls_probed && ps->tls_failed) {
        mamori_diagf(rp->ctx, MAMORI_DIAG_ERROR, ps->url, 0, "TLS: %s",
                     ps->tls_why);
        one(&s, MR_CHECK_WEB_SITE_UNREACHABLE, SEV_DEFAULT, "tls",
            ps->tls_why);
    } else if (ps->tls_probed) {
        mr_tls_grade g;
        rp->handshakes += ps->tls->handshakes;
        grade(&s, ps->tls, &ps->resp, &g);
        tls_findings(&s, ps->tls, &g);
    }
    disclosure(&s, &ps->resp);
    eol_check(&s, &ps->resp);
    for (size_t i = 0; i < ps->nfound; i++) {
        const mr_web_found *h = &ps->found[i];
        mamori_finding f;
        snprintf(ev, sizeof(ev), "%s answered %ld: %s", h->url, h->status,
                 h->evidence);
        start(&f, &s, h->probe->check, SEV_DEFAULT, "exposure", ev);
        mamori_finding_str(&f, "path", h->probe->path, strlen(h->probe->path));
        mamori_finding_int(&f, "status", h->status);
        emit(&s, &f);
    }
    if (ps->exposure_failed) {
        mamori_diagf(rp->ctx, MAMORI_DIAG_ERROR, ps->url, 0,
                     "exposed files: %s", ps->exposure_why);
        one(&s, MR_CHECK_WEB_SITE_UNREACHABLE, SEV_DEFAULT, "exposure",
            ps->exposure_why);
    }
}
