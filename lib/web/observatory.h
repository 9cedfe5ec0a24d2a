/*
 * observatory.h — HTTP security headers graded as the MDN HTTP
 * Observatory grades them (npm @mdn/mdn-http-observatory 1.4.8, scoring
 * algorithm version 4): the same ten tests, the same result ids, the
 * same score modifiers, the same grade. `mamori web` fetches (lib/web,
 * libcurl) and hands what it saw here; this file fetches nothing.
 *
 * The Observatory scans a host by fetching http://HOST/ and
 * https://HOST/, each following up to 10 redirects, and grading the
 * HTTPS answer (or the HTTP one when HTTPS is down). The input below is
 * what those two fetches and the CORS preflight returned, as raw
 * headers: repeated headers are given once each, in order, and are
 * combined here as Node.js combines them (so two X-Frame-Options
 * headers are one "DENY, DENY", as the Observatory sees them).
 *
 * mr_obs_grade() is pure and thread-safe: no globals, no I/O, every
 * string of the report is static. It reads at most MR_OBS_VALUE_MAX
 * bytes of a combined header value, MR_OBS_BODY_MAX bytes of the body,
 * MR_OBS_CSP_DIRECTIVES_MAX directives and MR_OBS_CSP_SOURCES_MAX
 * sources of a CSP, MR_OBS_COOKIES_MAX cookies; past a maximum the
 * rest is ignored (the report says so in `truncated`).
 *
 * Where mamori cannot know what the Observatory knows, the caller says:
 * the HSTS preload list (Chromium's, fetched by the Observatory at
 * install) through `preloaded`, registrable domains (the Public Suffix
 * List, for SRI's "same second-level domain" and cookie domains)
 * through `org_domain`. Without them no host is preloaded and the
 * registrable domain is the last two labels.
 *
 * One difference from the live service, on purpose: the Observatory's
 * CORS test compares Access-Control-Allow-Origin with the Origin it sent,
 * but reads that Origin where axios does not keep it, so the live service
 * never reports universal access. Here `cors_origin` is compared as the
 * analyzer's own unit tests expect; pass NULL to score as the live service
 * does (the headers_score of `mamori web`), and grade again with it set to
 * tell whether the site reflects any Origin with credentials.
 */
#ifndef MR_WEB_OBSERVATORY_H
#define MR_WEB_OBSERVATORY_H

#include <stdbool.h>
#include <stddef.h>

#define MR_OBS_VALUE_MAX 16384        /* bytes of one combined header value */
#define MR_OBS_HEADERS_MAX 512        /* headers of one response read */
#define MR_OBS_CHAIN_MAX 11           /* responses of one fetch: 10 redirects */
#define MR_OBS_BODY_MAX (4 * 1024 * 1024) /* bytes of HTML read */
#define MR_OBS_CSP_POLICIES_MAX 16    /* CSP headers plus <meta> policies */
#define MR_OBS_CSP_DIRECTIVES_MAX 64  /* distinct directives kept */
#define MR_OBS_CSP_SOURCES_MAX 1024   /* sources kept over all directives */
#define MR_OBS_COOKIES_MAX 256        /* cookies kept in the jar */
#define MR_OBS_HOST_MAX 256           /* bytes of a host name */

/* One header line as received: name and value without CR LF. */
typedef struct mr_obs_header {
    const char *name;
    const char *value;
} mr_obs_header;

/* One response of a fetch: the absolute URL requested and its answer. */
typedef struct mr_obs_response {
    const char *url;                 /* e.g. "https://www.example.com/" */
    int status;                      /* 200, 301, ... */
    const mr_obs_header *headers;    /* in order, repeats kept */
    size_t n_headers;
} mr_obs_response;

typedef struct mr_obs_input {
    const char *host;                /* the host scanned, lower case */
    /* Every response of the fetch of http://HOST/, the first being that
     * URL's, the last the final one; n_http 0: HTTP did not answer. */
    const mr_obs_response *http;
    size_t n_http;
    /* false when a certificate failed on the way (the fetch went on
     * without verification, as the Observatory does). */
    bool http_verified;
    /* The fetch of https://HOST/, likewise; n_https 0: no HTTPS. */
    const mr_obs_response *https;
    size_t n_https;
    bool https_verified;
    /* The body of the final response graded (HTTPS if it answered,
     * else HTTP); may be NULL. */
    const char *body;
    size_t body_len;
    /* The answer to OPTIONS on the graded final URL with
     * Access-Control-Request-Method: GET and Origin: cors_origin;
     * n_cors 0 and cors_headers NULL: no answer. */
    const mr_obs_header *cors_headers;
    size_t n_cors;
    const char *cors_origin;         /* see the top of this file */
    /* true when host is on the HSTS preload list in force-https mode, or
     * a parent of it is with includeSubDomains. NULL: nothing is. */
    bool (*preloaded)(void *ctx, const char *host);
    /* Writes the registrable domain of host (public suffix plus one
     * label) into out; returns 0, or -1 when host has none (an address,
     * a public suffix). private_too: with the list's private section
     * (cookie domains, as tough-cookie reads it), else the ICANN section
     * only (SRI's "same second-level domain", as tldts reads it). NULL:
     * the last two labels. */
    int (*org_domain)(void *ctx, const char *host, bool private_too,
                      char *out, size_t cap);
    void *ctx;
} mr_obs_input;

/* The ten tests, in the Observatory's order. */
typedef enum mr_obs_test {
    MR_OBS_CSP,
    MR_OBS_COOKIES,
    MR_OBS_CORS,
    MR_OBS_REDIRECTION,
    MR_OBS_REFERRER,
    MR_OBS_HSTS,
    MR_OBS_SRI,
    MR_OBS_XCTO,
    MR_OBS_XFO,
    MR_OBS_CORP,
    MR_OBS_N_TESTS
} mr_obs_test;

typedef struct mr_obs_result {
    const char *name;        /* "content-security-policy", ... */
    const char *result;      /* "csp-implemented-with-unsafe-inline", ... */
    int modifier;            /* score modifier of that result */
    bool pass;
    const char *description; /* one line, English, the Observatory's */
} mr_obs_result;

typedef struct mr_obs_report {
    int score;               /* >= 0; above 100 with extra credit */
    const char *grade;       /* "A+" .. "F" */
    int tests_passed;
    int tests_failed;
    bool truncated;          /* a maximum above was reached */
    mr_obs_result tests[MR_OBS_N_TESTS];
} mr_obs_report;

enum {
    MR_OBS_OK = 0,
    MR_OBS_ENOMEM = -1,      /* the work area could not be allocated */
    MR_OBS_EINVAL = -2,      /* NULL input, or neither fetch answered */
    MR_OBS_ESTATUS = -3,     /* the graded answer's status is one the
                              * Observatory refuses to grade (< 200, or
                              * >= 400 but for 401 and 403); report is
                              * still filled */
};

/* Grades in; fills *out (overwritten whole). Returns MR_OBS_OK or an
 * error above. Allocates a work area and frees it before returning. */
int mr_obs_grade(const mr_obs_input *in, mr_obs_report *out);

/* The grade of a score: 100 and above "A+", then by steps of 5. */
const char *mr_obs_grade_for_score(int score);

/* The modifier and description of a result id; 0 and "" if unknown. */
int mr_obs_modifier(const char *result);
const char *mr_obs_description(const char *result);

#endif
