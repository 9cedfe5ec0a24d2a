/*
 * fuzz_source.c — hostile bytes through the byte source: plain, gzip or
 * zstd by magic, every decoder path, damaged and cut streams.
 */
#include <stddef.h>
#include <stdint.h>

#include "io/source.h"

#define FUZZ_OUT_MAX (1u << 22) /* stop decompression bombs at 4 MiB */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[4096];
    mr_source *s;
    size_t total = 0, got;
    if (mr_source_open_mem(data, size, &s) != MAMORI_OK)
        return 0;
    while (total < FUZZ_OUT_MAX && mr_source_read(s, buf, sizeof(buf), &got) == MAMORI_OK && got)
        total += got;
    mr_source_close(s);
    return 0;
}
