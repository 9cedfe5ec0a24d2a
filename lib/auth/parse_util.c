/*
 * parse_util.c — the small cursor helpers the auth parsers share: find a
 * literal in a span (the rest are inline in parse.h: last occurrence,
 * prefix tests, words).
 */
#include "common.h"

#include "auth/parse.h"

const char *mr_auth_find(mr_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (n == 0 || s.n < n)
        return NULL;
    return memmem(s.p, s.n, lit, n);
}
