/*
 * fuzz_zip.c — arbitrary bytes as a ZIP archive (io/zip.h, the reader
 * behind `mamori patch --osv all.zip`): the end records, ZIP64, the
 * central directory, then every entry read back (stored or inflated) to
 * at most 1 MiB, each byte touched so the sanitizers see an overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "io/zip.h"

#define FUZZ_ZIP_ENTRY_MAX (1024 * 1024)

static volatile size_t fuzz_zip_sink; /* keeps the reads */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_zip *z = NULL;
    if (mr_zip_open_mem(data, size, &z) != MAMORI_OK)
        return 0;
    size_t sum = 0;
    for (size_t i = 0; i < mr_zip_count(z); i++) {
        const char *name = mr_zip_name(z, i);
        while (*name)
            sum += (unsigned char)*name++;
        char *buf = NULL;
        size_t len = 0;
        if (mr_zip_read(z, i, FUZZ_ZIP_ENTRY_MAX, &buf, &len) == MAMORI_OK) {
            for (size_t k = 0; k <= len; k++)
                sum += (unsigned char)buf[k];
            free(buf);
        }
    }
    mr_zip_close(z);
    fuzz_zip_sink = sum;
    return 0;
}
