/*
 * parse_util.c — the small helpers the auth parsers share: find a literal
 * in a span (the rest are inline in parse.h: last occurrence, prefix
 * tests, words), and the address tidied after any parser.
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

void mr_auth_source_tidy(mr_auth_event *ev)
{
    /* An IPv4 client of a dual-stack socket is logged as ::ffff:a.b.c.d
     * by some servers and lines, a.b.c.d by others: one host. */
    mr_span a = ev->source;
    if (a.n < 8 || a.n > 7 + 15 || (memcmp(a.p, "::ffff:", 7) != 0 &&
                                    memcmp(a.p, "::FFFF:", 7) != 0))
        return;
    size_t dots = 0;
    for (size_t i = 7; i < a.n; i++) {
        if (a.p[i] == '.')
            dots++;
        else if (a.p[i] < '0' || a.p[i] > '9')
            return;
    }
    if (dots == 3)
        ev->source = mr_span_make(a.p + 7, a.n - 7);
}
