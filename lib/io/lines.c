/*
 * lines.c — see lines.h.
 */
#include "common.h"

#include "io/lines.h"

int mr_line_reader_fill(mr_line_reader *r, char *buf, size_t cap,
                        size_t *len, int *overlong)
{
    size_t n = r->ncarry;
    memcpy(buf, r->carry, r->ncarry);
    r->ncarry = 0;
    *overlong = 0;
    while (!r->eof && n < cap) {
        size_t got;
        mamori_err e = mr_source_read(r->src, buf + n, cap - n, &got);
        if (e) {
            r->err = e;
            r->eof = 1;
        }
        if (got == 0) {
            r->eof = 1;
            break;
        }
        if (r->skipping) {
            char *nl = memchr(buf + n, '\n', got);
            if (!nl)
                continue; /* still inside the overlong line: drop */
            size_t rest = got - (size_t)(nl + 1 - (buf + n));
            memmove(buf + n, nl + 1, rest);
            n += rest;
            r->skipping = 0;
            continue;
        }
        n += got;
    }
    *len = n;
    if (n == 0)
        return 0;
    if (n == cap && !memchr(buf, '\n', n)) {
        /* One line fills the buffer: skip it, count it once. */
        *len = 0;
        *overlong = 1;
        r->skipping = !r->eof;
        return 1;
    }
    if (n == cap && !r->eof) {
        char *nl = memrchr(buf, '\n', n);
        size_t keep = (size_t)(nl + 1 - buf);
        r->ncarry = n - keep;
        memcpy(r->carry, nl + 1, r->ncarry);
        *len = keep;
    }
    return 1;
}
