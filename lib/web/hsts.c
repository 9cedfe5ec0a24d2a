/*
 * hsts.c — HSTS preload eligibility (hsts.h), from what the site probe
 * fetched: both schemes' chains with every hop's headers (obs_site.c).
 * The header is read with a cursor and a bound, directive by directive.
 */
#include "common.h"

#include <strings.h>

#include "web/hsts.h"

#define HSTS_VALUE_MAX 1024   /* bytes of a header value read */

static void reason(mr_web_preload *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void reason(mr_web_preload *p, const char *fmt, ...)
{
    va_list ap;
    if (p->n >= MR_HSTS_REASONS_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(p->reasons[p->n++], MR_HSTS_REASON_MAX, fmt, ap);
    va_end(ap);
}

static int is_sp(char c)
{
    return c == ' ' || c == '\t';
}

int mr_web_hsts_parse(const char *v, long long *max_age, int *subdomains,
                      int *preload)
{
    size_t len = strnlen(v, HSTS_VALUE_MAX), i = 0;
    int seen_age = 0;
    *max_age = -1;
    *subdomains = *preload = 0;
    while (i <= len) {
        size_t s = i, e;
        while (i < len && v[i] != ';')
            i++;
        e = i++;
        while (s < e && is_sp(v[s]))
            s++;
        while (e > s && is_sp(v[e - 1]))
            e--;
        size_t n = e - s;
        const char *d = v + s;
        if (n == 0)
            continue;
        if (n >= 8 && strncasecmp(d, "max-age=", 8) == 0) {
            if (seen_age++)
                return -1;
            size_t k = 8, q = 0;
            if (k < n && d[k] == '"') {
                q = 1;
                k++;
            }
            long long age = 0;
            size_t digits = 0;
            for (; k < n && d[k] >= '0' && d[k] <= '9'; k++, digits++)
                if (age < 1000000000000LL)
                    age = age * 10 + (d[k] - '0');
            if (q && k < n && d[k] == '"')
                k++;
            if (digits == 0 || k != n)
                return -1;
            *max_age = age;
        } else if (n == 17 && strncasecmp(d, "includeSubDomains", 17) == 0) {
            if ((*subdomains)++)
                return -1;
        } else if (n == 7 && strncasecmp(d, "preload", 7) == 0) {
            if ((*preload)++)
                return -1;
        }                      /* anything else: ignored, as browsers do */
    }
    return 0;
}

/* The header list of the first answer of chain r. */
static void first_answer(const mr_web_response *r, const mr_web_header **h,
                         size_t *n)
{
    if (r->nhops) {
        *h = r->hops[0].headers;
        *n = r->hops[0].nheaders;
    } else {
        *h = r->headers;
        *n = r->nheaders;
    }
}

static int url_https_host(const char *url, const char *host)
{
    size_t hl = strlen(host);
    if (url == NULL || strncasecmp(url, "https://", 8) != 0)
        return 0;
    const char *p = url + 8;
    return strncasecmp(p, host, hl) == 0 &&
           (p[hl] == '/' || p[hl] == ':' || p[hl] == '\0');
}

void mr_web_hsts_preload(const mr_web_site *s, const mr_psl *psl,
                         mr_web_preload *out)
{
    memset(out, 0, sizeof(*out));
    int https_given = strcmp(s->scheme, "https") == 0;
    const mr_web_response *sr = https_given ? &s->resp
                              : s->other_fetched ? &s->other : NULL;
    const mr_web_response *hr = https_given ? (s->other_fetched ? &s->other : NULL)
                                            : &s->resp;
    int s_unverified = https_given ? s->resp_unverified : s->other_unverified;
    if (!s->fetched || sr == NULL || sr->final_url == NULL)
        return;
    out->https = 1;

    const mr_web_header *h;
    size_t nh, count = 0;
    const char *value = NULL;
    first_answer(sr, &h, &nh);
    for (size_t i = 0; i < nh; i++)
        if (strcasecmp(h[i].name, "Strict-Transport-Security") == 0) {
            count++;
            value = value ? value : h[i].value;
        }
    long long age = -1;
    int sub = 0, pre = 0;
    if (count == 0)
        reason(out, "no Strict-Transport-Security header on the first "
                    "https answer");
    else if (count > 1)
        reason(out, "%zu Strict-Transport-Security headers", count);
    if (value && mr_web_hsts_parse(value, &age, &sub, &pre) != 0)
        reason(out, "the header cannot be parsed (a directive twice, or "
                    "max-age not a number)");
    out->asked = pre > 0;
    if (value) {
        if (age < MR_HSTS_PRELOAD_AGE)
            reason(out, "max-age %lld, under a year (31536000)", age);
        if (!sub)
            reason(out, "no includeSubDomains");
        if (!pre)
            reason(out, "no preload directive");
    }
    if (s_unverified)
        reason(out, "the certificate is not valid");
    char reg[MR_WEB_HOST_MAX];
    if (mr_psl_registrable(psl, true, s->host, reg, sizeof(reg)) != 0)
        reason(out, "%s has no registrable domain", s->host);
    else if (strcasecmp(reg, s->host) != 0)
        reason(out, "%s is a subdomain: only %s can be submitted", s->host, reg);
    if (hr && hr->final_url &&
        !url_https_host(hr->nhops ? (hr->nhops > 1 ? hr->hops[1].url
                                                  : hr->final_url) : NULL,
                        s->host))
        reason(out, "http:// does not redirect first to https://%s",
               s->host);
    int insecure = strncasecmp(sr->final_url, "https://", 8) != 0;
    for (size_t i = 0; i < sr->nhops; i++)
        insecure |= strncasecmp(sr->hops[i].url, "https://", 8) != 0;
    if (insecure)
        reason(out, "the https:// side redirects to http://");
    out->eligible = out->n == 0;
}
