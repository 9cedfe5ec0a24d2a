/*
 * test_source.c — reading plain, gzip and zstd bytes as one stream:
 * concatenated members, and damaged or cut streams that must deliver what
 * came before the damage and then say what went wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "io/source.h"

#define TEXT_LEN 200000

static char *make_text(void)
{
    char *t = malloc(TEXT_LEN);
    assert_non_null(t);
    for (size_t i = 0; i < TEXT_LEN; i++)
        t[i] = (i % 61 == 60) ? '\n' : (char)('a' + (i * 7) % 26);
    return t;
}

static size_t gzip_into(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = z.total_out;
    deflateEnd(&z);
    return len;
}

/* Reads everything; returns the final error and the byte count. */
static mamori_err drain(mr_source *s, char *out, size_t cap, size_t *total)
{
    *total = 0;
    for (;;) {
        size_t got;
        mamori_err e = mr_source_read(s, out + *total, (cap - *total) < 4096 ? (cap - *total) : 4096, &got);
        *total += got;
        if (e || got == 0)
            return e;
    }
}

static void plain(void **state)
{
    (void)state;
    char *t = make_text(), *out = malloc(TEXT_LEN);
    assert_non_null(out);
    mr_source *s;
    assert_int_equal(mr_source_open_mem(t, TEXT_LEN, &s), MAMORI_OK);
    assert_int_equal(mr_source_compression(s), MR_COMP_NONE);
    size_t n;
    assert_int_equal(drain(s, out, TEXT_LEN, &n), MAMORI_OK);
    assert_int_equal(n, TEXT_LEN);
    assert_memory_equal(out, t, TEXT_LEN);
    mr_source_close(s);
    free(t);
    free(out);
}

static void gzip_members_and_truncation(void **state)
{
    (void)state;
    char *t = make_text(), *out = malloc(2 * TEXT_LEN);
    assert_non_null(out);
    size_t cap = TEXT_LEN * 2;
    unsigned char *gz = malloc(cap);
    assert_non_null(gz);
    size_t a = gzip_into(t, TEXT_LEN / 2, gz, cap);
    size_t b = gzip_into(t + TEXT_LEN / 2, TEXT_LEN / 2, gz + a, cap - a);
    mr_source *s;
    size_t n;
    /* Two members read as one stream. */
    assert_int_equal(mr_source_open_mem(gz, a + b, &s), MAMORI_OK);
    assert_int_equal(mr_source_compression(s), MR_COMP_GZIP);
    assert_int_equal(drain(s, out, 2 * TEXT_LEN, &n), MAMORI_OK);
    assert_int_equal(n, TEXT_LEN);
    assert_memory_equal(out, t, TEXT_LEN);
    mr_source_close(s);
    /* Cut in the middle of the second member: the first half survives. */
    assert_int_equal(mr_source_open_mem(gz, a + b / 2, &s), MAMORI_OK);
    assert_int_equal(drain(s, out, 2 * TEXT_LEN, &n), MAMORI_E_TRUNCATED);
    assert_true(n >= TEXT_LEN / 2 && n < TEXT_LEN);
    assert_memory_equal(out, t, n);
    mr_source_close(s);
    /* Garbage in the middle: corrupt, and what came before is delivered. */
    memset(gz + a + 40, 0x55, 64);
    assert_int_equal(mr_source_open_mem(gz, a + b, &s), MAMORI_OK);
    mamori_err e = drain(s, out, 2 * TEXT_LEN, &n);
    assert_true(e == MAMORI_E_CORRUPT || e == MAMORI_E_TRUNCATED);
    assert_true(n >= TEXT_LEN / 2);
    mr_source_close(s);
    free(gz);
    free(t);
    free(out);
}

static void zstd_frames_and_truncation(void **state)
{
    (void)state;
    char *t = make_text(), *out = malloc(2 * TEXT_LEN);
    assert_non_null(out);
    size_t cap = ZSTD_compressBound(TEXT_LEN) * 2;
    unsigned char *zs = malloc(cap);
    assert_non_null(zs);
    size_t a = ZSTD_compress(zs, cap, t, TEXT_LEN / 2, 3);
    size_t b = ZSTD_compress(zs + a, cap - a, t + TEXT_LEN / 2, TEXT_LEN / 2, 3);
    assert_false(ZSTD_isError(a) || ZSTD_isError(b));
    mr_source *s;
    size_t n;
    assert_int_equal(mr_source_open_mem(zs, a + b, &s), MAMORI_OK);
    assert_int_equal(mr_source_compression(s), MR_COMP_ZSTD);
    assert_int_equal(drain(s, out, 2 * TEXT_LEN, &n), MAMORI_OK);
    assert_int_equal(n, TEXT_LEN);
    assert_memory_equal(out, t, TEXT_LEN);
    mr_source_close(s);
    assert_int_equal(mr_source_open_mem(zs, a + b - 10, &s), MAMORI_OK);
    assert_int_equal(drain(s, out, 2 * TEXT_LEN, &n), MAMORI_E_TRUNCATED);
    assert_true(n >= TEXT_LEN / 2);
    mr_source_close(s);
    free(zs);
    free(t);
    free(out);
}

static void tiny_inputs(void **state)
{
    (void)state;
    char out[8];
    size_t n;
    mr_source *s;
    /* Empty, one byte, and a lone gzip magic. */
    assert_int_equal(mr_source_open_mem("", 0, &s), MAMORI_OK);
    assert_int_equal(drain(s, out, sizeof(out), &n), MAMORI_OK);
    assert_int_equal(n, 0);
    mr_source_close(s);
    assert_int_equal(mr_source_open_mem("x", 1, &s), MAMORI_OK);
    assert_int_equal(drain(s, out, sizeof(out), &n), MAMORI_OK);
    assert_int_equal(n, 1);
    mr_source_close(s);
    assert_int_equal(mr_source_open_mem("\x1f\x8b", 2, &s), MAMORI_OK);
    assert_int_not_equal(drain(s, out, sizeof(out), &n), MAMORI_OK);
    mr_source_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain),
        cmocka_unit_test(gzip_members_and_truncation),
        cmocka_unit_test(zstd_frames_and_truncation),
        cmocka_unit_test(tiny_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
