/*
 * test_web.c — the pure parts of `mamori web`: the SSL Labs grade and its
 * caps on made-up probe results (no server needed), the differences to
 * Mozilla's intermediate configuration, the compiled-in data files (they
 * parse, and every check they name exists), the cipher-string judgement
 * of the configuration review, header lines as libcurl hands them over,
 * version tokens, the soft-404 comparison and both tokenizers; HSTS
 * preload eligibility on made-up fetches (a table of cases).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/finding.h"
#include "web/catalogue.h"
#include "web/conf.h"
#include "web/exposure.h"
#include "web/fetch.h"
#include "web/hsts.h"
#include "web/tlsgrade.h"

static void suite(mr_tls_result *r, int v, const char *name, int bits,
                  int fs, int aead, int kx)
{
    mr_tls_suite *s = &r->suites[v][r->nsuites[v]++];
    memset(s, 0, sizeof(*s));
    snprintf(s->name, sizeof(s->name), "%s", name);
    s->bits = bits;
    s->fs = fs;
    s->aead = aead;
    s->kx_secbits = kx;
}

/* A modern site: TLS 1.2 and 1.3, ECDHE with AES-GCM, a trusted
 * RSA-2048 certificate for its name. */
static mr_tls_result *modern(void)
{
    mr_tls_result *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    r->proto[MR_TLS_SSL3] = MR_TLS_UNTESTED;
    r->proto[MR_TLS_1_2] = MR_TLS_ACCEPTED;
    r->proto[MR_TLS_1_3] = MR_TLS_ACCEPTED;
    suite(r, MR_TLS_1_2, "ECDHE-RSA-AES128-GCM-SHA256", 128, 1, 1, 128);
    suite(r, MR_TLS_1_2, "ECDHE-RSA-AES256-GCM-SHA384", 256, 1, 1, 128);
    suite(r, MR_TLS_1_3, "TLS_AES_256_GCM_SHA384", 256, 1, 1, 128);
    r->cert.present = r->cert.verified = r->cert.name_match = 1;
    r->cert.days_left = 200;
    snprintf(r->cert.key_type, sizeof(r->cert.key_type), "RSA");
    r->cert.key_bits = 2048;
    r->cert.key_secbits = 112;
    snprintf(r->groups[r->ngroups++], MR_TLS_NAME_MAX, "X25519");
    return r;
}

static void grade_modern(void **state)
{
    (void)state;
    mr_tls_result *r = modern();
    mr_tls_grade g;
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "A");
    assert_int_equal(g.protocol_score, 100);
    assert_int_equal(g.kx_score, 90);
    assert_int_equal(g.cipher_score, 90);
    assert_int_equal(g.score, 93);
    assert_int_equal(g.nreasons, 0);
    mr_tls_grade_of(r, 15552000, &g);       /* six months of HSTS */
    assert_string_equal(g.grade, "A+");
    mr_tls_grade_of(r, 86400, &g);
    assert_string_equal(g.grade, "A");
    free(r);
}

static void grade_caps(void **state)
{
    (void)state;
    mr_tls_grade g;
    mr_tls_result *r = modern();
    r->proto[MR_TLS_1_0] = MR_TLS_ACCEPTED;   /* TLS 1.0: B */
    suite(r, MR_TLS_1_0, "ECDHE-RSA-AES128-SHA", 128, 1, 0, 128);
    mr_tls_grade_of(r, 99999999, &g);
    assert_string_equal(g.grade, "B");
    free(r);

    r = modern();                              /* no forward secrecy: B */
    r->nsuites[MR_TLS_1_2] = 0;
    r->proto[MR_TLS_1_3] = MR_TLS_REFUSED;
    r->nsuites[MR_TLS_1_3] = 0;
    suite(r, MR_TLS_1_2, "AES128-GCM-SHA256", 128, 0, 1, 112);
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "B");
    free(r);

    r = modern();                              /* a NULL suite: F */
    suite(r, MR_TLS_1_2, "NULL-SHA256", 0, 0, 0, 112);
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "F");
    free(r);

    r = modern();                              /* 3DES on TLS 1.2: C */
    suite(r, MR_TLS_1_2, "DES-CBC3-SHA", 112, 0, 0, 112);
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "C");
    free(r);

    r = modern();                              /* no TLS 1.2/1.3: C */
    r->proto[MR_TLS_1_2] = r->proto[MR_TLS_1_3] = MR_TLS_REFUSED;
    r->nsuites[MR_TLS_1_2] = r->nsuites[MR_TLS_1_3] = 0;
    r->proto[MR_TLS_1_0] = MR_TLS_ACCEPTED;
    suite(r, MR_TLS_1_0, "ECDHE-RSA-AES128-SHA", 128, 1, 0, 128);
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "C");
    free(r);

    r = modern();                              /* RSA 1024: B */
    r->cert.key_bits = 1024;
    r->cert.key_secbits = 80;
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "B");
    free(r);
}

