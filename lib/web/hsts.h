/*
 * hsts.h — whether a site could go on the HSTS preload list built into
 * browsers (Chromium's, which Firefox, Safari and Edge take over), by the
 * requirements hstspreload.org states and its checker applies: a valid
 * certificate; the registrable domain itself (not www.); http://
 * redirecting first to https:// on the same host; the first https://
 * answer (a redirect included) carrying one Strict-Transport-Security
 * header with max-age of at least a year (31536000), includeSubDomains
 * and preload, no directive twice; no redirect back to http://.
 *
 * Whether the host is on the list already cannot be said offline here:
 * Debian ships no copy of the list (Chromium compiles it in; no hsts or
 * libhsts package in Debian 12), so the grader's `preloaded` stays NULL.
 */
#ifndef MR_WEB_HSTS_H
#define MR_WEB_HSTS_H

#include "dns/psl.h"
#include "web/site.h"

#define MR_HSTS_PRELOAD_AGE 31536000LL  /* a year, hstspreload.org's minimum */
#define MR_HSTS_REASONS_MAX 8
#define MR_HSTS_REASON_MAX 128

typedef struct mr_web_preload {
    int https;          /* the site answered over https (else nothing
                           below is said) */
    int asked;          /* its header carries the preload directive */
    int eligible;       /* every requirement is met */
    size_t n;           /* the requirements not met, in reasons */
    char reasons[MR_HSTS_REASONS_MAX][MR_HSTS_REASON_MAX];
} mr_web_preload;

/* Judges s (probed, with its other scheme) into *out; psl may be NULL
 * (the last two labels are the registrable domain). */
void mr_web_hsts_preload(const mr_web_site *s, const mr_psl *psl,
                         mr_web_preload *out);

/* One Strict-Transport-Security value as hstspreload.org reads it:
 * 0 when it parses, with max-age (-1 absent), includeSubDomains and
 * preload said; -1 when a directive is repeated or max-age is not a
 * number. For the fuzzer too. */
int mr_web_hsts_parse(const char *v, long long *max_age, int *subdomains,
                      int *preload);

#endif
