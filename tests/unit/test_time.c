/*
 * test_time.c — the shared time and string layers (util/time.h,
 * util/str.h): the clock, month names, the calendar, W3C and epoch times,
 * the per-day cache, and the literal search. CLF and ISO 8601 times are
 * tested with the access-log parsers in test_parse.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/str.h"
#include "util/time.h"

static mr_span sp(const char *s)
{
    return mr_span_make(s, strlen(s));
}

static void clock_moves_forward(void **state)
{
    (void)state;
    int64_t a = mr_now_ms(), b = mr_now_ms();
    assert_true(a > 0);
    assert_true(b >= a);
}

static void month_names(void **state)
{
    (void)state;
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int m = 0; m < 12; m++)
        assert_int_equal(mr_month_from_abbrev(names + 3 * m), m + 1);
    static const char *bad[] = {"jan", "JAN", "Jau", "Foo", "Ma ", "\0\0\0", "Dez"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(mr_month_from_abbrev(bad[i]), 0);
}

static void calendar(void **state)
{
    (void)state;
    assert_int_equal(mr_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(mr_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(mr_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(mr_days_from_civil(2024, 2, 29) + 1, mr_days_from_civil(2024, 3, 1));
    assert_int_equal(mr_days_from_civil(2023, 2, 28) + 1, mr_days_from_civil(2023, 3, 1));
}

static void w3c_and_cache(void **state)
{
    (void)state;
    mr_clf_time_cache c;
    memset(&c, 0, sizeof(c));
    assert_int_equal(mr_parse_w3c_time(sp("2024-01-15"), sp("12:00:00"), NULL), 1705320000);
    assert_int_equal(mr_parse_w3c_time(sp("2024-01-15"), sp("12:00:00.250"), &c), 1705320000);
    /* the same day from the cache, then another day */
    assert_int_equal(mr_parse_w3c_time(sp("2024-01-15"), sp("12:00:01"), &c), 1705320001);
    assert_int_equal(mr_parse_w3c_time(sp("2024-01-16"), sp("12:00:00"), &c), 1705406400);
    assert_true(mr_parse_w3c_time(sp("2024-02-30"), sp("12:00:00"), &c) == INT64_MIN);
    assert_true(mr_parse_w3c_time(sp("2024-01-15"), sp("24:00:00"), &c) == INT64_MIN);
    assert_true(mr_parse_w3c_time(sp("2024-01-15"), sp("12:00"), NULL) == INT64_MIN);
    /* a CLF time after a W3C one in the same cache is not confused */
    assert_int_equal(mr_parse_clf_time_cached(sp("15/Jan/2024:12:00:00 +0000"), &c), 1705320000);
    assert_int_equal(mr_parse_clf_time_cached(sp("15/Jan/2024:21:00:00 +0900"), &c), 1705320000);
}

static void epoch(void **state)
{
    (void)state;
    assert_int_equal(mr_parse_epoch(sp("1700000000"), 1), 1700000000);
    assert_int_equal(mr_parse_epoch(sp("1700000000.123"), 1), 1700000000);
    assert_int_equal(mr_parse_epoch(sp("1700000000123"), 1000), 1700000000);
    assert_int_equal(mr_parse_epoch(sp("1700000000123456"), 1000000), 1700000000);
    static const char *bad[] = {"", "-1", "17x", "1700000000.", "1.2.3", "1234567890123456789"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_true(mr_parse_epoch(sp(bad[i]), 1) == INT64_MIN);
}

static void find_literal(void **state)
{
    (void)state;
    const char *s = "/index.php?file=../../etc/passwd";
    size_t n = strlen(s);
    assert_int_equal(mr_find(s, n, "/etc/passwd"), 21);
    assert_int_equal(mr_find(s, n, "../"), 16);
    assert_int_equal(mr_find(s, n, "/"), 0);
    assert_int_equal(mr_find(s, n, ""), 0);
    assert_int_equal(mr_find(s, n, "shadow"), -1);
    assert_int_equal(mr_find(s, 3, "/index"), -1);       /* the bound holds */
    assert_int_equal(mr_find(s, n - 1, "passwd"), -1);
    assert_int_equal(mr_find("a\0b.c", 5, ".c"), 3);     /* NUL is a byte */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clock_moves_forward),
        cmocka_unit_test(month_names),
        cmocka_unit_test(calendar),
        cmocka_unit_test(w3c_and_cache),
        cmocka_unit_test(epoch),
        cmocka_unit_test(find_literal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
