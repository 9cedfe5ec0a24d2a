/*
 * fuzz_web_headers.c — arbitrary bytes as the header lines of HTTP
 * responses (split at "\n", as libcurl hands them over) through
 * mr_web_header_line (lib/web/fetch.h): headers kept within their
 * maximum, each name non-empty and NUL-terminated; then each value
 * through the version-disclosure reader and the soft-404 comparison.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/exposure.h"
#include "web/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_web_response r;
    const char *p = (const char *)data, *end = p + size;
    char tok[64];
    memset(&r, 0, sizeof(r));
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (mr_web_header_line(&r, p, n) != 0)
            break;
        p += n;
    }
    if (r.nheaders > MR_WEB_HEADERS_MAX)
        abort();
    for (size_t i = 0; i < r.nheaders; i++) {
        if (r.headers[i].name[0] == '\0' ||
            strlen(r.headers[i].value) > MR_WEB_HEADER_MAX)
            abort();
        if (mr_web_version_token(r.headers[i].value, tok, sizeof(tok)) &&
            strlen(tok) >= sizeof(tok))
            abort();
        mr_web_like_soft404(r.headers[i].value, strlen(r.headers[i].value),
                            (const char *)data, size);
    }
    mr_web_header_get(&r, "Server");
    mr_web_response_free(&r);
    return 0;
}
