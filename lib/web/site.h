/*
 * site.h — one site of a `mamori web` run, between the worker that probes
 * it and the caller that reports it. A worker thread fills a mr_web_site
 * (site.c: the URL split, the response, the TLS probe, the exposed files
 * found) without touching the sink or the diagnostics; the caller, in
 * the order the sites were given, turns it into findings and a summary
 * row (findings.c). Everything in it is owned by it:
 * mr_web_site_clear() frees it all.
 */
#ifndef MR_WEB_SITE_H
#define MR_WEB_SITE_H

#include <pthread.h>

#include "mamori/finding.h"
#include "web/catalogue.h"
#include "web/exposure.h"
#include "web/fetch.h"
#include "web/tls.h"

#define MR_WEB_HOST_MAX 256     /* a host name or address literal */
#define MR_WEB_WHY_MAX 256      /* why a step failed */
#define MR_WEB_BUSY_MAX 256     /* hosts being probed at once */

/* Politeness across workers: one site of a host:port at a time. */
typedef struct mr_web_hosts {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char busy[MR_WEB_BUSY_MAX][MR_WEB_HOST_MAX + 8];
    size_t n;
} mr_web_hosts;

/* What every worker reads; fixed for the run. */
typedef struct mr_web_cfg {
    const char *ca_file;
    unsigned timeout_ms;
    int no_tls, no_exposure;
    unsigned http_port, https_port; /* of the other scheme; 0: its
                                       default, when the URL's is */
    const mr_web_catalogue *cat;
    const mr_web_catalogue *recheck; /* logscan's served paths; NULL or
                                        empty: none */
    mr_web_hosts *hosts;
} mr_web_cfg;

typedef struct mr_web_found {
    const mr_web_probe *probe;
    char url[MR_WEB_URL_MAX];
    long status;
    char evidence[MR_WEB_EVIDENCE_MAX];
} mr_web_found;

typedef struct mr_web_site {
    const char *url;            /* as given; borrowed from the caller */
    /* the URL split (0 when it could not be: why says so) */
    int parsed;
    char scheme[8];
    char host[MR_WEB_HOST_MAX];
    unsigned port;
    char why[MR_WEB_WHY_MAX];
    /* the response of the URL, redirects followed */
    int fetched;
    mr_web_response resp;       /* resp.error when not fetched */
    int resp_unverified;        /* its certificate failed: fetched again
                                   without verification */
    /* for the header grade (obs_site.c): the same URL in the other
     * scheme, and the CORS preflight */
    int other_fetched, other_unverified;
    mr_web_response other;
    int cors_fetched;
    mr_web_response cors;
    /* the TLS probe where the site ends up (https) */
    int tls_probed, tls_failed;
    char tls_host[MR_WEB_HOST_MAX];
    mr_tls_result *tls;
    char tls_why[MR_WEB_WHY_MAX];
    /* the exposed files */
    int exposure_failed;
    char exposure_why[MR_WEB_WHY_MAX];
    mr_web_found *found;        /* nfound of them */
    size_t nfound;
    int nomem;                  /* an allocation failed */
} mr_web_site;

/* Probes s->url (set by the caller) into s; run by a worker. */
void mr_web_site_probe(mr_web_site *s, const mr_web_cfg *cfg);
void mr_web_site_clear(mr_web_site *s);

int mr_web_hosts_init(mr_web_hosts *h);
void mr_web_hosts_destroy(mr_web_hosts *h);

#endif
