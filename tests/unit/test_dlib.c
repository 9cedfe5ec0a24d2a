/*
 * test_dlib.c — libraries opened when needed (util/dlib.h): a table is
 * filled with the functions the linker would give, a library that is not
 * installed or lacks a function is refused with the package to install,
 * the first answer is kept, and threads loading at once agree.
 */
#include "common.h"

#include <pthread.h>
#include <setjmp.h>
#include <zlib.h>

#include <cmocka.h>

#include "util/dlib.h"

/* Only their types are used: each table asks its library by name. */
int mamori_test_absent_a(int x);
int mamori_test_absent_b(int x);

/* zlib: installed wherever mamori is, and linked here too, so what the
 * table holds can be compared with what the linker gave. */
#define ZLIB_FUNCS(X) X(zlibVersion) X(crc32)
MR_DLIB_DEFINE(zlib, "libz.so.1", "zlib1g", ZLIB_FUNCS);

#define ABSENT_LIB_FUNCS(X) X(mamori_test_absent_a)
MR_DLIB_DEFINE(absent_lib, "libmamori-test-absent.so.7", "mamori-test-absent",
               ABSENT_LIB_FUNCS);

#define ABSENT_FUNC_FUNCS(X) X(adler32) X(mamori_test_absent_b)
MR_DLIB_DEFINE(absent_func, "libz.so.1", "zlib1g", ABSENT_FUNC_FUNCS);

static void fills_the_table(void **state)
{
    (void)state;
    assert_int_equal(mr_dlib_load(&mr_dlib_zlib), 0);
    assert_string_equal(mr_dlib_error(&mr_dlib_zlib), "");
    assert_string_equal(mr_sym_zlibVersion(), zlibVersion());
    const Bytef abc[] = "abc";
    assert_int_equal(mr_sym_crc32(0, abc, 3), 0x352441c2); /* CRC-32 of "abc" */
    assert_int_equal(mr_sym_crc32(0, abc, 3), crc32(0, abc, 3));
    assert_int_equal(mr_dlib_load(&mr_dlib_zlib), 0);   /* again: the same */
}

static void missing_library_names_the_package(void **state)
{
    (void)state;
    assert_int_equal(mr_dlib_load(&mr_dlib_absent_lib), -1);
    const char *why = mr_dlib_error(&mr_dlib_absent_lib);
    assert_non_null(strstr(why, "libmamori-test-absent.so.7 cannot be opened "
                                "(install mamori-test-absent): "));
    assert_null(mr_sym_mamori_test_absent_a);
    /* the first answer is kept: no second search */
    assert_int_equal(mr_dlib_load(&mr_dlib_absent_lib), -1);
    assert_string_equal(mr_dlib_error(&mr_dlib_absent_lib), why);
}

static void missing_function_is_refused(void **state)
{
    (void)state;
    assert_int_equal(mr_dlib_load(&mr_dlib_absent_func), -1);
    const char *why = mr_dlib_error(&mr_dlib_absent_func);
    assert_non_null(strstr(why, "libz.so.1 lacks mamori_test_absent_b (install zlib1g)"));
}

static void *load_in_thread(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)mr_dlib_load(&mr_dlib_zlib);
}

static void threads_agree(void **state)
{
    (void)state;
    pthread_t t[4];
    for (size_t i = 0; i < MR_ARRAY_LEN(t); i++)
        assert_int_equal(pthread_create(&t[i], NULL, load_in_thread, NULL), 0);
    for (size_t i = 0; i < MR_ARRAY_LEN(t); i++) {
        void *r = NULL;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_int_equal((intptr_t)r, 0);
    }
    assert_non_null(mr_sym_crc32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_agree),
        cmocka_unit_test(fills_the_table),
        cmocka_unit_test(missing_library_names_the_package),
        cmocka_unit_test(missing_function_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
