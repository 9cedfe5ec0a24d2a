/*
 * test_web_observatory.c — lib/web/observatory.h, one case per result id
 * of the Observatory's ten tests: a table of header lines (one response,
 * "Name: value" joined by '\n', graded as the HTTPS answer after an HTTP
 * redirect to it) and the result expected of one test. The grade
 * arithmetic, preload and certificate cases, and hostile bytes follow.
 * Agreement with the Observatory itself is the conformance test's job
 * (tests/web/observatory_conformance.sh).
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#include "web/observatory.h"

#define CASE_HEADERS_MAX 16
#define CASE_TEXT_MAX 2048

typedef struct one_case {
    mr_obs_test test;
    const char *headers;
    const char *body;
    const char *want;
} one_case;

#define GOOD "Strict-Transport-Security: max-age=31536000\nContent-Type: text/html\n"

static const one_case CASES[] = {
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'none'", NULL, "csp-implemented-with-no-unsafe-default-src-none" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'", NULL, "csp-implemented-with-no-unsafe" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'; style-src 'unsafe-inline'", NULL, "csp-implemented-with-unsafe-inline-in-style-src-only" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'; img-src http:", NULL, "csp-implemented-with-insecure-scheme-in-passive-content-only" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self' 'unsafe-eval'", NULL, "csp-implemented-with-unsafe-eval" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'; script-src 'unsafe-inline'", NULL, "csp-implemented-with-unsafe-inline" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'; connect-src http://api.example.org", NULL, "csp-implemented-with-insecure-scheme" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: img-s", NULL, "csp-header-invalid" },
    { MR_OBS_CSP, GOOD, NULL, "csp-not-implemented" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy-Report-Only: default-src 'none'", NULL, "csp-not-implemented-but-reporting-enabled" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'; report-to a; report-to b", NULL, "csp-implemented-but-duplicate-directives" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self' 'nonce-x' 'unsafe-inline'", NULL, "csp-implemented-with-no-unsafe" },
    { MR_OBS_CSP, GOOD "Content-Security-Policy: default-src 'self'; script-src 'sha256-x' 'strict-dynamic' https:", NULL, "csp-implemented-with-no-unsafe" },
    { MR_OBS_CSP, GOOD, "<meta http-equiv=Content-Security-Policy content=\"default-src &#39;none&#39;\">", "csp-implemented-with-no-unsafe-default-src-none" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: a=1; Secure; SameSite=Lax", NULL, "cookies-secure-with-httponly-sessions-and-samesite" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: a=1; Secure", NULL, "cookies-secure-with-httponly-sessions" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: =nameless", NULL, "cookies-not-found" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: a=1", NULL, "cookies-without-secure-flag-but-protected-by-hsts" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: sessionid=1; HttpOnly", NULL, "cookies-session-without-secure-flag-but-protected-by-hsts" },
    { MR_OBS_COOKIES, "Set-Cookie: a=1", NULL, "cookies-without-secure-flag" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: a=1; Secure; SameSite", NULL, "cookies-samesite-flag-invalid" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: X-CSRF-Token=1; Secure", NULL, "cookies-anticsrf-without-samesite-flag" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: LOGIN=1; Secure", NULL, "cookies-session-without-httponly-flag" },
    { MR_OBS_COOKIES, "Set-Cookie: sess=1; HttpOnly", NULL, "cookies-session-without-secure-flag" },
    { MR_OBS_COOKIES, GOOD "Set-Cookie: __Host-sess=1; Secure; Domain=example.org; Path=/", NULL, "cookies-not-found" },
    { MR_OBS_REFERRER, GOOD "Referrer-Policy: no-referrer", NULL, "referrer-policy-private" },
    { MR_OBS_REFERRER, GOOD, NULL, "referrer-policy-not-implemented" },
    { MR_OBS_REFERRER, GOOD "Referrer-Policy: no-referrer, unsafe-url, bogus", NULL, "referrer-policy-unsafe" },
    { MR_OBS_REFERRER, GOOD "Referrer-Policy: bogus", NULL, "referrer-policy-header-invalid" },
    { MR_OBS_REFERRER, GOOD "Referrer-Policy: unsafe-url", "<meta name=referrer content=same-origin>", "referrer-policy-private" },
    { MR_OBS_HSTS, "Strict-Transport-Security: max-age=15552000", NULL, "hsts-implemented-max-age-at-least-six-months" },
    { MR_OBS_HSTS, "Strict-Transport-Security: max-age=15551999", NULL, "hsts-implemented-max-age-less-than-six-months" },
    { MR_OBS_HSTS, "Strict-Transport-Security: max-age=-1", NULL, "hsts-implemented-max-age-less-than-six-months" },
    { MR_OBS_HSTS, "X-Other: 1", NULL, "hsts-not-implemented" },
    { MR_OBS_HSTS, "Strict-Transport-Security: preload", NULL, "hsts-header-invalid" },
    { MR_OBS_SRI, GOOD, "<script src=/a.js integrity=sha384-x></script>", "sri-implemented-and-all-scripts-loaded-securely" },
    { MR_OBS_SRI, GOOD, "<script src=https://cdn.example.net/a.js integrity=sha384-x></script>", "sri-implemented-and-external-scripts-loaded-securely" },
    { MR_OBS_SRI, "Content-Type: image/png", "<script src=http://x.example.net/a.js></script>", "sri-not-implemented-response-not-html" },
    { MR_OBS_SRI, GOOD, "<p>no scripts</p><!-- <script src=//x.example.net/a.js></script> -->", "sri-not-implemented-but-no-scripts-loaded" },
    { MR_OBS_SRI, GOOD, "<script src=\"https://static.example.org/a.js\"></script>", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin" },
    { MR_OBS_SRI, GOOD, "<SCRIPT SRC=\"https://cdn.example.net/a.js\"></SCRIPT>", "sri-not-implemented-but-external-scripts-loaded-securely" },
    { MR_OBS_SRI, GOOD, "<script src=http://cdn.example.net/a.js integrity=sha256-x></script>", "sri-implemented-but-external-scripts-not-loaded-securely" },
    { MR_OBS_SRI, GOOD, "<script src='//cdn.example.net/a.js'></script>", "sri-not-implemented-and-external-scripts-not-loaded-securely" },
    { MR_OBS_XCTO, GOOD "X-Content-Type-Options: NoSniff", NULL, "x-content-type-options-nosniff" },
    { MR_OBS_XCTO, GOOD, NULL, "x-content-type-options-not-implemented" },
    { MR_OBS_XCTO, GOOD "X-Content-Type-Options: nosniff\nX-Content-Type-Options: nosniff", NULL, "x-content-type-options-header-invalid" },
    { MR_OBS_XFO, GOOD "Content-Security-Policy: frame-ancestors 'none'", NULL, "x-frame-options-implemented-via-csp" },
    { MR_OBS_XFO, GOOD "X-Frame-Options: sameorigin", NULL, "x-frame-options-sameorigin-or-deny" },
    { MR_OBS_XFO, GOOD "X-Frame-Options: ALLOW-FROM https://a.example", NULL, "x-frame-options-allow-from-origin" },
    { MR_OBS_XFO, GOOD, NULL, "x-frame-options-not-implemented" },
    { MR_OBS_XFO, GOOD "X-Frame-Options: DENY\nX-Frame-Options: DENY", NULL, "x-frame-options-header-invalid" },
    { MR_OBS_CORP, GOOD "Cross-Origin-Resource-Policy: bogus", NULL, "corp-header-invalid" },
    { MR_OBS_CORP, GOOD "Cross-Origin-Resource-Policy: cross-origin", NULL, "corp-implemented-with-cross-origin" },
    { MR_OBS_CORP, GOOD "Cross-Origin-Resource-Policy: same-origin", NULL, "corp-implemented-with-same-origin" },
    { MR_OBS_CORP, GOOD "Cross-Origin-Resource-Policy: SAME-SITE", NULL, "corp-implemented-with-same-site" },
    { MR_OBS_CORP, GOOD, NULL, "corp-not-implemented" },
};

typedef struct built {
    char text[CASE_TEXT_MAX];
    mr_obs_header h[CASE_HEADERS_MAX];
    mr_obs_response http[2], https[1];
    mr_obs_input in;
} built;

/* One HTTPS response with headers (lines "Name: value"), reached by a
 * redirect from HTTP, for www.example.org. */
