/*
 * test_lines.c — mamori_read_line(), the one bounded line reader of the
 * tool's line lists: one line per line whatever the bytes (NUL bytes
 * kept and counted, an overlong line one line with its true length and
 * the rest consumed), a last line without a newline, the end of input.
 * (The chunk reader's count of dropped bytes is tested through "Bytes
 * read" in tests/shell/t0220-hostile-io.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/mamori.h"

static FILE *mem(const char *s, size_t n)
{
    FILE *f = fmemopen((void *)s, n, "r");
    assert_non_null(f);
    return f;
}

static void nul_and_overlong(void **state)
{
    (void)state;
    static const char in[] = "x\0y\npassword\naaaaaaaaaaaaaaaaaaaa\nlast";
    FILE *f = mem(in, sizeof(in) - 1);
    char buf[8];
    uint64_t len;

    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 1);
    assert_int_equal(len, 3);
    assert_memory_equal(buf, "x\0y", 4);
    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 1);
    assert_int_equal(len, 8);          /* one more than fits: cut, counted */
    assert_string_equal(buf, "passwor");
    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 1);
    assert_int_equal(len, 20);         /* the rest of the line consumed */
    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 1);
    assert_int_equal(len, 4);          /* no newline at the end */
    assert_string_equal(buf, "last");
    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 0);
    assert_int_equal(len, 0);
    fclose(f);
}

static void blank_lines(void **state)
{
    (void)state;
    static const char in[] = "\n\r\n";
    FILE *f = mem(in, sizeof(in) - 1);
    char buf[4];
    uint64_t len;

    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 1);
    assert_int_equal(len, 0);
    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 1);
    assert_int_equal(len, 1);          /* the caller takes off the \r */
    assert_int_equal(mamori_read_line(f, buf, sizeof(buf), &len), 0);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nul_and_overlong),
        cmocka_unit_test(blank_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
