/*
 * exposure.c — the exposed-files probe and version disclosure
 * (exposure.h). One GET per catalogue path, in catalogue order, over the
 * site's one connection; a path asked twice (the root, for a listing and
 * for a default page) is fetched once.
 */
#include "common.h"

#include <strings.h>

#include "util/random.h"
#include "web/exposure.h"

#define SOFT404_PREFIX_CMP 512  /* bytes compared for "the same page" */

int mr_web_like_soft404(const char *body, size_t len, const char *soft,
                        size_t soft_len)
{
    if (soft == NULL)
        return 0;
    size_t lo = soft_len - soft_len / 10, hi = soft_len + soft_len / 10;
    if (len >= lo && len <= hi)
        return 1;
    size_t n = MR_MIN(SOFT404_PREFIX_CMP, MR_MIN(len, soft_len));
    return n > 0 && memcmp(body, soft, n) == 0;
}

static int looks_html(const char *b, size_t n)
{
    size_t k = MR_MIN(n, 512);
    for (size_t i = 0; i + 5 <= k; i++)
        if (b[i] == '<' && (strncasecmp(b + i, "<html", 5) == 0 ||
                            strncasecmp(b + i, "<!doc", 5) == 0 ||
                            strncasecmp(b + i, "<head", 5) == 0 ||
                            strncasecmp(b + i, "<body", 5) == 0))
            return 1;
    return 0;
}

static void evidence(const mr_web_response *r, const char *sig, char *out,
                     size_t cap)
{
    const char *b = r->body;
    size_t n = r->body_len;
    if (sig[0]) {
        const char *at = memmem(b, n, sig, strlen(sig));
        if (at) {
            n -= (size_t)(at - b);
            b = at;
        }
    }
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)b[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        out[j++] = c >= 32 && c < 127 ? (char)c : '.';
    }
    out[j] = '\0';
}

static int join(char *out, size_t cap, const char *origin, const char *path)
{
    int n = snprintf(out, cap, "%s%s", origin, path);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int mr_web_exposure(mr_web_fetcher *f, const char *origin,
                    const mr_web_catalogue *cat, mr_web_hit_fn fn,
                    void *user, char *err, size_t errcap)
{
    char url[MR_WEB_URL_MAX], soft_path[64];
    mr_web_response soft, r;
    uint64_t rnd = 0;
    int hits = 0, rc = 0;
    mr_random_u64(&rnd);
    snprintf(soft_path, sizeof(soft_path), "/mamori-%016llx-not-here",
             (unsigned long long)rnd);
    if (join(url, sizeof(url), origin, soft_path) != 0) {
        snprintf(err, errcap, "URL too long");
        return -1;
    }
    if (mr_web_fetch(f, url, 0, MR_WEB_PROBE_BODY_MAX, &soft) != 0) {
        snprintf(err, errcap, "%s", soft.error);
        mr_web_response_free(&soft);
        return -1;
    }
    int soft_ok = soft.status >= 200 && soft.status < 300;
    memset(&r, 0, sizeof(r));
    const char *fetched = NULL;          /* the path r holds */
    for (size_t i = 0; i < cat->n; i++) {
        const mr_web_probe *p = &cat->probes[i];
        if (fetched == NULL || strcmp(fetched, p->path) != 0) {
            mr_web_response_free(&r);
            fetched = NULL;
            if (join(url, sizeof(url), origin, p->path) != 0)
                continue;
            if (mr_web_fetch(f, url, 0, MR_WEB_PROBE_BODY_MAX, &r) != 0) {
                snprintf(err, errcap, "%s", r.error);
                rc = -1;
                break;
            }
            fetched = p->path;
        }
        if (r.status < 200 || r.status >= 300)
            continue;
        if (p->sig[0]) {
            if (!memmem(r.body, r.body_len, p->sig, strlen(p->sig)))
                continue;
            /* a page that echoes every path could hold the signature */
            if (soft_ok && memmem(soft.body, soft.body_len, p->sig,
                                  strlen(p->sig)))
                continue;
        } else {
            if (r.body_len == 0 || looks_html(r.body, r.body_len))
                continue;
            if (soft_ok && mr_web_like_soft404(r.body, r.body_len, soft.body,
                                               soft.body_len))
                continue;
        }
        mr_web_hit h;
        memset(&h, 0, sizeof(h));
        h.probe = p;
        h.url = url;
        h.status = r.status;
        evidence(&r, p->sig, h.evidence, sizeof(h.evidence));
        hits++;
        if (fn(user, &h) != 0) {
            rc = -2;
            break;
        }
    }
    mr_web_response_free(&r);
    mr_web_response_free(&soft);
    return rc ? rc : hits;
}

int mr_web_version_token(const char *value, char *out, size_t cap)
{
    const char *p = value;
    while (*p) {
        const char *slash = strchr(p, '/');
        if (slash == NULL)
            return 0;
        if (slash[1] >= '0' && slash[1] <= '9') {
            const char *b = slash;
            while (b > value && b[-1] != ' ' && b[-1] != ',' && b[-1] != '(')
                b--;
            const char *e = slash + 1;
            while (*e && *e != ' ' && *e != ',' && *e != ')' && *e != ';')
                e++;
            size_t n = (size_t)(e - b);
            if (b == slash || n >= cap)
                return 0;
            memcpy(out, b, n);
            out[n] = '\0';
            return 1;
        }
        p = slash + 1;
    }
    return 0;
}
