/*
 * https.c — the one HTTPS fetch of the DNS checks: the MTA-STS policy
 * (RFC 8461 3.3), with libcurl.
 *
 * The address comes from mamori's own resolver (so --resolver governs
 * it too) and is pinned with CURLOPT_RESOLVE; only https is allowed, no
 * redirects (RFC 8461 3.3 forbids following them), the certificate is
 * verified for the host name, the body is capped at the caller's buffer
 * and the transfer ends at the domain's deadline. Tests may name a CA
 * bundle and a port (opts.https_ca/https_port); nothing else changes.
 */
#include "common.h"

#include "dns/check.h"
#include "io/curl_syms.h"

#define MR_HTTPS_UA "mamori/" MAMORI_VERSION " (MTA-STS check)"

typedef struct body_buf {
    char *p;
    size_t len, cap;
    bool over;
} body_buf;

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    body_buf *b = user;
    size_t n = size * nmemb;
    if (n > b->cap - 1 - b->len) {
        b->over = true;
        return 0;   /* aborts the transfer */
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return n;
}

int mr_https_get(mr_dcheck *dc, const char *host, const char *path,
                 char *buf, size_t cap, size_t *len, char *why,
                 size_t why_cap)
{
    char addr[MR_IP_TEXT_MAX], url[MR_DNS_NAME_MAX + 128];
    char pin[MR_DNS_NAME_MAX + MR_IP_TEXT_MAX + 16];
    unsigned port = dc->cfg->https_port ? dc->cfg->https_port : 443;
    mr_ip ip = {0, {0}};

    *len = 0;
    int rc = mr_dq(dc, host, MR_DNS_T_A);
    if (rc == MR_DNS_NOERROR && dc->ans->n > 0) {
        ip.family = 4;
        memcpy(ip.b, mr_dns_rr_data(dc->ans, 0), 4);
    } else if (mr_dq(dc, host, MR_DNS_T_AAAA) == MR_DNS_NOERROR &&
               dc->ans->n > 0) {
        ip.family = 6;
        memcpy(ip.b, mr_dns_rr_data(dc->ans, 0), 16);
    } else {
        snprintf(why, why_cap, "%s has no address", host);
        return -1;
    }
    mr_ip_format(&ip, addr, sizeof addr);
    snprintf(url, sizeof url, "https://%s:%u%s", host, port, path);
    snprintf(pin, sizeof pin, ip.family == 6 ? "%s:%u:[%s]" : "%s:%u:%s",
             host, port, addr);
    int64_t left = mr_ub_remaining_ms(dc->ub);
    if (left <= 0) {
        snprintf(why, why_cap, "no time left before the deadline");
        return -1;
    }
    if (mr_curl_load(why, why_cap) != 0)
        return -1;
    CURL *c = mr_sym_curl_easy_init();
    struct curl_slist *res = mr_sym_curl_slist_append(NULL, pin);
    body_buf b = {buf, 0, cap, false};
    int ret = -1;
    if (c == NULL || res == NULL) {
        snprintf(why, why_cap, "out of memory");
        goto out;
    }
    mr_sym_curl_easy_setopt(c, CURLOPT_URL, url);
    mr_sym_curl_easy_setopt(c, CURLOPT_RESOLVE, res);
    mr_sym_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    mr_sym_curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    mr_sym_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    mr_sym_curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
    mr_sym_curl_easy_setopt(c, CURLOPT_USERAGENT, MR_HTTPS_UA);
    mr_sym_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    mr_sym_curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    mr_sym_curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    mr_sym_curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (dc->cfg->https_ca)
        mr_sym_curl_easy_setopt(c, CURLOPT_CAINFO, dc->cfg->https_ca);
    CURLcode e = mr_sym_curl_easy_perform(c);
    long status = 0;
    mr_sym_curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (b.over)
        snprintf(why, why_cap, "policy larger than %zu bytes", cap - 1);
    else if (e != CURLE_OK)
        snprintf(why, why_cap, "%s", mr_sym_curl_easy_strerror(e));
    else if (status != 200)
        snprintf(why, why_cap, "HTTP status %ld (want 200; redirects are "
                 "not followed)", status);
    else {
        buf[b.len] = '\0';
        *len = b.len;
        ret = 0;
    }
out:
    mr_sym_curl_slist_free_all(res);
    if (c)
        mr_sym_curl_easy_cleanup(c);
    return ret;
}
