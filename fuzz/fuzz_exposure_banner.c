/*
 * fuzz_exposure_banner.c — arbitrary bytes as what a service sends first
 * (an SSH identification, an FTP or SMTP greeting, HTTP response
 * headers) through the product and version reader of mamori exposure
 * (lib/exposure/banner.c); the first byte picks the kind. Whatever it
 * returns must be NUL-terminated within its buffers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exposure/exposure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    mr_xp_banner_kind kind = (mr_xp_banner_kind)(data[0] % 5);
    mr_xp_version v;
    int r = mr_xp_banner_parse(kind, (const char *)data + 1, size - 1, &v);
    if (strnlen(v.product, sizeof(v.product)) == sizeof(v.product) ||
        strnlen(v.version, sizeof(v.version)) == sizeof(v.version) ||
        (r == 0) != (v.product[0] != '\0'))
        abort();
    return 0;
}