static void build(built *b, const char *headers, const char *body)
{
    memset(b, 0, sizeof *b);
    snprintf(b->text, sizeof b->text, "%s", headers);
    size_t n = 0;
    for (char *p = b->text; p && *p && n < CASE_HEADERS_MAX;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *c = strchr(p, ':');
        if (c) {
            *c = '\0';
            b->h[n++] = (mr_obs_header){ p, c + 1 };
        }
        p = nl ? nl + 1 : NULL;
    }
    b->http[0] = (mr_obs_response){ "http://www.example.org/", 301, NULL, 0 };
    b->http[1] = (mr_obs_response){ "https://www.example.org/", 200, b->h, n };
    b->https[0] = b->http[1];
    b->in = (mr_obs_input){ .host = "www.example.org", .http = b->http,
        .n_http = 2, .http_verified = true, .https = b->https, .n_https = 1,
        .https_verified = true, .body = body, .body_len = body ? strlen(body) : 0 };
}

static void each_result(void **state)
{
    (void)state;
    static built b;
    for (size_t i = 0; i < MR_ARRAY_LEN(CASES); i++) {
        mr_obs_report r;
        build(&b, CASES[i].headers, CASES[i].body);
        assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
        if (strcmp(r.tests[CASES[i].test].result, CASES[i].want) != 0)
            fail_msg("case %zu: %s, want %s", i, r.tests[CASES[i].test].result,
                     CASES[i].want);
        assert_int_equal(r.tests[CASES[i].test].modifier, mr_obs_modifier(CASES[i].want));
        assert_string_not_equal(r.tests[CASES[i].test].description, "");
    }
}

