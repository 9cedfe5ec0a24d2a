/*
 * test_grow.c — the growth helper (util/grow.h): empty arrays start at
 * `first`, full ones double or jump to what is needed, a bound is kept,
 * and sizes that would wrap size_t are refused with the array untouched.
 */
#include "common.h"

#include <setjmp.h>

#include <cmocka.h>

#include "util/grow.h"

static void grows(void **state)
{
    (void)state;
    uint32_t *v = NULL;
    size_t cap = 0;
    assert_int_equal(MR_GROW(&v, &cap, 1, 16), MAMORI_OK);
    assert_non_null(v);
    assert_int_equal(cap, 16);
    /* Room already: nothing moves. */
    uint32_t *before = v;
    assert_int_equal(MR_GROW(&v, &cap, 16, 16), MAMORI_OK);
    assert_ptr_equal(v, before);
    for (uint32_t i = 0; i < 16; i++)
        v[i] = i;
    assert_int_equal(MR_GROW(&v, &cap, 17, 16), MAMORI_OK);
    assert_int_equal(cap, 32);            /* doubled */
    for (uint32_t i = 0; i < 16; i++)
        assert_int_equal(v[i], i);         /* kept */
    assert_int_equal(MR_GROW(&v, &cap, 1000, 16), MAMORI_OK);
    assert_int_equal(cap, 1000);          /* more than double: the need */
    v[999] = 7;
    free(v);
}

static void bounded(void **state)
{
    (void)state;
    uint64_t *v = NULL;
    size_t cap = 0;
    assert_int_equal(MR_GROW_MAX(&v, &cap, 1, 64, 100), MAMORI_OK);
    assert_int_equal(cap, 64);
    assert_int_equal(MR_GROW_MAX(&v, &cap, 65, 64, 100), MAMORI_OK);
    assert_int_equal(cap, 100);           /* doubling cut at the bound */
    uint64_t *kept = v;
    assert_int_equal(MR_GROW_MAX(&v, &cap, 101, 64, 100), MAMORI_E_TOO_LARGE);
    assert_ptr_equal(v, kept);
    assert_int_equal(cap, 100);
    free(v);
}

static void overflow_refused(void **state)
{
    (void)state;
    size_t out;
    assert_int_equal(mr_mul_size(SIZE_MAX / 2, 2, &out), 0);
    assert_int_equal(mr_mul_size(SIZE_MAX / 2 + 1, 2, &out), -1);
    assert_true(out == SIZE_MAX);
    assert_int_equal(mr_mul_size(0, SIZE_MAX, &out), 0);
    assert_int_equal(out, 0);

    /* need * elem wraps: refused before realloc sees a small size. */
    uint64_t *v = NULL;
    size_t cap = 0;
    assert_int_equal(MR_GROW(&v, &cap, SIZE_MAX / 8 + 1, 16), MAMORI_E_TOO_LARGE);
    assert_null(v);
    assert_int_equal(cap, 0);

    /* A capacity whose double wraps grows to the need instead, and the
     * bytes are still checked. */
    char *c = malloc(4);
    assert_non_null(c);
    cap = SIZE_MAX / 2 + 2;   /* a lie, never used: the need decides */
    assert_int_equal(mr_grow_array(&c, &cap, SIZE_MAX, 2, 1, 0),
                     MAMORI_E_TOO_LARGE);
    assert_non_null(c);
    free(c);

    /* Elements so large that one more wraps. */
    void *big = NULL;
    cap = 0;
    assert_int_equal(mr_grow_array(&big, &cap, 3, SIZE_MAX / 2, 1, 0),
                     MAMORI_E_TOO_LARGE);
    assert_null(big);
}

#ifdef __SANITIZE_ADDRESS__
/* ASan reports a huge allocation instead of returning NULL unless told to
 * behave as malloc does: then out_of_memory runs under ASan too. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

static void out_of_memory(void **state)
{
    (void)state;
    /* Fits in size_t but not in memory: NOMEM, array untouched. */
    unsigned char *v = malloc(8);
    size_t cap = 8;
    assert_non_null(v);
    v[0] = 42;
    assert_int_equal(MR_GROW(&v, &cap, SIZE_MAX / 2, 8), MAMORI_E_NOMEM);
    assert_int_equal(cap, 8);
    assert_int_equal(v[0], 42);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows),
        cmocka_unit_test(bounded),
        cmocka_unit_test(overflow_refused),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
