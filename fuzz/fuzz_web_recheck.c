/*
 * fuzz_web_recheck.c — arbitrary bytes as lines of a logscan JSON report
 * through mr_web_recheck_line (lib/web/recheck.h, `mamori web
 * --from-logscan`): every path kept starts with '/', fits its maximum and
 * holds no blank or control byte; never more entries than the maximum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/recheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mr_web_catalogue out;
    uint64_t bad = 0, dropped = 0;
    const char *p = (const char *)data, *end = p + size;
    memset(&out, 0, sizeof(out));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (mr_web_recheck_line(p, n, NULL, &out, &bad, &dropped) != MAMORI_OK)
            break;
        p += n + (nl != NULL);
    }
    if (out.n > MR_WEB_PROBES_MAX)
        abort();
    for (size_t i = 0; i < out.n; i++) {
        const char *path = out.probes[i].path;
        size_t len = strnlen(path, MR_WEB_PATH_MAX);
        if (len == 0 || len >= MR_WEB_PATH_MAX || path[0] != '/')
            abort();
        for (size_t k = 0; k < len; k++)
            if ((unsigned char)path[k] <= ' ' || path[k] == 0x7f)
                abort();
    }
    return 0;
}