static bool all_preloaded(void *ctx, const char *host)
{
    (void)ctx;
    (void)host;
    return true;
}

static void redirection_and_certs(void **state)
{
    (void)state;
    static built b;
    mr_obs_report r;
    build(&b, GOOD, NULL);
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_REDIRECTION].result, "redirection-to-https");
    b.in.preloaded = all_preloaded;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_REDIRECTION].result, "redirection-all-redirects-preloaded");
    assert_string_equal(r.tests[MR_OBS_HSTS].result, "hsts-preloaded");
    b.in.preloaded = NULL;
    b.in.http_verified = b.in.https_verified = false;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_REDIRECTION].result, "redirection-invalid-cert");
    assert_string_equal(r.tests[MR_OBS_HSTS].result, "hsts-invalid-cert");
    b.in.http_verified = b.in.https_verified = true;
    b.in.n_http = 1;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_REDIRECTION].result, "redirection-missing");
    b.http[1].url = "http://www.example.org/next";
    b.in.n_http = 2;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_REDIRECTION].result, "redirection-not-to-https");
    b.in.n_http = 0;
    b.in.n_https = 1;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_REDIRECTION].result, "redirection-not-needed-no-http");
    /* no HTTPS: graded over HTTP, HSTS impossible */
    build(&b, "Content-Type: text/html", NULL);
    b.in.n_https = 0;
    b.in.n_http = 1;
    b.http[0] = b.http[1];
    b.http[0].url = "http://www.example.org/";
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_HSTS].result, "hsts-not-implemented-no-https");
    assert_int_equal(r.score, 100 - 25 - 20 - 20 - 5 - 20);
    assert_string_equal(r.grade, "F");
    b.http[0].status = 500;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_ESTATUS);
    b.in.n_http = 0;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_EINVAL);
}

