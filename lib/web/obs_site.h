/*
 * obs_site.h — what the MDN HTTP Observatory's retriever fetches of a
 * site, fetched for a site of `mamori web`, and the grade of it
 * (lib/web/observatory.h grades). The Observatory scans a host by
 * fetching http://HOST/ and https://HOST/ (each with its redirects,
 * certificates verified, again without verification when one fails) and
 * sends a CORS preflight (OPTIONS with an Origin) to the end of the chain
 * it grades; the redirection test reads the http:// chain, everything
 * else the https:// one when HTTPS answered.
 *
 * mamori has the URL given: its own scheme's chain is the site's
 * response (site.c), and the other scheme is asked at the same host and
 * path, on the port cfg->http_port / cfg->https_port names, else on the
 * other scheme's default port when the URL is on its own scheme's
 * default (https://host/ and http://host/, as the Observatory scans),
 * else not at all (https://host:8443/ has no known http side).
 */
#ifndef MR_WEB_OBS_SITE_H
#define MR_WEB_OBS_SITE_H

#include "web/observatory.h"
#include "web/site.h"

/* The Origin the Observatory's preflight sends (its config's corsOrigin). */
#define MR_WEB_CORS_ORIGIN "https://http-observatory.security.mozilla.org"

/* GETs url into *r as the retriever does (redirects followed, its
 * Accept header, the certificate verified against cfg->ca_file or the
 * system's store, and again without verification when it failed:
 * *unverified says so). 0, or -1 with r->error. */
int mr_web_obs_fetch(mr_web_fetcher *f, const char *url, const mr_web_cfg *cfg,
                     mr_web_response *r, int *unverified);

/* Worker side: fetches s->other and s->cors with f (s->resp is
 * fetched). Failures leave other_fetched / cors_fetched 0; -1 only when
 * memory ran out. */
int mr_web_obs_retrieve(mr_web_site *s, mr_web_fetcher *f,
                        const mr_web_cfg *cfg);

/* The registrable domain of host for the grader (mr_obs_input's
 * org_domain): ctx is a mr_psl (NULL: the last two labels); addresses
 * have none; for cookies, tough-cookie's special-use domains (localhost,
 * test, ...) are their own. */
int mr_web_obs_org_domain(void *ctx, const char *host, bool private_too,
                          char *out, size_t cap);

/* Caller side: the Observatory's grade of what s holds, into *rep (see
 * mr_obs_grade(): MR_OBS_OK, MR_OBS_ESTATUS with *rep filled, or an
 * error). preloaded/org_domain/ctx as mr_obs_input's (may be NULL). */
int mr_web_obs_grade(const mr_web_site *s,
                     bool (*preloaded)(void *, const char *),
                     int (*org_domain)(void *, const char *, bool, char *,
                                       size_t),
                     void *ctx, mr_obs_report *rep);

#endif
