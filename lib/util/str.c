/*
 * str.c — see str.h. mr_find looks for one byte of the literal with
 * memchr and compares the rest there; it runs over every normalized
 * request of a log scan, so the byte it looks for is chosen to be rare.
 */
#include "common.h"

#include "util/str.h"

long mr_find(const char *s, size_t n, const char *lit)
{
    size_t len = strlen(lit);
    if (len == 0 || len > n)
        return len == 0 ? 0 : -1;
    /* memchr for one byte of the literal, then the rest; after a leading
     * '/' or '.', which every path is full of, the second byte is rarer */
    size_t pivot = len > 1 && (lit[0] == '/' || lit[0] == '.') ? 1 : 0;
    const char *cur = s + pivot, *last = s + (n - len) + pivot;
    while (cur <= last) {
        const char *at = memchr(cur, lit[pivot], (size_t)(last - cur) + 1);
        if (!at)
            return -1;
        const char *start = at - pivot;
        if (memcmp(start, lit, len) == 0)
            return (long)(start - s);
        cur = at + 1;
    }
    return -1;
}
