/*
 * fetch.c — the HTTP(S) requests of `mamori web`, with libcurl (fetch.h).
 *
 * One easy handle per site, so that the connection is kept alive and
 * requests go one at a time (the per-site concurrency limit is one).
 * Redirects are followed here, hop by hop, so that the chain with each
 * status is known to the header grader. Headers are parsed with a cursor
 * and a bound; the body is capped at the caller's maximum (the transfer
 * stops there); every transfer ends at the site's deadline.
 */
#include "common.h"

#include <strings.h>
#include <time.h>

#include "mamori/mamori.h"
#include "io/curl_syms.h"
#include "web/fetch.h"

#define MR_WEB_UA "mamori/" MAMORI_VERSION
#define MR_WEB_CONNECT_MAX_MS 10000 /* a connection, within the deadline */

struct mr_web_fetcher {
    CURL *curl;
    int64_t deadline_ms;
};

typedef struct body_sink {
    mr_web_response *r;
    size_t max;
} body_sink;

int64_t mr_web_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

mr_web_fetcher *mr_web_fetcher_new(int64_t deadline_ms)
{
    if (mr_curl_load(NULL, 0) != 0) /* mamori_web_new said why */
        return NULL;
    mr_web_fetcher *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return NULL;
    f->curl = mr_sym_curl_easy_init();
    if (f->curl == NULL) {
        free(f);
        return NULL;
    }
    f->deadline_ms = deadline_ms;
    return f;
}

void mr_web_fetcher_free(mr_web_fetcher *f)
{
    if (f == NULL)
        return;
    mr_sym_curl_easy_cleanup(f->curl);
    free(f);
}

static void headers_clear(mr_web_response *r)
{
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    r->nheaders = 0;
    r->headers_dropped = 0;
}

void mr_web_response_free(mr_web_response *r)
{
    if (r == NULL)
        return;
    headers_clear(r);
    for (size_t i = 0; i < r->nhops; i++) {
        for (size_t k = 0; k < r->hops[i].nheaders; k++) {
            free(r->hops[i].headers[k].name);
            free(r->hops[i].headers[k].value);
        }
        free(r->hops[i].headers);
        free(r->hops[i].url);
    }
    free(r->url);
    free(r->final_url);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int mr_web_header_line(mr_web_response *r, const char *line, size_t len)
{
    if (len > MR_WEB_HEADER_MAX)
        len = MR_WEB_HEADER_MAX;
    while (len > 0 && blank(line[len - 1]))
        len--;
    if (len == 0)
        return 0;                         /* the end of the headers */
    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        headers_clear(r);                 /* a new response begins */
        return 0;
    }
    if (blank(line[0]) || memchr(line, '\0', len))
        return 0;                         /* folding, or a NUL: dropped */
    const char *colon = memchr(line, ':', len);
    if (colon == NULL || colon == line)
        return 0;                         /* not a header */
    if (r->nheaders >= MR_WEB_HEADERS_MAX) {
        r->headers_dropped++;
        return 0;
    }
    size_t nlen = (size_t)(colon - line);
    const char *v = colon + 1, *end = line + len;
    while (v < end && blank(*v))
        v++;
    char *name = dup_n(line, nlen), *value = dup_n(v, (size_t)(end - v));
    if (name == NULL || value == NULL) {
        free(name);
        free(value);
        return -1;
    }
    r->headers[r->nheaders].name = name;
    r->headers[r->nheaders].value = value;
    r->nheaders++;
    return 0;
}