static void grade_trust(void **state)
{
    (void)state;
    mr_tls_grade g;
    mr_tls_result *r = modern();
    r->cert.verified = 0;
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "T");
    assert_string_equal(g.grade_if_trusted, "A");
    r->cert.verified = 1;
    r->cert.days_left = -3;
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "T");
    r->cert.days_left = 3;
    r->cert.sig_weak = 1;
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "T");
    r->cert.sig_weak = 0;
    r->cert.name_match = 0;
    mr_tls_grade_of(r, -1, &g);
    assert_string_equal(g.grade, "M");
    free(r);
}

static void mozilla(void **state)
{
    (void)state;
    mr_web_mozilla m;
    mr_tls_diffs d;
    size_t bad = 0;
    assert_int_equal(mr_web_mozilla_parse(mr_webdata_mozilla_intermediate,
                                          mr_webdata_mozilla_intermediate_len,
                                          &m, &bad), 0);
    assert_int_equal(m.protocols.n, 2);
    assert_true(mr_web_names_has(&m.ciphers, "ECDHE-RSA-AES128-GCM-SHA256"));
    assert_int_equal(m.rsa_key_min, 2048);
    mr_tls_result *r = modern();
    mr_tls_mozilla_diff(r, &m, &d);
    assert_int_equal(d.n, 0);
    r->proto[MR_TLS_1_3] = MR_TLS_REFUSED;
    r->nsuites[MR_TLS_1_3] = 0;
    r->proto[MR_TLS_1_1] = MR_TLS_ACCEPTED;
    suite(r, MR_TLS_1_2, "AES128-SHA", 128, 0, 0, 112);
    snprintf(r->groups[r->ngroups++], MR_TLS_NAME_MAX, "ffdhe2048");
    snprintf(r->groups[r->ngroups++], MR_TLS_NAME_MAX, "secp256r1");
    mr_tls_mozilla_diff(r, &m, &d);
    assert_int_equal(d.n, 4);
    assert_string_equal(d.v[0], "accepts TLSv1.1");
    assert_string_equal(d.v[1], "does not accept TLSv1.3");
    assert_string_equal(d.v[2], "accepts AES128-SHA with TLSv1.2");
    assert_string_equal(d.v[3], "offers the group ffdhe2048");
    free(r);
    /* a typo in the data is refused, with its line */
    const char *t = "protocols: TLSv1.2\nciphres: X\n";
    assert_int_equal(mr_web_mozilla_parse(t, strlen(t), &m, &bad), -1);
    assert_int_equal(bad, 2);
}

static void catalogue(void **state)
{
    (void)state;
    mr_web_catalogue c;
    size_t bad = 0;
    assert_int_equal(mr_web_catalogue_parse(mr_webdata_exposed,
                                            mr_webdata_exposed_len, &c, &bad),
                     0);
    assert_true(c.n >= 20);
    int git = 0;
    for (size_t i = 0; i < c.n; i++) {
        assert_non_null(mamori_check_find(c.probes[i].check));
        git |= strcmp(c.probes[i].path, "/.git/HEAD") == 0 &&
               strcmp(c.probes[i].sig, "ref: refs/") == 0;
    }
    assert_true(git);
    const char *t = "/a web.listing -\nnoslash web.listing x\n";
    assert_int_equal(mr_web_catalogue_parse(t, strlen(t), &c, &bad), -1);
    assert_int_equal(bad, 2);
}

static void ciphers(void **state)
{
    (void)state;
    char why[64];
    assert_false(mr_conf_ciphers_weak("HIGH:!aNULL:!MD5", why, sizeof(why)));
    assert_false(mr_conf_ciphers_weak("ECDHE-RSA-AES128-GCM-SHA256:!RC4",
                                      why, sizeof(why)));
    assert_true(mr_conf_ciphers_weak("HIGH:DES-CBC3-SHA", why, sizeof(why)));
    assert_string_equal(why, "DES-CBC3-SHA");
    assert_true(mr_conf_ciphers_weak("AES128-SHA:@SECLEVEL=0", why,
                                     sizeof(why)));
    assert_true(mr_conf_ciphers_weak("ALL:eNULL", why, sizeof(why)));
    assert_true(mr_conf_ciphers_weak("RC4-SHA", why, sizeof(why)));
}

