/*
 * site.c — probing one site in a worker (site.h): the URL split with
 * libcurl's parser, the response with its redirects, what the header
 * grade needs besides (obs_site.c: the other scheme, the CORS
 * preflight), the TLS probe of the https side, the exposed files;
 * nothing is reported from here.
 * Sites of the same host and port wait for each other (mr_web_hosts), so
 * that one server never gets two of our probes at once however many
 * workers run.
 */
#include "common.h"

#include <strings.h>

#include "io/curl_syms.h"
#include "web/obs_site.h"
#include "web/site.h"

int mr_web_hosts_init(mr_web_hosts *h)
{
    memset(h, 0, sizeof(*h));
    if (pthread_mutex_init(&h->mu, NULL) != 0)
        return -1;
    if (pthread_cond_init(&h->cv, NULL) != 0) {
        pthread_mutex_destroy(&h->mu);
        return -1;
    }
    return 0;
}

void mr_web_hosts_destroy(mr_web_hosts *h)
{
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
}

static void host_key(const mr_web_site *s, char *key, size_t cap)
{
    snprintf(key, cap, "%s:%u", s->host, s->port);
}

static void host_take(mr_web_hosts *h, const char *key)
{
    pthread_mutex_lock(&h->mu);
    for (;;) {
        int busy = 0;
        for (size_t i = 0; i < h->n; i++)
            busy |= strcasecmp(h->busy[i], key) == 0;
        if (!busy && h->n < MR_WEB_BUSY_MAX)
            break;
        pthread_cond_wait(&h->cv, &h->mu);
    }
    snprintf(h->busy[h->n++], sizeof(h->busy[0]), "%s", key);
    pthread_mutex_unlock(&h->mu);
}

static void host_give(mr_web_hosts *h, const char *key)
{
    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->busy[i], key) == 0) {
            memcpy(h->busy[i], h->busy[h->n - 1], sizeof(h->busy[0]));
            h->n--;
            break;
        }
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