const char *mr_web_header_get(const mr_web_response *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
    size_t n = size * nmemb;
    return mr_web_header_line(user, data, n) == 0 ? n : 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    body_sink *b = user;
    mr_web_response *r = b->r;
    size_t n = size * nmemb, room = b->max - r->body_len;
    if (n > room) {
        memcpy(r->body + r->body_len, data, room);
        r->body_len += room;
        r->body_truncated = 1;
        return 0;                         /* enough: stop the transfer */
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    return n;
}

/* The statuses whose Location is followed (the Observatory's retriever
 * and browsers: not 300, 304 or 305). */
static int followed(long status)
{
    return status == 301 || status == 302 || status == 303 ||
           status == 307 || status == 308;
}

/* One request, no redirect followed: status, headers, body. */
static int one(mr_web_fetcher *f, const char *url, const mr_web_req *q,
               mr_web_response *r, char **location)
{
    CURL *c = f->curl;
    body_sink b = {r, q->body_max};
    struct curl_slist *extra = NULL;
    int64_t left = f->deadline_ms - mr_web_now_ms();
    *location = NULL;
    if (left <= 0) {
        snprintf(r->error, sizeof(r->error), "deadline reached");
        return -1;
    }
    headers_clear(r);
    r->body_len = 0;
    r->body_truncated = 0;
    mr_sym_curl_easy_reset(c);
    mr_sym_curl_easy_setopt(c, CURLOPT_URL, url);
    mr_sym_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    mr_sym_curl_easy_setopt(c, CURLOPT_USERAGENT, MR_WEB_UA);
    mr_sym_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    mr_sym_curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
    mr_sym_curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                            (long)MR_MIN(left, MR_WEB_CONNECT_MAX_MS));
    /* the TLS probe judges the certificate; here we want the headers,
     * unless the caller asks as the Observatory's retriever does */
    mr_sym_curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, q->verify ? 1L : 0L);
    mr_sym_curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, q->verify ? 2L : 0L);
    if (q->verify && q->ca_file)
        mr_sym_curl_easy_setopt(c, CURLOPT_CAINFO, q->ca_file);
    if (q->method)
        mr_sym_curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    for (size_t i = 0; q->headers && q->headers[i]; i++) {
        struct curl_slist *n = mr_sym_curl_slist_append(extra, q->headers[i]);
        if (n == NULL) {
            mr_sym_curl_slist_free_all(extra);
            snprintf(r->error, sizeof(r->error), "out of memory");
            return -1;
        }
        extra = n;
    }
    if (extra)
        mr_sym_curl_easy_setopt(c, CURLOPT_HTTPHEADER, extra);
    mr_sym_curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    mr_sym_curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    mr_sym_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    mr_sym_curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    mr_sym_curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "identity");
    CURLcode rc = mr_sym_curl_easy_perform(c);
    mr_sym_curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    mr_sym_curl_slist_free_all(extra);
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && r->body_truncated)) {
        snprintf(r->error, sizeof(r->error), "%s", mr_sym_curl_easy_strerror(rc));
        r->cert_error = rc == CURLE_PEER_FAILED_VERIFICATION;
        return -1;
    }
    r->body[r->body_len] = '\0';
    mr_sym_curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    char *loc = NULL;
    if (followed(r->status) &&
        mr_sym_curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
        loc != NULL && strlen(loc) < MR_WEB_URL_MAX) {
        if ((*location = dup_n(loc, strlen(loc))) == NULL) {
            snprintf(r->error, sizeof(r->error), "out of memory");
            return -1;
        }
    }
    return 0;
}

/* Moves the headers of r's current answer to hop h. */
static int keep_hop_headers(mr_web_response *r, mr_web_hop *h)
{
    h->headers = NULL;
    h->nheaders = 0;
    if (r->nheaders == 0)
        return 0;
    h->headers = malloc(r->nheaders * sizeof(*h->headers));
    if (h->headers == NULL)
        return -1;
    memcpy(h->headers, r->headers, r->nheaders * sizeof(*h->headers));
    h->nheaders = r->nheaders;
    r->nheaders = 0;
    r->headers_dropped = 0;
    return 0;
}

int mr_web_fetch(mr_web_fetcher *f, const char *url, int follow,
                 size_t body_max, mr_web_response *r)
{
    mr_web_req q = {follow, body_max, 0, NULL, NULL, NULL};
    return mr_web_fetch_req(f, url, &q, r);
}

int mr_web_fetch_req(mr_web_fetcher *f, const char *url, const mr_web_req *q,
                     mr_web_response *r)
{
    int follow = q->follow;
    memset(r, 0, sizeof(*r));
    r->url = dup_n(url, strlen(url));
    r->body = malloc(q->body_max + 1);
    if (r->url == NULL || r->body == NULL) {
        snprintf(r->error, sizeof(r->error), "out of memory");
        return -1;
    }
    char *cur = dup_n(url, strlen(url));
    if (cur == NULL) {
        snprintf(r->error, sizeof(r->error), "out of memory");
        return -1;
    }
    for (;;) {
        char *next = NULL;
        if (one(f, cur, q, r, &next) != 0) {
            free(cur);
            return -1;
        }
        if (!follow || next == NULL) {
            free(next);
            break;
        }
        if (r->nhops >= MR_WEB_REDIRECTS_MAX) {
            free(next);
            free(cur);
            snprintf(r->error, sizeof(r->error), "more than %d redirects",
                     MR_WEB_REDIRECTS_MAX);
            return -1;
        }
        if (keep_hop_headers(r, &r->hops[r->nhops]) != 0) {
            free(next);
            free(cur);
            snprintf(r->error, sizeof(r->error), "out of memory");
            return -1;
        }
        r->hops[r->nhops].url = cur;
        r->hops[r->nhops].status = r->status;
        r->nhops++;
        cur = next;
    }
    r->final_url = cur;
    return 0;
}
