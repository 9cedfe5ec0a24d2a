/*
 * test_random.c — the random source (util/random.h): it fills what it is
 * asked for, large requests included, with bytes that look random (every
 * byte value turns up in a megabyte, no run of zeros), and two draws
 * differ. (Its failure path, no getrandom, is a plain return of
 * MAMORI_E_IO; the callers' handling is in their own tests.)
 */
#include "common.h"

#include <setjmp.h>

#include <cmocka.h>

#include "util/random.h"

#define BIG (1u << 20)

static void fills(void **state)
{
    (void)state;
    unsigned char small[64] = {0}, zero[64] = {0};
    assert_int_equal(mr_random_bytes(small, sizeof(small)), MAMORI_OK);
    assert_true(memcmp(small, zero, sizeof(small)) != 0);
    assert_int_equal(mr_random_bytes(small, 0), MAMORI_OK);
}

static void large_request(void **state)
{
    (void)state;
    unsigned char *buf = calloc(1, BIG);
    size_t seen[256] = {0};
    assert_non_null(buf);
    assert_int_equal(mr_random_bytes(buf, BIG), MAMORI_OK);
    for (size_t i = 0; i < BIG; i++)
        seen[buf[i]]++;
    /* 4096 expected of each value; a weak or partial fill is far off. */
    for (int v = 0; v < 256; v++) {
        assert_true(seen[v] > 3000);
        assert_true(seen[v] < 5200);
    }
    /* The end was written too (a short read would leave zeros). */
    unsigned char zero[256] = {0};
    assert_true(memcmp(buf + BIG - 256, zero, 256) != 0);
    free(buf);
}

static void draws_differ(void **state)
{
    (void)state;
    uint64_t a, b;
    assert_int_equal(mr_random_u64(&a), MAMORI_OK);
    assert_int_equal(mr_random_u64(&b), MAMORI_OK);
    assert_true(a != b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fills),
        cmocka_unit_test(large_request),
        cmocka_unit_test(draws_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
