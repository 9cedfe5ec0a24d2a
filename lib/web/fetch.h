/*
 * fetch.h — one HTTP(S) response of a site as the web checks judge it,
 * fetched with libcurl: the URL asked, each redirect of the chain (URL
 * and status), the final URL and status, every header of the final
 * response in order (repeated ones kept: several Set-Cookie), and the
 * first MR_WEB_BODY_MAX bytes of its body.
 *
 * This is the seam to the header grader (lib/web/observatory.h): it takes
 * the final URL, the chain, the headers as {name, value} and the body.
 *
 * Certificates are not verified by mr_web_fetch() (the TLS probe judges
 * them, and a self-signed site still has headers to grade);
 * mr_web_fetch_req() verifies them when asked, as the Observatory's
 * retriever does, and says when a failure was the certificate's.
 * Redirects (301, 302, 303, 307 and 308, as the Observatory and browsers
 * follow them) are followed one by one (at most MR_WEB_REDIRECTS_MAX),
 * so that the chain is known, each hop with its headers (a cookie set on
 * a redirect counts). Every string is owned by the response:
 * mr_web_response_free() frees them all.
 */
#ifndef MR_WEB_FETCH_H
#define MR_WEB_FETCH_H

#include <stddef.h>
#include <stdint.h>

#define MR_WEB_BODY_MAX (256u * 1024)  /* bytes of the final body kept */
#define MR_WEB_PROBE_BODY_MAX (8u * 1024) /* the same, for exposure probes */
#define MR_WEB_HEADERS_MAX 128          /* headers of one response kept */
#define MR_WEB_HEADER_MAX 8192          /* bytes of one header line kept */
#define MR_WEB_REDIRECTS_MAX 10
#define MR_WEB_URL_MAX 2048

typedef struct mr_web_header {
    char *name;   /* as sent (case kept) */
    char *value;  /* leading and trailing blanks trimmed */
} mr_web_header;

typedef struct mr_web_hop {
    char *url;
    long status;
    mr_web_header *headers;     /* that answer's headers, nheaders */
    size_t nheaders;
} mr_web_hop;

typedef struct mr_web_response {
    char *url;                  /* the URL asked */
    char *final_url;            /* after the redirects */
    long status;                /* of the final response; 0: none */
    mr_web_hop hops[MR_WEB_REDIRECTS_MAX]; /* each redirect answered */
    size_t nhops;
    mr_web_header headers[MR_WEB_HEADERS_MAX];
    size_t nheaders;
    size_t headers_dropped;     /* over MR_WEB_HEADERS_MAX */
    char *body;                 /* NUL-terminated; body_len bytes */
    size_t body_len;
    int body_truncated;         /* the body was longer than kept */
    char error[256];            /* why there is no response ("" if one) */
    int cert_error;             /* no response: the certificate failed
                                   verification (mr_web_fetch_req) */
} mr_web_response;

/* One request as mr_web_fetch_req() makes it. */
typedef struct mr_web_req {
    int follow;                 /* follow redirects */
    size_t body_max;            /* bytes of the body kept */
    int verify;                 /* verify the certificate and the name */
    const char *ca_file;        /* PEM bundle for verify; NULL: the
                                   system's store */
    const char *method;         /* NULL: GET */
    const char *const *headers; /* extra request headers ("Name: value"),
                                   up to a NULL; may be NULL */
} mr_web_req;

typedef struct mr_web_fetcher mr_web_fetcher;

/* One fetcher per site: its connection is reused (keep-alive), one
 * request at a time. deadline_ms is the site's absolute deadline
 * (CLOCK_MONOTONIC, mr_web_now_ms()). NULL when out of memory. */
mr_web_fetcher *mr_web_fetcher_new(int64_t deadline_ms);
void mr_web_fetcher_free(mr_web_fetcher *f);
int64_t mr_web_now_ms(void);

/* GETs url into *r (zeroed first), following redirects when follow,
 * keeping at most body_max bytes of the body. Returns 0 with a response,
 * -1 with r->error said (no connection, deadline, out of memory). */
int mr_web_fetch(mr_web_fetcher *f, const char *url, int follow,
                 size_t body_max, mr_web_response *r);
/* The same, as q says; r->cert_error tells a certificate that failed
 * verification from other failures. */
int mr_web_fetch_req(mr_web_fetcher *f, const char *url, const mr_web_req *q,
                     mr_web_response *r);
void mr_web_response_free(mr_web_response *r);

/* The first header named name (case-insensitive), or NULL. */
const char *mr_web_header_get(const mr_web_response *r, const char *name);

/* Adds a raw header line ("Name: value\r\n") to r; status lines
 * ("HTTP/1.1 200 OK") restart the header list (a 100 Continue or a
 * redirect before). For the header callback and its fuzzer. Returns -1
 * when out of memory. */
int mr_web_header_line(mr_web_response *r, const char *line, size_t len);

#endif
