/*
 * test_normalize.c — mr_normalize / mr_normalize_part / mr_path_canonical:
 * each encoding trick an attacker uses, truncation at the cap, and
 * invalid or partial sequences passed through untouched.
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#include "logscan/detect.h"
#include "logscan/normalize.h"

#define NORM_CAP 256

static void expect_part(const char *in, unsigned flags, const char *want)
{
    char out[NORM_CAP];
    size_t n = mr_normalize_part(in, strlen(in), out, sizeof out, flags);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);
}

static void expect_target(const char *in, const char *want)
{
    char out[NORM_CAP];
    size_t n = mr_normalize(in, strlen(in), out, sizeof out);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);
}

static void test_percent(void **state)
{
    (void)state;
    expect_part("%27%20OR%201%3D1", 0, "' or 1=1");
    expect_part("%3Cscript%3E", 0, "<script>");
}

static void test_double_and_triple(void **state)
{
    (void)state;
    expect_part("%253Cscript%253E", 0, "<script>");
    expect_part("%25252e%25252e%25252f", 0, "../");
}

static void test_percent_u(void **state)
{
    (void)state;
    expect_part("%u003cscript%u003e", 0, "<script>");
    expect_part("%uff1cb%uff1e", 0, "<b>");   /* fullwidth folds to ASCII */
    expect_part("%u6771", 0, "\xe6\x9d\xb1");  /* U+6771 stays UTF-8 */
}

static void test_plus(void **state)
{
    (void)state;
    expect_part("1+union+select", MR_NORM_PLUS, "1 union select");
    expect_part("a+b", 0, "a+b");
    expect_part("%2B", MR_NORM_PLUS, "+");  /* an encoded plus is a plus */
    expect_target("/c++/x?q=a+b", "/c++/x?q=a b");
}

static void test_overlong_utf8(void **state)
{
    (void)state;
    expect_part("%c0%ae%c0%ae%c0%af", 0, "../");
    expect_part("%e0%80%ae", 0, ".");
    expect_part("%c1%1c", 0, "\\");   /* IIS's invalid continuation */
    expect_part("%c3%a9", 0, "\xc3\xa9");  /* real UTF-8 untouched */
}

static void test_entities(void **state)
{
    (void)state;
    expect_part("&lt;svg&gt;", 0, "<svg>");
    expect_part("&#x3c;&#60;&#0000060;", 0, "<<<");
    expect_part("&#40&#41", 0, "()");
    expect_part("javascript&colon;", 0, "javascript:");
    expect_part("%26lt%3Bscript%26gt%3B", 0, "<script>");  /* entity inside percent */
    expect_part("&unknown;", 0, "&unknown;");
    expect_part("&#;", 0, "&#;");
    expect_part("&#99999999999;", 0, "&#99999999999;");
}

static void test_case_and_backslash(void **state)
{
    (void)state;
    expect_part("UnIoN SeLeCt", 0, "union select");
    expect_part("..\\..\\WINDOWS", MR_NORM_PATH, "../../windows");
    expect_part("a\\b", 0, "a\\b");   /* values keep backslashes */
    expect_target("/A\\B?Q=C\\D", "/a/b?q=c\\d");
}

static void test_invalid_sequences(void **state)
{
    (void)state;
    expect_part("%", 0, "%");
    expect_part("%2", 0, "%2");
    expect_part("%zz%u12", 0, "%zz%u12");
    expect_part("100%", 0, "100%");
    char nul_in[] = {'a', '%', '0', '0', 'b'};
    char out[8];
    size_t n = mr_normalize_part(nul_in, sizeof nul_in, out, sizeof out, 0);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "a\0b", 3);
}

static void test_truncation(void **state)
{
    (void)state;
    char out[4];
    memset(out, 'X', sizeof out);
    size_t n = mr_normalize_part("%41%42%43%44%45%46", 18, out, 3, 0);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(out[3], 'X');   /* nothing past the cap */
    assert_int_equal(mr_normalize_part("abc", 3, out, 0, 0), 0);
    n = mr_normalize("/abc?def", 8, out, 4);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "/abc", 4);
}

/* Second round (issue 21): look-alike punctuation, C/JS escapes, ASP's
 * stray percent signs, overlong forms with an ASCII second byte, and the
 * case kept for evidence. */
static void test_round2(void **state)
{
    (void)state;
    expect_part("..%u2215..%u2216%uff0e%uff0e", 0, "../..\\..");
    expect_part("\xef\xbc\x8e\xef\xbc\x8e\xe2\x88\x95", 0, "../");   /* raw UTF-8 */
    expect_part("..%uEFC8..%uF025", 0, "../..\\");
    expect_part("\\u0024{jndi:", 0, "${jndi:");
    expect_part("\\x27 or 1", 0, "' or 1");
    expect_part("%S%E%L%E%C%T %1", 0, "select 1");
    expect_part("100% cotton", 0, "100% cotton");
    expect_part("%c0%5c%c0.", 0, "\\.");
    expect_part("%%32%65", 0, ".");
    expect_part("/.git/HEAD", MR_NORM_KEEP_CASE, "/.git/HEAD");
    expect_part("%55NION", MR_NORM_KEEP_CASE, "UNION");
}

static void test_path_canonical(void **state)
{
    (void)state;
    char p[64];
    const char *cases[][2] = {
        {"/a/../.env", "/.env"},   {"/a/./b//c", "/a/b/c"},
        {"/../../etc/passwd", "/etc/passwd"}, {"/a/b/..", "/a"},
        {"/", "/"},                {"", ""},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(cases); i++) {
        size_t len = strlen(cases[i][0]);
        memcpy(p, cases[i][0], len);
        size_t n = mr_path_canonical(p, len);
        assert_int_equal(n, strlen(cases[i][1]));
        assert_memory_equal(p, cases[i][1], n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_double_and_triple),
        cmocka_unit_test(test_percent_u),
        cmocka_unit_test(test_plus),
        cmocka_unit_test(test_overlong_utf8),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_case_and_backslash),
        cmocka_unit_test(test_invalid_sequences),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_path_canonical),
        cmocka_unit_test(test_round2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
