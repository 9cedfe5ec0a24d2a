/*
 * obs_int.h — what the files of the Observatory grader share
 * (observatory.c, csp.c, cookie.c, obs_html.c): byte strings, the
 * JavaScript string rules the Observatory's analyzer relies on (its
 * trim, its whitespace, its lower case, read byte by byte as Node.js
 * reads header bytes, as Latin-1), and the per-test entry points. Not
 * installed; nothing here is public. Every function is pure: results
 * point into the caller's buffers or at static strings.
 */
#ifndef MR_WEB_OBS_INT_H
#define MR_WEB_OBS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "web/observatory.h"

/* A byte string that is not NUL-terminated. */
typedef struct mr_obs_str {
    const char *p;
    size_t n;
} mr_obs_str;

/* JavaScript's String.prototype.trim and \s over Latin-1 bytes. */
bool mr_obs_js_space(unsigned char c);
mr_obs_str mr_obs_js_trim(mr_obs_str s);
/* toLowerCase of one Latin-1 byte. */
unsigned char mr_obs_lower(unsigned char c);
/* s equals lit after lower-casing s (lit is lower case). */
bool mr_obs_eq_lower(mr_obs_str s, const char *lit);
bool mr_obs_starts(mr_obs_str s, const char *lit);

/* The lower-case host of an absolute URL (no user info, no port) and
 * whether its scheme is https; false when url has no host. */
bool mr_obs_url_host(const char *url, char *host, size_t cap, bool *https,
                     bool *http);

/* The CSP test. http: the combined Content-Security-Policy header value
 * (n_http 0 or 1); meta: <meta http-equiv> policies in document order.
 * On return *frame_ancestors says whether the analysed policy has a
 * frame-ancestors directive (the X-Frame-Options test reads it).
 * Returns the result id, or NULL when memory ran out. */
const char *mr_obs_csp_test(const mr_obs_str *http, size_t n_http,
                            const mr_obs_str *meta, size_t n_meta,
                            bool https, bool report_only,
                            bool *frame_ancestors, bool *pass,
                            bool *truncated);

/* The cookie test over every Set-Cookie of the graded chain. final: the
 * last response (its raw SameSite values are checked too). */
const char *mr_obs_cookie_test(const mr_obs_input *in,
                               const mr_obs_response *chain, size_t n,
                               bool hsts_pass, bool *pass, bool *truncated);
/* tough-cookie's parse of one Set-Cookie value (the fuzzed surface):
 * returns false when the cookie is refused. */
typedef struct mr_obs_cookie {
    mr_obs_str key;
    mr_obs_str domain;       /* Domain attribute, without a leading dot */
    mr_obs_str path;         /* Path attribute when it starts with '/' */
    bool secure, http_only;
    int same_site;           /* 0 unset, 1 strict, 2 lax, 3 none */
} mr_obs_cookie;
bool mr_obs_cookie_parse(mr_obs_str s, mr_obs_cookie *c);
/* A raw Set-Cookie carries a SameSite the Observatory calls invalid. */
bool mr_obs_cookie_samesite_invalid(mr_obs_str s);

/* <meta> in the page: CSP contents (up to max, in order) and the last
 * name=referrer content (p NULL when none), entity-decoded into buf
 * (cap bytes). Returns the CSP count. */
size_t mr_obs_html_meta(const char *body, size_t len, mr_obs_str *csp,
                        size_t max, mr_obs_str *referrer, char *buf,
                        size_t cap, bool *truncated);
/* The SRI test over the page's <script> elements. */
const char *mr_obs_sri_test(const mr_obs_input *in, const char *body,
                            size_t len, bool session_https, bool *pass);

/* The registrable domain of host through in->org_domain (or the last
 * two labels); -1 when it has none. */
int mr_obs_org_domain(const mr_obs_input *in, const char *host,
                      bool private_too, char *out,
                      size_t cap);

#endif