static void cors(void **state)
{
    (void)state;
    static built b;
    mr_obs_report r;
    mr_obs_header c[2] = { { "Access-Control-Allow-Origin", "https://o.example" },
                           { "Access-Control-Allow-Credentials", "TRUE" } };
    build(&b, GOOD, NULL);
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_CORS].result, "cross-origin-resource-sharing-not-implemented");
    b.in.cors_headers = c;
    b.in.n_cors = 2;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_CORS].result, "cross-origin-resource-sharing-implemented-with-restricted-access");
    b.in.cors_origin = "https://o.example";
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_CORS].result, "cross-origin-resource-sharing-implemented-with-universal-access");
    assert_false(r.tests[MR_OBS_CORS].pass);
    c[0].value = " * ";
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_CORS].result, "cross-origin-resource-sharing-implemented-with-public-access");
}

static void grades(void **state)
{
    (void)state;
    assert_string_equal(mr_obs_grade_for_score(135), "A+");
    assert_string_equal(mr_obs_grade_for_score(100), "A+");
    assert_string_equal(mr_obs_grade_for_score(99), "A");
    assert_string_equal(mr_obs_grade_for_score(90), "A");
    assert_string_equal(mr_obs_grade_for_score(89), "A-");
    assert_string_equal(mr_obs_grade_for_score(64), "C+");
    assert_string_equal(mr_obs_grade_for_score(25), "D-");
    assert_string_equal(mr_obs_grade_for_score(24), "F");
    assert_string_equal(mr_obs_grade_for_score(-40), "F");
    assert_int_equal(mr_obs_modifier("no-such-result"), 0);
    /* extra credit only once the score without it reaches 90 */
    static built b;
    mr_obs_report r;
    build(&b, GOOD "Content-Security-Policy: default-src 'none'\nX-Content-Type-Options: nosniff\n"
              "X-Frame-Options: DENY\nCross-Origin-Resource-Policy: same-site", NULL);
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_int_equal(r.score, 120);
    assert_int_equal(r.tests_passed, 10);
    build(&b, "Content-Type: text/html\nContent-Security-Policy: default-src 'none'\n"
              "Cross-Origin-Resource-Policy: same-site", NULL);
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_int_equal(r.score, 100 - 20 - 5 - 20);   /* HSTS, XCTO, XFO; no bonus */
    assert_string_equal(r.grade, "C");
}

static void hostile(void **state)
{
    (void)state;
    static built b;
    static char big[MR_OBS_VALUE_MAX * 2];
    mr_obs_report r;
    memset(big, 'a', sizeof big - 1);
    memcpy(big, "default-src ", 12);
    build(&b, GOOD, "<script src=\"//x\x01\xff\"<<meta http-equiv content><!--");
    b.h[2] = (mr_obs_header){ "Content-Security-Policy", big };
    b.https[0].n_headers = b.http[1].n_headers = 3;
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_true(r.truncated);
    assert_non_null(r.grade);
    /* a percent escape that decodeURIComponent refuses makes the policy
     * invalid only where two policies are compared */
    build(&b, GOOD "Content-Security-Policy: default-src a/%zz/\nContent-Security-Policy: default-src a/%zz/b", NULL);
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_CSP].result, "csp-implemented-with-no-unsafe");
    build(&b, GOOD "Content-Security-Policy: default-src a/%zz/", "<meta http-equiv=content-security-policy content='default-src a/%zz/b'>");
    assert_int_equal(mr_obs_grade(&b.in, &r), MR_OBS_OK);
    assert_string_equal(r.tests[MR_OBS_CSP].result, "csp-header-invalid");
    assert_int_equal(mr_obs_grade(NULL, &r), MR_OBS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_result),
        cmocka_unit_test(redirection_and_certs),
        cmocka_unit_test(cors),
        cmocka_unit_test(grades),
        cmocka_unit_test(hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
