/*
 * span.h — a borrowed run of bytes, and a cursor to parse it with a bound.
 *
 * Parsers of untrusted input never NUL-terminate, copy or index past a
 * span: they advance a cursor over (p, n). A span never owns its bytes;
 * whoever gave it out says how long they live.
 */
#ifndef MR_SPAN_H
#define MR_SPAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct mr_span {
    const char *p;
    size_t n;
} mr_span;

#define MR_SPAN_NULL ((mr_span){NULL, 0})
#define MR_SPAN_LIT(s) ((mr_span){(s), sizeof(s) - 1})

static inline mr_span mr_span_make(const char *p, size_t n)
{
    return (mr_span){p, n};
}

static inline int mr_span_eq(mr_span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

/* ASCII case-insensitive equality with a NUL-terminated literal. */
int mr_span_ieq(mr_span a, const char *lit);

/* Parses an unsigned decimal of at most `max` value; 0 on success. */
int mr_span_u64(mr_span s, uint64_t max, uint64_t *out);

#endif