static void headers(void **state)
{
    (void)state;
    mr_web_response r;
    memset(&r, 0, sizeof(r));
    const char *lines[] = {"HTTP/1.1 301 Moved\r\n", "Location: /x\r\n",
                           "\r\n", "HTTP/1.1 200 OK\r\n",
                           "Server:   nginx/1.22.1  \r\n", "Set-Cookie: a=1\r\n",
                           "Set-Cookie: b=2\r\n", " folded\r\n",
                           "nocolon\r\n", ":empty\r\n", "\r\n"};
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        assert_int_equal(mr_web_header_line(&r, lines[i], strlen(lines[i])), 0);
    assert_int_equal(r.nheaders, 3);       /* the redirect's are gone */
    assert_string_equal(mr_web_header_get(&r, "server"), "nginx/1.22.1");
    assert_string_equal(r.headers[2].value, "b=2");
    assert_null(mr_web_header_get(&r, "Location"));
    assert_int_equal(mr_web_header_line(&r, "X-A: a\0b\r\n", 10), 0);
    assert_int_equal(r.nheaders, 3);       /* a NUL: dropped */
    mr_web_response_free(&r);
}

static void versions(void **state)
{
    (void)state;
    char t[32];
    assert_true(mr_web_version_token("nginx/1.22.1", t, sizeof(t)));
    assert_string_equal(t, "nginx/1.22.1");
    assert_true(mr_web_version_token("Apache/2.4.57 (Debian)", t, sizeof(t)));
    assert_string_equal(t, "Apache/2.4.57");
    assert_true(mr_web_version_token("PHP/8.2.7", t, sizeof(t)));
    assert_false(mr_web_version_token("nginx", t, sizeof(t)));
    assert_false(mr_web_version_token("Apache", t, sizeof(t)));
    assert_false(mr_web_version_token("cloudflare", t, sizeof(t)));
    assert_false(mr_web_version_token("/1.2", t, sizeof(t)));
}

static void soft404(void **state)
{
    (void)state;
    const char *page = "<html>not found, but 200</html>";
    assert_true(mr_web_like_soft404(page, strlen(page), page, strlen(page)));
    assert_false(mr_web_like_soft404("ref: refs/heads/main\n", 21, page,
                                     strlen(page)));
    assert_false(mr_web_like_soft404("x", 1, NULL, 0));
}

static int count(void *user, const mr_conf_directive *d)
{
    int *n = user;
    (void)d;
    (*n)++;
    return 0;
}

static void tokenizers(void **state)
{
    (void)state;
    int n = 0;
    uint64_t bad = 0;
    const char *ng = "http {\n  a \"b c\" 'd';  # c\n  e;\n}\n";
    assert_int_equal(mr_conf_parse_nginx(ng, strlen(ng), count, &n, &bad), 0);
    assert_int_equal(n, 4);                /* http {, a, e, } */
    const char *open_ = "http {\n a \"b;\n";
    assert_int_equal(mr_conf_parse_nginx(open_, strlen(open_), count, &n, &bad),
                     -1);
    const char *left = "a b";
    assert_int_equal(mr_conf_parse_nginx(left, strlen(left), count, &n, &bad),
                     -1);
    n = 0;
    const char *ap = "# c\n<Directory /x>\n Options \\\n Indexes\n</Directory>\n";
    assert_int_equal(mr_conf_parse_apache(ap, strlen(ap), count, &n, &bad), 0);
    assert_int_equal(n, 3);
}

/* HSTS preload: host, the first https answer's HSTS headers ("|"
 * between two), where https:// redirects first (NULL: it answers), the
 * http side's first redirect (NULL: no redirect, "-": no http),
 * unverified, then eligible and a reason expected ("" none). */
typedef struct preload_case {
    const char *host, *hsts, *https_to, *http_to;
    int unverified, eligible;
    const char *why;
} preload_case;

