/*
 * dns.h — DNS health of a domain: can someone send mail in its name, and
 * is its DNS looked after? (METI 002 要対応項目3, countermeasures
 * meti.dns and common.mail.)
 *
 * For each domain: SPF (RFC 7208: found, exactly one, syntax with the
 * error's position, the evaluation limits, posture of `all`, ptr, size,
 * parked domains), DMARC (RFC 7489: own or organisational record via the
 * Public Suffix List, every tag, policy strength, reports and their
 * authorisation), DKIM (given and common selectors: key present,
 * readable, its size, testing flag, revoked), MX and null MX (RFC 7505),
 * MTA-STS (TXT and the HTTPS policy), TLS-RPT, CAA and DNSSEC; and,
 * asking the domain's own servers, STARTTLS on the MX hosts, lame
 * delegation, open recursion and zone transfer to anyone. Each
 * problem is a finding with the record to publish instead (field "fix").
 *
 * Domains are checked concurrently (opts.concurrency workers) with a
 * deadline each; findings reach the sink from the calling thread, in the
 * order the domains were given. A domain that cannot be checked in time
 * gives a dns.lookup finding, never a hang, and a lookup that failed
 * (anything but an answer or NXDOMAIN) also an error diagnostic
 * (MAMORI_DIAG_ERROR) naming the domain: a check that could not be made
 * is never a clean result.
 *
 * Ownership: the checker copies what it needs from opts; strings in opts
 * need not outlive mamori_dns_new(). ctx must outlive the checker.
 */
#ifndef MAMORI_DNS_H
#define MAMORI_DNS_H

#include "mamori/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_DNS_TIMEOUT_DEFAULT_MS 10000  /* per domain */
#define MAMORI_DNS_CONCURRENCY_DEFAULT 16
#define MAMORI_DNS_CONCURRENCY_MAX 256
#define MAMORI_DNS_SELECTORS_MAX 32          /* --dkim-selector values */

typedef struct mamori_dns_opts {
    const char *resolver;        /* "ADDR[:PORT]"; NULL: the system's */
    const char *trust_anchor;    /* DS/DNSKEY zone file; NULL: the root key
                                    when resolver is NULL, else none */
    const char *const *dkim_selectors;  /* probed before the common ones */
    size_t n_dkim_selectors;
    unsigned timeout_ms;         /* per domain; 0: the default */
    unsigned concurrency;        /* domains at once; 0: the default */
    int no_https;                /* do not fetch MTA-STS policies */
    /* Tests only: CA bundle and port for the MTA-STS fetch. The address
     * still comes from DNS, the certificate is still verified. */
    const char *https_ca;
    unsigned https_port;
    /* Do not contact the domain's nameservers and MX hosts directly
     * (open resolver, AXFR, lame delegation, STARTTLS): DNS lookups only. */
    int no_probe;
    /* Tests only: the port the nameservers (53) and MX hosts (25) are
     * probed on, so that test servers can run on high ports. */
    unsigned ns_port;
    unsigned smtp_port;
} mamori_dns_opts;

typedef struct mamori_dns mamori_dns;

/* Returns MAMORI_E_INVAL after a diagnostic for a bad resolver address
 * or an unreadable trust anchor. */
MAMORI_API mamori_err mamori_dns_new(
    const mamori_ctx *ctx, const mamori_dns_opts *opts, mamori_dns **out);
/* Checks the domains; findings go to sink in input order. Progress goes
 * to ctx->progress as (domains done, n). */
MAMORI_API mamori_err mamori_dns_check(
    mamori_dns *d, const char *const *domains, size_t n,
    const mamori_sink *sink);
/* Sends the summary (one row per domain checked, capped) to the sink. */
MAMORI_API mamori_err mamori_dns_finish(mamori_dns *d, const mamori_sink *sink);
MAMORI_API void mamori_dns_free(mamori_dns *d);

/* One domain with default options, summary included: what
 * `mamori audit --domain` calls. */
MAMORI_API mamori_err mamori_dns_audit(
    const mamori_ctx *ctx, const char *domain, const char *resolver,
    const mamori_sink *sink);

/* check_host() of RFC 7208 for one message, like spfquery. */
typedef struct mamori_spf_outcome {
    char result[16];             /* "pass", "fail", ... "permerror" */
    char explanation[1025];      /* the domain's explanation, for fail */
    char reason[256];            /* why, in English */
    char mechanism[128];         /* the term that decided, or "" */
    char domain[254];            /* whose record decided */
    unsigned dns_terms, void_lookups, queries;
} mamori_spf_outcome;

/* ip: the client; mail_from: MAIL FROM (NULL or "": the HELO identity);
 * helo: the HELO name. MAMORI_E_INVAL if ip is not an address. */
MAMORI_API mamori_err mamori_dns_spf_eval(
    mamori_dns *d, const char *ip, const char *mail_from, const char *helo,
    mamori_spf_outcome *out);

#ifdef __cplusplus
}
#endif
#endif
