/*
 * exposure.h — asking a site for what it must never serve: the paths of
 * the catalogue (data/web/exposed.conf), after a random path that tells
 * how the site answers for something that does not exist (a "soft 404":
 * a site that answers 200 with the same page to everything is not
 * flagged), and the version disclosure of its headers.
 */
#ifndef MR_WEB_EXPOSURE_H
#define MR_WEB_EXPOSURE_H

#include "web/catalogue.h"
#include "web/fetch.h"

#define MR_WEB_EVIDENCE_MAX 160   /* bytes of a body shown as evidence */

typedef struct mr_web_hit {
    const mr_web_probe *probe;
    const char *url;
    long status;
    char evidence[MR_WEB_EVIDENCE_MAX]; /* printable, from the body */
} mr_web_hit;

/* Called for each hit; non-zero stops. */
typedef int (*mr_web_hit_fn)(void *user, const mr_web_hit *hit);

/* Asks origin ("https://host[:port]", no trailing slash) for every path
 * of cat, one request at a time, no redirect followed. Returns the
 * number of hits, -1 when the site stopped answering (deadline, no
 * connection: why in err), -2 when fn stopped it. */
int mr_web_exposure(mr_web_fetcher *f, const char *origin,
                    const mr_web_catalogue *cat, mr_web_hit_fn fn,
                    void *user, char *err, size_t errcap);

/* Does the body look like the soft-404 body (same status class, length
 * within 10% or the same first 512 bytes)? For tests. */
int mr_web_like_soft404(const char *body, size_t len, const char *soft,
                        size_t soft_len);

/* A product and version in a Server or X-Powered-By value
 * ("nginx/1.22.1", "PHP/8.2.7", "Apache/2.4.57 (Debian)"): 1 with the
 * first "name/version" copied to out (cap bytes), 0 when no version. */
int mr_web_version_token(const char *value, char *out, size_t cap);

#endif