static const preload_case PRELOAD[] = {
    {"example.com", "max-age=63072000; includeSubDomains; preload", NULL,
     "https://example.com/", 0, 1, ""},
    {"example.com", "max-age=31536000;includeSubDomains;preload", NULL, "-", 0, 1, ""},
    {"www.example.com", "max-age=63072000; includeSubDomains; preload", NULL,
     "https://www.example.com/", 0, 0, "only example.com can be submitted"},
    {"example.com", "max-age=86400; includeSubDomains; preload", NULL,
     "https://example.com/", 0, 0, "under a year"},
    {"example.com", "max-age=63072000; preload", NULL, "https://example.com/",
     0, 0, "no includeSubDomains"},
    {"example.com", "max-age=63072000; includeSubDomains", NULL, "-", 0, 0,
     "no preload directive"},
    {"example.com", "max-age=63072000; includeSubDomains; preload", NULL,
     "https://www.example.com/", 0, 0, "does not redirect first"},
    {"example.com", "max-age=63072000; includeSubDomains; preload", NULL,
     NULL, 0, 0, "does not redirect first"},
    {"example.com", "max-age=63072000; includeSubDomains; preload|max-age=1",
     NULL, "-", 0, 0, "2 Strict-Transport-Security headers"},
    {"example.com", "max-age=63072000; preload; includeSubDomains; preload",
     NULL, "-", 0, 0, "cannot be parsed"},
    {"example.com", "max-age=63072000; includeSubDomains; preload", NULL, "-",
     1, 0, "certificate is not valid"},
    {"example.com", "", "https://example.com/home", "-", 0, 0,
     "no Strict-Transport-Security header on the first"},
    {"example.com", "max-age=63072000; includeSubDomains; preload",
     "http://example.com/", "-", 0, 0, "redirects to http://"},
};

static void add_hsts(mr_web_header *h, size_t *n, const char *spec, char *buf)
{
    snprintf(buf, 256, "%s", spec);
    for (char *p = buf; *p && *n < 2;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        h[*n].name = (char *)"Strict-Transport-Security";
        h[(*n)++].value = p;
        p = bar ? bar + 1 : p + strlen(p);
    }
}

static void hsts_preload(void **state)
{
    (void)state;
    mr_psl *psl = mr_psl_load(NULL);
    for (size_t i = 0; i < sizeof(PRELOAD) / sizeof(PRELOAD[0]); i++) {
        const preload_case *c = &PRELOAD[i];
        mr_web_site s;
        mr_web_header hs[2], fin[1];
        char buf[256], url[128], http[128];
        size_t n = 0;
        memset(&s, 0, sizeof(s));
        snprintf(s.scheme, sizeof(s.scheme), "https");
        snprintf(s.host, sizeof(s.host), "%s", c->host);
        snprintf(url, sizeof(url), "https://%s/", c->host);
        snprintf(http, sizeof(http), "http://%s/", c->host);
        s.fetched = 1;
        s.resp_unverified = c->unverified;
        if (c->hsts[0])
            add_hsts(hs, &n, c->hsts, buf);
        s.resp.url = url;
        if (c->https_to) {   /* a redirect without headers of its own */
            s.resp.hops[0] = (mr_web_hop){url, 301, hs, n};
            s.resp.nhops = 1;
            s.resp.final_url = (char *)c->https_to;
            fin[0] = (mr_web_header){(char *)"Strict-Transport-Security",
                                     (char *)"max-age=63072000; includeSubDomains; preload"};
            memcpy(s.resp.headers, fin, sizeof(fin));
            s.resp.nheaders = c->hsts[0] ? 0 : 1;
        } else {
            s.resp.final_url = url;
            memcpy(s.resp.headers, hs, n * sizeof(hs[0]));
            s.resp.nheaders = n;
        }
        s.resp.status = 200;
        if (strcmp(c->http_to ? c->http_to : "", "-") != 0) {
            s.other_fetched = 1;
            s.other.url = http;
            if (c->http_to) {
                s.other.hops[0] = (mr_web_hop){http, 301, NULL, 0};
                s.other.nhops = 1;
                s.other.final_url = (char *)c->http_to;
            } else {
                s.other.final_url = http;
            }
            s.other.status = 200;
        }
        mr_web_preload p;
        mr_web_hsts_preload(&s, psl, &p);
        if (p.eligible != c->eligible)
            fail_msg("case %zu (%s, %s): eligible %d, reasons %s", i, c->host,
                     c->hsts, p.eligible, p.n ? p.reasons[0] : "-");
        int found = c->why[0] == '\0' && p.n == 0;
        for (size_t k = 0; k < p.n; k++)
            found |= strstr(p.reasons[k], c->why) != NULL;
        if (!found)
            fail_msg("case %zu: no reason with \"%s\" (first: %s)", i, c->why,
                     p.n ? p.reasons[0] : "-");
        assert_int_equal(p.https, 1);
    }
    mr_psl_free(psl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grade_modern), cmocka_unit_test(grade_caps),
        cmocka_unit_test(grade_trust),  cmocka_unit_test(mozilla),
        cmocka_unit_test(catalogue),    cmocka_unit_test(ciphers),
        cmocka_unit_test(headers),      cmocka_unit_test(versions),
        cmocka_unit_test(soft404),      cmocka_unit_test(tokenizers),
        cmocka_unit_test(hsts_preload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