/* Splits url: http or https, host (IPv6 without brackets), port. */
static int split_url(const char *url, char *scheme, size_t scap, char *host,
                     size_t hcap, unsigned *port, char *why, size_t wcap)
{
    if (mr_curl_load(why, wcap) != 0)
        return -1;
    CURLU *u = mr_sym_curl_url();
    char *sc = NULL, *ho = NULL, *po = NULL;
    int rc = -1;
    if (u == NULL) {
        snprintf(why, wcap, "out of memory");
        return -1;
    }
    if (mr_sym_curl_url_set(u, CURLUPART_URL, url, CURLU_DEFAULT_SCHEME) ||
        mr_sym_curl_url_get(u, CURLUPART_SCHEME, &sc, 0) ||
        mr_sym_curl_url_get(u, CURLUPART_HOST, &ho, 0) ||
        mr_sym_curl_url_get(u, CURLUPART_PORT, &po, CURLU_DEFAULT_PORT)) {
        snprintf(why, wcap, "not a URL");
        goto out;
    }
    if (strcmp(sc, "http") != 0 && strcmp(sc, "https") != 0) {
        snprintf(why, wcap, "not an http or https URL");
        goto out;
    }
    size_t hl = strlen(ho);
    const char *h = ho;
    if (hl >= 2 && ho[0] == '[') {
        h = ho + 1;
        hl -= 2;
    }
    char *end = NULL;
    unsigned long p = strtoul(po, &end, 10);
    if (hl == 0 || hl >= hcap || *end || p == 0 || p > 65535) {
        snprintf(why, wcap, "bad host or port");
        goto out;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = (unsigned)p;
    snprintf(scheme, scap, "%s", sc);
    rc = 0;
out:
    mr_sym_curl_free(sc);
    mr_sym_curl_free(ho);
    mr_sym_curl_free(po);
    mr_sym_curl_url_cleanup(u);
    return rc;
}

/* scheme://host[:port] of url, for the exposure probes. */
static int origin_of(const char *url, char *out, size_t cap)
{
    CURLU *u = mr_curl_load(NULL, 0) == 0 ? mr_sym_curl_url() : NULL;
    char *o = NULL;
    int rc = -1;
    if (u && mr_sym_curl_url_set(u, CURLUPART_URL, url, CURLU_DEFAULT_SCHEME) == 0 &&
        mr_sym_curl_url_set(u, CURLUPART_PATH, "", 0) == 0 &&
        mr_sym_curl_url_set(u, CURLUPART_QUERY, NULL, 0) == 0 &&
        mr_sym_curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == 0 &&
        mr_sym_curl_url_get(u, CURLUPART_URL, &o, 0) == 0) {
        size_t n = strlen(o);
        while (n > 0 && o[n - 1] == '/')
            n--;
        if (n < cap) {
            memcpy(out, o, n);
            out[n] = '\0';
            rc = 0;
        }
    }
    if (u) { /* NULL where libcurl could not be opened */
        mr_sym_curl_free(o);
        mr_sym_curl_url_cleanup(u);
    }
    return rc;
}

typedef struct collect {
    mr_web_site *s;
    size_t cap;
} collect;

static int on_hit(void *user, const mr_web_hit *h)
{
    collect *c = user;
    mr_web_site *s = c->s;
    if (s->nfound >= c->cap)
        return 0;
    mr_web_found *f = &s->found[s->nfound++];
    f->probe = h->probe;
    snprintf(f->url, sizeof(f->url), "%s", h->url);
    f->status = h->status;
    memcpy(f->evidence, h->evidence, sizeof(f->evidence));
    return 0;
}

static void probe_tls(mr_web_site *s, const mr_web_cfg *cfg, int64_t deadline)
{
    char scheme[8];
    unsigned port = s->port;
    snprintf(s->tls_host, sizeof(s->tls_host), "%s", s->host);
    /* an http:// URL redirected to https:// is judged on the https side */
    if (strcmp(s->scheme, "https") != 0 &&
        split_url(s->resp.final_url, scheme, sizeof(scheme), s->tls_host,
                  sizeof(s->tls_host), &port, s->tls_why,
                  sizeof(s->tls_why)) != 0)
        return;
    if ((s->tls = calloc(1, sizeof(*s->tls))) == NULL) {
        s->nomem = 1;
        return;
    }
    s->tls_probed = 1;
    s->tls_failed = mr_tls_probe(s->tls_host, port, cfg->ca_file, deadline,
                                 s->tls, s->tls_why, sizeof(s->tls_why)) != 0;
}

void mr_web_site_probe(mr_web_site *s, const mr_web_cfg *cfg)
{
    char key[MR_WEB_HOST_MAX + 8], origin[MR_WEB_URL_MAX];
    if (split_url(s->url, s->scheme, sizeof(s->scheme), s->host,
                  sizeof(s->host), &s->port, s->why, sizeof(s->why)) != 0)
        return;
    s->parsed = 1;
    host_key(s, key, sizeof(key));
    host_take(cfg->hosts, key);
    /* the deadline starts when the site's turn comes */
    int64_t deadline = mr_web_now_ms() + cfg->timeout_ms;
    mr_web_fetcher *f = mr_web_fetcher_new(deadline);
    if (f == NULL) {
        s->nomem = 1;
        goto out;
    }
    s->fetched = mr_web_obs_fetch(f, s->url, cfg, &s->resp,
                                  &s->resp_unverified) == 0;
    if (!s->fetched)
        goto out;
    /* the other scheme and the CORS preflight, for the header grade */
    if (mr_web_obs_retrieve(s, f, cfg) != 0)
        s->nomem = 1;
    if (!cfg->no_tls && strncmp(s->resp.final_url, "https://", 8) == 0)
        probe_tls(s, cfg, deadline);
    if (!cfg->no_exposure &&
        origin_of(s->resp.final_url, origin, sizeof(origin)) == 0) {
        size_t nre = cfg->recheck ? cfg->recheck->n : 0;
        collect c = {s, cfg->cat->n + nre};
        if ((s->found = calloc(c.cap ? c.cap : 1, sizeof(*s->found))) == NULL) {
            s->nomem = 1;
            goto out;
        }
        s->exposure_failed =
            mr_web_exposure(f, origin, cfg->cat, on_hit, &c, s->exposure_why,
                            sizeof(s->exposure_why)) < 0;
        /* what the access log showed served to attackers, asked again */
        if (!s->exposure_failed && nre)
            s->exposure_failed =
                mr_web_exposure(f, origin, cfg->recheck, on_hit, &c,
                                s->exposure_why, sizeof(s->exposure_why)) < 0;
    }
out:
    mr_web_fetcher_free(f);
    host_give(cfg->hosts, key);
}

void mr_web_site_clear(mr_web_site *s)
{
    mr_web_response_free(&s->resp);
    mr_web_response_free(&s->other);
    mr_web_response_free(&s->cors);
    free(s->tls);
    free(s->found);
    memset(s, 0, sizeof(*s));
}
