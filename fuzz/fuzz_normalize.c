/*
 * fuzz_normalize.c — libFuzzer harness: arbitrary bytes through
 * mr_normalize into a fixed buffer, and mr_path_canonical on the result.
 */
#include "common.h"

#include "logscan/detect.h"
#include "logscan/normalize.h"

#define FUZZ_NORM_CAP 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[FUZZ_NORM_CAP];
    size_t n = mr_normalize((const char *)data, size, out, sizeof out);
    if (n > sizeof out)
        __builtin_trap();
    mr_path_canonical(out, n);
    n = mr_normalize_part((const char *)data, size, out, 7, MR_NORM_PLUS | MR_NORM_PATH);
    if (n > 7)
        __builtin_trap();
    return 0;
}
