/*
 * test_version.c — the version, three ways: the string and the number
 * of the headers (include/mamori/version.h, which meson checks against
 * the project version) and mamori_version() of the library agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/mamori.h"

/* "MAJOR.MINOR.PATCH" packed as MAMORI_VERSION_NUM is; -1 if malformed. */
static long pack(const char *v)
{
    long part[3] = {0, 0, 0};
    int i = 0;
    for (const char *p = v; *p != '\0'; p++) {
        if (*p == '.') {
            if (++i > 2)
                return -1;
        } else if (*p >= '0' && *p <= '9' && part[i] < 255) {
            part[i] = part[i] * 10 + (*p - '0');
        } else {
            return -1;
        }
    }
    return i == 2 ? (part[0] << 16) | (part[1] << 8) | part[2] : -1;
}

static void string_and_number_agree(void **state)
{
    (void)state;
    assert_int_equal(pack(MAMORI_VERSION), MAMORI_VERSION_NUM);
    assert_int_equal(MAMORI_VERSION_NUM >> 16, MAMORI_VERSION_MAJOR);
    assert_int_equal((MAMORI_VERSION_NUM >> 8) & 0xff, MAMORI_VERSION_MINOR);
    assert_int_equal(MAMORI_VERSION_NUM & 0xff, MAMORI_VERSION_PATCH);
}

static void library_matches_headers(void **state)
{
    (void)state;
    assert_non_null(mamori_version());
    assert_string_equal(mamori_version(), MAMORI_VERSION);
}

/* Usable in #if, which is what the number is for. */
#if MAMORI_VERSION_NUM < 0x000100
#error "MAMORI_VERSION_NUM is not a preprocessor number"
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(string_and_number_agree),
        cmocka_unit_test(library_matches_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
