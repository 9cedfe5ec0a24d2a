/*
 * web.h — `mamori web URL...`: what an attacker sees of the
 * organisation's own web sites from outside (METI 002 要対応項目4,
 * Application Security; countermeasures meti.appsec and common.server).
 *
 * For each URL:
 *  - TLS (https:// URLs), through OpenSSL: which of SSLv3, TLS 1.0, 1.1,
 *    1.2 and 1.3 the server accepts (one handshake per version), the
 *    cipher suites it accepts per version, forward secrecy, AEAD, key
 *    exchange groups; the certificate chain verified against the system
 *    store or opts.ca_file, days to expiry (60 and 30 day warnings,
 *    expired is critical), key type and size, signature algorithm, the
 *    names (SAN) against the host, OCSP stapling; a grade by the SSL Labs
 *    rating guide (A+ to F, T, M) and the differences to Mozilla's
 *    "intermediate" configuration (data/web/mozilla-intermediate.conf).
 *  - The security headers graded as the MDN HTTP Observatory grades
 *    them (lib/web/observatory.h): the URL and the same URL in the other
 *    scheme fetched as its retriever fetches them (redirects, certificate
 *    verification), and its CORS preflight; the other scheme on
 *    opts.http_port / opts.https_port (see below).
 *  - Exposure: files that must never be served (data/web/exposed.conf:
 *    /.git/HEAD, /.env, /server-status, dumps, backups...), directory
 *    listings, default pages and version disclosure in Server and
 *    X-Powered-By; a random path is asked first, so that a site that
 *    answers 200 to everything is not flagged (soft 404).
 * And, with mamori_web_config(), the nginx and Apache configuration of a
 * machine read through a mamori_sysroot (includes followed), each
 * weakness tied to its file and line.
 *
 * Politeness: one request at a time per site, sites of the same host and
 * port one after the other (other sites concurrently, opts.concurrency
 * workers), a deadline per site (opts.timeout_ms) and a User-Agent
 * naming mamori and its version. Findings reach the sink from the
 * calling thread, in the order the URLs were given. Every finding says what an attacker gains and
 * the nginx and Apache directives that fix it (the check's remedy).
 *
 * Lifecycle, as every capability (docs/architecture.md):
 *   mamori_web_new(ctx, opts, &w);
 *   mamori_web_check(w, urls, n, sink);      findings per site, in order
 *   mamori_web_config(w, sysroot, sink);     optional: this machine's
 *                                            nginx/Apache files
 *   mamori_web_finish(w, sink);              the summary: one row per
 *                                            site (url, tls_grade,
 *                                            headers_score, headers_grade)
 *   mamori_web_free(w);
 * new copies what it keeps of opts; ctx and the sysroot must outlive the
 * calls that use them; findings are borrowed for the sink call.
 */
#ifndef MAMORI_WEB_H
#define MAMORI_WEB_H

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/host.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_WEB_TIMEOUT_DEFAULT_MS 30000 /* per site, all probes */
#define MAMORI_WEB_SITES_MAX 4096           /* sites in one run */
#define MAMORI_WEB_CONCURRENCY_DEFAULT 8     /* sites probed at once */
#define MAMORI_WEB_CONCURRENCY_MAX 64

typedef struct mamori_web_opts {
    const char *ca_file;   /* PEM bundle to verify against; NULL: the
                              system's store */
    unsigned timeout_ms;   /* per site; 0: the default */
    unsigned concurrency;  /* sites at once (one per host and port
                              whatever this says); 0: the default */
    int no_tls;            /* skip the TLS probes */
    int no_exposure;       /* skip the requests for exposed files */
    const char *from_logscan; /* a `mamori logscan --format json` report
                              ("-": standard input): the paths of its
                              logscan.sensitive-file findings answered
                              2xx are asked again of every site
                              (web.exposed.logscan-served); NULL: none */
    /* The same, from findings already in hand (mamori audit: the logscan
     * row's): the request lines ("GET /.env HTTP/1.1") of sensitive
     * files answered 2xx. Borrowed for mamori_web_new's call. */
    const char *const *served;
    size_t nserved;
    unsigned http_port;    /* where an https:// URL's http:// side is
                              asked for the header grade; 0: 80 when
                              the URL is on 443, else not asked */
    unsigned https_port;   /* the same for an http:// URL; 0: 443 when
                              the URL is on 80 */
} mamori_web_opts;

typedef struct mamori_web mamori_web;

/* opts may be NULL (defaults); copied. *out is freed by
 * mamori_web_free(). MAMORI_E_NOMEM, or MAMORI_E_INVAL after a
 * diagnostic (a ca_file that cannot be read). */
MAMORI_API mamori_err mamori_web_new(const mamori_ctx *ctx,
                                     const mamori_web_opts *opts,
                                     mamori_web **out);
/* Checks each URL (http:// or https://; a bare host means https://);
 * findings go to sink in the order given. A URL that cannot be parsed or
 * a site that cannot be reached is an error diagnostic naming it (never
 * a clean result) and the run goes on. MAMORI_E_ABORTED when the sink
 * stopped it. */
MAMORI_API mamori_err mamori_web_check(mamori_web *w,
                                       const char *const *urls, size_t n,
                                       const mamori_sink *sink);
/* Reads the nginx (/etc/nginx/nginx.conf) and Apache
 * (/etc/apache2/apache2.conf) configuration of the machine sr reads,
 * following includes, and reports weak TLS protocols and ciphers,
 * directory listings and version disclosure with file and line. A
 * server whose configuration is absent is skipped silently. */
MAMORI_API mamori_err mamori_web_config(mamori_web *w,
                                        const mamori_sysroot *sr,
                                        const mamori_sink *sink);
/* Sends the summary and returns the first error of the run. */
MAMORI_API mamori_err mamori_web_finish(mamori_web *w,
                                        const mamori_sink *sink);
/* Accepts NULL. */
MAMORI_API void mamori_web_free(mamori_web *w);

#ifdef __cplusplus
}
#endif
#endif
